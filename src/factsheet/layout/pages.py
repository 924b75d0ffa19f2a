"""Page templates: the frame a spec page is laid into (paper, margins, columns, gaps)
and the furniture every page carries. Both come from the theme and the document; this
module only turns them into numbers and paragraphs for the placer and the renderer."""

from __future__ import annotations

from reportlab.platypus import Paragraph

from factsheet.layout import scripts
from factsheet.layout.flow import PageFrame
from factsheet.layout.geometry import PAPER_SIZES, Margins, Rect, content_rect
from factsheet.layout.paragraph import Para
from factsheet.layout.styles import paragraph_style, right_to_left, start_end, variant
from factsheet.render.pdf import Furniture
from factsheet.text import Templates, render_markup
from factsheet.theme import LoadedTheme


def page_frame(theme: LoadedTheme, paper_name: str, columns: int, rtl: bool = False) -> PageFrame:
    """The frame of a page with `columns` columns, read right to left if `rtl`."""
    page = theme.theme.page
    paper = PAPER_SIZES[paper_name]
    margins = Margins(page.margin_top, page.margin_bottom, page.margin_left, page.margin_right)
    return PageFrame(
        paper=Rect(0, 0, *paper),
        content=content_rect(paper, margins),
        columns=columns,
        column_gap=page.column_gap,
        block_gap=page.block_gap,
        rtl=rtl,
    )


def span_width(frame: PageFrame, span: str) -> float:
    """Width available to a block of the given span."""
    if span == "bleed":
        return frame.paper.width
    if span == "page" or frame.columns == 1:
        return frame.content.width
    return (frame.content.width - frame.column_gap * (frame.columns - 1)) / frame.columns


def furniture(
    theme: LoadedTheme, frame: PageFrame, templates: Templates, pages: int, language: str = ""
) -> Furniture:
    """Footer and page numbers for a document of `pages` pages, in `language`; on a
    right-to-left page the number sits at the left and the footer text at the right."""
    style = paragraph_style(theme, "footer", language)
    make: type[Paragraph] = Paragraph
    if frame.rtl:
        make = Para
        if not getattr(style, "rtl", 0):
            style = right_to_left(style)
    right = variant(style, alignment=start_end(frame.rtl)[1])
    footer_text = scripts.apply(_one_line(theme.theme.page.footer, templates), style)
    numbers = []
    for page in range(1, pages + 1):
        local = templates.with_values(page=page, pages=pages)
        number = scripts.apply(_one_line(theme.theme.page.page_number, local), right)
        numbers.append(make(number, right))
    return Furniture(
        footer=tuple(make(footer_text, style) for _ in range(pages)),
        page_numbers=tuple(numbers),
        rule_colour=theme.theme.colour(theme.theme.blocks.contact.rule or "rule"),
        left=frame.content.x,
        right=frame.content.right,
        baseline=frame.content.y - 8,
        initial_font=theme.font(theme.theme.styles.body.font),
        rtl=frame.rtl,
    )


def _one_line(template: str, templates: Templates) -> str:
    return " ".join(render_markup(template, templates))
