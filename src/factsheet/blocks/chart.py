"""The chart block: rows picked from a source, a matplotlib figure of the chosen kind,
and a title and source note set as paragraphs around it. The figure is drawn once into
a recording of vector drawing calls with real text (see :mod:`factsheet.charts`), and
the recording is replayed onto the page; an unchanged chart is recorded once per
process and replayed in every edition that shows it."""

from __future__ import annotations

import functools
import math
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from factsheet import cache
from factsheet.blocks.base import BlockContext, Built, register
from factsheet.blocks.flowables import Box, Filled
from factsheet.charts import mapdata
from factsheet.charts.plot import ChartData, ChartLook, category
from factsheet.data.figures import select_rows
from factsheet.data.formats import format_number
from factsheet.data.rows import Rows
from factsheet.errors import DataError
from factsheet.location import Location
from factsheet.spec.model import Chart
from factsheet.theme import LoadedTheme

if TYPE_CHECKING:  # matplotlib is imported only when a chart is actually drawn
    from factsheet.render.recording import Recording

MIN_PLOT_HEIGHT = 40.0


class FigureFlowable(Filled):
    """A recorded chart replayed at a fixed size."""

    def __init__(self, recording: Recording) -> None:
        super().__init__(recording.height)
        self.recording = recording

    def draw(self) -> None:
        self.recording.replay(self.canv)


def font_resolver(theme: LoadedTheme, family: str) -> Callable[[Any], str]:
    """Maps matplotlib's font requests to the theme's registered faces."""

    def resolve(prop: Any) -> str:
        weight = prop.get_weight()
        bold = weight in ("bold", "heavy", "black", "semibold", "demibold") or (
            isinstance(weight, int) and weight >= 600
        )
        return theme.font(family, bold=bold, italic=prop.get_style() == "italic")

    return resolve


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
    for key in ("x", "y", "series"):
        column = getattr(block, key)
        if column is not None and column not in table.types:
            raise table.unknown_column(column).located(Location(key_path=(*ctx.key_path, key)))
    if table.types[block.y] not in ("number", "integer"):
        raise DataError(
            f"chart values column '{block.y}' holds text, not numbers",
            Location(key_path=(*ctx.key_path, "y")),
        )
    rows = select_rows(table, block.where, ctx.templates.render_value)
    if rows.empty:
        raise DataError(f"the chart selects no rows from {table.display_path}")
    keyed = None
    if block.type == "map":  # names and codes become ISO3 codes before rows are pivoted
        language = ctx.document.language
        keyed = mapdata.keyed_rows(block, rows, table.display_path, ctx.key_path, language)
        rows = keyed.rows
    data = chart_data(block, rows)
    warnings: tuple[str, ...] = ()
    if keyed:  # a map shows its region's countries, and says what it leaves out
        data, warnings = mapdata.in_region(block, data, keyed)
    head = ctx.paragraphs(block.title, "chart_title") if block.title else []
    head += ctx.paragraphs(block.subtitle, "chart_note", spaceBefore=1) if block.subtitle else []
    foot = ctx.paragraphs(block.note, "chart_note", spaceBefore=2) if block.note else []
    text_height = sum(p.wrap(ctx.width, 1e6)[1] + 3 for p in head + foot)
    plot_height = block.height - text_height
    if plot_height < MIN_PLOT_HEIGHT and block.type != "sparkline":
        raise DataError(
            f"the chart's title and note leave only {plot_height:.0f}pt for the plot",
            hint="raise the chart's height or shorten its title",
        )
    plot: Filled
    if ctx.draw:
        plot = FigureFlowable(_recording(block, data, (ctx.width, plot_height), ctx))
    else:  # `check`: the same size, and the labels the glyph check must see
        plot = Filled(plot_height)
        plot.text_runs = _label_runs(block, data, ctx)
    described = mapdata.alt_data(data, keyed.names) if keyed else data
    plot.alt_text = ctx.plain(block.alt) or _alt(ctx.plain(block.title), described, block, ctx)
    box = Box([*head, plot, *foot], padding=0, gap=3)
    box.alt_text = plot.alt_text
    return Built((box,), keep_together=True, files=(table.path,), warnings=warnings)


def chart_data(block: Chart, rows: Rows) -> ChartData:
    """Categories × series from the selected rows, sorted and cut as the spec asks."""
    xs = [category(x) for x in rows[block.x]]
    ss = [category(s) for s in rows[block.series]] if block.series else [""] * len(xs)
    categories, names = list(dict.fromkeys(xs)), list(dict.fromkeys(ss))
    cells: dict[tuple[str, str], float] = {}
    for key, y in zip(zip(ss, xs, strict=True), rows[block.y].tolist(), strict=True):
        cells[key] = cells.get(key, 0.0) + float(y)
    if block.sort != "data":

        def total(c: str) -> float:
            return sum(cells.get((s, c), 0.0) for s in names)

        categories.sort(key=total, reverse=block.sort == "descending")
    if block.top is not None:
        categories = categories[: block.top]
    values = tuple(tuple(cells.get((s, c), math.nan) for c in categories) for s in names)
    return ChartData(tuple(categories), tuple(names), values)


_RECORDINGS: dict[tuple[Any, ...], Recording] = {}
_RECORDINGS_KEPT = 256


def _recording(
    block: Chart, data: ChartData, size: tuple[float, float], ctx: BlockContext
) -> Recording:
    """A chart's drawing, made once per process for the same data, size and style."""
    look = chart_look(ctx.theme)
    family = ctx.theme.theme.styles.chart_text.font
    notes = tuple((category(n.at), ctx.plain(n.text)) for n in block.annotations)
    parts: tuple[Any, ...] = (block.model_dump_json(), data, size, look, ctx.locale, family, notes)
    key = (*parts, id(ctx.theme))
    recording = _RECORDINGS.get(key)
    if recording is None:
        from factsheet.render.recording import Recording

        draw = functools.partial(_draw, block, data, size, look, notes, ctx)
        # The theme's files (fonts above all) decide how labels are set.
        stored = (*parts, *ctx.theme.files())
        recording = cache.remembered(
            ctx.root, "charts", stored, draw, Recording.to_json, Recording.from_json
        )
        if len(_RECORDINGS) >= _RECORDINGS_KEPT:
            _RECORDINGS.pop(next(iter(_RECORDINGS)))
        _RECORDINGS[key] = recording
    return recording


def _draw(
    block: Chart,
    data: ChartData,
    size: tuple[float, float],
    look: ChartLook,
    notes: tuple[tuple[str, str], ...],
    ctx: BlockContext,
) -> Recording:
    """Draw the chart with matplotlib (imported here, only when a chart is drawn)."""
    from factsheet.charts.kinds import chart_recording

    def formatter(value: float) -> str:
        return format_number(value, block.format, ctx.locale)

    resolver = font_resolver(ctx.theme, ctx.theme.theme.styles.chart_text.font)
    return chart_recording(block, data, size, look, formatter, resolver, notes)


def clear_cache() -> None:
    """Forget every cached chart (benchmarks measure charts made from scratch)."""
    _RECORDINGS.clear()


def _label_runs(block: Chart, data: ChartData, ctx: BlockContext) -> list[tuple[str, str]]:
    """(font, text) of every label a drawn chart would print."""
    family = ctx.theme.theme.styles.chart_text.font
    regular, bold = ctx.theme.font(family), ctx.theme.font(family, bold=True)
    values = [format_number(v, block.format, ctx.locale) for s in data.values for v in s if v == v]
    notes = [ctx.plain(n.text) for n in block.annotations]
    return [(regular, t) for t in [*data.categories, *data.series, *notes]] + [
        (bold, t) for t in [*values, *data.series]
    ]


def _alt(title: str, data: ChartData, block: Chart, ctx: BlockContext) -> str:
    """A description built from the data alone, so it holds in every language."""

    def pairs(values: tuple[float, ...]) -> str:
        return "; ".join(
            f"{c}: {format_number(v, block.format, ctx.locale)}"
            for c, v in zip(data.categories, values, strict=True)
            if v == v
        )

    if data.single:
        body = pairs(data.values[0])
    else:
        body = " | ".join(f"{s}: {pairs(v)}" for s, v in zip(data.series, data.values, strict=True))
    return f"{title} ({body})" if title else body
