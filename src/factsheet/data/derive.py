"""Loading a spec's sources: file sources read (see :mod:`~factsheet.data.sources`) and
derived sources made from them in dependency order, whatever order the spec declares
them in. A derived source runs its steps in one fixed order (unpivot, where, join,
compute, group_by with aggregate, rank, sort, top; see :mod:`~factsheet.data.steps`) and
becomes a :class:`~factsheet.data.sources.Table` like any file's, with the file lines
behind each row. Made tables are cached per process and in the build cache, keyed by
their base tables' content and the steps as written after ``{{ }}`` substitution (a
derived source's filters may differ per edition)."""

from __future__ import annotations

import io
import itertools
import json
from collections.abc import Iterable, Mapping
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

import numpy as np

from factsheet import cache
from factsheet.data import lookups, reshape, steps
from factsheet.data.filters import Substitute, plain_where
from factsheet.data.lineage import Lineage
from factsheet.data.rows import Rows
from factsheet.data.sources import Table, load_table
from factsheet.errors import DataError, ErrorGroup, FactsheetError, SpecError, did_you_mean
from factsheet.location import KeyPath, Location
from factsheet.spec.data import Source

if TYPE_CHECKING:
    from factsheet.spec.loader import SourceMap

_MADE: dict[str, Table] = {}  # by fingerprint, this process
_MADE_KEPT = 64


def load_sources(
    sources: Mapping[str, Source],
    root: Path,
    substitute: Substitute,
    wanted: Iterable[str] | None = None,
    declared: Iterable[str] = (),
) -> tuple[dict[str, Table], list[FactsheetError]]:
    """The sources named in `wanted` (default: all) and those they are made from, with
    every problem found. Errors are located by key path in the spec (or at a file
    line); a source whose input failed is left out without a second error. `declared`
    lists every source name the spec has, for "did you mean" (default: `sources`)."""
    names = list(declared) or list(sources)
    order, problems = _order(sources, list(sources) if wanted is None else list(wanted), names)
    tables: dict[str, Table] = {}
    for name in order:
        spec = sources[name]
        try:
            if spec.file is not None:
                tables[name] = load_table(name, spec, root)
            elif all(need in tables for need in spec.needs):
                tables[name] = derive_table(name, spec, tables, root, substitute)
        except FactsheetError as exc:
            problems.append(
                exc.located(Location(key_path=("data", name, "file" if spec.file else "from")))
            )
    return tables, problems


def _order(
    sources: Mapping[str, Source], wanted: list[str], names: list[str]
) -> tuple[list[str], list[FactsheetError]]:
    """Names in an order where every source comes after those it is made from."""
    order: list[str] = []
    problems: list[FactsheetError] = []
    state: dict[str, str] = {}  # "visiting" or "done"

    def visit(name: str, trail: list[str]) -> None:
        if state.get(name) == "done":
            return
        if state.get(name) == "visiting":
            cycle = [*trail[trail.index(name) :], name]
            problems.append(
                SpecError(
                    f"derived source '{name}' is made from itself: {' → '.join(cycle)}",
                    Location(key_path=("data", name, "from")),
                    hint="a source can only be derived from sources that do not need it",
                )
            )
            return
        state[name] = "visiting"
        spec = sources[name]
        for need, path in _needs(spec):
            if need in sources:
                visit(need, [*trail, name])
            else:
                hint = did_you_mean(need, names) or f"sources: {', '.join(names)}"
                problems.append(
                    SpecError(
                        f"unknown data source '{need}'",
                        Location(key_path=("data", name, *path)),
                        hint,
                    )
                )
        state[name] = "done"
        order.append(name)

    for name in wanted:
        visit(name, [])
    return order, problems


def _needs(spec: Source) -> list[tuple[str, KeyPath]]:
    found: list[tuple[str, KeyPath]] = []
    if spec.from_ is not None:
        found.append((spec.from_, ("from",)))
    if spec.join is not None:
        found.append((spec.join.source, ("join", "source")))
    return found


# --- making one derived source ----------------------------------------------------


def derive_table(
    name: str, spec: Source, tables: Mapping[str, Table], root: Path, substitute: Substitute
) -> Table:
    """The derived source `name`, from the tables it needs (already loaded)."""
    assert spec.from_ is not None
    base = tables[spec.from_]
    lookup = tables[spec.join.source] if spec.join is not None else None
    parts = (
        "derived",
        name,
        _recipe(name, spec, substitute),
        base.fingerprint,
        lookup.fingerprint if lookup is not None else "",
    )
    key = cache.key("tables", *parts)
    made = _MADE.get(key)
    if made is None:
        files = {t.display_path: t for t in _files(base) + _files(lookup)}
        made = cache.remembered(
            root,
            "tables",
            parts,
            lambda: _make(name, spec, base, lookup, substitute, parts),
            _encode,
            lambda data: _decode(data, name, parts, files),
        )
        if len(_MADE) >= _MADE_KEPT:
            _MADE.pop(next(iter(_MADE)))
        _MADE[key] = made
    return made


def clear_cache() -> None:
    """Forget every derived table made in this process."""
    _MADE.clear()


def _recipe(name: str, spec: Source, substitute: Substitute) -> str:
    """The steps as written, with the filters' templates filled in, as stable text."""
    try:
        where = plain_where(spec.where, substitute)
    except FactsheetError as exc:
        raise exc.located(Location(key_path=("data", name, "where"))) from None
    written = spec.model_dump(mode="json", by_alias=True, exclude={"where"})
    return json.dumps({**written, "where": where}, sort_keys=True, default=str)


def _files(table: Table | None) -> list[Table]:
    if table is None:
        return []
    return list(table.lineage.files) if table.lineage is not None else [table]


def _make(
    name: str,
    spec: Source,
    base: Table,
    lookup: Table | None,
    substitute: Substitute,
    parts: tuple[object, ...],
) -> Table:
    warnings: list[str] = []
    frame = steps.Frame.of(name, base)
    if spec.unpivot is not None:
        reshape.check_filters(frame, spec.unpivot, spec.where)
        frame = reshape.unpivot(frame, spec.unpivot)
    if spec.where:
        frame = steps.where(frame, spec.where, substitute)
    if spec.join is not None:
        assert lookup is not None
        frame = lookups.join(frame, spec.join, lookup, warnings)
    if spec.compute:
        frame = steps.compute(frame, spec.compute)
    if spec.group_by or spec.aggregate:
        frame = steps.group(frame, spec.group_by, spec.aggregate)
    if spec.rank is not None:
        frame = steps.rank(frame, spec.rank)
    if spec.sort:
        frame = steps.sort(frame, spec.sort)
    if spec.top is not None:
        frame = steps.top(frame, spec.top, spec.sort)
    if not len(frame):
        raise DataError(
            f"derived source '{name}' has no rows",
            Location(key_path=("data", name)),
            hint="its `where` (or its join) leaves no row of "
            f"{base.display_path if not base.is_derived else base.name}",
        )
    return _table(name, frame.columns, dict(frame.types), frame.lineage, parts, warnings)


def _table(
    name: str,
    columns: Mapping[str, np.ndarray],
    types: Mapping[str, str],
    lineage: Lineage,
    parts: tuple[object, ...],
    warnings: Iterable[str],
) -> Table:
    rows = Rows.of(columns, np.arange(len(lineage)))
    path = lineage.files[0].path
    return Table(
        name,
        path,
        f"derived source '{name}'",
        rows,
        MappingProxyType(dict(types)),  # type: ignore[arg-type]
        parts,
        lineage,
        tuple(warnings),
    )


# --- the disk cache ---------------------------------------------------------------


def _encode(table: Table) -> bytes | None:
    """Rows, types and lineage in four arrays (few arrays: each costs a header parse
    when read): JSON for the text and the layout, every number column in one float
    matrix, every date column in one int64 matrix, and the lineage in one vector."""
    assert table.lineage is not None
    files, lineage = table.lineage.encode()
    rows, types = table.rows, table.types
    numbers = [n for n in rows.names if types[n] in ("number", "integer")]
    dates = [n for n in rows.names if types[n] == "date"]
    if any(rows[n].dtype != np.float64 for n in numbers):
        return None  # not expected; then it is simply made again
    meta = {
        "names": rows.names,
        "types": dict(types),
        "text": {n: [str(v) for v in rows[n]] for n in rows.names if types[n] == "text"},
        "dates": {n: str(rows[n].dtype) for n in dates},
        "files": files,
        "lineage": [len(a) for a in lineage],
        "warnings": list(table.warnings),
    }
    count = len(rows)
    buffer = io.BytesIO()
    np.savez(
        buffer,
        np.frombuffer(json.dumps(meta).encode(), dtype=np.uint8),
        np.array([rows[n] for n in numbers]).reshape(len(numbers), count),
        np.array([rows[n].view(np.int64) for n in dates]).reshape(len(dates), count),
        np.concatenate(lineage) if lineage else np.zeros(0, dtype=np.int64),
    )
    return buffer.getvalue()


def _decode(data: bytes, name: str, parts: tuple[object, ...], files: Mapping[str, Table]) -> Table:
    with np.load(io.BytesIO(data), allow_pickle=False) as archive:
        meta = json.loads(archive["arr_0"].tobytes())
        numbers, dates, flat = archive["arr_1"], archive["arr_2"], archive["arr_3"]
    types: dict[str, str] = meta["types"]
    if not set(types.values()) <= {"text", "number", "integer", "date"}:
        raise ValueError("not a derived table entry")
    number_rows, date_rows = iter(numbers), iter(dates)
    columns: dict[str, np.ndarray] = {}
    for column in meta["names"]:
        if types[column] == "text":
            columns[column] = np.array(meta["text"][column], dtype=object)
        elif types[column] == "date":
            columns[column] = next(date_rows).view(meta["dates"][column])
        else:
            columns[column] = next(number_rows)
    known = [files[f] for f in meta["files"]]  # KeyError: made again
    offsets = np.cumsum([0, *meta["lineage"]])
    lineage = Lineage.decode(known, [flat[a:b] for a, b in itertools.pairwise(offsets)])
    if any(len(values) != len(lineage) for values in columns.values()):
        raise ValueError("lineage and rows differ")
    return _table(name, columns, types, lineage, parts, meta["warnings"])


# --- the editions matrix ----------------------------------------------------------


def matrix_table(name: str, raw: Mapping[str, Any], source_map: SourceMap, root: Path) -> Table:
    """The source `name` as the editions matrix reads it, from the spec's raw `data`
    section: validated and loaded with the sources it is made from. The matrix is read
    before any edition exists, so its filters cannot use edition templates."""
    from factsheet.spec.validate import validate

    specs = {n: validate(Source, raw[n], source_map, ("data", n)) for n in _chain(name, raw)}
    tables, errors = load_sources(specs, root, _no_templates, [name], declared=list(raw))
    for error in errors:
        key_path = error.location.key_path if error.location else ()
        if error.location is None or error.location.file is None:
            error.location = source_map.locate(key_path)
    if errors:
        raise errors[0] if len(errors) == 1 else ErrorGroup(errors)
    return tables[name]


def _chain(name: str, raw: Mapping[str, Any]) -> list[str]:
    """`name` and every source it is made from, as far as the raw spec says."""
    found: list[str] = []
    waiting = [name]
    while waiting:
        current = waiting.pop()
        if current in found or current not in raw:
            continue
        found.append(current)
        entry = raw[current] if isinstance(raw[current], dict) else {}
        join = entry.get("join")
        join = join if isinstance(join, dict) else {}
        waiting += [n for n in (entry.get("from"), join.get("source")) if isinstance(n, str)]
    return found


def _no_templates(text: str) -> str:
    if "{{" in text or "{%" in text:
        raise DataError(
            f"the editions matrix reads this source before any edition exists, so its "
            f"filter value {text!r} cannot be a template",
            hint="derive another source for the matrix, without templates",
        )
    return text
