"""Space and breaks: a fixed vertical gap, and markers that send the following blocks
to the next column or to a new page. Breaks draw nothing; the layout acts on them."""

from __future__ import annotations

from reportlab.platypus import Spacer as RLSpacer

from factsheet.blocks.base import BlockContext, Built, register
from factsheet.layout.roles import DECORATION
from factsheet.spec.model import Break, Spacer


@register("spacer")
def build_spacer(block: Spacer, ctx: BlockContext) -> Built:
    return Built((RLSpacer(ctx.width, block.height),), keep_together=True, tags=(DECORATION,))


@register("page_break")
def build_page_break(block: Break, ctx: BlockContext) -> Built:
    return Built((), breaks="page")


@register("column_break")
def build_column_break(block: Break, ctx: BlockContext) -> Built:
    return Built((), breaks="column")
