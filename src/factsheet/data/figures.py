"""Figures: selecting rows of a :class:`~factsheet.data.sources.Table` with a spec's
``where`` filters, aggregating one column of them into a single number, and recording
where that number came from (:class:`Provenance`). Filters are plain comparisons, never
expressions. Errors explain an empty or ambiguous selection in the reader's terms: the
filters used, the closest existing value, the columns that tell matching rows apart."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from factsheet.data.formats import NumberLocale, format_number, number_text
from factsheet.data.rows import Rows, is_missing
from factsheet.data.sources import NUMBER, Table, is_iso_date
from factsheet.errors import DataError, did_you_mean
from factsheet.location import Location
from factsheet.spec.model import FigureSpec, FilterValue, Range, Where

Filters = Sequence[tuple[str, FilterValue]]
Substitute = Callable[[str], str]
NUMERIC = ("number", "integer")


def _same(text: str) -> str:
    return text


@dataclass(frozen=True)
class Provenance:
    """Where a figure came from, for reports and for checking a number by hand."""

    source: str  # display path of the data file
    where: Mapping[str, object]  # filters after variable substitution (JSON-friendly)
    column: str | None
    aggregate: str
    rows: tuple[int, ...]  # file lines of the rows used (CSV: index + 2)
    of: Mapping[str, object] | None = None  # share: filters of the total
    of_rows: tuple[int, ...] = ()  # share: file lines of the rows in the total
    from_: Mapping[str, object] | None = None  # change: filters of the earlier row
    to: Mapping[str, object] | None = None  # change: filters of the later row


@dataclass(frozen=True)
class FigureValue:
    """A computed figure: its value, its printed text and its provenance."""

    name: str
    value: float
    text: str
    provenance: Provenance


# --- selecting rows ---------------------------------------------------------------


def select_rows(table: Table, where: Where, substitute: Substitute = _same) -> Rows:
    """The rows matching every filter, in file order."""
    return table.rows.where(_mask(table, list(where.items()), substitute))


def _mask(table: Table, filters: Filters, substitute: Substitute) -> np.ndarray:
    mask = np.ones(len(table.rows), dtype=bool)
    for column, value in filters:
        mask &= _match(table, column, value, substitute)
    return mask


def _match(table: Table, column: str, value: FilterValue, substitute: Substitute) -> np.ndarray:
    if column not in table.types:
        raise table.unknown_column(column)
    cells, kind = table.array(column), table.types[column]
    if isinstance(value, Range):
        if kind not in NUMERIC:
            raise DataError(f"a range filter needs numbers, but column '{column}' holds {kind}")
        mask = ~np.isnan(cells.astype(float))
        if value.min is not None:
            mask &= cells >= value.min
        if value.max is not None:
            mask &= cells <= value.max
        return np.asarray(mask, dtype=bool)
    mask = np.zeros(len(cells), dtype=bool)
    for item in value if isinstance(value, list) else [value]:
        mask |= _equals(cells, kind, column, item, substitute)
    return mask


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
                f"column '{column}' holds numbers, but the filter value {_show(value)} "
                "is not a number"
            )
        return np.asarray(cells == float(value), dtype=bool)
    if kind == "date":
        if not (isinstance(value, str) and is_iso_date(value.strip())):
            raise DataError(
                f"column '{column}' holds dates, but the filter value {_show(value)} is not a date",
                hint="write dates as YYYY-MM-DD",
            )
        return np.asarray(cells == np.datetime64(value.strip()), dtype=bool)
    if isinstance(value, bool):
        # YAML reads unquoted true/yes/no as booleans; match Excel's TRUE/FALSE cells.
        wanted = str(value).lower()
        return np.array([str(c).lower() == wanted for c in cells], dtype=bool)
    target = number_text(value) if isinstance(value, int | float) else value
    return np.asarray(cells == target, dtype=bool)


def plain_where(where: Where, substitute: Substitute = _same) -> dict[str, object]:
    """Filters after substitution, as JSON-friendly values."""
    out: dict[str, object] = {}
    for column, value in where.items():
        if isinstance(value, Range):
            out[column] = value.model_dump(exclude_none=True)
        elif isinstance(value, list):
            out[column] = [substitute(v) if isinstance(v, str) else v for v in value]
        else:
            out[column] = substitute(value) if isinstance(value, str) else value
    return out


def describe_filters(filters: Filters, substitute: Substitute = _same) -> str:
    """``region = 'Africa', year from 2010 to 2020`` for messages."""
    parts = []
    for column, value in filters:
        if isinstance(value, Range):
            low = "" if value.min is None else f" from {_show(value.min)}"
            high = "" if value.max is None else f" to {_show(value.max)}"
            parts.append(f"{column}{low}{high}")
        elif isinstance(value, list):
            items = ", ".join(_show(substitute(v) if isinstance(v, str) else v) for v in value)
            parts.append(f"{column} in [{items}]")
        else:
            parts.append(
                f"{column} = {_show(substitute(value) if isinstance(value, str) else value)}"
            )
    return ", ".join(parts)


def _show(value: object) -> str:
    if isinstance(value, np.datetime64):
        return repr(str(value.astype("datetime64[D]")))
    if isinstance(value, dt.datetime):
        return repr(value.date().isoformat())
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, int | float):
        return number_text(value)
    return repr(str(value))


def no_rows_hint(table: Table, filters: Filters, substitute: Substitute = _same) -> str:
    """Why nothing matched: the filters, and the closest value of a filter that fails."""
    if table.rows.empty:
        return f"{table.display_path} has no data rows"
    if not filters:
        return ""
    parts = [f"where {describe_filters(filters, substitute)}"]
    for column, value in filters:
        if _mask(table, [(column, value)], substitute).any():
            continue
        parts.append(_closest(table, column, value, substitute))
    if len(parts) == 1:
        parts.append("each filter matches some rows, but no row matches them all")
    return "; ".join(part for part in parts if part)


def _closest(table: Table, column: str, value: FilterValue, substitute: Substitute) -> str:
    cells, kind = table.array(column), table.types[column]
    if kind in NUMERIC and not np.isnan(cells.astype(float)).all():
        low, high = number_text(float(np.nanmin(cells))), number_text(float(np.nanmax(cells)))
        return f"'{column}' runs from {low} to {high}"
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


# --- computing figures ------------------------------------------------------------


def compute_figure(
    name: str,
    spec: FigureSpec,
    table: Table,
    locale: NumberLocale,
    substitute: Substitute = _same,
) -> FigureValue:
    """Compute and format one figure; raises :class:`DataError` with a reason."""
    if spec.column is not None:
        _check_column(table, spec.column, spec.aggregate)
    job = _Job(name, spec, table, substitute)
    if spec.aggregate == "change":
        value, provenance = job.change()
    elif spec.aggregate == "share":
        value, provenance = job.share()
    else:
        value, provenance = job.simple()
    if not math.isfinite(value):
        raise DataError(f"figure '{name}' is not a number ({value})")
    return FigureValue(name, value, format_number(value, spec.format, locale), provenance)


def _check_column(table: Table, column: str, aggregate: str) -> None:
    if column not in table.types:
        raise table.unknown_column(column)
    kind = table.types[column]
    if aggregate != "count" and kind not in NUMERIC:
        holds = "dates" if kind == "date" else "text"
        raise DataError(
            f"column '{column}' in {table.display_path} holds {holds}, not numbers",
            hint=f"aggregate '{aggregate}' needs a number column",
        )


@dataclass(frozen=True)
class _Job:
    """One figure being computed: the spec, its table and the substitution to apply."""

    name: str
    spec: FigureSpec
    table: Table
    substitute: Substitute

    def simple(self) -> tuple[float, Provenance]:
        rows = self.select(self.where)
        aggregate = self.spec.aggregate
        if aggregate == "count":
            value = float(len(rows))
        elif aggregate == "value":
            value = float(self.values(self.one(rows))[0])
        else:
            # An overflow becomes inf, which compute_figure reports as a DataError.
            with np.errstate(all="ignore"):
                value = float(getattr(np, aggregate)(self.values(rows)))
        return value, self.provenance(rows)

    def share(self) -> tuple[float, Provenance]:
        rows = self.select(self.where)
        # The total is taken over `of` alone: `where` picks the part, not the whole.
        total_rows = self.select(list(self.spec.of.items()), " for 'of'")
        part, total = float(self.values(rows).sum()), float(self.values(total_rows).sum())
        if total == 0:
            raise DataError(
                f"figure '{self.name}': the total to take a share of is 0",
                hint=f"'of' selects {len(total_rows)} rows whose '{self.spec.column}' adds up to 0",
            )
        of_rows = self.lines(total_rows)
        return part / total, self.provenance(rows, of=self.plain(self.spec.of), of_rows=of_rows)

    def change(self) -> tuple[float, Provenance]:
        start_where, end_where = self.spec.from_ or {}, self.spec.to or {}
        start = self.one_for(self.where + list(start_where.items()), " for 'from'")
        end = self.one_for(self.where + list(end_where.items()), " for 'to'")
        before, after = float(self.values(start)[0]), float(self.values(end)[0])
        value = after - before
        if self.spec.relative:
            if before == 0:
                raise DataError(
                    f"figure '{self.name}': a relative change from 0 is undefined",
                    location=Location(file=self.table.path, line=self.lines(start)[0]),
                    hint="set 'relative: false' to print the difference",
                )
            value /= before
        rows = start.concat(end)
        return value, self.provenance(rows, from_=self.plain(start_where), to=self.plain(end_where))

    @property
    def where(self) -> list[tuple[str, FilterValue]]:
        return list(self.spec.where.items())

    def select(self, filters: Filters, role: str = "") -> Rows:
        rows = self.table.rows.where(_mask(self.table, filters, self.substitute))
        if rows.empty:
            raise DataError(
                f"figure '{self.name}' selects no rows{role}",
                hint=no_rows_hint(self.table, filters, self.substitute),
            )
        return rows

    def one_for(self, filters: Filters, role: str) -> Rows:
        return self.one(self.select(filters, role), role)

    def one(self, rows: Rows, role: str = "") -> Rows:
        if len(rows) == 1:
            return rows
        lines = self.lines(rows)
        shown = ", ".join(map(str, lines[:5])) + (", …" if len(lines) > 5 else "")
        raise DataError(
            f"figure '{self.name}' selects {len(rows)} rows{role} (lines {shown}), "
            f"but aggregate '{self.spec.aggregate}' needs exactly one",
            hint=self.narrow_hint(rows),
        )

    def narrow_hint(self, rows: Rows) -> str:
        """Point at a column whose values tell the matching rows apart."""
        for column in rows.names:
            if column == self.spec.column:
                continue
            distinct = list(dict.fromkeys(v for v in rows[column] if not is_missing(v)))
            if len(distinct) > 1:
                shown = ", ".join(_show(_scalar(v)) for v in distinct[:5])
                return f"add a filter on '{column}' to `where` (values here: {shown})"
        return "make `where` match exactly one row"

    def values(self, rows: Rows) -> np.ndarray:
        """The figure's column in ``rows``; an empty cell is an error, never skipped."""
        assert self.spec.column is not None
        values = rows[self.spec.column]
        missing = np.isnan(values.astype(float))
        if missing.any():
            line = rows.lines()[int(missing.argmax())]
            raise DataError(
                f"column '{self.spec.column}' is empty",
                location=Location(file=self.table.path, line=line),
                hint=f"figure '{self.name}' uses this row; fill in the value or filter the row "
                "out with `where`",
            )
        return values

    def lines(self, rows: Rows) -> tuple[int, ...]:
        return rows.lines()

    def plain(self, where: Where) -> dict[str, object]:
        return plain_where(where, self.substitute)

    def provenance(self, rows: Rows, **extra: Any) -> Provenance:
        return Provenance(
            source=self.table.display_path,
            where=self.plain(self.spec.where),
            column=self.spec.column,
            aggregate=self.spec.aggregate,
            rows=self.lines(rows),
            **extra,
        )


def _scalar(value: Any) -> object:
    """A numpy scalar as a plain Python value, for messages."""
    return value.item() if hasattr(value, "item") else value
