"""The content stage: data read, figures computed, text templated, and every block of
every page turned into flowables ready to place. Problems are collected, not just the
first: the spec's own (names not declared, template syntax in fixed fields), data files,
figures, variables, templates and blocks, each pinned to its spec line, and raised
together. What depends on a reported problem is skipped quietly (a block whose source
failed to load, a text using a figure that could not be computed), so each problem is
reported once, at its cause (see :mod:`factsheet.problems`).

Value templates (see :mod:`factsheet.spec.templates`) are rendered here, after the
figures, into a copy of each block (and of the document and each figure); the spec
itself is never changed."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TypeVar

from pydantic import BaseModel

from factsheet.blocks import DEFAULT_SPAN, REGISTRY, BlockContext, Built
from factsheet.blocks.base import FieldWarning, ShrinkLimit
from factsheet.blocks.chart import aligned_lefts
from factsheet.charts.pivot import missing_cells
from factsheet.checks import furniture_errors, glyph_errors, unused_figures
from factsheet.data import calculate
from factsheet.data.derive import load_sources
from factsheet.data.figures import FigureValue
from factsheet.data.filters import plain_where, select_rows
from factsheet.data.formats import NumberLocale, locale_for
from factsheet.data.rows import Rows
from factsheet.data.sources import Table
from factsheet.errors import DataError, FactsheetError, SpecError
from factsheet.layout.flow import Item, PageFrame
from factsheet.layout.pages import furniture, page_frame, span_width
from factsheet.layout.styles import is_rtl
from factsheet.location import KeyPath, Location, format_key_path
from factsheet.problems import (
    Problems,
    depends_on_failure,
    has_problem,
    locate,
    rendered,
)
from factsheet.spec.model import Block, Chart, Document, FigureSpec
from factsheet.spec.validate import LoadedSpec
from factsheet.text import Templates, render_plain
from factsheet.theme import LoadedTheme

T = TypeVar("T")
M = TypeVar("M", bound=BaseModel)


@dataclass(frozen=True)
class DataStage:
    """The data an edition reads: tables, computed figures, the template variables, and
    the rows each chart selects (by block id). Enough to tell whether an edition's
    inputs changed before anything is drawn."""

    tables: Mapping[str, Table]
    figures: Mapping[str, FigureValue]
    templates: Templates
    chart_rows: Mapping[str, ChartRows]
    locale: NumberLocale  # the document language's number conventions
    document: Document | None = None  # with its value templates rendered (keywords)
    table_rows: Mapping[str, ChartRows] = field(default_factory=dict)  # table blocks


@dataclass(frozen=True)
class ChartRows:
    """The rows a chart (or table block) reads: a file's lines, or for a derived
    source the lines of each file its rows came from."""

    source: str  # the file's display path, or the derived source's name
    where: Mapping[str, object]
    lines: tuple[int, ...]  # file sources
    derived_from: Mapping[str, tuple[int, ...]] | None = None  # derived: file -> lines
    missing: Mapping[str, object] | None = None  # a chart's `missing: skip | zero` rows

    @classmethod
    def of(cls, table: Table, rows: Rows, where: Mapping[str, object]) -> ChartRows:
        if not table.is_derived:
            return cls(table.display_path, where, rows.lines())
        found = {t.display_path: lines for t, lines in table.origins(rows).items()}
        return cls(table.source_label, where, (), found)


@dataclass(frozen=True)
class Content:
    """Everything computed before layout."""

    data: DataStage
    pages: tuple[tuple[Item, ...], ...]
    files: tuple[Path, ...]
    warnings: tuple[FactsheetError, ...] = ()

    @property
    def templates(self) -> Templates:
        return self.data.templates

    @property
    def figures(self) -> Mapping[str, FigureValue]:
        return self.data.figures


def load_tables(
    loaded: LoadedSpec, problems: Problems, substitute: Callable[[str], str]
) -> dict[str, Table]:
    """Every source: files read, derived sources made (their filters see `substitute`)."""
    tables, errors = load_sources(loaded.spec.data, loaded.root, substitute)
    for error in errors:
        problems.add(locate(error, loaded))
    return tables


def compute_figures(
    loaded: LoadedSpec,
    tables: Mapping[str, Table],
    locale: NumberLocale,
    edition: Templates,
    problems: Problems | None = None,
) -> dict[str, FigureValue]:
    """Every figure that can be computed, those worked out from other figures included.
    A figure whose source failed to load, or that has a problem of its own in the spec,
    is left out (its problem is reported, and figures using it are left out quietly)."""
    own = problems is None
    problems = problems or Problems(loaded)
    specs: dict[str, FigureSpec] = {}
    for name, spec in loaded.spec.figures.items():
        path: KeyPath = ("figures", name)
        found = loaded.found_under(path)
        copy = None if has_problem(loaded, path) else rendered(spec, edition, path, problems, found)
        if copy is not None:
            specs[name] = copy
    failed = frozenset(loaded.spec.figures) - set(specs)
    units = {name: source.units for name, source in loaded.spec.data.items() if source.units}
    figures, errors = calculate.compute_figures(
        specs, tables, locale, edition.render_value, failed, units
    )
    for error in [*errors, *_text_deltas(loaded, figures)]:
        problems.add(locate(error, loaded))
    if own:
        problems.raise_if_any()
    return _translated_labels(loaded, figures) if loaded.values is not None else figures


def _translated_labels(
    loaded: LoadedSpec, figures: dict[str, FigureValue]
) -> dict[str, FigureValue]:
    """Text figures (a `label` column's cell) in the edition's language."""
    shown = dict(figures)
    for name, figure in figures.items():
        spec = loaded.spec.figures.get(name)
        if figure.is_text and spec is not None and spec.label is not None:
            assert loaded.values is not None and spec.source is not None
            text = loaded.values.shown(spec.source, spec.label, figure.text)
            shown[name] = replace(figure, text=text)
    return shown


def _text_deltas(loaded: LoadedSpec, figures: Mapping[str, FigureValue]) -> list[SpecError]:
    """A key-figure tile's `delta` must be a number: a text figure has no direction."""
    found = []
    for p, page in enumerate(loaded.spec.pages):
        for b, block in enumerate(page.blocks):
            for t, tile in enumerate(block.key_figures.tiles if block.key_figures else ()):
                figure = figures.get(tile.delta or "")
                if figure is not None and figure.is_text:
                    at = ("pages", p, "blocks", b, "key_figures", "tiles", t, "delta")
                    found.append(
                        SpecError(
                            f"figure '{figure.name}' is text (a `label` figure), not a change",
                            Location(key_path=at),
                            hint="name a number figure, such as one with `aggregate: change`",
                        )
                    )
    return found


def document_variables(
    loaded: LoadedSpec,
    figures: Mapping[str, FigureValue],
    problems: Problems | None = None,
    locale: NumberLocale | None = None,
) -> Templates:
    """Variables every template sees: `year`, `date` (the publication date in the
    document's language, when `document.date` is set), the edition's keys and
    variables, figures by name and the document's fields. Figures that could not be
    computed, variables that could not be rendered and document fields that fail are
    `broken`: a template using one is not reported again."""
    doc = loaded.spec.document
    own = problems is None
    problems = problems or Problems(loaded)
    broken = set(loaded.broken) | {n for n in loaded.spec.figures if n not in figures}
    dated = {}
    if doc.date is not None:
        dated["date"] = (locale or locale_for(doc.language)).date(doc.date, doc.date_format)
    base = Templates(
        {"year": doc.year or ""}
        | dated
        | dict(loaded.keys)
        | dict(loaded.variables)
        | {name: f.text for name, f in figures.items()},
        frozenset(broken),
        {} if doc.date is not None else _NO_DATE,
    )
    fields = {}
    for key in ("title", "subtitle", "author", "subject"):
        text = problems.attempt(("document", key), render_plain, getattr(doc, key), base)
        if text is None:
            broken.add(key)
        else:
            fields[key] = " ".join(text.split())
    if own:
        problems.raise_if_any()
    return Templates(
        {**base.variables, **fields}, frozenset(broken) - set(fields), base.unavailable
    )


_NO_DATE = {
    "date": (
        "the template uses `date`, but the spec gives no `document.date`",
        "set the publication date, for example `document: {date: 2021-12-15}`",
    )
}


def prepare_data(
    loaded: LoadedSpec, theme: LoadedTheme | None = None, failed: FactsheetError | None = None
) -> DataStage:
    """Read the tables, compute the figures and find the rows each chart and table
    reads. Every problem found on the way is collected; if there are any (`failed` is
    one found before, such as a theme that cannot be loaded), they are raised together,
    after the blocks are checked too when `theme` is given, so that one run reports
    them all."""
    problems = Problems(loaded)
    for error in (*loaded.problems, *([failed] if failed else [])):
        problems.add(error)
    # Filter values such as `region: "{{ region }}"` see `year`, the edition's keys and
    # its variables (not figures: they are being computed).
    year = {"year": loaded.spec.document.year or ""}
    edition = Templates(year | dict(loaded.keys) | dict(loaded.variables), loaded.broken)
    tables = load_tables(loaded, problems, edition.render_value)
    doc = loaded.spec.document
    try:
        locale = locale_for(doc.language, doc.digits)
    except SpecError as error:
        problems.add(locate(error, loaded, ("document", "language")))
        locale = locale_for("en")  # only to find the other problems: this build fails
    figures = compute_figures(loaded, tables, locale, edition, problems)
    templates = document_variables(loaded, figures, problems, locale)
    document = rendered(loaded.spec.document, templates, ("document",), problems)
    charts, data_tables = _block_rows(loaded, tables, templates.render_value)
    document = document or loaded.spec.document
    data = DataStage(tables, figures, templates, charts, locale, document, data_tables)
    if problems.errors:
        if theme is not None:  # raises these with the blocks' own problems
            build_content(loaded, theme, data, draw=False, pending=problems.errors)
        _check_block_templates(loaded, data, problems)  # no theme to build blocks with
        problems.raise_if_any()
    return data


def _check_block_templates(loaded: LoadedSpec, data: DataStage, problems: Problems) -> None:
    for p, page in enumerate(loaded.spec.pages):
        for b, block in enumerate(page.blocks):
            path: KeyPath = ("pages", p, "blocks", b, block.kind)
            found = loaded.found_under(path)
            if not depends_on_failure(loaded, data.tables, data.figures, found, path):
                rendered(block.body, data.templates, path, problems, found)


def _block_rows(
    loaded: LoadedSpec, tables: Mapping[str, Table], substitute: Callable[[str], str]
) -> tuple[dict[str, ChartRows], dict[str, ChartRows]]:
    """The rows every chart and every table block reads, by block id. A block whose
    selection fails is left out here; it reports the problem when it is built."""
    charts: dict[str, ChartRows] = {}
    data_tables: dict[str, ChartRows] = {}
    for p, page in enumerate(loaded.spec.pages):
        for b, block in enumerate(page.blocks):
            body = block.chart or block.table
            if body is None or body.source not in tables:
                continue
            table = tables[body.source]
            try:
                selected = select_rows(table, body.where, substitute)
            except FactsheetError:
                continue
            block_id = body.id or format_key_path(("pages", p, "blocks", b))
            found = ChartRows.of(table, selected, plain_where(body.where, substitute))
            if block.chart is not None and block.chart.missing != "error":
                found = replace(found, missing=_missing_record(block.chart, table, selected))
            (charts if block.chart is not None else data_tables)[block_id] = found
    return charts, data_tables


def _block_warning(loaded: LoadedSpec, at: KeyPath, text: str) -> SpecError:
    """A block's warning, at the block, at one of its fields, or at another file."""
    if isinstance(text, FieldWarning):
        where = text.location or loaded.source_map.locate((*at, *text.field))
        return SpecError(str(text), where)
    return SpecError(text, loaded.source_map.locate(at))


def _missing_record(chart: Chart, table: Table, rows: Rows) -> dict[str, object] | None:
    """The rows a chart's `missing: skip` left out or whose empty value `missing: zero`
    drew as 0, for the manifest: a reader of the chart can see what it does not show."""
    named = (chart.x, chart.y, chart.series, chart.weight)
    if any(c is not None and c not in rows.names for c in named):
        return None  # the block reports the unknown column
    values, keys = missing_cells(chart, rows)
    empty = values | keys
    if not empty.any():
        return None
    affected = ChartRows.of(table, rows.where(empty), {})
    where: dict[str, object] = (
        {"derived_from": {k: list(v) for k, v in affected.derived_from.items()}}
        if affected.derived_from is not None
        else {"rows": list(affected.lines)}
    )
    return {"rule": chart.missing, **where}


def build_content(
    loaded: LoadedSpec,
    theme: LoadedTheme,
    data: DataStage | None = None,
    draw: bool = True,
    pending: Sequence[FactsheetError] = (),
) -> Content:
    """Build every block's flowables (reading the data first unless it is given). With
    `draw` false, charts keep their size and labels but are not drawn (for `check`).
    `pending` problems, found before, are raised with the blocks' own."""
    data = data or prepare_data(loaded, theme)
    problems = Problems(loaded)
    problems.errors += pending
    pages: list[tuple[Item, ...]] = []
    files: list[Path] = [t.path for t in data.tables.values()]
    warnings: list[FactsheetError] = list(unused_figures(loaded))
    for name, figure in data.figures.items():
        where = loaded.source_map.locate(("figures", name, "format", "style"))
        warnings += [DataError(text, where) for text in figure.warnings]
    for name, table in data.tables.items():
        where = loaded.source_map.locate(("data", name, "join", "unmatched"))
        warnings += [DataError(text, where) for text in table.warnings]
    for p, page in enumerate(loaded.spec.pages):
        frame = page_frame(
            theme,
            loaded.spec.document.page_size,
            page.columns,
            is_rtl(loaded.spec.document.language),
        )
        items: list[Item] = []
        lefts = _plot_lefts(loaded, theme, data, frame, p)
        for b in range(len(page.blocks)):
            at = ("pages", p, "blocks", b)
            left = lefts.get(b, 0.0)
            built = _build_block(loaded, theme, data, frame, at, problems, draw=draw, left=left)
            if built is not None:
                item, block = built
                items.append(item)
                files.extend(block.files)
                warnings += [_block_warning(loaded, item.key_path, w) for w in block.warnings]
        pages.append(tuple(items))
    problems.errors += glyph_errors(loaded, (i for page in pages for i in page), theme)
    problems.errors += _furniture_errors(loaded, theme, data.templates)
    problems.raise_if_any()
    return Content(data, tuple(pages), tuple(dict.fromkeys(files)), tuple(warnings))


def _furniture_errors(
    loaded: LoadedSpec, theme: LoadedTheme, templates: Templates
) -> list[SpecError]:
    """The glyph check on the footer and page number every page carries (a title the
    fonts cannot draw vanished from the footer); their own template errors are left to
    the render step, which reports them at the theme."""
    frame = page_frame(
        theme, loaded.spec.document.page_size, 1, is_rtl(loaded.spec.document.language)
    )
    try:
        drawn = furniture(theme, frame, templates, 1, loaded.spec.document.language)
    except FactsheetError:
        return []
    fields = {k: str(v) for k, v in templates.variables.items() if k in _DOCUMENT_FIELDS}
    return furniture_errors(loaded, [*drawn.footer, *drawn.page_numbers], fields, theme)


_DOCUMENT_FIELDS = ("title", "subtitle", "author", "subject")


def _plot_lefts(
    loaded: LoadedSpec, theme: LoadedTheme, data: DataStage, frame: PageFrame, page: int
) -> dict[int, float]:
    """The shared left edges of consecutive charts' plot areas on one spec page,
    measured on the charts as they will be built (their value templates rendered)."""
    blocks = [
        _with_values(loaded, data, block, ("pages", page, "blocks", b))
        for b, block in enumerate(loaded.spec.pages[page].blocks)
    ]

    def context(b: int) -> BlockContext:
        return _context(loaded, theme, data, frame, ("pages", page, "blocks", b))

    return aligned_lefts(blocks, context)


def _context(
    loaded: LoadedSpec,
    theme: LoadedTheme,
    data: DataStage,
    frame: PageFrame,
    at: KeyPath,
    scale: float = 1.0,
    draw: bool = True,
    left: float = 0.0,
) -> BlockContext:
    block = loaded.spec.pages[int(at[1])].blocks[int(at[3])]
    span = block.body.span or DEFAULT_SPAN[block.kind]
    return BlockContext(
        document=data.document or loaded.spec.document,
        theme=theme,
        templates=data.templates,
        root=loaded.root,
        tables=data.tables,
        figures=data.figures,
        locale=data.locale,
        width=span_width(frame, span),
        key_path=(*at, block.kind),
        inset=theme.theme.page.margin_left if span == "bleed" else 0.0,
        scale=scale,
        draw=draw,
        plot_left=left,
        titled=loaded.titled,
        values=loaded.values,
        units={name: source.units for name, source in loaded.spec.data.items() if source.units},
    )


def _with_values(loaded: LoadedSpec, data: DataStage, block: Block, at: KeyPath) -> Block:
    """`block` with its value templates rendered; as it is when one fails (its build
    reports the failure)."""
    if block.chart is None:
        return block
    path = (*at, block.kind)
    body = rendered(block.body, data.templates, path, Problems(loaded), loaded.found_under(path))
    return block if body is None else block.model_copy(update={block.kind: body})


def _build_block(
    loaded: LoadedSpec,
    theme: LoadedTheme,
    data: DataStage,
    frame: PageFrame,
    at: KeyPath,
    problems: Problems,
    scale: float = 1.0,
    draw: bool = True,
    left: float = 0.0,
) -> tuple[Item, Built] | None:
    block = loaded.spec.pages[int(at[1])].blocks[int(at[3])]
    path: KeyPath = (*at, block.kind)
    found = loaded.found_under(path)
    if depends_on_failure(loaded, data.tables, data.figures, found, path):
        return None
    body = rendered(block.body, data.templates, path, problems, found)
    if body is None:
        return None
    span = body.span or DEFAULT_SPAN[block.kind]
    ctx = _context(loaded, theme, data, frame, at, scale, draw, left)
    built = problems.attempt(path, REGISTRY[block.kind], body, ctx)
    if built is None:
        return None
    block_id = body.id or format_key_path(at)
    item = Item(
        block_id,
        block.kind,
        path,
        span,
        built.flowables,
        built.keep_together,
        built.keep_with_next,
        built.breaks,
        built.tags,
        body.language,
    )
    return item, built


def shrink_items(
    loaded: LoadedSpec,
    theme: LoadedTheme,
    data: DataStage,
    page: int,
    items: tuple[Item, ...],
    scale: float,
) -> tuple[Item, ...] | None:
    """The page's items with every `fit: shrink` block rebuilt at `scale`; None when a
    block would go below the smallest size its theme allows, or none may shrink."""
    spec_page = loaded.spec.pages[page]
    frame = page_frame(
        theme,
        loaded.spec.document.page_size,
        spec_page.columns,
        is_rtl(loaded.spec.document.language),
    )
    problems = Problems(loaded)
    rebuilt: list[Item] = []
    shrank = False
    lefts = _plot_lefts(loaded, theme, data, frame, page)
    for item in items:
        index = int(item.key_path[3])
        if spec_page.blocks[index].body.fit != "shrink":
            rebuilt.append(item)
            continue
        try:
            at = item.key_path[:4]
            left = lefts.get(index, 0.0)
            built = _build_block(loaded, theme, data, frame, at, problems, scale, left=left)
        except ShrinkLimit:
            return None
        problems.raise_if_any()
        assert built is not None
        rebuilt.append(built[0])
        shrank = True
    return tuple(rebuilt) if shrank else None
