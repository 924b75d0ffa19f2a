"""Rows: a read-only set of table rows held as one NumPy array per column, with each
row's position in its file. Figures, charts and tables pick and read rows through this
small type instead of a pandas DataFrame: after a file is parsed, a build only compares,
selects and sums a few dozen cells, where NumPy costs microseconds and pandas costs a
millisecond a call (and a third of a second to import)."""

from __future__ import annotations

import hashlib
import math
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

import numpy as np

FIRST_LINE = 2  # the header is line 1, so the row with index i is file line i + 2


@dataclass(frozen=True, eq=False)
class Rows:
    """Rows of a table. ``index[i] + 2`` is row ``i``'s line in the CSV file (or its
    row in the worksheet). Arrays are shared between selections: never write to them."""

    columns: Mapping[str, np.ndarray]
    index: np.ndarray

    @classmethod
    def of(cls, columns: Mapping[str, Any], index: Sequence[int] | np.ndarray) -> Rows:
        arrays = {name: _frozen(np.asarray(values)) for name, values in columns.items()}
        return cls(MappingProxyType(arrays), _frozen(np.asarray(index, dtype=np.int64)))

    def __len__(self) -> int:
        return len(self.index)

    @property
    def empty(self) -> bool:
        return len(self.index) == 0

    @property
    def names(self) -> list[str]:
        """Column names, in file order."""
        return list(self.columns)

    def __getitem__(self, column: str) -> np.ndarray:
        return self.columns[column]

    def take(self, positions: np.ndarray | Sequence[int]) -> Rows:
        """The rows at these positions (not indexes), in that order."""
        picked = np.asarray(positions, dtype=np.int64)
        arrays = {name: _frozen(values[picked]) for name, values in self.columns.items()}
        return Rows(MappingProxyType(arrays), _frozen(self.index[picked]))

    def where(self, mask: np.ndarray) -> Rows:
        """The rows where ``mask`` is true, in file order."""
        return self.take(np.flatnonzero(mask))

    def head(self, count: int) -> Rows:
        return self.take(np.arange(min(count, len(self))))

    def lines(self) -> tuple[int, ...]:
        """Each row's file line."""
        return tuple(int(i) + FIRST_LINE for i in self.index)

    def records(self) -> Iterator[dict[str, Any]]:
        """Each row as ``{column: cell}``, cells as NumPy scalars."""
        names = self.names
        for position in range(len(self)):
            yield {name: self.columns[name][position] for name in names}

    def concat(self, other: Rows) -> Rows:
        arrays = {n: np.concatenate([v, other.columns[n]]) for n, v in self.columns.items()}
        return Rows.of(arrays, np.concatenate([self.index, other.index]))

    def row_hashes(self) -> dict[int, bytes]:
        """An 8-byte digest of every row's cells, by file line: a change to one row
        changes that row's digest only."""
        names = self.names
        hashes: dict[int, bytes] = {}
        for position, line in enumerate(self.lines()):
            cells = "\x1f".join(cell_key(self.columns[n][position]) for n in names)
            hashes[line] = hashlib.blake2b(cells.encode(), digest_size=8).digest()
        return hashes


def is_missing(value: Any) -> bool:
    """An empty number (NaN) or date (NaT) cell. Text cells are never missing: an
    empty text cell is the empty string."""
    if isinstance(value, np.datetime64):
        return bool(np.isnat(value))
    if isinstance(value, float | np.floating):
        return math.isnan(value)
    return False


def empty_mask(cells: np.ndarray) -> np.ndarray:
    """True for each empty cell of a column: NaN in a number column, NaT in a date
    column, the empty string in a text column."""
    if cells.dtype.kind == "f":
        return np.asarray(np.isnan(cells), dtype=bool)
    if cells.dtype.kind == "M":
        return np.asarray(np.isnat(cells), dtype=bool)
    return np.array([is_missing(c) or c == "" for c in cells], dtype=bool)


def cell_key(value: Any) -> str:
    """A cell as stable text: the same cell gives the same text in every process."""
    if isinstance(value, float | np.floating):
        return "" if math.isnan(value) else repr(float(value))
    if isinstance(value, np.datetime64):
        return "" if np.isnat(value) else str(value.astype("datetime64[D]"))
    return str(value)


def _frozen(array: np.ndarray) -> np.ndarray:
    array.flags.writeable = False
    return array
