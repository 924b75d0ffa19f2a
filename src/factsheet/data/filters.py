"""Filters: picking the rows of a :class:`~factsheet.data.sources.Table` that a spec's
``where`` asks for, and saying in the reader's terms which filters were used and why
none matched. A filter is a plain comparison: equality (`region: Africa`), membership
(`region: [Africa, Asia]`), a range (`year: {min: 2010}`) or an exclusion
(`region: {not: Global}`) or a test for empty cells (`"2011": {empty: false}`); never
an expression. Text values may be templates
(`"{{ region }}"`), filled in by the ``substitute`` the caller passes."""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Callable, Mapping, Sequence
from typing import Any, Protocol

import numpy as np

from factsheet.data.formats import number_text
from factsheet.data.rows import Rows, empty_mask
from factsheet.data.sources import NUMBER, Table, is_iso_date
from factsheet.errors import DataError, did_you_mean
from factsheet.spec.base import Condition, FilterValue, Scalar, Where

Filters = Sequence[tuple[str, FilterValue]]
Substitute = Callable[[str], str]
NUMERIC = ("number", "integer")


class Columns(Protocol):
    """What a filter reads: typed columns by name (a table, or a derived source's rows
    between two steps)."""

    @property
    def types(self) -> Mapping[str, str]: ...

    @property
    def row_count(self) -> int: ...

    def array(self, column: str) -> np.ndarray: ...

    def unknown_column(self, column: str) -> DataError: ...


def same(text: str) -> str:
    """No substitution."""
    return text


def select_rows(table: Table, where: Where, substitute: Substitute = same) -> Rows:
    """The rows matching every filter, in table order."""
    return table.rows.where(mask(table, list(where.items()), substitute))


def mask(table: Columns, filters: Filters, substitute: Substitute = same) -> np.ndarray:
    """True for each row that matches every filter."""
    keep = np.ones(table.row_count, dtype=bool)
    for column, value in filters:
        keep &= _match(table, column, value, substitute)
    return keep


def _match(table: Columns, column: str, value: FilterValue, substitute: Substitute) -> np.ndarray:
    if column not in table.types:
        raise table.unknown_column(column)
    cells, kind = table.array(column), table.types[column]
    if isinstance(value, Condition):
        return _condition(cells, kind, column, value, substitute)
    return _any_equal(
        cells, kind, column, value if isinstance(value, list) else [value], substitute
    )


def _condition(
    cells: np.ndarray, kind: str, column: str, value: Condition, substitute: Substitute
) -> np.ndarray:
    keep = np.ones(len(cells), dtype=bool)
    if value.empty is not None:
        keep &= empty_mask(cells) == value.empty
    if value.ranged:
        if kind not in NUMERIC:
            first = next((c for c in cells if str(c) and not NUMBER.fullmatch(str(c))), None)
            example = f" (such as {show(first)})" if first is not None else ""
            raise DataError(
                f"a range filter needs numbers, but column '{column}' holds {kind}{example}"
            )
        keep &= ~np.isnan(cells.astype(float))
        if value.min is not None:
            keep &= cells >= value.min
        if value.max is not None:
            keep &= cells <= value.max
    if value.excluded:
        keep &= ~_any_equal(cells, kind, column, value.excluded, substitute)
    return np.asarray(keep, dtype=bool)


def _any_equal(
    cells: np.ndarray, kind: str, column: str, values: list[Scalar], substitute: Substitute
) -> np.ndarray:
    found = np.zeros(len(cells), dtype=bool)
    for item in values:
        found |= _equals(cells, kind, column, item, substitute)
    return found


def _equals(
    cells: np.ndarray, kind: str, column: str, value: Any, substitute: Substitute
) -> np.ndarray:
    """Numbers compare with numbers and text with text: 2017 matches 2017.0 and "2017"."""
    if isinstance(value, str):
        value = substitute(value)
    if kind in NUMERIC:
        value = value.strip() if isinstance(value, str) else value
        if isinstance(value, bool) or (isinstance(value, str) and not NUMBER.fullmatch(value)):
            raise DataError(
                f"column '{column}' holds numbers, but the filter value {show(value)} "
                "is not a number"
            )
        return np.asarray(cells == float(value), dtype=bool)
    if kind == "date":
        if not (isinstance(value, str) and is_iso_date(value.strip())):
            raise DataError(
                f"column '{column}' holds dates, but the filter value {show(value)} is not a date",
                hint="write dates as YYYY-MM-DD",
            )
        return np.asarray(cells == np.datetime64(value.strip()), dtype=bool)
    if isinstance(value, bool):
        # YAML reads unquoted true/yes/no as booleans; match Excel's TRUE/FALSE cells.
        wanted = str(value).lower()
        return np.array([str(c).lower() == wanted for c in cells], dtype=bool)
    # A text column is matched as text: `code: 007` matches the cell 007, never 7.
    if isinstance(value, int | float):
        written = getattr(value, "raw", None)
        target = written if isinstance(written, str) else number_text(value)
    else:
        target = value
    return np.asarray(cells == target, dtype=bool)


# --- saying what was asked --------------------------------------------------------


def _filled(value: Any, substitute: Substitute) -> Any:
    return substitute(value) if isinstance(value, str) else value


def plain_where(where: Where, substitute: Substitute = same) -> dict[str, object]:
    """Filters after substitution, as JSON-friendly values in the spec's own words."""
    out: dict[str, object] = {}
    for column, value in where.items():
        if isinstance(value, Condition):
            plain: dict[str, object] = value.model_dump(exclude_none=True, by_alias=True)
            if value.not_ is not None:
                excluded = [_filled(v, substitute) for v in value.excluded]
                plain["not"] = excluded if isinstance(value.not_, list) else excluded[0]
            out[column] = plain
        elif isinstance(value, list):
            out[column] = [_filled(v, substitute) for v in value]
        else:
            out[column] = _filled(value, substitute)
    return out


def describe_filters(filters: Filters, substitute: Substitute = same) -> str:
    """``region = 'Africa', year from 2010 to 2020, code is not 'XX'`` for messages."""
    parts = []
    for column, value in filters:
        if isinstance(value, Condition):
            if value.empty is not None:
                parts.append(f"{column} is {'' if value.empty else 'not '}empty")
            if value.ranged:
                low = "" if value.min is None else f" from {show(value.min)}"
                high = "" if value.max is None else f" to {show(value.max)}"
                parts.append(f"{column}{low}{high}")
            if isinstance(value.not_, list):
                parts.append(f"{column} not in [{_shown(value.excluded, substitute)}]")
            elif value.not_ is not None:
                parts.append(f"{column} is not {show(_filled(value.not_, substitute))}")
        elif isinstance(value, list):
            parts.append(f"{column} in [{_shown(value, substitute)}]")
        else:
            parts.append(f"{column} = {show(_filled(value, substitute))}")
    return ", ".join(parts)


def _shown(values: Sequence[Any], substitute: Substitute) -> str:
    return ", ".join(show(_filled(v, substitute)) for v in values)


def _condition_fails(cells: np.ndarray, kind: str, column: str, value: Condition) -> str:
    """Why a condition keeps no row, for a condition that keeps none."""
    empty = empty_mask(cells)
    if value.empty is not None and not (empty == value.empty).any():
        return f"every row's '{column}' is {'filled in' if value.empty else 'empty'}"
    if value.ranged and kind in NUMERIC and not empty.all():
        return _span(column, cells)
    if value.excluded:
        either = "empty or " if value.empty is False else ""
        return f"every row's '{column}' is {either}a value that `not` leaves out"
    return ""


def _span(column: str, cells: np.ndarray) -> str:
    low, high = number_text(float(np.nanmin(cells))), number_text(float(np.nanmax(cells)))
    return f"'{column}' runs from {low} to {high}"


def keep_filled(column: str) -> str:
    """The filter that leaves out rows whose `column` is empty, as a spec writes it, for
    hints: ``where: {"2011": {empty: false}}``."""
    return f"`where: {{{yaml_key(column)}: {{empty: false}}}}`"


def yaml_key(name: str) -> str:
    """A column name as a YAML flow mapping key: as it is when that reads back the same,
    else in double quotes."""
    if NUMBER.fullmatch(name):  # YAML reads it as a number: `2011` is kept, `1.10` is not
        plain = name.isdigit() and str(int(name)) == name
    else:
        plain = bool(re.fullmatch(r"[A-Za-z_][\w .()-]*(?<! )", name))
    return name if plain and name.lower() not in _YAML_WORDS else json.dumps(name)


_YAML_WORDS = frozenset({"true", "false", "null", "yes", "no", "on", "off", "~"})


def show(value: object) -> str:
    """A cell or filter value as a message quotes it: 'Africa', 2019, '2020-01-31'."""
    if isinstance(value, np.datetime64):
        return repr(str(value.astype("datetime64[D]")))
    if isinstance(value, dt.datetime):
        return repr(value.date().isoformat())
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, np.generic):
        return show(value.item())
    if isinstance(value, int | float):
        return number_text(value)
    return repr(str(value))


def no_rows_hint(table: Table, filters: Filters, substitute: Substitute = same) -> str:
    """Why nothing matched: the filters, and the closest value of a filter that fails."""
    if table.rows.empty:
        return f"{table.display_path} has no data rows"
    if not filters:
        return ""
    parts = [f"where {describe_filters(filters, substitute)}"]
    for column, value in filters:
        if mask(table, [(column, value)], substitute).any():
            continue
        parts.append(_closest(table, column, value, substitute))
    if len(parts) == 1:
        parts.append("each filter matches some rows, but no row matches them all")
    return "; ".join(part for part in parts if part)


def _closest(table: Table, column: str, value: FilterValue, substitute: Substitute) -> str:
    cells, kind = table.array(column), table.types[column]
    if isinstance(value, Condition):
        return _condition_fails(cells, kind, column, value)
    if kind in NUMERIC and not np.isnan(cells.astype(float)).all():
        return _span(column, cells)
    if kind != "text":
        return ""
    items = value if isinstance(value, list) else [value]
    if any(isinstance(item, bool) for item in items):
        return "YAML reads unquoted yes, no, true and false as booleans; quote the value"
    choices = [str(cell) for cell in dict.fromkeys(cells)]
    for item in items:
        if isinstance(item, str):
            suggestion = did_you_mean(substitute(item), choices)
            if suggestion:
                return suggestion
    return ""
