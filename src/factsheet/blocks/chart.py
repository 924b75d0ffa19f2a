"""The chart block: rows picked from a source and reduced to one value per category
and series (never summed or picked silently: rows that share an x need an explicit
`aggregate`), a chart measured from font metrics before anything is drawn (margins,
labels, notes, colours; see :mod:`factsheet.charts.frame`), and a title and source note
set as paragraphs around it. The figure is drawn once into a recording of vector
drawing calls with real text (see :mod:`factsheet.charts`), and the recording is
replayed onto the page; an unchanged chart is recorded once per process and replayed in
every edition that shows it. :func:`aligned_lefts` lets consecutive charts share the
left edge of their plot areas. Its checks, warnings and number formatter are
:mod:`factsheet.blocks.chart_checks`'s; its look and fonts are
:mod:`factsheet.blocks.chart_look`'s."""

from __future__ import annotations

import contextlib
import functools
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from factsheet.blocks import chart_drawing as drawing
from factsheet.blocks.base import BlockContext, Built, register
from factsheet.blocks.chart_checks import (
    check_columns,
    colour_error,
    formatter,
    highlight_warnings,
    inside,
    label_warnings,
    no_rows,
    printed_in_units,
    unit_of,
    unit_warnings,
    whole_of,
)
from factsheet.blocks.chart_look import chart_look
from factsheet.blocks.flowables import Box, Filled
from factsheet.blocks.traces import LabelTrace, rows_record
from factsheet.charts import mapdata, sidecar
from factsheet.charts.colours import ColourShortage
from factsheet.charts.frame import measure
from factsheet.charts.pivot import chart_data, without_missing
from factsheet.charts.plot import ChartData, ChartLook, Frame, Plot, category
from factsheet.charts.translated import translated
from factsheet.data import figure_units
from factsheet.data.figures import select_rows
from factsheet.data.rows import Rows
from factsheet.data.sources import Table
from factsheet.errors import DataError, FactsheetError
from factsheet.layout.roles import Node, each
from factsheet.layout.scripts import runs
from factsheet.location import Location
from factsheet.render.boxes import recorder_of
from factsheet.spec.model import Block, Chart

if TYPE_CHECKING:  # matplotlib is imported only when a chart is actually drawn
    from factsheet.render.recording import Recording

__all__ = ["aligned_lefts", "build_chart", "chart_data", "clear_cache"]

MIN_PLOT_HEIGHT = 40.0


class FigureFlowable(Filled):
    """A recorded chart replayed at a fixed size."""

    def __init__(self, recording: Recording) -> None:
        super().__init__(recording.height)
        self.recording = recording

    def draw(self) -> None:
        self.recording.replay(self.canv)
        recorder = recorder_of(self.canv)
        if recorder is not None:  # a click on the chart shows the rows it drew
            recorder.add(self.canv, ("chart",), (0.0, 0.0, self.width, self.height))


@dataclass(frozen=True)
class Prepared:
    """A chart measured but not drawn: what both a build and the alignment pass need."""

    chart: Chart  # the block with its annotations' text rendered
    table: Table
    data: ChartData
    head: list[Any]
    foot: list[Any]
    size: tuple[float, float]
    look: ChartLook
    frame: Frame
    names: Mapping[str, str] | None = None  # a map's country names, by ISO3 code
    warnings: tuple[str, ...] = ()  # a map's: countries outside its region, or only dotted
    rows: Rows | None = None  # the rows pivoted, for the manifest's record of values
    raw: ChartData | None = None  # the values by the data's own category names


def prepare(block: Chart, ctx: BlockContext, align_left: float = 0.0) -> Prepared:
    """Select and reduce the chart's rows, set its title and note, and measure it."""
    table = ctx.tables[block.source]
    check_columns(block, table, ctx)
    rows = select_rows(table, block.where, ctx.templates.render_value)
    if rows.empty:
        raise no_rows("chart", table, block.where, ctx)
    keyed = None
    if block.type == "map":  # names and codes become ISO3 codes before rows are pivoted
        # A skipped row's empty country key is not a key to resolve.
        rows = without_missing(block, rows, table.display_path, table.rows_text)
        language = ctx.document.language
        keyed = mapdata.keyed_rows(block, rows, table, ctx.key_path, language)
        rows = keyed.rows
    try:
        data = chart_data(block, rows, table.display_path, table.rows_text)
    except FactsheetError as error:
        if error.location is None:  # the chart's own path is added on the way up
            raise
        raise inside(error, ctx) from None
    raw = data
    warnings: tuple[str, ...] = ()
    if keyed:  # a map shows its region's countries, and says what it leaves out
        data, warnings = mapdata.in_region(block, data, keyed)
    elif ctx.values is not None:  # names in the edition's language; rows picked on the data's
        # Only words are translated: years and other numbers are printed per language.
        words = [c for c in (block.x, block.series) if c and table.types.get(c) == "text"]
        shown = {block.x: data.categories, block.series: data.series}
        warnings = tuple(w for c in words for w in ctx.untranslated(block.source, c, shown[c]))
        block, data = translated(block, data, ctx.shown)
    if not keyed and ctx.locale.system != "latn":  # years and other numbers, natively
        block, data = translated(block, data, _native_digits(block, table, ctx))
    notes = tuple(n.model_copy(update={"text": ctx.plain(n.text)}) for n in block.annotations)
    chart = block.model_copy(update={"annotations": notes}) if notes else block
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
    look = chart_look(ctx.theme, ctx.document.language)
    size = (ctx.width, plot_height)
    power = figure_units.shift(block.format, unit_of(block, ctx))
    printed = functools.partial(printed_in_units, block.format, ctx.locale, power)
    whole = whole_of(block, ctx)
    plot = Plot(data, chart, look, formatter(block, ctx), size, printed=printed, whole=whole)
    try:
        frame = _measured(plot, align_left, ctx)
    except ColourShortage as shortage:
        raise inside(colour_error(ctx.theme, shortage), ctx) from None
    except FactsheetError as error:
        raise inside(error, ctx) from None
    if keyed:
        warnings += mapdata.room_warnings(block, plot)
    names = keyed.names if keyed else None
    return Prepared(chart, table, data, head, foot, size, look, frame, names, warnings, rows, raw)


def _values_trace(ready: Prepared, fmt: Callable[[float], str]) -> LabelTrace:
    """Every value the chart shows, with the text its labels print and its rows. The
    rows of each value are found when the manifest asks, once for all values."""
    data, raw, rows, chart, table = ready.data, ready.raw, ready.rows, ready.chart, ready.table
    found: dict[tuple[str, str], list[int]] = {}
    used: list[Rows] = []  # the rows the values were made of (`missing: skip` leaves some)
    lines: list[tuple[int, ...]] = []

    def rows_of(s: int, c: int) -> dict[str, Any]:
        assert raw is not None and rows is not None
        if not used:
            used.append(without_missing(chart, rows))
            lines.append(() if table.is_derived else used[0].lines())
            xs = [category(x) for x in used[0][chart.x]]
            ss = [category(v) for v in used[0][chart.series]] if chart.series else [""] * len(xs)
            for position, key in enumerate(zip(ss, xs, strict=True)):
                found.setdefault(key, []).append(position)
        series = raw.series[s] if chart.series else ""
        positions = found.get((series, raw.categories[c]), [])
        if table.is_derived:
            return rows_record(table, used[0].take(positions))
        return {"rows": [lines[0][p] for p in positions]}

    traced = raw is not None and rows is not None
    return LabelTrace(data.series, data.categories, data.values, fmt, rows_of if traced else None)


@register("chart")
def build_chart(block: Chart, ctx: BlockContext) -> Built:
    ready = prepare(block, ctx, ctx.plot_left)
    plot: Filled
    if ctx.draw:
        plot = FigureFlowable(drawing.recording(ready, ctx))
    else:  # `check`: the same size, and the labels the glyph check must see
        plot = Filled(ready.size[1])
        chains = dict(ready.look.chains)
        plot.text_runs = [
            run
            for font, text in _label_runs(ready, ctx)
            for run in (runs(text, chains[font]) if font in chains else ((font, text),))
        ]
    described = mapdata.alt_data(ready.data, ready.names) if ready.names else ready.data
    plot.alt_text = ctx.plain(block.alt).strip() or _alt(
        ctx.plain(block.title).strip(), described, block, ctx
    )
    # Title, the chart read as its alt text, then its notes; the chart's own labels
    # are artifacts (see Recording.replay), as the alt text already says what they do.
    group = Node("Div")
    tags = [
        *each(ready.head, "P", group),
        Node("Figure", group, alt=plot.alt_text),
        *each(ready.foot, "P", group),
    ]
    box = Box([*ready.head, plot, *ready.foot], tags, padding=0, gap=3)
    box.alt_text = plot.alt_text
    box.trace = _values_trace(ready, formatter(block, ctx))
    warnings = (
        *ready.warnings,
        *highlight_warnings(ready.chart, ready.data),
        *label_warnings(ready, ctx),
        *unit_warnings(ready, ctx),
    )
    return Built(
        (box,), keep_together=True, files=(ready.table.path,), warnings=warnings, tags=(None,)
    )


def axis_family(chart: Chart) -> str | None:
    """What runs along the left edge of the chart's plot: category labels (`rows`:
    horizontal bars and dots) or value ticks (`ticks`: lines, areas, bars read off an
    axis); None when nothing does (bars labelled directly, donuts, maps, sparklines).
    Charts of one family stacked in a column line their plot areas up."""
    if chart.type in ("hbar", "dot"):
        return "rows"
    if chart.type in ("line", "area") or (chart.type == "bar" and not chart.labels):
        return "ticks"
    return None


def aligned_lefts(
    blocks: Sequence[Block], context: Callable[[int], BlockContext]
) -> dict[int, float]:
    """The left edge (points into the chart) of the plot area of charts that follow one
    another in `blocks` at the same span and of one axis family, so stacked charts line
    up: each run of such charts takes the widest natural margin of its members.
    `context(i)` is the context block `i` is built in. A chart that cannot be measured
    is left out (its build reports why), and a run whose widest margin would take half
    the width is not aligned; blocks not in the answer keep their own margin."""
    runs: list[list[int]] = [[]]
    kinds: list[tuple[str | None, str | None]] = [(None, None)]
    for index, block in enumerate(blocks):
        chart = block.chart
        family = axis_family(chart) if chart is not None else None
        if chart is None or family is None:
            runs.append([])
            kinds.append((None, None))
            continue
        span = chart.span or "column"
        if kinds[-1] != (span, family):
            runs.append([])
            kinds.append((span, family))
        runs[-1].append(index)
    lefts: dict[int, float] = {}
    for run in (r for r in runs if len(r) > 1):
        found = {i: _natural_left(blocks[i].chart, context(i)) for i in run}
        known = {i: left for i, left in found.items() if left is not None}
        common = max(known.values(), default=0.0)
        # A margin past half the width would squeeze the other charts' plots to slivers.
        if len(known) > 1 and common <= context(run[0]).width / 2:
            lefts.update(dict.fromkeys(known, common))
    return lefts


def _natural_left(chart: Chart | None, ctx: BlockContext) -> float | None:
    if chart is None or chart.source not in ctx.tables:  # a failed source is reported
        return None
    try:
        return prepare(chart, ctx).frame.margins.left
    except FactsheetError:
        return None


_FRAMES_KEPT = 256
_FRAMES: dict[tuple[Any, ...], tuple[Frame, object]] = {}


def _measured(plot: Plot, align_left: float, ctx: BlockContext) -> Frame:
    """The chart's frame, measured once per process for the same chart, data, size and
    look: editions and rebuilds of an unchanged chart (and the alignment pass, which
    measures every chart first) do not measure it again."""
    key = (
        plot.chart.model_dump_json(),
        plot.data,
        plot.size,
        plot.look,
        ctx.locale,
        align_left,
        id(ctx.theme),
    )
    kept = _FRAMES.get(key)
    if kept is not None:
        return kept[0]
    frame = measure(plot, align_left)  # errors are not kept: they are raised each time
    if len(_FRAMES) >= _FRAMES_KEPT:
        _FRAMES.pop(next(iter(_FRAMES)))
    _FRAMES[key] = (frame, ctx.theme)
    return frame


def clear_cache() -> None:
    """Forget every cached chart (benchmarks measure charts made from scratch)."""
    drawing.clear()
    _FRAMES.clear()


def draw_ahead(charts: Iterable[tuple[Chart, BlockContext]]) -> None:
    """Send each chart to the chart helper, if the command started one, before the
    blocks are built: it draws them while this process builds the blocks before them
    (see :mod:`factsheet.blocks.chart_drawing`). A chart that cannot be measured is
    left to its build, which reports why."""
    if not sidecar.running():
        return
    for block, ctx in charts:
        if block.source in ctx.tables:  # a failed source is reported by the build
            with contextlib.suppress(FactsheetError):
                drawing.send_ahead(prepare(block, ctx, ctx.plot_left), ctx)


def _label_runs(ready: Prepared, ctx: BlockContext) -> list[tuple[str, str]]:
    """(font, text) of every label a drawn chart would print."""
    data, look = ready.data, ready.look
    if ready.chart.type == "map":  # a map prints only its legend
        from factsheet.charts.maps import map_legend

        plot = Plot(data, ready.chart, look, formatter(ready.chart, ctx), ready.size)
        return [(look.font, label) for label in map_legend(plot).labels]
    fmt = formatter(ready.chart, ctx)
    values = [fmt(v) for s in data.values for v in s if v == v]
    notes = [n.text for n in ready.chart.annotations]
    return (
        [(look.font, t) for t in [*data.categories, *data.series]]
        + [(look.italic_font, t) for t in notes]
        + [(look.bold_font, t) for t in [*values, *data.series]]
    )


def _native_digits(block: Chart, table: Table, ctx: BlockContext) -> Callable[..., str]:
    """Category and series names of number columns (years) in the edition's own digits,
    as its figures are printed (`document.digits: native`)."""
    from factsheet.data.cldr import LATIN_DIGITS, digits_of

    native = str.maketrans(LATIN_DIGITS, digits_of(ctx.locale.system))
    numbers = {c for c in (block.x, block.series) if c and table.types.get(c) != "text"}

    def shown(source: str, column: str, value: str) -> str:
        return value.translate(native) if column in numbers else value

    return shown


def _alt(title: str, data: ChartData, block: Chart, ctx: BlockContext) -> str:
    """A description built from the data alone, so it holds in every language. A chart
    with no value to describe has no mark to draw either: that is an error, never an
    empty description or a title with an empty list."""

    fmt = formatter(block, ctx)

    def pairs(values: tuple[float, ...]) -> str:
        return "; ".join(
            f"{c}: {fmt(v)}" for c, v in zip(data.categories, values, strict=True) if v == v
        )

    described = [(s, pairs(v)) for s, v in zip(data.series, data.values, strict=True)]
    described = [(s, text) for s, text in described if text]
    if not described:
        raise DataError(
            "the chart has no value to draw",
            Location(key_path=ctx.key_path),
            hint="check the chart's `where`, `region` and `top`",
        )
    body = " | ".join(text if data.single else f"{s}: {text}" for s, text in described)
    return f"{title} ({body})" if title else body
