"""ReportLab paragraph styles built from a theme's text styles, once per theme and
process. Style objects are shared and never mutated; a block that needs a variant
asks for a copy with :func:`variant`."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from reportlab.lib.colors import HexColor
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT, TA_RIGHT
from reportlab.lib.styles import ParagraphStyle

from factsheet.layout import breaks, cjk, hyphens
from factsheet.layout.scripts import CJK_SCRIPTS, Chains
from factsheet.theme import LoadedTheme
from factsheet.theme_model import TextStyle

breaks.install()  # long words break at `/`, `.` and the like, never past the frame
cjk.install()  # Chinese and Japanese lines keep their punctuation rules

_ALIGN = {"left": TA_LEFT, "right": TA_RIGHT, "centre": TA_CENTER, "justify": TA_JUSTIFY}


def paragraph_style(theme: LoadedTheme, role: str, language: str = "") -> ParagraphStyle:
    """The ParagraphStyle for a role named in the theme's `styles`. Justified styles
    are hyphenated with the dictionary for `language` (a BCP 47 tag), when one exists.
    Chinese and Japanese break lines between characters and are never hyphenated; an
    edition whose script has a font chain in the theme switches fonts per run (see
    :mod:`factsheet.layout.scripts`). In a right-to-left language the style is set right
    to left (its `rtl`, read by :class:`factsheet.layout.paragraph.Para`), and left and
    right alignment swap: a theme's `left` means where lines start."""
    script = edition_script(theme, language)
    hyphenate = "" if script in CJK_SCRIPTS else hyphenation_language(language)
    return _styles(theme, hyphenate, script, is_rtl(language))[role]


@lru_cache(maxsize=64)
def edition_script(theme: LoadedTheme, language: str) -> str:
    """The script of `language` when it changes how text is set with this theme (a
    font chain, sizes of its own, or line breaking between characters), else ""."""
    if not language:
        return ""
    from factsheet.language import language as facts

    script = facts(language).script
    known = script in theme.theme.scripts or script in theme.theme.script_text
    return script if script in CJK_SCRIPTS or known else ""


@lru_cache(maxsize=32)
def is_rtl(language: str) -> bool:
    """Whether `language` (a BCP 47 tag, "" for none) reads right to left."""
    if not language:
        return False
    from factsheet.language import language as facts

    return facts(language).rtl


def right_to_left(style: ParagraphStyle) -> ParagraphStyle:
    """`style` set right to left, its left and right alignment swapped."""
    swapped = {TA_LEFT: TA_RIGHT, TA_RIGHT: TA_LEFT}.get(style.alignment, style.alignment)
    return variant(style, rtl=1, alignment=swapped)


def start_end(rtl: bool) -> tuple[int, int]:
    """The alignments of a line's start and end: left and right, or the other way."""
    return (TA_RIGHT, TA_LEFT) if rtl else (TA_LEFT, TA_RIGHT)


@lru_cache(maxsize=32)
def hyphenation_language(language: str) -> str:
    """The hyphenation dictionary for a BCP 47 tag (`en`, `fr-CA`), or "" for none."""
    if not language:
        return ""
    import pyphen

    return pyphen.language_fallback(language.replace("-", "_")) or ""


def variant(style: ParagraphStyle, **changes: Any) -> ParagraphStyle:
    """A copy of `style` with some attributes changed; the original stays as it was.
    The same variant of the same style is the same object, so paragraphs set in it can
    be shared (see :func:`factsheet.layout.paragraph.shared_para`)."""
    return _variant(style, tuple(sorted(changes.items())))


@lru_cache(maxsize=256)
def _variant(style: ParagraphStyle, changes: tuple[tuple[str, Any], ...]) -> ParagraphStyle:
    made = ParagraphStyle(f"{style.name}*", parent=style, **dict(changes))
    if getattr(style, "rtl", False) and "rtl" not in dict(changes):
        made.rtl = 1  # ReportLab copies only its own attributes from the parent
    return made


@lru_cache(maxsize=16)
def _styles(
    theme: LoadedTheme, hyphenate: str, script: str, rtl: bool = False
) -> dict[str, ParagraphStyle]:
    styles = {role: _make(theme, role, text, hyphenate, rtl) for role, text in theme.theme.styles}
    if script in CJK_SCRIPTS:
        for style in styles.values():
            style.wordWrap = "CJK"  # (being made: not yet shared)
    if script in theme.theme.scripts:
        chains = Chains(theme, script)
        for style in styles.values():
            style.fontChains = chains  # read by scripts.apply; copied into variants
    scale = theme.theme.script_text.get(script)
    if scale is not None:
        for style in styles.values():
            style.fontSize = round(style.fontSize * scale.size, 2)
            style.leading = round(style.leading * scale.leading, 2)
    return styles


def _make(
    theme: LoadedTheme, role: str, text: TextStyle, hyphenate: str, rtl: bool
) -> ParagraphStyle:
    # Only justified text is hyphenated: ragged text has no gaps to close, and a broken
    # word in a quote or a title reads badly.
    justified = text.align == "justify"
    # The project folder holds assets/: its build cache remembers the breaks found.
    hyphenator = hyphens.hyphenator(hyphenate, theme.assets.parent) if hyphenate else ""
    alignment = _ALIGN[text.align]
    extra: dict[str, Any] = {}
    if rtl:
        alignment = {TA_LEFT: TA_RIGHT, TA_RIGHT: TA_LEFT}.get(alignment, alignment)
        extra["rtl"] = 1
    return ParagraphStyle(
        role,
        fontName=theme.style_font(text),
        fontSize=text.size,
        leading=text.leading or round(text.size * 1.35, 2),
        textColor=HexColor(theme.theme.colour(text.colour)),
        spaceBefore=text.space_before,
        spaceAfter=text.space_after,
        alignment=alignment,
        allowWidows=0,
        allowOrphans=0,
        splitLongWords=1,
        hyphenationLang=hyphenator if justified else "",
        embeddedHyphenation=1,
        uriWasteReduce=0.3,
        **extra,
    )
