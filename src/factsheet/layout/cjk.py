"""Line breaking for Chinese and Japanese, which put no spaces between words: a line may
end between any two characters, except that no line starts with closing punctuation
("，", "。", "、", "）", "」", "：", "；", "？", "！" and the like) and none ends with
opening punctuation ("（", "「", "“"), and a Latin word or number inside the text is
never cut when it can move down whole.

ReportLab's own CJK wrap knows only part of these rules ("，", "：", "；", "？" and "！"
may start its lines, opening brackets may end them) and lets a closing mark hang past
the frame's edge. :func:`install` routes ReportLab's CJK wrap (styles with
`wordWrap='CJK'`) through :func:`line_ends` instead, which moves the character before
such a mark down with it: no line is ever wider than its frame."""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from typing import Any

CANNOT_START = frozenset(
    "，。、）」』】〕〗］｝〉》：；？！．・ー～…‥％"  # full-width closing marks
    "ぁぃぅぇぉっゃゅょゎァィゥェォッャュョヮヵヶ々"  # small kana and repeat marks
    ",.:;?!)]}%\u201d\u2019\u00b0\u2103"
)
"""Characters that never begin a line."""

CANNOT_END = frozenset("（「『【〔〖［｛〈《([{\u201c\u2018")
"""Characters that never end a line."""

BREAK = "\n"
"""A forced line break (`<br/>`) in the text given to :func:`line_ends`."""

_FUZZ = 1e-6


def _narrow(char: str) -> bool:
    """A character of a script written with spaces (a Latin letter, a digit, "." or
    "%"): text in such scripts breaks only at its spaces ("IOM", "2.81", "60%")."""
    return not char.isspace() and unicodedata.east_asian_width(char) not in ("W", "F")


def may_break(text: str, at: int) -> bool:
    """Whether a line may end before `text[at]` (0 < at < len(text))."""
    before, after = text[at - 1], text[at]
    if after in CANNOT_START or before in CANNOT_END or after.isspace():
        return False
    return not (_narrow(before) and _narrow(after))


def line_ends(text: str, widths: Sequence[float], max_widths: Sequence[float]) -> list[int]:
    """Where each line of `text` ends (an index past its last character), characters
    `widths` wide, line n at most `max_widths[n]` wide (the last width repeats). A
    BREAK ends its line. Each line is cut at the last place the rules allow that fits,
    else (a single word wider than the line) where it stops fitting; a space that does
    not fit stays at the end of its line, where it is not seen."""
    ends: list[int] = []
    start, n = 0, len(text)
    while start < n:
        room = max_widths[min(len(ends), len(max_widths) - 1)]
        total, i = 0.0, start
        while i < n and text[i] != BREAK and total + widths[i] <= room + _FUZZ:
            total += widths[i]
            i += 1
        if i < n and text[i] == BREAK:
            end = i + 1
        elif i == n:
            end = n
        elif text[i].isspace():
            end = i + 1
        else:
            end = i
            while end > start and not may_break(text, end):
                end -= 1
            if end == start:  # nothing allowed: cut where it overflows, at least one
                _never_a_number(text, widths, start, room)
                end = max(i, start + 1)
        ends.append(end)
        start = end
    return ends


def _never_a_number(text: str, widths: Sequence[float], start: int, room: float) -> None:
    """A Latin number too wide for a whole line is an error, never cut (as in text
    written with spaces, see :mod:`factsheet.layout.breaks`)."""
    from factsheet.layout.breaks import is_number, unbreakable

    end = start
    while end < len(text) and _narrow(text[end]):
        end += 1
    if is_number(text[start:end]):
        raise unbreakable(text[start:end], sum(widths[start:end]), room)


def _used(widths: Sequence[float], text: str, start: int, end: int) -> float:
    """The width of a line without the spaces and break at its end."""
    while end > start and (text[end - 1].isspace()):
        end -= 1
    return sum(widths[start:end])


_INSTALLED: list[bool] = []


def install() -> None:
    """Route ReportLab's CJK line breaking through :func:`line_ends` (once)."""
    if _INSTALLED:
        return
    _INSTALLED.append(True)
    from reportlab.lib.textsplit import getCharWidths
    from reportlab.platypus import paragraph as rl

    def word_split(
        word: str, max_widths: Any, font: str, size: float, encoding: str = "utf8"
    ) -> list[list[Any]]:
        if not isinstance(max_widths, list | tuple):
            max_widths = [max_widths]
        text = word.decode(encoding) if isinstance(word, bytes) else word
        widths = list(getCharWidths(text, font, size))
        lines, start = [], 0
        for n, end in enumerate(line_ends(text, widths, max_widths)):
            room = max_widths[min(n, len(max_widths) - 1)]
            lines.append([room - _used(widths, text, start, end), text[start:end]])
            start = end
        return lines

    def frag_split(frags: Any, max_widths: Any, calc_bounds: Any, encoding: str = "utf8") -> Any:
        units = []
        for frag in frags:
            text = frag.text.decode(encoding) if isinstance(frag.text, bytes) else frag.text
            units += (
                [rl.cjkU(c, frag, encoding) for c in text]
                if text
                else [rl.cjkU(text, frag, encoding)]
            )
        # An empty unit is a line break, or a picture (which is as wide as it says).
        text = "".join(
            u if u else (BREAK if hasattr(u.frag, "lineBreak") else "\ufffc") for u in units
        )
        widths = [u.width for u in units]
        lines, start = [], 0
        for n, end in enumerate(line_ends(text, widths, max_widths)):
            room = max_widths[min(n, len(max_widths) - 1)]
            used = _used(widths, text, start, end)
            broken = text[end - 1] == BREAK
            line = _runs(units[start:end])
            lines.append(rl.makeCJKParaLine(line, room, used, room - used, broken, calc_bounds))
            start = end
        return rl.ParaLines(kind=1, lines=lines)

    rl.wordSplit = word_split
    rl.cjkFragSplit = frag_split


class _Run(str):
    """Characters of one frag, handed to ReportLab's line maker as one unit."""

    frag: Any


def _runs(units: list[Any]) -> list[Any]:
    """A line's units with consecutive characters of one frag joined: ReportLab's line
    maker compares each unit's frag with the last and measures its font, and per
    character that was most of a Chinese paragraph's cost. The line it makes is the
    same. Empty units (a line break, a picture) stay on their own."""
    merged: list[Any] = []
    for unit in units:
        last = merged[-1] if merged else None
        if unit and last and last.frag is unit.frag and _joins(unit.frag):
            run = _Run(last + unit)
            run.frag = unit.frag
            merged[-1] = run
        else:
            merged.append(unit)
    return merged


def _joins(frag: Any) -> bool:
    """Whether ReportLab would join this frag's characters: not a line break's or a
    picture's (its `sameFrag` never does)."""
    held = vars(frag)
    return "lineBreak" not in held and "cbDefn" not in held
