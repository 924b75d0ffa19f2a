"""Data sources: reading a CSV or XLSX file named in the spec into a typed, read-only
:class:`Table`. This module owns path safety (no escaping the project), the size cap,
decoding, turning cells into text, numbers or dates without ever guessing a missing
value from text such as ``NA``, and a per-process cache so repeated builds do not
re-read unchanged files. :mod:`factsheet.data.parsing` reads and types the cells; the
table then holds plain NumPy columns (:class:`~factsheet.data.rows.Rows`), which is all
later stages need."""

from __future__ import annotations

import datetime as dt
import difflib
import functools
import io
import itertools
import json
import os
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import Any

import numpy as np

from factsheet import cache
from factsheet.data.lineage import Lineage, abbreviate
from factsheet.data.rows import FIRST_LINE, Rows
from factsheet.errors import DataError, MissingInputError, SpecError, did_you_mean
from factsheet.location import Location, display_path
from factsheet.paths import resolve_inside
from factsheet.spec.model import ColumnType, Source

_MB = 1024 * 1024
MAX_BYTES = 50 * _MB
NUMBER = re.compile(r"[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?", re.ASCII)
ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
Declared = tuple[tuple[str, ColumnType], ...]


# eq=False: arrays have no usable equality or hash; tables compare by identity.
@dataclass(frozen=True, eq=False)
class Table:
    """A loaded data source: a file's rows, or a derived source's rows with the file
    rows each came from (``lineage``). ``rows`` is shared through the cache (and
    read-only). Consumers read both kinds alike; they ask the table, not the rows'
    index, where a row came from (:meth:`origins`, :meth:`locate`, :meth:`rows_text`)."""

    name: str
    path: Path  # the file; for a derived source, the file of its first base source
    display_path: str  # `data/m.csv`; for a derived source, `derived source 'name'`
    rows: Rows
    types: Mapping[str, ColumnType]
    key_parts: tuple[object, ...] = ()  # what the content depends on (see `fingerprint`)
    lineage: Lineage | None = None  # derived sources only
    warnings: tuple[str, ...] = ()  # things worth fixing found while deriving

    @property
    def is_derived(self) -> bool:
        return self.lineage is not None

    @property
    def row_count(self) -> int:
        return len(self.rows)

    @property
    def source_label(self) -> str:
        """How provenance names the source: the file's path, or the derived source's name."""
        return self.name if self.is_derived else self.display_path

    @functools.cached_property
    def fingerprint(self) -> str:
        """A digest of everything the rows depend on, for caches of what is made from
        them (computed only when asked: it reads the file's bytes)."""
        return cache.key("tables", *self.key_parts)

    @functools.cached_property
    def row_hashes(self) -> dict[int, bytes]:
        """A digest of every row, by file line (for incremental builds), made once."""
        return self.rows.row_hashes()

    def array(self, column: str) -> np.ndarray:
        """One column of every row, as a NumPy array."""
        return self.rows[column]

    def line(self, index: Any) -> int:
        """The file line (CSV) or sheet row (XLSX) of the row with this index (a file
        table's; a derived row may come from many lines: see :meth:`origins`)."""
        return int(index) + FIRST_LINE

    def origins(self, rows: Rows) -> dict[Table, tuple[int, ...]]:
        """The file lines these rows came from, by file table. A file table's own
        rows keep their order; a derived table's lines are sorted."""
        if self.lineage is None:
            return {self: rows.lines()} if len(rows) else {}
        return self.lineage.lines(rows.index)

    def locate(self, index: Any) -> Location | None:
        """Where to point for the row with this index: its file line, or (for a derived
        row made of several file rows) nothing, so the caller points at the spec."""
        if self.lineage is None:
            return Location(file=self.path, line=self.line(index))
        found = self.lineage.lines([int(index)])
        if len(found) == 1:
            ((table, lines),) = found.items()
            if len(lines) == 1:
                return Location(file=table.path, line=lines[0])
        return None

    def rows_text(self, rows: Rows) -> str:
        """``line 2``, ``lines 2, 3`` or, for a derived source, ``rows 1, 2 of derived source 'x',
        from data/m.csv lines 2, 3, 4, …``."""
        if self.lineage is None:
            return f"{'line' if len(rows) == 1 else 'lines'} {abbreviate(rows.lines())}"
        positions = abbreviate([int(i) + 1 for i in rows.index])
        word = "row" if len(rows) == 1 else "rows"
        return f"{word} {positions} of {self.display_path}, from {self.files_text(rows)}"

    def not_numbers(self, column: str, what: str = "column") -> DataError:
        """The error for `column` used as numbers when it does not hold them: it holds
        dates, it is empty in every row, or it holds text (naming the first cell that
        is not a number, and where it is)."""
        kind = self.types[column]
        named = f"{what} '{column}' in {self.display_path}"
        if kind == "date":
            return DataError(f"{named} holds dates, not numbers")
        cells = [str(cell) for cell in self.array(column)]
        if not cells and self.lineage is None:
            hint = "add rows below the header line, or check that the right file is named"
            return DataError(f"{self.display_path} has no data rows, only a header", hint=hint)
        if kind != "text" or not any(cells):
            hint = "choose a column with values, or fill this one in"
            return DataError(f"{named} is empty in every row", hint=hint)
        first = next((i for i, c in enumerate(cells) if c and not NUMBER.fullmatch(c)), None)
        if first is None:  # numbers written as codes: 007, +7, 1e3, 20 digits
            from factsheet.data.conventions import text_reason

            first = next((i for i, c in enumerate(cells) if c and _kept_as_text(c)), 0)
            where = self.rows_text(self.rows.take([first]))
            return DataError(
                f"{named} holds codes, not numbers ({where}: {text_reason(cells[first])})",
                hint=f"if it holds numbers, declare `{column}: number` under the source's "
                "`columns:`",
            )
        where = self.rows_text(self.rows.take([first]))
        return DataError(
            f"{named} holds text, not numbers ({where}: {cells[first]!r})",
            hint="a column is read as numbers only when every cell is a number or empty",
        )

    def files_text(self, rows: Rows) -> str:
        """``data/m.csv lines 2, 3 and data/codes.csv line 7``."""
        parts = []
        for table, lines in self.origins(rows).items():
            word = "line" if len(lines) == 1 else "lines"
            parts.append(f"{table.display_path} {word} {abbreviate(lines)}")
        return " and ".join(parts) or "no file rows"

    def unknown_column(self, column: str) -> DataError:
        """The error for a column name this table does not have."""
        return unknown_column_error(column, self.display_path, self.rows.names)


def _kept_as_text(cell: str) -> bool:
    from factsheet.data.conventions import EXACT_DIGITS, IDENTIFIER, significant_digits

    return bool(IDENTIFIER.match(cell)) or significant_digits(cell) > EXACT_DIGITS


def unknown_column_error(column: str, display_path: str, names: Sequence[str]) -> DataError:
    hint = choices_hint(column, "columns", names)
    return DataError(f"unknown column '{column}' in {display_path}", hint=hint)


def choices_hint(word: str, label: str, names: Sequence[str]) -> str:
    """``columns: year, share; did you mean 'share'?``"""
    suggestion = did_you_mean(word, names)
    return f"{label}: {', '.join(names)}" + (f"; {suggestion}" if suggestion else "")


def load_table(name: str, source: Source, root: Path) -> Table:
    """Read ``source`` (a path relative to the project ``root``), cached per process."""
    if source.file is None:
        raise ValueError(f"source '{name}' is derived, not a file")  # a bug, not user input
    path = _resolve(source.file, root)
    stat = _stat(path, source.file, root)
    declared: Declared = tuple(sorted(source.columns.items()))
    marks = (source.decimal, source.thousands)
    return _load_cached(
        name, source.file, path, stat.st_mtime_ns, stat.st_size, source.sheet, declared, root, marks
    )


def clear_cache() -> None:
    """Forget every cached table (for tests and long-running processes)."""
    _load_cached.cache_clear()


def _resolve(file: str, root: Path) -> Path:
    try:
        return resolve_inside(root, file)
    except ValueError as exc:
        raise SpecError(str(exc), hint="keep data files inside the project, in data/") from None


def _stat(path: Path, display: str, root: Path) -> os.stat_result:
    if not path.exists():
        hint = ""
        if path.parent.is_dir():
            hint = did_you_mean(path.name, [p.name for p in path.parent.iterdir()])
        raise MissingInputError(
            f"data file '{display}' does not exist", hint=hint or _data_file_hint(path, root)
        )
    if not path.is_file():
        raise DataError(f"data file '{display}' is not a file")
    stat = path.stat()
    if stat.st_size > MAX_BYTES:
        size, limit = stat.st_size / _MB, MAX_BYTES // _MB
        raise DataError(
            f"data file '{display}' is {size:.1f} MB, over the {limit} MB limit",
            hint="keep only the rows and columns the factsheet needs",
        )
    return stat


def _data_file_hint(path: Path, root: Path) -> str:
    """Paths are taken from the project, not from the spec's folder: suggest the data
    file of that name (or a close one) wherever it is in the project's `data/`."""
    found: list[str] = []
    folder = root / "data"
    if folder.is_dir():
        for candidate in itertools.islice(folder.rglob("*"), 2000):
            if candidate.is_file():
                found.append(candidate.relative_to(root).as_posix())
    names = {f.rsplit("/", 1)[-1]: f for f in reversed(found)}  # the first of a name wins
    close = difflib.get_close_matches(path.name, list(names), n=1, cutoff=0.6)
    where = f"paths are taken from the project folder, {display_path(root)}"
    return f"{where}: did you mean '{names[close[0]]}'?" if close else where


@functools.lru_cache(maxsize=32)
def _load_cached(
    name: str,
    display: str,
    path: Path,
    mtime_ns: int,  # part of the cache key only: an edited file is read again
    size: int,
    sheet: str | None,
    declared: Declared,
    root: Path,
    marks: tuple[str | None, str | None] = (None, None),  # the source's decimal, thousands
) -> Table:
    suffix = path.suffix.lower()
    if suffix not in (".xlsx", ".xlsm") and sheet is not None:
        raise DataError(f"'sheet' is given, but data file '{display}' is not an XLSX file")
    if suffix == ".xls":
        raise DataError(
            f"data file '{display}' is in the old .xls format",
            hint="save it as .xlsx or CSV UTF-8",
        )
    if suffix not in (".csv", ".xlsx", ".xlsm"):
        raise DataError(f"data file '{display}' is not a .csv or .xlsx file")

    def parse() -> tuple[Rows, dict[str, ColumnType]]:
        from factsheet.data import parsing  # only when a file must be parsed
        from factsheet.data.conventions import declared as declared_convention

        return parsing.parse(path, display, sheet, dict(declared), declared_convention(*marks))

    # The marks join the key only when given, so tables cached before them stay valid.
    parts = (path, suffix, sheet, declared) + ((marks,) if marks != (None, None) else ())
    rows, types = cache.remembered(
        root, "tables", parts, parse, lambda made: encode_table(*made), decode_table
    )
    return Table(name, path, display, rows, MappingProxyType(types), parts)


def encode_table(rows: Rows, types: Mapping[str, ColumnType]) -> bytes:
    """Typed rows as an NPZ archive: number and date columns as arrays, text columns
    and the column types as JSON. Loading it needs no pickle."""
    text = {n: [str(v) for v in rows[n]] for n in rows.names if types[n] == "text"}
    meta = json.dumps({"types": dict(types), "text": text}).encode()
    arrays = [rows[n] for n in rows.names if types[n] != "text"]
    buffer = io.BytesIO()
    np.savez(buffer, rows.index, np.frombuffer(meta, dtype=np.uint8), *arrays)
    return buffer.getvalue()


def decode_table(data: bytes) -> tuple[Rows, dict[str, ColumnType]]:
    with np.load(io.BytesIO(data), allow_pickle=False) as archive:
        meta = json.loads(archive["arr_1"].tobytes())
        types: dict[str, ColumnType] = meta["types"]
        if not set(types.values()) <= {"text", "number", "integer", "date"}:
            raise ValueError("not a table entry")
        stored = iter(archive[f"arr_{i}"] for i in range(2, len(archive.files)))
        columns = {
            name: np.array(meta["text"][name], dtype=object) if kind == "text" else next(stored)
            for name, kind in types.items()
        }
        return Rows.of(columns, archive["arr_0"]), types


def is_iso_date(text: str) -> bool:
    """True for a real calendar date written YYYY-MM-DD."""
    if not ISO_DATE.fullmatch(text):
        return False
    try:
        dt.date.fromisoformat(text)
    except ValueError:
        return False
    return True
