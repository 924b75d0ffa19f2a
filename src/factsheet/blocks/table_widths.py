"""A table block's column widths: widths given in the spec kept, the rest of the frame
shared out by the natural width of each column's content, and no column narrower than
its widest number (never broken across lines) or word; a table that cannot fit so is a
located error. Pure geometry on measured text widths, computed before anything is
drawn."""

from __future__ import annotations

from typing import TYPE_CHECKING

from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase.pdfmetrics import stringWidth

from factsheet.blocks.base import BlockContext
from factsheet.errors import LayoutError, SpecError
from factsheet.layout import scripts
from factsheet.location import Location
from factsheet.spec.model import DataTable

if TYPE_CHECKING:
    from factsheet.blocks.table import Styles


def column_widths(
    block: DataTable,
    rows: list[list[str]],
    styles: Styles,
    ctx: BlockContext,
    numeric: list[bool],
) -> list[float]:
    """Given widths as written; the rest of the frame shared out by content width. A
    number is never broken across lines ("3,811,953,82/7"), nor a word: a column is
    never narrower than its widest number or word, else the table is an error."""
    padding = 2 * ctx.theme.theme.blocks.table.padding
    fixed = sum(c.width for c in block.columns if c.width is not None)
    free = [i for i, c in enumerate(block.columns) if c.width is None]
    room = ctx.width - fixed
    if fixed > ctx.width + 0.01 or (free and room < len(free) * (padding + 12)):
        raise SpecError(
            f"the table's column widths take {_mm(fixed)} of the {_mm(ctx.width)} available",
            Location(key_path=(*ctx.key_path, "columns")),
            hint="make the columns narrower, or leave some widths out",
        )
    natural, least = [], []
    for i in free:
        # Measured bold throughout (the header, highlighted rows and totals are bold).
        fonts = [styles.header[i], *[styles.marked[i]] * (len(rows) - 1)]
        cells = [(row[i], s) for row, s in zip(rows, fonts, strict=True)]
        natural.append(max(text_width(*cell) for cell in cells) + padding)
        least.append(
            max(unbroken_width(*cell, whole=numeric[i] and n > 0) for n, cell in enumerate(cells))
        )
    least = [w + padding for w in least]
    if sum(least) > room + 0.01:
        raise LayoutError(
            f"the table needs {_mm(sum(least) + fixed)} so that no number or word is broken "
            f"across lines, but its frame is {_mm(ctx.width)} wide",
            Location(key_path=(*ctx.key_path, "columns")),
            hint="show fewer columns, shorten the headers, give a number column a compact "
            "`format`, or set `span: page`",
        )
    shares = dict(zip(free, share_widths(natural, least, room), strict=True))
    return [c.width if c.width is not None else shares[i] for i, c in enumerate(block.columns)]


def text_width(text: str, style: ParagraphStyle) -> float:
    """The width of a cell's text on one line, each run in the font that sets it."""
    chains = getattr(style, "fontChains", None)
    if chains is None:
        return float(stringWidth(text, style.fontName, style.fontSize))
    chain = chains.chain(style.fontName)
    return scripts.string_width(text, style.fontName, style.fontSize, chain)


def unbroken_width(text: str, style: ParagraphStyle, whole: bool) -> float:
    """The width a cell's text needs on one line where it may not break: all of it (a
    number), or its longest word (in Chinese and Japanese, which break between any two
    characters, its widest character)."""
    if whole:
        parts = [text]
    elif getattr(style, "wordWrap", None) == "CJK":
        parts = [*text]
    else:
        parts = text.split()
    return max((text_width(part, style) for part in parts), default=0.0)


def _mm(points: float) -> str:
    return f"{points / 72 * 25.4:.0f} mm"


def share_widths(natural: list[float], least: list[float], room: float) -> list[float]:
    """Column widths that fill `room`: spare room goes to every column in proportion to
    its natural width; when room is short, the widest columns (text, which wraps) give
    way first, never below their `least` width, and narrow ones keep their width."""
    total = sum(natural)
    if total <= room:
        return [n * room / total for n in natural]
    low, high = 0.0, max(natural)
    for _ in range(60):  # the width at which columns are capped, found by halving
        cap = (low + high) / 2
        used = sum(max(m, min(n, cap)) for n, m in zip(natural, least, strict=True))
        low, high = (cap, high) if used < room else (low, cap)
    return [max(m, min(n, low)) for n, m in zip(natural, least, strict=True)]
