"""How full each block's frame is, edition by edition: the numbers behind `factsheet
fit`, `check`'s "nearly full" warning (in :mod:`factsheet.checks`) and the room a
translator has. Nothing is drawn: an edition is planned and laid out as `check` does
it, and a page that overflows is laid out again with measuring columns past its last
one, so the overflow is measured, not just found.

A block's frame is one of two things (see docs/fit.md):
- `page`: blocks flow through their page's columns, so a flowing block's room is its
  page's. The capacity is the content height times the columns (columns summed), or
  times the columns between the column breaks around the block. Its spare room is the
  room at the foot of the column it ends in and of the later ones, up to a column break:
  text added to it pushes what follows into that room. fill = (capacity - spare) /
  capacity. A page-wide block gains a line at the cost of one line in every column, so
  its room is the whole page's (every column's foot) divided by the columns.
- `box`: a chart's title, subtitle and note share its fixed height with the plot, which
  keeps at least 40pt (a sparkline none); a hero photo's caption band may cover at most
  half the photo. These blocks are measured against that room, when they have text.

Spare room converts to lines of the block's first text style (its leading) and to
characters: whole spare lines times the characters per line, at the average width of a
character of the block's own text in its font and size. It is the room one block has
when the others stay as they are: the blocks of a page share it."""

from __future__ import annotations

import math
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

from factsheet.errors import FactsheetError, LayoutError
from factsheet.layout.flow import PageFrame, PageLayout, Placement, layout_page
from factsheet.location import KeyPath, format_key_path

if TYPE_CHECKING:
    from factsheet.build import Plan
    from factsheet.content import Content
    from factsheet.spec.validate import LoadedSpec

MM = 25.4 / 72


@dataclass(frozen=True)
class Room:
    """Room in a frame, in points; negative when it overflows."""

    capacity: float
    spare: float

    @property
    def fill(self) -> float:
        return (self.capacity - self.spare) / self.capacity if self.capacity > 0 else 1.0


@dataclass(frozen=True)
class PageFit:
    """One laid-out page: its room, columns summed."""

    key_path: str  # the spec page it comes from: pages[0]
    number: int  # 1-based, in the edition
    columns: int
    room: Room


@dataclass(frozen=True)
class TextMeasure:
    """A block's text: lines, its first style's leading, characters per line."""

    lines: int
    leading: float
    per_line: float  # characters of average width in one line


@dataclass(frozen=True)
class BlockFit:
    """One block in one edition."""

    key_path: str  # pages[0].blocks[3]
    block_id: str
    kind: str
    page: int  # laid-out page number
    frame: str  # "page" or "box"
    height: float  # points the block takes (its parts summed)
    room: Room  # of its frame, seen from this block (see the module's docstring)
    text: TextMeasure | None  # None for a block without text
    spilled: bool = False  # part of it did not fit its page

    @property
    def spare_lines(self) -> int | None:
        if self.text is None or self.text.leading <= 0:
            return None
        lines = self.room.spare / self.text.leading
        return math.floor(lines) if lines >= 0 else -math.ceil(-lines)

    @property
    def spare_chars(self) -> int | None:
        """Characters that still fit (negative: to cut), whole lines only."""
        lines = self.spare_lines
        if lines is None or self.text is None:
            return None
        return math.floor(lines * self.text.per_line)


@dataclass(frozen=True)
class EditionFit:
    """Every page and block of one edition, or the error that stopped it."""

    label: str
    keys: Mapping[str, str]
    language: str
    pages: tuple[PageFit, ...] = ()
    blocks: tuple[BlockFit, ...] = ()
    pages_needed: int = 0
    budget: int = 0
    error: FactsheetError | None = None
    shrunk: tuple[str, ...] = field(default=())  # spec pages set with `fit: shrink` blocks smaller

    @property
    def overflows(self) -> bool:
        return (
            self.pages_needed > self.budget
            or any(p.room.spare < 0 for p in self.pages)
            or any(b.room.spare < 0 for b in self.blocks)
        )


def measure_plan(plan: Plan) -> EditionFit:
    """Lay an edition out as `check` does and measure it; a page that overflows is
    measured too. Errors other than overflow are raised, located."""
    from factsheet.content import build_content
    from factsheet.layout.pages import page_frame

    loaded, theme = plan.loaded, plan.theme
    content = build_content(loaded, theme, plan.data, draw=False)
    spec = loaded.spec
    pages: list[PageFit] = []
    blocks: list[BlockFit] = []
    shrunk: list[str] = []
    for number, items in enumerate(content.pages):
        frame = page_frame(theme, spec.document.page_size, spec.pages[number].columns)
        path = format_key_path(("pages", number))
        laid, smaller = _laid_out(plan, content, number, items, frame, len(pages) + 1)
        shrunk += [path] if smaller else []
        for page in laid:
            room = page_room(loaded, page, frame, number)
            pages.append(PageFit(path, page.number, frame.columns, room.room))
            blocks += block_fits(loaded, page, frame, room)
    return EditionFit(
        plan.edition.label,
        dict(plan.edition.keys),
        spec.document.language,
        tuple(pages),
        tuple(blocks),
        len(pages),
        spec.document.pages,
        shrunk=tuple(shrunk),
    )


def _laid_out(
    plan: Plan, content: Content, number: int, items: Any, frame: PageFrame, first: int
) -> tuple[list[PageLayout], bool]:
    """A spec page laid out as a build does (its `fit: shrink` blocks set smaller if it
    overflows), else with spill columns that measure the overflow; and whether blocks
    were set smaller."""
    from factsheet.build import SHRINK_STEPS
    from factsheet.content import shrink_items
    from factsheet.problems import locate

    template = plan.loaded.spec.pages[number].template
    try:
        return layout_page(items, frame, template, first), False
    except LayoutError:
        pass
    smallest = items
    for scale in SHRINK_STEPS:
        rebuilt = shrink_items(plan.loaded, plan.theme, content.data, number, items, scale)
        if rebuilt is None:
            break
        smallest = rebuilt
        try:
            return layout_page(rebuilt, frame, template, first), True
        except LayoutError:
            continue
    try:
        return layout_page(smallest, frame, template, first, spill=True), smallest is not items
    except LayoutError as error:  # not an overflow: a spec to fix
        raise locate(error, plan.loaded) from None


@dataclass(frozen=True)
class PageRoom:
    """A laid-out page's room: at the foot of each column, or what did not fit."""

    capacity: float  # content height times columns
    gaps: tuple[float, ...]  # room below the last block of each column (all of an empty one)
    breaks: tuple[bool, ...]  # whether a column break ends each column
    overflow: float = 0.0  # points that did not fit, columns summed

    @property
    def room(self) -> Room:
        """The whole page's room: every column's foot."""
        return Room(self.capacity, -self.overflow if self.overflow else sum(self.gaps))

    def after(self, column: int) -> Room:
        """The room of a block that ends in `column` (1-based): text added to it fills
        the foot of its column, then of the next ones up to a column break. Its capacity
        is that of the columns between the column breaks around it."""
        if self.overflow or not self.gaps:
            return Room(self.capacity, -self.overflow)
        first, last = column - 1, column - 1
        while first > 0 and not self.breaks[first - 1]:
            first -= 1
        while last < len(self.gaps) - 1 and not self.breaks[last]:
            last += 1
        share = self.capacity / len(self.gaps)
        return Room(share * (last - first + 1), sum(self.gaps[column - 1 : last + 1]))


def page_room(loaded: LoadedSpec, page: PageLayout, frame: PageFrame, entry: int) -> PageRoom:
    """The room of a page laid out from `pages[entry]` (see the module's docstring)."""
    capacity = frame.content.height * frame.columns
    real = len(page.columns)
    lowest: dict[int, float] = {}
    blocks: dict[int, list[int]] = {}
    for placement in page.placements:
        column = _column(placement)
        if column:
            lowest[column] = min(lowest.get(column, math.inf), placement.y)
            blocks.setdefault(column, []).append(int(placement.key_path[3]))
    spilled = [n for n in lowest if n > real]
    if spilled or page.squeezed:
        top = page.columns[-1].top if page.columns else frame.content.top
        over = sum(top - lowest[n] for n in spilled) + page.squeezed * frame.columns
        return PageRoom(capacity, (), (), max(over, 0.01))
    gaps = tuple(
        lowest[n] - column.y if n in lowest else column.height
        for n, column in enumerate(page.columns, start=1)
    )
    if real == 1:
        return PageRoom(capacity, gaps, (False,))
    spec_blocks = loaded.spec.pages[entry].blocks
    breaks = []
    for n in range(1, real + 1):
        after = max(blocks.get(n, [-1]))
        before = min(blocks.get(n + 1, [len(spec_blocks)]))
        # Only the blocks between two columns' blocks, which drew nothing, can be breaks.
        between = range(after + 1, before)
        breaks.append(n in blocks and any(spec_blocks[k].kind == "column_break" for k in between))
    return PageRoom(capacity, gaps, tuple(breaks))


def _column(placement: Placement) -> int:
    region = placement.region
    return int(region.split()[1]) if region.startswith("column ") else 0


def block_fits(
    loaded: LoadedSpec, page: PageLayout, frame: PageFrame, room: PageRoom, texts: bool = True
) -> list[BlockFit]:
    """Every block on a laid-out page, in reading order; with `texts` false, without
    measuring their text (see :func:`with_text`)."""
    parts: dict[KeyPath, list[Placement]] = {}
    for placement in page.placements:
        parts.setdefault(placement.key_path[:4], []).append(placement)
    fits = []
    real = len(page.columns)
    for path, placed in parts.items():
        first = placed[0]
        text = measure_text(p.flowable for p in placed) if texts else None
        box = box_room(loaded, path, first)
        column = _column(placed[-1])
        if box is not None:
            own, kind = box, "box"
        elif column:
            own, kind = room.after(min(column, real)), "page"
        else:  # page-wide: a line of it takes a line of every column
            whole = room.room
            own, kind = Room(whole.capacity / frame.columns, whole.spare / frame.columns), "page"
        fits.append(
            BlockFit(
                format_key_path(path),
                first.block_id,
                first.kind,
                page.number,
                kind,
                sum(p.height for p in placed),
                own,
                text,
                spilled=any(_column(p) > real for p in placed),
            )
        )
    return fits


def box_room(loaded: LoadedSpec, path: KeyPath, placed: Placement) -> Room | None:
    """The fixed room of a chart's texts or a hero's caption band; None for a block
    that flows, or a fixed box without text."""
    if placed.kind not in ("chart", "hero"):
        return None
    from factsheet.blocks.chart import MIN_PLOT_HEIGHT
    from factsheet.blocks.flowables import Filled
    from factsheet.blocks.hero import HeroFlowable
    from factsheet.spec.model import Chart

    flowable = placed.flowable
    if isinstance(flowable, HeroFlowable) and flowable.caption:
        return Room(
            flowable.height / 2, flowable.height / 2 - flowable.caption_height(placed.width)
        )
    if placed.kind != "chart" or not hasattr(flowable, "content"):
        return None
    texts = [c for c in flowable.content if not isinstance(c, Filled)]
    if not texts:
        return None
    block = loaded.spec.pages[int(path[1])].blocks[int(path[3])].body
    if not isinstance(block, Chart):
        return None
    width = flowable._inner_width(placed.width)
    used = sum(c.wrap(width, 1e6)[1] + 3 for c in texts)
    capacity = block.height - (0.0 if block.type == "sparkline" else MIN_PLOT_HEIGHT)
    return Room(capacity, capacity - used)


def measure_text(flowables: Iterable[Any]) -> TextMeasure | None:
    """Lines, leading and characters per line of the paragraphs in some flowables."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    lines, chars, width = 0, 0, 0.0
    first: Any = None
    for para in _paragraphs(flowables):
        broken = getattr(para, "blPara", None)
        if broken is None:  # never wrapped: not placed
            continue
        lines += len(broken.lines)
        for text, font, size in _set_words(broken):
            chars += len(text)
            width += stringWidth(text, font, size)
        first = first or para
    if first is None or not chars or width <= 0:
        return None
    line_width = float(getattr(first, "width", 0.0) or 0.0)
    return TextMeasure(lines, float(first.style.leading), line_width / (width / chars))


def _set_words(broken: Any) -> Iterator[tuple[str, str, float]]:
    """(text, font, size) of each line of a wrapped paragraph (or its part), with the
    spaces between its words."""
    for line in broken.lines:
        if broken.kind == 0:  # one font: (extra space, words)
            yield " ".join(line[1]), broken.fontName, broken.fontSize
            continue
        for word in line.words:
            if getattr(word, "text", ""):
                yield word.text, word.fontName, word.fontSize


def _paragraphs(flowables: Iterable[Any]) -> Iterator[Any]:
    """Paragraphs in reading order: top-level, in a box, a caption or a title band."""
    from reportlab.platypus import Paragraph

    for flowable in flowables:
        if isinstance(flowable, Paragraph):
            yield flowable
        for part in ("content", "caption", "text"):
            inner = getattr(flowable, part, None)
            if isinstance(inner, list | tuple):
                yield from _paragraphs(inner)


def with_text(page: PageLayout, fit: BlockFit) -> BlockFit:
    """`fit` with its text measured, from its placements on `page`."""
    path = key_path_of(fit.key_path)
    placed = (p.flowable for p in page.placements if p.key_path[:4] == path)
    return replace(fit, text=measure_text(placed))


def key_path_of(text: str) -> KeyPath:
    """`pages[0].blocks[3]` back to ("pages", 0, "blocks", 3)."""
    parts: list[str | int] = []
    for piece in text.replace("]", "").split("."):
        name, *indexes = piece.split("[")
        if name:
            parts.append(name)
        parts += [int(i) for i in indexes]
    return tuple(parts)
