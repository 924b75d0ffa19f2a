"""Derived sources: each step (filter, lookup join, arithmetic columns, group with
aggregates, rank, sort, top-N) does exactly what the docs say and nothing silently;
every derived row knows its file lines; derived tables are cached per process and on
disk with the same result; figures, charts, tables and the editions matrix read them
like file sources; and a change to a base row that feeds a printed figure rebuilds."""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from click.testing import CliRunner
from pydantic import ValidationError

from factsheet.cli import main
from factsheet.data import derive
from factsheet.data.derive import load_sources
from factsheet.data.filters import same, select_rows
from factsheet.data.rows import cell_key
from factsheet.data.sources import Table, clear_cache
from factsheet.errors import ErrorGroup, FactsheetError
from factsheet.location import Location
from factsheet.spec.data import ColumnRange
from factsheet.spec.model import Condition, Source
from tests.projects import make_project
from tests.test_editions import pdf_text

COUNTRIES = """\
country,continent,year,pop,life
Chad,Africa,2007,10,50
Mali,Africa,2007,12,54
Peru,Americas,2007,28,73
Chile,Americas,2007,16,78
Chad,Africa,2002,9,48
Mali,Africa,2002,11,52
Peru,Americas,2002,26,70
Chile,Americas,2002,15,77
Nepal,Asia,2007,27,
"""

CODES = """\
name,iso3
Chad,TCD
Mali,MLI
Peru,PER
Chile,CHL
Nepal,NPL
"""

FILES = {
    "countries": {"file": "data/countries.csv"},
    "codes": {"file": "data/codes.csv"},
}


@pytest.fixture(autouse=True)
def _fresh() -> Iterator[None]:
    clear_cache()
    derive.clear_cache()
    yield
    clear_cache()
    derive.clear_cache()


@pytest.fixture
def root(tmp_path: Path) -> Path:
    (tmp_path / "data").mkdir()
    (tmp_path / "data/countries.csv").write_text(COUNTRIES, encoding="utf-8")
    (tmp_path / "data/codes.csv").write_text(CODES, encoding="utf-8")
    return tmp_path


def load(
    root: Path, sources: dict[str, dict[str, Any]], substitute: Any = same
) -> tuple[dict[str, Table], list[FactsheetError]]:
    specs = {name: Source.model_validate(raw) for name, raw in (FILES | sources).items()}
    return load_sources(specs, root, substitute)


def derived(root: Path, name: str = "d", substitute: Any = same, **spec: Any) -> Table:
    tables, problems = load(root, {name: {"from": "countries", **spec}}, substitute)
    assert problems == [], [str(p) for p in problems]
    return tables[name]


def problem(root: Path, **spec: Any) -> FactsheetError:
    tables, problems = load(root, {"d": {"from": "countries", **spec}})
    assert "d" not in tables and len(problems) == 1, [str(p) for p in problems]
    return problems[0]


def column(table: Table, name: str) -> list[Any]:
    return [cell_key(v) for v in table.rows[name]]


def origins(table: Table, position: int) -> dict[str, tuple[int, ...]]:
    picked = table.rows.take([position])
    return {t.display_path: lines for t, lines in table.origins(picked).items()}


def where_of(error: FactsheetError) -> str:
    assert error.location is not None
    return ".".join(map(str, error.location.key_path))


# --- the steps --------------------------------------------------------------------


def test_filter_join_and_arithmetic(root: Path) -> None:
    table = derived(
        root,
        where={"year": 2007, "continent": {"not": "Asia"}},
        join={"source": "codes", "on": "country", "match": "name"},
        compute={"people_per_year": {"ratio": ["pop", "life"]}, "x": {"product": ["pop", "life"]}},
    )
    assert table.rows.names == [
        "country",
        "continent",
        "year",
        "pop",
        "life",
        "iso3",
        "people_per_year",
        "x",
    ]
    assert column(table, "iso3") == ["TCD", "MLI", "PER", "CHL"]
    assert column(table, "x") == ["500.0", "648.0", "2044.0", "1248.0"]
    assert dict(table.types) == {
        "country": "text",
        "continent": "text",
        "year": "number",
        "pop": "number",
        "life": "number",
        "iso3": "text",
        "people_per_year": "number",
        "x": "number",
    }
    assert table.display_path == "derived source 'd'" and table.is_derived
    assert origins(table, 2) == {"data/countries.csv": (4,), "data/codes.csv": (4,)}
    assert table.locate(0) is None  # two files: the caller points at the spec
    assert table.rows_text(table.rows.take([2])) == (
        "row 3 of derived source 'd', from data/countries.csv line 4 and data/codes.csv line 4"
    )


def test_a_row_from_one_file_line_is_located_there(root: Path) -> None:
    table = derived(root, where={"country": "Peru"})
    assert table.locate(1) == Location(file=root / "data/countries.csv", line=8)


def test_an_empty_operand_gives_an_empty_cell(root: Path) -> None:
    table = derived(
        root, where={"country": "Nepal"}, compute={"x": {"difference": ["pop", "life"]}}
    )
    assert column(table, "x") == [""]


def test_group_with_every_aggregate(root: Path) -> None:
    table = derived(
        root,
        where={"continent": {"not": "Asia"}},
        group_by=["continent"],
        aggregate={
            "pop": "sum",
            "rows": "count",
            "life": {"mean": "life", "weight": "pop"},
            "plain": {"mean": "life"},
            "middle": {"median": "life"},
            "low": {"min": "life"},
            "high": {"max": "life"},
            "countries": {"count_distinct": "country"},
            "first_country": {"first": "country"},
            "q90": {"quantile": "life", "q": 0.9},
        },
    )
    assert column(table, "continent") == ["Africa", "Americas"]
    assert column(table, "pop") == ["42.0", "85.0"]
    assert column(table, "rows") == ["4.0", "4.0"]
    assert table.rows["life"][0] == pytest.approx((10 * 50 + 12 * 54 + 9 * 48 + 11 * 52) / 42)
    assert column(table, "plain") == ["51.0", "74.5"]
    assert column(table, "middle") == ["51.0", "75.0"]
    assert column(table, "low") == ["48.0", "70.0"]
    assert column(table, "high") == ["54.0", "78.0"]
    assert column(table, "countries") == ["2.0", "2.0"]
    assert column(table, "first_country") == ["Chad", "Peru"]
    assert table.rows["q90"][1] == pytest.approx(77.7)  # 70, 73, 77, 78: 70% from 77 to 78
    assert table.types["rows"] == "integer" and table.types["first_country"] == "text"
    assert table.types["pop"] == "number" and table.types["life"] == "number"
    assert origins(table, 0) == {"data/countries.csv": (2, 3, 6, 7)}


def test_aggregate_without_group_by_makes_one_row(root: Path) -> None:
    table = derived(root, where={"year": 2002}, aggregate={"total": {"sum": "pop"}})
    assert column(table, "total") == ["61.0"] and table.rows.names == ["total"]


def test_group_by_without_aggregate_gives_distinct_rows(root: Path) -> None:
    table = derived(root, group_by=["continent", "year"])
    assert len(table.rows) == 5 and table.rows.names == ["continent", "year"]


def test_an_empty_cell_in_an_aggregated_column_is_an_error_at_its_line(root: Path) -> None:
    error = problem(root, group_by=["continent"], aggregate={"life": {"mean": "life"}})
    assert error.message == (
        "derived source 'd', aggregate 'life': column 'life' is empty "
        "(in the group continent = 'Asia')"
    )
    assert error.location == Location(file=root / "data/countries.csv", line=10)
    assert "`missing: skip`" in error.hint


def test_missing_skip_is_an_explicit_choice(root: Path) -> None:
    table = derived(
        root,
        group_by=["continent"],
        aggregate={"life": {"mean": "life", "missing": "skip"}, "n": "count"},
    )
    assert column(table, "life") == ["51.0", "74.5", ""]  # Asia has no value: empty
    assert column(table, "n") == ["4.0", "4.0", "1.0"]


def test_an_empty_text_cell_counts_as_empty_too(tmp_path: Path) -> None:
    (tmp_path / "data").mkdir()
    (tmp_path / "data/countries.csv").write_text(
        "country,continent\n,Africa\nChad,Africa\nPeru,Americas\n"
    )
    (tmp_path / "data/codes.csv").write_text(CODES)
    for how in ("count_distinct", "first"):
        error = problem(tmp_path, group_by=["continent"], aggregate={"n": {how: "country"}})
        assert error.message == (
            "derived source 'd', aggregate 'n': column 'country' is empty "
            "(in the group continent = 'Africa')"
        )
        assert error.location == Location(file=tmp_path / "data/countries.csv", line=2)
    tables, _ = load(
        tmp_path,
        {
            "d": {
                "from": "countries",
                "group_by": ["continent"],
                "aggregate": {
                    "n": {"count_distinct": "country", "missing": "skip"},
                    "name": {"first": "country", "missing": "skip"},
                },
            }
        },
    )
    assert column(tables["d"], "n") == ["1.0", "1.0"]
    assert column(tables["d"], "name") == ["Chad", "Peru"]


def test_an_empty_grouping_cell_is_an_error(tmp_path: Path) -> None:
    (tmp_path / "data").mkdir()
    (tmp_path / "data/countries.csv").write_text("country,continent\nChad,Africa\nMali,\n")
    (tmp_path / "data/codes.csv").write_text(CODES)
    error = problem(tmp_path, group_by=["continent"], aggregate={"n": "count"})
    assert error.message == "derived source 'd': the grouping column 'continent' is empty"
    assert error.location == Location(file=tmp_path / "data/countries.csv", line=3)
    assert error.hint == (
        "fill it in, or leave such rows out with `where: {continent: {empty: false}}`"
    )


def test_rank_with_ties_and_groups(root: Path) -> None:
    table = derived(root, where={"year": 2007}, rank={"by": "pop"})
    assert column(table, "rank") == ["5.0", "4.0", "1.0", "3.0", "2.0"]
    tied = derived(
        root,
        where={"year": 2007},
        compute={"zero": {"difference": ["pop", "pop"]}},
        rank={"by": "zero", "column": "place"},
    )
    assert column(tied, "place") == ["1.0"] * 5
    within = derived(
        root,
        where={"year": 2007},
        rank={"by": "pop", "order": "ascending", "within": ["continent"]},
    )
    assert column(within, "rank") == ["1.0", "2.0", "2.0", "1.0", "1.0"]
    assert within.types["rank"] == "integer"
    # A rank depends on every row it was ranked against.
    assert origins(within, 0) == {"data/countries.csv": (2, 3)}


def test_an_empty_rank_cell_is_an_error(root: Path) -> None:
    error = problem(root, rank={"by": "life"})
    assert error.message == (
        "derived source 'd': rank by 'life', which is empty on data/countries.csv line 10"
    )
    assert error.location == Location(file=root / "data/countries.csv", line=10)


def test_competition_ranking_skips_after_a_tie(tmp_path: Path) -> None:
    (tmp_path / "data").mkdir()
    (tmp_path / "data/countries.csv").write_text("c,v\na,5\nb,9\nc,9\nd,1\n")
    (tmp_path / "data/codes.csv").write_text(CODES)
    tables, _ = load(tmp_path, {"d": {"from": "countries", "rank": {"by": "v"}}})
    assert column(tables["d"], "rank") == ["3.0", "1.0", "1.0", "4.0"]


def test_sort_and_top(root: Path) -> None:
    table = derived(root, sort={"year": "descending", "pop": "descending"}, top=3)
    assert column(table, "country") == ["Peru", "Nepal", "Chile"]
    by_text = derived(root, where={"year": 2002}, sort="country")
    assert column(by_text, "country") == ["Chad", "Chile", "Mali", "Peru"]
    with_empty = derived(root, where={"year": 2007}, sort={"life": "descending"})
    assert column(with_empty, "country") == ["Chile", "Peru", "Mali", "Chad", "Nepal"]


def test_a_tie_at_the_top_cut_is_an_error_unless_chosen(root: Path) -> None:
    spec: dict[str, Any] = {
        "group_by": ["continent", "year"],
        "aggregate": {"n": "count"},
        "sort": {"n": "descending"},
    }
    error = problem(root, **spec, top=1)
    assert error.message == (
        "derived source 'd': `top: 1` would cut between rows tied on n = 2: "
        "row 1 (data/countries.csv lines 2, 3) and row 2 (data/countries.csv lines 4, 5)"
    )
    assert where_of(error) == "data.d.top"
    assert len(derived(root, **spec, top={"rows": 1, "ties": "all"}).rows) == 4
    first = derived(root, **spec, top={"rows": 1, "ties": "first"})
    assert column(first, "continent") == ["Africa"] and column(first, "year") == ["2007.0"]


# --- joins ------------------------------------------------------------------------


def test_unmatched_keys_are_one_error_listing_them_all(root: Path) -> None:
    (root / "data/codes.csv").write_text("name,iso3\nChad,TCD\nMalli,MLI\nChile,CHL\n")
    error = problem(root, join={"source": "codes", "on": "country", "match": "name"})
    assert error.message == (
        "5 rows have a 'country' that the lookup 'codes' does not have in 'name': "
        "'Mali' (data/countries.csv lines 3, 7; did you mean 'Malli'?), "
        "'Peru' (data/countries.csv lines 4, 8), 'Nepal' (data/countries.csv line 10)"
    )
    assert where_of(error) == "data.d.join"
    assert error.hint == (
        "add the keys to data/codes.csv, correct them, or set `unmatched: drop` to leave "
        "these rows out"
    )


def test_unmatched_drop_leaves_rows_out_and_says_so(root: Path) -> None:
    (root / "data/codes.csv").write_text("name,iso3\nChad,TCD\nMali,MLI\nChile,CHL\n")
    join = {"source": "codes", "on": "country", "match": "name", "unmatched": "drop"}
    table = derived(root, join=join)
    assert column(table, "country") == ["Chad", "Mali", "Chile", "Chad", "Mali", "Chile"]
    assert table.warnings == (
        "derived source 'd' leaves out 3 rows whose 'country' has no match in the lookup "
        "'codes' (`unmatched: drop`): 'Peru' (data/countries.csv lines 4, 8), "
        "'Nepal' (data/countries.csv line 10)",
    )


def test_repeated_lookup_keys_are_an_error_naming_the_lines(root: Path) -> None:
    (root / "data/codes.csv").write_text(CODES + "Chad,XXX\nPeru,PE\nPeru,PE\n")
    error = problem(root, join={"source": "codes", "on": "country", "match": "name"})
    assert error.message == (
        "the lookup 'codes' has 2 keys in 'name' on more than one row: "
        "'Chad' (data/codes.csv lines 2, 7); 'Peru' (data/codes.csv lines 4, 8, 9)"
    )
    assert where_of(error) == "data.d.join.source"


def test_join_keys_compare_numbers_by_value(tmp_path: Path) -> None:
    (tmp_path / "data").mkdir()
    (tmp_path / "data/countries.csv").write_text("code,v\n4,1\n8,2\n")
    (tmp_path / "data/codes.csv").write_text("code,name\n4.0,Afghanistan\n8,Albania\n")
    tables, problems = load(
        tmp_path, {"d": {"from": "countries", "join": {"source": "codes", "on": "code"}}}
    )
    assert problems == [] and column(tables["d"], "name") == ["Afghanistan", "Albania"]


def test_join_column_problems(root: Path) -> None:
    error = problem(root, join={"source": "codes", "on": "country"})
    assert error.message == "unknown column 'country' in data/codes.csv"
    assert error.hint.endswith("name the lookup's key column with `match`")
    assert where_of(error) == "data.d.join.on"
    (root / "data/codes.csv").write_text("country,continent,iso3\nChad,Africa,TCD\n")
    clash = problem(root, join={"source": "codes", "on": "country"})
    assert clash.message == (
        "the lookup's column 'continent' is already a column of derived source 'd'"
    )
    assert clash.hint == "list the columns to add in `columns`"


# --- chains, names, cycles --------------------------------------------------------


def test_chains_in_any_order_of_declaration(root: Path) -> None:
    tables, problems = load(
        root,
        {
            "top_continent": {"from": "by_continent", "sort": {"pop": "descending"}, "top": 1},
            "by_continent": {
                "from": "latest",
                "group_by": ["continent"],
                "aggregate": {"pop": "sum"},
            },
            "latest": {"from": "countries", "where": {"year": 2007}},
        },
    )
    assert problems == []
    top = tables["top_continent"]
    assert column(top, "continent") == ["Americas"] and column(top, "pop") == ["44.0"]
    assert origins(top, 0) == {"data/countries.csv": (4, 5)}


def test_unknown_sources_and_cycles_are_located(root: Path) -> None:
    tables, problems = load(
        root,
        {
            "a": {"from": "b"},
            "b": {"from": "a"},
            "c": {"from": "countries", "join": {"source": "cods", "on": "country"}},
            "d": {"from": "contries"},
            "e": {"from": "c"},
        },
    )
    assert {"a", "b", "c", "d", "e"}.isdisjoint(tables)
    found = {(where_of(p), p.message, p.hint) for p in problems}
    assert found == {
        (
            "data.a.from",
            "derived source 'a' is made from itself: a → b → a",
            "a source can only be derived from sources that do not need it",
        ),
        ("data.c.join.source", "unknown data source 'cods'", "did you mean 'codes'?"),
        ("data.d.from", "unknown data source 'contries'", "did you mean 'countries'?"),
    }


def test_unknown_columns_in_independent_steps_are_reported_together(root: Path) -> None:
    error = problem(
        root,
        group_by=["contnent"],
        aggregate={"p": {"sum": "popp"}, "w": {"mean": "life", "weight": "country"}},
    )
    assert isinstance(error, ErrorGroup)
    found = {(where_of(e), e.message) for e in error.errors}
    assert found == {
        ("data.d.group_by.0", "unknown column 'contnent' in derived source 'd' at this step"),
        ("data.d.aggregate.p.sum", "unknown column 'popp' in derived source 'd' at this step"),
        (
            "data.d.aggregate.w.weight",
            "column 'country' holds text, not numbers (data/countries.csv line 2: 'Chad')",
        ),
    }


def test_dividing_by_zero_names_the_row(root: Path) -> None:
    error = problem(
        root,
        compute={"z": {"difference": ["pop", "pop"]}, "r": {"ratio": ["pop", "z"]}},
        where={"country": "Chad"},
    )
    assert error.message == (
        "column 'r' divides by 'z', which is 0 on data/countries.csv lines 2, 6"
    )
    assert error.location == Location(file=root / "data/countries.csv", line=2)


# --- templates and caching --------------------------------------------------------


def test_filters_take_templates_and_each_gets_its_own_table(root: Path) -> None:
    def region(value: str) -> Any:
        return lambda text: text.replace("{{ continent }}", value)

    africa = derived(root, where={"continent": "{{ continent }}"}, substitute=region("Africa"))
    americas = derived(root, where={"continent": "{{ continent }}"}, substitute=region("Americas"))
    assert set(column(africa, "country")) == {"Chad", "Mali"}
    assert set(column(americas, "country")) == {"Peru", "Chile"}
    assert africa.fingerprint != americas.fingerprint


def test_a_derived_table_is_made_once_per_process(root: Path) -> None:
    spec = {"where": {"year": 2007}, "sort": {"pop": "descending"}}
    assert derived(root, **spec) is derived(root, **spec)


def test_the_disk_cache_gives_the_same_table(root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FACTSHEET_CACHE_DIR", str(root / "cache"))
    spec = {
        "join": {"source": "codes", "on": "country", "match": "name", "unmatched": "drop"},
        "group_by": ["continent"],
        "aggregate": {"life": {"mean": "life", "missing": "skip"}, "first": {"first": "iso3"}},
        "rank": {"by": "life", "order": "ascending"},
    }
    (root / "data/codes.csv").write_text("name,iso3\nChad,TCD\nMali,MLI\nPeru,PER\nChile,CHL\n")
    made = derived(root, **spec)
    derive.clear_cache()
    clear_cache()
    stored = derived(root, **spec)
    assert stored is not made and list((root / "cache/tables").iterdir())
    for table in (made, stored):
        assert table.rows.names == made.rows.names and dict(table.types) == dict(made.types)
        assert table.warnings == made.warnings
    for name in made.rows.names:
        assert column(stored, name) == column(made, name)
    for position in range(len(made.rows)):
        assert origins(stored, position) == origins(made, position)
    monkeypatch.setenv("FACTSHEET_CACHE", "off")
    derive.clear_cache()
    assert column(derived(root, **spec), "life") == column(made, "life")


def test_the_disk_cache_keeps_dates_and_text(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("FACTSHEET_CACHE_DIR", str(tmp_path / "cache"))
    (tmp_path / "data").mkdir()
    (tmp_path / "data/countries.csv").write_text(
        "day,name,v\n2020-01-31,Chad,1\n,Mali,2\n2021-02-01,,3\n"
    )
    (tmp_path / "data/codes.csv").write_text(CODES)
    sources = {
        "countries": {"file": "data/countries.csv", "columns": {"day": "date"}},
        "d": {"from": "countries", "sort": {"v": "descending"}},
    }
    made = load(tmp_path, sources)[0]["d"]
    derive.clear_cache()
    stored = load(tmp_path, sources)[0]["d"]
    assert stored is not made and stored.types["day"] == "date"
    for name in ("day", "name", "v"):
        assert stored.rows[name].dtype == made.rows[name].dtype
        assert column(stored, name) == column(made, name)
    assert column(stored, "day") == ["2021-02-01", "", "2020-01-31"]
    assert column(stored, "name") == ["", "Mali", "Chad"]


# --- unpivot ----------------------------------------------------------------------

WIDE = """\
country,code,2000,2005,2010,2015,note
Chad,TCD,6.1,,5.9,,
Mali,MLI,6.8,6.5,6.3,,
World,WLD,2.7,2.6,2.5,,aggregate
"""


@pytest.fixture
def wide(root: Path) -> Path:
    (root / "data/wide.csv").write_text(WIDE, encoding="utf-8")
    return root


def unpivoted(root: Path, **spec: Any) -> Table:
    tables, problems = load(
        root, {"wide": {"file": "data/wide.csv"}, "d": {"from": "wide", **spec}}
    )
    assert problems == [], [str(p) for p in problems]
    return tables["d"]


def unpivot_problem(root: Path, **spec: Any) -> FactsheetError:
    tables, problems = load(
        root, {"wide": {"file": "data/wide.csv"}, "d": {"from": "wide", **spec}}
    )
    assert "d" not in tables and len(problems) == 1, [str(p) for p in problems]
    return problems[0]


YEARS = {"columns": {"from": "2000", "to": "2015"}, "name": "year", "value": "rate"}


def test_unpivot_makes_a_row_per_row_and_column(wide: Path) -> None:
    table = unpivoted(wide, unpivot=YEARS)
    assert table.rows.names == ["country", "code", "note", "year", "rate"]
    assert dict(table.types) == {
        "country": "text", "code": "text", "note": "text", "year": "number", "rate": "number"
    }  # fmt: skip
    assert column(table, "country") == ["Chad"] * 4 + ["Mali"] * 4 + ["World"] * 4
    assert column(table, "year") == ["2000.0", "2005.0", "2010.0", "2015.0"] * 3
    # Empty cells stay: Chad's 2005, and the column 2015, which has no cell at all.
    assert column(table, "rate") == [
        "6.1", "", "5.9", "", "6.8", "6.5", "6.3", "", "2.7", "2.6", "2.5", ""
    ]  # fmt: skip
    assert column(table, "note")[8:] == ["aggregate"] * 4
    # Each new row comes from its original row's file line.
    assert [origins(table, p) for p in (0, 3, 4, 11)] == [
        {"data/wide.csv": (2,)},
        {"data/wide.csv": (2,)},
        {"data/wide.csv": (3,)},
        {"data/wide.csv": (4,)},
    ]
    assert table.locate(5) == Location(file=wide / "data/wide.csv", line=3)


def test_unpivot_runs_first_so_where_reads_its_columns(wide: Path) -> None:
    table = unpivoted(
        wide,
        where={"rate": {"empty": False}, "code": {"not": "WLD"}, "year": {"min": 2005}},
        unpivot=YEARS,
        group_by=["year"],
        aggregate={"rate": {"mean": "rate"}, "countries": {"count": True}},
    )
    # Groups in order of first appearance: Chad's 2010 comes before Mali's 2005.
    assert column(table, "year") == ["2010.0", "2005.0"]
    assert column(table, "rate") == ["6.1", "6.5"]
    assert column(table, "countries") == ["2.0", "1.0"]
    assert origins(table, 0) == {"data/wide.csv": (2, 3)}


def test_unpivot_column_names_written_as_numbers_keep_their_text(tmp_path: Path) -> None:
    from tests.test_figures import read_yaml

    def columns(written: str) -> Any:
        raw = read_yaml(
            tmp_path, f"{{from: a, unpivot: {{columns: {written}, name: y, value: v}}}}"
        )
        unpivot = Source.model_validate(raw).unpivot
        assert unpivot is not None
        return unpivot.columns

    assert columns("[1960, 2000.0]") == ("1960", "2000.0")
    assert columns("{from: 1960, to: 2013}") == ColumnRange.model_validate(
        {"from": "1960", "to": "2013"}
    )


def test_unpivot_a_list_of_columns_in_the_order_written(wide: Path) -> None:
    table = unpivoted(wide, unpivot={"columns": ["2010", "2000"], "name": "year", "value": "rate"})
    assert column(table, "year")[:2] == ["2010.0", "2000.0"]
    assert table.rows.names == ["country", "code", "2005", "2015", "note", "year", "rate"]
    names = unpivoted(wide, unpivot={"columns": ["country", "note"], "name": "what", "value": "v"})
    assert names.types["what"] == "text" and names.types["v"] == "text"
    assert column(names, "what")[:2] == ["country", "note"]
    assert column(names, "v")[:2] == ["Chad", ""]


def test_unpivot_keeps_dates_and_fills_a_column_with_no_cell(tmp_path: Path) -> None:
    (tmp_path / "data").mkdir()
    (tmp_path / "data/countries.csv").write_text(COUNTRIES)
    (tmp_path / "data/codes.csv").write_text(CODES)
    (tmp_path / "data/days.csv").write_text("id,start,end,later\na,2020-01-31,,\nb,,2021-03-01,\n")
    tables, problems = load(
        tmp_path,
        {
            "days": {"file": "data/days.csv", "columns": {"start": "date", "end": "date"}},
            "d": {"from": "days", "unpivot": {"columns": {"from": "start", "to": "later"},
                                              "name": "when", "value": "day"}},
        },
    )  # fmt: skip
    assert problems == []
    table = tables["d"]
    assert table.types["day"] == "date" and table.types["when"] == "text"
    assert column(table, "day") == ["2020-01-31", "", "", "", "2021-03-01", ""]


@pytest.mark.parametrize(
    ("spec", "at", "message", "hint"),
    [
        (
            {"columns": {"from": "code", "to": "2010"}, "name": "year", "value": "rate"},
            "data.d.unpivot.columns",
            "the columns to unpivot must hold one type of cell: 3 hold numbers, but 'code' "
            "holds text (data/wide.csv line 2: 'TCD')",
            "unpivot only columns of one kind: leave 'code' out of `columns`",
        ),
        (
            {"columns": {"from": "2001", "to": "2015"}, "name": "year", "value": "rate"},
            "data.d.unpivot.columns.from",
            "unknown column '2001' in derived source 'd' at this step",
            "columns: country, code, 2000, 2005, 2010, 2015, note; did you mean '2015'?",
        ),
        (
            {"columns": ["2000", "2050"], "name": "year", "value": "rate"},
            "data.d.unpivot.columns.1",
            "unknown column '2050' in derived source 'd' at this step",
            "columns: country, code, 2000, 2005, 2010, 2015, note; did you mean '2015'?",
        ),
        (
            {"columns": {"from": "2010", "to": "2000"}, "name": "year", "value": "rate"},
            "data.d.unpivot.columns",
            "the range of columns to unpivot runs backwards: '2000' comes before '2010' in "
            "derived source 'd'",
            'swap them: {from: "2000", to: "2010"}',
        ),
        (
            {"columns": ["2000", "2005", "2000"], "name": "year", "value": "rate"},
            "data.d.unpivot.columns",
            "'2000' is listed twice in the columns to unpivot",
            "list each column once",
        ),
        (
            {"columns": ["2000"], "name": "note", "value": "rate"},
            "data.d.unpivot.name",
            "'note' is already a column of derived source 'd', and `unpivot` keeps it",
            "give the new column another name with `name`",
        ),
    ],
)
def test_unpivot_problems_are_located(
    wide: Path, spec: dict[str, Any], at: str, message: str, hint: str
) -> None:
    error = unpivot_problem(wide, unpivot=spec)
    assert (where_of(error), error.message, error.hint) == (at, message, hint)


def test_a_filter_on_an_unpivoted_column_says_where_runs(wide: Path) -> None:
    error = unpivot_problem(wide, unpivot=YEARS, where={"2005": {"empty": False}})
    assert where_of(error) == "data.d.where.2005"
    assert error.message == (
        "'2005' is one of the columns `unpivot` turns into rows, and `where` runs after `unpivot`"
    )
    assert error.hint == (
        "filter the new rows instead: `year: 2005` keeps this column's rows, "
        "`rate: {empty: false}` leaves out empty cells"
    )


def test_both_ends_of_a_bad_range_are_reported_together(wide: Path) -> None:
    error = unpivot_problem(
        wide, unpivot={"columns": {"from": "1999", "to": "2016"}, "name": "y", "value": "v"}
    )
    assert isinstance(error, ErrorGroup)
    assert [where_of(e) for e in error.errors] == [
        "data.d.unpivot.columns.from",
        "data.d.unpivot.columns.to",
    ]


def test_unpivot_names_a_column_of_text_with_a_word_in_it(wide: Path) -> None:
    (wide / "data/wide.csv").write_text(WIDE.replace("6.5", "n/a"))
    error = unpivot_problem(wide, unpivot=YEARS)
    assert error.message == (
        "the columns to unpivot must hold one type of cell: 2 hold numbers, but '2005' "
        "holds text (data/wide.csv line 3: 'n/a')"
    )


def test_the_disk_cache_keeps_an_unpivoted_table(
    wide: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("FACTSHEET_CACHE_DIR", str(wide / "cache"))
    for spec in (YEARS, {"columns": ["country", "note"], "name": "what", "value": "v"}):
        made = unpivoted(wide, unpivot=spec)
        derive.clear_cache()
        clear_cache()
        stored = unpivoted(wide, unpivot=spec)
        assert stored is not made and dict(stored.types) == dict(made.types)
        for name in made.rows.names:
            assert column(stored, name) == column(made, name)
        rows = range(len(made.rows))
        assert [origins(stored, p) for p in rows] == [origins(made, p) for p in rows]


# --- the spec model ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ({}, "a source needs `file` (a CSV or XLSX file) or `from`"),
        ({"file": "a.csv", "from": "b"}, "a source needs `file`"),
        ({"file": "a.csv", "where": {"x": 1}, "top": 3}, "`where`, `top`: derived-source steps"),
        ({"from": "a", "columns": {"x": "text"}}, "`sheet` and `columns` describe a file"),
        ({"from": "a", "top": 3}, "`top` keeps the first rows after `sort`: add `sort`"),
        ({"from": "a", "aggregate": {"x": {"sum": "a", "mean": "b"}}}, "write one aggregate"),
        ({"from": "a", "aggregate": {"x": {"quantile": "a"}}}, "`quantile` and `q` go together"),
        (
            {"from": "a", "aggregate": {"x": {"sum": "a", "weight": "w"}}},
            "`weight` works with `mean` only",
        ),
        ({"from": "a", "aggregate": {"x": "avg"}}, "extra inputs are not permitted"),
        ({"from": "a", "compute": {"x": {"ratio": ["a"]}}}, "`ratio` needs two column names"),
        ({"from": "a", "compute": {"x": {}}}, "write one of `ratio`, `product` or `difference`"),
        ({"from": "a", "top": 0, "sort": "x"}, "greater than or equal to 1"),
        (
            {"from": "a", "unpivot": {"columns": ["x"], "name": "v", "value": "v"}},
            "`name` and `value` are two new columns",
        ),
        (
            {"from": "a", "unpivot": {"columns": [], "name": "k", "value": "v"}},
            "list the columns to unpivot",
        ),
        (
            {"file": "a.csv", "unpivot": {"columns": ["x"], "name": "k", "value": "v"}},
            "`unpivot`: derived-source steps",
        ),
    ],
)
def test_source_shapes_are_checked(raw: dict[str, Any], message: str) -> None:
    with pytest.raises(ValidationError) as caught:
        Source.model_validate(raw)
    assert message.lower() in str(caught.value).lower()


def test_shorthands(root: Path) -> None:
    source = Source.model_validate(
        {"from": "a", "aggregate": {"pop": "sum", "rows": "count"}, "sort": "pop", "top": 3}
    )
    assert source.aggregate["pop"].how == "sum" and source.aggregate["pop"].column == "pop"
    assert source.aggregate["rows"].how == "count" and source.aggregate["rows"].column is None
    assert dict(source.sort) == {"pop": "ascending"}
    assert source.top is not None and (source.top.rows, source.top.ties) == (3, "error")


# --- end to end -------------------------------------------------------------------

SPEC = """\
document:
  title: "{{ continent }}"
  author: Test Org
  year: 2007
  pages: 1
theme: un-blue
data:
  countries: {file: data/countries.csv}
  codes: {file: data/codes.csv}
  continents:
    from: latest
    group_by: [continent]
    aggregate:
      pop: sum
      life: {mean: life, weight: pop}
  latest:
    from: countries
    where: {year: 2007, continent: {not: Asia}}
    join: {source: codes, on: country, match: name}
figures:
  life: {source: continents, where: {continent: "{{ continent }}"}, column: life,
         format: {decimals: 1}}
  world: {source: latest, column: life, aggregate: mean, weight: pop, format: {decimals: 1}}
  gap: {difference: [life, world], format: {decimals: 1, sign: true}}
  biggest: {source: latest, where: {continent: "{{ continent }}"}, aggregate: max,
            column: pop, label: country}
pages:
  - blocks:
      - paragraph: "In {{ continent }} life is {{ life }} ({{ gap }} against {{ world }});
          the most populous country is {{ biggest }}."
      - chart: {type: bar, source: continents, x: continent, y: pop, id: chart,
                title: People, height: 40mm}
      - table: {source: latest, id: table, columns: [country, iso3, pop],
                where: {continent: "{{ continent }}"}}
editions:
  matrix:
    continent: {source: continents, column: continent}
  output: "output/{continent}.pdf"
"""


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return make_project(
        tmp_path / "project",
        {"countries.csv": COUNTRIES, "codes.csv": CODES},
        {"report.yaml": SPEC},
    )


def run(project: Path, *args: str) -> tuple[int, str, str]:
    old = Path.cwd()
    os.chdir(project)
    try:
        result = CliRunner().invoke(main, [*args])
    finally:
        os.chdir(old)
    return result.exit_code, result.stdout, result.stderr


def manifest(project: Path) -> dict[str, Any]:
    data = json.loads((project / "output/report.manifest.json").read_text())
    return {entry["keys"]["continent"]: entry for entry in data["editions"].values()}


def test_every_consumer_reads_a_derived_source(project: Path) -> None:
    code, _, err = run(project, "build", "factsheets/report.yaml")
    assert code == 0, err
    assert sorted(p.name for p in (project / "output").glob("*.pdf")) == [
        "africa.pdf",
        "americas.pdf",
    ]
    text = " ".join(pdf_text(project / "output/africa.pdf").split())
    assert "In Africa life is 52.2 (−15.1 against 67.3); the most populous country is Mali." in text
    assert "TCD" in text and "MLI" in text and "PER" not in text  # the table's joined column
    africa = manifest(project)["Africa"]
    assert africa["figures"]["life"]["provenance"] == {
        "source": "continents",
        "derived_from": {"data/codes.csv": [2, 3], "data/countries.csv": [2, 3]},
        "where": {"continent": "Africa"},
        "column": "life",
        "aggregate": "value",
    }
    assert africa["figures"]["biggest"]["provenance"]["derived_from"] == {
        "data/countries.csv": [3],
        "data/codes.csv": [3],
    }
    assert africa["figures"]["gap"]["provenance"] == {
        "difference": ["life", "world"],
        "operands": {"life": pytest.approx(1148 / 22), "world": pytest.approx(4440 / 66)},
    }
    assert africa["charts"]["chart"]["derived_from"]["data/countries.csv"] == [2, 3, 4, 5]


def edit_line(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new))


def test_a_base_row_change_rebuilds_the_editions_it_feeds(project: Path) -> None:
    assert run(project, "build", "factsheets/report.yaml")[0] == 0
    # Line 6 (Chad, 2002) feeds nothing printed: nothing is rebuilt.
    edit_line(project / "data/countries.csv", "Chad,Africa,2002,9,48", "Chad,Africa,2002,9,49")
    code, out, _ = run(project, "build", "factsheets/report.yaml")
    assert code == 0 and "0 built, 2 up to date" in out
    # Peru's 2007 row feeds the world mean both editions print, and the Americas' own.
    edit_line(
        project / "data/countries.csv", "Peru,Americas,2007,28,73", "Peru,Americas,2007,28,74"
    )
    code, out, _ = run(project, "build", "factsheets/report.yaml")
    assert code == 0 and "2 built, 0 up to date" in out
    # A lookup row that a printed table shows rebuilds the edition showing it.
    edit_line(project / "data/codes.csv", "Chad,TCD", "Chad,TCH")
    code, out, _ = run(project, "build", "factsheets/report.yaml")
    assert code == 0 and "2 built, 0 up to date" in out  # the chart of both reads Chad
    assert "TCH" in pdf_text(project / "output/africa.pdf")


def test_a_build_from_the_cache_is_byte_identical(project: Path, tmp_path: Path) -> None:
    def pdfs() -> dict[str, str]:
        return {
            p.name: hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted((project / "output").glob("*.pdf"))
        }

    old = os.environ.get("FACTSHEET_CACHE_DIR")
    os.environ["FACTSHEET_CACHE_DIR"] = str(tmp_path / "fresh-cache")
    try:
        assert run(project, "build", "--force", "factsheets/report.yaml")[0] == 0
        first = pdfs()
        derive.clear_cache()
        clear_cache()
        assert run(project, "build", "--force", "factsheets/report.yaml")[0] == 0
        assert pdfs() == first
        os.environ["FACTSHEET_CACHE"] = "off"
        derive.clear_cache()
        clear_cache()
        assert run(project, "build", "--force", "factsheets/report.yaml")[0] == 0
        assert pdfs() == first
    finally:
        os.environ.pop("FACTSHEET_CACHE", None)
        if old is None:
            os.environ.pop("FACTSHEET_CACHE_DIR", None)
        else:
            os.environ["FACTSHEET_CACHE_DIR"] = old


def test_a_bad_join_fails_the_build_with_a_located_error(project: Path) -> None:
    edit_line(project / "data/codes.csv", "Mali,MLI", "Malli,MLI")
    code, _, err = run(project, "build", "factsheets/report.yaml")
    assert code == 65
    assert (
        "factsheets/report.yaml:19:11: data.latest.join: 1 row has a 'country' that the "
        "lookup 'codes' does not have in 'name': 'Mali' (data/countries.csv line 3; did you "
        "mean 'Malli'?)"
    ) in err
    assert not list((project / "output").glob("**/*.pdf"))


def test_check_reports_data_and_figure_problems_together(project: Path) -> None:
    spec = project / "factsheets/report.yaml"
    edit_line(spec, "gap: {difference: [life, world]", "gap: {difference: [lfe, world]")
    edit_line(spec, "  continents:\n    from: latest", "  continents:\n    from: lates")
    edit_line(
        spec,
        "continent: {source: continents, column: continent}",
        "continent: {source: countries, column: continent, where: {continent: {not: Asia}}}",
    )
    code, _, err = run(project, "check", "factsheets/report.yaml")
    assert code == 65
    assert "data.continents.from: unknown data source 'lates' (did you mean 'latest'?)" in err
    assert "figures.gap.difference[0]: unknown figure 'lfe' (did you mean 'life'?)" in err
    assert "figures.world" not in err  # `latest` loads: its figures are fine


def test_the_matrix_reads_a_derived_source_with_exclusion_filters(project: Path) -> None:
    spec = project / "factsheets/report.yaml"
    edit_line(
        spec,
        "continent: {source: continents, column: continent}",
        "continent: {source: continents, column: continent, where: {continent: {not: [Americas]}}}",
    )
    code, _, err = run(project, "build", "factsheets/report.yaml")
    assert code == 0, err
    assert sorted(p.name for p in (project / "output").glob("*.pdf")) == ["africa.pdf"]


def test_the_matrix_leaves_out_rows_with_an_empty_cell_when_told(project: Path) -> None:
    spec = project / "factsheets/report.yaml"
    # Asia's only row (Nepal) has no `life`: without the filter, Asia would be an edition.
    edit_line(
        spec,
        "continent: {source: continents, column: continent}",
        "continent: {source: countries, column: continent, where: {life: {empty: false}}}",
    )
    code, _, err = run(project, "build", "factsheets/report.yaml")
    assert code == 0, err
    assert sorted(p.name for p in (project / "output").glob("*.pdf")) == [
        "africa.pdf",
        "americas.pdf",
    ]


def test_the_matrix_cannot_read_a_source_filtered_by_an_edition_key(project: Path) -> None:
    spec = project / "factsheets/report.yaml"
    edit_line(
        spec,
        "where: {year: 2007, continent: {not: Asia}}",
        'where: {year: 2007, continent: {not: "{{ continent }}"}}',
    )
    code, _, err = run(project, "build", "factsheets/report.yaml")
    assert code == 65
    assert "data.latest.where: the editions matrix reads this source before any edition" in err


def test_a_text_figure_cannot_be_a_tiles_delta(project: Path) -> None:
    spec = project / "factsheets/report.yaml"
    edit_line(
        spec,
        "      - chart: {type: bar",
        "      - key_figures: {tiles: [{number: '{{ life }}', delta: biggest}]}\n"
        "      - chart: {type: bar",
    )
    code, _, err = run(project, "build", "factsheets/report.yaml")
    assert code == 65
    assert (
        "pages[0].blocks[1].key_figures.tiles[0].delta: figure 'biggest' is text "
        "(a `label` figure), not a change"
    ) in err


# --- real data: World Bank tables nobody here wrote --------------------------------

REPO = Path(__file__).resolve().parents[1]
AGGREGATES = ["CAA", "LCN", "OED", "OSS", "PSS"]  # World Bank groups mixed in with countries
FERTILITY_LONG = {
    "from": "fertility",
    "unpivot": {"columns": {"from": "1960", "to": "2013"}, "name": "year", "value": "rate"},
    "where": {"Country Code": {"not": AGGREGATES}},
}


def real(sources: dict[str, dict[str, Any]]) -> dict[str, Table]:
    files = {
        "fertility": {"file": "data/fertility.csv"},
        "countrypops": {"file": "data/countrypops.csv"},
    }
    specs = {name: Source.model_validate(raw) for name, raw in (files | sources).items()}
    tables, problems = load_sources(specs, REPO, same)
    assert problems == [], [str(p) for p in problems]
    return tables


def pandas_long() -> Any:
    import pandas as pd

    wide = pd.read_csv(REPO / "data/fertility.csv", keep_default_na=False, na_values=[""])
    ids = ["Country Name", "Country Code", "Indicator Name", "Indicator Code"]
    long = wide.melt(id_vars=ids, var_name="year", value_name="rate")
    long["year"] = long["year"].astype(float)
    return long[~long["Country Code"].isin(AGGREGATES)]


def test_real_fertility_unpivots_as_pandas_melts_it() -> None:
    tables = real(
        {
            "every": FERTILITY_LONG,
            "filled": {
                **FERTILITY_LONG,
                "where": {**FERTILITY_LONG["where"], "rate": {"empty": False}},
            },
        }
    )
    every, filled, expected = tables["every"], tables["filled"], pandas_long()
    assert len(every.rows) == 214 * 54 == len(expected)  # 219 rows less the 5 aggregates
    assert dict(every.types)["year"] == "number" and every.types["rate"] == "number"
    # 2012 and 2013 have no cell at all: their rows are there, empty, never dropped.
    years = every.rows["year"]
    assert np.isnan(every.rows["rate"][(years == 2012) | (years == 2013)]).all()
    assert ((years == 2012).sum(), (years == 2013).sum()) == (214, 214)
    # `empty: false` leaves out exactly the empty cells pandas sees.
    assert len(filled.rows) == int(expected["rate"].notna().sum())
    assert not (filled.rows["year"] >= 2012).any()
    # Niger, 1960-2011, cell by cell.
    niger = expected[expected["Country Code"] == "NER"].sort_values("year")
    picked = filled.rows.where(filled.rows["Country Code"] == "NER")
    assert picked["year"].tolist() == list(range(1960, 2012)) == niger["year"].iloc[:52].tolist()
    assert picked["rate"].tolist() == niger["rate"].iloc[:52].tolist()
    # Every row of Niger comes from Niger's line of the file.
    assert filled.origins(picked) == {filled.lineage.files[0]: (144,)}
    assert filled.lineage.files[0].display_path == "data/fertility.csv"


def test_real_fertility_mean_by_year_matches_pandas() -> None:
    table = real(
        {
            "long": {
                **FERTILITY_LONG,
                "where": {**FERTILITY_LONG["where"], "rate": {"empty": False}},
            },
            "by_year": {
                "from": "long",
                "group_by": ["year"],
                "aggregate": {"mean": {"mean": "rate"}, "median": {"median": "rate"}, "n": "count"},
            },
        }
    )["by_year"]
    expected = pandas_long().dropna(subset=["rate"]).groupby("year", sort=False)["rate"]
    assert table.rows["year"].tolist() == [float(y) for y in range(1960, 2012)]
    np.testing.assert_allclose(table.rows["mean"], expected.mean().to_numpy(), rtol=1e-12)
    np.testing.assert_allclose(table.rows["median"], expected.median().to_numpy(), rtol=1e-12)
    assert table.rows["n"].tolist() == expected.size().astype(float).tolist()


def test_real_population_empty_cells_and_their_hint() -> None:
    """countrypops.csv has 30 empty cells (West Bank and Gaza, 1960-1989)."""
    import pandas as pd

    from factsheet.data.figures import compute_figure
    from factsheet.data.formats import locale_for
    from factsheet.errors import DataError
    from factsheet.spec.model import FigureSpec

    table = real({})["countrypops"]
    empty = select_rows(table, {"population": Condition(empty=True)})
    assert len(empty) == 30 and set(empty["country_name"]) == {"West Bank and Gaza"}
    assert empty["year"].tolist() == [float(y) for y in range(1960, 1990)]

    def total(where: dict[str, Any]) -> float:
        spec = FigureSpec.model_validate(
            {"source": "countrypops", "column": "population", "aggregate": "sum", "where": where}
        )
        return compute_figure("world", spec, table, locale_for("en")).value

    with pytest.raises(DataError) as caught:
        total({"year": 1970})
    assert caught.value.hint.endswith(
        "fill in the value, or leave such rows out with `where: {population: {empty: false}}`"
    )
    frame = pd.read_csv(REPO / "data/countrypops.csv", keep_default_na=False, na_values=[""])
    expected = frame.loc[frame["year"] == 1970, "population"].sum()  # pandas skips NaN
    assert total({"year": 1970, "population": {"empty": False}}) == expected


FERTILITY_SPEC = """\
document:
  title: "Fertility in {{ country }}"
  author: Test Org
  year: 2013
  pages: 1
theme: un-blue
data:
  fertility: {file: data/fertility.csv}
  fertility_long:
    from: fertility
    unpivot: {columns: {from: 1960, to: 2013}, name: year, value: rate}
    where:
      Country Code: {not: [CAA, LCN, OED, OSS, PSS]}
      rate: {empty: false}
figures:
  latest: {source: fertility_long, where: {Country Name: "{{ country }}", year: 2011},
           column: rate, format: {decimals: 2}}
  first: {source: fertility_long, where: {Country Name: "{{ country }}", year: 1960},
          column: rate, format: {decimals: 2}}
  world: {source: fertility_long, where: {year: 2011}, column: rate, aggregate: median,
          format: {decimals: 2}}
pages:
  - blocks:
      - paragraph: "In {{ country }} a woman had {{ first }} children in 1960 and
          {{ latest }} in 2011 (median of all countries: {{ world }})."
      - chart: {type: line, source: fertility_long, x: year, y: rate, id: trend,
                where: {Country Name: "{{ country }}"}, labels: false, format: {decimals: 1},
                title: "Births per woman, 1960–2011", height: 60mm}
      - table: {source: fertility_long, id: recent, total: null,
                columns: [Country Code, {column: rate, format: {decimals: 3}}],
                where: {Country Name: "{{ country }}", year: {min: 2008}}}
editions:
  matrix:
    country: {source: fertility_long, column: Country Name,
              where: {Country Code: [NER, MLI], year: 2011}}
  output: "output/{country}.pdf"
"""


def test_a_wide_real_table_builds_a_chart_over_time(tmp_path: Path) -> None:
    project = make_project(
        tmp_path / "project",
        {"fertility.csv": (REPO / "data/fertility.csv").read_text(encoding="utf-8")},
        {"report.yaml": FERTILITY_SPEC},
    )
    code, _, err = run(project, "build", "factsheets/report.yaml")
    assert code == 0, err
    assert sorted(p.name for p in (project / "output").glob("*.pdf")) == ["mali.pdf", "niger.pdf"]
    expected = pandas_long().dropna(subset=["rate"])
    niger = expected[expected["Country Code"] == "NER"].set_index("year")["rate"]
    median = expected[expected["year"] == 2011]["rate"].median()
    text = " ".join(pdf_text(project / "output/niger.pdf").split())
    assert (
        f"In Niger a woman had {niger[1960]:.2f} children in 1960 and {niger[2011]:.2f} in "
        f"2011 (median of all countries: {median:.2f})."
    ) in text
    rates = " ".join(f"NER {niger[year]:.3f}" for year in (2008, 2009, 2010, 2011))
    assert rates in text  # the table's rows, as the file has them
    data = json.loads((project / "output/report.manifest.json").read_text())
    entry = next(e for e in data["editions"].values() if e["keys"]["country"] == "Niger")
    assert entry["figures"]["latest"]["provenance"]["derived_from"] == {"data/fertility.csv": [144]}
    assert entry["charts"]["trend"]["derived_from"] == {"data/fertility.csv": [144]}
