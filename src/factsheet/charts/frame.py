"""Measuring a chart before it is drawn: its margins, value limits and ticks, how its
category labels are set, how thick its bars are, where its annotations go and which
colours tell its marks apart, all from ReportLab's font metrics and the data. The
result (:class:`~factsheet.charts.plot.Frame`) is what matplotlib then draws, so the
picture is known, checked and comparable (charts stacked in a column share their plot's
left edge) without importing matplotlib. Problems a reader would see (labels that
would overlap, a note that would be cut off, a donut of negative numbers) are errors
raised here, with a key path relative to the chart."""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import replace

from factsheet.charts import axes, colours, notes
from factsheet.charts.plot import (
    SAFE_PALETTE,
    Frame,
    Margins,
    Note,
    Plot,
    category,
    headroom,
    legend_layout,
)
from factsheet.data.formats import number_text
from factsheet.errors import DataError, ErrorGroup, FactsheetError, LayoutError, did_you_mean
from factsheet.location import Location

ANNOTATED = ("bar", "hbar", "dot", "line", "area")
ALIGNED = ("bar", "hbar", "dot", "line", "area")  # kinds whose plot area has a left edge
ONE_SERIES = ("donut", "dot", "sparkline", "map")
BAR_CAP = 4.0  # a bar is at most this many times the chart text's size thick
MIN_PLOT = 20.0  # points of plot a chart keeps after its labels and notes
LABEL_PAD = 2.0  # points between a bar's end and its value label

Extra = tuple[float, float]  # more room wanted on the left and on the right


def at(error: FactsheetError, *path: str | int) -> FactsheetError:
    """`error` located at a key path inside the chart (the block adds its own path)."""
    error.location = Location(key_path=path)
    return error


def measure(plot: Plot, align_left: float = 0.0) -> Frame:
    """The chart's frame, with its plot's left edge at least `align_left` points from
    the figure's (to line it up with the charts around it)."""
    check_data(plot)
    kind = _KINDS.get(plot.chart.type)
    if kind is None:  # a map lays itself out
        return Frame(Margins(1, 1, plot.text_line + 6, 1), accent=plot.look.highlight)
    paints, accent, focus = chart_colours(plot)
    floor = (align_left, 0.0)
    for _ in range(6):
        frame, (left, right) = kind(plot, floor)
        if left <= 0.01 and right <= 0.01:
            break
        floor = (frame.margins.left + max(left, 0.0), frame.margins.right + max(right, 0.0))
    return replace(frame, colours=paints, accent=accent, focus=focus)


# --- data a kind cannot show honestly ----------------------------------------------


def check_data(plot: Plot) -> None:
    """Errors for data the chart's kind would misdraw; every one found is reported."""
    chart, data = plot.chart, plot.data
    problems: list[FactsheetError] = []
    values = data.present()
    if chart.type in ONE_SERIES and not data.single:
        problems.append(
            at(
                DataError(
                    f"a {chart.type} chart shows one series, but '{chart.series}' names "
                    f"{len(data.series)} ({', '.join(data.series[:4])}…)",
                    hint="remove `series`, or keep one with `where`",
                ),
                "series",
            )
        )
    negative = [
        (c, v)
        for row in data.values
        for c, v in zip(data.categories, row, strict=True)
        if v == v and v < 0
    ]
    stacks = chart.type == "area" or (chart.stacked and chart.type in ("bar", "hbar"))
    if negative and (chart.type == "donut" or stacks):
        what = "stacked marks add up"
        if chart.type == "donut":
            what = "a donut shows shares of a whole"
        name, value = negative[0]
        problems.append(
            at(
                DataError(
                    f"{what}, but {chart.x} '{name}' is {number_text(value)}",
                    hint="chart negative values as bars or a line, or filter them out",
                ),
                "y",
            )
        )
    if chart.type == "donut" and values and not negative and sum(values) == 0:
        problems.append(
            at(DataError("the donut's values add up to 0: it has nothing to show"), "y")
        )
    if chart.type == "area" and not data.single:
        for name, row in zip(data.series, data.values, strict=True):
            gaps = [c for c, v in zip(data.categories, row, strict=True) if v != v]
            if gaps:
                problems.append(
                    at(
                        DataError(
                            f"series '{name}' has no row for {chart.x} {gaps[0]}, and an area "
                            "chart stacks every series at every point",
                            hint="add the missing rows, or chart the series as lines",
                        ),
                        "series",
                    )
                )
                break
    problems += annotation_problems(plot)
    if len(problems) == 1:
        raise problems[0]
    if problems:
        raise ErrorGroup(problems)


def annotation_problems(plot: Plot) -> list[FactsheetError]:
    """Every annotation points at a category the chart shows and that has a value."""
    chart, data = plot.chart, plot.data
    if not chart.annotations:
        return []
    if chart.type not in ANNOTATED:
        return [
            at(
                DataError(
                    f"a {chart.type} chart cannot show annotations",
                    hint="annotations work on bar, hbar, dot, line and area charts; "
                    "put the remark in the chart's `note`",
                ),
                "annotations",
            )
        ]
    found: list[FactsheetError] = []
    for n, note in enumerate(chart.annotations):
        wanted = category(note.at)
        if wanted not in data.categories:
            shown = ", ".join(data.categories[:8]) + (", …" if len(data.categories) > 8 else "")
            cut = f" (`top: {chart.top}` keeps the first {chart.top})" if chart.top else ""
            hint = did_you_mean(wanted, data.categories)
            found.append(
                at(
                    DataError(
                        f"the annotation points at {chart.x} '{wanted}', which is not "
                        f"among the chart's categories{cut}: {shown}",
                        hint=hint or "`at` names one of the categories",
                    ),
                    "annotations",
                    n,
                    "at",
                )
            )
        elif all(
            row[data.categories.index(wanted)] != row[data.categories.index(wanted)]
            for row in data.values
        ):
            found.append(
                at(
                    DataError(f"the annotation points at {chart.x} '{wanted}', which has no value"),
                    "annotations",
                    n,
                    "at",
                )
            )
    return found


# --- colours ----------------------------------------------------------------------


def chart_colours(plot: Plot) -> tuple[tuple[str, ...], str, int]:
    """One colour per series (several series), or per category (one series), the
    accent and the highlighted mark's index (-1: none). A highlighted mark takes the
    theme's highlight colour and every other mark a colour that differs from it clearly;
    series differ from each other. Raises
    :class:`~factsheet.charts.colours.ColourShortage`."""
    chart, data, look = plot.chart, plot.data, plot.look
    accent = look.highlight.upper()
    candidates = (*look.palette, *SAFE_PALETTE)
    wanted = category(chart.highlight) if chart.highlight is not None else None
    if chart.type in ("map", "sparkline"):
        return (), accent, -1
    if chart.type == "donut" or not data.single:
        names = data.categories if chart.type == "donut" else data.series
        if wanted in names:
            focus = names.index(wanted)
            others = list(colours.pick(candidates, len(names) - 1, highlight=accent))
            return (*others[:focus], accent, *others[focus:]), accent, focus
        return colours.pick(candidates, len(names)), accent, -1
    focus = data.categories.index(wanted) if wanted in data.categories else -1
    (base,) = colours.pick(candidates, 1, highlight=accent if focus >= 0 else None)
    paints = tuple(accent if n == focus else base for n in range(len(data.categories)))
    return paints, accent, focus


# --- vertical kinds: bar, line, area ----------------------------------------------


def _vertical(plot: Plot, floor: Extra) -> tuple[Frame, Extra]:
    chart, data, look = plot.chart, plot.data, plot.look
    width, height = plot.size
    count = len(data.categories)
    bars = chart.type == "bar"
    if bars:
        groups = 1 if data.single or chart.stacked else len(data.series)
        slot = 0.5 if groups == 1 else 0.75
        spread = count - 1 + slot
        cats = (-slot / 2 - 0.05 * spread, count - 1 + slot / 2 + 0.05 * spread)
    else:
        cats = (-0.35, count - 0.65)
    limits = _value_range(plot)
    hidden = bars and chart.labels
    ticks = () if hidden else axes.shown_ticks(*limits)
    line = look.font_size * 1.25 + 3
    left = (1.0 if hidden else plot.width([plot.fmt(t) for t in ticks]) + 4) + _side_label(plot)
    left = max(left, floor[0])
    right = max(_end_names_room(plot) if not bars else 1.0, floor[1])
    columns, legend_room = legend_layout(plot, width) if bars else (0, 0.0)
    plot_width = width - left - right
    pitch = plot_width / (cats[1] - cats[0])
    labels = _labels_below(plot, pitch)
    bottom = line - plot.line() + labels.depth + _bottom_label(plot)
    xs = [left + (i - cats[0]) * pitch for i in range(count)]
    placed, rows = _notes_band(plot, xs)
    band = notes.band_height(rows)
    top = (1.0 if hidden else (look.font_size / 2 if bars else 2.0)) + band + legend_room
    plot_height = height - top - bottom
    if plot_height < MIN_PLOT:
        raise at(_too_small(plot_height), "height")
    room = LABEL_PAD + plot.line(bold=True)
    extremes = _extremes(plot)
    if hidden:
        limits = _with_room(limits, extremes, plot_height, room if extremes[0] < 0 else 0.0, room)
    elif not bars and chart.labels and data.single:
        limits = _with_room(limits, extremes, plot_height, 0.0, 5 + plot.line(bold=True))
        ticks = axes.shown_ticks(*limits)
        extra = plot.width([plot.fmt(t) for t in ticks]) + 4 + _side_label(plot) - left
        if extra > 0.01:
            return Frame(Margins(left, right, bottom, top)), (extra, 0.0)
    thickness = _thickness(plot, slot, pitch) if bars else 0.0
    margins = Margins(left, right, bottom, top)
    frame = Frame(
        margins,
        value_limits=limits,
        ticks=ticks,
        category_limits=cats,
        labels=labels,
        thickness=thickness,
        legend_columns=columns,
        legend_lift=band,
        ends=_end_names(plot, limits, plot_height) if not bars else (),
    )
    if bars:
        _check_value_labels(plot, frame)
        frame = replace(frame, inside=inside_labels(plot, frame))
    frame = replace(frame, notes=_leaders(plot, frame, placed, rows))
    return frame, _overhang(plot, frame)


def _extremes(plot: Plot) -> tuple[float, float]:
    """The lowest and highest value the marks reach (stacks: their totals)."""
    chart, data = plot.chart, plot.data
    stacked = chart.type == "area" or chart.stacked
    values = [v for v in (data.totals() if stacked else data.present()) if v == v] or [0.0]
    return min(values), max(values)


def _column(plot: Plot, index: int) -> list[float]:
    """Every series' value at one category (NaN where a series has no row)."""
    return [row[index] for row in plot.data.values]


def _value_range(plot: Plot) -> tuple[float, float]:
    chart, data = plot.chart, plot.data
    if chart.type == "line":
        return line_limits(data.present())
    if chart.type == "area":
        return 0.0, line_limits([*data.totals(), 0.0])[1]
    values = data.totals() if chart.stacked else data.present()
    low = min([0.0, *values])
    return (low * 1.18 if low < 0 else 0.0), headroom(values)


def line_limits(values: list[float]) -> tuple[float, float]:
    clean = [v for v in values if v == v] or [0.0]
    low, high = min(clean), max(clean)
    span = (high - low) or abs(high) or 1.0
    bottom = min(0.0, low) if 0 <= low < span else low - span * 0.25
    return bottom, high + span * 0.3


def _with_room(
    limits: tuple[float, float],
    extremes: tuple[float, float],
    length: float,
    below: float,
    above: float,
) -> tuple[float, float]:
    """`limits` of an axis `length` points long, widened until `above` points fit over
    the highest value and `below` points under the lowest (for their value labels)."""
    if below + above >= length:
        raise _too_small(length)
    low, high = limits
    lowest, highest = min(extremes[0], 0.0), max(extremes[1], 0.0)
    for _ in range(6):  # each step widens the scale a little less; six settle it
        per_point = (high - low) / length
        high = max(high, highest + above * per_point)
        low = min(low, lowest - below * per_point) if below else low
    return low, high


def _labels_below(plot: Plot, pitch: float) -> axes.Labels:
    chart, data = plot.chart, plot.data
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
    for at, half in _centred_labels(plot, frame):
        x = m.left + (at - c0) / (c1 - c0) * plot_width
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
        for i in ends:
            value = data.values[0][i]
            if value == value:
                found.append((float(i), plot.width([plot.fmt(value)], True) / 2))
    return found


def _thickness(plot: Plot, slot: float, pitch: float) -> float:
    """A bar's thickness in category steps: its share of the slot, at most BAR_CAP ×
    the text size (two bars in a wide chart stay bars, not slabs)."""
    chart, data = plot.chart, plot.data
    groups = 1 if data.single or chart.stacked else len(data.series)
    nominal = slot / groups
    return min(nominal, BAR_CAP * plot.look.font_size / pitch)


def _check_value_labels(plot: Plot, frame: Frame) -> None:
    """Value labels printed over bars must not run into each other."""
    chart = plot.chart
    if not chart.labels or chart.stacked:
        return
    boxes = value_label_boxes(plot, frame)
    boxes.sort()
    for n, (_, y0, x1, y1, text) in enumerate(boxes):
        for a0, b0, _, b1, other in boxes[n + 1 :]:
            if a0 >= x1 + 1:
                break
            if b0 < y1 and y0 < b1:
                raise at(
                    LayoutError(
                        f"the chart's value labels '{text}' and '{other}' would overlap: its "
                        "bars are too narrow for them",
                        hint="set `labels: false` to read values off an axis, or use `type: hbar`",
                    ),
                    "labels",
                )


def value_label_boxes(plot: Plot, frame: Frame) -> list[tuple[float, float, float, float, str]]:
    """(left, bottom, right, top, text) in figure points of every value label printed
    over a vertical bar."""
    data = plot.data
    m = frame.margins
    width, height = plot.size
    (c0, c1), (v0, v1) = frame.category_limits, frame.value_limits
    x_scale = (width - m.left - m.right) / (c1 - c0)
    y_scale = (height - m.top - m.bottom) / (v1 - v0)
    line = plot.line(bold=True)
    boxes = []
    for s, row in enumerate(data.values):
        shift = bar_offsets(plot, frame)[s]
        for c, value in enumerate(row):
            if value != value:
                continue
            text = plot.fmt(value)
            half = plot.width([text], True) / 2
            x = m.left + (c + shift - c0) * x_scale
            y = m.bottom + (value - v0) * y_scale
            foot = y + LABEL_PAD if value >= 0 else y - LABEL_PAD - line
            boxes.append((x - half, foot, x + half, foot + line, text))
    return boxes


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


def bar_offsets(plot: Plot, frame: Frame) -> list[float]:
    """Each series' bar offset from its category's position, in category steps."""
    data, chart = plot.data, plot.chart
    if data.single or chart.stacked:
        return [0.0] * len(data.series)
    count = len(data.series)
    return [(n - (count - 1) / 2) * frame.thickness for n in range(count)]


def _side_label(plot: Plot) -> float:
    return plot.look.font_size * 1.25 + 3 if plot.chart.y_label else 0.0


def _bottom_label(plot: Plot) -> float:
    return plot.look.font_size * 1.25 + 3 if plot.chart.x_label else 0.0


def _too_small(plot_height: float) -> LayoutError:
    return LayoutError(
        f"the chart's labels, legend and annotations leave {plot_height:.0f}pt for its plot",
        hint="raise the chart's `height`, or shorten its labels",
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
        text, w, h = notes.set_note(note.text, width - 2, _note_width(plot), line)
        boxes.append((text, w, h, xs[data.categories.index(category(note.at))]))
    return notes.stack_above(boxes, width)


def _note_width(plot: Plot) -> Callable[[str], float]:
    from factsheet.charts.plot import text_width

    look = plot.look
    return lambda text: text_width([text], look.italic_font or look.font, look.label_size)


def _leaders(
    plot: Plot, frame: Frame, placed: list[notes.Placed], rows: list[float]
) -> tuple[Note, ...]:
    """Notes above the plot with a leader down to the top of their category's marks."""
    chart, data = plot.chart, plot.data
    height = plot.size[1]
    m = frame.margins
    plot_top = height - m.top
    low, high = frame.value_limits
    scale = (plot_top - m.bottom) / (high - low)
    found = []
    for note, spec in zip(placed, chart.annotations, strict=True):
        index = data.categories.index(category(spec.at))
        column = [row[index] for row in data.values if row[index] == row[index]]
        peak = sum(column) if chart.stacked or chart.type == "area" else max(column)
        top = m.bottom + (max(peak, 0.0) - low) * scale + _above_mark(plot, index)
        foot = notes.row_bottom(note.row, rows, plot_top)
        leader = (note.x, foot - 1, note.x, top + 2) if foot - 1 > top + 3 else None
        found.append(Note(note.text, note.left + note.width / 2, foot, "center", "bottom", leader))
    return tuple(found)


def _above_mark(plot: Plot, index: int) -> float:
    """Points over a category's highest value that its marks and labels take."""
    chart, data = plot.chart, plot.data
    if chart.type == "bar":
        return LABEL_PAD + plot.line(bold=True) if chart.labels and not chart.stacked else 0.0
    labelled = chart.labels and data.single
    shown = len(data.categories) <= 8 or index in (0, len(data.categories) - 1)
    return 5 + plot.line(bold=True) if labelled and shown else 3.0


# --- horizontal kinds: hbar, dot --------------------------------------------------


def _horizontal(plot: Plot, floor: Extra) -> tuple[Frame, Extra]:
    chart, data, look = plot.chart, plot.data, plot.look
    width, height = plot.size
    count = len(data.categories)
    bars = chart.type == "hbar"
    if bars:
        spread_ = count - 1 + 0.6
        cats = (-0.3 - 0.05 * spread_, count - 1 + 0.3 + 0.05 * spread_)
    else:
        cats = (-0.6, count - 0.4)
    values = data.totals() if chart.stacked else data.present()
    top = 1.0
    columns, legend_room = 0, 0.0
    line = look.font_size * 1.25 + 3
    bottom = (1.0 if chart.labels else line) + _bottom_label(plot)
    plot_height = height - bottom - top
    pitch = plot_height / (cats[1] - cats[0])
    labels = _labels_beside(plot, pitch, width)
    lines = [line for text in labels.texts for line in text.split("\n")]
    left = max(plot.width(lines) + 4 + _side_label(plot), floor[0])
    if bars:
        columns, legend_room = legend_layout(plot, width - left)
        if legend_room:
            top += legend_room
            plot_height = height - bottom - top
            pitch = plot_height / (cats[1] - cats[0])
            labels = _labels_beside(plot, pitch, width)
    if plot_height < MIN_PLOT:
        raise at(_too_small(plot_height), "height")
    low = min([0.0, *values])
    factor = (1.0 if bars else 1.03) if chart.labels else 1.05
    limits = ((low * 1.18 if low < 0 else 0.0), headroom(values, factor))
    value_texts = [plot.fmt(v) for v in values]
    if chart.labels:
        ticks: tuple[float, ...] = ()
        after = LABEL_PAD + 3 if bars else 9.0
        right = 3.0 if chart.stacked else plot.width(value_texts, True) + after
    else:
        ticks = axes.shown_ticks(*limits)
        right = plot.width([plot.fmt(ticks[-1])]) / 2 + 1 if bars else 6.0
    right = max(right, floor[1])
    if low < 0 and chart.labels:
        plot_width = width - left - right
        room = plot.width(value_texts, True) + 5
        limits = _with_room(limits, (low, max(values)), plot_width, room, 0.0)
    thickness = 0.0
    if bars:
        groups = 1 if data.single or chart.stacked else len(data.series)
        thickness = min(0.6 / groups, BAR_CAP * look.font_size / pitch)
        if chart.labels and groups > 1 and thickness * pitch < plot.line(bold=True):
            room = thickness * pitch
            raise at(_rows_too_close(plot, room, plot.line(bold=True), plot_height), "height")
    margins = Margins(left, right, bottom, top)
    frame = Frame(
        margins,
        value_limits=limits,
        ticks=ticks,
        category_limits=cats,
        labels=labels,
        thickness=thickness,
        legend_columns=columns,
    )
    beside, extra = _notes_beside(plot, frame)
    frame = replace(frame, notes=beside, inside=inside_labels(plot, frame) if bars else ())
    return frame, (0.0, extra)


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
    measure = _note_width(plot)
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


# --- round and small kinds --------------------------------------------------------


def _donut(plot: Plot, floor: Extra) -> tuple[Frame, Extra]:
    data = plot.data
    labels = [f"{name}  {plot.fmt(v)}" for name, v in zip(data.categories, data.first, strict=True)]
    step = min(0.16, 0.9 / max(len(labels), 1))
    if step * plot.size[1] < plot.line(bold=True):
        raise at(
            LayoutError(
                f"the donut's {len(labels)} labels would overlap at this height",
                hint="show fewer categories with `top`, raise the chart's `height`, or use "
                "`type: hbar`",
            ),
            "height",
        )
    return Frame(Margins(2, plot.width(labels, True) + 12, 2, 2)), (0.0, 0.0)


def _sparkline(plot: Plot, floor: Extra) -> tuple[Frame, Extra]:
    label = plot.fmt(plot.data.first[-1])
    right = plot.width([label], True) + 8 if plot.chart.labels else 3
    return Frame(Margins(2, right, 2, 2)), (0.0, 0.0)


_KINDS: dict[str, Callable[[Plot, Extra], tuple[Frame, Extra]]] = {
    "bar": _vertical,
    "line": _vertical,
    "area": _vertical,
    "hbar": _horizontal,
    "dot": _horizontal,
    "donut": _donut,
    "sparkline": _sparkline,
}
