"""The content stage: from what the data stage prepared (:mod:`factsheet.data_stage`:
tables, figures, template variables), text templated and every block of every page
turned into flowables ready to place. Problems are collected, not just the first: the
spec's own (names not declared, template syntax in fixed fields), data files, figures,
variables, templates and blocks, each pinned to its spec line, and raised together.
What depends on a reported problem is skipped quietly (a block whose source failed to
load, a text using a figure that could not be computed), so each problem is reported
once, at its cause (see :mod:`factsheet.problems`).

Value templates (see :mod:`factsheet.spec.templates`) are rendered here, after the
figures, into a copy of each block (and of the document and each figure); the spec
itself is never changed."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from pydantic import BaseModel

from factsheet.blocks import DEFAULT_SPAN, REGISTRY, BlockContext, Built
from factsheet.blocks.base import FieldWarning, ShrinkLimit
from factsheet.blocks.chart import aligned_lefts, draw_ahead
from factsheet.checks import furniture_errors, glyph_errors, unused_figures
from factsheet.data.figures import FigureValue
from factsheet.data_stage import DataStage, prepare_data
from factsheet.errors import DataError, FactsheetError, SpecError
from factsheet.layout.flow import Item, PageFrame
from factsheet.layout.pages import furniture, page_frame, span_width
from factsheet.layout.styles import is_rtl
from factsheet.location import KeyPath, format_key_path
from factsheet.problems import (
    Problems,
    depends_on_failure,
    rendered,
)
from factsheet.spec.model import Block, Chart
from factsheet.spec.validate import LoadedSpec
from factsheet.text import Templates
from factsheet.theme import LoadedTheme

T = TypeVar("T")
M = TypeVar("M", bound=BaseModel)


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


def _block_warning(loaded: LoadedSpec, at: KeyPath, text: str) -> SpecError:
    """A block's warning, at the block, at one of its fields, or at another file."""
    if isinstance(text, FieldWarning):
        where = text.location or loaded.source_map.locate((*at, *text.field))
        return SpecError(str(text), where)
    return SpecError(text, loaded.source_map.locate(at))


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
    frames = [
        page_frame(
            theme,
            loaded.spec.document.page_size,
            page.columns,
            is_rtl(loaded.spec.document.language),
        )
        for page in loaded.spec.pages
    ]
    shown = [_rendered_page(loaded, data, p) for p in range(len(frames))]
    lefts = [_plot_lefts(loaded, theme, data, frame, p, shown[p]) for p, frame in enumerate(frames)]
    if draw:
        draw_ahead(_charts(loaded, theme, data, frames, lefts, shown))
    for p, page in enumerate(loaded.spec.pages):
        items: list[Item] = []
        for b in range(len(page.blocks)):
            at = ("pages", p, "blocks", b)
            left = lefts[p].get(b, 0.0)
            built = _build_block(loaded, theme, data, frames[p], at, problems, draw=draw, left=left)
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


def _charts(
    loaded: LoadedSpec,
    theme: LoadedTheme,
    data: DataStage,
    frames: list[PageFrame],
    lefts: list[dict[int, float]],
    shown: list[list[Block]],
) -> Iterator[tuple[Chart, BlockContext]]:
    """Every chart block with its values rendered (`shown`, by page), in the context it
    is built in; not those that depend on data that failed (their builds report it)."""
    for p, blocks in enumerate(shown):
        for b, block in enumerate(blocks):
            at: KeyPath = ("pages", p, "blocks", b)
            path = (*at, block.kind)
            found = loaded.found_under(path)
            if block.chart is None or depends_on_failure(
                loaded, data.tables, data.figures, found, path
            ):
                continue
            left = lefts[p].get(b, 0.0)
            yield block.chart, _context(loaded, theme, data, frames[p], at, left=left)


def _rendered_page(loaded: LoadedSpec, data: DataStage, page: int) -> list[Block]:
    """The spec page's blocks, charts with their value templates rendered."""
    return [
        _with_values(loaded, data, block, ("pages", page, "blocks", b))
        for b, block in enumerate(loaded.spec.pages[page].blocks)
    ]


def _plot_lefts(
    loaded: LoadedSpec,
    theme: LoadedTheme,
    data: DataStage,
    frame: PageFrame,
    page: int,
    blocks: list[Block] | None = None,
) -> dict[int, float]:
    """The shared left edges of consecutive charts' plot areas on one spec page,
    measured on the charts as they will be built (`blocks`: the page's, rendered by
    :func:`_rendered_page`, made here when not given)."""
    blocks = _rendered_page(loaded, data, page) if blocks is None else blocks

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
