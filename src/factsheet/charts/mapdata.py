"""A map's rows before they are charted: every key in the `x` column read as an ISO3
code (:func:`keyed_rows`, which fails on any key that names no single country, listing
them all with their file lines), and what is worth a warning once the data is known
(:func:`in_region`): countries outside the chart's region, left out of the map, and
countries the 1:110m shapes cannot draw; and, once measured, a frame much taller than
its map (:func:`room_warnings`). Runs in `check` too, which does
not draw charts; no matplotlib here."""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from factsheet.charts import countries
from factsheet.charts.classes import unit_of
from factsheet.charts.plot import ChartData, Plot, category
from factsheet.data.rows import Rows
from factsheet.data.sources import Table
from factsheet.errors import DataError, ErrorGroup, FactsheetError, did_you_mean
from factsheet.location import KeyPath, Location
from factsheet.spec.model import Chart

NAMED = 12  # countries named in a warning
MAP_FILL = 0.8  # a map and its legend fill at least this share of the chart's plot


@dataclass(frozen=True)
class MapRows:
    """A map's rows with `x` read as ISO3 codes, and each code's name for the alt text:
    the key as the data wrote it when that was a name, else the table's name in the
    document's language."""

    rows: Rows
    names: Mapping[str, str]
    key_path: KeyPath = ()  # the chart's, for errors found later


def keyed_rows(
    block: Chart, rows: Rows, table: Table, key_path: KeyPath, language: str = "en"
) -> MapRows:
    """`rows` (of `table`) with every `x` key replaced by the ISO3 code it names.
    Raises one error per kind of problem (unknown, ambiguous, aggregate, former), each
    listing all its keys with the rows they are on, located at the chart's `x`."""
    keys = [category(k) for k in rows[block.x]]
    resolution = countries.resolve(keys)
    errors: list[FactsheetError] = []
    if resolution.problems:
        errors += _key_errors(block, keys, resolution, rows, table)
    if block.region is not None and countries.region_members(block.region) is None:
        hint = did_you_mean(block.region, countries.regions()) or (
            "regions: " + ", ".join(countries.regions())
        )
        at = Location(key_path=(*key_path, "region"))
        errors.append(DataError(f"unknown map region '{block.region}'", at, hint))
    errors += _break_errors(block, key_path)
    for error in errors:
        if error.location is None:
            error.location = Location(key_path=(*key_path, "x"))
    if errors:
        raise errors[0] if len(errors) == 1 else ErrorGroup(errors)
    codes = [c for c in resolution.codes if c is not None]
    known = countries.countries()
    names: dict[str, str] = {}
    for key, code in zip(keys, codes, strict=True):
        written = countries.normalise(key) not in (code.casefold(), known[code].iso2.casefold())
        names.setdefault(code, key if written else known[code].label(language))
    return MapRows(Rows.of({**rows.columns, block.x: codes}, rows.index), names, key_path)


def _key_errors(
    block: Chart,
    keys: Sequence[str],
    resolution: countries.Resolution,
    rows: Rows,
    table: Table,
) -> list[FactsheetError]:
    positions: dict[str, list[int]] = defaultdict(list)
    for position, (key, code) in enumerate(zip(keys, resolution.codes, strict=True)):
        if code is None:
            positions[key].append(position)
    where = {key: table.rows_text(rows.take(found)) for key, found in positions.items()}
    path = table.display_path
    by_kind: dict[str, list[countries.KeyProblem]] = defaultdict(list)
    for problem in resolution.problems:
        by_kind[problem.kind].append(problem)
    column = f"column '{block.x}' of {path}"
    errors: list[FactsheetError] = []
    if "unknown" in by_kind:
        found = by_kind["unknown"]
        listed = "; ".join(_with_lines(p.key, where[p.key], _suggestion(p)) for p in found)
        most = len(found) * 2 > len(set(keys))
        hint = (
            f"is '{block.x}' the column of countries? " if most else ""
        ) + "write ISO 3166-1 codes (NGA or NG) or country names; see docs/maps.md for the names"
        keys_that = "1 key that matches" if len(found) == 1 else f"{len(found)} keys that match"
        errors.append(DataError(f"{column} has {keys_that} no country: {listed}", hint=hint))
    if "aggregate" in by_kind:
        found = by_kind["aggregate"]
        listed = "; ".join(_with_lines(p.key, where[p.key]) for p in found)
        errors.append(
            DataError(
                f"{column} holds {_count(found, 'regional aggregate')}, not countries: {listed}",
                hint="a map shades countries: leave these rows out with the chart's `where`",
            )
        )
    for problem in by_kind.get("ambiguous", []):
        errors.append(
            DataError(
                f"map key {_with_lines(problem.key, where[problem.key])} in {column} could be "
                f"{problem.detail}",
                hint="write the country's ISO 3166-1 code instead",
            )
        )
    if "former" in by_kind:
        found = by_kind["former"]
        listed = "; ".join(_with_lines(p.key, where[p.key], p.detail) for p in found)
        errors.append(
            DataError(
                f"{column} names {_count(found, 'former country', 'former countries')}: {listed}",
                hint="the map draws today's borders: give the data by today's countries",
            )
        )
    return errors


def _count(found: Sequence[object], one: str, many: str = "") -> str:
    return f"1 {one}" if len(found) == 1 else f"{len(found)} {many or one + 's'}"


def _suggestion(problem: countries.KeyProblem) -> str:
    return f"did you mean {problem.detail}?" if problem.detail else ""


def _with_lines(key: str, where: str, note: str = "") -> str:
    text = f"'{key}' ({where}" + (f"; {note})" if note else ")")
    return text if key else text.replace("''", "an empty key", 1)


def _break_errors(block: Chart, key_path: KeyPath) -> list[FactsheetError]:
    """Explicit breaks the chart's format cannot print exactly (10.5 with no decimals
    would print as a class edge of 11)."""
    unit = unit_of(block.format)
    if isinstance(block.breaks, str) or unit is None:
        return []
    bad = [b for b in block.breaks if abs(b / unit - round(b / unit)) > 1e-6]
    if not bad:
        return []
    return [
        DataError(
            f"the map's breaks {', '.join(map(str, bad))} cannot be printed with its format",
            Location(key_path=(*key_path, "breaks")),
            hint="give the format more decimals, or round the breaks",
        )
    ]


def in_region(block: Chart, data: ChartData, keyed: MapRows) -> tuple[ChartData, tuple[str, ...]]:
    """The map's data within its region (all of it without one), and what a reader of
    the map should know, as warnings: the countries the region leaves out, and the
    countries marked by a dot because the 1:110m shapes do not draw them."""
    table, region, names = countries.countries(), block.region, keyed.names
    members = countries.region_members(region) if region else None
    warnings = []
    if members is not None:
        keep = [i for i, c in enumerate(data.categories) if c in members]
        outside = [c for i, c in enumerate(data.categories) if i not in keep and _has(data, i)]
        if not keep:
            raise DataError(
                f"none of the map's countries is in its region '{region}'",
                Location(key_path=(*keyed.key_path, "region")),
            )
        if outside:
            warnings.append(
                f"the map's region '{region}' leaves out {_named(outside, names)}, which "
                "the data has values for (filter them out with `where` to silence this)"
            )
        data = ChartData(
            tuple(data.categories[i] for i in keep),
            data.series,
            tuple(tuple(values[i] for i in keep) for values in data.values),
        )
    dots = [c for i, c in enumerate(data.categories) if _has(data, i) and not table[c].shape]
    if dots and block.small_countries == "warn":
        warnings.append(
            f"the map's shapes are too coarse to draw {_named(dots, names)}: "
            "each is marked by a dot in its class's shade (`small_countries: dot` says "
            "that is meant, and silences this)"
        )
    return data, tuple(warnings)


def _has(data: ChartData, index: int) -> bool:
    return any(v[index] == v[index] for v in data.values)


def _named(codes: Sequence[str], names: Mapping[str, str]) -> str:
    """`Name (ISO3)` of each country, the first `NAMED` of them."""
    shown = ", ".join(f"{names.get(c, c)} ({c})" for c in codes[:NAMED])
    return shown + (f" and {len(codes) - NAMED} more" if len(codes) > NAMED else "")


def alt_data(data: ChartData, names: Mapping[str, str]) -> ChartData:
    """The map's data with each code replaced by its name, for the alt text."""
    named = tuple(names.get(c, c) for c in data.categories)
    return ChartData(named, data.series, data.values)


def room_warnings(block: Chart, plot: Plot) -> tuple[str, ...]:
    """A map and its legend that fill less than MAP_FILL of the chart's plot leave an
    empty band under the legend (the map is as large as the chart's width, or the
    world's edges, allow): a warning saying which height would fit."""
    from factsheet.charts.maps import map_layout

    spare = map_layout(plot).spare[1]
    height = plot.size[1]
    if spare <= height * (1 - MAP_FILL):
        return ()
    fits = math.ceil((block.height - spare) / 72 * 25.4)
    wider = " (or give the map more width: `span: page`)" if block.span in (None, "column") else ""
    return (
        f"the map and its legend fill {1 - spare / height:.0%} of the chart's plot, "
        f"leaving {spare / 72 * 25.4:.0f}mm empty under the legend: the map is as large "
        f"as the chart's width allows; `height: {fits}mm` would fit it{wider}",
    )
