"""Where a run of text sits in a paragraph as it was set: the box of the n-th
occurrence of a text in a wrapped paragraph, in the paragraph's own coordinates (points
from its bottom-left corner), worked out from the lines ReportLab broke it into and the
same widths, indents, alignment and justification its drawing uses. A paragraph set
right to left is measured from the runs :mod:`factsheet.layout.rtl_draw` drew, so a
number inside Arabic text gets the box of its own glyphs. Used to record where each
printed figure was drawn (see :mod:`factsheet.render.boxes`); nothing here draws."""

from __future__ import annotations

import re
from typing import Any

from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_RIGHT
from reportlab.pdfbase.pdfmetrics import getAscentDescent, stringWidth

from factsheet.layout import bidi
from factsheet.layout.rtl_draw import line_pieces

Rect = tuple[float, float, float, float]  # x0, y0, x1, y1
_WHITE = re.compile(r"\s")
_NBSP = "\u00a0"


def normal(text: str) -> str:
    """Every kind of space as a plain space, one for one (offsets are kept)."""
    return _WHITE.sub(" ", text)


def occurrences(text: str, needle: str) -> list[int]:
    """Where `needle` starts in `text`, left to right, never overlapping."""
    found: list[int] = []
    if not needle:
        return found
    start = text.find(needle)
    while start >= 0:
        found.append(start)
        start = text.find(needle, start + len(needle))
    return found


def line_texts(para: Any) -> list[str]:
    """Each line of a wrapped paragraph as set, in logical order, spaces normalised."""
    lines = para.blPara
    return [normal("".join(p[0] for p in line_pieces(lines, line))) for line in lines.lines]


def span_boxes(
    para: Any, text: str | None, occurrence: int = 0, texts: list[str] | None = None
) -> list[Rect]:
    """The box of the `occurrence`-th `text` in the wrapped `para` (one per line it
    takes, normally one), or of each whole line when `text` is None; empty when the
    lines do not hold it. `texts`: the paragraph's :func:`line_texts`, if known."""
    texts = line_texts(para) if texts is None else texts
    if text is None:
        wanted = [(n, 0, len(t.rstrip())) for n, t in enumerate(texts) if t.strip()]
    else:
        wanted = _find(texts, normal(text), occurrence)
    if not wanted:
        return []
    if getattr(para.style, "rtl", False) and getattr(para, "_rtl_set", None) is not None:
        return [_rtl_box(para, n, start, end) for n, start, end in wanted]
    return [_ltr_box(para, n, start, end) for n, start, end in wanted]


def _find(texts: list[str], needle: str, occurrence: int) -> list[tuple[int, int, int]]:
    seen = 0
    for number, line in enumerate(texts):
        for start in occurrences(line, needle):
            if seen == occurrence:
                return [(number, start, start + len(needle))]
            seen += 1
    return []


def _ltr_box(para: Any, number: int, start: int, end: int) -> Rect:
    """As ReportLab's drawPara sets line `number`: from the left indent (and the first
    line's indent), moved right by the line's spare room when aligned right or centred,
    or with the spare room shared between its spaces when justified."""
    style, lines = para.style, para.blPara
    line = lines.lines[number]
    pieces = line_pieces(lines, line)
    extra = line[0] if lines.kind == 0 else line.extraSpace
    text = normal("".join(p[0] for p in pieces))
    x = float(style.leftIndent) + (float(style.firstLineIndent) if number == 0 else 0.0)
    spaces = text.rstrip().count(" ")
    word_space = 0.0
    last = number == len(lines.lines) - 1 and not getattr(para, "_JustifyLast", False)
    if style.alignment == TA_JUSTIFY:
        simple = abs(extra) <= 1e-8 or (last and extra > -1e-8)
        simple = simple or bool(getattr(line, "lineBreak", False))
    else:
        simple = extra > -1e-8
    if not simple and spaces:
        word_space = extra / spaces
    elif simple and style.alignment == TA_RIGHT:
        x += extra
    elif simple and style.alignment == TA_CENTER:
        x += extra / 2
    left = x + _width(pieces, start) + word_space * text[:start].count(" ")
    right = x + _width(pieces, end) + word_space * text[:end].count(" ")
    bottom, top = _vertical(para, number, pieces, start)
    return (left, bottom, right, top)


def _width(pieces: list[Any], upto: int) -> float:
    """Points the first `upto` characters of a line take, each piece in its font."""
    width, seen = 0.0, 0
    for text, _, font, size in pieces:
        if seen >= upto:
            break
        part = text[: upto - seen]
        width += stringWidth(part, font, size)
        seen += len(text)
    return width


def _vertical(para: Any, number: int, pieces: list[Any], start: int) -> tuple[float, float]:
    """The bottom and top of line `number`'s glyphs: its baseline (as drawPara puts
    the first one, then a leading lower each) less the font's descent, plus its
    ascent (never more than its size: some fonts claim room for tall marks)."""
    lines = para.blPara
    first = lines if lines.kind == 0 else lines.lines[0]
    baseline = para.height - getattr(first, "ascent", first.fontSize)
    baseline -= number * float(para.style.leading)
    return _glyph_band(baseline, _piece_at(pieces, start))


def _piece_at(pieces: list[Any], offset: int) -> Any:
    seen = 0
    for piece in pieces:
        seen += len(piece[0])
        if offset < seen:
            return piece
    return pieces[-1]


def _glyph_band(baseline: float, piece: Any) -> tuple[float, float]:
    font, size = piece[2], float(piece[3])
    ascent, descent = getAscentDescent(font, size)
    return baseline + min(descent, 0.0), baseline + min(ascent, size)


def _rtl_box(para: Any, number: int, start: int, end: int) -> Rect:
    """From the runs drawn for line `number` (see rtl_draw): each run's logical
    characters and where it was set; a run partly in the span is measured shaped."""
    lines = para.blPara
    pieces = line_pieces(lines, lines.lines[number])
    drawn = para._rtl_set[1][number]
    placed, _ = bidi.set_line(pieces)
    text = "".join(p[0] for p in pieces)
    boxes: list[tuple[float, float]] = []
    for run, shaped in zip(drawn.runs, placed, strict=True):
        first, stop = shaped.run.start, shaped.run.end
        if stop <= start or first >= end:
            continue
        chunk = text[first:stop]
        low, high = max(start, first) - first, min(end, stop) - first
        if low == 0 and high == len(chunk):
            boxes.append((run.x, run.x + run.width))
            continue
        font, size = pieces[shaped.run.piece][2], float(pieces[shaped.run.piece][3])
        before = bidi.width(chunk[:low], font, size, shaped.run.rtl)
        inside = bidi.width(chunk[low:high], font, size, shaped.run.rtl)
        if shaped.run.rtl:
            right = run.x + run.width - before
            boxes.append((right - inside, right))
        else:
            boxes.append((run.x + before, run.x + before + inside))
    if not boxes:
        left = right = 0.0
    else:
        left, right = min(b[0] for b in boxes), max(b[1] for b in boxes)
    bottom, top = _glyph_band(drawn.y, _piece_at(pieces, start))
    return (left, bottom, right, top)
