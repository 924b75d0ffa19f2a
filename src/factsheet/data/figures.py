"""Figures: a spec's named values computed from the rows of a
:class:`~factsheet.data.sources.Table` (picked with ``where`` filters, see
:mod:`~factsheet.data.filters`), each with a record of where it came from
(:class:`Provenance`). A figure is a number reduced by a named aggregate, or the text of
a cell (the label of the row holding the largest value, say). Errors explain an empty
or ambiguous selection in the reader's terms: the filters used, the closest existing
value, the columns that tell matching rows apart, the file lines of the rows."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

from factsheet.data import exact
from factsheet.data.aggregate import reduce, reduce_exact
from factsheet.data.aggregate_names import named_total
from factsheet.data.figure_units import figure_unit, looks_like_percent, printed, relative
from factsheet.data.figure_value import FigureValue, Provenance
from factsheet.data.filters import (
    NUMERIC,
    Filters,
    Substitute,
    describe_filters,
    keep_filled,
    mask,
    no_rows_hint,
    plain_where,
    same,
    select_rows,
    show,
)
from factsheet.data.formats import NumberLocale, number_text
from factsheet.data.rows import Rows, is_missing
from factsheet.data.sources import Table
from factsheet.errors import DataError
from factsheet.location import Location
from factsheet.spec.model import FigureSpec, FilterValue, Where

__all__ = [
    "FigureValue",
    "Provenance",
    "compute_figure",
    "describe_filters",
    "no_rows_hint",
    "plain_where",
    "select_rows",
]

ANY_TYPE = frozenset({"count", "count_distinct"})


def compute_figure(
    name: str,
    spec: FigureSpec,
    table: Table,
    locale: NumberLocale,
    substitute: Substitute = same,
    units: Mapping[str, str] | None = None,
) -> FigureValue:
    """Compute and format one figure of rows; raises :class:`DataError` with a reason.
    `units` are the source's declared column units (`percent`)."""
    units = units or {}
    _check_columns(name, spec, table)
    if spec.column is not None:
        _check_numbers(table, spec.column, spec.aggregate)
    if spec.weight is not None:
        _check_numbers(table, spec.weight, "mean", "the weight")
    job = _Job(name, spec, table, substitute)
    if spec.label is not None:
        return job.labelled()
    if spec.aggregate == "change":
        worked, rows, extra = job.change()
    elif spec.aggregate == "share":
        worked, rows, extra = job.share()
    else:
        worked, rows = job.simple()
        extra = {}
    value = exact.as_float(worked)
    if not worked.is_finite() or not math.isfinite(value):
        raise DataError(f"figure '{name}' is not a number ({value})")
    unit = figure_unit(spec, units)
    text = printed(worked, spec.format, locale, unit)
    warnings = () if unit else looks_like_percent(name, spec, table)
    return FigureValue(
        name, value, text, job.provenance(rows, **extra), exact=worked, unit=unit,
        warnings=warnings,
    )  # fmt: skip


def _check_columns(name: str, spec: FigureSpec, table: Table) -> None:
    """Every column the figure names exists; an unknown one is located at the field
    that names it (`column:`, `weight:`, a filter's key), not at the figure."""
    named: list[tuple[tuple[str, ...], str | None]] = [
        (("column",), spec.column),
        (("weight",), spec.weight),
        (("label",), spec.label),
    ]
    filters = (("where", spec.where), ("of", spec.of), ("from", spec.from_), ("to", spec.to))
    for field_name, where in filters:
        named += [((field_name, column), column) for column in where or {}]
    for path, column in named:
        if column is not None and column not in table.types:
            at = Location(key_path=("figures", name, *path))
            raise table.unknown_column(column).located(at)


def _check_numbers(table: Table, column: str, aggregate: str, role: str = "") -> None:
    if aggregate not in ANY_TYPE and table.types[column] not in NUMERIC:
        error = table.not_numbers(column, f"{role} column" if role else "column")
        error.hint = error.hint or f"aggregate '{aggregate}' needs a number column"
        raise error


@dataclass(frozen=True)
class _Job:
    """One figure being computed: the spec, its table and the substitution to apply."""

    name: str
    spec: FigureSpec
    table: Table
    substitute: Substitute

    def simple(self) -> tuple[exact.Exact, Rows]:
        rows = self.select(self.where)
        how = self.spec.aggregate
        if how == "count":
            self.counted(rows)
            return exact.Exact(len(rows)), rows
        if how == "count_distinct":
            return exact.exact(reduce(how, self.values(rows))), rows
        if how == "value":
            return exact.exact(self.values(self.one(rows))[0]), rows
        weights = self.values(rows, self.spec.weight) if self.spec.weight else None
        reduced = reduce_exact(how, self.values(rows), weights=weights, q=self.spec.q)  # type: ignore[arg-type]
        return reduced, rows

    @property
    def column(self) -> str:
        assert self.spec.column is not None
        return self.spec.column

    def counted(self, rows: Rows) -> None:
        """`count` with a `column` counts rows whose cell is filled in; an empty one in
        the selection is ambiguous (count it or not?), so the spec must say."""
        if self.spec.column is None:
            return
        empty = self.empty(rows, self.column)
        if empty.any():
            found = rows.where(empty)
            raise DataError(
                f"figure '{self.name}' counts {len(rows)} rows, and {len(found)} of them "
                f"have an empty '{self.column}' ({self.table.rows_text(found)})",
                hint=f"to count only the rows with '{self.column}' filled in, add "
                f"{keep_filled(self.column)}; to count every row, leave out `column`",
            )

    def empty(self, rows: Rows, column: str) -> np.ndarray:
        values = rows[column]
        if self.table.types[column] in NUMERIC:
            missing: np.ndarray = np.isnan(values.astype(float))
            return missing
        return np.array([is_missing(v) or v == "" for v in values], dtype=bool)

    def labelled(self) -> FigureValue:
        """A text figure: the label cell of the one row holding the value."""
        assert self.spec.label is not None and self.spec.column is not None
        rows = self.select(self.where)
        values = self.values(rows).astype(float)
        how = self.spec.aggregate
        if how == "value":
            chosen = self.one(rows)
        else:
            target = values.max() if how == "max" else values.min()
            chosen = rows.where(values == target)
            if len(chosen) > 1 and self.spec.ties == "error":
                raise self.tie(chosen, target)
            chosen = chosen.head(1)
        cell = chosen[self.spec.label][0]
        if is_missing(cell) or cell == "":
            raise DataError(
                f"figure '{self.name}': the label column '{self.spec.label}' is empty in the "
                "row it picks",
                location=self.table.locate(chosen.index[0]),
                hint="fill in the cell, or leave rows without a label out with "
                + keep_filled(self.spec.label),
            )
        value = float(chosen[self.spec.column][0])
        return FigureValue(self.name, value, _cell_text(cell), self.provenance(chosen), True)

    def tie(self, rows: Rows, target: float) -> DataError:
        label = self.spec.label
        assert label is not None
        labels = ", ".join(show(v) for v in rows[label][:5]) + (", …" if len(rows) > 5 else "")
        word = "largest" if self.spec.aggregate == "max" else "smallest"
        return DataError(
            f"figure '{self.name}': {len(rows)} rows hold the {word} '{self.spec.column}' "
            f"({number_text(target)}): {labels} ({self.table.rows_text(rows)})",
            hint="narrow `where` to one of them, or set `ties: first` to take the first in "
            "source order",
        )

    def share(self) -> tuple[exact.Exact, Rows, dict[str, Any]]:
        rows = self.select(self.where)
        # The total is taken over `of` alone: `where` picks the part, not the whole.
        total_rows = self.whole(self.select(list(self.spec.of.items()), " for 'of'"))
        outside = ~np.isin(rows.index, total_rows.index)
        if outside.any():
            raise self.not_a_part(rows, total_rows, rows.where(outside))
        for chosen, role in ((rows, "`where`"), (total_rows, "`of`")):
            negative = self.values(chosen).astype(float) < 0
            if negative.any():
                raise self.negative_part(chosen.where(negative), role, rows, total_rows)
        part, total = exact.total(self.values(rows)), exact.total(self.values(total_rows))
        if total == 0:
            raise DataError(
                f"figure '{self.name}': the total to take a share of is 0",
                hint=f"'of' selects {len(total_rows)} rows whose '{self.spec.column}' adds up to 0",
            )
        extra = {"of": self.plain(self.spec.of), "total": total_rows}
        return exact.divide(part, total), rows, extra

    def whole(self, rows: Rows) -> Rows:
        """The rows of a share's whole, less those `aggregate_rows` marks; a row that
        reads as a total of the others is an error unless the spec says."""
        marked = self.spec.aggregate_rows
        if marked is None:
            found = named_total(rows, self.table.types)
            if found is not None:
                raise self.twice(rows, *found)
            return rows
        if not marked:  # `{}`: no row of the whole is a total
            return rows
        totals = mask(self.table, list(marked.items()), self.substitute)[rows.index]
        return rows.where(~totals)

    def twice(self, rows: Rows, column: str, cell: str, position: int) -> DataError:
        return DataError(
            f"figure '{self.name}': the whole `of` selects holds the row '{cell}' "
            f"({self.table.rows_text(rows.take([position]))}), which reads as a total of the "
            f"other {len(rows) - 1} rows: they would be counted twice",
            hint=f"leave it out of `of` (`{column}: {{not: {cell}}}`), take the share of it "
            f"alone (`of: {{{column}: {cell}}}`), or write `aggregate_rows: {{}}` if it is a "
            "row like the others",
        )

    def selections(self, rows: Rows, total_rows: Rows) -> str:
        sub = self.substitute
        where = describe_filters(self.where, sub)
        of = describe_filters(list(self.spec.of.items()), sub)
        return (
            f"`where` ({where or 'every row'}) selects {self.table.rows_text(rows)}; `of` "
            f"({of or 'every row'}) selects {self.table.rows_text(total_rows)}"
        )

    def not_a_part(self, rows: Rows, total_rows: Rows, outside: Rows) -> DataError:
        return DataError(
            f"figure '{self.name}': a share is a part of its whole, but {len(outside)} of the "
            f"rows `where` selects are not among the rows `of` selects "
            f"({self.table.rows_text(outside)}): {self.selections(rows, total_rows)}",
            hint="make `of` select every row of the part and the rest of the whole (`of` "
            "filters the same rows as `where`, with fewer conditions)",
        )

    def negative_part(self, negative: Rows, role: str, rows: Rows, total_rows: Rows) -> DataError:
        return DataError(
            f"figure '{self.name}': a share needs parts of 0 or more, but '{self.column}' is "
            f"negative in {len(negative)} of the rows {role} selects "
            f"({self.table.rows_text(negative)}): {self.selections(rows, total_rows)}",
            hint="a share of a total with negative parts can exceed 100% or fall below 0%: "
            "leave such rows out of `where` and `of`, or use `ratio` of two `sum` figures if "
            "that is what you mean",
        )

    def change(self) -> tuple[exact.Exact, Rows, dict[str, Any]]:
        start_where, end_where = self.spec.from_ or {}, self.spec.to or {}
        start = self.one_for(self.where + list(start_where.items()), " for 'from'")
        end = self.one_for(self.where + list(end_where.items()), " for 'to'")
        before, after = exact.exact(self.values(start)[0]), exact.exact(self.values(end)[0])
        value = exact.CONTEXT.subtract(after, before)
        if self.spec.relative:
            if before == 0:
                raise DataError(
                    f"figure '{self.name}': a relative change from 0 is undefined",
                    location=self.table.locate(start.index[0]),
                    hint="set 'relative: false' to print the difference",
                )
            value = relative(after, before)
        extra = {"from_": self.plain(start_where), "to": self.plain(end_where)}
        return value, start.concat(end), extra

    @property
    def where(self) -> list[tuple[str, FilterValue]]:
        return list(self.spec.where.items())

    def select(self, filters: Filters, role: str = "") -> Rows:
        rows = self.table.rows.where(mask(self.table, filters, self.substitute))
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
        raise DataError(
            f"figure '{self.name}' selects {len(rows)} rows{role} ({self.table.rows_text(rows)}), "
            f"but aggregate '{self.spec.aggregate}' needs exactly one",
            hint=self.narrow_hint(rows) + self.combine_hint(),
        )

    def combine_hint(self) -> str:
        """How to use every row instead of one: an aggregate, or figures of figures."""
        if self.spec.aggregate == "change":
            return (
                "; `change` compares one row (`from`) with one row (`to`): to compare "
                "totals of several rows, make a figure for each (`aggregate: sum`, with "
                "`where` for each year) and a third with `change: [earlier, later]` or "
                "`difference: [later, earlier]`"
            )
        if self.spec.label is not None:
            return "; or pick the row with `aggregate: max` or `aggregate: min`"
        return (
            "; or combine the rows: `aggregate: sum`, or `mean` (with `weight: <column>` "
            "for a weighted mean, such as a population column), `median`, `min` or `max`"
        )

    def narrow_hint(self, rows: Rows) -> str:
        """Point at a column whose values tell the matching rows apart."""
        for column in rows.names:
            if column == self.spec.column:
                continue
            distinct = list(dict.fromkeys(v for v in rows[column] if not is_missing(v)))
            if len(distinct) > 1:
                shown = ", ".join(show(v) for v in distinct[:5])
                return f"add a filter on '{column}' to `where` (values here: {shown})"
        return "make `where` match exactly one row"

    def values(self, rows: Rows, column: str | None = None) -> np.ndarray:
        """A column of ``rows`` (default: the figure's); an empty cell is an error,
        never skipped."""
        column = column or self.spec.column
        assert column is not None
        values = rows[column]
        missing = self.empty(rows, column)
        if missing.any():
            position = int(missing.argmax())
            raise DataError(
                f"column '{column}' is empty",
                location=self.table.locate(rows.index[position]),
                hint=f"figure '{self.name}' uses this row"
                + (
                    f" ({self.table.rows_text(rows.take([position]))})"
                    if self.table.is_derived
                    else ""
                )
                + f"; fill in the value, or leave such rows out with {keep_filled(column)}",
            )
        return values

    def plain(self, where: Where) -> dict[str, object]:
        return plain_where(where, self.substitute)

    def provenance(self, rows: Rows, total: Rows | None = None, **extra: Any) -> Provenance:
        spec = self.spec
        common: dict[str, Any] = {
            "source": self.table.source_label,
            "where": self.plain(spec.where),
            "column": spec.column,
            "aggregate": spec.aggregate,
            "weight": spec.weight,
            "q": spec.q,
            "label": spec.label,
        }
        if self.table.is_derived:
            used = rows if total is None else rows.concat(total)
            found = self.table.origins(used)
            common["derived_from"] = {t.display_path: lines for t, lines in found.items()}
        else:
            common["rows"] = rows.lines()
            if total is not None:
                common["of_rows"] = total.lines()
        return Provenance(**common, **extra)


def _cell_text(cell: Any) -> str:
    """A cell as text in a sentence: `China`, `2007`, `2020-01-31`."""
    if isinstance(cell, np.datetime64):
        return str(cell.astype("datetime64[D]"))
    if isinstance(cell, float | np.floating):
        return number_text(float(cell))
    return str(cell)
