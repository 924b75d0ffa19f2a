"""The steps of a derived source, each a pure function from a :class:`Frame` (typed
columns with their lineage) to a new one: unpivot, filter, lookup join, arithmetic
columns, group with aggregates, rank, sort and top-N (the unpivot is in
:mod:`~factsheet.data.reshape`, the lookup join in :mod:`~factsheet.data.lookups`).
Nothing is dropped, summed or broken silently: an unmatched key, a duplicate lookup
key, an empty cell in an aggregated column, a division by zero or a tie at a top-N cut
is an error naming the file lines, unless the spec chose another behaviour by name.
Errors carry a key path in the spec (``data.<name>.<step>``) or the file line of the
cell at fault."""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from functools import partial
from typing import Any

import numpy as np

from factsheet.data.aggregate import reduce
from factsheet.data.filters import NUMERIC, Substitute, keep_filled, mask, show
from factsheet.data.formats import number_text
from factsheet.data.lineage import Lineage, abbreviate
from factsheet.data.rows import is_missing
from factsheet.data.sources import NUMBER, Table, unknown_column_error
from factsheet.errors import DataError, ErrorGroup, FactsheetError
from factsheet.location import KeyPath, Location
from factsheet.spec.data import Arithmetic, ColumnType, Rank, Summary, Top

COUNTS = frozenset({"count", "count_distinct"})
KEEPS_TYPE = frozenset({"first", "min", "max"})


@dataclass(frozen=True)
class Frame:
    """Rows between two steps: columns in order, their types, and their lineage."""

    name: str  # the derived source's name, for messages and key paths
    columns: Mapping[str, np.ndarray]
    types: Mapping[str, ColumnType]
    lineage: Lineage

    @classmethod
    def of(cls, name: str, table: Table) -> Frame:
        lineage = table.lineage or Lineage.of_file(table)
        return cls(name, dict(table.rows.columns), dict(table.types), lineage)

    def __len__(self) -> int:
        return len(self.lineage)

    @property
    def row_count(self) -> int:
        return len(self.lineage)

    def array(self, column: str) -> np.ndarray:
        return self.columns[column]

    def unknown_column(self, column: str) -> DataError:
        label = f"derived source '{self.name}' at this step"
        return unknown_column_error(column, label, list(self.columns))

    def take(self, positions: Sequence[int] | np.ndarray) -> Frame:
        picked = np.asarray(positions, dtype=np.int64)
        columns = {n: values[picked] for n, values in self.columns.items()}
        return replace(self, columns=columns, lineage=self.lineage.take(picked))

    def at(self, *path: str | int) -> Location:
        return Location(key_path=("data", self.name, *path))

    def need(self, column: str, path: KeyPath, numbers: bool = False) -> None:
        """Raise a located error unless `column` exists here (and holds numbers)."""
        if column not in self.types:
            raise self.unknown_column(column).located(self.at(*path))
        if numbers and self.types[column] not in NUMERIC:
            raise DataError(
                f"column '{column}' holds {self.types[column]}, not numbers"
                f"{self._first_not_number(column)}",
                self.at(*path),
            )

    def _first_not_number(self, column: str) -> str:
        """` (data/m.csv line 3: 'x')`: the first cell that made a column text."""
        for position, cell in enumerate(self.columns[column]):
            if not is_missing(cell) and str(cell) and not NUMBER.fullmatch(str(cell)):
                return f" ({self.lines_text([position])}: {show(cell)})"
        return ""

    def lines_text(self, positions: Sequence[int]) -> str:
        """``data/m.csv lines 2, 3`` for rows of this frame."""
        parts = []
        for table, lines in self.lineage.lines(positions).items():
            word = "line" if len(lines) == 1 else "lines"
            parts.append(f"{table.display_path} {word} {abbreviate(lines, 3)}")
        return ", ".join(parts)

    def locate(self, position: int, *path: str | int) -> Location:
        """The file line of one row when it comes from a single line, else the spec."""
        found = self.lineage.lines([position])
        if len(found) == 1:
            ((table, lines),) = found.items()
            if len(lines) == 1:
                return Location(file=table.path, line=lines[0])
        return self.at(*path)


def checked(steps: Sequence[Callable[[], None]]) -> None:
    """Run independent checks, raising every problem together."""
    problems: list[FactsheetError] = []
    for step in steps:
        try:
            step()
        except FactsheetError as exc:
            problems.append(exc)
    if problems:
        raise problems[0] if len(problems) == 1 else ErrorGroup(problems)


# --- step 2: where ----------------------------------------------------------------


def where(frame: Frame, filters: Mapping[str, Any], substitute: Substitute) -> Frame:
    for column in filters:
        frame.need(column, ("where", column))
    try:
        keep = mask(frame, list(filters.items()), substitute)
    except FactsheetError as exc:
        raise exc.located(frame.at("where")) from None
    return frame.take(np.flatnonzero(keep))


# --- keys ---------------------------------------------------------------------


def cell_key(value: Any) -> str | None:
    """A cell as a join or group key: text as written, numbers by value, an empty cell
    (of any type) as None."""
    if is_missing(value) or (isinstance(value, str) and value == ""):
        return None
    if isinstance(value, np.datetime64):
        return str(value.astype("datetime64[D]"))
    if isinstance(value, float | np.floating):
        return number_text(float(value))
    return str(value)


# --- step 4: compute --------------------------------------------------------------


def compute(frame: Frame, columns: Mapping[str, Arithmetic]) -> Frame:
    for name, spec in columns.items():
        if name in frame.types:
            raise DataError(
                f"'{name}' is already a column of derived source '{frame.name}'",
                frame.at("compute", name),
                hint="give the computed column another name",
            )
        for i, operand in enumerate(spec.operands):
            frame.need(operand, ("compute", name, spec.operation, i), numbers=True)
        a, b = (frame.columns[o].astype(float) for o in spec.operands)
        with np.errstate(all="ignore"):
            if spec.operation == "ratio":
                zero = np.flatnonzero(b == 0)
                if len(zero):
                    raise DataError(
                        f"column '{name}' divides by '{spec.operands[1]}', which is 0 on "
                        f"{frame.lines_text(zero.tolist())}",
                        frame.locate(int(zero[0]), "compute", name),
                        hint="filter those rows out with `where` first",
                    )
                values = a / b
            elif spec.operation == "product":
                values = a * b
            else:
                values = a - b
        wrong = np.flatnonzero(np.isinf(values))
        if len(wrong):
            raise DataError(
                f"column '{name}' is too large to hold on {frame.lines_text(wrong.tolist())}",
                frame.at("compute", name),
            )
        frame = replace(
            frame,
            columns={**frame.columns, name: values},
            types={**frame.types, name: "number"},
        )
    return frame


# --- step 5: group_by and aggregate -----------------------------------------------


def group(frame: Frame, by: Sequence[str], summaries: Mapping[str, Summary]) -> Frame:
    def check_names() -> None:
        for name in summaries:
            if name in by:
                raise DataError(
                    f"'{name}' is both a `group_by` column and an aggregate",
                    frame.at("aggregate", name),
                )

    checks: list[Callable[[], None]] = [check_names]
    checks += [partial(frame.need, c, ("group_by", i)) for i, c in enumerate(by)]
    checks += [partial(_check_summary, frame, n, s) for n, s in summaries.items()]
    checked(checks)
    groups = _groups(frame, by)
    firsts = [g[0] for g in groups]
    columns = {column: frame.columns[column][firsts] for column in by}
    types: dict[str, ColumnType] = {column: frame.types[column] for column in by}
    problems: list[FactsheetError] = []
    for name, spec in summaries.items():
        try:
            columns[name] = _reduce_all(frame, by, name, spec, groups)
        except FactsheetError as exc:
            problems.append(exc)
            continue
        types[name] = _summary_type(frame, spec)
    if problems:
        raise problems[0] if len(problems) == 1 else ErrorGroup(problems)
    return replace(frame, columns=columns, types=types, lineage=frame.lineage.merge(groups))


def _check_summary(frame: Frame, name: str, spec: Summary) -> None:
    if spec.column is not None:
        frame.need(
            spec.column,
            ("aggregate", name, spec.how),
            numbers=spec.how not in ("first", "count_distinct"),
        )
    if spec.weight is not None:
        frame.need(spec.weight, ("aggregate", name, "weight"), numbers=True)


def _groups(frame: Frame, by: Sequence[str]) -> list[np.ndarray]:
    """Row positions of each group, groups in order of first appearance."""
    if not by:
        return [np.arange(len(frame))] if len(frame) else []
    found: dict[tuple[str | None, ...], list[int]] = {}
    keys = [[cell_key(v) for v in frame.columns[column]] for column in by]
    for position in range(len(frame)):
        key = tuple(k[position] for k in keys)
        if None in key:
            column = by[key.index(None)]
            raise DataError(
                f"derived source '{frame.name}': the grouping column '{column}' is empty",
                frame.locate(position, "group_by"),
                hint=f"fill it in, or leave such rows out with {keep_filled(column)}",
            )
        found.setdefault(key, []).append(position)
    return [np.asarray(g, dtype=np.int64) for g in found.values()]


def _reduce_all(
    frame: Frame, by: Sequence[str], name: str, spec: Summary, groups: Sequence[np.ndarray]
) -> np.ndarray:
    column = spec.column
    blank = _blanks(frame, column, spec.weight)
    results: list[Any] = []
    for positions in groups:
        empty = blank[positions]
        if empty.any() and spec.missing == "error":
            row = int(positions[int(empty.argmax())])
            raise _empty_cell(frame, by, name, spec, row)
        if empty.any():
            positions = positions[~empty]
        if column is not None and not len(positions):
            results.append(_empty(frame.types[column]))  # `missing: skip`, nothing left
            continue
        values = frame.columns[column][positions] if column else positions
        weights = frame.columns[spec.weight][positions] if spec.weight else None
        try:
            results.append(reduce(spec.how, values, weights=weights, q=spec.q))
        except DataError as exc:
            exc.message = f"derived source '{frame.name}', aggregate '{name}': {exc.message}" + (
                _group_text(frame, by, int(positions[0]))
            )
            raise exc.located(frame.at("aggregate", name)) from None
    if column and spec.how in KEEPS_TYPE and frame.types[column] in ("text", "date"):
        return np.array(results, dtype=frame.columns[column].dtype)
    return np.asarray(results, dtype=float)


def _blanks(frame: Frame, column: str | None, weight: str | None) -> np.ndarray:
    """True for each row whose aggregated cell (or weight) is empty: NaN, NaT or ''.
    `count` reads no cell, so it has none."""
    blank = np.zeros(len(frame), dtype=bool)
    for name in (column, weight):
        if name is not None:
            blank |= np.array([cell_key(v) is None for v in frame.columns[name]], dtype=bool)
    return blank


def _empty_cell(frame: Frame, by: Sequence[str], name: str, spec: Summary, row: int) -> DataError:
    column = spec.column
    assert column is not None
    what = column if cell_key(frame.columns[column][row]) is None else spec.weight
    return DataError(
        f"derived source '{frame.name}', aggregate '{name}': column '{what}' is empty"
        f"{_group_text(frame, by, row)}",
        frame.locate(row, "aggregate", name),
        hint=f"fill it in, leave such rows out with {keep_filled(what or column)}, or set "
        "`missing: skip`",
    )


def _empty(kind: ColumnType) -> Any:
    if kind == "date":
        return np.datetime64("NaT")
    return "" if kind == "text" else math.nan


def _group_text(frame: Frame, by: Sequence[str], row: int) -> str:
    if not by:
        return ""
    keys = ", ".join(f"{c} = {show(frame.columns[c][row])}" for c in by)
    return f" (in the group {keys})"


def _summary_type(frame: Frame, spec: Summary) -> ColumnType:
    if spec.how in COUNTS:
        return "integer"
    if spec.column is not None and spec.how in (*KEEPS_TYPE, "sum"):
        return frame.types[spec.column]
    return "number"


# --- step 6: rank -----------------------------------------------------------------


def rank(frame: Frame, spec: Rank) -> Frame:
    checks = [partial(frame.need, spec.by, ("rank", "by"), True)]
    checks += [partial(frame.need, c, ("rank", "within", i)) for i, c in enumerate(spec.within)]
    checked(checks)
    if spec.column in frame.types:
        raise DataError(
            f"'{spec.column}' is already a column of derived source '{frame.name}'",
            frame.at("rank", "column"),
            hint="name the rank column with `column`",
        )
    values = frame.columns[spec.by].astype(float)
    empty = np.flatnonzero(np.isnan(values))
    if len(empty):
        raise DataError(
            f"derived source '{frame.name}': rank by '{spec.by}', which is empty on "
            f"{frame.lines_text(empty.tolist())}",
            frame.locate(int(empty[0]), "rank", "by"),
            hint=f"fill them in, or leave them out with {keep_filled(spec.by)}",
        )
    parts = _groups(frame, spec.within)
    ranks = np.zeros(len(frame), dtype=float)
    part_of = np.zeros(len(frame), dtype=np.int64)
    for p, positions in enumerate(parts):
        part = values[positions]
        ordered = np.sort(part)
        if spec.order == "descending":
            above = len(ordered) - np.searchsorted(ordered, part, side="right")
        else:
            above = np.searchsorted(ordered, part, side="left")
        ranks[positions] = above + 1
        part_of[positions] = p
    # A row's rank depends on every row it was ranked against.
    lineage = frame.lineage.merge(parts).take(part_of)
    return replace(
        frame,
        columns={**frame.columns, spec.column: ranks},
        types={**frame.types, spec.column: "integer"},
        lineage=lineage,
    )


# --- steps 7 and 8: sort and top --------------------------------------------------


def sort(frame: Frame, order: Mapping[str, str]) -> Frame:
    checked([partial(frame.need, c, ("sort", c)) for c in order])
    positions = list(range(len(frame)))
    for column, direction in reversed(list(order.items())):
        cells = frame.columns[column]
        present = [p for p in positions if not _blank(cells[p])]
        absent = [p for p in positions if _blank(cells[p])]
        present.sort(key=lambda p: _sort_key(cells[p]), reverse=direction == "descending")
        positions = present + absent
    return frame.take(positions)


def _blank(cell: Any) -> bool:
    return is_missing(cell) or (isinstance(cell, str) and cell == "")


def _sort_key(cell: Any) -> Any:
    return cell.casefold() if isinstance(cell, str) else cell


def top(frame: Frame, spec: Top, order: Mapping[str, str]) -> Frame:
    if len(frame) <= spec.rows:
        return frame
    cut = spec.rows

    def tied(a: int, b: int) -> bool:
        return all(cell_key(frame.columns[c][a]) == cell_key(frame.columns[c][b]) for c in order)

    if tied(cut - 1, cut):
        if spec.ties == "error":
            values = ", ".join(f"{c} = {show(frame.columns[c][cut])}" for c in order)
            raise DataError(
                f"derived source '{frame.name}': `top: {spec.rows}` would cut between rows "
                f"tied on {values}: row {cut} ({frame.lines_text([cut - 1])}) and row "
                f"{cut + 1} ({frame.lines_text([cut])})",
                frame.at("top"),
                hint="sort by one more column to break the tie, or set `ties: all` (keep "
                "every tied row) or `ties: first` (keep the first in source order)",
            )
        if spec.ties == "all":
            while cut < len(frame) and tied(cut - 1, cut):
                cut += 1
    return frame.take(np.arange(cut))
