"""Fonts per run of text: each character is set in the first font of its style's chain
(see the theme's `scripts`) that has a glyph for it, so a Latin acronym inside Arabic or
Chinese text, or Chinese inside Latin, switches font by itself. Characters of no script
of their own (spaces, punctuation, digits, symbols, combining marks) stay in the font of
the text around them when it has them, so runs do not fragment.

Markup keeps the style's own font for its own runs and wraps only the others in
``<font face="...">``: text its style's font covers comes out exactly as it went in.
Everything here is cached per (text, chain): the same labels recur in every edition."""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from factsheet.theme import LoadedTheme

Runs = tuple[tuple[str, str], ...]
"""(font name, text) pieces, in order."""

CJK_SCRIPTS = frozenset({"Hans", "Hant", "Hani", "Jpan"})
"""Scripts written without spaces between words: lines break between any two
characters (ReportLab's `CJK` word wrap, with the punctuation rules of `layout.cjk`)."""


@lru_cache(maxsize=64)
def coverage(font_name: str) -> frozenset[str] | None:
    """The characters a registered TrueType font has glyphs for (None for a font that
    is not TrueType: it is not checked)."""
    from reportlab.pdfbase import pdfmetrics

    face = getattr(pdfmetrics.getFont(font_name), "face", None)
    mapping = getattr(face, "charToGlyph", None)
    return frozenset(chr(c) for c in mapping if 0 <= c < 0x110000) if mapping else None


def covers(font_name: str, char: str) -> bool:
    found = coverage(font_name)
    return found is None or char in found


@lru_cache(maxsize=4096)
def neutral(char: str) -> bool:
    """Whether a character belongs to no script of its own (Unicode's Common and
    Inherited: spaces, punctuation, digits, symbols, combining marks)."""
    if char.isascii():
        return not char.isalpha()
    from fontTools import unicodedata as ucd  # type: ignore[import-untyped]

    return bool(ucd.script(char) in ("Zyyy", "Zinh", "Zzzz"))


@lru_cache(maxsize=8192)
def runs(text: str, chain: tuple[str, ...]) -> Runs:
    """`text` cut into (font, text) runs by `chain` (the style's own font last). A
    character no font of the chain has is left in the last (the style's own) font, for
    the glyph check to report."""
    if not text:
        return ()
    if len(chain) == 1:
        return ((chain[0], text),)
    fonts = _fonts(text, chain)
    out: list[tuple[str, str]] = []
    start = 0
    for i in range(1, len(text) + 1):
        if i == len(text) or fonts[i] != fonts[start]:
            out.append((fonts[start], text[start:i]))
            start = i
    return tuple(out)


def _fonts(chars: Sequence[str], chain: tuple[str, ...]) -> list[str]:
    """The font of each character."""
    own = chain[-1]
    fonts: list[str | None] = []
    for char in chars:
        if neutral(char):
            fonts.append(None)
        else:
            fonts.append(next((f for f in chain if covers(f, char)), own))
    # Neutral characters: the run before, else the run after, else the style's own
    # font, else the first font of the chain that has them.
    after: list[str | None] = [None] * len(fonts)
    following: str | None = None
    for i in range(len(fonts) - 1, -1, -1):
        after[i] = following
        if fonts[i] is not None:
            following = fonts[i]
    resolved: list[str] = []
    previous: str | None = None
    for i, char in enumerate(chars):
        font = fonts[i]
        if font is None:
            tried = (previous, after[i], own, *chain)
            font = next((f for f in tried if f is not None and covers(f, char)), own)
        resolved.append(font)
        previous = font
    return resolved


_TAG = re.compile(r"(<[^>]*>)")
_CHAR = re.compile(r"&#?\w+;|.", re.DOTALL)
_FACE = re.compile(r"""\b(?:face|name|fontName)\s*=\s*["']([^"']+)["']""")


@dataclass(frozen=True, eq=False)
class Chains:
    """The font chains of one theme for one script; attached to the paragraph styles
    of an edition in that script (`fontChains`)."""

    theme: LoadedTheme
    script: str

    def chain(self, font_name: str) -> tuple[str, ...]:
        return self.theme.chain(self.script, font_name)

    def markup(self, markup: str, font_name: str) -> str:
        """ReportLab markup with every run its font does not start in wrapped in a
        `<font face>` tag; unchanged when the style's font covers the whole text."""
        return _markup(markup, font_name, self)


def apply(markup: str, style: Any) -> str:
    """`markup` as a paragraph in `style` must be written: runs in other scripts in
    their fonts. Styles of an edition whose script has no chain leave it as it is."""
    chains: Chains | None = getattr(style, "fontChains", None)
    return markup if chains is None else chains.markup(markup, style.fontName)


@lru_cache(maxsize=4096)
def _markup(markup: str, font_name: str, chains: Chains) -> str:
    from reportlab.lib.fonts import ps2tt, tt2ps

    covered = coverage(font_name)
    if covered is not None and covered.issuperset(_TAG.sub("", markup)):
        return markup  # the common case: nothing to switch
    stack = [ps2tt(font_name)]
    out: list[str] = []
    for piece in _TAG.split(markup):
        if piece.startswith("<"):
            out.append(piece)
            stack = _follow(piece, stack, ps2tt)
        elif piece:
            face = tt2ps(*stack[-1])
            chars = _CHAR.findall(piece)
            fonts = _fonts(
                [html.unescape(c) if len(c) > 1 else c for c in chars], chains.chain(face)
            )
            start = 0
            for i in range(1, len(chars) + 1):
                if i == len(chars) or fonts[i] != fonts[start]:
                    text = "".join(chars[start:i])
                    font = fonts[start]
                    out.append(text if font == face else f'<font face="{font}">{text}</font>')
                    start = i
    return "".join(out)


def _follow(tag: str, stack: list[Any], ps2tt: Any) -> list[Any]:
    """The (family, bold, italic) stack after a tag, as ReportLab's parser keeps it."""
    inside = tag[1:-1].strip()
    name = inside.split(None, 1)[0].rstrip("/").lower() if inside else ""
    if tag.startswith("</"):
        return stack[:-1] if len(stack) > 1 else stack
    if tag.endswith("/>") or not name:
        return stack
    family, bold, italic = stack[-1]
    if name in ("b", "strong"):
        bold = 1
    elif name in ("i", "em"):
        italic = 1
    elif name in ("font", "span"):
        face = _FACE.search(tag)
        if face:
            family, bold, italic = ps2tt(html.unescape(face.group(1)))
    return [*stack, (family, bold, italic)]


def string_width(text: str, font_name: str, size: float, chain: tuple[str, ...]) -> float:
    """The width of `text` set by `chain` (each run in its own font)."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    return float(sum(stringWidth(t, f, size) for f, t in runs(text, chain or (font_name,))))


def drawn_pieces(text: str, font: str, chain: tuple[str, ...]) -> Runs:
    """A single-line text's (font, text) runs: by `font`'s `chain` (:func:`runs`), or
    the whole text in `font` when it has none."""
    return runs(text, chain) if chain else ((font, text),)


@lru_cache(maxsize=8192)
def drawn_width(text: str, font: str, size: float, chain: tuple[str, ...], rtl: bool) -> float:
    """Points a single-line `text` takes as a label is drawn in `font` at `size` (a
    chart's, see factsheet.charts.rlbackend): each run in its own font of `chain`
    (Chinese in the CJK font, never in the Latin face that lacks it), and, on a page
    read right to left (`rtl`), a text holding right-to-left letters reordered and
    shaped as :func:`factsheet.layout.bidi.set_line` sets it. Whatever reserves room
    for a label and whatever places it measure here, so the room is the drawn width."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    from factsheet.layout import bidi

    pieces = drawn_pieces(text, font, chain)
    if rtl and bidi.has_rtl(text):
        return bidi.set_line([(t, f, f, size) for f, t in pieces])[1]
    return float(sum(stringWidth(t, f, size) for f, t in pieces))
