"""How a data file writes its numbers, and which cells are numbers at all. This module
owns the decimal mark and thousands separator of a file (declared on the source, or
worked out from the file when its cells leave no doubt: `8.524` is 8524 in a file that
also writes `12,5`), the cells that look like numbers but are codes (`007`, `+7`, `1e3`
keep their text: they do not survive a trip through a number), and integers too long
for a float to hold exactly. Every check runs over a whole column with pandas' string
methods; only the rare cell with more than 15 digits is looked at on its own."""

from __future__ import annotations

import decimal
import re
from dataclasses import dataclass
from typing import Any

from factsheet.errors import DataError

EXACT_DIGITS = 15
"""Significant digits every float64 holds exactly; a longer number is checked alone."""

_SPACES = " \u00a0\u202f"
_LOOSE = r"[+-]?[\d.,]*\d[\d.,]*(?:[eE][+-]?\d+)?"
# Cells that say which mark is the decimal one (see `detect`).
_AMBIGUOUS_DOT = r"[+-]?[1-9]\d{0,2}\.\d{3}"  # 8.524: 8.524 or 8524
_AMBIGUOUS_COMMA = r"[+-]?[1-9]\d{0,2},\d{3}"  # 1,234: 1.234 or 1234
_DOT_DECIMAL = r"[+-]?(?:\d*\.\d+|\d{1,3}(?:,\d{3})+\.\d+|\d{1,3}(?:,\d{3}){2,})(?:[eE][+-]?\d+)?"
_COMMA_DECIMAL = r"[+-]?(?:\d*,\d+|\d{1,3}(?:\.\d{3})+,\d+|\d{1,3}(?:\.\d{3}){2,})"
IDENTIFIER = re.compile(r"[+-]?0\d|\+|[+-]?\d+[eE]\d+$")
"""Number cells that are codes: `007`, `+7`, `1e3` or `2E5` (scientific notation as
programs write it, `1e+300`, `2.5e-05`, `1.5E+06`, stays a number)."""


@dataclass(frozen=True)
class Convention:
    """A file's decimal mark and thousands separator ("" for none)."""

    decimal: str = "."
    thousands: str = ""

    def pattern(self) -> str:
        """A regular expression that a whole number cell matches."""
        mark = re.escape(self.decimal)
        plain = rf"[+-]?(?:\d+(?:{mark}\d*)?|{mark}\d+)(?:[eE][+-]?\d+)?"
        if not self.thousands:
            return plain
        group = f"[{re.escape(_SPACES)}]" if self.thousands == " " else re.escape(self.thousands)
        return rf"{plain}|[+-]?[1-9]\d{{0,2}}(?:{group}\d{{3}})+(?:{mark}\d+)?"

    def normalise(self, cells: Any) -> Any:
        """Number cells (a pandas Series matching :meth:`pattern`) as Python writes them."""
        if self.thousands:
            strip = (
                f"[{re.escape(_SPACES)}]" if self.thousands == " " else re.escape(self.thousands)
            )
            cells = cells.str.replace(strip, "", regex=True)
        if self.decimal != ".":
            cells = cells.str.replace(self.decimal, ".", regex=False)
        return cells


def declared(decimal_mark: str | None, thousands: str | None) -> Convention | None:
    """The convention the source declares, if it declares one. A declared decimal comma
    takes the dot as its thousands separator (and the reverse), unless told otherwise."""
    if decimal_mark is None and thousands is None:
        return None
    mark = decimal_mark or ("," if thousands == "." else ".")
    if thousands is None:
        thousands = "." if mark == "," else ","
    return Convention(mark, "" if thousands == "none" else thousands)


def loose(cells: Any) -> Any:
    """True for each cell written with digits, dots and commas only (and a sign or an
    exponent): what could be a number in some convention."""
    return cells.str.fullmatch(_LOOSE)


def detect(columns: dict[str, Any], comma_separated: bool, where: Any) -> Convention:
    """The convention of a file whose `columns` (cells that could all be numbers) are
    given, when the file does not declare one: a decimal comma (`12,5`, `1.234,5`) or
    a decimal point (`0.25`, `1,234.5`) seen anywhere decides. With neither, a cell
    such as `8.524` is ambiguous in a file separated by semicolons or tabs (Excel writes
    those where the comma is the decimal mark) and refused; a comma-separated file
    reads it with a decimal point. `where(column, index)` locates a cell for errors."""
    comma = _first(columns, _COMMA_DECIMAL, _AMBIGUOUS_COMMA)
    dot = _first(columns, _DOT_DECIMAL, _AMBIGUOUS_DOT)
    if comma and dot:
        (c_col, c_at, c_cell), (d_col, d_at, d_cell) = comma, dot
        prefix, location = where(c_col, c_at)
        raise DataError(
            f"{prefix}column '{c_col}': '{c_cell}' has a decimal comma, but column "
            f"'{d_col}' writes '{d_cell}' with a decimal point (line {where(d_col, d_at)[1].line})",
            location=location,
            hint=_HINT,
        )
    if comma:
        return Convention(",", ".")
    if dot:
        return Convention(".", ",")
    if comma_separated:
        return Convention()
    for pattern in (_AMBIGUOUS_DOT, _AMBIGUOUS_COMMA):
        found = _first(columns, pattern)
        if found:
            column, index, cell = found
            prefix, location = where(column, index)
            sign = "-" if cell.startswith("-") else ""
            whole = int(re.sub(r"\D", "", cell))
            fraction = cell.lstrip("+-").replace(",", ".")
            raise DataError(
                f"{prefix}column '{column}': '{cell}' could be {sign}{fraction} or "
                f"{sign}{whole}, and no other number in the file tells which "
                "mark is the decimal one",
                location=location,
                hint=_HINT,
            )
    return Convention()


_HINT = (
    'say how the file writes numbers on its source under `data:`: `decimal: ","` and '
    '`thousands: "."` for 8.524 meaning eight thousand (1.234,5), or `decimal: "."` and '
    '`thousands: ","` for 8.524 meaning eight and a bit (1,234.5)'
)


def _first(
    columns: dict[str, Any], pattern: str, unless: str | None = None
) -> tuple[str, Any, str] | None:
    """The first cell matching `pattern` (and not `unless`): column, index, text."""
    for name, cells in columns.items():
        hits = cells.str.fullmatch(pattern)
        if unless is not None and hits.any():
            hits &= ~cells.str.fullmatch(unless)
        if hits.any():
            index = hits.index[int(hits.to_numpy().argmax())]
            return name, index, str(cells[index])
    return None


def identifiers(cells: Any) -> Any:
    """True for each number cell whose text would not come back from its number:
    a leading zero (`007`), a plus sign (`+7`), a bare exponent (`1e3`)."""
    return cells.str.match(IDENTIFIER)


def inexact(numbers: Any) -> Any:
    """True for each normalised number cell that a float cannot hold: more than 15
    significant digits, and not the shortest text of the float it reads as
    (`0.30000000000000004` is exact; `9007199254740993` reads as …992)."""
    long = numbers.str.len() > EXACT_DIGITS  # cheap: only a long cell can have 16 digits
    if not long.any():
        return long
    long &= numbers.str.count(r"\d") > EXACT_DIGITS
    if not long.any():
        return long
    bad = long.copy()
    for index, cell in numbers[long].items():
        bad[index] = not _exact(str(cell))
    return bad


def _exact(cell: str) -> bool:
    return decimal.Decimal(repr(float(cell))) == decimal.Decimal(cell)


def significant_digits(cell: str) -> int:
    """Digits from the first non-zero one to the last given (`007` has 1, `1.50` has 3)."""
    digits = re.sub(r"\D", "", cell.split("e")[0].split("E")[0])
    return len(digits.lstrip("0")) or 1


def text_reason(cell: str) -> str:
    """Why a cell that looks like a number keeps its text (for messages)."""
    if re.match(r"[+-]?0\d", cell):
        return f"'{cell}' keeps a leading zero, as codes do"
    if cell.startswith("+"):
        return f"'{cell}' is written with a plus sign, as codes are"
    if re.fullmatch(r"[+-]?\d+[eE]\d+", cell):
        return f"'{cell}' is written with an exponent, as codes may be"
    return f"'{cell}' has {significant_digits(cell)} significant digits, more than a number keeps"
