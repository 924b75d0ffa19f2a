"""How a data file writes its numbers, and which cells are numbers at all. This module
owns the decimal mark and thousands separator of a file (declared on the source, or
worked out from the file when its cells leave no doubt: `8.524` is 8524 in a file that
also writes `12,5`), the cells that look like numbers but are codes (`007`, `+7`, `1e3`
keep their text: they do not survive a trip through a number), and whole numbers too
long for a float to hold exactly. Every check runs one regular expression over a whole
column's joined text; only the rare cell with a whole part of more than 15 digits is
looked at on its own. Digits are ASCII digits: `٣` or `１２` is text, not a number."""

from __future__ import annotations

import decimal
import functools
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from factsheet.errors import DataError

EXACT_DIGITS = 15
"""Significant digits every float64 holds exactly; a longer whole number is checked alone."""

_SPACES = " \u00a0\u202f"
# Digits, points and commas with a digit among them (the lookahead finds the first
# digit; the run is then taken whole, with no backtracking inside it).
_LOOSE = r"[+-]?(?=[.,]*\d)[\d.,]++(?:[eE][+-]?\d+)?"
# Cells that say which mark is the decimal one (see `detect`).
_AMBIGUOUS_DOT = r"[+-]?[1-9]\d{0,2}\.\d{3}"  # 8.524: 8.524 or 8524
_AMBIGUOUS_COMMA = r"[+-]?[1-9]\d{0,2},\d{3}"  # 1,234: 1.234 or 1234
_DOT_DECIMAL = r"[+-]?(?:\d*\.\d+|\d{1,3}(?:,\d{3})+\.\d+|\d{1,3}(?:,\d{3}){2,})(?:[eE][+-]?\d+)?"
_COMMA_DECIMAL = r"[+-]?(?:\d*,\d+|\d{1,3}(?:\.\d{3})+,\d+|\d{1,3}(?:\.\d{3}){2,})"
_CODE = r"[+-]?0\d|\+|[+-]?\d+[eE]\d+(?=\n|\Z)"
IDENTIFIER = re.compile(_CODE, re.ASCII)
"""Number cells that are codes: `007`, `+7`, `1e3` or `2E5` (scientific notation as
programs write it, `1e+300`, `2.5e-05`, `1.5E+06`, stays a number)."""
# A whole part of 16 digits or more.
_BIG_CELL = re.compile(rf"[+-]?0*[1-9]\d{{{EXACT_DIGITS},}}", re.ASCII)


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

    def matcher(self) -> re.Pattern[str]:
        """:meth:`pattern`, compiled to match ASCII digits only."""
        return _compiled(self.pattern())

    def normalise(self, text: str) -> str:
        """Number cells matching :meth:`pattern`, :func:`joined`, as Python writes them
        (the same string when they are written so already)."""
        if self.thousands == " ":
            if any(space in text for space in _SPACES):
                text = re.sub(f"[{re.escape(_SPACES)}]", "", text)
        elif self.thousands and self.thousands in text:
            text = text.replace(self.thousands, "")
        if self.decimal != "." and self.decimal in text:
            text = text.replace(self.decimal, ".")
        return text


@functools.lru_cache(maxsize=16)
def _compiled(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern, re.ASCII)


def declared(decimal_mark: str | None, thousands: str | None) -> Convention | None:
    """The convention the source declares, if it declares one. A declared decimal comma
    takes the dot as its thousands separator (and the reverse), unless told otherwise."""
    if decimal_mark is None and thousands is None:
        return None
    mark = decimal_mark or ("," if thousands == "." else ".")
    if thousands is None:
        thousands = "." if mark == "," else ","
    return Convention(mark, "" if thousands == "none" else thousands)


def joined(cells: Sequence[str]) -> str | None:
    """A column's cells as one string, a cell a line, so that a regular expression runs
    over the whole column in one call (None when a cell holds a line break itself)."""
    text = "\n".join(cells)
    return text if text.count("\n") == max(len(cells) - 1, 0) else None


def loose(text: str) -> bool:
    """Whether every line (cell) is written with digits, dots and commas only (and a
    sign or an exponent): what could be a number in some convention."""
    return _LOOSE_LINES.fullmatch(text) is not None


_LOOSE_LINES = re.compile(rf"(?>(?:{_LOOSE})\n)*+(?:{_LOOSE})", re.ASCII)


Where = Callable[[str, int], tuple[str, Any]]
"""Message prefix and location of a cell, given its column and row position."""


def detect(
    columns: dict[str, tuple[Sequence[int], str]], comma_separated: bool, where: Where
) -> Convention:
    """The convention of a file whose `columns` (cells that could all be numbers) are
    given, when the file does not declare one: a decimal comma (`12,5`, `1.234,5`) or
    a decimal point (`0.25`, `1,234.5`) seen anywhere decides. With neither, a cell
    such as `8.524` is ambiguous in a file separated by semicolons or tabs (Excel writes
    those where the comma is the decimal mark) and refused; a comma-separated file
    reads it with a decimal point. `columns` holds each column's filled cells as their
    row positions and :func:`joined` text; `where` locates a cell for errors."""
    comma = _first(columns, _COMMA_DECIMAL, _AMBIGUOUS_COMMA, _MAY_COMMA)
    dot = _first(columns, _DOT_DECIMAL, _AMBIGUOUS_DOT, _MAY_DOT)
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


# What a cell with a decimal comma (or point) must hold: the mark, or two groups of
# three digits after the other mark (1.234.567). A column without it is not searched.
_MAY_COMMA = re.compile(r",|\.\d{3}\.\d{3}", re.ASCII)
_MAY_DOT = re.compile(r"\.|,\d{3},\d{3}", re.ASCII)


def _first(
    columns: dict[str, tuple[Sequence[int], str]],
    pattern: str,
    unless: str | None = None,
    may: re.Pattern[str] | None = None,
) -> tuple[str, int, str] | None:
    """The first cell matching `pattern` (and not `unless`): column, row position, text.
    A column whose text `may` does not find is skipped."""
    end = r"(?=\n|\Z)"
    guard = rf"(?!(?:{unless}){end})" if unless else ""
    # A line break before each line: the search jumps from one to the next.
    search = re.compile(rf"\n{guard}((?:{pattern})){end}", re.ASCII).search
    for name, (rows, text) in columns.items():
        if may is not None and may.search(text) is None:
            continue
        found = search("\n" + text)
        if found is not None:
            return name, rows[text.count("\n", 0, found.start())], found.group(1)
    return None


def read_numbers(
    cells: Sequence[str], text: str, convention: Convention, codes: bool = True
) -> tuple[np.ndarray, Sequence[str], str] | None:
    """The cells (`text` is their :func:`joined` text) as float64, NaN for an empty
    cell, when every cell is empty or a number written in `convention`, and (without
    `codes`) none is a code (see :func:`all_numbers`); else None. With the numbers as
    Python writes them, each and joined (the cells and `text` when written so)."""
    if _plainly(convention, text):
        # With no thousands separator and no point but the decimal mark, cells written
        # with digits, signs, the mark and exponents only are numbers exactly when
        # float() reads them (its grammar is the plain :meth:`Convention.pattern`), so
        # no regular expression runs per cell.
        normal = convention.normalise(text)
        if _NOT_PLAIN.search(normal) is not None or (not codes and _has_code(normal)):
            return None
    elif all_numbers(convention.pattern(), codes).fullmatch(text) is None:
        return None
    else:
        normal = convention.normalise(text)
    written = cells if normal is text else normal.split("\n")
    try:
        # NumPy reads text with Python's float(): correctly rounded.
        values = np.array(written if all(written) else [c or "nan" for c in written], float)
    except ValueError:  # a cell such as `1-2` or `e`
        return None
    return values, written, normal


def _plainly(convention: Convention, text: str) -> bool:
    """Whether `text` reads in `convention` as in the plain one once its decimal mark
    is a point: it holds no thousands separator, and no point unless that is the mark."""
    marks = _SPACES if convention.thousands == " " else convention.thousands
    if any(mark in text for mark in marks):
        return False
    return convention.decimal == "." or "." not in text


_NOT_PLAIN = re.compile(r"[^0-9+\-.eE\n]")
_CODE_START = re.compile(r"\n[+-]?0\d|\n[+-]?\d+[eE]\d+(?=\n|\Z)", re.ASCII)


def _has_code(text: str) -> bool:
    """Whether a joined column of plain numbers holds a code (see `IDENTIFIER`)."""
    lines = "\n" + text
    return "\n+" in lines or _CODE_START.search(lines) is not None


@functools.lru_cache(maxsize=32)
def all_numbers(pattern: str, codes: bool = True) -> re.Pattern[str]:
    """Matches (in full) the :func:`joined` text of a column whose every cell is empty
    or a number written in `pattern` (see :meth:`Convention.pattern`); without `codes`,
    a number whose text would not come back from it is not one: a leading zero
    (`007`), a plus sign (`+7`), a bare exponent (`1e3`). One pass, line by line: a
    number never holds a line break, so no line is ever read twice."""
    cell = f"(?:{pattern})?" if codes else f"(?!{_CODE})(?:{pattern})?"
    return re.compile(rf"(?>{cell}\n)*+{cell}", re.ASCII)


def inexact(numbers: Sequence[str], values: np.ndarray) -> int | None:
    """The row of the first normalised number cell whose whole part a float cannot
    hold: more than 15 significant digits before the decimal mark, and not exactly a
    float (`9007199254740993` reads as …992; `9007199254740992` is exact). Digits after
    the 16th of a fraction (`3.2260000000000004`, as programs write floats) are far
    below any printed precision, and kept as the float reads them. `values` are the
    cells read as floats: only those of 10^15 or more can have such a whole part."""
    with np.errstate(invalid="ignore"):
        large = np.flatnonzero(np.abs(values) >= 1e15)
    for row in large.tolist():
        if _BIG_CELL.match(numbers[row]) and not _exact(numbers[row]):
            return int(row)
    return None


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
