"""The lookup join of a derived source: every row finds exactly one row of another
source by its key and takes columns from it. Keys the lookup lacks are one error
listing them all (with "did you mean" and the file lines), or, when the spec says
`unmatched: drop`, rows left out and named in a warning; a key on two rows of the
lookup is always an error. The joined rows come from both files' lines."""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from factsheet.data.filters import keep_filled, show
from factsheet.data.lineage import Lineage
from factsheet.data.sources import Table
from factsheet.data.steps import Frame, cell_key, checked
from factsheet.errors import DataError, did_you_mean
from factsheet.location import KeyPath
from factsheet.spec.data import Join


def join(frame: Frame, spec: Join, lookup: Table, warn: list[str]) -> Frame:
    match = spec.match or spec.on
    added = list(spec.columns) or [c for c in lookup.rows.names if c != match]

    def check_lookup_columns() -> None:
        named: list[tuple[str, KeyPath]] = [(match, ("join", "match" if spec.match else "on"))]
        named += [(c, ("join", "columns", i)) for i, c in enumerate(spec.columns)]
        for column, at in named:
            if column not in lookup.types:
                error = lookup.unknown_column(column).located(frame.at(*at))
                if spec.match is None and column == match:
                    error.hint += "; name the lookup's key column with `match`"
                raise error

    def check_clashes() -> None:
        clash = [c for c in added if c in frame.types]
        if clash:
            raise DataError(
                f"the lookup's column {', '.join(map(repr, clash))} is already a column "
                f"of derived source '{frame.name}'",
                frame.at("join", "columns" if spec.columns else "source"),
                hint="list the columns to add in `columns`",
            )

    checked([lambda: frame.need(spec.on, ("join", "on")), check_lookup_columns, check_clashes])
    index = _lookup_index(frame, lookup, match)
    keys = [cell_key(v) for v in frame.columns[spec.on]]
    matches = [index.get(k, -1) if k is not None else -1 for k in keys]
    missing = [i for i, m in enumerate(matches) if m < 0]
    if missing:
        text = _unmatched_text(frame, keys, missing, list(index))
        if spec.unmatched == "error":
            rows = "1 row has" if len(missing) == 1 else f"{len(missing)} rows have"
            empty = any(keys[i] is None for i in missing)
            raise DataError(
                f"{rows} a '{spec.on}' that the lookup '{spec.source}' does not have in "
                f"'{match}': {text}",
                frame.at("join"),
                hint=f"add the keys to {lookup.display_path}, correct them, or set "
                "`unmatched: drop` to leave these rows out"
                + (f"; leave out rows with no key with {keep_filled(spec.on)}" if empty else ""),
            )
        rows = "1 row" if len(missing) == 1 else f"{len(missing)} rows"
        warn.append(
            f"derived source '{frame.name}' leaves out {rows} whose '{spec.on}' has no match "
            f"in the lookup '{spec.source}' (`unmatched: drop`): {text}"
        )
    kept = [i for i, m in enumerate(matches) if m >= 0]
    frame = frame.take(kept)
    picked = np.asarray([matches[i] for i in kept], dtype=np.int64)
    columns = dict(frame.columns)
    types = dict(frame.types)
    for column in added:
        columns[column] = lookup.rows[column][picked]
        types[column] = lookup.types[column]
    lineage = frame.lineage.join(lookup.lineage or Lineage.of_file(lookup), picked.tolist())
    return replace(frame, columns=columns, types=types, lineage=lineage)


def _lookup_index(frame: Frame, lookup: Table, match: str) -> dict[str, int]:
    index: dict[str, int] = {}
    repeated: dict[str, list[int]] = {}
    for position, value in enumerate(lookup.rows[match]):
        key = cell_key(value)
        if key is None:
            continue  # a lookup row without a key matches nothing; it is never used
        if key in index:
            repeated.setdefault(key, [index[key]]).append(position)
        else:
            index[key] = position
    if repeated:
        listed = "; ".join(
            f"{show(key)} ({lookup.files_text(lookup.rows.take(positions))})"
            for key, positions in repeated.items()
        )
        keys = "a key" if len(repeated) == 1 else f"{len(repeated)} keys"
        raise DataError(
            f"the lookup '{lookup.name}' has {keys} in '{match}' on more than one row: {listed}",
            frame.at("join", "source"),
            hint="a lookup needs each key once: remove the repeated rows",
        )
    return index


def _unmatched_text(
    frame: Frame, keys: list[str | None], missing: list[int], known: list[str]
) -> str:
    by_key: dict[str | None, list[int]] = {}
    for i in missing:
        by_key.setdefault(keys[i], []).append(i)
    parts = []
    for key, positions in by_key.items():
        shown = "an empty cell" if key is None else show(key)
        place = frame.lines_text(positions)
        suggestion = did_you_mean(key, known) if key is not None else ""
        parts.append(f"{shown} ({place}{'; ' + suggestion if suggestion else ''})")
    return ", ".join(parts)
