"""Bar-like chart kinds: vertical and horizontal bars (one series, or several grouped or
stacked), and the dot (lollipop) chart. Values are labelled on the bars; the value axis
is hidden when they are, and kept with sparse gridlines when they are not."""

from __future__ import annotations

from typing import Any

from matplotlib.axes import Axes

from factsheet.charts.plot import Margins, Plot, headroom, legend, tick_labels, value_axis


def _label(
    ax: Axes, bars: Any, values: list[float], plot: Plot, padding: float, inside: bool = False
) -> None:
    look = plot.look
    texts = [plot.fmt(v) if v == v else "" for v in values]
    ax.bar_label(
        bars,
        texts,
        padding=padding,
        label_type="center" if inside else "edge",
        color="#FFFFFF" if inside else look.label,
        fontsize=look.label_size,
        fontweight="bold",
    )


def _layout(plot: Plot, horizontal: bool) -> tuple[list[float], float]:
    """Bar offsets within a category slot, and each bar's thickness."""
    count = 1 if plot.data.single or plot.chart.stacked else len(plot.data.series)
    slot = 0.6 if horizontal else (0.5 if count == 1 else 0.75)
    thickness = slot / count
    offsets = [(-slot + thickness) / 2 + n * thickness for n in range(count)]
    return offsets, thickness


def _draw(ax: Axes, plot: Plot, horizontal: bool) -> list[Any]:
    data = plot.data
    positions = list(range(len(data.categories)))
    if horizontal:
        positions = positions[::-1]  # first row on top, as it is read
    offsets, thickness = _layout(plot, horizontal)
    colours = plot.series_colours()
    base = [0.0] * len(positions)
    handles = []
    draw = ax.barh if horizontal else ax.bar
    for n, values in enumerate(data.values):
        shift = 0.0 if plot.chart.stacked else offsets[min(n, len(offsets) - 1)]
        where = [p + shift for p in positions]
        colour: Any = plot.category_colours() if data.single else colours[n]
        clean = [v if v == v else 0.0 for v in values]
        bars = draw(
            where,
            clean,
            thickness,
            base if plot.chart.stacked else 0,
            color=colour,
            zorder=2,
            edgecolor="#FFFFFF" if plot.chart.stacked else "none",
            linewidth=0.6 if plot.chart.stacked else 0,
        )
        if plot.chart.labels:
            _label(ax, bars, list(values), plot, 2, inside=plot.chart.stacked)
        handles.append(bars)
        if plot.chart.stacked:
            base = [b + c for b, c in zip(base, clean, strict=True)]
    return handles


def bars(ax: Axes, plot: Plot) -> Margins:
    handles = _draw(ax, plot, horizontal=False)
    ax.set_xticks(list(range(len(plot.data.categories))), plot.data.categories)
    top = plot.data.totals() if plot.chart.stacked else [v for s in plot.data.values for v in s]
    ax.set_ylim(0, headroom(top))
    room = legend(ax, plot, handles, plot.size[0])
    if plot.chart.labels:
        ax.yaxis.set_visible(False)
        ax.spines["left"].set_visible(False)
        return Margins(1, 1, plot.text_line, 1 + room)
    value_axis(ax.yaxis, plot.fmt)
    ax.grid(axis="y", zorder=0)
    left = plot.tick_width(ax.yaxis, *ax.get_ylim()) + 4
    return Margins(left, 1, plot.text_line, plot.look.font_size / 2 + room)


def hbars(ax: Axes, plot: Plot) -> Margins:
    handles = _draw(ax, plot, horizontal=True)
    rows = list(range(len(plot.data.categories)))[::-1]
    ax.set_yticks(rows, plot.data.categories)
    ax.spines["left"].set_visible(False)
    left = plot.width(list(plot.data.categories)) + 4
    room = legend(ax, plot, handles, plot.size[0] - left)
    top = plot.data.totals() if plot.chart.stacked else [v for s in plot.data.values for v in s]
    if plot.chart.labels:
        ax.set_xlim(0, headroom(top, 1.0))
        ax.xaxis.set_visible(False)
        ax.spines["bottom"].set_visible(False)
        right = 3.0 if plot.chart.stacked else plot.width([plot.fmt(v) for v in top], True) + 5
        return Margins(left, right, 1, 1 + room)
    ax.set_xlim(0, headroom(top, 1.05))
    value_axis(ax.xaxis, plot.fmt)
    ax.grid(axis="x", zorder=0)
    ticks = tick_labels(ax.xaxis, *ax.get_xlim(), plot.fmt)
    return Margins(left, plot.width(ticks[-1:]) / 2 + 1, plot.text_line, 1 + room)


def dots(ax: Axes, plot: Plot) -> Margins:
    """A lollipop: a thin stem from zero and a dot at the value, one row per category."""
    values = plot.data.first
    rows = list(range(len(plot.data.categories)))[::-1]
    colours = plot.category_colours()
    ax.hlines(rows, 0, values, color=plot.look.grid, linewidth=1.4, zorder=1)
    ax.scatter(values, rows, s=36, color=colours, zorder=3, linewidths=0, clip_on=False)
    ax.set_yticks(rows, plot.data.categories)
    ax.set_ylim(-0.6, len(rows) - 0.4)
    ax.spines["left"].set_visible(False)
    left = plot.width(list(plot.data.categories)) + 4
    labels = [plot.fmt(v) for v in values]
    if plot.chart.labels:
        for row, value, text in zip(rows, values, labels, strict=True):
            plot.label_at(ax, text, (value, row))
        ax.xaxis.set_visible(False)
        ax.spines["bottom"].set_visible(False)
        ax.set_xlim(0, headroom(values, 1.03))
        return Margins(left, plot.width(labels, True) + 9, 1, 1)
    ax.set_xlim(0, headroom(values, 1.05))
    value_axis(ax.xaxis, plot.fmt)
    ax.grid(axis="x", zorder=0)
    return Margins(left, 6, plot.text_line, 1)
