"""The content stage: data read, figures computed, text templated, and every block of
every page turned into flowables ready to place. Problems are collected block by block
(not just the first), each pinned to its spec line, and raised together."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from factsheet.blocks import DEFAULT_SPAN, REGISTRY, BlockContext, Built
from factsheet.blocks.base import ShrinkLimit
from factsheet.blocks.chart import aligned_lefts
from factsheet.checks import glyph_errors, unused_figures
from factsheet.data.figures import FigureValue, compute_figure, plain_where, select_rows
from factsheet.data.formats import NumberLocale, locale_for
from factsheet.data.sources import Table, load_table
from factsheet.errors import ErrorGroup, FactsheetError, SpecError
from factsheet.layout.flow import Item, PageFrame
from factsheet.layout.pages import page_frame, span_width
from factsheet.location import KeyPath, format_key_path
from factsheet.spec.model import BlockBase
from factsheet.spec.validate import LoadedSpec
from factsheet.text import Templates, render_plain
from factsheet.theme import LoadedTheme

T = TypeVar("T")


class Problems:
    """Collects located errors so one pass reports all of them."""

    def __init__(self, loaded: LoadedSpec) -> None:
        self.loaded = loaded
        self.errors: list[FactsheetError] = []

    def attempt(self, path: KeyPath, step: Callable[..., T], *args: Any) -> T | None:
        """Run `step(*args)`; on a user error, remember it located at `path` and
        return None, so one pass reports every problem."""
        try:
            return step(*args)
        except FactsheetError as exc:
            self.errors.append(locate(exc, self.loaded, path))
            return None

    def raise_if_any(self) -> None:
        if len(self.errors) == 1:
            raise self.errors[0]
        if self.errors:
            raise ErrorGroup(self.errors)


def locate(error: FactsheetError, loaded: LoadedSpec, path: KeyPath = ()) -> FactsheetError:
    """Give `error` a spec file location if it has none (or only a key path)."""
    if isinstance(error, ErrorGroup):
        error.errors = [locate(e, loaded, path) for e in error.errors]
        return error
    if error.location is None or error.location.file is None:
        key_path = error.location.key_path if error.location and error.location.key_path else path
        error.location = loaded.source_map.locate(key_path)
    return error


@dataclass(frozen=True)
class DataStage:
    """The data an edition reads: tables, computed figures, the template variables, and
    the rows each chart selects (by block id). Enough to tell whether an edition's
    inputs changed before anything is drawn."""

    tables: Mapping[str, Table]
    figures: Mapping[str, FigureValue]
    templates: Templates
    chart_rows: Mapping[str, ChartRows]


@dataclass(frozen=True)
class ChartRows:
    source: str
    where: Mapping[str, object]
    lines: tuple[int, ...]


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


def load_tables(loaded: LoadedSpec, problems: Problems) -> dict[str, Table]:
    tables: dict[str, Table] = {}
    for name, source in loaded.spec.data.items():
        table = problems.attempt(("data", name, "file"), load_table, name, source, loaded.root)
        if table is not None:
            tables[name] = table
    return tables


def compute_figures(
    loaded: LoadedSpec,
    tables: Mapping[str, Table],
    locale: NumberLocale,
    substitute: Callable[[str], str],
) -> dict[str, FigureValue]:
    problems = Problems(loaded)
    figures: dict[str, FigureValue] = {}
    for name, spec in loaded.spec.figures.items():
        if spec.source not in tables:
            continue  # its source failed to load and is already reported
        table = tables[spec.source]
        value = problems.attempt(
            ("figures", name), compute_figure, name, spec, table, locale, substitute
        )
        if value is not None:
            figures[name] = value
    problems.raise_if_any()
    return figures


def document_variables(loaded: LoadedSpec, figures: Mapping[str, FigureValue]) -> Templates:
    """Variables every template sees: the edition's keys and variables, figures by
    name and the document's fields."""
    doc = loaded.spec.document
    base = Templates(
        {"year": doc.year or ""}
        | dict(loaded.keys)
        | dict(loaded.variables)
        | {name: f.text for name, f in figures.items()}
    )
    fields = {}
    for key in ("title", "subtitle", "author", "subject"):
        fields[key] = " ".join(render_plain(getattr(doc, key), base).split())
    return base.with_values(**fields)


def prepare_data(loaded: LoadedSpec) -> DataStage:
    """Read the tables, compute the figures and find each chart's rows."""
    problems = Problems(loaded)
    tables = load_tables(loaded, problems)
    problems.raise_if_any()
    # Filter values such as `region: "{{ region }}"` see the edition's keys and variables.
    substitute = Templates({**loaded.keys, **loaded.variables}).render_value
    locale = locale_for(loaded.spec.document.language)
    figures = compute_figures(loaded, tables, locale, substitute)
    templates = problems.attempt(("document",), document_variables, loaded, figures)
    problems.raise_if_any()
    assert templates is not None
    return DataStage(tables, figures, templates, _chart_rows(loaded, tables, substitute))


def _chart_rows(
    loaded: LoadedSpec, tables: Mapping[str, Table], substitute: Callable[[str], str]
) -> dict[str, ChartRows]:
    """The rows every chart reads. A chart whose selection fails is left out here; its
    block reports the problem when it is built."""
    rows: dict[str, ChartRows] = {}
    for p, page in enumerate(loaded.spec.pages):
        for b, block in enumerate(page.blocks):
            chart = block.chart
            if chart is None or chart.source not in tables:
                continue
            table = tables[chart.source]
            try:
                selected = select_rows(table, chart.where, substitute)
            except FactsheetError:
                continue
            block_id = chart.id or format_key_path(("pages", p, "blocks", b))
            lines = selected.lines()
            rows[block_id] = ChartRows(
                table.display_path, plain_where(chart.where, substitute), lines
            )
    return rows


def build_content(
    loaded: LoadedSpec, theme: LoadedTheme, data: DataStage | None = None, draw: bool = True
) -> Content:
    """Build every block's flowables (reading the data first unless it is given). With
    `draw` false, charts keep their size and labels but are not drawn (for `check`)."""
    data = data or prepare_data(loaded)
    problems = Problems(loaded)
    pages: list[tuple[Item, ...]] = []
    files: list[Path] = [t.path for t in data.tables.values()]
    warnings: list[FactsheetError] = list(unused_figures(loaded))
    for p, page in enumerate(loaded.spec.pages):
        frame = page_frame(theme, loaded.spec.document.page_size, page.columns)
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
                where = loaded.source_map.locate(item.key_path)
                warnings += [SpecError(text, where) for text in block.warnings]
        pages.append(tuple(items))
    problems.errors += glyph_errors(loaded, (i for page in pages for i in page))
    problems.raise_if_any()
    return Content(data, tuple(pages), tuple(dict.fromkeys(files)), tuple(warnings))


def _templates_render(
    body: BlockBase, templates: Templates, path: KeyPath, problems: Problems
) -> bool:
    """Render each text field once, so a template error points at its own field (and
    at the override that set it) rather than at the whole block."""
    ok = True
    for name, value in body:
        if isinstance(value, str) and ("{{" in value or "{%" in value):
            ok = problems.attempt((*path, name), templates.render, value) is not None and ok
    return ok


def _plot_lefts(
    loaded: LoadedSpec, theme: LoadedTheme, data: DataStage, frame: PageFrame, page: int
) -> dict[int, float]:
    """The shared left edges of consecutive charts' plot areas on one spec page."""
    blocks = loaded.spec.pages[page].blocks

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
        document=loaded.spec.document,
        theme=theme,
        templates=data.templates,
        root=loaded.root,
        tables=data.tables,
        figures=data.figures,
        locale=locale_for(loaded.spec.document.language),
        width=span_width(frame, span),
        key_path=(*at, block.kind),
        inset=theme.theme.page.margin_left if span == "bleed" else 0.0,
        scale=scale,
        draw=draw,
        plot_left=left,
    )


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
    span = block.body.span or DEFAULT_SPAN[block.kind]
    ctx = _context(loaded, theme, data, frame, at, scale, draw, left)
    if not _templates_render(block.body, data.templates, path, problems):
        return None
    built = problems.attempt(path, REGISTRY[block.kind], block.body, ctx)
    if built is None:
        return None
    block_id = block.body.id or format_key_path(at)
    item = Item(
        block_id,
        block.kind,
        path,
        span,
        built.flowables,
        built.keep_together,
        built.keep_with_next,
        built.breaks,
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
    frame = page_frame(theme, loaded.spec.document.page_size, spec_page.columns)
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
