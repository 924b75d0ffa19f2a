"""Bar-like chart kinds: vertical and horizontal bars (one series, or several grouped or
stacked), and the dot (lollipop) chart. Values are labelled on the bars; the value axis
is hidden when they are, and kept with sparse gridlines when they are not. Every size
and position comes from the chart's measured frame (:mod:`factsheet.charts.frame`);
this module only draws it."""

from __future__ import annotations

from typing import Any

from matplotlib.axes import Axes

from factsheet.charts.colours import contrast
from factsheet.charts.geometry import DOT_GAP, LABEL_PAD, bar_offsets
from factsheet.charts.plot import Margins, Plot, axis_fmt, legend, value_axis


def _label(ax: Axes, bars: Any, values: list[float], plot: Plot, series: int) -> None:
    look, frame = plot.look, plot.geometry
    texts = [plot.fmt(v) if v == v else "" for v in values]
    inside = plot.chart.stacked
    if inside:  # a segment too small to hold its label goes without (the block warns)
        texts = [t if fits else "" for t, fits in zip(texts, frame.inside[series], strict=True)]
    labels = ax.bar_label(
        bars,
        texts,
        padding=0 if inside else LABEL_PAD,
        label_type="center" if inside else "edge",
        fontsize=look.label_size,
        fontweight="bold",
    )
    single = plot.data.single
    for n, label in enumerate(labels):
        label.set_gid(plot.value_gid(series, n))
        mark = n if single else series
        if inside:  # on the segment: white or dark, whichever reads better on it
            fill = frame.colours[mark]
            dark = contrast(look.label, fill) > contrast("#FFFFFF", fill)
            label.set_color(look.label if dark else "#FFFFFF")
        else:
            label.set_color(plot.label_colour(mark))


def _draw(ax: Axes, plot: Plot, horizontal: bool) -> list[Any]:
    data, frame = plot.data, plot.geometry
    positions = list(range(len(data.categories)))
    if horizontal:
        positions = positions[::-1]  # first row on top, as it is read
    offsets = bar_offsets(plot, frame)
    base = [0.0] * len(positions)
    handles = []
    draw = ax.barh if horizontal else ax.bar
    stacked = plot.chart.stacked
    for n, values in enumerate(data.values):
        where = [p + offsets[n] for p in positions]
        colour: Any = list(frame.colours) if data.single else frame.colours[n]
        clean = [v if v == v else 0.0 for v in values]
        bars = draw(
            where,
            clean,
            frame.thickness,
            base if stacked else 0,
            color=colour,
            zorder=2,
            edgecolor="#FFFFFF" if stacked else "none",
            linewidth=0.6 if stacked else 0,
        )
        if plot.chart.labels:
            _label(ax, bars, list(values), plot, n)
        handles.append(bars)
        if stacked:
            base = [b + c for b, c in zip(base, clean, strict=True)]
    return handles


def _categories(ax: Axes, plot: Plot, horizontal: bool) -> None:
    frame = plot.geometry
    positions = list(range(len(plot.data.categories)))
    if horizontal:
        ax.set_yticks(positions[::-1], list(frame.labels.texts))
        ax.set_ylim(*frame.category_limits)
    else:
        rotation = 90 if frame.labels.upright else 0
        ax.set_xticks(positions, list(frame.labels.texts), rotation=rotation, va="top")
        ax.set_xlim(*frame.category_limits)


def zero_line(ax: Axes, plot: Plot, horizontal: bool) -> None:
    """A baseline at zero, in the axis colour, when the value axis runs below zero:
    bars below it hang from it, not from nothing."""
    low, high = plot.geometry.value_limits
    if low < 0 < high:
        draw = ax.axvline if horizontal else ax.axhline
        draw(0, color=plot.look.axis, linewidth=0.6, zorder=2.5)


def bars(ax: Axes, plot: Plot) -> Margins:
    frame = plot.geometry
    handles = _draw(ax, plot, horizontal=False)
    zero_line(ax, plot, horizontal=False)
    _categories(ax, plot, horizontal=False)
    ax.set_ylim(*frame.value_limits)
    legend(ax, plot, handles)
    if not frame.ticks:
        ax.yaxis.set_visible(False)
        ax.spines["left"].set_visible(False)
    else:
        value_axis(ax.yaxis, frame.ticks, axis_fmt(plot, frame.ticks))
        ax.grid(axis="y", zorder=0)
    return frame.margins


def hbars(ax: Axes, plot: Plot) -> Margins:
    frame = plot.geometry
    if plot.look.rtl:  # before the bars: their labels go the way the axis runs
        ax.xaxis.set_inverted(True)  # set, not toggled: a pooled figure is drawn again
        ax.yaxis.tick_right()
    handles = _draw(ax, plot, horizontal=True)
    zero_line(ax, plot, horizontal=True)
    _categories(ax, plot, horizontal=True)
    ax.spines["left"].set_visible(False)
    legend(ax, plot, handles)
    ax.set_xlim(*frame.value_limits)
    if not frame.ticks:
        ax.xaxis.set_visible(False)
        ax.spines["bottom"].set_visible(False)
    else:
        value_axis(ax.xaxis, frame.ticks, axis_fmt(plot, frame.ticks))
        ax.grid(axis="x", zorder=0)
    return mirrored(ax, plot, frame.margins)


def mirrored(ax: Axes, plot: Plot, margins: Margins) -> Margins:
    """The margins of rows of bars on a page read right to left (`hbars` inverts the
    axis and puts the tick labels on the right): the category labels on the right and
    the bars growing leftwards from them, so a row reads from its label as the text
    around it does. The chart was measured unmirrored; reflected, every label keeps the
    room it was measured with, the left and right margins trading places."""
    if not plot.look.rtl:
        return margins
    ax.xaxis.set_inverted(True)  # again: setting the limits put the axis upright
    return margins._replace(left=margins.right, right=margins.left)


def dots(ax: Axes, plot: Plot) -> Margins:
    """A lollipop: a thin stem from zero and a dot at the value, one row per category."""
    frame = plot.geometry
    values = plot.data.first
    rows = list(range(len(plot.data.categories)))[::-1]
    ax.hlines(rows, 0, values, color=plot.look.grid, linewidth=1.4, zorder=1)
    ax.scatter(values, rows, s=36, color=list(frame.colours), zorder=3, linewidths=0, clip_on=False)
    zero_line(ax, plot, horizontal=True)
    _categories(ax, plot, horizontal=True)
    ax.spines["left"].set_visible(False)
    ax.set_xlim(*frame.value_limits)
    if not frame.ticks:
        for n, (row, value) in enumerate(zip(rows, values, strict=True)):
            # Beside the dot, away from zero: a label right of a dot below zero would
            # run over its stem and the zero line.
            below = value < 0
            offset = (-DOT_GAP if below else DOT_GAP, 0.0)
            colour = plot.label_colour(n)
            gid = plot.value_gid(0, n)
            align = "right" if below else "left"
            plot.label_at(ax, plot.fmt(value), (value, row), colour, offset, gid, ha=align)
        ax.xaxis.set_visible(False)
        ax.spines["bottom"].set_visible(False)
    else:
        value_axis(ax.xaxis, frame.ticks, axis_fmt(plot, frame.ticks))
        ax.grid(axis="x", zorder=0)
    return frame.margins
