"""The data stage: an edition's tables read, its figures computed, its template
variables made, and the rows each chart and table block reads found (:class:`DataStage`).
Problems are collected, not just the first, each pinned to its spec line; when a theme
is given, the blocks' own problems are gathered too (by building them without
drawing), so that one run reports them all. The content stage
(:mod:`factsheet.content`) builds the blocks from what this stage prepared."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace

from factsheet.charts.pivot import missing_cells
from factsheet.data import calculate
from factsheet.data.derive import load_sources
from factsheet.data.figures import FigureValue
from factsheet.data.filters import plain_where, select_rows
from factsheet.data.formats import NumberLocale, locale_for
from factsheet.data.rows import Rows
from factsheet.data.sources import Table
from factsheet.errors import FactsheetError, SpecError
from factsheet.location import KeyPath, Location, format_key_path
from factsheet.problems import (
    Problems,
    depends_on_failure,
    has_problem,
    locate,
    rendered,
)
from factsheet.spec.model import Chart, Document, FigureSpec
from factsheet.spec.validate import LoadedSpec
from factsheet.text import Templates, render_plain
from factsheet.theme import LoadedTheme


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
            from factsheet.content import build_content  # the next stage

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
