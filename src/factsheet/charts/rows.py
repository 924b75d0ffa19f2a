"""Measuring the horizontal kinds (bars and dots in rows): category labels beside the
rows, wrapped when long and never taller than a row, value labels after the bars,
bars no thicker than BAR_CAP × the text size, and notes after a row's value label with
the right margin they need to stay inside the figure."""

from __future__ import annotations

import math
from dataclasses import replace

from factsheet.charts import axes, notes
from factsheet.charts.geometry import (
    BAR_CAP,
    DOT_GAP,
    DOT_RADIUS,
    LABEL_PAD,
    MIN_PLOT,
    Extra,
    at,
    bottom_label,
    first_overlap,
    inside_labels,
    note_width,
    side_label,
    tick_exact,
    tick_unit,
    too_small,
    value_label_boxes,
    with_room,
)
from factsheet.charts.plot import (
    Frame,
    Margins,
    Note,
    Plot,
    axis_fmt,
    category,
    headroom,
    legend_layout,
)
from factsheet.errors import LayoutError


def measure_rows(plot: Plot, floor: Extra) -> tuple[Frame, Extra]:
    """The frame of a horizontal bar or dot chart whose margins are at least `floor`
    (left, right), and how much more room on the right its annotations want."""
    chart, data = plot.chart, plot.data
    width, height = plot.size
    bars = chart.type == "hbar"
    cats = _row_limits(plot)
    bottom = (1.0 if chart.labels else plot.text_line) + bottom_label(plot)
    top, columns = 1.0, 0
    labels, left = _row_labels(plot, height - bottom - top, cats, floor[0])
    if bars and not data.single:  # a legend above takes height from the rows
        columns, legend_room = legend_layout(plot, width - left)
        top += legend_room
        labels, left = _row_labels(plot, height - bottom - top, cats, floor[0])
    plot_height = height - bottom - top
    if plot_height < MIN_PLOT:
        raise at(too_small(plot_height), "height")
    limits, ticks, right = _value_axis(plot, left, floor[1])
    frame = Frame(
        Margins(left, right, bottom, top),
        value_limits=limits,
        ticks=ticks,
        category_limits=cats,
        labels=labels,
        thickness=_thickness(plot, plot_height / (cats[1] - cats[0])) if bars else 0.0,
        legend_columns=columns,
    )
    if bars and chart.labels and not chart.stacked:
        _check_value_labels(plot, frame, plot_height)
    beside, extra = _notes_beside(plot, frame)
    frame = replace(frame, notes=beside, inside=inside_labels(plot, frame) if bars else ())
    return frame, (0.0, extra)


def _check_value_labels(plot: Plot, frame: Frame, plot_height: float) -> None:
    """Labels of grouped bars, a thin bar apart, must not run into each other."""
    if first_overlap(value_label_boxes(plot, frame)) is not None:
        c0, c1 = frame.category_limits
        room = frame.thickness * plot_height / (c1 - c0)
        raise at(_rows_too_close(plot, room, plot.line(bold=True), plot_height), "height")


def _row_limits(plot: Plot) -> tuple[float, float]:
    count = len(plot.data.categories)
    if plot.chart.type != "hbar":
        return -0.6, count - 0.4
    spread = count - 1 + 0.6  # matplotlib's 5% margin either side of the bars
    return -0.3 - 0.05 * spread, count - 1 + 0.3 + 0.05 * spread


def _row_labels(
    plot: Plot, plot_height: float, cats: tuple[float, float], floor: float
) -> tuple[axes.Labels, float]:
    """The category labels for rows in a plot `plot_height` tall, and the left margin
    they take."""
    labels = _labels_beside(plot, plot_height / (cats[1] - cats[0]), plot.size[0])
    lines = [part for text in labels.texts for part in text.split("\n")]
    return labels, max(plot.width(lines) + 4 + side_label(plot), floor)


def _value_axis(
    plot: Plot, left: float, floor: float
) -> tuple[tuple[float, float], tuple[float, ...], float]:
    """Value limits, ticks (none when values are printed on the bars) and the right
    margin the value labels or the last tick take."""
    chart = plot.chart
    bars = chart.type == "hbar"
    values = plot.data.totals() if chart.stacked else plot.data.present()
    low, high = min([0.0, *values]), max([0.0, *values])
    texts = [plot.fmt(v) for v in values]
    if not chart.labels:  # read off an axis from round tick to round tick
        ticks = axes.round_limits(low, high, tick_unit(plot), exact=tick_exact(plot))
        last = axis_fmt(plot, ticks)(ticks[-1])
        right = max(plot.width([last]) / 2 + 1, 1.0 if bars else 4.0, floor)
        limits = (ticks[0], ticks[-1])
        if low < 0 and not bars:  # a dot on the left edge would touch its row's label
            limits = with_room(limits, (low, high), plot.size[0] - left - right, DOT_RADIUS + 1, 0)
        return limits, ticks, right
    factor = 1.0 if bars else 1.03
    limits = (low, headroom(values, factor) if high > 0 else 0.0)
    after = LABEL_PAD + 3 if bars else 9.0
    right = max(3.0 if chart.stacked else plot.width(texts, True) + after, floor)
    if low < 0:  # a label left of a bar (or dot) below zero, inside the plot
        room = plot.width(texts, True) + (5 if bars else DOT_GAP + 2)
        limits = with_room(limits, (low, high), plot.size[0] - left - right, room, 0.0)
    return limits, (), right


def _thickness(plot: Plot, pitch: float) -> float:
    """A bar's thickness in row steps: its share of the row, at most BAR_CAP × the
    text size (two rows in a tall chart stay bars, not slabs)."""
    groups = 1 if plot.data.single or plot.chart.stacked else len(plot.data.series)
    return min(0.6 / groups, BAR_CAP * plot.look.font_size / pitch)


def _labels_beside(plot: Plot, pitch: float, width: float) -> axes.Labels:
    """Category labels left of the rows: wrapped when the longest would take more than
    two fifths of the chart's width and the rows have room; never taller than a row."""
    data = plot.data
    line = plot.line()
    texts = list(data.categories)
    widths = [plot.width([t]) for t in texts]
    if max(widths) > width * 0.4:
        wrapped = [axes.wrap(t, width * 0.4, lambda s: plot.width([s])) for t in texts]
        if all(w is not None for w in wrapped):
            final = [w or "" for w in wrapped]
            lines = max(w.count("\n") + 1 for w in final)
            if lines * line <= pitch:
                return axes.Labels(tuple(final), lines=lines, depth=lines * line)
    tallest = max(line, plot.line(bold=True)) if plot.chart.labels else line
    if tallest > pitch:
        span = len(data.categories) + 0.1  # rows and the space around them, in row steps
        raise at(_rows_too_close(plot, pitch, tallest, pitch * span), "height")
    return axes.Labels(tuple(texts), lines=1, depth=line)


def _rows_too_close(plot: Plot, room: float, needed: float, plot_height: float) -> LayoutError:
    more = plot_height * (needed / room - 1) / 72 * 25.4
    return LayoutError(
        f"the chart's {len(plot.data.categories)} rows are too close for their labels: "
        f"each label has {room:.1f}pt and needs {needed:.1f}pt",
        hint=f"raise the chart's `height` by about {math.ceil(more)}mm, or show fewer "
        "categories with `top`",
    )


def _notes_beside(plot: Plot, frame: Frame) -> tuple[tuple[Note, ...], float]:
    """Notes on their category's row, after its value label; the right margin they
    need beyond the frame's."""
    chart, data = plot.chart, plot.data
    if not chart.annotations:
        return (), 0.0
    width, height = plot.size
    m = frame.margins
    low, high = frame.value_limits
    cats = frame.category_limits
    count = len(data.categories)
    measure = note_width(plot)
    plot_height = height - m.top - m.bottom
    placed, ends = [], []
    for spec in chart.annotations:
        index = data.categories.index(category(spec.at))
        column = [row[index] for row in data.values if row[index] == row[index]]
        end = sum(column) if chart.stacked else max(column)
        fraction = (max(end, 0.0) - low) / (high - low)
        after = _after_mark(plot, column) + notes.GAP
        text_width = measure(spec.text)
        ends.append((fraction, after + text_width))
        row = count - 1 - index
        y = m.bottom + (row - cats[0]) / (cats[1] - cats[0]) * plot_height
        placed.append((spec.text, fraction, after, y))
    wanted = notes.right_room(ends, m.left, m.right, width)
    plot_width = width - m.left - m.right
    if plot_width < width * 0.3 or wanted > width * 0.7:
        raise at(
            LayoutError(
                "the chart's annotations leave too little room for its bars",
                hint="shorten them, or put the remark in the chart's `note`",
            ),
            "annotations",
        )
    found = tuple(
        Note(text, m.left + fraction * plot_width + after, y, "left", "center")
        for text, fraction, after, y in placed
    )
    return found, wanted - m.right


def _after_mark(plot: Plot, column: list[float]) -> float:
    """Points right of a row's longest bar (or dot) that its value label takes."""
    chart = plot.chart
    if chart.type == "dot":
        return 3.0 + (6 + plot.width([plot.fmt(column[0])], True) if chart.labels else 0.0)
    if not chart.labels:
        return 0.0
    if chart.stacked:
        return 0.0
    return LABEL_PAD + plot.width([plot.fmt(v) for v in column], True)
