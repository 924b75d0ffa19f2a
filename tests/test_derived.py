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

import pytest
from click.testing import CliRunner
from pydantic import ValidationError

from factsheet.cli import main
from factsheet.data import derive
from factsheet.data.derive import load_sources
from factsheet.data.filters import same
from factsheet.data.rows import cell_key
from factsheet.data.sources import Table, clear_cache
from factsheet.errors import ErrorGroup, FactsheetError
from factsheet.location import Location
from factsheet.spec.model import Source
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
    assert error.hint == "filter the row out with `where: {continent: {not: ''}}` first"


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
        ("data.d.aggregate.w.weight", "column 'country' holds text, not numbers"),
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
