"""Where a word too long for its line breaks: a web address, a file path or an e-mail
address wider than its column is broken after a `/`, `.`, `-`, `?`, `&`, `=` (and
similar) that lets each piece fill its line, else between any two characters, so no
text is ever drawn past the edge of its frame. No hyphen is added: a hyphen inside an
address would change it.

ReportLab breaks such a word once, at a `/` or by its hyphenation dictionary, and then
never breaks the rest again however long it is (a long address ran across the column
gap). :func:`install` routes every word wider than a whole line to one splitter here,
for plain and for styled (linked, bold) text alike. It is installed once per process,
when the layout modules are imported; words that fit a line are not touched.

A number is never broken, in any language or script: a line never breaks at a no-break
space (U+00A0, U+202F, U+2007, which French and other languages write between groups
of digits and before `%`; ReportLab broke at U+202F), and a number wider than its whole
line is a :class:`~factsheet.errors.LayoutError` rather than pieces ("109,262,17 / 8")."""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from typing import Any

from factsheet.errors import LayoutError

NO_BREAK = "\u00a0\u202f\u2007"
"""Spaces a line never breaks at (Unicode's class GL)."""
# ReportLab's own list of spaces (its `_wsc`), less U+202F and U+2007.
_BREAKABLE = re.compile(
    "[\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f \x85\u1680\u2000-\u2006\u2008-\u200b\u2028\u2029\u205f\u3000]+"
)
NUMBER = re.compile(
    r"[(\[]?[^\W\d_]{0,3}\W{0,2}[+\-\u2212]?\d[\d.,'\u2019\u066b\u066c" + NO_BREAK + r"]*"
    r"[%\u2030\u066a]?\W{0,3}[^\W\d_]{0,3}[)\].,;:!?]?"
)
"""A word that is a number as printed: `109,262,178`, `−5.2%`, `US$32,885`, `+1.2M`,
`72\u202f%`, Arabic-Indic `١٢٣٬٤٥٦` (digits with their group and decimal marks, a
sign, a currency or unit of a few characters, a closing bracket or stop)."""


def is_number(word: str) -> bool:
    """Whether `word` is a printed number, which must never be broken."""
    return any(c.isdigit() for c in word) and NUMBER.fullmatch(word) is not None


def split_words(text: str, delim: str | None = None) -> list[str]:
    """ReportLab's word split, except at no-break spaces."""
    if isinstance(text, bytes):
        text = text.decode("utf8")
    if delim is not None:
        return text.split(delim)
    if not any(space in text for space in NO_BREAK):
        return text.split()  # ReportLab's own split, and the fastest
    return _BREAKABLE.split(text)  # as ReportLab splits text holding U+00A0, less U+202F


class UnbrokenNumber(LayoutError):
    """A number wider than its whole line: the page flow locates it at its block."""


def unbreakable(word: str, width: float, room: float) -> UnbrokenNumber:
    """The error for a number wider than its whole line."""
    return UnbrokenNumber(
        f"the number '{word}' needs {width:.0f}pt on one line, but its line has room for "
        f"{room:.0f}pt: a number is never broken across lines",
        hint="give the block more room (fewer columns, `span: page`), a smaller text "
        "style, or print the number shorter (`format: {style: compact}` on its figure)",
    )


BREAK_AFTER = frozenset("/.-?&=_#:;,+~@|\\")
"""Characters after which a too-long word may break."""


def pieces(text: str, widths: Sequence[float], rooms: Iterator[float]) -> list[str]:
    """`text` (whose characters are `widths` wide) cut into pieces that each fit the
    room of its line (`rooms` gives the room
    of the first line, then of each next one), each cut after the last break character
    that fits, else after the last character that fits. A first piece may be empty
    when not one character fits in what is left of the first line."""
    out: list[str] = []
    start, room = 0, next(rooms)
    while True:
        total, end, cut = 0.0, start, 0
        while end < len(text) and total + widths[end] <= room + 1e-6:
            total += widths[end]
            end += 1
            if text[end - 1] in BREAK_AFTER and end < len(text):
                cut = end
        if end == len(text):
            out.append(text[start:])
            return out
        if end == start and not out:
            out.append("")  # nothing fits what is left of this line: start the next
        else:
            end = cut if cut > start else max(end, start + 1)
            out.append(text[start:end])
            start = end
        room = next(rooms)


def _rooms(first: float, widths: Sequence[float], line: int) -> Iterator[float]:
    yield first
    last = len(widths) - 1
    while True:
        line += 1
        yield widths[min(last, line)]


def _runs(text: str, owner: Sequence[Any], start: int, end: int) -> list[tuple[Any, str]]:
    """Characters start:end as (frag, text) runs, one per stretch of one frag; an empty
    piece is one empty run of the frag it starts in."""
    spans: list[tuple[Any, str]] = []
    for i in range(start, end):
        if spans and owner[i] is spans[-1][0]:
            spans[-1] = (owner[i], spans[-1][1] + text[i])
        else:
            spans.append((owner[i], text[i]))
    runs = []
    for frag, run in spans or [(owner[min(start, len(owner) - 1)], "")]:
        clone = frag.clone()
        clone.text = run
        runs.append((clone, run))
    return runs


_INSTALLED: list[bool] = []


def install() -> None:
    """Route ReportLab's breaking of over-long words through :func:`pieces` (once)."""
    if _INSTALLED:
        return
    _INSTALLED.append(True)
    from reportlab.pdfbase.pdfmetrics import stringWidth
    from reportlab.platypus import paragraph as rl

    split_word, split_frag_word = rl._splitWord, rl._splitFragWord
    rl.split = split_words  # never at a no-break space
    hy_pair, hy_frags_pair = rl._hyGenPair, rl._hyGenFragsPair

    def _hy_gen_pair(hyphenator: Any, s: str, ww: float, new: float, limit: float, *a: Any) -> Any:
        # A word wider than a whole line: ReportLab would break it once and leave a
        # tail that may still be too wide; the long-word splitter below breaks it all.
        return None if ww > limit else hy_pair(hyphenator, s, ww, new, limit, *a)

    def _hy_gen_frags_pair(hyphenator: Any, fw: Any, new: float, limit: float, *a: Any) -> Any:
        return None if fw[0] > limit else hy_frags_pair(hyphenator, fw, new, limit, *a)

    def _split_word(w: Any, line_width: float, widths: Any, line: int, font: str, size: float,
                    encoding: str = "utf8") -> list[Any]:  # fmt: skip
        if is_number(str(w)):
            whole = stringWidth(str(w), font, size)
            raise unbreakable(str(w), whole, max(widths))
        if isinstance(w, bytes) or rl.isBidiStr(w):
            return list(split_word(w, line_width, widths, line, font, size, encoding))
        room = widths[min(len(widths) - 1, line)] - line_width
        sizes = [stringWidth(c, font, size) for c in str(w)]
        parts = pieces(str(w), sizes, _rooms(room, widths, line))
        return [rl._SplitWord(p) for p in parts[:-1]] + [rl._SplitWordEnd(parts[-1])]

    def _split_frag_word(w: Any, room: float, widths: Any, line: int) -> list[Any]:
        runs = list(w[1:])  # (frag, text) runs of one word: a link, `&`, bold parts
        if any(not isinstance(t, str) or getattr(f, "cbDefn", None) for f, t in runs):
            return list(split_frag_word(w, room, widths, line))
        owner = [f for f, t in runs for _ in t]  # the frag of each character
        text = "".join(t for _, t in runs)
        sizes = [stringWidth(c, f.fontName, f.fontSize) for c, f in zip(text, owner, strict=True)]
        if is_number(text):
            raise unbreakable(text, sum(sizes), max(widths))
        parts = pieces(text, sizes, _rooms(room, widths, line))
        out, start = [], 0
        last = rl._SplitFragHS if isinstance(w, rl._HSFrag) else rl._SplitFragH
        for n, part in enumerate(parts):
            end = start + len(part)
            kind = last if n == len(parts) - 1 else rl._SplitFrag
            out.append(kind([sum(sizes[start:end]), *_runs(text, owner, start, end)]))
            start = end
        return out

    rl._hyGenPair, rl._hyGenFragsPair = _hy_gen_pair, _hy_gen_frags_pair
    rl._splitWord, rl._splitFragWord = _split_word, _split_frag_word
