"""Charts as matplotlib Figures (never pyplot), styled from the theme: the brand's
colours and fonts, sizes in points matching the body text, no top or right spines,
sparse gridlines and values labelled directly on the data. This module owns the
settings, the figure pool and the dispatch to the kinds (:mod:`.bars`, :mod:`.lines`,
:mod:`.rounds`). Titles and notes are set as paragraphs by the chart block, so the
figure holds only the plot itself."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import replace
from typing import Any

import matplotlib as mpl
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from factsheet.charts import bars, lines, maps, rounds
from factsheet.charts.frame import measure
from factsheet.charts.plot import ChartData, ChartLook, Formatter, Frame, Margins, Note, Plot
from factsheet.charts.rlbackend import FontResolver
from factsheet.render.recording import Recording, record_figure
from factsheet.spec.model import Chart

__all__ = ["KINDS", "ChartData", "ChartLook", "chart_context", "chart_recording", "make_figure"]


def rc_params(look: ChartLook) -> dict[str, Any]:
    """matplotlib settings for one chart; applied in a context, never globally."""
    return {
        "text.parse_math": False,  # a `$` in a data label prints as a dollar sign
        "font.size": look.font_size,
        "font.family": "sans-serif",
        "axes.edgecolor": look.axis,
        "axes.labelcolor": look.text,
        "axes.linewidth": 0.6,
        "axes.spines.top": False,
        "axes.spines.right": False,
        "xtick.color": look.axis,
        "ytick.color": look.axis,
        "xtick.labelcolor": look.text,
        "ytick.labelcolor": look.text,
        "xtick.major.size": 0,
        "ytick.major.size": 0,
        "xtick.major.pad": 3,
        "ytick.major.pad": 3,
        "grid.color": look.grid,
        "grid.linewidth": 0.5,
        "svg.fonttype": "none",
        "path.simplify": True,
    }


@contextmanager
def chart_context(look: ChartLook) -> Iterator[None]:
    """The chart settings for the duration of a block, then matplotlib's own again.
    Only the keys charts set are saved and restored: `mpl.rc_context` copies and
    re-validates every setting, which costs more than drawing a small chart."""
    params = rc_params(look)
    settings: Any = mpl.rcParams  # typed with literal keys; ours are plain strings
    saved = {key: settings[key] for key in params}
    settings.update(params)
    try:
        yield
    finally:
        dict.update(settings, saved)  # already validated: skip validation


def chart_recording(
    chart: Chart,
    data: ChartData,
    size: tuple[float, float],
    look: ChartLook,
    fmt: Formatter,
    fonts: FontResolver,
    frame: Frame | None = None,
    whole: float | None = None,
) -> Recording:
    """Draw a chart into a recording, on a figure borrowed from the pool and returned
    to it at once: creating matplotlib axes costs far more than drawing a small chart.
    `frame` is the chart as measured (measured here when not given); the chart's
    annotations hold their text as printed (templates rendered)."""
    plot = Plot(data, chart, look, fmt, size, whole=whole)
    plot = replace(plot, frame=frame or measure(plot))
    signature = (
        chart.type,
        chart.labels,
        chart.stacked,
        len(data.series),
        bool(chart.x_label),
        bool(chart.y_label),
        size,
        look,
    )
    with chart_context(look):
        fig = _POOL.get(signature, []).pop() if _POOL.get(signature) else None
        fig = make_figure(plot, fig)
        try:
            return record_figure(fig, fonts, look.rtl)
        finally:
            _POOL.setdefault(signature, []).append(fig)


_POOL: dict[tuple[Any, ...], list[Figure]] = {}


KINDS: dict[str, Callable[[Axes, Plot], Margins]] = {
    "bar": bars.bars,
    "hbar": bars.hbars,
    "dot": bars.dots,
    "line": lines.lines,
    "area": lines.areas,
    "sparkline": lines.sparkline,
    "donut": rounds.donut,
    "map": maps.choropleth,
}


def make_figure(plot: Plot, reuse: Figure | None = None) -> Figure:
    """A Figure of the plot's size in points, drawn as its frame says. Call inside
    :func:`chart_context`. A figure passed as `reuse` (from an earlier chart of the same
    kind, size and look) has its data cleared and is filled again."""
    chart, size, look = plot.chart, plot.size, plot.look
    if reuse is None:
        fig = Figure(figsize=(size[0] / 72, size[1] / 72), dpi=72)
        ax = fig.add_subplot()
    else:
        fig, ax = reuse, reuse.axes[0]
        _clear_data(ax)
    margins = KINDS[chart.type](ax, plot)
    annotate(ax, plot)
    line = look.font_size * 1.25
    if chart.x_label:
        ax.set_xlabel(chart.x_label, labelpad=3)
    if chart.y_label:
        ax.set_ylabel(chart.y_label, labelpad=3)
    if chart.type == "map":  # a map lays itself out; every other kind comes measured
        if chart.x_label:
            margins = margins._replace(bottom=margins.bottom + line + 3)
        if chart.y_label:
            margins = margins._replace(left=margins.left + line + 3)
    # Margins come from our own font metrics: matplotlib's constrained layout would
    # measure every label again and costs more than drawing the chart.
    width, height = size
    fig.subplots_adjust(
        left=margins.left / width,
        right=1 - margins.right / width,
        bottom=margins.bottom / height,
        top=1 - margins.top / height,
    )
    return fig


def annotate(ax: Axes, plot: Plot) -> None:
    """Write each annotation where the frame placed it, with its leader line, in figure
    points (the frame has kept them clear of the value labels and inside the figure)."""
    look = plot.look
    mirror = look.rtl and plot.chart.type == "hbar"  # see bars.mirrored
    for note in plot.geometry.notes:
        if mirror:
            note = mirrored_note(note, plot.size[0])
        ax.annotate(
            note.text,
            (note.x, note.y),
            xycoords="figure points",
            ha=note.align,
            va=note.valign,
            color=look.text,
            fontsize=look.label_size,
            fontstyle="italic",
            annotation_clip=False,
        )
        if note.leader is not None:
            x0, y0, x1, y1 = note.leader
            ax.annotate(
                "",
                (x1, y1),
                xytext=(x0, y0),
                xycoords="figure points",
                textcoords="figure points",
                annotation_clip=False,
                arrowprops={
                    "arrowstyle": "-",
                    "color": look.axis,
                    "lw": 0.6,
                    "shrinkA": 0,
                    "shrinkB": 0,
                },
            )


def mirrored_note(note: Note, width: float) -> Note:
    """An annotation reflected across a figure `width` points wide."""
    align = {"left": "right", "right": "left"}.get(note.align, note.align)
    leader = note.leader
    if leader is not None:
        x0, y0, x1, y1 = leader
        leader = (width - x0, y0, width - x1, y1)
    return replace(note, x=width - note.x, align=align, leader=leader)


def _clear_data(ax: Axes) -> None:
    """Remove one chart's data so the axes can hold the next (of the same kind: every
    other setting the kind makes is made again)."""
    for artist in [*ax.patches, *ax.texts, *ax.lines, *ax.collections]:
        artist.remove()
    old_legend = ax.get_legend()
    if old_legend is not None:
        old_legend.remove()
    ax.containers.clear()
    ax.relim()
    ax.ignore_existing_data_limits = True
