"""What every chart kind shares: the data a chart shows (categories × series), the
resolved look, and small measuring helpers. Margins are computed from ReportLab's own
font metrics, so the plot area is known before matplotlib lays anything out."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple

import numpy as np

from factsheet.spec.model import Chart

Formatter = Callable[[float], str]

# Okabe and Ito's colour-blind-safe palette, after the theme's own colours run out.
SAFE_PALETTE = ("#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2", "#D55E00", "#CC79A7")


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

    def colour(self, index: int) -> str:
        colours = (*self.palette, *SAFE_PALETTE)
        return colours[index % len(colours)]


@dataclass(frozen=True)
class ChartData:
    """Values by series and category: `values[s][c]` (NaN where a row is missing)."""

    categories: tuple[str, ...]
    series: tuple[str, ...]
    values: tuple[tuple[float, ...], ...]

    @property
    def single(self) -> bool:
        return len(self.series) == 1

    @property
    def first(self) -> list[float]:
        return list(self.values[0])

    def totals(self) -> list[float]:
        return [sum(v for v in column if v == v) for column in zip(*self.values, strict=True)]


class Margins(NamedTuple):
    """Space around the plot area, in points."""

    left: float
    right: float
    bottom: float
    top: float


@dataclass(frozen=True)
class Plot:
    """What a chart kind draws: the data, its colours, the spec and the style."""

    data: ChartData
    chart: Chart
    look: ChartLook
    fmt: Formatter
    size: tuple[float, float] = (0.0, 0.0)  # of the figure, in points

    @property
    def text_line(self) -> float:
        return self.look.font_size * 1.25 + 3

    def category_colours(self) -> list[str]:
        """One colour per category (single series): the highlight stands out."""
        base = self.look.colour(0)
        wanted = self.chart.highlight
        return [
            self.look.highlight if wanted is not None and category(wanted) == c else base
            for c in self.data.categories
        ]

    def series_colours(self) -> list[str]:
        """One colour per series; a highlighted series takes the accent."""
        wanted = self.chart.highlight
        if wanted is not None and category(wanted) in self.data.series:
            return [
                self.look.highlight if s == category(wanted) else self.look.colour(1 + n % 2)
                for n, s in enumerate(self.data.series)
            ]
        return [self.look.colour(n) for n in range(len(self.data.series))]

    def width(self, texts: Sequence[str], bold: bool = False) -> float:
        font = self.look.bold_font if bold else self.look.font
        size = self.look.label_size if bold else self.look.font_size
        return text_width(texts, font, size)

    def tick_width(self, axis: Any, low: float, high: float) -> float:
        return self.width(tick_labels(axis, low, high, self.fmt))

    def label_at(
        self,
        ax: Any,
        text: str,
        point: tuple[float, float],
        colour: str = "",
        offset: tuple[float, float] = (6, 0),
        **placement: Any,
    ) -> None:
        """A bold direct label `offset` points from a data point (beside it by default)."""
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
            **options,
        )


def text_width(texts: Sequence[str], font: str, size: float) -> float:
    from reportlab.pdfbase.pdfmetrics import stringWidth

    return max((stringWidth(t, font, size) for t in texts), default=0.0)


def tick_labels(axis: Any, low: float, high: float, fmt: Formatter) -> list[str]:
    ticks = axis.get_major_locator().tick_values(low, high)
    return [fmt(t) for t in ticks if low - 1e-9 <= t <= high + 1e-9]


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


def value_axis(axis: Any, fmt: Formatter) -> None:
    from matplotlib.ticker import FuncFormatter, MaxNLocator

    axis.set_major_locator(MaxNLocator(nbins=4))
    axis.set_major_formatter(FuncFormatter(lambda v, _pos: fmt(v)))


def legend(ax: Any, plot: Plot, handles: list[Any], width: float) -> float:
    """A legend above the plot, for several series, in as many rows as the `width`
    (points) needs; returns the room it takes."""
    if plot.data.single:
        return 0.0
    size = plot.look.font_size
    entries = [plot.width([name]) + size * 2.4 for name in plot.data.series]
    columns = len(entries)
    while columns > 1 and _rows_width(entries, columns) > width:
        columns -= 1
    rows = -(-len(entries) // columns)
    draw_legend(ax, plot, handles, list(plot.data.series), columns, above=True)
    return rows * (size * 1.4) + 6


def draw_legend(
    ax: Any, plot: Plot, handles: list[Any], labels: list[str], columns: int, above: bool
) -> None:
    """A frameless legend in the chart text's size, above the plot or below it."""
    ax.legend(
        handles,
        labels,
        loc="lower left" if above else "upper left",
        bbox_to_anchor=(0, 1.0 if above else 0.0),
        ncols=columns,
        frameon=False,
        borderaxespad=0.2,
        handlelength=0.9 if above else 1.2,
        handletextpad=0.4,
        columnspacing=1.0 if above else 0.9,
        fontsize=plot.look.font_size,
    )


def _rows_width(entries: list[float], columns: int) -> float:
    """Width of a legend laid out in `columns` (each as wide as its widest entry)."""
    return sum(max(entries[c::columns]) for c in range(columns))
