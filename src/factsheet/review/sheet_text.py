"""Lines of text on the proof sheet, set as factsheet pages set theirs: each character
in the first font of the theme's chains that has it (:mod:`factsheet.layout.scripts`),
so an edition label holding Arabic or Chinese key values finds the theme's Arabic or
Chinese face; and a line holding right-to-left letters, or any line of a sheet read
right to left, reordered by the Unicode bidi algorithm and shaped by HarfBuzz
(:mod:`factsheet.layout.bidi`), written as glyphs with its logical text beside them
(`/ActualText`) for copying and screen readers. A character no font of the theme has
is never drawn in a substitute: :func:`Typesetter.missing` finds it first, and the
sheet refuses to be made."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

from factsheet.layout import bidi, scripts
from factsheet.theme import LoadedTheme

Align = Literal["start", "end"]
LRM = "\u200e"  # left-to-right mark: see Typesetter.ltr


@dataclass(frozen=True, eq=False)
class Typesetter:
    """Sets the sheet's lines with one theme, in a sheet read right to left (`rtl`) or
    not, whose own words are in `script`."""

    theme: LoadedTheme
    script: str
    rtl: bool

    def chain(self, text: str, font: str) -> tuple[str, ...]:
        """The fonts `text` is set with: the sheet script's chain, then, only when the
        text needs them, the theme's chains for its other scripts (a Chinese region
        name on an English sheet), the style's own font last."""
        own = self.theme.chain(self.script, font)
        if _covered(text, own):
            return own
        others = [
            name
            for script in self.theme.theme.scripts
            for name in self.theme.chain(script, font)[:-1]
        ]
        return tuple(dict.fromkeys([*own[:-1], *others, font]))

    def missing(self, text: str, font: str) -> str:
        """The characters of `text` that no font of its chain has ('' when none)."""
        chain = self.chain(text, font)
        return "".join(
            dict.fromkeys(c for c in text if not (c.isspace() or c == LRM or _any_covers(chain, c)))
        )

    def ltr(self, text: str) -> str:
        """`text` kept left to right as a whole inside a right-to-left line (a file
        name, a digest: `2021.yaml` would read `yaml.2021`), between left-to-right
        marks, which shaping hides; as it is on a left-to-right sheet."""
        return f"{LRM}{text}{LRM}" if self.rtl else text

    def width(self, text: str, font: str, size: float, rtl: bool | None = None) -> float:
        """Points `text` takes, set in a line read right to left (`rtl`; None: as the
        sheet is read)."""
        base = self.rtl if rtl is None else rtl
        pieces = scripts.drawn_pieces(text, font, self.chain(text, font))
        if base or bidi.has_rtl(text):
            return bidi.set_line([(t, f, f, size) for f, t in pieces], base)[1]
        return scripts.string_width(text, font, size, self.chain(text, font))

    def draw(self, canvas: Any, text: str, x: float, y: float, font: str, size: float,
             align: Align = "start", rtl: bool | None = None) -> float:  # fmt: skip
        """Draw one line with its start (`align` start) or end at `x` on the sheet's
        reading direction: the left edge of a left-to-right sheet's start, the right
        edge of a right-to-left one's. The line itself is read right to left (`rtl`)
        or not (None: as the sheet is). Returns the line's width."""
        from reportlab.pdfbase.pdfmetrics import stringWidth

        from factsheet.layout.paragraph import text_string
        from factsheet.layout.shown import show

        base = self.rtl if rtl is None else rtl
        pieces = scripts.drawn_pieces(text, font, self.chain(text, font))
        at_right = (align == "start") == self.rtl
        if not (base or bidi.has_rtl(text)):
            width = sum(stringWidth(t, f, size) for f, t in pieces)
            left = x - width if at_right else x
            for name, part in pieces:
                canvas.setFont(name, size)
                canvas.drawString(left, y, part)
                left += stringWidth(part, name, size)
            return float(width)
        placed, width = bidi.set_line([(t, f, f, size) for f, t in pieces], base)
        left = x - width if at_right else x
        spoken = text.replace(LRM, "")
        canvas.addLiteral(f"/Span <</ActualText <{text_string(spoken)}>>> BDC")
        line = canvas.beginText(0, 0)
        for run in placed:
            line.setTextOrigin(left + run.x, y)
            line.setFont(str(run.piece), size)
            show(line, run.glyphs)
        canvas.drawText(line)
        canvas.addLiteral("EMC")
        return width

    def wrap(
        self, text: str, font: str, size: float, width: float, rtl: bool | None = None
    ) -> list[str]:
        """`text` broken into lines no wider than `width`: between words, between
        characters of scripts written without spaces (Chinese), and inside a word
        only when it is wider than the line by itself."""
        lines: list[str] = []
        line = ""
        for token in _tokens(text):
            candidate = line + token
            if line and self.width(candidate.rstrip(), font, size, rtl) > width:
                lines.append(line.rstrip())
                line = token.lstrip()
            else:
                line = candidate
            while len(line) > 1 and self.width(line.rstrip(), font, size, rtl) > width:
                cut = _longest(line, lambda part: self.width(part, font, size, rtl) <= width)
                lines.append(line[:cut])
                line = line[cut:].lstrip()
        if line.strip():
            lines.append(line.rstrip())
        return lines


def _tokens(text: str) -> list[str]:
    """Words with the spaces after them; characters of CJK text one by one."""
    out: list[str] = []
    for word in text.split(" "):
        chars = list(word)
        if any(_cjk(c) for c in chars):
            out.extend(chars)
        else:
            out.append(word)
        out[-1:] = [out[-1] + " "] if out else []
    if out:
        out[-1] = out[-1][:-1]
    return [t for t in out if t]


def _longest(text: str, fits: Any) -> int:
    """The most leading characters of `text` that fit (at least one)."""
    cut = 1
    while cut < len(text) and fits(text[: cut + 1]):
        cut += 1
    return cut


def _cjk(char: str) -> bool:
    return "\u2e80" <= char <= "\u9fff" or "\uf900" <= char <= "\ufaff" or char >= "\U00020000"


def _any_covers(chain: Sequence[str], char: str) -> bool:
    return any(scripts.covers(font, char) for font in chain)


def _covered(text: str, chain: Sequence[str]) -> bool:
    return all(c.isspace() or c == LRM or _any_covers(chain, c) for c in text)


def first_strong_rtl(text: str) -> bool:
    """Whether `text` reads right to left by its first letter of a strong direction
    (the Unicode bidi algorithm's rule for text of no known direction, P2 and P3)."""
    import unicodedata

    for char in text:
        kind = unicodedata.bidirectional(char)
        if kind == "L":
            return False
        if kind in ("R", "AL"):
            return True
    return False
