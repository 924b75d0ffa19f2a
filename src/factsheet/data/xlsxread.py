"""Reading an XLSX (or XLSM) worksheet into rows of text cells, as a CSV file's cells
would be written: numbers as Python writes them, dates as YYYY-MM-DD, TRUE/FALSE. This
module owns what only a workbook can get wrong: a zip that unpacks to too much, a
missing sheet (with "did you mean"), and a formula saved without its result, which
would read as empty. openpyxl is imported only when a workbook is read."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from factsheet.data.formats import number_text
from factsheet.data.sources import MAX_BYTES, choices_hint
from factsheet.errors import DataError
from factsheet.location import Location

_MB = 1024 * 1024


MAX_UNPACKED = 8 * MAX_BYTES
"""The most an XLSX file may hold once unpacked: its XML takes about eight times the
room of the same cells as CSV, so this matches the cap on the file itself."""


def _check_unpacked(path: Path, display: str) -> None:
    """Refuse a workbook that unpacks to more than `MAX_UNPACKED` (a "zip bomb": a small
    file that fills the memory), by the sizes its members declare. Nothing more can be
    read from a member than it declares: Python's zip reader stops there."""
    import zipfile

    try:
        with zipfile.ZipFile(path) as archive:
            unpacked = sum(member.file_size for member in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError):
        return  # not a zip at all: the workbook reader says why
    if unpacked > MAX_UNPACKED:
        raise DataError(
            f"data file '{display}' unpacks to {unpacked / _MB:,.0f} MB, over the "
            f"{MAX_UNPACKED // _MB} MB limit for an Excel workbook",
            location=Location(file=path),
            hint="keep only the sheets, rows and columns the factsheet needs, or save "
            "the sheet as CSV UTF-8",
        )


def read_xlsx(
    path: Path, display: str, sheet: str | None
) -> tuple[str, list[str], list[Sequence[str]], list[int]]:
    """The sheet's name, its header cells, the columns of its rows that are not blank
    (cells as text, stripped) and each row's index (its sheet row - 2)."""
    _check_unpacked(path, display)
    book = _open_book(path, display, data_only=True)
    try:
        name = _pick_sheet(book.sheetnames, sheet, display)
        rows = _sheet_rows(book[name])
    finally:
        book.close()
    if any(value is None for row in rows for value in row):
        _check_formulas(path, display, name, rows)
    while rows and all(v is None for v in rows[-1]):
        rows.pop()
    if not rows:
        raise DataError(f"sheet '{name}' in {display} is empty", location=Location(file=path))
    width = max(len(row) for row in rows)
    cells = [[_cell_text(v).strip() for v in row] + [""] * (width - len(row)) for row in rows]
    # Sheet row r + 1 holds rows[r]: the row's index is r - 1, as a CSV file's line - 2.
    body = [(r - 1, row) for r, row in enumerate(cells[1:], start=1) if any(row)]
    columns: list[Sequence[str]] = list(zip(*(row for _, row in body), strict=True)) or [()] * width
    return name, cells[0], columns, [r for r, _ in body]


def _open_book(path: Path, display: str, *, data_only: bool) -> Any:
    try:
        import openpyxl  # only XLSX sources pay for importing it

        return openpyxl.load_workbook(path, read_only=True, data_only=data_only)
    # openpyxl raises many unrelated exception types on a damaged file.
    except Exception as exc:
        raise DataError(
            f"data file '{display}' cannot be read as an Excel workbook",
            location=Location(file=path),
            hint=str(exc) or type(exc).__name__,
        ) from exc


def _pick_sheet(names: list[str], sheet: str | None, display: str) -> str:
    if not names:
        raise DataError(f"data file '{display}' has no worksheets")
    if sheet is None:
        return names[0]
    if sheet not in names:
        hint = choices_hint(sheet, "sheets", names)
        raise DataError(f"sheet '{sheet}' not found in {display}", hint=hint)
    return sheet


def _sheet_rows(sheet: Any) -> list[tuple[Any, ...]]:
    # A stale stored dimension would cut rows off; read the whole sheet instead.
    sheet.reset_dimensions()
    return [tuple(row) for row in sheet.iter_rows(min_row=1, min_col=1, values_only=True)]


def _check_formulas(path: Path, display: str, name: str, rows: list[tuple[Any, ...]]) -> None:
    """A formula saved without its result reads as empty: refuse it, never guess."""
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.formula import ArrayFormula, DataTableFormula

    book = _open_book(path, display, data_only=False)
    try:
        for r, row in enumerate(_sheet_rows(book[name])):
            for c, value in enumerate(row):
                formula = isinstance(value, ArrayFormula | DataTableFormula) or (
                    isinstance(value, str) and value.startswith("=")
                )
                if formula and _value_at(rows, r, c) is None:
                    raise DataError(
                        f"sheet '{name}', cell {get_column_letter(c + 1)}{r + 1} holds a "
                        "formula whose result was never saved",
                        location=Location(file=path, line=r + 1),
                        hint="open the file in Excel and save it, so results are stored",
                    )
    finally:
        book.close()


def _value_at(rows: list[tuple[Any, ...]], r: int, c: int) -> Any:
    return rows[r][c] if r < len(rows) and c < len(rows[r]) else None


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int | float):
        return number_text(value)
    if isinstance(value, dt.datetime):
        if value.time() == dt.time():
            return value.date().isoformat()
        return value.isoformat(sep=" ")
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    return str(value).strip()
