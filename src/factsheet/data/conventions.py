"""How a data file writes its numbers, and which cells are numbers at all. This module
owns the decimal mark and thousands separator of a file (declared on the source, or
worked out from the file when its cells leave no doubt: `8.524` is 8524 in a file that
also writes `12,5`), the cells that look like numbers but are codes (`007`, `+7`, `1e3`
keep their text: they do not survive a trip through a number), and whole numbers too
long for a float to hold exactly. Every check runs over a whole column with pandas' string
methods or one regular expression over the column's joined text; only the rare cell
with a whole part of more than 15 digits is looked at on its own."""

from __future__ import annotations

import decimal
import re
from dataclasses import dataclass
from typing import Any

from factsheet.errors import DataError

EXACT_DIGITS = 15
"""Significant digits every float64 holds exactly; a longer whole number is checked alone."""

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
IDENTIFIER_LINE = re.compile(r"^(?:[+-]?0\d|\+|[+-]?\d+[eE]\d+$)", re.M)
_BIG = rf"[+-]?0*[1-9]\d{{{EXACT_DIGITS},}}"  # a whole part of 16 digits or more
BIG_LINE = re.compile(rf"^{_BIG}", re.M)


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

    def normalise(self, cells: Any, text: str) -> Any:
        """Number cells (a pandas Series matching :meth:`pattern`, `text` their
        :func:`joined` text) as Python writes them (the same Series when they are
        written so already)."""
        if self.thousands == " ":
            if any(space in text for space in _SPACES):
                cells = cells.str.replace(f"[{re.escape(_SPACES)}]", "", regex=True)
        elif self.thousands and self.thousands in text:
            cells = cells.str.replace(self.thousands, "", regex=False)
        if self.decimal != "." and self.decimal in text:
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


def joined(cells: Any) -> str | None:
    """A column's cells as one string, a cell a line, so that a regular expression runs
    over the whole column in one call (None when a cell holds a line break itself)."""
    text = "\n".join(cells.tolist())
    return text if text.count("\n") == max(len(cells) - 1, 0) else None


def loose(text: str) -> bool:
    """Whether every line (cell) is written with digits, dots and commas only (and a
    sign or an exponent): what could be a number in some convention."""
    return re.search(rf"^(?!(?:{_LOOSE})$)", text, re.M) is None


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
    columns: dict[str, tuple[Any, str]], pattern: str, unless: str | None = None
) -> tuple[str, Any, str] | None:
    """The first cell matching `pattern` (and not `unless`): column, index, text.
    `columns` holds each column's cells and their :func:`joined` text."""
    guard = rf"(?!(?:{unless})$)" if unless else ""
    search = re.compile(rf"^{guard}(?:{pattern})$", re.M).search
    for name, (cells, text) in columns.items():
        found = search(text)
        if found is not None:
            position = text.count("\n", 0, found.start())
            return name, cells.index[position], found.group()
    return None


def has_identifiers(text: str) -> bool:
    """Whether a number column (its :func:`joined` cells) holds a cell whose text would
    not come back from its number: a leading zero (`007`), a plus sign (`+7`), a bare
    exponent (`1e3`)."""
    return IDENTIFIER_LINE.search(text) is not None


def inexact(numbers: Any, text: str) -> Any:
    """True for each normalised number cell whose whole part a float cannot hold: more
    than 15 significant digits before the decimal mark, and not exactly a float
    (`9007199254740993` reads as …992; `9007199254740992` is exact). Digits after the
    16th of a fraction (`3.2260000000000004`, as programs write floats) are far below
    any printed precision, and kept as the float reads them. None when no cell has
    such a whole part (`text` is the cells :func:`joined`)."""
    if BIG_LINE.search(text) is None:
        return None
    big = numbers.str.match(_BIG)
    bad = big.copy()
    for index, cell in numbers[big].items():
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
