"""Where a chart's annotations go, in figure points, before anything is drawn. Over
vertical bars, lines and areas a note sits in a band reserved above the plot, centred
on its category but kept inside the figure, in as many rows as keep notes and leader
lines apart; a leader line runs down to just above the category's highest mark and its
value label. Beside horizontal bars and dots a note follows the value label on the
category's row. Pure functions on numbers; the frame reserves the room they return."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from factsheet.charts.axes import wrap
from factsheet.errors import LayoutError

GAP = 6.0  # points between a value label and a note beside it, and between notes
ROW_GAP = 2.0  # points between rows of notes
LIFT = 3.0  # points between the plot's top and the first row of notes


@dataclass(frozen=True)
class Placed:
    """A note set in the band above the plot: its (wrapped) text, its box's left edge
    and size, its row, and the x of the category it points at."""

    text: str
    left: float
    width: float
    height: float
    row: int
    x: float


def set_note(
    text: str, room: float, measure: Callable[[str], float], line: float
) -> tuple[str, float, float]:
    """(text with line breaks, width, height) of a note at most `room` points wide."""
    width = measure(text)
    if width <= room:
        return text, width, line
    wrapped = wrap(text, room, measure)
    if wrapped is None:
        raise LayoutError(
            f"the annotation '{text}' is {width:.0f}pt wide and cannot be wrapped to "
            f"fit the chart's {room:.0f}pt",
            hint="shorten it, or put it in the chart's `note`",
        )
    lines = wrapped.split("\n")
    return wrapped, max(measure(t) for t in lines), line * len(lines)


def stack_above(
    notes: Sequence[tuple[str, float, float, float]], figure_width: float
) -> tuple[list[Placed], list[float]]:
    """Place notes given as (text, width, height, category x) in rows above the plot.
    A box is centred on its category, or starts or ends at it, and never crosses the
    figure's edge; it goes in the lowest row where it touches no other box and no
    leader line of a note above it, and where no box below crosses its own leader.
    Narrow notes are placed first, so they take the low rows wide ones can step over.
    Returns the placed notes (in the order given) and the height of each row; raises
    LayoutError when notes are too crowded to be set apart."""
    placed: dict[int, Placed] = {}
    order = sorted(range(len(notes)), key=lambda n: (notes[n][1], n))
    for n in order:
        text, width, height, x = notes[n]
        others = [note[3] for m, note in enumerate(notes) if m != n]
        spot = _spot(list(placed.values()), width, x, others, figure_width)
        if spot is None:
            raise LayoutError(
                f"the annotation '{text}' cannot be set apart from the notes near it",
                hint="shorten the annotations, or put one of them in the chart's `note`",
            )
        left, row = spot
        placed[n] = Placed(text, left, width, height, row, x)
    heights = [0.0] * (max((p.row for p in placed.values()), default=-1) + 1)
    for note in placed.values():
        heights[note.row] = max(heights[note.row], note.height)
    return [placed[n] for n in range(len(notes))], heights


def _spot(
    placed: list[Placed], width: float, x: float, others: list[float], figure_width: float
) -> tuple[float, int] | None:
    """The lowest free (left edge, row) for a box `width` wide pointing at `x`; in a
    row, a box that leaves the other notes' categories uncovered is preferred, so their
    leader lines can pass it."""
    highest = figure_width - 1.0 - width
    edges = [min(max(e, 1.0), highest) for e in (x - width / 2, x - 4.0, x + 4.0 - width)]
    lefts = [left for left in edges if left <= x <= left + width]

    def covers(left: float) -> bool:
        return any(left - 2 <= other <= left + width + 2 for other in others)

    lefts.sort(key=covers)  # stable: centred first among equals
    for row in range(len(others) + 1):
        for left in lefts:
            if _free(placed, left, width, x, row):
                return left, row
    return None


def _free(placed: list[Placed], left: float, width: float, x: float, row: int) -> bool:
    for other in placed:
        overlaps = left < other.left + other.width + GAP and other.left < left + width + GAP
        if other.row == row and overlaps:
            return False
        # A leader runs down from its note through every row below it.
        if other.row > row and left - 2 <= other.x <= left + width + 2:
            return False
        if other.row < row and other.left - 2 <= x <= other.left + other.width + 2:
            return False
    return True


def band_height(heights: Sequence[float]) -> float:
    """The room rows of notes take above the plot (0 for none)."""
    if not heights:
        return 0.0
    return LIFT + sum(heights) + ROW_GAP * (len(heights) - 1)


def row_bottom(row: int, heights: Sequence[float], plot_top: float) -> float:
    """The y (figure points) of the foot of a row of notes."""
    return plot_top + LIFT + sum(heights[:row]) + ROW_GAP * row


def right_room(
    ends: Sequence[tuple[float, float]], left: float, right: float, figure_width: float
) -> float:
    """The right margin that keeps notes beside horizontal bars inside the figure.
    `ends` gives, per note, the fraction of the plot's width its bar (or dot) reaches
    and the points that follow it (value label, gap, note); the plot shrinks as the
    margin grows, and its bars with it."""
    wanted = right
    for fraction, after in ends:
        plot = figure_width - left - wanted
        overflow = left + fraction * plot + after - (figure_width - 1.0)
        if overflow > 0:
            wanted += overflow / fraction if fraction > 0 else overflow
    return wanted
