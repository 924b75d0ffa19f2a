"""Placement: blocks flow through columns, full-width blocks stack at the top and the
bottom, breaks and keeps are honoured, and overflow is an error that says where and by
how much. Simple ReportLab flowables stand in for real blocks; the demo's real layout
is checked against the same invariants (inside the paper, no overlaps)."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

import pytest
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Paragraph, Spacer

from factsheet.errors import LayoutError
from factsheet.layout.flow import EPSILON, Item, PageFrame, PageLayout, Placement, layout_page
from factsheet.layout.geometry import Rect, split_columns
from factsheet.layout.roles import Node

REPO = Path(__file__).resolve().parents[1]

# Paper 200 x 300; content 180 x 280 at (10, 10); two columns 80 wide at x = 10 and 110.
PAPER = Rect(0, 0, 200, 300)
CONTENT = Rect(10, 10, 180, 280)
GAP = 10.0  # between blocks
FRAME = PageFrame(paper=PAPER, content=CONTENT, columns=2, column_gap=20, block_gap=GAP)
COL1, COL2 = split_columns(CONTENT, 2, 20)
STYLE = ParagraphStyle("body", fontName="Helvetica", fontSize=10, leading=12)


def item(
    index: int, *flowables: Any, kind: str = "block", span: str = "column", **options: Any
) -> Item:
    path = ("pages", 0, "blocks", index)
    tags = tuple(Node("P") for _ in flowables)
    return Item(f"b{index}", kind, path, span, tuple(flowables), tags=tags, **options)


def box(height: float, width: float = 80) -> Spacer:
    return Spacer(width, height)


def text(words: int) -> Paragraph:
    return Paragraph(" ".join(["word"] * words), STYLE)


def heading(index: int) -> Item:
    return item(
        index, Paragraph("Heading", STYLE), kind="heading", keep_together=True, keep_with_next=True
    )


def one_page(items: list[Item], frame: PageFrame = FRAME) -> PageLayout:
    pages = layout_page(items, frame, "body", 1)
    assert len(pages) == 1
    check_page(pages[0], frame.paper)
    return pages[0]


def of(page: PageLayout, block_id: str) -> list[Placement]:
    return [p for p in page.placements if p.block_id == block_id]


def check_page(page: PageLayout, paper: Rect) -> None:
    """Every placement lies inside the paper and no two placements overlap."""
    for p in page.placements:
        assert p.width >= 0 and p.height >= 0, p
        assert p.x >= paper.x - EPSILON, p
        assert p.y >= paper.y - EPSILON, p
        assert p.x + p.width <= paper.right + EPSILON, p
        assert p.y + p.height <= paper.top + EPSILON, p
    for i, a in enumerate(page.placements):
        for b in page.placements[i + 1 :]:
            overlap_w = min(a.x + a.width, b.x + b.width) - max(a.x, b.x)
            overlap_h = min(a.y + a.height, b.y + b.height) - max(a.y, b.y)
            assert overlap_w <= EPSILON or overlap_h <= EPSILON, (
                f"page {page.number}: {a.block_id} ({a.region}) overlaps {b.block_id} ({b.region})"
            )


def check_layout(pages: Iterable[PageLayout], paper: Rect) -> None:
    for page in pages:
        check_page(page, paper)


def test_check_page_catches_overlap_and_escape() -> None:
    """The invariant helper itself must be able to fail."""
    page = PageLayout(1, "body")
    page.placements.append(Placement("a", "x", (), None, 10, 10, 50, 50, "column 1", None))
    page.placements.append(Placement("b", "x", (), None, 40, 40, 50, 50, "column 1", None))
    with pytest.raises(AssertionError, match="a \\(column 1\\) overlaps b"):
        check_page(page, PAPER)
    outside = PageLayout(1, "body", [Placement("c", "x", (), None, 190, 10, 20, 10, "head", None)])
    with pytest.raises(AssertionError):
        check_page(outside, PAPER)
    touching = PageLayout(1, "body")
    touching.placements.append(Placement("a", "x", (), None, 10, 10, 50, 50, "column 1", None))
    touching.placements.append(Placement("b", "x", (), None, 10, 60, 50, 50, "column 1", None))
    check_page(touching, PAPER)


# --- columns ----------------------------------------------------------------------


def test_column_flow_fills_column_one_then_two() -> None:
    page = one_page([item(0, box(100)), item(1, box(100)), item(2, box(100)), item(3, box(50))])
    spots = [(p.block_id, p.region, p.x, p.y, p.width, p.height) for p in page.placements]
    assert spots == [
        ("b0", "column 1", 10, 190, 80, 100),
        ("b1", "column 1", 10, 80, 80, 100),  # 10pt block gap below b0
        ("b2", "column 2", 110, 190, 80, 100),  # 60pt left in column 1: too little
        ("b3", "column 2", 110, 130, 80, 50),
    ]
    assert page.blocks() == ["b0", "b1", "b2", "b3"]
    assert page.number == 1 and page.template == "body"


def test_single_column_frame() -> None:
    frame = PageFrame(PAPER, CONTENT, columns=1, column_gap=20, block_gap=GAP)
    page = one_page([item(0, box(100, 180)), item(1, box(100, 180))], frame)
    assert [(p.region, p.x, p.y, p.width) for p in page.placements] == [
        ("column 1", 10, 190, 180),
        ("column 1", 10, 80, 180),
    ]


def test_long_paragraph_splits_across_columns() -> None:
    paragraph = text(60)
    _, whole = paragraph.wrap(COL1.width, 1e6)
    assert whole == 240  # 20 lines of 12pt
    page = one_page([item(0, box(100)), item(1, paragraph)])
    parts = of(page, "b1")
    assert [p.region for p in parts] == ["column 1", "column 2"]
    first, second = parts
    # Column 1 has 290 - 100 - 10 - 10 = 170pt left: 14 whole lines (168pt).
    assert (first.y, first.height) == (12, 168)
    assert first.y - COL1.y < STYLE.leading  # filled to its foot
    assert (second.x, second.y + second.height, second.height) == (COL2.x, COL2.top, 72)
    assert first.height + second.height == whole  # no line lost or repeated


def test_splittable_block_marked_keep_together_moves_whole() -> None:
    page = one_page([item(0, box(100)), item(1, text(60), keep_together=True)])
    # 240pt of text does not fit in the 170pt under b0, though it could split: it moves.
    assert [(p.region, p.y, p.height) for p in of(page, "b1")] == [("column 2", 50, 240)]


def test_keep_together_block_of_several_flowables_moves_whole() -> None:
    """An image and its caption (two flowables, keep_together) must not be parted."""
    image, caption = box(60), box(70)
    page = one_page([item(0, box(150)), item(1, image, caption, kind="image", keep_together=True)])
    placed = of(page, "b1")
    assert [p.region for p in placed] == ["column 2", "column 2"]
    assert [p.flowable for p in placed] == [image, caption]
    assert [(p.y, p.height) for p in placed] == [(230, 60), (160, 70)]


def test_several_flowables_without_keep_together_may_part() -> None:
    page = one_page([item(0, box(150)), item(1, box(60), box(70))])
    assert [p.region for p in of(page, "b1")] == ["column 1", "column 2"]


def test_keep_together_block_that_fits_stays() -> None:
    page = one_page([item(0, box(150)), item(1, box(50), box(50), keep_together=True)])
    assert [(p.region, p.y) for p in of(page, "b1")] == [("column 1", 80), ("column 1", 30)]


def test_heading_does_not_strand_at_column_foot() -> None:
    # 45pt left in column 1: room for the 12pt heading but not for ~3 lines after it.
    page = one_page([item(0, box(235)), heading(1), item(2, text(30))])
    assert [(p.block_id, p.region) for p in page.placements] == [
        ("b0", "column 1"),
        ("b1", "column 2"),
        ("b2", "column 2"),
    ]
    head, body = of(page, "b1")[0], of(page, "b2")[0]
    assert head.y + head.height == COL2.top
    assert body.y + body.height == head.y  # no block gap after a heading


def test_heading_without_keep_with_next_would_strand() -> None:
    """The control for the test above: the same heading without the keep stays put."""
    plain = item(1, Paragraph("Heading", STYLE), kind="heading", keep_together=True)
    page = one_page([item(0, box(235)), plain, item(2, text(30))])
    assert of(page, "b1")[0].region == "column 1"


def test_heading_with_room_for_what_follows_stays() -> None:
    page = one_page([item(0, box(100)), heading(1), item(2, text(30))])
    assert of(page, "b1")[0].region == "column 1"
    assert of(page, "b2")[0].region == "column 1"


# --- full-width blocks ------------------------------------------------------------


def test_full_width_blocks_stack_at_top_and_bottom() -> None:
    items = [
        item(0, box(50, 200), kind="hero", span="bleed"),
        item(1, box(30, 180), kind="title_band", span="page"),
        item(2, box(40)),
        item(3, box(40)),
        item(4, box(20, 180), kind="contact", span="page"),
    ]
    page = one_page(items)
    spots = [(p.block_id, p.region, p.x, p.y, p.width, p.height) for p in page.placements]
    assert spots == [
        ("b0", "head", 0, 250, 200, 50),  # bleed: from the paper's top, full paper width
        ("b1", "head", 10, 210, 180, 30),  # page: the content width
        ("b2", "column 1", 10, 160, 80, 40),  # columns start a block gap under the head
        ("b3", "column 1", 10, 110, 80, 40),
        ("b4", "tail", 10, 10, 180, 20),  # stacked on the content's foot
    ]
    assert page.blocks() == ["b0", "b1", "b2", "b3", "b4"]


def test_several_tail_blocks_stack_upwards_in_reading_order() -> None:
    items = [
        item(0, box(40)),
        item(1, box(20, 180), span="page"),
        item(2, box(30, 180), span="page"),
    ]
    page = one_page(items)
    assert [(p.block_id, p.y) for p in page.placements] == [("b0", 250), ("b1", 50), ("b2", 10)]


def test_columns_sit_between_head_and_tail() -> None:
    items = [
        item(0, box(60, 200), span="bleed"),
        *[item(i, box(30)) for i in range(1, 9)],
        item(9, box(40, 180), span="page"),
    ]
    page = one_page(items)
    head_foot = min(p.y for p in page.placements if p.region == "head")
    tail_top = max(p.y + p.height for p in page.placements if p.region == "tail")
    columns = [p for p in page.placements if p.region.startswith("column")]
    assert {p.region for p in columns} == {"column 1", "column 2"}
    for p in columns:
        assert p.y + p.height <= head_foot - GAP + EPSILON
        assert p.y >= tail_top + GAP - EPSILON


def test_bleed_head_leaves_extra_room_before_the_columns() -> None:
    page = one_page([item(0, box(50, 200), span="bleed"), item(1, box(40))])
    # The hero ends at 250; after a bleed, columns start three block gaps lower, at 220.
    assert [(p.block_id, p.y + p.height) for p in page.placements] == [("b0", 300), ("b1", 220)]
    page = one_page([item(0, box(50, 180), span="page"), item(1, box(40))])
    # A page-wide head starts at the content's top (290) and is followed by one gap.
    assert [(p.block_id, p.y + p.height) for p in page.placements] == [("b0", 290), ("b1", 230)]


def test_full_width_block_in_the_middle_is_refused() -> None:
    items = [item(0, box(40)), item(1, box(20, 180), kind="callout", span="page"), item(2, box(40))]
    with pytest.raises(LayoutError) as info:
        layout_page(items, FRAME, "body", 1)
    error = info.value
    assert error.message == (
        "a 'page'-wide callout must come at the start or the end of its page's blocks"
    )
    assert error.hint == "move it, or set `span: column`"
    assert error.location is not None
    assert error.location.key_path == ("pages", 0, "blocks", 1)
    assert str(error).startswith("pages[0].blocks[1]: a 'page'-wide callout")


# --- breaks -----------------------------------------------------------------------


def test_column_break() -> None:
    items = [item(0, box(40)), item(1, kind="column_break", breaks="column"), item(2, box(40))]
    page = one_page(items)
    assert [(p.block_id, p.region, p.y) for p in page.placements] == [
        ("b0", "column 1", 250),
        ("b2", "column 2", 250),
    ]


def test_column_break_in_the_last_column_is_explained() -> None:
    items = [
        item(0, box(40)),
        item(1, kind="column_break", breaks="column"),
        item(2, box(40)),
        item(3, kind="column_break", breaks="column"),
        item(4, box(40)),
    ]
    with pytest.raises(LayoutError) as info:
        layout_page(items, FRAME, "body", 1)
    assert info.value.location is not None
    assert info.value.location.key_path == ("pages", 0, "blocks", 3)
    assert info.value.message == (
        "a column break in the last column of page 1: the blocks before it already reach "
        "that column"
    )


def test_page_break_gives_consecutive_pages() -> None:
    items = [
        item(0, box(40)),
        item(1, kind="page_break", breaks="page"),
        item(2, box(40)),
        item(3, box(20, 180), span="page"),
    ]
    pages = layout_page(items, FRAME, "cover", 3)
    assert [(p.number, p.template) for p in pages] == [(3, "cover"), (4, "cover")]
    assert pages[0].blocks() == ["b0"]
    assert pages[1].blocks() == ["b2", "b3"]
    # The new page starts afresh at the top of column 1.
    assert of(pages[1], "b2")[0].y + 40 == COL1.top
    check_layout(pages, PAPER)


def test_leading_and_trailing_page_breaks_add_no_empty_page() -> None:
    items = [item(0, kind="page_break", breaks="page"), item(1, box(40)), item(2, breaks="page")]
    pages = layout_page(items, FRAME, "body", 1)
    assert [p.blocks() for p in pages] == [["b1"]]


def test_empty_page() -> None:
    assert [p.placements for p in layout_page([], FRAME, "body", 5)] == [[]]


# --- overflow ---------------------------------------------------------------------


def test_overflow_names_page_amount_and_first_block() -> None:
    items = [
        item(0, box(200)),
        item(1, box(200)),
        item(2, box(200), kind="chart"),
        item(3, box(100)),
    ]
    with pytest.raises(LayoutError) as info:
        layout_page(items, FRAME, "body", 1)
    error = info.value
    # b2 (200pt) and b3 (100pt plus a 10pt gap) find no room: 310pt, 109.4 mm.
    assert error.message == "content overflows page 1 by 310pt (109 mm), starting at this chart"
    assert error.hint == (
        "shorten the text, make a chart or photo smaller, let text shrink with `fit: shrink`, "
        "or move blocks to another page with a `page_break` block or a new entry under "
        "`pages`, as content never runs on to a new page by itself"
    )
    assert "raise `document.pages`" not in error.hint  # that alone never helps
    assert error.location is not None
    assert error.location.key_path == ("pages", 0, "blocks", 2)
    assert error.exit_code == 65


def test_overflow_of_split_text_counts_the_lines_left_over() -> None:
    with pytest.raises(LayoutError) as info:
        layout_page([item(0, box(100)), item(1, text(300))], FRAME, "body", 1)
    # 100 lines; 14 fit under b0 and 23 in column 2: 63 lines of 12pt are left.
    assert info.value.message == (
        "content overflows page 1 by 756pt (267 mm), starting at this block"
    )
    assert info.value.location is not None
    assert info.value.location.key_path == ("pages", 0, "blocks", 1)


def test_overflow_on_a_later_page_names_that_page() -> None:
    items = [item(0, box(40)), item(1, breaks="page"), item(2, box(290)), item(3, box(290))]
    with pytest.raises(LayoutError) as info:
        layout_page(items, FRAME, "body", 7)
    # b2 is taller than any column; b3 and its gap come on top: 290 + 290 + 10.
    assert info.value.message == (
        "content overflows page 8 by 590pt (208 mm), starting at this block"
    )
    assert info.value.location is not None
    assert info.value.location.key_path == ("pages", 0, "blocks", 2)


def test_head_and_tail_overflowing_each_other() -> None:
    items = [
        item(0, box(200, 200), span="bleed"),
        item(1, box(10)),
        item(2, box(150, 180), kind="contact", span="page"),
    ]
    with pytest.raises(LayoutError) as info:
        layout_page(items, FRAME, "body", 2)
    # Head ends at 100, columns would start at 70; the tail reaches up to 170.
    assert info.value.message == (
        "content overflows page 2 by 100pt (35 mm), starting at this contact"
    )
    assert info.value.location is not None
    assert info.value.location.key_path == ("pages", 0, "blocks", 2)


def test_only_full_width_blocks_all_stack_from_the_top() -> None:
    items = [item(0, box(50, 200), span="bleed"), item(1, box(30, 180), span="page")]
    page = one_page(items)
    assert [(p.block_id, p.region, p.y) for p in page.placements] == [
        ("b0", "head", 250),
        ("b1", "head", 210),
    ]


# --- the demo ---------------------------------------------------------------------


@pytest.fixture(scope="module")
def demo() -> Any:
    from factsheet.build import render

    return render(REPO / "factsheets" / "2021.yaml")


def test_demo_layout_is_inside_the_paper_without_overlaps(demo: Any) -> None:
    layout = demo.layout
    paper = Rect(0, 0, *layout.paper)
    assert [p.number for p in layout.pages] == [1, 2]
    assert [p.template for p in layout.pages] == ["cover", "body"]
    check_layout(layout.pages, paper)
    for page in layout.pages:
        assert page.placements


def test_demo_layout_regions(demo: Any) -> None:
    cover, body = demo.layout.pages
    assert [(p.kind, p.region) for p in cover.placements[:2]] == [
        ("hero", "head"),
        ("title_band", "head"),
    ]
    hero = cover.placements[0]
    assert (hero.x, hero.width) == (0, demo.layout.paper[0])  # bleeds
    assert hero.y + hero.height == pytest.approx(demo.layout.paper[1])
    last = body.placements[-1]
    assert (last.kind, last.region) == ("contact", "tail")
    # Every block of the spec is placed, once, in reading order.
    spec_pages = demo.loaded.spec.pages
    for page, spec_page in zip(demo.layout.pages, spec_pages, strict=True):
        assert page.blocks() == [
            block.body.id or f"pages[{page.number - 1}].blocks[{i}]"
            for i, block in enumerate(spec_page.blocks)
        ]


def test_consecutive_paragraph_blocks_read_as_one_text() -> None:
    """Two paragraph blocks are spaced like two paragraphs, not like two blocks."""
    para = ParagraphStyle("p", parent=STYLE, spaceAfter=4)
    first = item(0, Paragraph("One.", para), kind="paragraph")
    second = item(1, Paragraph("Two.", para), kind="paragraph")
    chart = item(2, box(20), kind="chart")
    placed = one_page([first, second, chart]).placements
    gap_paragraphs = placed[0].y - (placed[1].y + placed[1].height)
    gap_block = placed[1].y - (placed[2].y + placed[2].height)
    assert gap_paragraphs == pytest.approx(4)
    assert gap_block == pytest.approx(4 + GAP)
