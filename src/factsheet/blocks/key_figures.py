"""The key-figures block: big-number tiles in a grid, each with a label and, when asked,
the change against an earlier value with an arrow that says which way it went. The
change is a figure like any other, so its provenance is in the manifest.

A tile's number is never broken across lines ("US$32,/885"): every number of the block
is set on one line, at one size, shrunk together until the widest fits its tile, never
below the theme's smallest size for `callout_number` (its `min_size`, or
:data:`SMALLEST_FRACTION` of its size). A number that cannot fit even then is an error
that gives the width it needs and the width its tile has. The line under the number
starts below the number's descenders, whatever the theme's leading."""

from __future__ import annotations

import math
from typing import Any

from reportlab.lib.colors import HexColor
from reportlab.platypus import TableStyle

from factsheet.blocks.base import BlockContext, Built, register
from factsheet.blocks.flowables import TaggedTable
from factsheet.errors import ErrorGroup, FactsheetError, LayoutError
from factsheet.layout import scripts
from factsheet.layout.paragraph import Para
from factsheet.layout.roles import DECORATION, Node, Tag
from factsheet.layout.styles import is_rtl, paragraph_style, variant
from factsheet.location import KeyPath, Location
from factsheet.render.boxes import Printed, with_prints
from factsheet.spec.blocks import KeyFigures, Tile

GAP = 4.0  # points between tiles
SMALLEST_FRACTION = 0.6  # a tile's number shrinks to this share of its size, by default
SLACK = 0.5  # points kept free beside the widest number, so rounding never breaks it
STEP = 0.25  # shrunk sizes are multiples of this many points
LABEL_AIR = 1.0  # points between the number's descenders and the line below


def _tile(tile: Tile, number: list[Any], ctx: BlockContext) -> list[Any]:
    content: list[Any] = list(number)
    below = _clearance(number[-1]) if number else 1.0
    if tile.label:
        content += ctx.paragraphs(tile.label, "callout_label", spaceBefore=below)
        below = 3.0
    if tile.delta is not None:
        figure = ctx.figures[tile.delta]
        arrow = "\u2191" if figure.value > 0 else ("\u2193" if figure.value < 0 else "")
        style = paragraph_style(ctx.theme, "callout_text", ctx.document.language)
        colour = ctx.colour("primary" if figure.value >= 0 else "muted")
        text = f"{arrow} {figure.text}".strip()
        since = f" {ctx.plain(tile.since)}" if tile.since else ""
        markup = f'<font color="{colour}"><b>{_escape(text)}</b></font>{_escape(since)}'
        style = variant(style, spaceBefore=max(3.0, below))
        para = Para(scripts.apply(markup, style), style)
        content.append(with_prints(para, [Printed(("figure", tile.delta), figure.text)]))
    return content


def _escape(text: str) -> str:
    from html import escape

    return escape(text, quote=False)


@register("key_figures")
def build_key_figures(block: KeyFigures, ctx: BlockContext) -> Built:
    columns = min(block.columns, len(block.tiles))
    width = (ctx.width - GAP * (columns - 1)) / columns
    room = width - 2 * ctx.theme.theme.blocks.callout.padding
    texts = [tile.number for tile in block.tiles]
    paths = [(*ctx.key_path, "tiles", n, "number") for n in range(len(block.tiles))]
    numbers = fitted_numbers(texts, paths, ctx, room, wide=block.span in ("page", "bleed"))
    cells = [_tile(tile, number, ctx) for tile, number in zip(block.tiles, numbers, strict=True)]
    rows = [cells[i : i + columns] for i in range(0, len(cells), columns)]
    rows[-1] += [[]] * (columns - len(rows[-1]))
    rtl = is_rtl(ctx.document.language)
    if rtl:  # tiles run from the right, as the page reads
        rows = [row[::-1] for row in rows]
    # Gap columns between tiles keep each tile's background separate.
    grid = [
        [cell for n, c in enumerate(row) for cell in ([c] if n == 0 else ["", c])] for row in rows
    ]
    widths = [width if n % 2 == 0 else GAP for n in range(2 * columns - 1)]
    table = TaggedTable(grid, colWidths=widths)
    table.setStyle(TableStyle(_style(ctx, rows, columns)))
    table.content = [paragraph for cell in cells for paragraph in cell]  # for the glyph check
    table.cell_tags = _tile_tags(rows, columns)
    if rtl:  # drawn left to right, the tiles are still read from the right
        table.reading_order = [
            tag for line in table.cell_tags for tag in line[::-1] if isinstance(tag, Node)
        ]
    return Built((table,), keep_together=True, tags=(None,))


def _tile_tags(rows: list[list[Any]], columns: int) -> list[list[Tag]]:
    """The tiles as a list, one item each, read row by row: "485, officials trained in
    2021, …". Gaps between tiles and empty places are artifacts."""
    tiles = Node("L")
    tags: list[list[Tag]] = []
    for row in rows:
        line: list[Tag] = []
        for n, cell in enumerate(row):
            if n:
                line.append(DECORATION)  # the gap column before this tile
            line.append(Node("LBody", Node("LI", tiles)) if cell else DECORATION)
        tags.append(line)
    return tags


def fitted_numbers(
    texts: list[str],
    paths: list[KeyPath],
    ctx: BlockContext,
    room: float,
    wide: bool = False,
    what: str = "its tile",
) -> list[list[Any]]:
    """Each big number (a template, in `callout_number` style) as paragraphs that fit
    `room` points on one line, all at one size: the theme's, or the largest step below
    it at which the widest fits. `paths` locate each number; `what` names its frame."""
    numbers = [ctx.paragraphs(text, "callout_number") for text in texts]
    needs = [one_line_width(number) for number in numbers]
    widest = max(needs)
    if widest <= room - SLACK:
        return numbers
    style = next(p.style for number in numbers for p in number)
    size, leading = float(style.fontSize), float(style.leading)
    smallest = smallest_number_size(ctx)
    fitted = math.floor(size * (room - SLACK) / widest / STEP) * STEP
    if fitted < smallest:
        raise _too_wide(texts, paths, needs, size / smallest, room, ctx, wide, what)
    changes = {"fontSize": fitted, "leading": round(leading * fitted / size, 2)}
    return [ctx.paragraphs(text, "callout_number", **changes) for text in texts]


def smallest_number_size(ctx: BlockContext) -> float:
    """The smallest size a tile's number may be set at."""
    style = ctx.theme.theme.styles.callout_number
    return style.min_size or round(style.size * SMALLEST_FRACTION, 2)


def one_line_width(paragraphs: list[Any]) -> float:
    """Points the widest line of some paragraphs takes when nothing is broken."""
    widest = 0.0
    for paragraph in paragraphs:
        paragraph.wrap(1e6, 1e6)
        widest = max([widest, *paragraph.getActualLineWidths0()])
    return widest


def _clearance(paragraph: Any) -> float:
    """Space before the next line so that it starts below this paragraph's descenders:
    a leading close to the size lets them hang below the paragraph's box."""
    from reportlab.pdfbase.pdfmetrics import getDescent

    style = paragraph.style
    depth = -float(getDescent(style.fontName, style.fontSize))
    hanging = depth - (float(style.leading) - float(style.fontSize))
    return round(max(hanging, 0.0) + LABEL_AIR, 2)


def _too_wide(
    texts: list[str],
    paths: list[KeyPath],
    needs: list[float],
    ratio: float,
    room: float,
    ctx: BlockContext,
    wide: bool,
    what: str,
) -> FactsheetError:
    """An error for each number too wide for its frame at the smallest size (`ratio` is
    the number's size over that smallest size)."""
    smallest = smallest_number_size(ctx)
    hint = "use fewer tiles per row (`columns`), " if what == "its tile" else ""
    hint += (
        "a shorter number format (`format: {style: compact}` on the figure it prints, "
        "under `figures`)"
    )
    hint += "" if wide else ", `span: page`"
    hint += ", or a smaller `styles.callout_number.min_size` in the theme"
    problems: list[FactsheetError] = []
    for text, path, need in zip(texts, paths, needs, strict=True):
        at_smallest = need / ratio
        if at_smallest <= room - SLACK:
            continue
        problems.append(
            LayoutError(
                f"the number '{ctx.plain(text)}' needs {_pt(at_smallest + SLACK)} on one "
                f"line at {smallest:g}pt, the smallest size allowed, but {what} has room "
                f"for {_pt(room)}",
                Location(key_path=path),
                hint=hint,
            )
        )
    return problems[0] if len(problems) == 1 else ErrorGroup(problems)


def _pt(points: float) -> str:
    return f"{points:.0f}pt ({points * 25.4 / 72:.0f} mm)"


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
