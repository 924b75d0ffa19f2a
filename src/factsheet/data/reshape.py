"""The unpivot step of a derived source: a wide table (one column per year, say) made
long, one row per original row and unpivoted column. The other columns are kept, a new
column holds the unpivoted column's name (numbers when every name is a number, as years
are) and another its cell. The unpivoted columns must hold one type of cell; a column
with no cell at all fits any type, and every empty cell stays an empty cell in its own
row, never dropped. Each new row comes from its original row's file lines."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import replace

import numpy as np

from factsheet.data.filters import NUMERIC, show, yaml_key
from factsheet.data.rows import empty_mask
from factsheet.data.sources import NUMBER
from factsheet.data.steps import Frame, checked
from factsheet.errors import DataError
from factsheet.spec.data import ColumnRange, ColumnType, Unpivot

MAX_ROWS = 1_000_000
KINDS = {"number": "numbers", "integer": "numbers", "date": "dates", "text": "text"}


def unpivot(frame: Frame, spec: Unpivot) -> Frame:
    names = picked_columns(frame, spec.columns)
    kept = [c for c in frame.columns if c not in names]
    checked(
        [
            lambda: _new_column(frame, spec.name, "name", kept),
            lambda: _new_column(frame, spec.value, "value", kept),
        ]
    )
    kind, like = _shared_type(frame, names)
    count, width = len(frame), len(names)
    if count * width > MAX_ROWS:
        raise DataError(
            f"unpivoting {width} columns of {count} rows would make {count * width:,} rows, "
            f"over the limit of {MAX_ROWS:,}",
            frame.at("unpivot", "columns"),
            hint="unpivot fewer columns, or derive it from a source with fewer rows",
        )
    origin = np.repeat(np.arange(count, dtype=np.int64), width)  # row i, column j: i*width+j
    columns = {c: frame.columns[c][origin] for c in kept}
    types: dict[str, ColumnType] = {c: frame.types[c] for c in kept}
    if all(NUMBER.fullmatch(n) for n in names):
        columns[spec.name] = np.tile(np.array([float(n) for n in names]), count)
        types[spec.name] = "number"
    else:
        columns[spec.name] = np.tile(np.array(names, dtype=object), count)
        types[spec.name] = "text"
    cells = [_as(frame.columns[n], kind, like) for n in names]
    columns[spec.value] = np.stack(cells, axis=1).reshape(-1) if cells else np.zeros(0)
    types[spec.value] = kind
    return replace(frame, columns=columns, types=types, lineage=frame.lineage.take(origin))


def check_filters(frame: Frame, spec: Unpivot, filtered: Iterable[str]) -> None:
    """A `where` of the same derived source filters the rows `unpivot` makes: a filter
    on a column it turns into rows is an error that says so (checked on the rows before
    `unpivot`, so the message can tell an unpivoted column from an unknown one)."""
    names = set(picked_columns(frame, spec.columns))
    name, value = yaml_key(spec.name), yaml_key(spec.value)

    def refuse(column: str) -> Callable[[], None]:
        def check() -> None:
            if column in names and column not in (spec.name, spec.value):
                raise DataError(
                    f"'{column}' is one of the columns `unpivot` turns into rows, and "
                    "`where` runs after `unpivot`",
                    frame.at("where", column),
                    hint=f"filter the new rows instead: `{name}: {yaml_key(column)}` keeps "
                    f"this column's rows, `{value}: {{empty: false}}` leaves out empty cells",
                )

        return check

    checked([refuse(column) for column in filtered])


def picked_columns(frame: Frame, columns: Sequence[str] | ColumnRange) -> list[str]:
    """The names `columns` stands for, in file order for a range, as written for a list."""
    order = list(frame.columns)
    if isinstance(columns, ColumnRange):
        ends = (("from", columns.from_), ("to", columns.to))
        checked([_need(frame, name, ("unpivot", "columns", key)) for key, name in ends])
        first, last = order.index(columns.from_), order.index(columns.to)
        if first > last:
            raise DataError(
                f"the range of columns to unpivot runs backwards: '{columns.to}' comes "
                f"before '{columns.from_}' in derived source '{frame.name}'",
                frame.at("unpivot", "columns"),
                hint=f'swap them: {{from: "{columns.to}", to: "{columns.from_}"}}',
            )
        return order[first : last + 1]
    checked([_need(frame, name, ("unpivot", "columns", i)) for i, name in enumerate(columns)])
    twice = sorted({n for n in columns if list(columns).count(n) > 1})
    if twice:
        raise DataError(
            f"{', '.join(map(repr, twice))} {'is' if len(twice) == 1 else 'are'} listed "
            "twice in the columns to unpivot",
            frame.at("unpivot", "columns"),
            hint="list each column once",
        )
    return list(columns)


def _need(frame: Frame, column: str, path: tuple[str | int, ...]) -> Callable[[], None]:
    return lambda: frame.need(column, path)


def _new_column(frame: Frame, column: str, key: str, kept: Sequence[str]) -> None:
    if column in kept:
        raise DataError(
            f"'{column}' is already a column of derived source '{frame.name}', and "
            "`unpivot` keeps it",
            frame.at("unpivot", key),
            hint=f"give the new column another name with `{key}`",
        )


def _shared_type(frame: Frame, names: Sequence[str]) -> tuple[ColumnType, np.dtype]:
    """The one type of the columns' cells, and the array type to hold them; a column
    without a cell fits any type."""
    filled = [n for n in names if not empty_mask(frame.columns[n]).all()]
    if len({KINDS[frame.types[n]] for n in filled}) > 1:
        raise _mixed(frame, filled)
    # With no cell anywhere, an empty number or date column still says what it is.
    typed = filled or [n for n in names if frame.types[n] != "text"]
    if not typed:
        return "text", np.dtype(object)
    found = {frame.types[n] for n in typed}
    like = frame.columns[typed[0]].dtype
    if found <= set(NUMERIC):
        return ("integer" if found == {"integer"} else "number"), like
    return frame.types[typed[0]], like


def _mixed(frame: Frame, names: Sequence[str]) -> DataError:
    """The error for columns of several types: the types most columns have, and the
    others, each with a cell that shows its type."""
    by_kind: dict[str, list[str]] = {}
    for name in names:
        by_kind.setdefault(KINDS[frame.types[name]], []).append(name)
    usual = max(by_kind, key=lambda k: len(by_kind[k]))  # ties: the first column's type
    odd = [n for n in names if KINDS[frame.types[n]] != usual]
    described = "; ".join(_example(frame, n) for n in odd[:3]) + ("; …" if len(odd) > 3 else "")
    return DataError(
        f"the columns to unpivot must hold one type of cell: {len(names) - len(odd)} hold "
        f"{usual}, but {described}",
        frame.at("unpivot", "columns"),
        hint="unpivot only columns of one kind: leave "
        f"{', '.join(map(repr, odd[:3]))}{', …' if len(odd) > 3 else ''} out of `columns`",
    )


def _example(frame: Frame, column: str) -> str:
    cells = frame.columns[column]
    kind = KINDS[frame.types[column]]
    empty = empty_mask(cells)
    if kind == "text":  # its first cell that is not a number says why it is text
        wrong = [i for i, c in enumerate(cells) if not empty[i] and not NUMBER.fullmatch(str(c))]
        position = wrong[0] if wrong else int(np.argmin(empty))
    else:
        position = int(np.argmin(empty))
    return f"'{column}' holds {kind} ({frame.lines_text([position])}: {show(cells[position])})"


def _as(cells: np.ndarray, kind: ColumnType, like: np.dtype) -> np.ndarray:
    """One unpivoted column as cells of the shared type: a column with no cell (read as
    text when the file has nothing in it) becomes empty cells of that type."""
    if cells.dtype == like or not empty_mask(cells).all():
        return cells.astype(like, copy=False)  # same kind: date units may differ
    if kind in NUMERIC:
        return np.full(len(cells), np.nan)
    if kind == "date":
        return np.full(len(cells), np.datetime64("NaT"), dtype=like)
    return np.full(len(cells), "", dtype=object)
