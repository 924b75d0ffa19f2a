"""Paragraphs set right to left. ReportLab breaks an RTL paragraph's lines in logical
order, as for any other; this module makes those breaks honest and draws the lines:

- :func:`break_lines` has ReportLab's breaker measure every word shaped (joined
  Arabic letters are narrower than the isolated ones ReportLab measures), in one
  pass, so each line takes as many words as fit it once shaped, and never more;
- :func:`draw_lines` sets each line with :func:`factsheet.layout.bidi.set_line`
  (visual runs, each shaped in its fragment's font, size and colour), aligned to the
  right (or as the style asks, start and end swapped by :mod:`factsheet.layout.styles`),
  justified by widening its spaces, with link rectangles over the glyphs of each
  link, and writes each run as one array of glyphs (:mod:`factsheet.layout.shown`).

The paragraph's logical text (for `/ActualText`) is the caller's (see
:class:`factsheet.layout.paragraph.Para`)."""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache
from typing import Any, NamedTuple

from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase.pdfmetrics import getAscent, stringWidth
from reportlab.platypus import paragraph as rl_paragraph

from factsheet.layout import bidi, shown

Piece = tuple[str, Any, str, float]


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


def break_lines(para: Any, breaker: Callable[[Any], Any], width: Any) -> Any:
    """ReportLab's lines of `para` for the frame `width` (one width, or the first
    line's and the later ones'), broken by `breaker` (ReportLab's own breaker) with
    every word measured as it will be drawn: shaped, so joined Arabic letters (narrower
    than the isolated ones ReportLab measures) fill the lines. Spaces are never
    shrunk to fit one more word, so no line passes its width."""
    style = para.style
    measure = rl_paragraph.stringWidth
    # ReportLab's breaker reads its measure from its module and the shrinkage from
    # the paragraph's style: both are swapped for this one call (a build runs in one
    # thread of its process; editions run in processes of their own).
    para.style = _unshrunk(style) if style.spaceShrinkage else style
    rl_paragraph.stringWidth = _shaped_width
    try:
        return breaker(width)
    finally:
        rl_paragraph.stringWidth = measure
        para.style = style


def _shaped_width(text: Any, font_name: str, size: float, encoding: str = "utf8") -> float:
    """ReportLab's `stringWidth`, shaped (what the breaker above measures with)."""
    if not isinstance(text, str):
        return float(stringWidth(text, font_name, size, encoding))
    return bidi.words_width(text, font_name, float(size))


@lru_cache(maxsize=256)
def _unshrunk(style: ParagraphStyle) -> ParagraphStyle:
    made = ParagraphStyle(f"{style.name}~", parent=style, spaceShrinkage=0)
    made.rtl = 1  # ReportLab copies only its own attributes from the parent
    return made


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
    colour = None
    for line in cached[1]:
        for run in line.runs:
            frag = run.frag
            text.setTextOrigin(run.x, line.y + float(getattr(frag, "rise", 0) or 0))
            if (frag.fontName, frag.fontSize) != (text._fontname, text._fontsize):
                text.setFont(frag.fontName, frag.fontSize, style.leading)
            if frag.textColor is not colour:
                text.setFillColor(frag.textColor)
                colour = frag.textColor
            shown.show(text, run.glyphs, line.extra)
            for _, url in getattr(frag, "link", None) or ():
                bottom = line.y - frag.fontSize / 8
                _link(canvas, url, (run.x, bottom, run.x + run.width, bottom + style.leading))
    canvas.drawText(text)
    canvas.restoreState()


class SetRun(NamedTuple):
    """A run of a line as it is drawn."""

    x: float  # where it starts, from the paragraph's left
    width: float  # the spaces added to justify the line included
    glyphs: bidi.Glyphs
    frag: Any  # ReportLab's fragment: font, size, colour, rise, links


class SetLine(NamedTuple):
    """A line as it is drawn: its baseline, the points added after each space (a
    justified line) and its runs from left to right."""

    y: float
    extra: float
    runs: tuple[SetRun, ...]


def _set_lines(para: Any, right: float, y: float, justify_last: bool) -> list[SetLine]:
    """Each line's shaped runs in visual order, where each starts, and its baseline."""
    style, lines = para.style, para.blPara
    count = len(lines.lines)
    found = []
    for index, line in enumerate(lines.lines):
        room = right - style.leftIndent - (style.firstLineIndent if index == 0 else 0.0)
        placed, width = bidi.set_line(line_pieces(lines, line))
        # The first part of a split paragraph justifies its last line too.
        ends = index == count - 1 and not justify_last
        last = ends or bool(getattr(line, "lineBreak", False))
        spaces = sum(len(p.glyphs.spaces) for p in placed)
        extra = 0.0
        if style.alignment == TA_JUSTIFY and not last and spaces:
            extra = (room - width) / spaces
        x = _start(style.alignment, room, width + extra * spaces, last) + style.leftIndent
        runs = []
        for run in placed:
            run_width = run.glyphs.width + extra * len(run.glyphs.spaces)
            runs.append(SetRun(x, run_width, run.glyphs, run.piece))
            x += run_width
        found.append(SetLine(y, extra, tuple(runs)))
        y -= style.leading
    return found


def _start(alignment: int, room: float, width: float, last: bool) -> float:
    """Where a line of `width` starts, from the left end of its `room`."""
    if alignment == TA_LEFT:
        return 0.0
    if alignment == TA_CENTER:
        return (room - width) / 2
    return room - width  # right aligned, and justified lines (the last one too)


def _link(canvas: Any, url: str, box: tuple[float, float, float, float]) -> None:
    """A link annotation over `box`, as ReportLab's paragraphs make them."""
    if url.startswith("#"):
        canvas.linkRect("", url[1:], box, relative=1)
    elif url.startswith("document:"):
        canvas.linkRect("", url.split(":", 1)[1], box, relative=1)
    else:
        canvas.linkURL(url, box, relative=1, kind="URI")
