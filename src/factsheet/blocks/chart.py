"""The chart block: rows picked from a source, a matplotlib figure of the chosen kind,
and a title and source note set as paragraphs around it. The figure is drawn straight
onto the PDF canvas as vectors with real text (see :mod:`factsheet.charts.rlbackend`)."""

from __future__ import annotations

from typing import Any

from matplotlib.figure import Figure

from factsheet.blocks.base import BlockContext, Built, register
from factsheet.blocks.flowables import Box, Filled
from factsheet.charts.kinds import ChartLook, chart_context, make_figure
from factsheet.data.figures import select_rows
from factsheet.data.formats import NumberLocale, format_number
from factsheet.errors import DataError
from factsheet.location import Location
from factsheet.spec.model import Chart
from factsheet.theme import LoadedTheme

MIN_PLOT_HEIGHT = 40.0


class FigureFlowable(Filled):
    """A matplotlib figure drawn as vectors at a fixed size."""

    def __init__(
        self, figure: Figure, height: float, theme: LoadedTheme, look: ChartLook, family: str
    ) -> None:
        super().__init__(height)
        self.figure = figure
        self.theme = theme
        self.look = look
        self.family = family

    def draw(self) -> None:
        from factsheet.charts.rlbackend import draw_figure

        with chart_context(self.look):
            draw_figure(self.canv, self.figure, 0, 0, self._font)

    def _font(self, prop: Any) -> str:
        weight = prop.get_weight()
        bold = weight in ("bold", "heavy", "black", "semibold", "demibold") or (
            isinstance(weight, int) and weight >= 600
        )
        return self.theme.font(self.family, bold=bold, italic=prop.get_style() == "italic")


def chart_look(theme: LoadedTheme) -> ChartLook:
    t = theme.theme
    text = t.styles.chart_text
    return ChartLook(
        palette=tuple(t.colour(c) for c in t.chart.palette),
        highlight=t.colour(t.chart.highlight),
        grid=t.colour(t.chart.grid),
        axis=t.colour(t.chart.axis),
        text=t.colour(text.colour),
        label=t.colour(t.styles.chart_title.colour),
        font_size=text.size,
        label_size=text.size,
        font=theme.font(text.font),
        bold_font=theme.font(text.font, bold=True),
    )


@register("chart")
def build_chart(block: Chart, ctx: BlockContext) -> Built:
    table = ctx.tables[block.source]
    for key, column in (("x", block.x), ("y", block.y)):
        if column not in table.types:
            raise table.unknown_column(column).located(Location(key_path=(*ctx.key_path, key)))
    if table.types[block.y] not in ("number", "integer"):
        raise DataError(
            f"chart values column '{block.y}' holds text, not numbers",
            Location(key_path=(*ctx.key_path, "y")),
        )
    rows = select_rows(table, block.where, ctx.templates.render_value)
    if rows.empty:
        raise DataError(f"the chart selects no rows from {table.display_path}")
    xs, ys = list(rows[block.x]), [float(v) for v in rows[block.y]]
    head = ctx.paragraphs(block.title, "chart_title") if block.title else []
    foot = ctx.paragraphs(block.note, "chart_note", spaceBefore=2) if block.note else []
    text_height = sum(p.wrap(ctx.width, 1e6)[1] + 3 for p in head + foot)
    plot_height = block.height - text_height
    if plot_height < MIN_PLOT_HEIGHT:
        raise DataError(
            f"the chart's title and note leave only {plot_height:.0f}pt for the plot",
            hint="raise the chart's height or shorten its title",
        )
    look = chart_look(ctx.theme)
    figure = _figure(block, xs, ys, (ctx.width, plot_height), look, ctx.locale)
    plot = FigureFlowable(
        figure, plot_height, ctx.theme, look, ctx.theme.theme.styles.chart_text.font
    )
    plot.alt_text = ctx.plain(block.alt) or _alt(ctx.plain(block.title), xs, ys, block, ctx)
    box = Box([*head, plot, *foot], padding=0, gap=3)
    box.alt_text = plot.alt_text
    return Built((box,), keep_together=True, files=(table.path,))


_FIGURES: dict[tuple[Any, ...], Figure] = {}
_FIGURES_KEPT = 64


def _figure(
    block: Chart,
    xs: list[Any],
    ys: list[float],
    size: tuple[float, float],
    look: ChartLook,
    locale: NumberLocale,
) -> Figure:
    """A chart's figure, made once per process for the same data, size and style:
    editions that share a chart share its figure. Figures are never changed after
    they are made, so sharing is safe."""
    key = (block.model_dump_json(), tuple(map(str, xs)), tuple(ys), size, look, locale)
    figure = _FIGURES.get(key)
    if figure is None:
        with chart_context(look):
            figure = make_figure(
                block, xs, ys, size, look, lambda v: format_number(v, block.format, locale)
            )
        if len(_FIGURES) >= _FIGURES_KEPT:
            _FIGURES.pop(next(iter(_FIGURES)))
        _FIGURES[key] = figure
    return figure


def clear_cache() -> None:
    """Forget every cached figure (benchmarks measure charts made from scratch)."""
    _FIGURES.clear()


def _alt(title: str, xs: list[Any], ys: list[float], block: Chart, ctx: BlockContext) -> str:
    """A description built from the data alone, so it holds in every language."""
    pairs = "; ".join(
        f"{x}: {format_number(y, block.format, ctx.locale)}" for x, y in zip(xs, ys, strict=True)
    )
    return f"{title} ({pairs})" if title else pairs
