"""Chart kinds as matplotlib Figures (never pyplot), styled from the theme: the brand's
colours and fonts, sizes in points matching the body text, no top or right spines,
sparse gridlines and values labelled directly on the data. Titles and source notes are
set as paragraphs by the chart block, so the figure holds only the plot itself."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, NamedTuple

import matplotlib as mpl
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from factsheet.charts.recording import Recording, record_figure
from factsheet.charts.rlbackend import FontResolver
from factsheet.spec.model import Chart

Formatter = Callable[[float], str]


@dataclass(frozen=True)
class ChartLook:
    """Resolved colours (#rrggbb) and sizes a chart is drawn with."""

    palette: tuple[str, ...]
    highlight: str
    grid: str
    axis: str
    text: str
    label: str  # colour of direct data labels
    font_size: float
    label_size: float
    font: str  # registered ReportLab name of the regular face, for measuring text
    bold_font: str


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
    xs: Sequence[Any],
    ys: Sequence[float],
    size: tuple[float, float],
    look: ChartLook,
    fmt: Formatter,
    fonts: FontResolver,
) -> Recording:
    """Draw a chart into a recording, on a figure borrowed from the pool and returned
    to it at once: creating matplotlib axes costs far more than drawing a small chart."""
    signature = (chart.type, chart.labels, bool(chart.x_label), bool(chart.y_label), size, look)
    with chart_context(look):
        fig = _POOL.get(signature, []).pop() if _POOL.get(signature) else None
        fig = make_figure(chart, xs, ys, size, look, fmt, fig)
        try:
            return record_figure(fig, fonts)
        finally:
            _POOL.setdefault(signature, []).append(fig)


_POOL: dict[tuple[Any, ...], list[Figure]] = {}


def make_figure(
    chart: Chart,
    xs: Sequence[Any],
    ys: Sequence[float],
    size: tuple[float, float],
    look: ChartLook,
    fmt: Formatter,
    reuse: Figure | None = None,
) -> Figure:
    """A Figure of `size` points for `chart`. Call inside :func:`chart_context`. A
    figure passed as `reuse` (from an earlier chart of the same kind, size and look)
    has its data cleared and is filled again."""
    if reuse is None:
        fig = Figure(figsize=(size[0] / 72, size[1] / 72), dpi=72)
        ax = fig.add_subplot()
    else:
        fig, ax = reuse, reuse.axes[0]
        _clear_data(ax)
    labels = [_category(x) for x in xs]
    colours = [
        look.highlight
        if chart.highlight is not None and _same(x, chart.highlight)
        else look.palette[0]
        for x in xs
    ]
    draw = {"bar": _bars, "hbar": _hbars, "line": _line}[chart.type]
    margins = draw(ax, Plot(labels, list(ys), colours, chart, look, fmt))
    line = look.font_size * 1.25
    if chart.x_label:
        ax.set_xlabel(chart.x_label, labelpad=3)
        margins = margins._replace(bottom=margins.bottom + line + 3)
    if chart.y_label:
        ax.set_ylabel(chart.y_label, labelpad=3)
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


def _clear_data(ax: Axes) -> None:
    """Remove one chart's data so the axes can hold the next (of the same kind: every
    other setting the kind makes is made again)."""
    for artist in [*ax.patches, *ax.texts, *ax.lines, *ax.collections]:
        artist.remove()
    ax.containers.clear()
    ax.relim()
    ax.ignore_existing_data_limits = True


class Margins(NamedTuple):
    """Space around the plot area, in points."""

    left: float
    right: float
    bottom: float
    top: float


def _text_width(texts: Sequence[str], font: str, size: float) -> float:
    from reportlab.pdfbase.pdfmetrics import stringWidth

    return max((stringWidth(t, font, size) for t in texts), default=0.0)


def _tick_labels(axis: Any, low: float, high: float, fmt: Formatter) -> list[str]:
    ticks = axis.get_major_locator().tick_values(low, high)
    return [fmt(t) for t in ticks if low - 1e-9 <= t <= high + 1e-9]


def _category(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _same(value: Any, wanted: Any) -> bool:
    return _category(value) == _category(wanted)


@dataclass(frozen=True)
class Plot:
    """What a chart kind draws: categories, values, their colours and the style."""

    labels: list[str]
    ys: list[float]
    colours: list[str]
    chart: Chart
    look: ChartLook
    fmt: Formatter

    @property
    def text_line(self) -> float:
        return self.look.font_size * 1.25 + 3

    def value_labels(self) -> list[str]:
        return [self.fmt(v) for v in self.ys]

    def tick_width(self, axis: Any, low: float, high: float) -> float:
        return _text_width(
            _tick_labels(axis, low, high, self.fmt), self.look.font, self.look.font_size
        )


def _label_bars(ax: Axes, bars: Any, plot: Plot, padding: float) -> None:
    look = plot.look
    ax.bar_label(
        bars,
        plot.value_labels(),
        padding=padding,
        color=look.label,
        fontsize=look.label_size,
        fontweight="bold",
    )


def _bars(ax: Axes, plot: Plot) -> Margins:
    positions = range(len(plot.labels))
    bars = ax.bar(positions, plot.ys, width=0.5, color=plot.colours, zorder=2)
    ax.set_xticks(list(positions), plot.labels)
    ax.set_ylim(0, _headroom(plot.ys))
    if plot.chart.labels:
        _label_bars(ax, bars, plot, padding=2)
        ax.yaxis.set_visible(False)
        ax.spines["left"].set_visible(False)
        return Margins(1, 1, plot.text_line, 1)
    _value_axis(ax.yaxis, plot.fmt)
    ax.grid(axis="y", zorder=0)
    left = plot.tick_width(ax.yaxis, *ax.get_ylim()) + 4
    return Margins(left, 1, plot.text_line, plot.look.font_size / 2)


def _hbars(ax: Axes, plot: Plot) -> Margins:
    positions = list(range(len(plot.labels)))[::-1]  # first row on top, as it is read
    bars = ax.barh(positions, plot.ys, height=0.6, color=plot.colours, zorder=2)
    ax.set_yticks(positions, plot.labels)
    ax.spines["left"].set_visible(False)
    left = _text_width(plot.labels, plot.look.font, plot.look.font_size) + 4
    if plot.chart.labels:
        ax.set_xlim(0, _headroom(plot.ys, 1.0))
        _label_bars(ax, bars, plot, padding=3)
        ax.xaxis.set_visible(False)
        ax.spines["bottom"].set_visible(False)
        right = _text_width(plot.value_labels(), plot.look.bold_font, plot.look.label_size) + 5
        return Margins(left, right, 1, 1)
    ax.set_xlim(0, _headroom(plot.ys, 1.05))
    _value_axis(ax.xaxis, plot.fmt)
    ax.grid(axis="x", zorder=0)
    ticks = _tick_labels(ax.xaxis, *ax.get_xlim(), plot.fmt)
    half_tick = _text_width(ticks[-1:], plot.look.font, plot.look.font_size) / 2
    return Margins(left, half_tick + 1, plot.text_line, 1)


def _line(ax: Axes, plot: Plot) -> Margins:
    look, ys = plot.look, plot.ys
    positions = list(range(len(plot.labels)))
    ax.plot(
        positions,
        ys,
        color=look.palette[0],
        linewidth=1.8,
        zorder=3,
        marker="o",
        markersize=3.5,
        solid_capstyle="round",
    )
    ax.set_xticks(positions, plot.labels)
    low, high = min(ys), max(ys)
    span = (high - low) or abs(high) or 1.0
    ax.set_ylim(min(0.0, low) if 0 <= low < span else low - span * 0.25, high + span * 0.3)
    ax.set_xlim(-0.35, len(plot.labels) - 0.65)
    _value_axis(ax.yaxis, plot.fmt)
    ax.grid(axis="y", zorder=0)
    ax.spines["left"].set_visible(False)
    if plot.chart.labels:
        # Label every point of a short series, only the ends of a long one.
        shown = positions if len(positions) <= 8 else [positions[0], positions[-1]]
        for i in shown:
            colour = plot.colours[i] if plot.colours[i] != look.palette[0] else look.label
            ax.annotate(
                plot.fmt(ys[i]),
                (i, ys[i]),
                xytext=(0, 5),
                textcoords="offset points",
                ha="center",
                va="bottom",
                color=colour,
                fontsize=look.label_size,
                fontweight="bold",
            )
    left = plot.tick_width(ax.yaxis, *ax.get_ylim()) + 4
    return Margins(left, 2, plot.text_line, 2)


def _headroom(values: list[float], factor: float = 1.18) -> float:
    top = max([0.0, *values])
    return top * factor if top > 0 else 1.0


def _value_axis(axis: Any, fmt: Formatter) -> None:
    from matplotlib.ticker import FuncFormatter, MaxNLocator

    axis.set_major_locator(MaxNLocator(nbins=4))
    axis.set_major_formatter(FuncFormatter(lambda v, _pos: fmt(v)))
