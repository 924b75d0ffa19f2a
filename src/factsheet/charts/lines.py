"""Line-like chart kinds: lines (one or several series, each named at its end), areas,
and the small KPI sparkline. Short series label every point; long ones label their
ends, so the chart reads without a legend."""

from __future__ import annotations

import itertools

from matplotlib.axes import Axes

from factsheet.charts.plot import Margins, Plot, value_axis


def _limits(values: list[float]) -> tuple[float, float]:
    clean = [v for v in values if v == v] or [0.0]
    low, high = min(clean), max(clean)
    span = (high - low) or abs(high) or 1.0
    bottom = min(0.0, low) if 0 <= low < span else low - span * 0.25
    return bottom, high + span * 0.3


def _axes(ax: Axes, plot: Plot, values: list[float]) -> None:
    positions = list(range(len(plot.data.categories)))
    ax.set_xticks(positions, plot.data.categories)
    ax.set_ylim(*_limits(values))
    ax.set_xlim(-0.35, len(positions) - 0.65)
    value_axis(ax.yaxis, plot.fmt)
    ax.grid(axis="y", zorder=0)
    ax.spines["left"].set_visible(False)


def _point_labels(ax: Axes, plot: Plot, values: list[float], colour: str) -> None:
    points = list(range(len(values)))
    shown = points if len(points) <= 8 else [points[0], points[-1]]
    for i in shown:
        if values[i] == values[i]:
            plot.label_at(
                ax, plot.fmt(values[i]), (i, values[i]), colour, (0, 5), ha="center", va="bottom"
            )


def _end_names(ax: Axes, plot: Plot, colours: list[str], stacked: bool = False) -> float:
    """Each series named at its last point (a stacked area: the middle of its band),
    nudged apart so names never overlap; returns the room the names take."""
    if plot.data.single:
        return 2.0
    last = len(plot.data.categories) - 1
    ends = [v[last] if v[last] == v[last] else 0.0 for v in plot.data.values]
    if stacked:
        tops = [sum(ends[: n + 1]) for n in range(len(ends))]
        ends = [top - end / 2 for top, end in zip(tops, ends, strict=True)]
    low, high = ax.get_ylim()
    gap = (high - low) * plot.look.label_size * 1.3 / max(plot.size[1], 1.0)
    placed = _spread(ends, gap)
    for name, y, colour in zip(plot.data.series, placed, colours, strict=True):
        plot.label_at(ax, name, (last, y), colour)
    return plot.width(list(plot.data.series), True) + 8


def _spread(values: list[float], gap: float) -> list[float]:
    """Positions as close to `values` as possible, at least `gap` apart."""
    order = sorted(range(len(values)), key=values.__getitem__)
    placed = list(values)
    for before, after in itertools.pairwise(order):
        placed[after] = max(placed[after], placed[before] + gap)
    return placed


def lines(ax: Axes, plot: Plot) -> Margins:
    colours = plot.series_colours() if not plot.data.single else [plot.look.colour(0)]
    positions = list(range(len(plot.data.categories)))
    for values, colour in zip(plot.data.values, colours, strict=True):
        ax.plot(
            positions,
            values,
            color=colour,
            linewidth=1.8,
            zorder=3,
            marker="o",
            markersize=3.5,
            solid_capstyle="round",
        )
    everything = [v for s in plot.data.values for v in s]
    _axes(ax, plot, everything)
    if plot.chart.labels and plot.data.single:
        label = plot.look.label
        _point_labels(ax, plot, plot.data.first, label)
    right = _end_names(ax, plot, colours)
    left = plot.tick_width(ax.yaxis, *ax.get_ylim()) + 4
    return Margins(left, right, plot.text_line, 2)


def areas(ax: Axes, plot: Plot) -> Margins:
    """Filled areas; several series are stacked, so the top line is the total."""
    colours = plot.series_colours() if not plot.data.single else [plot.look.colour(0)]
    positions = list(range(len(plot.data.categories)))
    clean = [[v if v == v else 0.0 for v in s] for s in plot.data.values]
    ax.stackplot(positions, clean, colors=colours, alpha=0.85, zorder=2, linewidth=0)
    _axes(ax, plot, [*plot.data.totals(), 0.0])
    ax.set_ylim(0, ax.get_ylim()[1])
    if plot.chart.labels and plot.data.single:
        _point_labels(ax, plot, plot.data.first, plot.look.label)
    right = _end_names(ax, plot, colours, stacked=True) if not plot.data.single else 2.0
    left = plot.tick_width(ax.yaxis, *ax.get_ylim()) + 4
    return Margins(left, right, plot.text_line, 2)


def sparkline(ax: Axes, plot: Plot) -> Margins:
    """A word-sized trend: the line, its last point marked and labelled, no axes."""
    values = plot.data.first
    positions = list(range(len(values)))
    ax.plot(positions, values, color=plot.look.colour(0), linewidth=1.4, zorder=2)
    ax.plot([positions[-1]], [values[-1]], "o", color=plot.look.highlight, markersize=4, zorder=3)
    ax.set_axis_off()
    ax.set_ylim(*_limits(values))
    label = plot.fmt(values[-1])
    if plot.chart.labels:
        plot.label_at(ax, label, (positions[-1], values[-1]), offset=(5, 0))
    right = plot.width([label], True) + 8 if plot.chart.labels else 3
    return Margins(2, right, 2, 2)
