"""Measuring the upright kinds (vertical bars, lines and areas): category labels under
the plot that never touch (:func:`factsheet.charts.axes.category_labels`), value
labels that never run into each other or out of the figure, bars no thicker than
BAR_CAP × the text size, series named at the lines' ends, and notes in a band above
the plot with leader lines down to their category's marks."""

from __future__ import annotations

from dataclasses import replace

from factsheet.charts import axes, notes
from factsheet.charts.geometry import (
    BAR_CAP,
    LABEL_PAD,
    LABELLED,
    MIN_PLOT,
    Extra,
    at,
    bar_offsets,
    bottom_label,
    extremes,
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
    legend_layout,
)
from factsheet.errors import LayoutError

TICK_PAD = 3.0  # points between the value axis and its tick labels (see plot.rc_params)


def measure_columns(plot: Plot, floor: Extra) -> tuple[Frame, Extra]:
    """The frame of a vertical bar, line or area chart whose margins are at least
    `floor` (left, right), and how much more room its outermost labels want."""
    chart, data = plot.chart, plot.data
    width, height = plot.size
    bars = chart.type == "bar"
    cats = _category_limits(plot)
    hidden = bars and chart.labels  # values printed on the bars: no value axis
    ticks = (
        ()
        if hidden
        else axes.round_limits(*_data_range(plot), tick_unit(plot), exact=tick_exact(plot))
    )
    limits = _bar_range(plot) if hidden else (ticks[0], ticks[-1])
    left = max(_axis_width(plot, ticks, hidden), floor[0])
    right = max(1.0 if bars else _end_names_room(plot), floor[1])
    pitch = (width - left - right) / (cats[1] - cats[0])
    labels = _labels_below(plot, pitch)
    for _ in range(2 if ticks else 0):  # a narrower step may set the labels anew
        cats = _clear_of_ticks(plot, cats, labels, width - left - right)
        pitch = (width - left - right) / (cats[1] - cats[0])
        labels = _labels_below(plot, pitch)
    bottom = plot.text_line - plot.line() + labels.depth + bottom_label(plot)
    xs = [left + (i - cats[0]) * pitch for i in range(len(data.categories))]
    placed, rows = _notes_band(plot, xs)
    band = notes.band_height(rows)
    columns, legend_room = legend_layout(plot, width) if bars else (0, 0.0)
    # The top tick sits at the plot's top edge: room for half its label over it.
    top = (1.0 if hidden else plot.line() / 2 + 1) + band + legend_room
    plot_height = height - top - bottom
    if plot_height < MIN_PLOT:
        raise at(too_small(plot_height), "height")
    limits = _room_for_labels(plot, limits, plot_height, hidden)
    frame = Frame(
        Margins(left, right, bottom, top),
        value_limits=limits,
        ticks=ticks,
        category_limits=cats,
        labels=labels,
        thickness=_thickness(plot, pitch) if bars else 0.0,
        legend_columns=columns,
        legend_lift=band,
        ends=() if bars else _end_names(plot, limits, plot_height),
    )
    if bars:
        _check_value_labels(plot, frame)
        frame = replace(frame, inside=inside_labels(plot, frame))
    frame = replace(frame, notes=_leaders(plot, frame, placed, rows))
    return frame, _overhang(plot, frame)


def _slot(plot: Plot) -> float:
    """The share of a category step its bars take together (as matplotlib's own
    defaults have it: half a step, three quarters for grouped bars)."""
    grouped = not (plot.data.single or plot.chart.stacked)
    return 0.75 if grouped else 0.5


def _category_limits(plot: Plot) -> tuple[float, float]:
    count = len(plot.data.categories)
    if plot.chart.type != "bar":
        return -0.35, count - 0.65
    slot = _slot(plot)
    spread = count - 1 + slot  # matplotlib's 5% margin either side of the bars
    return -slot / 2 - 0.05 * spread, count - 1 + slot / 2 + 0.05 * spread


def _clear_of_ticks(
    plot: Plot, cats: tuple[float, float], labels: axes.Labels, plot_width: float
) -> tuple[float, float]:
    """Category limits that keep the first category label clear of the lowest tick
    label, which sits level with it at the plot's bottom left corner (a "0" touching
    "1960"): the first category moves right of the axis as far as its label needs."""
    shown = [i for i, text in enumerate(labels.texts) if text]
    if not shown:
        return cats
    first, (low, high) = shown[0], cats
    lines = labels.texts[first].split("\n")
    half = plot.line() / 2 if labels.upright else plot.width(lines) / 2
    needed = half - TICK_PAD + 1.5  # from the axis to the label's centre, in points
    if (first - low) * plot_width / (high - low) >= needed or needed >= plot_width / 2:
        return cats
    return first - needed * (high - first) / (plot_width - needed), high


def _axis_width(plot: Plot, ticks: tuple[float, ...], hidden: bool) -> float:
    """The left margin: the value axis's widest tick label, and the axis title."""
    fmt = axis_fmt(plot, ticks)
    labels = 1.0 if hidden else plot.width([fmt(t) for t in ticks]) + 4
    return labels + side_label(plot)


def _room_for_labels(
    plot: Plot, limits: tuple[float, float], plot_height: float, hidden: bool
) -> tuple[float, float]:
    """Value limits with room over the marks for the value labels printed above them
    (and under bars below zero)."""
    chart = plot.chart
    low, high = extremes(plot)
    line = plot.line(bold=True)
    if hidden:  # labels over bars above zero, under bars below it
        room = LABEL_PAD + line
        below = room if low < 0 else 0.0
        outside = (high > 0 or low >= 0) and not chart.stacked  # stacks label inside
        above = room if outside else LABEL_PAD
        return with_room(limits, (low, high), plot_height, below, above)
    if chart.type != "bar" and chart.labels and plot.data.single:
        return with_room(limits, (low, high), plot_height, 0.0, 5 + line)
    return limits


def _data_range(plot: Plot) -> tuple[float, float]:
    """The lowest and highest value a value axis must show: a line's own range (its
    axis need not include zero); bars and areas start at zero."""
    chart, data = plot.chart, plot.data
    if chart.type == "line":
        values = data.present()
        return min(values), max(values)
    values = data.totals() if chart.stacked or chart.type == "area" else data.present()
    return min([0.0, *values]), max([0.0, *values])


def _bar_range(plot: Plot) -> tuple[float, float]:
    """Value limits of bars labelled with their values (no axis): from the lowest bar
    (or zero) to the highest (or zero). The labels' room is added later, and nothing
    more: a band over the labels would read as a gap under the title."""
    values = plot.data.totals() if plot.chart.stacked else plot.data.present()
    low, high = min([0.0, *values]), max([0.0, *values])
    return low, (high if high > low else 1.0)


def _labels_below(plot: Plot, pitch: float) -> axes.Labels:
    chart, data = plot.chart, plot.data
    if pitch <= 0:  # the margins (value labels, tick labels) took the whole width
        raise at(
            LayoutError(
                "the chart's axis and value labels take its whole width, leaving no room "
                f"for its {len(data.categories)} categories",
                hint="print the values shorter with `format` (`style: compact` prints 1.2 "
                "billion as 1.2B), or make the chart wider",
            ),
            "y",
        )
    try:
        return axes.category_labels(
            data.categories,
            pitch,
            lambda text: plot.width([text]),
            plot.line(),
            plot.size[1],
            data.evenly_spaced,
        )
    except axes.LabelsDoNotFit as problem:
        hint = (
            "use `type: hbar`, which gives each label a line of its own, or shorten the labels"
            if chart.type == "bar"
            else "shorten the labels, show fewer categories (`top`), or make the chart wider"
        )
        raise at(
            LayoutError(
                f"the chart's {len(data.categories)} category labels would overlap: "
                f"{problem}, even with the labels wrapped or set upright",
                hint=hint,
            ),
            "x",
        ) from None


def _overhang(plot: Plot, frame: Frame) -> Extra:
    """More room on the left and right that the outermost labels under and over the
    plot (category labels, and value labels centred on the first and last points or
    bars) need to stay inside the figure."""
    width = plot.size[0]
    m = frame.margins
    c0, c1 = frame.category_limits
    plot_width = width - m.left - m.right
    left = right = 0.0
    for position, half in _centred_labels(plot, frame):
        x = m.left + (position - c0) / (c1 - c0) * plot_width
        lead = (x - m.left) / plot_width
        # A point of clearance: a glyph set flush with the edge reads as cut off.
        if half + 1 - x > 0.01:
            left = max(left, (half + 1 - x) / max(1 - lead, 0.05))
        if x + half + 1 - width > 0.01:
            right = max(right, (x + half + 1 - width) / max(lead, 0.05))
    return left, right


def _centred_labels(plot: Plot, frame: Frame) -> list[tuple[float, float]]:
    """(position in category steps, half width in points) of the labels centred on the
    first and last categories."""
    chart, data, labels = plot.chart, plot.data, frame.labels
    shown = [i for i, t in enumerate(labels.texts) if t]
    found = []
    for i in shown[:1] + shown[-1:]:
        lines = labels.texts[i].split("\n")
        half = plot.line() / 2 if labels.upright else plot.width(lines) / 2
        found.append((float(i), half))
    ends = [0, len(data.categories) - 1]
    if chart.type == "bar" and chart.labels and not chart.stacked:
        offsets = bar_offsets(plot, frame)
        for s, row in enumerate(data.values):
            for i in ends:
                if row[i] == row[i]:
                    found.append((i + offsets[s], plot.width([plot.fmt(row[i])], True) / 2))
    elif chart.type in ("line", "area") and chart.labels and data.single:
        # Past LABELLED points the end labels are set inwards, inside the plot.
        for i in ends if len(data.categories) <= LABELLED else []:
            value = data.values[0][i]
            if value == value:
                found.append((float(i), plot.width([plot.fmt(value)], True) / 2))
    return found


def _thickness(plot: Plot, pitch: float) -> float:
    """A bar's thickness in category steps: its share of the slot, at most BAR_CAP ×
    the text size (two bars in a wide chart stay bars, not slabs)."""
    groups = 1 if plot.data.single or plot.chart.stacked else len(plot.data.series)
    return min(_slot(plot) / groups, BAR_CAP * plot.look.font_size / pitch)


def _check_value_labels(plot: Plot, frame: Frame) -> None:
    """Value labels printed over bars must not run into each other."""
    if not plot.chart.labels or plot.chart.stacked:
        return
    clash = first_overlap(value_label_boxes(plot, frame))
    if clash is not None:
        raise at(
            LayoutError(
                f"the chart's value labels '{clash[0]}' and '{clash[1]}' would overlap: its "
                "bars are too narrow for them",
                hint="set `labels: false` to read values off an axis, or use `type: hbar`",
            ),
            "labels",
        )


def _end_names_room(plot: Plot) -> float:
    if plot.data.single:
        return 2.0
    return plot.width(list(plot.data.series), True) + 8


def _end_names(plot: Plot, limits: tuple[float, float], plot_height: float) -> tuple[float, ...]:
    """Where each series is named at the lines' right end (a stacked area: the middle of
    its band): as near its last value as names a line apart allow, inside the plot."""
    data = plot.data
    if data.single:
        return ()
    ends = []
    for row in data.values:
        present = [v for v in row if v == v]
        ends.append(present[-1] if present else 0.0)
    if plot.chart.type == "area":
        tops = [sum(ends[: n + 1]) for n in range(len(ends))]
        ends = [top - end / 2 for top, end in zip(tops, ends, strict=True)]
    low, high = limits
    gap = (high - low) * plot.line(bold=True) / plot_height
    return tuple(spread(ends, gap, low + gap / 2, high - gap / 2))


def spread(values: list[float], gap: float, low: float, high: float) -> list[float]:
    """Positions as close to `values` as possible, at least `gap` apart, kept between
    `low` and `high` while there is room for them all."""
    order = sorted(range(len(values)), key=values.__getitem__)
    placed = list(values)
    for n, i in enumerate(order):
        floor = low if n == 0 else placed[order[n - 1]] + gap
        placed[i] = max(placed[i], floor)
    for n in range(len(order) - 1, -1, -1):
        ceiling = high if n == len(order) - 1 else placed[order[n + 1]] - gap
        placed[order[n]] = min(placed[order[n]], ceiling)
    return placed


def _notes_band(plot: Plot, xs: list[float]) -> tuple[list[notes.Placed], list[float]]:
    chart, data = plot.chart, plot.data
    if not chart.annotations:
        return [], []
    width = plot.size[0]
    line = plot.line()
    boxes = []
    for note in chart.annotations:
        text, w, h = notes.set_note(note.text, width - 2, note_width(plot), line)
        boxes.append((text, w, h, xs[data.categories.index(category(note.at))]))
    return notes.stack_above(boxes, width)


def _leaders(
    plot: Plot, frame: Frame, placed: list[notes.Placed], rows: list[float]
) -> tuple[Note, ...]:
    """Notes above the plot with a leader down to the top of their category's marks
    (on a line chart that highlights a series, to that series' point)."""
    chart = plot.chart
    height = plot.size[1]
    m = frame.margins
    plot_top = height - m.top
    low, high = frame.value_limits
    scale = (plot_top - m.bottom) / (high - low)
    found = []
    for note, spec in zip(placed, chart.annotations, strict=True):
        index = plot.data.categories.index(category(spec.at))
        top = m.bottom + (_target(plot, index) - low) * scale + _above_mark(plot, index)
        foot = notes.row_bottom(note.row, rows, plot_top)
        leader = (note.x, foot - 1, note.x, top + 2) if foot - 1 > top + 3 else None
        found.append(Note(note.text, note.left + note.width / 2, foot, "center", "bottom", leader))
    return tuple(found)


def _target(plot: Plot, index: int) -> float:
    """The value a note at category `index` points down to."""
    chart, data = plot.chart, plot.data
    column = [row[index] for row in data.values if row[index] == row[index]]
    if chart.stacked or chart.type == "area":
        return max(sum(column), 0.0)
    if chart.type == "bar":
        return max(*column, 0.0)
    wanted = category(chart.highlight) if chart.highlight is not None else None
    if wanted in data.series:
        value = data.values[data.series.index(wanted)][index]
        if value == value:
            return value
    return max(column)


def _above_mark(plot: Plot, index: int) -> float:
    """Points over a category's highest value that its marks and labels take."""
    chart, data = plot.chart, plot.data
    if chart.type == "bar":
        return LABEL_PAD + plot.line(bold=True) if chart.labels and not chart.stacked else 0.0
    labelled = chart.labels and data.single
    shown = len(data.categories) <= LABELLED or index in (0, len(data.categories) - 1)
    return 5 + plot.line(bold=True) if labelled and shown else 3.0
