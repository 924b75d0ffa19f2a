"""Paragraphs set right to left. ReportLab breaks an RTL paragraph's lines in logical
order, as for any other; this module makes those breaks honest and draws the lines:

- :func:`break_lines` breaks with ReportLab at a width scaled so that every line,
  once shaped (joined Arabic letters are narrower than the isolated ones ReportLab
  measures), fills its width without passing it;
- :func:`draw_lines` sets each line with :func:`factsheet.layout.bidi.set_line`
  (visual runs, each shaped in its fragment's font, size and colour), aligned to the
  right (or as the style asks, start and end swapped by :mod:`factsheet.layout.styles`),
  justified with shaped widths, with link rectangles over the glyphs of each link.

The paragraph's logical text (for `/ActualText`) is the caller's (see
:class:`factsheet.layout.paragraph.Para`)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT
from reportlab.pdfbase.pdfmetrics import getAscent, stringWidth

from factsheet.layout import bidi

Piece = tuple[str, Any, str, float]
FIT_TRIES = 8
EPSILON = 0.01


def line_pieces(lines: Any, line: Any) -> list[Piece]:
    """A broken line as (text, fragment, font name, size) pieces in logical order."""
    if lines.kind == 0:
        return [(" ".join(line[1]), lines, lines.fontName, float(lines.fontSize))]
    return [
        (word.text, word, word.fontName, float(word.fontSize))
        for word in line.words
        if getattr(word, "text", "") and not hasattr(word, "cbDefn")
    ]


def line_width(lines: Any, line: Any) -> float:
    """Points a line takes once reordered and shaped."""
    return bidi.measure(line_pieces(lines, line))


def break_lines(
    breaker: Callable[[list[float]], Any], widths: list[float], frags: list[Any]
) -> Any:
    """ReportLab's lines for the frame `widths` (first line, later lines), broken by
    `breaker` at scaled widths until each shaped line fits its own width. The first
    scale is how much narrower the paragraph's text (`frags`) is once shaped; it
    shrinks until every line fits, and is never below 1 when lines fit at 1."""
    pieces = [
        (f.text, f, f.fontName, float(f.fontSize))
        for f in frags
        if getattr(f, "text", "") and not hasattr(f, "cbDefn")
    ]
    shaped_text = bidi.measure(pieces)
    measured_text = sum(stringWidth(text, font, size) for text, _, font, size in pieces)
    scale = max(1.0, measured_text / max(shaped_text, EPSILON))
    best = None
    for _ in range(FIT_TRIES):
        if scale <= 1.0 + EPSILON and best is not None:
            return best
        candidate = breaker([w * scale for w in widths])
        shaped = [line_width(candidate, line) for line in candidate.lines]
        if _fits(candidate, widths, shaped):
            return candidate
        if scale > 1.0 and best is None:  # at 1 it may fit: the floor to go back to
            at_one = breaker(widths)
            if _fits(at_one, widths, [line_width(at_one, line) for line in at_one.lines]):
                best = at_one
        over = max(s / _room(widths, n) for n, s in enumerate(shaped))
        scale = max(scale / over - 0.005, 0.5)
    if best is None:  # lines still too wide: break as narrow as the scale went
        return breaker([w * scale for w in widths])
    return best


def _room(widths: list[float], index: int) -> float:
    return widths[0] if index == 0 else widths[-1]


def _fits(lines: Any, widths: list[float], shaped: list[float]) -> bool:
    return all(s <= _room(widths, n) + EPSILON for n, s in enumerate(shaped))


def draw_lines(para: Any) -> None:
    """Draw a wrapped right-to-left paragraph on its canvas at the origin."""
    canvas, style, lines = para.canv, para.style, para.blPara
    count = len(lines.lines)
    if not count:
        return
    first = lines if lines.kind == 0 else lines.lines[0]
    # The first baseline sits where the style's own font puts it: Noto Sans Arabic's
    # ascent (1.37 em, for its tallest marks) would drop a line of Arabic-Indic digits
    # set large (a callout's number) onto the label below it.
    ascent = getattr(first, "ascent", first.fontSize)
    y = para.height - min(ascent, getAscent(style.fontName, style.fontSize))
    right = para.width - style.rightIndent
    justify_last = bool(getattr(para, "_JustifyLast", False))
    # A paragraph drawn again with the same lines (another edition, a rebuild) is set
    # again as it was: reordering and shaping are the costly part.
    key = (lines, right, justify_last)
    cached = getattr(para, "_rtl_set", None)
    if cached is None or cached[0] != key:
        cached = (key, _set_lines(para, right, y, justify_last))
        para._rtl_set = cached
    canvas.saveState()
    # One text object for the paragraph, as ReportLab sets it: text extractors read
    # the /ActualText around it once.
    text = canvas.beginText(0, 0)
    for placed, x, line_y in cached[1]:
        _draw_runs(text, placed, x, line_y, style)
    canvas.drawText(text)
    canvas.restoreState()


def _set_lines(
    para: Any, right: float, y: float, justify_last: bool
) -> list[tuple[list[bidi.Placed], float, float]]:
    """Each line's shaped runs in visual order, with where it starts and its baseline."""
    style, lines = para.style, para.blPara
    count = len(lines.lines)
    found = []
    for index, line in enumerate(lines.lines):
        room = right - style.leftIndent - (style.firstLineIndent if index == 0 else 0.0)
        pieces = line_pieces(lines, line)
        placed, width = bidi.set_line(pieces)
        # The first part of a split paragraph justifies its last line too.
        ends = index == count - 1 and not justify_last
        last = ends or bool(getattr(line, "lineBreak", False))
        if style.alignment == TA_JUSTIFY and not last:
            spaces = sum(len(g.glyphs.spaces) for g in placed)
            if spaces:
                placed, width = bidi.set_line(pieces, extra=(room - width) / spaces)
        found.append((placed, _start(style.alignment, room, width, last) + style.leftIndent, y))
        y -= style.leading
    return found


def _start(alignment: int, room: float, width: float, last: bool) -> float:
    """Where a line of `width` starts, from the left end of its `room`."""
    if alignment == TA_LEFT:
        return 0.0
    if alignment == TA_CENTER:
        return (room - width) / 2
    return room - width  # right aligned, and justified lines (the last one too)


def _draw_runs(text: Any, placed: list[bidi.Placed], x: float, y: float, style: Any) -> None:
    """One line's runs into the paragraph's text object, each at its own place."""
    for run in placed:
        frag: Any = run.piece
        font, size = frag.fontName, frag.fontSize
        text.setTextOrigin(x + run.x, y + float(getattr(frag, "rise", 0) or 0))
        if (font, size) != (text._fontname, text._fontsize):
            text.setFont(font, size, style.leading)
        text.setFillColor(frag.textColor)
        glyphs = run.glyphs
        if not glyphs.plain:
            text.textOut(glyphs.text)
        elif not glyphs.space_extra:
            text.textOut(str(glyphs.text))
        else:
            _words_out(text, glyphs, x + run.x, y + float(getattr(frag, "rise", 0) or 0))
        for _, url in getattr(frag, "link", None) or ():
            left, bottom = x + run.x, y - size / 8
            box = (left, bottom, left + run.glyphs.width, bottom + style.leading)
            _link(text._canvas, url, box)


def _words_out(text: Any, glyphs: bidi.Glyphs, x: float, y: float) -> None:
    """A justified run of plain glyphs: each stretch up to and including a space as
    plain text, the next one moved on by the space added after it."""
    plain = str(glyphs.text)
    start = 0
    for end in (*(index + 1 for index in glyphs.spaces), len(plain)):
        if end <= start:
            continue
        chunk = plain[start:end]
        text.setTextOrigin(x, y)
        text.textOut(chunk)
        x += stringWidth(chunk, text._fontname, text._fontsize) + glyphs.space_extra
        start = end


def _link(canvas: Any, url: str, box: tuple[float, float, float, float]) -> None:
    """A link annotation over `box`, as ReportLab's paragraphs make them."""
    if url.startswith("#"):
        canvas.linkRect("", url[1:], box, relative=1)
    elif url.startswith("document:"):
        canvas.linkRect("", url.split(":", 1)[1], box, relative=1)
    else:
        canvas.linkURL(url, box, relative=1, kind="URI")
