"""Placement: which block lands where. Each spec page's blocks are placed in reading
order into that page's regions (full-width blocks stacked at the top and bottom, the rest
flowing through the columns), and every placement records the block it came from. The
result is a :class:`Layout` that tests can inspect and :mod:`factsheet.render.pdf` draws;
content that does not fit raises a located error with the amount of overflow instead of
ever adding a silent page or clipping text."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from factsheet.errors import FactsheetError, LayoutError
from factsheet.layout.breaks import UnbrokenNumber
from factsheet.layout.geometry import Rect, split_columns
from factsheet.layout.roles import Placed
from factsheet.location import KeyPath, Location

EPSILON = 0.01
KEEP_WITH_NEXT = 34.0  # points of the next block a heading insists on (about 3 lines)
SPILL_HEIGHT = 100_000.0  # points: a measuring column past the page's last one
SPILL_COLUMNS = 8


@dataclass(frozen=True)
class Item:
    """One block's flowables, ready to place."""

    block_id: str
    kind: str
    key_path: KeyPath
    span: str  # column | page | bleed
    flowables: tuple[Any, ...]
    keep_together: bool = False
    keep_with_next: bool = False
    breaks: str | None = None  # "column" or "page" for break blocks
    tags: tuple[Placed, ...] = ()  # what each flowable is to a reader (see layout.roles)
    language: str | None = None  # the block's own language, if not the document's

    def __post_init__(self) -> None:
        if len(self.tags) != len(self.flowables):
            raise ValueError(
                f"a {self.kind} gave {len(self.tags)} tags for {len(self.flowables)} flowables"
            )

    def pairs(self) -> list[tuple[Any, Placed]]:
        return list(zip(self.flowables, self.tags, strict=True))


@dataclass(frozen=True)
class Placement:
    """Where one flowable of one block is drawn."""

    block_id: str
    kind: str
    key_path: KeyPath
    flowable: Any
    x: float
    y: float
    width: float
    height: float
    region: str
    tag: Placed
    language: str | None = None


@dataclass
class PageLayout:
    number: int  # 1-based
    template: str
    placements: list[Placement] = field(default_factory=list)
    columns: tuple[Rect, ...] = ()  # the frames its column blocks flow through
    squeezed: float = 0.0  # measuring only: how far its page-wide blocks overlap
    placing: Item | None = field(default=None, repr=False, compare=False)  # for errors

    def blocks(self) -> list[str]:
        """Block ids in reading order, once each."""
        return list(dict.fromkeys(p.block_id for p in self.placements))


@dataclass(frozen=True)
class PageFrame:
    """The geometry a spec page is laid into."""

    paper: Rect
    content: Rect
    columns: int
    column_gap: float
    block_gap: float
    rtl: bool = False  # columns read right to left: the first column is the right one


@dataclass
class Layout:
    paper: tuple[float, float]
    pages: list[PageLayout] = field(default_factory=list)
    warnings: list[FactsheetError] = field(default_factory=list)  # found while placing


def layout_page(
    items: Sequence[Item], frame: PageFrame, template: str, first: int, spill: bool = False
) -> list[PageLayout]:
    """Lay out one spec page; a page break continues on a further page. With `spill`
    (to measure an overflow, never to draw), what does not fit runs on into extra
    columns past the page's last (regions `column N+1`…, not in `PageLayout.columns`)
    instead of raising, and page-wide blocks that overlap record it in `squeezed`."""
    pages: list[PageLayout] = []
    for chunk in _split_at_page_breaks(items):
        page = PageLayout(first + len(pages), template)
        _layout_one(chunk, frame, page, spill)
        pages.append(page)
    return pages


def pages_made(items: Sequence[Item]) -> int:
    """How many pages one spec page makes: one, plus one per page break that has
    blocks after it."""
    return len(_split_at_page_breaks(items))


def _split_at_page_breaks(items: Sequence[Item]) -> list[list[Item]]:
    chunks: list[list[Item]] = [[]]
    for item in items:
        if item.breaks == "page":
            chunks.append([])
        else:
            chunks[-1].append(item)
    return [c for c in chunks if c] or [[]]


def _layout_one(items: list[Item], frame: PageFrame, page: PageLayout, spill: bool) -> None:
    try:
        _layout_items(items, frame, page, spill)
    except UnbrokenNumber as exc:
        # Raised inside a paragraph's line breaking: point at the block being placed.
        if page.placing is not None:
            exc.located(Location(key_path=page.placing.key_path))
        raise
    finally:
        page.placing = None


def _layout_items(items: list[Item], frame: PageFrame, page: PageLayout, spill: bool) -> None:
    head, body, tail = _partition(items)
    top = frame.paper.top if head and head[0].span == "bleed" else frame.content.top
    for index, item in enumerate(head):
        top = _stack_down(item, frame, top, page)
        following = head[index + 1] if index + 1 < len(head) else None
        # Bands that run to the paper's edge sit flush against each other.
        if not (item.span == "bleed" and following is not None and following.span == "bleed"):
            top -= frame.block_gap
    if head and head[-1].span == "bleed":
        top -= frame.block_gap * 2  # text needs more air below a full-bleed band
    bottom = frame.content.y
    for item in reversed(tail):
        bottom = _stack_up(item, frame, bottom, page) + frame.block_gap
    if bottom > top + EPSILON:
        if not spill:
            raise _overflow(tail[0] if tail else head[-1], page.number, bottom - top)
        page.squeezed, bottom = bottom - top, top
    area = Rect(frame.content.x, bottom, frame.content.width, top - bottom)
    columns = split_columns(area, frame.columns, frame.column_gap, frame.rtl)
    page.columns = columns
    if spill:  # tall enough for any block, a few for column breaks
        last = columns[-1]
        tall = Rect(last.x, top - SPILL_HEIGHT, last.width, SPILL_HEIGHT)
        columns = (*columns, *[tall] * SPILL_COLUMNS)
    tail_start = len(page.placements)
    _Flow(columns, frame.block_gap, page).run(body)
    # Reading order: head, body, then tail (tail was stacked bottom-up first).
    page.placements[:] = [
        *[p for p in page.placements[:tail_start] if p.region != "tail"],
        *page.placements[tail_start:],
        *[p for p in page.placements[:tail_start] if p.region == "tail"][::-1],
    ]


def _partition(items: list[Item]) -> tuple[list[Item], list[Item], list[Item]]:
    """Full-width blocks at the start, column blocks, full-width blocks at the end."""
    head_end = 0
    while head_end < len(items) and items[head_end].span != "column":
        head_end += 1
    tail_start = len(items)
    while tail_start > head_end and items[tail_start - 1].span != "column":
        tail_start -= 1
    for item in items[head_end:tail_start]:
        if item.span != "column":
            raise LayoutError(
                f"a '{item.span}'-wide {item.kind} must come at the start or the end of its "
                "page's blocks",
                Location(key_path=item.key_path),
                hint="move it, or set `span: column`",
            )
    return items[:head_end], items[head_end:tail_start], items[tail_start:]


def _width_of(item: Item, frame: PageFrame) -> Rect:
    return frame.paper if item.span == "bleed" else frame.content


def _stack_down(item: Item, frame: PageFrame, top: float, page: PageLayout) -> float:
    page.placing = item
    box = _width_of(item, frame)
    for flowable, tag in item.pairs():
        _, height = flowable.wrap(box.width, top - frame.paper.y)
        page.placements.append(
            _placed(item, (flowable, tag), box.x, top - height, box.width, height, "head")
        )
        top -= height
    return top


def _stack_up(item: Item, frame: PageFrame, bottom: float, page: PageLayout) -> float:
    page.placing = item
    box = _width_of(item, frame)
    for flowable, tag in reversed(item.pairs()):
        _, height = flowable.wrap(box.width, frame.paper.top - bottom)
        page.placements.append(
            _placed(item, (flowable, tag), box.x, bottom, box.width, height, "tail")
        )
        bottom += height
    return bottom


def _placed(
    item: Item, drawn: tuple[Any, Placed], x: float, y: float, w: float, h: float, region: str
) -> Placement:
    flowable, tag = drawn
    return Placement(
        item.block_id, item.kind, item.key_path, flowable, x, y, w, h, region, tag, item.language
    )


OVERFLOW_HINT = (
    "shorten the text, make a chart or photo smaller, let text shrink with `fit: shrink`, "
    "or move blocks to another page with a `page_break` block or a new entry under "
    "`pages`, as content never runs on to a new page by itself"
)


def _overflow(item: Item, page: int, amount: float) -> LayoutError:
    mm = amount * 25.4 / 72
    return LayoutError(
        f"content overflows page {page} by {amount:.0f}pt ({mm:.0f} mm), "
        f"starting at this {item.kind}",
        Location(key_path=item.key_path),
        hint=OVERFLOW_HINT,
    )


class _Flow:
    """Flows column blocks through a page's columns, splitting text where allowed."""

    def __init__(self, columns: tuple[Rect, ...], gap: float, page: PageLayout) -> None:
        self.columns = columns
        self.gap = gap
        self.page = page
        self.index = 0
        self.y = columns[0].top
        self.at_top = True
        self.later: list[Item] = []
        self.after_heading = False  # a heading's own space_after is gap enough
        self.previous = ""

    @property
    def column(self) -> Rect:
        return self.columns[self.index]

    def next_column(self) -> bool:
        if self.index + 1 >= len(self.columns):
            return False
        self.index += 1
        self.y = self.column.top
        self.at_top = True
        return True

    def run(self, items: list[Item]) -> None:
        for position, item in enumerate(items):
            if item.breaks == "column":
                if not self.next_column():
                    raise LayoutError(
                        f"a column break in the last column of page {self.page.number}: the "
                        "blocks before it already reach that column",
                        Location(key_path=item.key_path),
                        hint="remove the break, or shorten the blocks before it",
                    )
                continue
            self.later = items[position + 1 :]
            self._place_item(item, self.later[0] if self.later else None)

    def _place_item(self, item: Item, following: Item | None) -> None:
        self.page.placing = item
        if item.keep_together and not self.at_top and not self._fits_whole(item, following):
            self._advance(item, item.pairs())
        # A flowable split in two keeps its tag in both parts: one paragraph to a reader.
        queue = item.pairs()
        first = True
        while queue:
            flowable, tag = queue.pop(0)
            gap = self.gap if first and not self._runs_on(item) else 0.0
            space = 0.0 if self.at_top else max(flowable.getSpaceBefore(), gap)
            room = self.y - self.column.y - space
            _, height = flowable.wrap(self.column.width, room)
            needed = height + (
                self._keep_room(following) if item.keep_with_next and not queue else 0
            )
            if queue and not self.at_top and getattr(flowable, "keepWithNext", False):
                # A table's title stays with the table's first rows.
                needed += min(queue[0][0].wrap(self.column.width, room)[1], KEEP_WITH_NEXT)
            if needed <= room + EPSILON:
                self._put(item, (flowable, tag), space, height)
            elif not item.keep_together and (parts := _split(flowable, self.column.width, room)):
                _, head_height = parts[0].wrap(self.column.width, room)
                self._put(item, (parts[0], tag), space, head_height)
                queue[:0] = [(part, tag) for part in parts[1:]]
                self._advance(item, queue)
            else:
                queue.insert(0, (flowable, tag))
                self._advance(item, queue)
                continue
            first = False
        self.after_heading = item.keep_with_next
        self.previous = item.kind

    def _fits_whole(self, item: Item, following: Item | None) -> bool:
        """Whether all of a keep-together item's flowables fit in this column's rest."""
        y = self.y
        for n, flowable in enumerate(item.flowables):
            gap = self.gap if n == 0 and not self.after_heading else 0.0
            y -= max(flowable.getSpaceBefore(), gap)
            y -= flowable.wrap(self.column.width, y - self.column.y)[1]
            if n + 1 < len(item.flowables):
                y -= flowable.getSpaceAfter()
        if item.keep_with_next:
            y -= self._keep_room(following)
        return y >= self.column.y - EPSILON

    def _runs_on(self, item: Item) -> bool:
        """No block gap after a heading, or between consecutive paragraphs: their own
        spacing reads as one text."""
        return self.after_heading or (item.kind == "paragraph" and self.previous == "paragraph")

    def _keep_room(self, following: Item | None) -> float:
        if following is None or not following.flowables:
            return 0.0
        _, height = following.flowables[0].wrap(self.column.width, self.column.height)
        return min(float(height) + self.gap, KEEP_WITH_NEXT)

    def _put(self, item: Item, drawn: tuple[Any, Placed], space: float, height: float) -> None:
        flowable = drawn[0]
        self.y -= space + height
        region = f"column {self.index + 1}"
        self.page.placements.append(
            _placed(item, drawn, self.column.x, self.y, self.column.width, height, region)
        )
        self.y -= flowable.getSpaceAfter()
        self.at_top = False

    def _advance(self, item: Item, rest: list[tuple[Any, Placed]]) -> None:
        if self.next_column():
            return
        amount = sum(f.wrap(self.column.width, 1e6)[1] for f, _ in rest)
        raise _overflow(item, self.page.number, amount + self._later_height())

    def _later_height(self) -> float:
        """Height the blocks after the overflowing one would need in a fresh column."""
        width = self.column.width
        heights = [f.wrap(width, 1e6)[1] for item in self.later for f in item.flowables]
        return float(sum(heights)) + self.gap * len(self.later)


def _split(flowable: Any, width: float, room: float) -> list[Any]:
    if room <= 0:
        return []
    parts: list[Any] = flowable.split(width, room)
    return parts if len(parts) > 1 else []
