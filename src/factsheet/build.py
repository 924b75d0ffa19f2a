"""The orchestrator for one factsheet. It reads like a table of contents: load and
validate the spec, load the theme, build the content (data, figures, text, charts),
lay it out within the page budget, render the PDF in memory, and only then write it.
Every check runs before anything is written, so a failed build leaves the previous PDF
exactly as it was. :func:`render` stops short of writing, for tests and previews."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, TypeVar

from factsheet.checks import empty_band, nearly_full, short_column
from factsheet.content import Content, build_content, shrink_items
from factsheet.data_stage import DataStage, prepare_data
from factsheet.editions.expand import Edition, load_editions
from factsheet.errors import FactsheetError, LayoutError
from factsheet.layout import hyphens
from factsheet.layout.breaks import UnbrokenNumber
from factsheet.layout.flow import Layout, PageLayout, layout_page, pages_made
from factsheet.layout.geometry import PAPER_SIZES
from factsheet.layout.outline import skipped_level
from factsheet.layout.pages import furniture, page_frame
from factsheet.layout.styles import is_rtl
from factsheet.location import KeyPath
from factsheet.output import check_writable, write_atomic
from factsheet.problems import locate
from factsheet.render.boxes import DrawnBox, Recorder
from factsheet.render.pdf import Furniture, Metadata, render_pdf
from factsheet.spec.validate import LoadedSpec, validate_spec
from factsheet.theme import LoadedTheme, load_theme

T = TypeVar("T")


@dataclass(frozen=True)
class Rendered:
    """A factsheet laid out and rendered, not yet written."""

    loaded: LoadedSpec
    theme: LoadedTheme
    content: Content
    layout: Layout
    pdf: bytes
    output: Path
    timings: dict[str, float]
    boxes: tuple[DrawnBox, ...] = ()
    """Where each printed figure, table cell and chart was drawn (see render.boxes)."""


@dataclass(frozen=True)
class BuildResult:
    output: Path
    pages: int
    size: int
    seconds: float


def build(spec_path: Path) -> BuildResult:
    """Build the first edition of `spec_path` (its only one, for a spec without
    editions) and write its PDF. Batches go through :mod:`factsheet.editions.batch`."""
    return build_edition(load_editions(spec_path)[0])


def build_edition(edition: Edition) -> BuildResult:
    """Build one edition and write its PDF."""
    started = time.perf_counter()
    rendered = render_edition(edition)
    write_atomic(rendered.output, rendered.pdf, edition.root)
    seconds = time.perf_counter() - started
    return BuildResult(rendered.output, len(rendered.layout.pages), len(rendered.pdf), seconds)


def render(spec_path: Path) -> Rendered:
    """Render the first edition of `spec_path` in memory, without writing it."""
    return render_edition(load_editions(spec_path)[0])


def load_edition(edition: Edition) -> LoadedSpec:
    """Validate an edition's merged spec."""
    return validate_spec(
        edition.data,
        edition.spec_path,
        edition.root,
        edition.source_map,
        keys=edition.keys,
        variables=edition.variables,
        output=edition.output,
        problems=edition.problems,
        broken=edition.broken,
        values=edition.values,
    )


@dataclass(frozen=True)
class Plan:
    """An edition validated and its data read: enough to decide whether to draw it."""

    edition: Edition
    loaded: LoadedSpec
    theme: LoadedTheme
    data: DataStage
    timings: dict[str, float]


def plan_edition(edition: Edition) -> Plan:
    """Validate an edition, load its theme and read its data."""
    clock = _Clock()
    loaded = load_edition(edition)
    try:
        theme = _located(loaded, ("theme",), load_theme, loaded.spec.theme, loaded.root)
    except FactsheetError as exc:
        prepare_data(loaded, failed=exc)  # raises it with every other problem found
        raise
    clock.lap("spec")
    data = prepare_data(loaded, theme)  # on a problem, checks the blocks too, then raises
    clock.lap("data")
    return Plan(edition, loaded, theme, data, clock.laps)


def render_edition(edition: Edition) -> Rendered:
    """Everything but the write: validated, laid out and rendered in memory."""
    return render_plan(plan_edition(edition))


def check_plan(plan: Plan) -> Content:
    """Every check a build makes before drawing: blocks built, glyphs covered, pages laid
    out within the budget, output folder writable. Nothing is drawn or written. The
    content's warnings include those found while laying it out."""
    content = build_content(plan.loaded, plan.theme, plan.data, draw=False)
    layout = lay_out(plan.loaded, plan.theme, content)
    check_writable(plan.edition.output, plan.edition.root)
    return _with_layout_warnings(content, layout, plan.edition)


def _with_layout_warnings(content: Content, layout: Layout, edition: Edition) -> Content:
    """The content's warnings, with the edition's (texts shown untranslated) first and
    those found while laying it out last."""
    if not layout.warnings and not edition.warnings:
        return content
    return replace(content, warnings=(*edition.warnings, *content.warnings, *layout.warnings))


def render_plan(plan: Plan) -> Rendered:
    """Build the blocks, lay them out and render the PDF in memory."""
    clock = _Clock()
    loaded, theme, edition = plan.loaded, plan.theme, plan.edition
    content = build_content(loaded, theme, plan.data)
    clock.lap("content")
    layout = lay_out(loaded, theme, content)
    content = _with_layout_warnings(content, layout, edition)
    clock.lap("layout")
    recorder = Recorder()
    furniture = _furniture(loaded, theme, content, layout)
    pdf = render_pdf(layout, metadata(loaded, content), furniture, recorder)
    clock.lap("render")
    timings = {**plan.timings, **clock.laps}
    boxes = tuple(recorder.boxes)
    return Rendered(loaded, theme, content, layout, pdf, edition.output, timings, boxes)


def lay_out(loaded: LoadedSpec, theme: LoadedTheme, content: Content) -> Layout:
    """Place every page's blocks; enforce the page budget; note pages left with a large
    empty band (in `Layout.warnings`)."""
    spec = loaded.spec
    layout = Layout(PAPER_SIZES[spec.document.page_size])
    made = [pages_made(items) for items in content.pages]
    entries = []
    for number, items in enumerate(content.pages):
        first = len(layout.pages) + 1
        pages = _fit_page(loaded, theme, content, number, items, first, made)
        layout.pages.extend(pages)
        entries += [number] * len(pages)
    rtl = is_rtl(spec.document.language)
    frames = [
        page_frame(theme, spec.document.page_size, spec.pages[n].columns, rtl) for n in entries
    ]
    for page, number, frame in zip(layout.pages, entries, frames, strict=True):
        warning = empty_band(loaded, page, number, frame, len(layout.pages))
        warning = warning or short_column(loaded, page, number, frame)
        if warning is not None:
            layout.warnings.append(warning)
    layout.warnings += nearly_full(loaded, layout.pages, frames, entries)
    hyphens.save_all()  # words broken for the first time, for the next process
    # Tagged or not, headings may not skip a level: the PDF's bookmarks nest by it too.
    skipped = skipped_level(layout)
    if skipped is not None:
        raise locate(skipped, loaded)
    budget = spec.document.pages
    if len(layout.pages) > budget:
        raise locate(
            LayoutError(
                f"the factsheet needs {len(layout.pages)} pages but its budget is "
                f"{budget}: {_page_sources(made)}",
                hint="remove a page entry or a page break, or raise `document.pages` to "
                f"{len(layout.pages)}",
            ),
            loaded,
            ("document", "pages"),
        )
    return layout


def _page_sources(made: list[int]) -> str:
    """`pages[0] makes page 1, pages[1] makes pages 2-3 (page breaks)`."""
    parts, first = [], 1
    for entry, count in enumerate(made):
        last = first + count - 1
        pages = f"page {first}" if count == 1 else f"pages {first}\u2013{last} (page breaks)"
        parts.append(f"pages[{entry}] makes {pages}")
        first = last + 1
    return ", ".join(parts)


SHRINK_STEPS = (0.97, 0.94, 0.91, 0.88, 0.85, 0.82, 0.8)


def _fit_page(
    loaded: LoadedSpec,
    theme: LoadedTheme,
    content: Content,
    number: int,
    items: Any,
    first: int,
    made: list[int],
) -> list[PageLayout]:
    """Lay out one spec page; if it overflows, shrink its `fit: shrink` blocks step by
    step, never below their smallest size, before reporting the overflow."""
    page = loaded.spec.pages[number]
    frame = page_frame(
        theme, loaded.spec.document.page_size, page.columns, is_rtl(loaded.spec.document.language)
    )
    try:
        return layout_page(items, frame, page.template, first)
    except LayoutError as overflow:
        shrinkable = False
        for scale in SHRINK_STEPS:
            shrunk = shrink_items(loaded, theme, content.data, number, items, scale)
            if shrunk is None:
                break
            shrinkable = True
            try:
                return layout_page(shrunk, frame, page.template, first)
            except LayoutError:
                continue
        if not isinstance(overflow, UnbrokenNumber):  # more pages would not help
            _explain_overflow(overflow, loaded.spec.document.pages, sum(made), shrinkable)
        raise locate(overflow, loaded) from None


def _explain_overflow(error: LayoutError, budget: int, pages: int, shrunk: bool) -> None:
    """Say what the budget allows: a new page fits in it, or needs it raised."""
    if shrunk:
        error.message += ", even with this page's `fit: shrink` blocks at their smallest size"
    if pages < budget:
        spare = budget - pages
        more = f"{spare} more page{'s' if spare > 1 else ''}"
        error.hint += f"; `document.pages: {budget}` leaves room for {more}"
    else:
        error.hint += f"; a new page needs `document.pages: {pages + 1}`"


def metadata(loaded: LoadedSpec, content: Content) -> Metadata:
    doc = content.data.document or loaded.spec.document  # value templates rendered
    fields = content.templates.variables
    return Metadata(
        title=str(fields["title"]),
        author=str(fields["author"]),
        subject=str(fields["subject"]),
        keywords=doc.keywords,
        language=doc.language,
        date=doc.publication_date,
        tagged=doc.pdf.tagged,
        archival=doc.pdf.standard != "none",
    )


def _furniture(
    loaded: LoadedSpec, theme: LoadedTheme, content: Content, layout: Layout
) -> Furniture:
    frame = page_frame(
        theme, loaded.spec.document.page_size, 1, is_rtl(loaded.spec.document.language)
    )
    pages = len(layout.pages)
    language = loaded.spec.document.language
    return _located(loaded, ("theme",), furniture, theme, frame, content.templates, pages, language)


def _located(loaded: LoadedSpec, path: KeyPath, step: Callable[..., T], *args: Any) -> T:
    """Run a step; a user error it raises gets a spec location."""
    try:
        return step(*args)
    except FactsheetError as exc:
        raise locate(exc, loaded, path) from None


class _Clock:
    def __init__(self) -> None:
        self.laps: dict[str, float] = {}
        self._last = time.perf_counter()

    def lap(self, name: str) -> None:
        now = time.perf_counter()
        self.laps[name] = now - self._last
        self._last = now
