"""From rows to what a chart shows: one value per category and series. Rows that share
a category (and series) are never added up or picked silently: the spec names an
`aggregate` (reduced by :func:`factsheet.data.aggregate.reduce`, the one place rows are
reduced), or the build stops naming the rows. An empty cell is an error naming its line
unless the chart's `missing` says to skip its row or count it as 0. A category no row
gives a series is a gap (NaN).
Pure functions of NumPy rows; errors carry bare messages and the block adds where."""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable

import numpy as np

from factsheet.charts import countries
from factsheet.charts.geometry import at
from factsheet.charts.plot import ChartData, category
from factsheet.data.aggregate import MissingCell, reduce
from factsheet.data.formats import number_text
from factsheet.data.rows import Rows, empty_mask
from factsheet.errors import DataError
from factsheet.spec.model import Chart

Cite = Callable[[Rows], str]
"""Says where some rows are in the data: ``lines 2, 3`` (a derived source's rows name
the file lines they came from; see :meth:`factsheet.data.sources.Table.rows_text`)."""


def _lines(rows: Rows) -> str:
    lines = rows.lines()
    shown = ", ".join(map(str, lines[:5])) + (", …" if len(lines) > 5 else "")
    return f"line {shown}" if len(lines) == 1 else f"lines {shown}"


AGGREGATES = "mean, sum, median, min, max, count or first"


def chart_data(
    block: Chart, rows: Rows, source: str = "the data", cite: Cite = _lines
) -> ChartData:
    """Categories × series from the selected rows, reduced, sorted and cut as the spec
    asks. `source` names the data in messages and `cite` says where rows are in it."""
    shown = _with_gaps(block, rows)
    rows = without_missing(block, rows, source, cite)
    shown = shown if shown is not None else rows
    _not_too_large(block, rows, source, cite)
    xs = [category(x) for x in rows[block.x]]
    ss = [category(s) for s in rows[block.series]] if block.series else [""] * len(xs)
    groups: dict[tuple[str, str], list[int]] = {}
    for position, key in enumerate(zip(ss, xs, strict=True)):
        groups.setdefault(key, []).append(position)
    if block.type == "map":  # even with an aggregate: it cannot make one of two countries
        _no_shared_codes(block, rows, groups, source, cite)
    if block.aggregate is None:
        _no_shared_rows(block, rows, groups, source, cite)
    cells = {key: _reduce(block, rows, p, source, cite) for key, p in groups.items()}
    every = [category(x) for x in shown[block.x]]  # with a line's gaps
    categories, names = list(dict.fromkeys(every)), list(dict.fromkeys(ss))
    if block.type in TRENDS and rows[block.x].dtype.kind in "fiuM":
        categories = _in_x_order(block, shown[block.x], every, categories)
    elif block.sort in ("ascending", "descending"):
        _no_missing_in_sort(block, cells, names, categories)
        totals = {c: sum(cells.get((s, c), 0.0) for s in names) for c in categories}
        categories.sort(key=totals.__getitem__, reverse=block.sort == "descending")
        if block.top is not None:
            categories = _top(block, categories, totals)
    if block.top is not None and block.sort not in ("ascending", "descending"):
        categories = categories[: block.top]
    values = tuple(tuple(cells.get((s, c), math.nan) for c in categories) for s in names)
    even = _evenly_spaced(shown[block.x], every, categories)
    return ChartData(tuple(categories), tuple(names), values, even)


TRENDS = ("line", "area", "sparkline")


def _with_gaps(block: Chart, rows: Rows) -> Rows | None:
    """A line's or an area's rows whose value `missing: skip` leaves out but whose `x`
    is there: the chart keeps their places on the x axis, as gaps (a line joining 2000
    to 2020 over an empty 2010 would draw a value nobody measured). None: no gaps."""
    if block.type not in ("line", "area") or block.missing != "skip":
        return None
    values, keys = missing_cells(block, rows)
    return rows.where(~keys) if (values & ~keys).any() else None


def _in_x_order(block: Chart, cells: np.ndarray, xs: list[str], categories: list[str]) -> list[str]:
    """A trend's numbers or dates (years) in their own order, whatever the file's: a
    line drawn in file order (2019, 2000, 2010) goes back in time. Sorting such a line
    by its values would too, so `sort: ascending` or `descending` is refused."""
    if block.sort in ("ascending", "descending"):
        raise at(
            DataError(
                f"a {block.type} chart runs along its x axis in {block.x} order, and `sort: "
                f"{block.sort}` would order the {block.x} values by the chart's values instead",
                hint="remove `sort` (the x axis is always in order), or use `type: bar` or "
                "`hbar` to rank the categories by value",
            ),
            "sort",
        )
    if cells.dtype.kind == "M":
        cells = cells.astype("datetime64[ns]").astype(np.int64)
    where = dict(zip(xs, cells.astype(float).tolist(), strict=True))
    return sorted(categories, key=where.__getitem__)


def _no_missing_in_sort(
    block: Chart, cells: dict[tuple[str, str], float], names: list[str], categories: list[str]
) -> None:
    """Grouped bars are ranked by the sum of their series: a category one series has no
    row for would be ranked as if that series were 0. (A stack's height is the sum of
    what it shows, so stacks need no such check.)"""
    if len(names) < 2 or block.stacked:
        return
    for c in categories:
        absent = [s for s in names if (s, c) not in cells]
        if absent:
            raise at(
                DataError(
                    f"`sort: {block.sort}` ranks each {block.x} by the sum of its "
                    f"{block.series} values, and {block.x} '{c}' has no row for "
                    f"{block.series} '{absent[0]}': it would be ranked as if that were 0",
                    hint="add the missing row, keep the data's order with `sort: data`, or "
                    "stack the bars (`stacked: true`), whose height is what they add up to",
                ),
                "sort",
            )


def _top(block: Chart, ranked: list[str], totals: dict[str, float]) -> list[str]:
    """The first `top` of the ranked categories, as `ties` says when the cut falls
    between equal values: an error naming them, every tied category kept (`include`),
    or those first in the data (`first`)."""
    top = block.top or len(ranked)
    if len(ranked) <= top or totals[ranked[top - 1]] != totals[ranked[top]]:
        return ranked[:top]
    value = totals[ranked[top - 1]]
    tied = [c for c in ranked if totals[c] == value]
    if block.ties == "include":
        return ranked[: ranked.index(tied[-1]) + 1]
    if block.ties == "first":
        return ranked[:top]
    inside = sum(1 for c in tied if ranked.index(c) < top)
    shown = ", ".join(f"'{c}'" for c in tied[:6]) + (", …" if len(tied) > 6 else "")
    raise at(
        DataError(
            f"`top: {top}` cuts through a tie: {len(tied)} categories have the value "
            f"{number_text(value)} ({shown}), and the top {top} has room for {inside} of them",
            hint="set `ties: include` to show every tied category (more than "
            f"{top} then), or `ties: first` to keep the ones that come first in the data",
        ),
        "top",
    )


_HEADROOM = 64.0  # axes pad past the data and stacks add up: room before infinity


def _not_too_large(block: Chart, rows: Rows, source: str, cite: Cite) -> None:
    """An error for a value too large to chart (`1e308`, `inf`): before anything adds,
    spans or scales the values, where 1e308 + 1e308 would be infinity and every length
    drawn from it nonsense. Values are fine while all of them added up, with room to
    spare, stay a finite number."""
    for column in (block.y, block.weight):
        cells = rows[column] if column is not None else None
        if cells is None or cells.dtype.kind not in "fiu":
            continue
        sizes = np.abs(cells.astype(float))
        with np.errstate(over="ignore", invalid="ignore"):
            total = float(np.nansum(sizes)) * _HEADROOM
        if math.isfinite(total):
            continue
        worst = int(np.nanargmax(sizes))
        raise DataError(
            f"the chart's '{column}' value {number_text(float(cells[worst]))} at "
            f"{cite(rows.take([worst]))} of {source} is too large to chart: its sums and "
            "ranges are not finite numbers",
            hint="check the value (a unit or a typing slip?), or leave the row out with `where`",
        )


def missing_cells(block: Chart, rows: Rows) -> tuple[np.ndarray, np.ndarray]:
    """Which rows have an empty cell in a column the chart reads: in `y` (the value),
    and in `x`, `series` or `weight` (which no choice can fill in)."""
    keys = np.zeros(len(rows), dtype=bool)
    for column in (block.x, block.series, block.weight):
        if column is not None:
            keys |= empty_mask(rows[column])
    return empty_mask(rows[block.y]), keys


def without_missing(
    block: Chart, rows: Rows, source: str = "the data", cite: Cite = _lines
) -> Rows:
    """The rows as the chart's `missing` choice says: unchanged when no cell is empty;
    else an error naming the first empty cell's line (`error`, and `zero` for a cell
    outside `y`), the rows left out (`skip`: an error when none is left, so a chart is
    never drawn without marks), or empty `y` cells read as 0 (`zero`)."""
    values, keys = missing_cells(block, rows)
    if not (values.any() or keys.any()):
        return rows
    if block.missing == "skip" and block.type == "donut":
        first = int((values | keys).argmax())
        raise at(
            DataError(
                f"a donut shows the parts of a whole, and `missing: skip` would leave out "
                f"the part at {cite(rows.take([first]))} of {source}, whose cell is empty: "
                "the other parts would fill the ring",
                hint="fill the cell in, set `missing: zero` if an empty cell means 0, or "
                "leave the row out with `where` (and say so in the chart's note)",
            ),
            "missing",
        )
    if block.missing == "skip":
        kept = rows.where(~(values | keys))
        if kept.empty:
            raise DataError(
                f"every row the chart selects from {source} has an empty cell "
                f"({cite(rows)}), so `missing: skip` leaves nothing to draw",
                hint="fill the cells in, or check the chart's `where` and columns",
            )
        return kept
    if block.missing == "zero" and not keys.any():
        filled = np.where(values, 0.0, rows[block.y].astype(float))
        return Rows.of({**rows.columns, block.y: filled}, rows.index)
    raise _empty_error(
        block, rows, keys if block.missing == "zero" else values | keys, source, cite
    )


def _empty_error(block: Chart, rows: Rows, empty: np.ndarray, source: str, cite: Cite) -> DataError:
    columns = [c for c in (block.x, block.y, block.series, block.weight) if c is not None]
    first = int(empty.argmax())
    column = next(c for c in columns if empty_mask(rows[c][first : first + 1])[0])
    others = int(empty.sum()) - 1
    more = f" (and {others} more rows with empty cells)" if others else ""
    if block.missing == "zero":
        hint = (
            f"`missing: zero` fills in only the value column '{block.y}': fill the "
            f"'{column}' cell in, leave the row out with `where`, or set `missing: skip`"
        )
    else:
        zero = (
            f", or `missing: zero` to count an empty '{block.y}' as 0" if column == block.y else ""
        )
        hint = (
            "fill it in, leave the row out with `where`, set `missing: skip` to chart "
            f"without such rows{zero}"
        )
    return DataError(
        f"the chart's row at {cite(rows.take([first]))} of {source} has an empty "
        f"'{column}' cell{more}",
        hint=hint,
    )


def _no_shared_rows(
    block: Chart,
    rows: Rows,
    groups: dict[tuple[str, str], list[int]],
    source: str,
    cite: Cite,
) -> None:
    shared = [(key, p) for key, p in groups.items() if len(p) > 1]
    if not shared:
        return
    (name, x), positions = shared[0]
    of_series = f" and {block.series} '{name}'" if block.series else ""
    others = len(shared) - 1
    more = ""
    if others:
        more = f"; {others} other {block.x} value{'s repeat' if others > 1 else ' repeats'} too"
    who = f"chart '{block.id}'" if block.id else "the chart"
    raise DataError(
        f"{who} has {len(positions)} rows for {block.x} '{x}'{of_series} in {source} "
        f"({cite(rows.take(positions))}){more}, and a chart never adds rows up or picks one "
        "by itself",
        hint=_differing(block, rows, positions),
    )


def _no_shared_codes(
    block: Chart,
    rows: Rows,
    groups: dict[tuple[str, str], list[int]],
    source: str,
    cite: Cite,
) -> None:
    """A map's rows that share a country code but that another column names as
    different countries ("Korea, Dem. Rep." and "Korea, Rep." both coded KOR): the code
    column is wrong for them, and no aggregate can make one country of two."""
    texts = [c for c in rows.names if c not in (block.x, block.y) and rows[c].dtype.kind == "O"]
    for (_, code), positions in groups.items():
        if len(positions) < 2:
            continue
        for column in texts:
            names = list(dict.fromkeys(category(rows[column][p]) for p in positions))
            if len(names) < 2:  # one name cannot be two countries
                continue
            found = {c for c in countries.resolve(names).codes if c is not None}
            if len(found) < 2:
                continue
            by_name: dict[str, list[int]] = {}
            for p in positions:
                by_name.setdefault(category(rows[column][p]), []).append(p)
            listed = " and ".join(f"'{n}' ({cite(rows.take(at))})" for n, at in by_name.items())
            raise DataError(
                f"{len(names)} different countries share the map code '{code}' in column "
                f"'{block.x}' of {source}: column '{column}' names them {listed}",
                hint=f"the code column is wrong for them: map the names instead with "
                f"`x: {column}` (a map reads country names), or leave the wrong rows out "
                "with `where`; do not combine them, a mean of two countries is neither",
            )


def _differing(block: Chart, rows: Rows, positions: list[int]) -> str:
    """What to do about rows that share a category: the column that tells them apart."""
    combine = (
        "combine them with `aggregate: mean` and a `weight:` column (a mean of countries "
        "without one counts a small country as much as a large one), or with "
        f"`aggregate:` {AGGREGATES.removeprefix('mean, ')}"
    )
    used = {block.x, block.y, block.series}
    for column in rows.names:
        if column in used:
            continue
        cells = list(dict.fromkeys(category(rows[column][p]) for p in positions))
        if len(cells) > 1:
            shown = ", ".join(cells[:3]) + (", …" if len(cells) > 3 else "")
            return (
                f"they differ in '{column}' ({shown}): show each apart with "
                f"`series: {column}`, keep one with `where`, or {combine}"
            )
    return f"keep one with `where`, or {combine}"


def _reduce(block: Chart, rows: Rows, positions: list[int], source: str, cite: Cite) -> float:
    values = rows[block.y][positions]
    if block.aggregate is None:
        return float(values[0])
    weights = rows[block.weight][positions] if block.weight else None
    try:
        value = reduce(block.aggregate, values, weights=weights)
    except MissingCell as missing:  # the empty check above makes this rare
        where = cite(rows.take([positions[missing.position]]))
        raise DataError(f"{missing.message} at {where} of {source}", hint=missing.hint) from None
    return float(value)  # type: ignore[arg-type]


def _evenly_spaced(cells: np.ndarray, xs: list[str], categories: list[str]) -> bool:
    """The categories are numbers or dates, ascending at one step (years, say)."""
    if cells.dtype.kind not in "fiM" or len(categories) < 3:
        return False
    if cells.dtype.kind == "M":
        cells = cells.astype("datetime64[D]").astype(np.int64)
    raw = dict(zip(xs, cells.astype(float).tolist(), strict=True))
    numbers = [float(raw[c]) for c in categories]
    steps = [b - a for a, b in itertools.pairwise(numbers)]
    return steps[0] > 0 and all(math.isclose(s, steps[0], rel_tol=1e-9) for s in steps)
