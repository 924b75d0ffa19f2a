"""The key-figures block: big-number tiles in a grid, each with a label and, when asked,
the change against an earlier value with an arrow that says which way it went. The
change is a figure like any other, so its provenance is in the manifest."""

from __future__ import annotations

from typing import Any

from reportlab.lib.colors import HexColor
from reportlab.platypus import Table, TableStyle

from factsheet.blocks.base import BlockContext, Built, register
from factsheet.layout.paragraph import Para
from factsheet.layout.styles import paragraph_style, variant
from factsheet.spec.blocks import KeyFigures, Tile

GAP = 4.0  # points between tiles


def _tile(tile: Tile, ctx: BlockContext) -> list[Any]:
    content: list[Any] = ctx.paragraphs(tile.number, "callout_number")
    if tile.label:
        content += ctx.paragraphs(tile.label, "callout_label", spaceBefore=1)
    if tile.delta is not None:
        figure = ctx.figures[tile.delta]
        arrow = "\u2191" if figure.value > 0 else ("\u2193" if figure.value < 0 else "")
        style = paragraph_style(ctx.theme, "callout_text", ctx.document.language)
        colour = ctx.colour("primary" if figure.value >= 0 else "muted")
        text = f"{arrow} {figure.text}".strip()
        since = f" {ctx.plain(tile.since)}" if tile.since else ""
        content.append(
            Para(
                f'<font color="{colour}"><b>{_escape(text)}</b></font>{_escape(since)}',
                variant(style, spaceBefore=3),
            )
        )
    return content


def _escape(text: str) -> str:
    from html import escape

    return escape(text, quote=False)


@register("key_figures")
def build_key_figures(block: KeyFigures, ctx: BlockContext) -> Built:
    columns = min(block.columns, len(block.tiles))
    width = (ctx.width - GAP * (columns - 1)) / columns
    cells = [_tile(tile, ctx) for tile in block.tiles]
    rows = [cells[i : i + columns] for i in range(0, len(cells), columns)]
    rows[-1] += [[]] * (columns - len(rows[-1]))
    # Gap columns between tiles keep each tile's background separate.
    grid = [
        [cell for n, c in enumerate(row) for cell in ([c] if n == 0 else ["", c])] for row in rows
    ]
    widths = [width if n % 2 == 0 else GAP for n in range(2 * columns - 1)]
    table = Table(grid, colWidths=widths)
    table.setStyle(TableStyle(_style(ctx, rows, columns)))
    table.content = [paragraph for cell in cells for paragraph in cell]  # for the glyph check
    return Built((table,), keep_together=True)


def _style(ctx: BlockContext, rows: list[list[Any]], columns: int) -> list[tuple[Any, ...]]:
    box = ctx.theme.theme.blocks.callout
    tint = HexColor(ctx.colour(box.background or "tint"))
    rule = HexColor(ctx.colour(box.rule or "primary"))
    font = ctx.theme.font(ctx.theme.theme.styles.body.font)
    commands: list[tuple[Any, ...]] = [
        ("FONT", (0, 0), (-1, -1), font),  # no base-14 default font for empty cells
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), box.padding),
        ("RIGHTPADDING", (0, 0), (-1, -1), box.padding),
        ("TOPPADDING", (0, 0), (-1, -1), box.padding),
        ("BOTTOMPADDING", (0, 0), (-1, -1), box.padding),
    ]
    for r, row in enumerate(rows):
        for c, cell in enumerate(row):
            if cell:
                commands.append(("BACKGROUND", (2 * c, r), (2 * c, r), tint))
                commands.append(("LINEABOVE", (2 * c, r), (2 * c, r), 2.5, rule))
    for c in range(1, 2 * columns - 1, 2):
        commands.append(("LEFTPADDING", (c, 0), (c, -1), 0))
        commands.append(("RIGHTPADDING", (c, 0), (c, -1), 0))
    if len(rows) > 1:
        commands.append(("LINEBELOW", (0, 0), (-1, -2), GAP, HexColor(ctx.colour("paper"))))
    return commands
