"""The table block: rows picked from a source, sorted and cut to size, set as a
ReportLab table of paragraphs under a header band in the theme's primary colour, with
zebra shading, highlighted rows and an optional total row (what it adds, and the cut
to `max_rows`: :mod:`factsheet.blocks.table_totals`). Numbers are printed with each
column's format and right-aligned, so with the same decimals throughout a column and the
theme's tabular figures their decimal marks line up. The table is left splittable: the
flow continues a long table in the next column or page, repeating its header row."""

from __future__ import annotations

from html import escape
from typing import Any

from reportlab.lib.colors import Color, HexColor, linearlyInterpolatedColor
from reportlab.lib.enums import TA_CENTER, TA_LEFT, TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import TableStyle

from factsheet.blocks import table_totals
from factsheet.blocks.base import BlockContext, Built, register
from factsheet.blocks.flowables import TaggedTable
from factsheet.blocks.table_widths import column_widths
from factsheet.blocks.traces import TableTrace
from factsheet.data.exact import exact
from factsheet.data.figure_units import column_warning, shift
from factsheet.data.figures import no_rows_hint, select_rows
from factsheet.data.formats import format_number
from factsheet.data.rows import Rows, is_missing
from factsheet.data.sources import Table as Source
from factsheet.errors import DataError, LayoutError
from factsheet.layout import scripts
from factsheet.layout.paragraph import Para
from factsheet.layout.roles import DECORATION, Node, Tag, each
from factsheet.layout.styles import is_rtl, paragraph_style, variant
from factsheet.location import Location
from factsheet.render.boxes import Printed, with_prints
from factsheet.render.tagger import marked
from factsheet.spec.base import Format, Where
from factsheet.spec.blocks import DataTable, TableColumn

NUMERIC = ("number", "integer")
EMPTY = "\u2013"  # an en dash: a blank cell reads as a layout fault, a dash as "no value"
ALIGN = {"left": ("LEFT", TA_LEFT), "right": ("RIGHT", TA_RIGHT), "centre": ("CENTRE", TA_CENTER)}
RULE = 0.8  # points: the total row's rule
MARKER = 2.0  # points: width of the accent bar at the left of a highlighted row
MAX_ROWS = 500  # rows a table may lay out: more take minutes and fill dozens of pages


class DataGrid(TaggedTable):
    """A Table that draws highlight markers and shows its cell paragraphs to the glyph
    check through `content`, as a box does. Splitting makes new tables of the same
    class, so every piece of a split table keeps both. A table on a page read right to
    left (`rtl`) has its columns in mirrored order and its markers on the right."""

    rtl = False

    @property
    def content(self) -> list[Any]:
        cells = [cell for row in self._cellvalues for cell in row]
        return [f for cell in cells for f in _flowables(cell)]

    def draw(self) -> None:
        super().draw()
        # Highlight markers are drawn here, inside the table's edge, where a LINEBEFORE
        # rule would straddle it. Each rides on its row's first cell, so split pieces
        # of the table keep their markers.
        canvas = self.canv
        with marked(canvas, DECORATION):
            canvas.saveState()
            for row, bottom, height in zip(
                self._cellvalues, self._rowpositions[1:], self._rowHeights, strict=True
            ):
                first = row[-1] if self.rtl else row[0]  # the row's first column
                colour = getattr(_flowables(first)[0], "marker", None)
                if colour is not None:
                    canvas.setFillColor(colour)
                    left = self._width - MARKER if self.rtl else 0.0
                    canvas.rect(left, bottom, MARKER, height, stroke=0, fill=1)
            canvas.restoreState()


def _flowables(cell: Any) -> list[Any]:
    """A cell's flowables: once wrapped, ReportLab holds them in a tuple."""
    return list(cell) if isinstance(cell, tuple | list) else [cell]


@register("table")
def build_table(block: DataTable, ctx: BlockContext) -> Built:
    source = ctx.tables[block.source]
    _check_columns(block, source, ctx)
    selected = _rows(block, source, ctx)
    rows, cut_warnings = table_totals.cut(block, source, selected, ctx.key_path)
    _not_too_many(rows, source, ctx)
    total = None
    if block.total is not None:
        render_value = ctx.templates.render_value
        units = (ctx.units or {}).get(block.source, {})
        total = table_totals.total_row(
            block, source, rows, selected, ctx.plain, render_value, ctx.locale, ctx.key_path, units
        )
    highlighted = _highlighted(block, source, ctx)
    flags = [index in highlighted for index in rows.index.tolist()]
    aligns: list[str] = [
        c.align or ("right" if source.types[c.column] in NUMERIC else "left") for c in block.columns
    ]
    rtl = is_rtl(ctx.document.language)
    if rtl:  # a column's start and end swap sides
        aligns = [{"left": "right", "right": "left"}.get(a, a) for a in aligns]
    numeric = [source.types[c.column] in NUMERIC for c in block.columns]
    styles = Styles(ctx, aligns)
    texts = _texts(block, source, rows, ctx) + ([total.texts()] if total else [])
    row_styles = [styles.header, *(styles.marked if bold else styles.cell for bold in flags)]
    row_styles += [styles.total] if block.total is not None else []
    data = [
        [
            with_prints(Para(scripts.apply(escape(text), style), style), _printed(r, c, len(rows)))
            for c, (text, style) in enumerate(zip(cells, cell_styles, strict=True))
        ]
        for r, (cells, cell_styles) in enumerate(zip(texts, row_styles, strict=True))
    ]
    accent = HexColor(ctx.colour("accent"))
    for row, bold in zip(data[1:], flags, strict=False):
        if bold:
            row[0].marker = accent  # drawn by DataGrid.draw
    widths = column_widths(block, texts, styles, ctx, numeric)
    if rtl:  # the first column on the right
        data, widths, aligns = [row[::-1] for row in data], widths[::-1], aligns[::-1]
    table = DataGrid(
        data,
        colWidths=widths,
        repeatRows=1,
        style=TableStyle(_commands(block, ctx, aligns, flags)),
    )
    columns = tuple(c.column for c in block.columns)
    table.trace = TableTrace(source, rows, columns, texts[1 : len(rows) + 1], total)
    node = Node("Table")
    table.cell_tags = _cell_tags(node, len(data), len(block.columns), block.total is not None)
    if rtl:  # drawn left to right, the cells are still read from the right
        table.rtl = True
        table.reading_order = [t for row in table.cell_tags for t in row if isinstance(t, Node)]
        table.cell_tags = [row[::-1] for row in table.cell_tags]
    head = ctx.paragraphs(block.title, "chart_title", spaceAfter=3) if block.title else []
    for paragraph in head:
        paragraph.keepWithNext = True  # never a title alone at a column's foot
    foot = ctx.paragraphs(block.note, "chart_note", spaceBefore=3) if block.note else []
    warnings: tuple[str, ...] = (
        *cut_warnings,
        *_highlight_warnings(block, source, ctx, highlighted, any(flags)),
    )
    warnings += _unit_warnings(block, source, rows, ctx)
    warnings += tuple(
        warning
        for c in block.columns
        if source.types[c.column] == "text"
        for warning in ctx.untranslated(block.source, c.column, _texts_of(rows[c.column]))
    )
    # The title is the table's caption; the note follows the table as a paragraph.
    tags = (*each(head, "Caption", node), None, *each(foot, "P"))
    return Built((*head, table, *foot), files=(source.path,), warnings=warnings, tags=tags)


def _printed(row: int, column: int, body: int) -> tuple[Printed, ...]:
    """What the cell at built row `row` prints, as the table's trace records it: a
    body cell, or a total cell (the total row's first column is its label)."""
    if row == 0:
        return ()  # the header
    if row <= body:
        return (Printed(("cell", row - 1, column)),)
    return (Printed(("total", column - 1)),) if column else ()


def _cell_tags(table: Node, rows: int, columns: int, total: bool) -> list[list[Tag]]:
    """Header cells (read once, however often a split table repeats them) with column
    scope, body rows, and the total row as the table's foot."""
    header = table.child("THead").child("TR")
    tags: list[list[Tag]] = [
        [header.child("TH", scope="Column", repeats=True) for _ in range(columns)]
    ]
    body = table.child("TBody")
    for _ in range(rows - 1 - total):
        row = body.child("TR")
        tags.append([row.child("TD") for _ in range(columns)])
    if total:
        row = table.child("TFoot").child("TR")
        tags.append([row.child("TD") for _ in range(columns)])
    return tags


def _check_columns(block: DataTable, source: Source, ctx: BlockContext) -> None:
    """Every column the block names exists, or a located error with did-you-mean."""
    named: list[tuple[tuple[str | int, ...], str]] = [
        (("columns", i), c.column) for i, c in enumerate(block.columns)
    ]
    named += [(("where", name), name) for name in block.where]
    named += [(("sort",), block.sort)] if block.sort else []
    named += [(("highlight", name), name) for name in block.highlight]
    named += [(("columns", i, "weight"), c.weight) for i, c in enumerate(block.columns) if c.weight]
    marked = block.total.aggregate_rows if block.total is not None else None
    named += [(("total", "aggregate_rows", name), name) for name in marked or {}]
    for path, name in named:
        if name not in source.types:
            raise source.unknown_column(name).located(Location(key_path=(*ctx.key_path, *path)))


def _rows(block: DataTable, source: Source, ctx: BlockContext) -> Rows:
    rows = select_rows(source, block.where, ctx.templates.render_value)
    if rows.empty:
        at = (*ctx.key_path, "where") if block.where else ctx.key_path
        raise DataError(
            f"the table selects no rows from {source.display_path}",
            Location(key_path=at),
            hint=no_rows_hint(source, list(block.where.items()), ctx.templates.render_value),
        )
    if block.sort:
        rows = rows.take(sorted_positions(list(rows[block.sort]), block.descending))
    return rows


def _not_too_many(rows: Rows, source: Source, ctx: BlockContext) -> None:
    if len(rows) > MAX_ROWS:
        raise LayoutError(
            f"the table would show {len(rows):,} rows of {source.display_path}, over the "
            f"limit of {MAX_ROWS} rows a table may lay out",
            Location(key_path=ctx.key_path),
            hint="show the first rows with `sort` and `max_rows`, choose rows with `where`, "
            "or keep the top rows in a derived source with `sort` and `top`",
        )


def sorted_positions(cells: list[Any], descending: bool) -> list[int]:
    """Row positions in sorted order. Ties keep the file's order; missing cells (and
    empty text) trail whichever way the table is sorted; text sorts as a reader would,
    ignoring case."""
    present = [i for i, c in enumerate(cells) if not (is_missing(c) or c == "")]
    chosen = set(present)
    absent = [i for i in range(len(cells)) if i not in chosen]

    def key(i: int) -> Any:
        cell = cells[i]
        return cell.casefold() if isinstance(cell, str) else cell

    # sorted() is stable with reverse=True too: ties keep the file's order.
    return sorted(present, key=key, reverse=descending) + absent


def _highlighted(block: DataTable, source: Source, ctx: BlockContext) -> set[Any]:
    """Row indexes of the rows to highlight, matched exactly as `where` matches."""
    if not block.highlight:
        return set()
    where: Where = {name: value for name, value in block.highlight.items()}
    try:
        matches = select_rows(source, where, ctx.templates.render_value)
    except DataError as error:
        raise error.located(Location(key_path=(*ctx.key_path, "highlight"))) from None
    return set(matches.index.tolist())


def _highlight_warnings(
    block: DataTable, source: Source, ctx: BlockContext, marked: set[Any], shown: bool
) -> tuple[str, ...]:
    """A highlight that marks no row shown would silently highlight nothing."""
    if not block.highlight or shown:
        return ()
    wanted = ", ".join(f"{name}: {value}" for name, value in block.highlight.items())
    if marked:
        return (
            f"`highlight: {{{wanted}}}` matches no row the table shows (`where` or "
            "`max_rows` leave its rows out)",
        )
    why = no_rows_hint(source, list(block.highlight.items()), ctx.templates.render_value)
    return (f"`highlight: {{{wanted}}}` matches no row of {source.display_path} ({why})",)


def _texts(block: DataTable, source: Source, rows: Rows, ctx: BlockContext) -> list[list[str]]:
    """The text of every cell: the header row and the body."""
    texts = [[ctx.plain(c.header if c.header is not None else c.column) for c in block.columns]]
    units = (ctx.units or {}).get(block.source, {})
    powers = [shift(c.format or Format(), units.get(c.column)) for c in block.columns]
    texts += [
        [
            _shown(block, c, _cell(row[c.column], source.types[c.column], c, ctx, p), source, ctx)
            for c, p in zip(block.columns, powers, strict=True)
        ]
        for row in rows.records()
    ]
    return texts


def _texts_of(cells: Any) -> list[str]:
    return [str(cell) for cell in cells if isinstance(cell, str)]


def _shown(
    block: DataTable, column: TableColumn, text: str, source: Source, ctx: BlockContext
) -> str:
    """A text cell as the reader sees it: translated for the edition's language."""
    if source.types[column.column] != "text":
        return text
    return ctx.shown(block.source, column.column, text)


def _unit_warnings(
    block: DataTable, source: Source, rows: Rows, ctx: BlockContext
) -> tuple[str, ...]:
    """A percent style on a column whose values look like percentages already."""
    units = (ctx.units or {}).get(block.source, {})
    found = (
        column_warning(
            "the table", c.column, c.format, units.get(c.column), rows[c.column].astype(float)
        )
        for c in block.columns
        if c.format is not None and source.types[c.column] in NUMERIC
    )
    return tuple(warning for warning in found if warning)


def _cell(value: Any, kind: str, column: TableColumn, ctx: BlockContext, power: int = 0) -> str:
    if kind in NUMERIC:
        if is_missing(value):
            return EMPTY
        number = exact(value).scaleb(power) if power else float(value)
        return format_number(number, column.format or Format(), ctx.locale)
    if kind == "date":
        return EMPTY if is_missing(value) else str(value.astype("datetime64[D]"))
    return str(value) or EMPTY


class Styles:
    """Paragraph styles per column: header, plain, highlighted and total cells."""

    def __init__(self, ctx: BlockContext, aligns: list[str]) -> None:
        self.ctx = ctx
        self.header = [self._style("table_header", a) for a in aligns]
        self.cell = [self._style("table_cell", a) for a in aligns]
        self.marked = [self._style("table_cell", a, bold=True) for a in aligns]
        self.total = [self._style("table_total", a) for a in aligns]

    def _style(self, role: str, align: str, bold: bool = False) -> ParagraphStyle:
        ctx = self.ctx
        style = paragraph_style(ctx.theme, role, ctx.document.language)
        changes: dict[str, Any] = {"alignment": ALIGN[align][1], "spaceBefore": 0, "spaceAfter": 0}
        if bold:
            text = getattr(ctx.theme.theme.styles, role)
            changes["fontName"] = ctx.theme.font(text.font, bold=True, italic=text.italic)
        if ctx.scale != 1.0:
            changes.update(ctx.shrunk(role, style))
        return variant(style, **changes)


def _commands(
    block: DataTable, ctx: BlockContext, aligns: list[str], marked: list[bool]
) -> list[tuple[Any, ...]]:
    """Padding, the header band, zebra and highlight shading, and the total's rule."""
    box = ctx.theme.theme.blocks.table
    colour = ctx.colour
    cell = ctx.theme.theme.styles.table_cell
    accent = HexColor(colour("accent"))
    commands: list[tuple[Any, ...]] = [
        # Table sets a font for every cell, paragraphs or not: make it a theme font so
        # ReportLab's default Helvetica never enters the PDF.
        ("FONT", (0, 0), (-1, -1), ctx.theme.style_font(cell), cell.size),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("VALIGN", (0, 0), (-1, 0), "BOTTOM"),  # headers of unequal lines sit on one line
        ("LEFTPADDING", (0, 0), (-1, -1), box.padding),
        ("RIGHTPADDING", (0, 0), (-1, -1), box.padding),
        ("TOPPADDING", (0, 0), (-1, -1), box.padding * 0.55),
        ("BOTTOMPADDING", (0, 0), (-1, -1), box.padding * 0.55),
        *[("ALIGN", (i, 0), (i, -1), ALIGN[a][0]) for i, a in enumerate(aligns)],
    ]
    if box.background:
        commands.append(("BACKGROUND", (0, 0), (-1, 0), HexColor(colour(box.background))))
    # One command per row rather than ROWBACKGROUNDS, so the shading keeps its rhythm in
    # a table split across columns.
    light_accent = _light(HexColor(colour("paper")), accent)
    for n, bold in enumerate(marked, start=1):
        if bold:
            commands.append(("BACKGROUND", (0, n), (-1, n), light_accent))
        elif block.zebra and n % 2 == 0:
            commands.append(("BACKGROUND", (0, n), (-1, n), HexColor(colour("tint"))))
    last = len(marked)
    commands.append(("LINEBELOW", (0, last), (-1, last), 0.5, HexColor(colour("rule"))))
    if block.total is not None:
        commands.append(
            ("LINEABOVE", (0, last + 1), (-1, last + 1), RULE, HexColor(colour("primary")))
        )
        # A total alone at the head of a column would be read without its rows.
        commands.append(("NOSPLIT", (0, last), (-1, last + 1)))
    if last >= 4:
        # No single row stranded under a header at either end of a split.
        commands += [("NOSPLIT", (0, 1), (-1, 2)), ("NOSPLIT", (0, last - 1), (-1, last))]
    return commands


def _light(paper: Color, accent: Color) -> Color:
    """The accent diluted with paper: a highlight stronger than the zebra's tint."""
    return linearlyInterpolatedColor(paper, accent, 0, 1, 0.3)
