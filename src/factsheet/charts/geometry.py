"""What measuring any chart kind shares: the constants of a chart's geometry, locating
an error inside a chart, value limits widened to hold their labels, the offsets of
grouped bars and whether a stacked segment holds its label. Pure functions on numbers
and font metrics (see :mod:`factsheet.charts.frame`)."""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence

from factsheet.charts.classes import unit_of
from factsheet.charts.plot import Frame, Plot, axis_step, text_width
from factsheet.errors import FactsheetError, LayoutError
from factsheet.location import Location

BAR_CAP = 4.0  # a bar is at most this many times the chart text's size thick
MIN_PLOT = 20.0  # points of plot a chart keeps after its labels and notes
LABEL_PAD = 2.0  # points between a bar's end and its value label
DOT_GAP = 6.0  # points from a dot's centre to its value label
DOT_RADIUS = 3.0  # a dot chart's dots, in points (matplotlib's s=36 is 6pt across)
LABELLED = 8  # a line of more points than this labels only its first and last

Extra = tuple[float, float]  # more room wanted on the left and on the right


def at(error: FactsheetError, *path: str | int) -> FactsheetError:
    """`error` located at a key path inside the chart (the block adds its own path)."""
    error.location = Location(key_path=path)
    return error


def too_small(plot_height: float) -> LayoutError:
    return LayoutError(
        f"the chart's labels, legend and annotations leave {plot_height:.0f}pt for its plot",
        hint="raise the chart's `height`, or shorten its labels",
    )


def tick_unit(plot: Plot) -> float | None:
    """The smallest step the chart's format prints at every size (0.1 with one decimal),
    which ticks must be multiples of; None when that step changes with the number
    (`compact`, or `significant` digits)."""
    fmt = plot.chart.format
    return None if fmt.significant is not None else unit_of(fmt)


def tick_exact(plot: Plot) -> Callable[[Sequence[float]], bool] | None:
    """Whether every tick of a set prints as the value it stands at, for formats whose
    step changes with the number (see :func:`tick_unit`), compact ones in the step the
    axis prints them in; None when the format has a fixed step or the chart cannot say
    what a label stands for."""
    printed = plot.printed
    if printed is None or tick_unit(plot) is not None:
        return None

    def exact(ticks: Sequence[float]) -> bool:
        step = axis_step(plot, ticks)
        return all(math.isclose(printed(t, step), t, rel_tol=1e-9, abs_tol=1e-12) for t in ticks)

    return exact


def side_label(plot: Plot) -> float:
    return plot.look.font_size * 1.25 + 3 if plot.chart.y_label else 0.0


def bottom_label(plot: Plot) -> float:
    return plot.look.font_size * 1.25 + 3 if plot.chart.x_label else 0.0


def with_room(
    limits: tuple[float, float],
    extremes: tuple[float, float],
    length: float,
    below: float,
    above: float,
) -> tuple[float, float]:
    """`limits` of an axis `length` points long, widened until `above` points fit over
    the highest value and `below` points under the lowest (for their value labels)."""
    if below + above >= length:
        raise too_small(length)
    low, high = limits
    lowest, highest = min(extremes[0], 0.0), max(extremes[1], 0.0)
    for _ in range(6):  # each step widens the scale a little less; six settle it
        per_point = (high - low) / length
        high = max(high, highest + above * per_point)
        low = min(low, lowest - below * per_point) if below else low
    return low, high


def line_limits(values: list[float]) -> tuple[float, float]:
    clean = [v for v in values if v == v] or [0.0]
    low, high = min(clean), max(clean)
    span = (high - low) or abs(high) or 1.0
    bottom = min(0.0, low) if 0 <= low < span else low - span * 0.25
    return bottom, high + span * 0.3


def extremes(plot: Plot) -> tuple[float, float]:
    """The lowest and highest value the marks reach (stacks: their totals)."""
    chart, data = plot.chart, plot.data
    stacked = chart.type == "area" or chart.stacked
    values = [v for v in (data.totals() if stacked else data.present()) if v == v] or [0.0]
    return min(values), max(values)


def column_values(plot: Plot, index: int) -> list[float]:
    """Every series' value at one category (NaN where a series has no row)."""
    return [row[index] for row in plot.data.values]


def note_width(plot: Plot) -> Callable[[str], float]:
    """The width of an annotation's text, set in italics as it is drawn."""
    look = plot.look
    font = look.italic_font or look.font
    return lambda text: text_width([text], font, look.label_size, look.chains, look.rtl)


def bar_offsets(plot: Plot, frame: Frame) -> list[float]:
    """Each series' bar offset from its category's position, in category steps."""
    data, chart = plot.data, plot.chart
    if data.single or chart.stacked:
        return [0.0] * len(data.series)
    count = len(data.series)
    return [(n - (count - 1) / 2) * frame.thickness for n in range(count)]


def inside_labels(plot: Plot, frame: Frame) -> tuple[tuple[bool, ...], ...]:
    """Stacked bars: whether each segment (by series, then category) is long and thick
    enough to hold its value label inside it."""
    chart, data = plot.chart, plot.data
    if not (chart.stacked and chart.labels):
        return ()
    horizontal = chart.type == "hbar"
    m = frame.margins
    (v0, v1), (c0, c1) = frame.value_limits, frame.category_limits
    width, height = plot.size
    wide, tall = width - m.left - m.right, height - m.top - m.bottom
    along = (wide if horizontal else tall) / (v1 - v0)
    thick = frame.thickness * (tall if horizontal else wide) / (c1 - c0)
    line = plot.line(bold=True)
    found = []
    for row in data.values:
        fits = []
        for value in row:
            if value != value:
                fits.append(False)
                continue
            size = plot.width([plot.fmt(value)], True) + 2
            length = abs(value) * along
            fits.append(
                size <= length and line <= thick + 1
                if horizontal
                else size <= thick and line <= length + 1
            )
        found.append(tuple(fits))
    return tuple(found)


LabelBox = tuple[float, float, float, float, str]  # left, bottom, right, top, text


def value_label_boxes(plot: Plot, frame: Frame) -> list[LabelBox]:
    """Where every value label printed at the end of a bar goes, in figure points."""
    data = plot.data
    horizontal = plot.chart.type == "hbar"
    m = frame.margins
    width, height = plot.size
    (c0, c1), (v0, v1) = frame.category_limits, frame.value_limits
    across = ((height - m.top - m.bottom) if horizontal else (width - m.left - m.right)) / (c1 - c0)
    along = ((width - m.left - m.right) if horizontal else (height - m.top - m.bottom)) / (v1 - v0)
    line = plot.line(bold=True)
    offsets = bar_offsets(plot, frame)
    boxes = []
    for s, row in enumerate(data.values):
        for c, value in enumerate(row):
            if value != value:
                continue
            text = plot.fmt(value)
            size = plot.width([text], True)
            slot = (len(row) - 1 - c if horizontal else c) + offsets[s]
            middle = (m.bottom if horizontal else m.left) + (slot - c0) * across
            end = (m.left if horizontal else m.bottom) + (value - v0) * along
            depth = size if horizontal else line  # the label's extent along the bar
            start = end + LABEL_PAD if value >= 0 else end - LABEL_PAD - depth
            if horizontal:
                boxes.append((start, middle - line / 2, start + size, middle + line / 2, text))
            else:
                boxes.append((middle - size / 2, start, middle + size / 2, start + line, text))
    return boxes


def first_overlap(boxes: list[LabelBox]) -> tuple[str, str] | None:
    """The texts of the first two boxes that overlap, if any do."""
    ordered = sorted(boxes)
    for n, (_, bottom, right, top, text) in enumerate(ordered):
        for left, other_bottom, _, other_top, other in ordered[n + 1 :]:
            if left >= right + 1:
                break
            if other_bottom < top and bottom < other_top:
                return text, other
    return None
