"""The donut: shares of a whole as a ring, the highlighted (or largest) share printed in
its middle, and every category labelled with its value beside the ring, in reading
order, instead of a legend. Its colours, margins and the check that its labels fit come
from the measured frame (:mod:`factsheet.charts.frame`)."""

from __future__ import annotations

from matplotlib.axes import Axes

from factsheet.charts.plot import Margins, Plot


def donut(ax: Axes, plot: Plot) -> Margins:
    # The frame has refused negative values, and a single series has no missing ones.
    frame = plot.geometry
    values = plot.data.first
    colours = list(frame.colours)
    focus = frame.focus if frame.focus >= 0 else max(range(len(values)), key=values.__getitem__)
    ring, ring_colours = list(values), list(colours)
    rest = 0.0 if plot.whole is None else plot.whole - sum(values)
    if rest > 0:  # shares of a whole: each takes its share of the ring, the rest is pale
        ring.append(rest)
        ring_colours.append(plot.look.grid)
    ax.pie(
        ring,
        colors=ring_colours,
        startangle=90,
        counterclock=False,
        wedgeprops={"width": 0.36, "edgecolor": plot.look.paper, "linewidth": 1.2},
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
        gid=plot.value_gid(0, focus),
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
            color=plot.look.text if frame.muted(n) else colour,
            transform=ax.transAxes,
            va="center",
            fontsize=plot.look.font_size,
            fontweight="bold",
            gid=plot.value_gid(0, n),
        )
    return frame.margins
