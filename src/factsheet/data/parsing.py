"""Parsing: turning the bytes of a CSV file or the cells of an XLSX worksheet into typed
NumPy columns. pandas reads and types the cells; numbers and dates are never guessed
from text such as ``NA``; every bad cell is reported with its line (or cell reference)
and a hint. Only a table that is not cached yet pays for importing pandas."""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd  # type: ignore[import-untyped, unused-ignore]

from factsheet.data import conventions
from factsheet.data.conventions import Convention
from factsheet.data.formats import number_text
from factsheet.data.rows import FIRST_LINE, Rows
from factsheet.data.sources import (
    MAX_BYTES,
    choices_hint,
    is_iso_date,
    unknown_column_error,
)
from factsheet.errors import DataError
from factsheet.location import Location
from factsheet.security import CONTROL, describe_control, escape_controls
from factsheet.spec.model import ColumnType

_MB = 1024 * 1024


def parse(
    path: Path,
    display: str,
    sheet: str | None,
    declared: Mapping[str, ColumnType],
    convention: Convention | None = None,
) -> tuple[Rows, dict[str, ColumnType]]:
    """The typed rows of a .csv, .xlsx or .xlsm file, and each column's type. Numbers
    are written in `convention` (the source's declared one), else in the file's own."""
    if path.suffix.lower() == ".csv":
        grid = _read_csv(path, display)
    elif convention is not None:
        raise DataError(
            f"`decimal` and `thousands` describe how a CSV file writes numbers, but "
            f"{display} is an Excel workbook, which stores numbers as numbers",
            location=Location(file=path),
            hint="remove them from this source",
        )
    else:
        # A workbook's number cells are numbers; a cell typed as text ("12,5") stays text.
        grid = _read_xlsx(path, display, sheet)
        convention = Convention()
    return _convert(grid, declared, convention)


# --- reading -------------------------------------------------------------------------


@dataclass(frozen=True)
class _Grid:
    """Cells as stripped text, named columns, index = line - 2, blank rows dropped."""

    path: Path
    display: str
    sheet: str | None
    frame: pd.DataFrame
    positions: Mapping[str, int]  # 0-based column position in the file
    separator: str = ","  # a CSV file's; an XLSX sheet's cells are written like a comma file's
    quoted: bool = False  # whether a CSV file has quotes (only then may a cell hold a comma)

    def cell(self, index: Any, column: str, character: bool = False) -> tuple[str, Location]:
        """Message prefix and location for one cell: its line and, when asked and the
        line of a CSV file splits plainly, the character it starts at."""
        line = int(index) + FIRST_LINE
        prefix = ""
        if self.sheet is not None:
            from openpyxl.utils import get_column_letter

            ref = f"{get_column_letter(self.positions[column] + 1)}{line}"
            prefix = f"sheet '{self.sheet}', cell {ref}: "
            return prefix, Location(file=self.path, line=line)
        start = self._start(line, column) if character else None
        return prefix, Location(file=self.path, line=line, column=start)

    def _start(self, line: int, column: str) -> int | None:
        """The 1-based character a cell starts at on its line (errors only: reads the file)."""
        try:
            text = self.path.read_text(encoding="utf-8-sig").split("\n")[line - 1]
        except (OSError, UnicodeDecodeError, IndexError):
            return None
        if '"' in text:
            return None
        fields = text.rstrip("\r").split(self.separator)
        position = self.positions[column]
        if position >= len(fields):
            return None
        before = sum(len(f) + 1 for f in fields[:position])
        return before + len(fields[position]) - len(fields[position].lstrip()) + 1


def _read_csv(path: Path, display: str) -> _Grid:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise DataError(
            f"data file '{display}' cannot be read", location=Location(file=path), hint=str(exc)
        ) from exc
    text = _decode(data, path, display)
    try:
        separator = _separator(text)
        raw = pd.read_csv(
            io.StringIO(text),
            sep=separator,
            header=None,
            dtype=str,
            keep_default_na=False,  # "NA" is Namibia, not a missing value
            na_filter=False,
            skip_blank_lines=False,  # keep line numbering; blank rows are dropped later
        )
    except pd.errors.ParserError as exc:
        raise _parser_error(exc, path, display, text.split("\n", 1)[0]) from exc
    return _grid(raw, path, display, None, separator, '"' in text)


def _decode(data: bytes, path: Path, display: str) -> str:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise DataError(
            f"data file '{display}' is not UTF-8 text",
            location=Location(file=path, line=line),
            hint="save it as 'CSV UTF-8'",
        ) from exc
    if (nul := text.find("\x00")) >= 0:
        raise _nul_error(text, nul, path, display)
    if not text.strip():
        raise DataError(f"data file '{display}' is empty", location=Location(file=path))
    return text


def _nul_error(text: str, nul: int, path: Path, display: str) -> DataError:
    """A NUL byte at `nul`, located like any other control character: its line and,
    where the line splits plainly, its column. A file full of them is not text at all
    (UTF-16, or a spreadsheet saved under a .csv name)."""
    line = text.count("\n", 0, nul) + 1
    where = Location(file=path, line=line)
    if text.count("\x00") > len(text) // 10:
        return DataError(
            f"data file '{display}' is not a text file: it is full of NUL bytes "
            f"(U+0000), the first on line {line}",
            location=where,
            hint="save it as 'CSV UTF-8'",
        )
    start = text.rfind("\n", 0, nul) + 1
    if line == 1:
        return DataError(
            "a column name holds the control character U+0000 (a NUL byte)",
            location=where,
            hint="remove it from the header row",
        )
    header = text.split("\n", 1)[0].rstrip("\r")
    separator = _separator(text)
    before = text[start:nul]
    column = ""
    names = header.split(separator)
    if '"' not in header and '"' not in before and before.count(separator) < len(names):
        column = f"column '{names[before.count(separator)]}': "
    return DataError(
        f"{column}the cell holds the control character U+0000 (a NUL byte)",
        location=where,
        hint="remove it from the file; it would change how text is shown",
    )


def _separator(text: str) -> str:
    """Comma, unless the header line clearly uses semicolons or tabs (Excel exports)."""
    header = text.split("\n", 1)[0]
    counts = {sep: header.count(sep) for sep in (",", ";", "\t")}
    best = max(counts, key=lambda sep: counts[sep])
    return best if counts[best] > counts[","] else ","


def _parser_error(exc: Exception, path: Path, display: str, first: str) -> DataError:
    found = re.search(r"Expected (\d+) fields in line (\d+), saw (\d+)", str(exc))
    if found:
        expected, line, saw = found.groups()
        hint = "put quotes around values that contain the separator"
        if expected == "1" and first.lstrip().startswith(("#", "//")):
            # A note above the header (a source, a date) makes the note the header.
            shown = first.strip()
            shown = shown if len(shown) <= 40 else shown[:39] + "\u2026"
            hint = (
                f"line 1 ('{escape_controls(shown)}') is a note, not the header: the first "
                "line must name the columns; delete the note lines at the top (and credit "
                "the source in data/README.md)"
            )
        return DataError(
            f"row has {saw} cells, but the header has {expected}",
            location=Location(file=path, line=int(line)),
            hint=hint,
        )
    return DataError(
        f"data file '{display}' cannot be read as CSV",
        location=Location(file=path),
        hint=str(exc).strip(),
    )


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


def _read_xlsx(path: Path, display: str, sheet: str | None) -> _Grid:
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
    cells = [[_cell_text(v) for v in row] + [""] * (width - len(row)) for row in rows]
    return _grid(pd.DataFrame(cells, dtype=str), path, display, name)


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


def _grid(
    raw: pd.DataFrame,
    path: Path,
    display: str,
    sheet: str | None,
    separator: str = ",",
    quoted: bool = False,
) -> _Grid:
    raw = raw.apply(lambda column: column.str.strip())
    header = [str(h) for h in raw.iloc[0]]
    body = raw.iloc[1:]
    body.index = body.index - 1  # raw row k is line k + 1
    body = body[(body != "").any(axis=1)]
    keep: dict[str, int] = {}
    for pos, name in enumerate(header):
        if name == "":
            if (body[pos] != "").any():
                raise DataError(
                    f"column {pos + 1} has values but no name",
                    location=Location(file=path, line=1),
                    hint="give every column a name in the header row",
                )
            continue
        if name in keep:
            raise DataError(
                f"column '{name}' appears more than once in the header",
                location=Location(file=path, line=1),
            )
        keep[name] = pos
    frame = body[list(keep.values())]
    frame.columns = list(keep)
    grid = _Grid(path, display, sheet, frame, keep, separator, quoted)
    _refuse_controls(grid)
    return grid


def _refuse_controls(grid: _Grid) -> None:
    """A cell holding a control character (ESC, NUL, a bidi override) is refused: it
    would be drawn into the PDF or echoed into a terminal inside a message."""
    for name in grid.positions:
        if (found := CONTROL.search(name)) is not None:
            raise DataError(
                f"a column name holds the control character {describe_control(found.group())}",
                location=Location(file=grid.path, line=1),
                hint="remove it from the header row",
            )
    for column in grid.frame.columns:
        bad = grid.frame[column].str.contains(CONTROL.pattern, regex=True)
        if bad.any():
            index = bad.index[int(bad.to_numpy().argmax())]
            char = CONTROL.search(grid.frame[column][index])
            prefix, location = grid.cell(index, column)
            raise DataError(
                f"{prefix}column '{column}': the cell holds the control character "
                f"{describe_control(char.group() if char else '?')}",
                location=location,
                hint="remove it from the file; it would change how text is shown",
            )


# --- typing columns ---------------------------------------------------------------


def _convert(
    grid: _Grid, declared: Mapping[str, ColumnType], convention: Convention | None
) -> tuple[Rows, dict[str, ColumnType]]:
    names = list(grid.frame.columns)
    for column in declared:
        if column not in grid.positions:
            raise unknown_column_error(column, grid.display, names)
    if convention is None:
        convention = _file_convention(grid, declared)
    pattern = convention.pattern()
    data: dict[str, Any] = {}
    types: dict[str, ColumnType] = {}
    for column in names:
        values, types[column] = _convert_column(
            grid, column, declared.get(column), pattern, convention
        )
        # Text as Python strings (object), numbers as float64 with NaN for an empty cell,
        # dates as datetime64 with NaT.
        data[column] = values.to_numpy(dtype=object if types[column] == "text" else None)
    return Rows.of(data, grid.frame.index.to_numpy()), types


def _file_convention(grid: _Grid, declared: Mapping[str, ColumnType]) -> Convention:
    """The file's own way of writing numbers, from the columns that could hold them. A
    comma-separated file without quotes has no comma in a cell: nothing to work out."""
    if grid.separator == "," and not grid.quoted:
        return Convention()
    candidates: dict[str, tuple[pd.Series, str]] = {}
    for column in grid.frame.columns:
        if declared.get(column) in ("text", "date"):
            continue
        cells = grid.frame[column]
        filled = cells[cells != ""]
        text = conventions.joined(filled)
        if text and ("," in text or "." in text) and conventions.loose(text):
            candidates[column] = (filled, text)
    if not candidates:
        return Convention()
    return conventions.detect(
        candidates, grid.separator == ",", lambda column, index: grid.cell(index, column, True)
    )


def _convert_column(
    grid: _Grid, column: str, kind: ColumnType | None, pattern: str, convention: Convention
) -> tuple[pd.Series, ColumnType]:
    cells = grid.frame[column]
    empty = cells == ""
    if kind == "text":
        return cells, "text"
    if kind == "date":
        return _to_dates(grid, column, cells, empty), "date"
    numeric = cells.str.fullmatch(pattern) | empty
    if kind is None and (empty.all() or not numeric.all()):
        return cells, "text"
    all_numeric = bool(numeric.all())
    numbers = cells if all_numeric else cells.where(numeric, "")
    raw = conventions.joined(numbers) or ""
    written = convention.normalise(numbers, raw)
    text = raw if written is numbers else conventions.joined(written) or ""
    if kind is None:
        # Codes (007, +7, 1e3) and long identifiers keep their text unless declared numbers.
        if conventions.has_identifiers(raw):
            return cells, "text"
        inexact = conventions.inexact(written, text)
        if inexact is not None and inexact.any():
            return cells, "text"
        kind = "number"
    if not all_numeric:
        hint = _number_hint(cells[~numeric], kind, empty, convention)
        _refuse_first(grid, column, cells, ~numeric, "a number", hint)
    values = pd.to_numeric(written.where(~empty) if empty.any() else written).astype("float64")
    _refuse_inexact(grid, column, cells, conventions.inexact(written, text))
    too_large = values.abs() == float("inf")
    _refuse_first(grid, column, cells, too_large, "a number", MISSING_HINT)
    if kind == "integer":
        fractional = values.notna() & (values % 1 != 0)
        _refuse_first(grid, column, cells, fractional, "a whole number", "")
    return values, kind


def _refuse_inexact(grid: _Grid, column: str, cells: pd.Series, inexact: Any) -> None:
    """A number with more digits than a float holds is refused, never rounded silently."""
    if inexact is None or not inexact.any():
        return
    index = inexact.index[int(inexact.to_numpy().argmax())]
    cell = str(cells[index])
    prefix, location = grid.cell(index, column, character=True)
    raise DataError(
        f"{prefix}column '{column}': '{cell}' has {conventions.significant_digits(cell)} "
        f"significant digits, but a number keeps only {conventions.EXACT_DIGITS} exactly: "
        "it would be read as a different number",
        location=location,
        hint="if the column holds codes or identifiers, declare it `text` under the "
        "source's `columns:`; if it holds amounts, round them in the file (or give them "
        "in thousands or millions)",
    )


def _refuse_first(grid: _Grid, column: str, cells: Any, bad: Any, wanted: str, hint: str) -> None:
    """The error for the first cell of `column` marked `bad`, if any."""
    if not bad.any():
        return
    index = bad.index[int(bad.to_numpy().argmax())]
    prefix, location = grid.cell(index, column)
    raise DataError(
        f"{prefix}column '{column}': '{cells[index]}' is not {wanted}",
        location=location,
        hint=hint,
    )


MISSING_HINT = "leave the cell empty if the value is missing"
# Cells that stand for a missing number (compared in lower case).
MISSING_MARKS = frozenset({"n/a", "na", "nan", "null", "none", "-", "--", "..", "...", "?", "x"})


def _number_hint(words: pd.Series, kind: str, empty: pd.Series, convention: Convention) -> str:
    """The hint for cells that are not numbers in a column declared as numbers, from
    the first such cell; a column whose filled cells are mostly words is text."""
    if words.empty:
        return ""
    cell = str(words.iloc[0])
    other = "." if convention.decimal == "," else ","
    if convention.decimal == "." and re.fullmatch(r"[+-]?\d{1,3}(,\d{3})+(\.\d+)?", cell):
        return (
            'write numbers without thousands separators, or declare `thousands: ","` on the source'
        )
    if re.fullmatch(r"[+-]?\d+(\.\d{3})*" + re.escape(other) + r"\d+", cell):
        return (
            f"the file writes numbers with '{convention.decimal}' as the decimal mark, but "
            f"this one uses '{other}': write every number one way, or declare the source's "
            f'`decimal: "{other}"`'
        )
    if cell.endswith("%") and re.fullmatch(convention.pattern(), cell[:-1].strip()):
        return "write percentages as fractions, for example 0.72 for 72%"
    if cell.lower() in MISSING_MARKS:
        return MISSING_HINT
    filled = int((~empty).sum())
    if len(words) * 2 > filled:
        return (
            f"{len(words)} of its {filled} filled cells are not numbers: if the column holds "
            f"words, declare it `text` under `columns:` instead of `{kind}`"
        )
    return f"{MISSING_HINT}, or declare the column `text` if it holds words"


def _to_dates(grid: _Grid, column: str, cells: pd.Series, empty: pd.Series) -> pd.Series:
    for index, cell in cells[~empty].items():
        if not is_iso_date(cell):
            prefix, location = grid.cell(index, column)
            raise DataError(
                f"{prefix}column '{column}': '{cell}' is not a date",
                location=location,
                hint="write dates as YYYY-MM-DD",
            )
    return pd.to_datetime(cells.where(~empty), format="%Y-%m-%d")
