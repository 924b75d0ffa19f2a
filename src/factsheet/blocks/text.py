"""Text blocks: headings (which also become PDF bookmarks) and paragraphs of inline
Markdown. Paragraphs may split across columns; headings keep with what follows."""

from __future__ import annotations

from factsheet.blocks.base import BlockContext, Built, register
from factsheet.blocks.flowables import OutlineHeading
from factsheet.layout.roles import Node, each
from factsheet.layout.styles import paragraph_style
from factsheet.location import format_key_path
from factsheet.spec.model import Heading, Paragraph
from factsheet.text import render_markup


@register("heading")
def build_heading(block: Heading, ctx: BlockContext) -> Built:
    style = paragraph_style(ctx.theme, f"heading{block.level}", ctx.document.language)
    markup = " ".join(render_markup(block.text, ctx.templates, ctx.links))
    title = ctx.plain(block.text)
    key = "h-" + format_key_path(ctx.key_path).replace("[", "-").replace("]", "").replace(".", "-")
    heading = OutlineHeading(markup, style, title, key, block.level)
    # A title band's title is the document's H1, and then a section is an H2; with no
    # title band, sections are the top level.
    node = Node(f"H{block.level + 1 if ctx.titled else block.level}")
    return Built((heading,), keep_together=True, keep_with_next=True, tags=(node,))


@register("paragraph")
def build_paragraph(block: Paragraph, ctx: BlockContext) -> Built:
    paragraphs = ctx.paragraphs(block.text, block.style)
    return Built(tuple(paragraphs), tags=tuple(each(paragraphs)))
