"""The donut: shares of a whole as a ring, the highlighted (or largest) share printed in
its middle, and every category labelled with its value beside the ring, in reading
order, instead of a legend."""

from __future__ import annotations

from matplotlib.axes import Axes

from factsheet.charts.plot import Margins, Plot


def donut(ax: Axes, plot: Plot) -> Margins:
    values = [v if v == v and v > 0 else 0.0 for v in plot.data.first]
    colours = [plot.look.colour(n) for n in range(len(values))]
    wanted = plot.chart.highlight
    focus = max(range(len(values)), key=values.__getitem__)
    for n, name in enumerate(plot.data.categories):
        if wanted is not None and str(wanted) == name:
            focus, colours[n] = n, plot.look.highlight
    ax.pie(
        values,
        colors=colours,
        startangle=90,
        counterclock=False,
        wedgeprops={"width": 0.36, "edgecolor": "#FFFFFF", "linewidth": 1.2},
    )
    ax.set_aspect("equal")
    ax.text(
        0,
        0,
        plot.fmt(values[focus]),
        ha="center",
        va="center",
        color=plot.look.label,
        fontsize=plot.look.font_size * 2,
        fontweight="bold",
    )
    labels = [
        f"{name}  {plot.fmt(v)}" for name, v in zip(plot.data.categories, values, strict=True)
    ]
    ax.set_anchor("W")  # the ring on the left, its labels in the room beside it
    step = min(0.16, 0.9 / max(len(labels), 1))
    for n, (text, colour) in enumerate(zip(labels, colours, strict=True)):
        y = 0.5 + ((len(labels) - 1) / 2 - n) * step
        ax.text(
            1.08,
            y,
            text,
            color=colour,
            transform=ax.transAxes,
            va="center",
            fontsize=plot.look.font_size,
            fontweight="bold",
        )
    right = plot.width(labels, True) + 12
    return Margins(2, right, 2, 2)
