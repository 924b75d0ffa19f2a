"""Boxed blocks: the pull quote, the statistic callout and the contact block. Each is
a :class:`~factsheet.blocks.flowables.Box` styled by the theme's `blocks` section, kept
in one piece, and filled with paragraphs rendered from the spec's templates."""

from __future__ import annotations

from html import escape
from typing import Any

from factsheet.blocks.base import BlockContext, Built, register
from factsheet.blocks.flowables import Box
from factsheet.blocks.key_figures import fitted_numbers
from factsheet.layout import scripts
from factsheet.layout.paragraph import Para
from factsheet.layout.roles import DECORATION, Node, Tag, each
from factsheet.layout.styles import is_rtl, paragraph_style, variant
from factsheet.spec.model import Callout, Contact, Quote
from factsheet.theme_model import Box as BoxStyle


def _box(
    ctx: BlockContext, style: BoxStyle, content: list[Any], tags: list[Tag], gap: float = 2.0
) -> Box:
    return Box(
        content,
        tags,
        padding=style.padding,
        background=ctx.colour(style.background) if style.background else None,
        rule=ctx.colour(style.rule) if style.rule else None,
        rule_width=style.rule_width,
        gap=gap,
        rtl=is_rtl(ctx.document.language),
    )


@register("quote")
def build_quote(block: Quote, ctx: BlockContext) -> Built:
    quote_style = paragraph_style(ctx.theme, "quote", ctx.document.language)
    mark_style = variant(
        quote_style,
        fontName=ctx.theme.font("display"),
        fontSize=quote_style.fontSize * 3,
        leading=quote_style.fontSize * 2.2,
        textColor=ctx.colour(ctx.theme.theme.blocks.quote.rule or "accent"),
    )
    quote = Node("BlockQuote")
    content: list[Any] = [Para(scripts.apply("\u201c", mark_style), mark_style)]
    tags: list[Tag] = [DECORATION]  # the big opening mark only decorates
    content += ctx.paragraphs(block.text, "quote")
    if block.attribution:
        content += ctx.paragraphs(block.attribution, "attribution", spaceBefore=5)
    if block.context:
        content += ctx.paragraphs(
            block.context, "attribution", fontName=ctx.theme.font("sans", italic=True)
        )
    tags += each(content[1:], "P", quote)  # the attribution is part of the quote
    box = _box(ctx, ctx.theme.theme.blocks.quote, content, tags)
    return Built((box,), keep_together=True, tags=(None,))


@register("callout")
def build_callout(block: Callout, ctx: BlockContext) -> Built:
    """The big number is set on one line, like a key-figure tile's: shrunk to fit the
    box when it must be, never broken inside itself."""
    style = ctx.theme.theme.blocks.callout
    content: list[Any] = []
    if block.number:
        room = ctx.width - 2 * style.padding - (style.rule_width if style.rule else 0.0)
        path = (*ctx.key_path, "number")
        wide = block.span in ("page", "bleed")
        content += fitted_numbers([block.number], [path], ctx, room, wide, "the box")[0]
    if block.label:
        content += ctx.paragraphs(block.label, "callout_label")
    content += ctx.paragraphs(block.text, "callout_text", spaceBefore=3 if content else 0)
    # Number, label and text read as one statement: "485, officials trained, …".
    group = Node("Sect")
    box = _box(ctx, style, content, each(content, "P", group))
    return Built((box,), keep_together=True, tags=(None,))


@register("contact")
def build_contact(block: Contact, ctx: BlockContext) -> Built:
    content: list[Any] = []
    if block.intro:
        content += ctx.paragraphs(block.intro, "contact", spaceAfter=3)
    style = paragraph_style(ctx.theme, "contact", ctx.document.language)
    lines = [f"<b>{escape(ctx.plain(block.name))}</b>"]
    if block.unit:
        lines.append(escape(ctx.plain(block.unit)))
    link = ctx.links.colour
    if block.email:
        address = escape(block.email, quote=True)
        lines.append(f'<a href="mailto:{address}" color="{link}">{address}</a>')
    if block.website:
        url = escape(block.website, quote=True)
        shown = escape(block.website.split("://", 1)[1].rstrip("/"))
        lines.append(f'<a href="{url}" color="{link}">{shown}</a>')
    content.append(Para(scripts.apply("<br/>".join(lines), style), style))
    group = Node("Sect")
    box = _box(ctx, ctx.theme.theme.blocks.contact, content, each(content, "P", group), gap=1.0)
    return Built((box,), keep_together=True, tags=(None,))
