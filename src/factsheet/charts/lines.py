"""Line-like chart kinds: lines (one or several series, each named at its end), areas,
and the small KPI sparkline. Short series label every point; long ones label their
ends, so the chart reads without a legend. A missing row is a gap in its line. Every
size and position comes from the chart's measured frame
(:mod:`factsheet.charts.frame`); this module only draws it."""

from __future__ import annotations

from matplotlib.axes import Axes

from factsheet.charts.bars import zero_line
from factsheet.charts.geometry import LABELLED, line_limits
from factsheet.charts.plot import Margins, Plot, axis_fmt, value_axis


def _axes(ax: Axes, plot: Plot) -> None:
    frame = plot.geometry
    positions = list(range(len(plot.data.categories)))
    rotation = 90 if frame.labels.upright else 0
    ax.set_xticks(positions, list(frame.labels.texts), rotation=rotation, va="top")
    ax.set_ylim(*frame.value_limits)
    ax.set_xlim(*frame.category_limits)
    value_axis(ax.yaxis, frame.ticks, axis_fmt(plot, frame.ticks))
    ax.grid(axis="y", zorder=0)
    ax.spines["left"].set_visible(False)
    zero_line(ax, plot, horizontal=False)


def _point_labels(ax: Axes, plot: Plot, values: list[float]) -> None:
    """Every point's value over it, or, past LABELLED points, the first and the last
    only: those set inwards from their point (the first starts at it, the last ends at
    it), so neither sits beside the value axis's tick labels or leaves the plot."""
    points = list(range(len(values)))
    ends = len(points) > LABELLED
    for i in [points[0], points[-1]] if ends else points:
        if values[i] == values[i]:
            align = "center"
            if ends:
                align = "left" if i == 0 else "right"
            offset = {"left": (-2, 5), "right": (2, 5)}.get(align, (0, 5))
            colour = plot.label_colour(i)
            gid = plot.value_gid(0, i)
            point = (i, values[i])
            plot.label_at(
                ax, plot.fmt(values[i]), point, colour, offset, gid, ha=align, va="bottom"
            )


def _end_names(ax: Axes, plot: Plot, colours: list[str]) -> None:
    """Each series named right of the last point, where the frame placed its name: in
    its colour, or, when a series is highlighted, the highlighted one in the label
    colour and the others in the chart text's (muted) colour."""
    frame = plot.geometry
    last = len(plot.data.categories) - 1
    for n, (name, y) in enumerate(zip(plot.data.series, frame.ends, strict=True)):
        colour = plot.label_colour(n) if frame.focus >= 0 else colours[n]
        plot.label_at(ax, name, (last, y), colour)


def _highlight_point(ax: Axes, plot: Plot, values: list[float]) -> None:
    """One series: the highlighted category's point drawn larger, in the accent."""
    frame = plot.geometry
    i = frame.focus
    if i >= 0 and values[i] == values[i]:
        ax.plot([i], [values[i]], "o", color=frame.accent, markersize=6, zorder=4)


def _finish(ax: Axes, plot: Plot, colours: list[str]) -> Margins:
    """Axes, then one series' labelled points or several series' names at their ends."""
    _axes(ax, plot)
    if plot.data.single:
        _highlight_point(ax, plot, plot.data.first)
        if plot.chart.labels:
            _point_labels(ax, plot, plot.data.first)
    else:
        _end_names(ax, plot, colours)
    return plot.geometry.margins


def lines(ax: Axes, plot: Plot) -> Margins:
    """Lines with a point at each value. A highlighted series is drawn over the
    others, which are thinner and muted."""
    frame = plot.geometry
    single = plot.data.single
    colours = [frame.base] if single else list(frame.colours)
    positions = list(range(len(plot.data.categories)))
    for n, (values, colour) in enumerate(zip(plot.data.values, colours, strict=True)):
        set_aside = not single and frame.muted(n)
        ax.plot(
            positions,
            values,
            color=colour,
            linewidth=1.0 if set_aside else 1.8,
            zorder=2.6 if set_aside else 3,
            marker="o",
            markersize=2.2 if set_aside else 3.5,
            solid_capstyle="round",
        )
    return _finish(ax, plot, colours)


def areas(ax: Axes, plot: Plot) -> Margins:
    """Filled areas; several series are stacked, so the top line is the total. Bands
    are parted by a thin line of the paper's colour, so muted ones stay apart."""
    frame = plot.geometry
    single = plot.data.single
    colours = [frame.base] if single else list(frame.colours)
    positions = list(range(len(plot.data.categories)))
    stacks = ax.stackplot(positions, plot.data.values, colors=colours, alpha=0.85, zorder=2)
    for stack in stacks:
        if frame.focus >= 0 and not single:
            stack.set_edgecolor(plot.look.paper)
            stack.set_linewidth(0.5)
        else:
            stack.set_linewidth(0)
    return _finish(ax, plot, colours)


def sparkline(ax: Axes, plot: Plot) -> Margins:
    """A word-sized trend: the line, its last point marked and labelled, no axes."""
    values = plot.data.first
    positions = list(range(len(values)))
    ax.plot(positions, values, color=plot.look.colour(0), linewidth=1.4, zorder=2)
    ax.plot([positions[-1]], [values[-1]], "o", color=plot.look.accent, markersize=4, zorder=3)
    ax.set_axis_off()
    ax.set_ylim(*line_limits(values))
    if plot.chart.labels:
        gid = plot.value_gid(0, positions[-1])
        point = (positions[-1], values[-1])
        plot.label_at(ax, plot.fmt(values[-1]), point, offset=(5, 0), gid=gid)
    return plot.geometry.margins
