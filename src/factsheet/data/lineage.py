"""Lineage: for every row of a derived table, the rows of data files it came from. A
filtered or sorted row comes from one file row, a joined row from its own row and the
lookup row it matched, a group's row from every row in the group, and a ranked row also
from every row it was ranked against (they decide its rank). Provenance in the
manifest, error messages and the incremental-build digest all read file lines from
here, so a derived number can always be checked against the files by hand."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from factsheet.data.rows import FIRST_LINE

if TYPE_CHECKING:
    from factsheet.data.sources import Table

Lines = tuple[int, ...]
_EMPTY = np.zeros(0, dtype=np.int64)


@dataclass(frozen=True, eq=False)
class Lineage:
    """``rows[f][i]``: the lines of file table ``files[f]`` behind row ``i`` (sorted)."""

    files: tuple[Table, ...]
    rows: tuple[tuple[np.ndarray, ...], ...]

    @classmethod
    def of_file(cls, table: Table) -> Lineage:
        """Each row of a file table comes from its own line."""
        lines = table.rows.index.astype(np.int64) + FIRST_LINE
        return cls((table,), (tuple(lines[i : i + 1] for i in range(len(lines))),))

    def __len__(self) -> int:
        return len(self.rows[0]) if self.rows else 0

    def take(self, positions: Sequence[int] | np.ndarray) -> Lineage:
        """The lineage of the rows at these positions, in that order."""
        picked = [int(p) for p in positions]
        return Lineage(self.files, tuple(tuple(per[p] for p in picked) for per in self.rows))

    def merge(self, groups: Sequence[Sequence[int] | np.ndarray]) -> Lineage:
        """One row per group, coming from every row of the group."""
        return Lineage(
            self.files,
            tuple(
                tuple(_union(per[int(p)] for p in group) for group in groups) for per in self.rows
            ),
        )

    def join(self, other: Lineage, matches: Sequence[int]) -> Lineage:
        """Row ``i`` also comes from ``other``'s row ``matches[i]`` (a lookup row)."""
        files = list(self.files)
        for table in other.files:
            if not any(table is f for f in files):
                files.append(table)
        rows = []
        for table in files:
            mine = self._for(table)
            theirs = other._for(table)
            rows.append(
                tuple(
                    _union((mine[i] if mine else _EMPTY, theirs[m] if theirs else _EMPTY))
                    for i, m in enumerate(matches)
                )
            )
        return Lineage(tuple(files), tuple(rows))

    def _for(self, table: Table) -> tuple[np.ndarray, ...] | None:
        for f, known in enumerate(self.files):
            if known is table:
                return self.rows[f]
        return None

    def lines(self, positions: Iterable[int]) -> dict[Table, Lines]:
        """The file lines behind these rows, by file table (files with none left out)."""
        picked = [int(p) for p in positions]
        found: dict[Table, Lines] = {}
        for table, per in zip(self.files, self.rows, strict=True):
            lines = _union(per[p] for p in picked)
            if len(lines):
                found[table] = tuple(int(n) for n in lines)
        return found

    def encode(self) -> tuple[list[str], list[np.ndarray]]:
        """File names, and per file the row offsets and the lines (for the disk cache)."""
        arrays: list[np.ndarray] = []
        for per in self.rows:
            sizes = np.array([len(a) for a in per], dtype=np.int64)
            arrays.append(np.concatenate([[0], np.cumsum(sizes)]).astype(np.int64))
            arrays.append(np.concatenate(per).astype(np.int64) if per else _EMPTY)
        return [t.display_path for t in self.files], arrays

    @classmethod
    def decode(cls, files: Sequence[Table], arrays: Sequence[np.ndarray]) -> Lineage:
        rows = []
        for f in range(len(files)):
            offsets, lines = arrays[2 * f], arrays[2 * f + 1]
            rows.append(tuple(lines[offsets[i] : offsets[i + 1]] for i in range(len(offsets) - 1)))
        return cls(tuple(files), tuple(rows))


def _union(arrays: Iterable[np.ndarray]) -> np.ndarray:
    parts = [a for a in arrays if len(a)]
    if not parts:
        return _EMPTY
    if len(parts) == 1:
        return parts[0]
    return np.unique(np.concatenate(parts))


def abbreviate(lines: Sequence[int], shown: int = 5) -> str:
    """``2, 3, 4, 5, 6, …`` for messages."""
    text = ", ".join(map(str, lines[:shown]))
    return text + (", …" if len(lines) > shown else "")
