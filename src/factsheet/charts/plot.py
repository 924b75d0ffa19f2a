"""What every chart kind shares: the data a chart shows (categories × series), the
resolved look, the measured frame (margins, limits, label layout, colours, notes) and
small measuring helpers. Everything here is matplotlib-free: margins are computed from
ReportLab's own font metrics, so the plot area is known before matplotlib is imported,
and a chart can be measured (by `check`, or to align charts) without drawing it."""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, NamedTuple, cast

import numpy as np

from factsheet.charts.axes import Labels
from factsheet.charts.colours import legible
from factsheet.spec.model import Chart

Formatter = Callable[[float], str]

# Okabe and Ito's colour-blind-safe palette, after the theme's own colours run out,
# without its yellow (1.3:1 on white paper: a yellow line and its name cannot be read).
# Orange and sky blue are darkened to 3:1 against the paper like any colour (see
# colours.legible).
SAFE_PALETTE = ("#E69F00", "#56B4E9", "#009E73", "#0072B2", "#D55E00", "#CC79A7")


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
    italic_font: str = ""  # for annotations; default: the regular face
    paper: str = "#FFFFFF"  # what the chart is drawn on
    # Per font, the fonts its text is set in, run by run, in an edition whose script
    # has a font chain in the theme (see factsheet.layout.scripts); empty otherwise.
    chains: tuple[tuple[str, tuple[str, ...]], ...] = ()
    rtl: bool = False  # the page reads right to left: rows of bars are mirrored

    def candidates(self) -> tuple[str, ...]:
        """The colours series may take, in order: the theme's palette, then the
        built-in one, each darkened where needed to 3:1 against the paper."""
        return _candidates((*self.palette, *SAFE_PALETTE), self.paper)

    def colour(self, index: int) -> str:
        colours = self.candidates()
        return colours[index % len(colours)]

    @property
    def accent(self) -> str:
        """The highlight colour, darkened where needed to 3:1 against the paper."""
        return legible(self.highlight, self.paper)


@lru_cache(maxsize=64)
def _candidates(colours: tuple[str, ...], paper: str) -> tuple[str, ...]:
    return tuple(dict.fromkeys(legible(c, paper) for c in colours))


@dataclass(frozen=True)
class ChartData:
    """Values by series and category: `values[s][c]` (NaN where no row gives one).
    `evenly_spaced` says the categories are numbers or dates in ascending order at one
    step (years, say), so a reader can count the ones whose label is left out."""

    categories: tuple[str, ...]
    series: tuple[str, ...]
    values: tuple[tuple[float, ...], ...]
    evenly_spaced: bool = False

    @property
    def single(self) -> bool:
        return len(self.series) == 1

    @property
    def first(self) -> list[float]:
        return list(self.values[0])

    def totals(self) -> list[float]:
        return [sum(v for v in column if v == v) for column in zip(*self.values, strict=True)]

    def present(self) -> list[float]:
        """Every value a row gives, in no particular order."""
        return [v for s in self.values for v in s if v == v]


class Margins(NamedTuple):
    """Space around the plot area, in points."""

    left: float
    right: float
    bottom: float
    top: float


@dataclass(frozen=True)
class Note:
    """An annotation placed in figure points: its text anchored at (x, y) with the
    given alignment, and a leader line from (x0, y0) to (x1, y1) when it has one."""

    text: str
    x: float
    y: float
    align: str  # left | center | right
    valign: str  # bottom | center
    leader: tuple[float, float, float, float] | None = None


NO_LABELS = Labels(())


@dataclass(frozen=True)
class Frame:
    """Everything about a chart's geometry, decided from font metrics before matplotlib
    draws anything (see :mod:`factsheet.charts.frame`)."""

    margins: Margins
    colours: tuple[str, ...] = ()  # one per series, or per category (single series)
    value_limits: tuple[float, float] = (0.0, 1.0)
    ticks: tuple[float, ...] = ()  # value-axis ticks; none when the axis is hidden
    category_limits: tuple[float, float] = (0.0, 1.0)
    labels: Labels = NO_LABELS  # category labels as set (wrapped, thinned, upright)
    thickness: float = 0.0  # a bar's thickness, in category steps
    notes: tuple[Note, ...] = ()
    legend_columns: int = 0  # 0: no legend
    legend_lift: float = 0.0  # points between the plot's top and the legend's foot
    ends: tuple[float, ...] = ()  # lines: where each series' name sits, in values
    accent: str = ""  # the highlighted category's or series' colour
    focus: int = -1  # the highlighted category (one series) or series; -1: none
    inside: tuple[tuple[bool, ...], ...] = ()  # stacked bars: segments that hold their label

    @property
    def base(self) -> str:
        """The colour of the marks that are not highlighted (one series)."""
        return next((c for n, c in enumerate(self.colours) if n != self.focus), self.accent)

    def muted(self, index: int) -> bool:
        """Whether mark `index` (a series, or one series' category) is set aside by a
        highlight: drawn muted, its labels in the chart text's colour."""
        return self.focus >= 0 and index != self.focus


@dataclass(frozen=True)
class Plot:
    """What a chart kind draws: the data, the spec, the style and the frame."""

    data: ChartData
    chart: Chart
    look: ChartLook
    fmt: Formatter
    size: tuple[float, float] = (0.0, 0.0)  # of the figure, in points
    frame: Frame | None = None
    # The value a printed label stands for (1,600 printed "2K" is 2,000; with a compact
    # step, see `axis_fmt`), so that ticks are put where their labels say; None: judge
    # by the format's unit alone.
    printed: Callable[[float, int | None], float] | None = None
    # A donut of shares: the value that is the whole ring (1, or 100 for values written
    # as percentages), the rest of the ring left pale; None: its parts are its whole.
    whole: float | None = None

    @property
    def text_line(self) -> float:
        return self.look.font_size * 1.25 + 3

    @property
    def geometry(self) -> Frame:
        assert self.frame is not None, "a chart is measured before it is drawn"
        return self.frame

    def width(self, texts: Sequence[str], bold: bool = False) -> float:
        font = self.look.bold_font if bold else self.look.font
        size = self.look.label_size if bold else self.look.font_size
        return text_width(texts, font, size, self.look.chains, self.look.rtl)

    def line(self, bold: bool = False) -> float:
        """Height of one line of chart text, as matplotlib sets it (1.2 × the font's
        ascent plus descent)."""
        font = self.look.bold_font if bold else self.look.font
        size = self.look.label_size if bold else self.look.font_size
        return line_height(font, size)

    def label_colour(self, index: int) -> str:
        """The colour of mark `index`'s value label: the label colour, or the chart
        text's (muted) colour for a mark a highlight sets aside."""
        return self.look.text if self.geometry.muted(index) else self.look.label

    def value_gid(self, series: int, category: int) -> str:
        """The id a value label carries, so the drawing records where it printed that
        value (see charts.rlbackend and render.boxes)."""
        return value_gid(self.data.series[series], self.data.categories[category])

    def label_at(
        self,
        ax: Any,
        text: str,
        point: tuple[float, float],
        colour: str = "",
        offset: tuple[float, float] = (6, 0),
        gid: str | None = None,
        **placement: Any,
    ) -> None:
        """A bold direct label `offset` points from a data point (beside it by default);
        `gid` says which value it prints (see :meth:`value_gid`)."""
        options = {"va": "center", **placement}
        ax.annotate(
            text,
            point,
            xytext=offset,
            textcoords="offset points",
            color=colour or self.look.label,
            fontsize=self.look.label_size,
            fontweight="bold",
            annotation_clip=False,
            gid=gid,
            **options,
        )


VALUE_GID = "factsheet-value:"


def value_gid(series: str, category: str) -> str:
    """A value label's id: the series and category of the value it prints."""
    return VALUE_GID + json.dumps([series, category], ensure_ascii=False)


def text_width(
    texts: Sequence[str],
    font: str,
    size: float,
    chains: tuple[tuple[str, tuple[str, ...]], ...] = (),
    rtl: bool = False,
) -> float:
    """The widest of `texts` as the chart draws them: each run in its font of `font`'s
    chain, shaped right to left on a page read that way (`rtl`; see
    :func:`factsheet.layout.scripts.drawn_width`)."""
    from factsheet.layout.scripts import drawn_width

    chain = dict(chains).get(font, ())
    return max((drawn_width(t, font, size, chain, rtl) for t in texts), default=0.0)


def line_height(font: str, size: float) -> float:
    from reportlab.pdfbase.pdfmetrics import getAscentDescent

    ascent, descent = getAscentDescent(font, size)
    return 1.2 * float(ascent - descent)


def category(value: Any) -> str:
    """A data value as a category label: 2017.0 → "2017"."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, np.datetime64):
        return str(value.astype("datetime64[D]"))
    return str(value)


def headroom(values: Sequence[float], factor: float = 1.18) -> float:
    top = max([0.0, *(v for v in values if v == v)])
    return top * factor if top > 0 else 1.0


def axis_fmt(plot: Plot, ticks: Sequence[float]) -> Formatter:
    """How the value axis's `ticks` are printed: compact ones all in one step (0, 0.8K,
    1.6K), when the chart's format can say so (see `LabelFormat.on_axis`)."""
    on_axis = getattr(plot.fmt, "on_axis", None)
    return plot.fmt if on_axis is None else cast(Formatter, on_axis(ticks))


def axis_step(plot: Plot, ticks: Sequence[float]) -> int | None:
    """The compact step `axis_fmt` prints `ticks` in; None: each in its own."""
    return getattr(axis_fmt(plot, ticks), "step", None)


def value_axis(axis: Any, ticks: Sequence[float], fmt: Formatter) -> None:
    """The value axis's ticks, measured before drawing, printed in the chart's format."""
    from matplotlib.ticker import FixedLocator, FuncFormatter

    axis.set_major_locator(FixedLocator(list(ticks)))
    axis.set_major_formatter(FuncFormatter(lambda v, _pos: fmt(v)))


def legend_layout(plot: Plot, width: float) -> tuple[int, float]:
    """Columns of a legend of the series above the plot, in as many rows as `width`
    (points) needs, and the room it takes; (0, 0) for a single series."""
    if plot.data.single:
        return 0, 0.0
    size = plot.look.font_size
    entries = [plot.width([name]) + size * 2.4 for name in plot.data.series]
    columns, rows = legend_grid(entries, width)
    return columns, rows * (size * 1.4) + 6


def legend_grid(entries: Sequence[float], width: float) -> tuple[int, int]:
    """Columns and rows of a legend whose entries are `entries` points wide: as few
    rows as `width` allows, each column as wide as its widest entry."""
    columns = len(entries)
    while columns > 1 and _rows_width(entries, columns) > width:
        columns -= 1
    return columns, -(-len(entries) // columns)


def legend(ax: Any, plot: Plot, handles: list[Any]) -> None:
    """The series' legend above the plot (and above any annotations), as measured."""
    frame = plot.geometry
    if frame.legend_columns:
        plot_height = plot.size[1] - frame.margins.top - frame.margins.bottom
        lift = 1.0 + frame.legend_lift / max(plot_height, 1.0)
        series = list(plot.data.series)
        draw_legend(ax, plot, handles, series, frame.legend_columns, above=True, lift=lift)


def draw_legend(
    ax: Any,
    plot: Plot,
    handles: list[Any],
    labels: list[str],
    columns: int,
    above: bool,
    lift: float = 1.0,
) -> None:
    """A frameless legend in the chart text's size, above the plot or below it."""
    ax.legend(
        handles,
        labels,
        loc="lower left" if above else "upper left",
        bbox_to_anchor=(0, lift if above else 0.0),
        ncols=columns,
        frameon=False,
        borderaxespad=0.2,
        handlelength=0.9 if above else 1.2,
        handletextpad=0.4,
        columnspacing=1.0 if above else 0.9,
        fontsize=plot.look.font_size,
    )


def _rows_width(entries: Sequence[float], columns: int) -> float:
    """Width of a legend laid out in `columns` (each as wide as its widest entry)."""
    return sum(max(entries[c::columns]) for c in range(columns))
