"""An `editions:` matrix's keys: the values of each key (written in the spec, or taken
from a data column), the size limit, which editions `exclude` and `overrides` rules
match, and which editions a command's `--edition KEY=GLOB` options choose. Keys only:
what an edition holds is made in :mod:`factsheet.editions.expand`."""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from fnmatch import fnmatchcase
from pathlib import Path
from typing import TYPE_CHECKING, Any

from factsheet.editions.variables import context_of
from factsheet.errors import FactsheetError, SpecError, did_you_mean
from factsheet.spec.editions import Editions, FromData, KeyFilter
from factsheet.spec.loader import SourceMap
from factsheet.text import Templates, slug

if TYPE_CHECKING:
    from factsheet.editions.expand import Edition


def select(editions: Iterable[Edition], patterns: Mapping[str, Sequence[str]]) -> list[Edition]:
    """Editions whose keys match every `--edition KEY=GLOB` given (any glob per key)."""
    return [edition for edition in editions if chosen(edition.keys, patterns)]


def chosen(keys: Mapping[str, str], patterns: Mapping[str, Sequence[str]]) -> bool:
    """Whether an edition's `keys` match every `--edition KEY=GLOB` given."""
    return all(
        any(fnmatchcase(keys.get(key, ""), glob) for glob in globs)
        or any(fnmatchcase(slug(keys.get(key, "")), glob) for glob in globs)
        for key, globs in patterns.items()
    )


def nothing_left(
    section: Editions, values: Mapping[str, list[str]], source_map: SourceMap
) -> SpecError:
    """`editions.exclude` removed every edition: a build would do nothing, silently."""
    count = 1
    for given in values.values():
        count *= len(given)
    rules = len(section.exclude)
    return SpecError(
        f"`editions.exclude` removes every edition: all {count} combinations of the "
        f"matrix match one of its {rules} rule{'s' if rules != 1 else ''}, so there is "
        "nothing to build",
        source_map.locate(("editions", "exclude")),
        hint="narrow or remove the rule that matches every edition, or add values to "
        "`editions.matrix`; a rule that names fewer keys matches more editions",
    )


MAX_EDITIONS = 10_000
"""Key combinations one spec's matrix may make (before `exclude`)."""


def check_matrix_size(values: Mapping[str, list[str]], source_map: SourceMap) -> None:
    """Refuse a matrix too large to build before making a single edition of it."""
    combinations = math.prod(len(v) for v in values.values())
    if combinations > MAX_EDITIONS:
        sizes = " × ".join(f"{len(v):,} {k}" for k, v in values.items())
        raise SpecError(
            f"the editions matrix makes {combinations:,} editions ({sizes}), over the "
            f"limit of {MAX_EDITIONS:,}",
            source_map.locate(("editions", "matrix"), at_key=True),
            hint="split it into several specs, or take values from data with `where` "
            "to keep only the ones needed",
        )


def matrix_values(
    section: Editions,
    base: dict[str, Any],
    source_map: SourceMap,
    root: Path,
    variables: Mapping[str, str],
) -> dict[str, list[str]]:
    values: dict[str, list[str]] = {}
    for key, given in section.matrix.items():
        if isinstance(given, FromData):
            values[key] = _column_values(key, given, base, source_map, root, variables)
        else:
            values[key] = [key_text(v) for v in given]
        if not values[key]:
            raise SpecError(
                f"edition key '{key}' has no values", source_map.locate(("editions", "matrix", key))
            )
    return values


def _column_values(
    key: str,
    given: FromData,
    base: dict[str, Any],
    source_map: SourceMap,
    root: Path,
    variables: Mapping[str, str],
) -> list[str]:
    from factsheet.data.derive import matrix_table
    from factsheet.data.filters import select_rows

    where = source_map.locate(("editions", "matrix", key, "source"))
    sources = base.get("data") or {}
    if given.source not in sources:
        raise SpecError(
            f"unknown data source '{given.source}'", where, did_you_mean(given.source, sources)
        )
    try:
        table = matrix_table(given.source, sources, source_map, root)
        if given.column not in table.types:
            raise table.unknown_column(given.column)
        # Filter values may use `year` and the spec's own variables (not edition ones:
        # the editions do not exist yet).
        context = Templates(context_of(base, {}) | dict(variables))
        rows = select_rows(table, given.where, context.render_value)
    except FactsheetError as exc:
        raise exc.located(where) from None
    return list(dict.fromkeys(key_text(v) for v in rows[given.column]))


def key_text(value: Any) -> str:
    """A key value as text, as written in the spec (`2021`, not `2021.0`)."""
    raw = getattr(value, "raw", None)
    if raw is not None:
        return str(raw)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def matches(rule: KeyFilter, keys: Mapping[str, str]) -> bool:
    """Whether an edition's `keys` match a `when` or `exclude` rule."""
    for key, wanted in rule.items():
        options = wanted if isinstance(wanted, list) else [wanted]
        if keys[key] not in {key_text(o) for o in options}:
            return False
    return True
