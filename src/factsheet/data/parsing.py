"""Parsing: turning the cells of a CSV file (read by :mod:`~factsheet.data.csvread`) or
of an XLSX worksheet (:mod:`~factsheet.data.xlsxread`) into typed NumPy columns. This
module owns column names (unnamed, duplicated) and control characters in cells, and
each column's type: numbers and dates are never guessed from text such as ``NA``, and
every bad cell is reported with its line (or cell reference) and a hint. Each check
runs over a column's joined text where it can, so a large file costs a few passes, not
a Python call per cell."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from factsheet.data import conventions
from factsheet.data.conventions import Convention
from factsheet.data.csvread import read_csv
from factsheet.data.rows import FIRST_LINE, Rows
from factsheet.data.sources import (
    is_iso_date,
    unknown_column_error,
)
from factsheet.data.xlsxread import read_xlsx
from factsheet.errors import DataError
from factsheet.location import Location
from factsheet.security import CONTROL, describe_control
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
        name, header, columns, index = read_xlsx(path, display, sheet)
        grid = _grid(header, columns, index, path, display, name)
        convention = Convention()
    return _convert(grid, declared, convention)


# --- reading -------------------------------------------------------------------------


@dataclass(frozen=True)
class _Grid:
    """Named columns of stripped text cells, blank rows dropped, with each row's
    index (its line - 2)."""

    path: Path
    display: str
    sheet: str | None
    columns: Mapping[str, Sequence[str]]
    index: Sequence[int]
    positions: Mapping[str, int]  # 0-based column position in the file
    separator: str = ","  # a CSV file's; an XLSX sheet's cells are written like a comma file's
    quoted: bool = False  # whether a CSV file has quotes (only then may a cell hold a comma)

    def cell(self, row: int, column: str, character: bool = False) -> tuple[str, Location]:
        """Message prefix and location for the cell of `column` in row `row` (a position
        among the rows): its line and, when asked and the line of a CSV file splits
        plainly, the character it starts at."""
        line = self.index[row] + FIRST_LINE
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
    read = read_csv(path, display)
    index = [line - FIRST_LINE for line in read.lines]
    return _grid(
        read.header,
        read.columns,
        index,
        path,
        display,
        None,
        read.separator,
        read.quoted,
        clean=read.clean,
    )


def _grid(
    header: Sequence[str],
    cells: Sequence[Sequence[str]],
    index: Sequence[int],
    path: Path,
    display: str,
    sheet: str | None,
    separator: str = ",",
    quoted: bool = False,
    *,
    clean: bool = False,
) -> _Grid:
    """Named columns from a header and the columns of stripped cells under it (`clean`:
    no cell holds a control character, as the reader found)."""
    keep: dict[str, int] = {}
    for pos, name in enumerate(header):
        if name == "":
            if any(cells[pos]):
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
    columns = {name: cells[pos] for name, pos in keep.items()}
    grid = _Grid(path, display, sheet, columns, index, keep, separator, quoted)
    _refuse_controls(grid, clean)
    return grid


def _refuse_controls(grid: _Grid, clean: bool) -> None:
    """A cell holding a control character (ESC, NUL, a bidi override) is refused: it
    would be drawn into the PDF or echoed into a terminal inside a message."""
    for name in grid.positions:
        if (found := CONTROL.search(name)) is not None:
            raise DataError(
                f"a column name holds the control character {describe_control(found.group())}",
                location=Location(file=grid.path, line=1),
                hint="remove it from the header row",
            )
    for column, cells in () if clean else grid.columns.items():
        row = _first_cell(cells, CONTROL, lambda cell: CONTROL.search(cell) is not None)
        if row is not None:
            char = CONTROL.search(cells[row])
            prefix, location = grid.cell(row, column)
            raise DataError(
                f"{prefix}column '{column}': the cell holds the control character "
                f"{describe_control(char.group() if char else '?')}",
                location=location,
                hint="remove it from the file; it would change how text is shown",
            )


def _first_cell(
    cells: Sequence[str], line: re.Pattern[str], test: Callable[[str], bool]
) -> int | None:
    """The position of the first cell that passes `test`: one search of `line` (which
    never matches across a line break) over the column's joined text."""
    text = conventions.joined(cells)
    if text is None:  # a cell holds a line break: look at each
        return next((row for row, cell in enumerate(cells) if test(cell)), None)
    found = line.search(text)
    return None if found is None else text.count("\n", 0, found.start())


# --- typing columns ---------------------------------------------------------------


def _convert(
    grid: _Grid, declared: Mapping[str, ColumnType], convention: Convention | None
) -> tuple[Rows, dict[str, ColumnType]]:
    names = list(grid.columns)
    for column in declared:
        if column not in grid.positions:
            raise unknown_column_error(column, grid.display, names)
    if convention is None:
        convention = _file_convention(grid, declared)
    data: dict[str, np.ndarray] = {}
    types: dict[str, ColumnType] = {}
    for column in names:
        # Text as Python strings (object), numbers as float64 with NaN for an empty cell,
        # dates as datetime64 with NaT.
        data[column], types[column] = _convert_column(
            grid, column, declared.get(column), convention
        )
    return Rows.of(data, np.asarray(grid.index, dtype=np.int64)), types


def _file_convention(grid: _Grid, declared: Mapping[str, ColumnType]) -> Convention:
    """The file's own way of writing numbers, from the columns that could hold them. A
    comma-separated file without quotes has no comma in a cell: nothing to work out."""
    if grid.separator == "," and not grid.quoted:
        return Convention()
    candidates: dict[str, tuple[Sequence[int], str]] = {}
    for column, cells in grid.columns.items():
        if declared.get(column) in ("text", "date"):
            continue
        rows: Sequence[int] = range(len(cells))
        if not all(cells):
            rows = [row for row, cell in enumerate(cells) if cell]
            cells = [cells[row] for row in rows]
        text = conventions.joined(cells)
        if text and ("," in text or "." in text) and conventions.loose(text):
            candidates[column] = (rows, text)
    if not candidates:
        return Convention()
    return conventions.detect(
        candidates, grid.separator == ",", lambda column, row: grid.cell(row, column, True)
    )


def _convert_column(
    grid: _Grid, column: str, kind: ColumnType | None, convention: Convention
) -> tuple[np.ndarray, ColumnType]:
    cells = grid.columns[column]
    if kind == "text":
        return _texts(cells), "text"
    if kind == "date":
        return _to_dates(grid, column, cells), "date"
    raw = conventions.joined(cells)  # None: a cell holds a line break, so is no number
    # Codes (007, +7, 1e3) keep their text unless the column is declared as numbers.
    codes = kind is not None
    read = None if raw is None else conventions.read_numbers(cells, raw, convention, codes)
    if kind is None and (read is None or not any(cells)):
        return _texts(cells), "text"
    if read is None:
        number = convention.matcher()
        words = [cell for cell in cells if _is_word(number, cell)]
        hint = _number_hint(words, kind or "number", sum(1 for c in cells if c), convention)
        row = next(row for row, cell in enumerate(cells) if _is_word(number, cell))
        raise _bad_cell(grid, column, cells, row, "a number", hint)
    values, written, text = read
    inexact = conventions.inexact(written, values)
    if kind is None:
        if inexact is not None:  # long identifiers keep their text too
            return _texts(cells), "text"
        kind = "number"
    if "-" in text and all(written) and not any(mark in text for mark in ".eE"):
        # Whole numbers in every row were read as integers, where -0 is 0 (kept, so
        # that a printed "-0" stays "0" as before); a column with a fraction keeps -0.0.
        values = values + 0.0
    if inexact is not None:
        raise _inexact_error(grid, column, cells, inexact)
    if np.isinf(values).any():
        row = int(np.isinf(values).argmax())
        raise _bad_cell(grid, column, cells, row, "a number", MISSING_HINT)
    if kind == "integer":
        fractional = ~np.isnan(values) & (values % 1 != 0)
        if fractional.any():
            raise _bad_cell(grid, column, cells, int(fractional.argmax()), "a whole number", "")
    return values, kind


def _texts(cells: Sequence[str]) -> np.ndarray:
    return np.array(cells, dtype=object) if cells else np.empty(0, dtype=object)


def _is_word(number: re.Pattern[str], cell: str) -> bool:
    return cell != "" and number.fullmatch(cell) is None


def _inexact_error(grid: _Grid, column: str, cells: Sequence[str], row: int) -> DataError:
    """A number with more digits than a float holds is refused, never rounded silently."""
    cell = cells[row]
    prefix, location = grid.cell(row, column, character=True)
    return DataError(
        f"{prefix}column '{column}': '{cell}' has {conventions.significant_digits(cell)} "
        f"significant digits, but a number keeps only {conventions.EXACT_DIGITS} exactly: "
        "it would be read as a different number",
        location=location,
        hint="if the column holds codes or identifiers, declare it `text` under the "
        "source's `columns:`; if it holds amounts, round them in the file (or give them "
        "in thousands or millions)",
    )


def _bad_cell(
    grid: _Grid, column: str, cells: Sequence[str], row: int, wanted: str, hint: str
) -> DataError:
    """The error for the cell of `column` in row `row`."""
    prefix, location = grid.cell(row, column)
    return DataError(
        f"{prefix}column '{column}': '{cells[row]}' is not {wanted}",
        location=location,
        hint=hint,
    )


MISSING_HINT = "leave the cell empty if the value is missing"
# Cells that stand for a missing number (compared in lower case).
MISSING_MARKS = frozenset({"n/a", "na", "nan", "null", "none", "-", "--", "..", "...", "?", "x"})


def _number_hint(words: Sequence[str], kind: str, filled: int, convention: Convention) -> str:
    """The hint for cells that are not numbers in a column declared as numbers, from
    the first such cell; a column whose filled cells are mostly words is text."""
    if not words:
        return ""
    cell = words[0]
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
    if cell.endswith("%") and convention.matcher().fullmatch(cell[:-1].strip()):
        return "write percentages as fractions, for example 0.72 for 72%"
    if cell.lower() in MISSING_MARKS:
        return MISSING_HINT
    if len(words) * 2 > filled:
        return (
            f"{len(words)} of its {filled} filled cells are not numbers: if the column holds "
            f"words, declare it `text` under `columns:` instead of `{kind}`"
        )
    return f"{MISSING_HINT}, or declare the column `text` if it holds words"


def _to_dates(grid: _Grid, column: str, cells: Sequence[str]) -> np.ndarray:
    for row, cell in enumerate(cells):
        if cell and not is_iso_date(cell):
            prefix, location = grid.cell(row, column)
            raise DataError(
                f"{prefix}column '{column}': '{cell}' is not a date",
                location=location,
                hint="write dates as YYYY-MM-DD",
            )
    if not any(cells):
        # The unit pandas.to_datetime gave a column without a date (kept: cached tables
        # and joined sources see the same arrays as before).
        return np.full(len(cells), np.datetime64("NaT"), dtype="datetime64[s]")
    return np.array([cell or "NaT" for cell in cells], dtype="datetime64[us]")
