"""Text blocks: headings (which also become PDF bookmarks) and paragraphs of inline
Markdown. Paragraphs may split across columns; headings keep with what follows."""

from __future__ import annotations

from factsheet.blocks import printed
from factsheet.blocks.base import BlockContext, Built, register
from factsheet.blocks.flowables import OutlineHeading
from factsheet.layout import scripts
from factsheet.layout.roles import Node, each
from factsheet.layout.styles import paragraph_style
from factsheet.location import format_key_path
from factsheet.render.boxes import with_prints
from factsheet.spec.model import Heading, Paragraph
from factsheet.text import render_markup


@register("heading")
def build_heading(block: Heading, ctx: BlockContext) -> Built:
    style = paragraph_style(ctx.theme, f"heading{block.level}", ctx.document.language)
    names = printed.figure_names(block.text, ctx.figures)
    if names:  # a heading is one paragraph: its Markdown paragraphs joined
        templates, figures, links = ctx.templates, ctx.figures, ctx.links
        ((joined, prints),) = printed.render_marked(
            block.text, templates, figures, names, links, join=True
        )
    else:
        joined, prints = " ".join(render_markup(block.text, ctx.templates, ctx.links)), ()
    markup = scripts.apply(joined, style)
    title = ctx.plain(block.text)
    key = "h-" + format_key_path(ctx.key_path).replace("[", "-").replace("]", "").replace(".", "-")
    heading = with_prints(OutlineHeading(markup, style, title, key, block.level), prints)
    # A title band's title is the document's H1, and then a section is an H2; with no
    # title band, sections are the top level.
    node = Node(f"H{block.level + 1 if ctx.titled else block.level}")
    return Built((heading,), keep_together=True, keep_with_next=True, tags=(node,))


@register("paragraph")
def build_paragraph(block: Paragraph, ctx: BlockContext) -> Built:
    paragraphs = ctx.paragraphs(block.text, block.style)
    return Built(tuple(paragraphs), tags=tuple(each(paragraphs)))
