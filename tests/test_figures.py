"""Figures: row selection, every aggregate, provenance, and the errors explaining an
empty or ambiguous selection."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from factsheet.data.calculate import compute_figures
from factsheet.data.figures import FigureValue, Provenance, compute_figure, select_rows
from factsheet.data.filters import describe_filters
from factsheet.data.formats import locale_for
from factsheet.data.sources import Table, clear_cache, load_table
from factsheet.errors import DataError
from factsheet.location import Location
from factsheet.spec.model import Condition, FigureSpec, Source

CSV = """region,year,migrants,share,code
Africa,2019,100,0.5,AF
Africa,2020,120,0.6,AF
Asia,2019,300,0.25,AS
Asia,2020,330,,AS
Europe,2019,0,0.1,NA
Europe,2020,0,0.2,NA
"""


@pytest.fixture(autouse=True)
def _fresh_cache() -> Iterator[None]:
    clear_cache()
    yield
    clear_cache()


@pytest.fixture
def table(tmp_path: Path) -> Table:
    (tmp_path / "data").mkdir()
    (tmp_path / "data/m.csv").write_text(CSV, encoding="utf-8")
    return load_table("m", Source(file="data/m.csv"), tmp_path)


def render(text: str) -> str:
    """A stand-in for the template renderer editions pass as ``substitute``."""
    return text.replace("{{ region }}", "Asia").replace("{{ year }}", "2020")


def figure(table: Table, language: str = "en", **spec: Any) -> FigureValue:
    return compute_figure(
        "x", FigureSpec.model_validate({"source": "m", **spec}), table, locale_for(language), render
    )


def failure(table: Table, **spec: Any) -> DataError:
    with pytest.raises(DataError) as caught:
        figure(table, **spec)
    return caught.value


def lines(table: Table, where: dict[str, Any]) -> list[int]:
    spec = FigureSpec.model_validate({"source": "m", "where": where, "aggregate": "count"})
    return [table.line(i) for i in select_rows(table, spec.where, render).index]


# --- selecting rows ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("where", "expected"),
    [
        ({}, [2, 3, 4, 5, 6, 7]),
        ({"region": "Asia"}, [4, 5]),
        ({"year": 2019}, [2, 4, 6]),
        ({"year": "2019"}, [2, 4, 6]),
        ({"year": 2019.0}, [2, 4, 6]),
        ({"region": ["Asia", "Europe"], "year": 2020}, [5, 7]),
        ({"migrants": {"min": 100, "max": 300}}, [2, 3, 4]),
        ({"migrants": {"min": 300}}, [4, 5]),
        ({"migrants": {"max": 0}}, [6, 7]),
        ({"share": {"min": 0}}, [2, 3, 4, 6, 7]),
        ({"code": "NA"}, [6, 7]),
        ({"region": "{{ region }}", "year": "{{ year }}"}, [5]),
        ({"region": ["{{ region }}"]}, [4, 5]),
    ],
)
def test_select_rows(table: Table, where: dict[str, Any], expected: list[int]) -> None:
    assert lines(table, where) == expected


def test_numbers_match_text_columns_as_text(tmp_path: Path) -> None:
    (tmp_path / "c.csv").write_text("code,n\n2017,1\n0042,2\nTRUE,3\n", encoding="utf-8")
    table = load_table("c", Source(file="c.csv", columns={"code": "text"}), tmp_path)
    assert lines(table, {"code": 2017}) == [2]
    assert lines(table, {"code": "0042"}) == [3]
    assert lines(table, {"code": True}) == [4]


def test_selecting_never_mutates_the_table(table: Table) -> None:
    from factsheet.data.rows import cell_key

    before = {name: values.copy() for name, values in table.rows.columns.items()}
    figure(table, column="migrants", aggregate="sum", where={"region": "Asia"})
    select_rows(table, {"year": 2019})
    for name, values in before.items():
        assert list(map(cell_key, table.rows[name])) == list(map(cell_key, values))
    assert not table.rows["migrants"].flags.writeable


@pytest.mark.parametrize(
    ("where", "message", "hint"),
    [
        (
            {"regoin": "Asia"},
            "unknown column 'regoin' in data/m.csv",
            "columns: region, year, migrants, share, code; did you mean 'region'?",
        ),
        (
            {"year": "last"},
            "column 'year' holds numbers, but the filter value 'last' is not a number",
            "",
        ),
        (
            {"year": True},
            "column 'year' holds numbers, but the filter value true is not a number",
            "",
        ),
        (
            {"region": {"min": 1}},
            "a range filter needs numbers, but column 'region' holds text (such as 'Africa')",
            "",
        ),
    ],
)
def test_bad_filters(table: Table, where: dict[str, Any], message: str, hint: str) -> None:
    error = failure(table, column="migrants", aggregate="sum", where=where)
    assert (error.message, error.hint) == (message, hint)
    # An unknown column is located at the filter that names it, the rest at the figure.
    unknown = ("figures", "x", "where", "regoin") if "regoin" in where else None
    assert (error.location.key_path if error.location else None) == unknown


@pytest.mark.parametrize(
    ("where", "hint"),
    [
        ({"region": "Afrika"}, "where region = 'Afrika'; did you mean 'Africa'?"),
        (
            {"region": ["Afrika", "Oceania"]},
            "where region in ['Afrika', 'Oceania']; did you mean 'Africa'?",
        ),
        (
            {"region": "Africa", "year": 2021},
            "where region = 'Africa', year = 2021; 'year' runs from 2019 to 2020",
        ),
        (
            {"year": {"min": 2030, "max": 2040}},
            "where year from 2030 to 2040; 'year' runs from 2019 to 2020",
        ),
        (
            {"region": "Europe", "code": "AF"},
            "where region = 'Europe', code = 'AF'; "
            "each filter matches some rows, but no row matches them all",
        ),
        (
            {"region": False},
            "where region = false; "
            "YAML reads unquoted yes, no, true and false as booleans; quote the value",
        ),
    ],
)
def test_empty_selection_explains_itself(table: Table, where: dict[str, Any], hint: str) -> None:
    error = failure(table, column="migrants", where=where)
    assert error.message == "figure 'x' selects no rows"
    assert error.hint == hint


def test_empty_selection_shows_substituted_values(table: Table) -> None:
    error = failure(table, column="migrants", where={"region": "{{ region }}", "year": 2030})
    assert error.hint == "where region = 'Asia', year = 2030; 'year' runs from 2019 to 2020"


# --- aggregates -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("spec", "value", "text", "rows"),
    [
        ({"column": "migrants", "where": {"region": "Asia", "year": 2020}}, 330, "330", (5,)),
        (
            {"column": "migrants", "aggregate": "sum", "where": {"year": 2019}},
            400,
            "400",
            (2, 4, 6),
        ),
        (
            {"column": "migrants", "aggregate": "mean", "where": {"region": "Africa"}},
            110,
            "110",
            (2, 3),
        ),
        (
            {"column": "migrants", "aggregate": "min", "where": {"region": "Asia"}},
            300,
            "300",
            (4, 5),
        ),
        ({"column": "migrants", "aggregate": "max"}, 330, "330", (2, 3, 4, 5, 6, 7)),
        ({"aggregate": "count", "where": {"year": 2020}}, 3, "3", (3, 5, 7)),
        (
            {
                "aggregate": "count",
                "column": "share",
                "where": {"region": "Asia", "share": {"empty": False}},
            },
            1,
            "1",
            (4,),
        ),
        (
            {
                "column": "share",
                "aggregate": "sum",
                "where": {"year": 2019},
                "format": {"style": "percent"},
            },
            0.85,
            "85%",
            (2, 4, 6),
        ),
    ],
)
def test_aggregates(
    table: Table, spec: dict[str, Any], value: float, text: str, rows: tuple[int, ...]
) -> None:
    result = figure(table, **spec)
    assert result.name == "x"
    assert result.value == pytest.approx(value)
    assert result.text == text
    assert result.provenance.rows == rows


def test_value_provenance(table: Table) -> None:
    result = figure(
        table,
        column="migrants",
        where={"region": "{{ region }}", "year": "{{ year }}"},
        format={"style": "compact"},
    )
    assert result.provenance == Provenance(
        source="data/m.csv",
        where={"region": "Asia", "year": "2020"},
        column="migrants",
        aggregate="value",
        rows=(5,),
    )


def test_value_needs_exactly_one_row(table: Table) -> None:
    error = failure(table, column="migrants", where={"region": "Africa"})
    assert error.message == (
        "figure 'x' selects 2 rows (lines 2, 3), but aggregate 'value' needs exactly one"
    )
    assert error.hint.startswith("add a filter on 'year' to `where` (values here: 2019, 2020); ")
    assert "or combine the rows: `aggregate: sum`, or `mean` (with `weight: <column>`" in error.hint


def test_many_matching_lines_are_abbreviated(table: Table) -> None:
    error = failure(table, column="migrants")
    assert error.message == (
        "figure 'x' selects 6 rows (lines 2, 3, 4, 5, 6, …), "
        "but aggregate 'value' needs exactly one"
    )
    assert error.hint.startswith(
        "add a filter on 'region' to `where` (values here: 'Africa', 'Asia', 'Europe'); "
    )


def test_share(table: Table) -> None:
    result = figure(
        table,
        column="migrants",
        aggregate="share",
        where={"region": "Africa", "year": 2019},
        of={"year": 2019},
        format={"style": "percent"},
    )
    assert result.value == pytest.approx(0.25)
    assert result.text == "25%"
    assert result.provenance.rows == (2,)
    assert result.provenance.of == {"year": 2019}
    assert result.provenance.of_rows == (2, 4, 6)


def test_share_of_every_row_by_default(table: Table) -> None:
    result = figure(table, column="migrants", aggregate="share", where={"region": "Asia"})
    assert result.value == pytest.approx(630 / 850)
    assert result.provenance.of_rows == (2, 3, 4, 5, 6, 7)


def test_share_of_zero(table: Table) -> None:
    error = failure(
        table,
        column="migrants",
        aggregate="share",
        where={"region": "Europe"},
        of={"region": "Europe"},
    )
    assert error.message == "figure 'x': the total to take a share of is 0"
    assert error.hint == "'of' selects 2 rows whose 'migrants' adds up to 0"


def test_share_with_an_empty_total(table: Table) -> None:
    error = failure(
        table, column="migrants", aggregate="share", where={"region": "Asia"}, of={"year": 1990}
    )
    assert error.message == "figure 'x' selects no rows for 'of'"
    assert error.hint == "where year = 1990; 'year' runs from 2019 to 2020"


@pytest.mark.parametrize(("relative", "value", "text"), [(False, 30, "+30"), (True, 0.1, "+10%")])
def test_change(table: Table, relative: bool, value: float, text: str) -> None:
    style = "percent" if relative else "number"
    ends: dict[str, Any] = {"from": {"year": 2019}, "to": {"year": "{{ year }}"}}
    result = figure(
        table,
        column="migrants",
        aggregate="change",
        where={"region": "{{ region }}"},
        relative=relative,
        format={"style": style, "sign": True},
        **ends,
    )
    assert result.value == pytest.approx(value)
    assert result.text == text
    assert result.provenance.rows == (4, 5)
    assert result.provenance.where == {"region": "Asia"}
    assert result.provenance.from_ == {"year": 2019}
    assert result.provenance.to == {"year": "2020"}


def test_change_needs_one_row_at_each_end(table: Table) -> None:
    error = failure(
        table,
        column="migrants",
        aggregate="change",
        **{"from": {"year": 2019}, "to": {"year": 2020}},
    )
    assert error.message == (
        "figure 'x' selects 3 rows for 'from' (lines 2, 4, 6), "
        "but aggregate 'change' needs exactly one"
    )
    assert error.hint.startswith(
        "add a filter on 'region' to `where` (values here: 'Africa', 'Asia', 'Europe'); "
    )
    # Totals of several rows are compared by figures of figures, not by `change`.
    assert "a third with `change: [earlier, later]`" in error.hint
    assert "aggregate: sum" in error.hint


def test_change_with_no_end_row(table: Table) -> None:
    error = failure(
        table,
        column="migrants",
        aggregate="change",
        where={"region": "Asia"},
        **{"from": {"year": 2019}, "to": {"year": 2021}},
    )
    assert error.message == "figure 'x' selects no rows for 'to'"
    assert error.hint == "where region = 'Asia', year = 2021; 'year' runs from 2019 to 2020"


def test_relative_change_from_zero(table: Table) -> None:
    error = failure(
        table,
        column="migrants",
        aggregate="change",
        relative=True,
        where={"region": "Europe"},
        **{"from": {"year": 2019}, "to": {"year": 2020}},
    )
    assert error.message == "figure 'x': a relative change from 0 is undefined"
    assert error.location == Location(file=table.path, line=6)


def test_empty_cell_in_a_used_row(table: Table) -> None:
    error = failure(table, column="share", aggregate="sum", where={"region": "Asia"})
    assert error.message == "column 'share' is empty"
    assert error.location == Location(file=table.path, line=5)
    assert error.hint == (
        "figure 'x' uses this row; fill in the value, or leave such rows out with "
        "`where: {share: {empty: false}}`"
    )


@pytest.mark.parametrize("aggregate", ["value", "sum", "mean", "min", "max", "share", "change"])
def test_numeric_aggregates_need_a_number_column(table: Table, aggregate: str) -> None:
    extra: dict[str, Any] = (
        {"from": {"year": 2019}, "to": {"year": 2020}} if aggregate == "change" else {}
    )
    error = failure(table, column="region", aggregate=aggregate, **extra)
    assert error.message == (
        "column 'region' in data/m.csv holds text, not numbers (line 2: 'Africa')"
    )
    assert error.hint == "a column is read as numbers only when every cell is a number or empty"


def test_a_number_column_with_one_text_cell_names_that_cell(tmp_path: Path) -> None:
    (tmp_path / "m.csv").write_text("year,value\n2019,1\n2020,n/a\n2021,3\n")
    table = load_table("m", Source(file="m.csv"), tmp_path)
    error = failure(table, column="value", aggregate="sum")
    assert error.message == "column 'value' in m.csv holds text, not numbers (line 3: 'n/a')"


def test_an_empty_column_says_so(tmp_path: Path) -> None:
    """A column left empty in every row (fertility.csv's 2012) is not 'text'."""
    (tmp_path / "m.csv").write_text("year,value\n2019,\n2020,\n")
    table = load_table("m", Source(file="m.csv"), tmp_path)
    error = failure(table, column="value", aggregate="sum")
    assert error.message == "column 'value' in m.csv is empty in every row"


def test_unknown_value_column(table: Table) -> None:
    error = failure(table, column="migrnats", aggregate="sum")
    assert error.message == "unknown column 'migrnats' in data/m.csv"
    assert error.hint.endswith("did you mean 'migrants'?")


def test_non_finite_result(tmp_path: Path) -> None:
    (tmp_path / "big.csv").write_text("v\n1e308\n1e308\n", encoding="utf-8")
    table = load_table("m", Source(file="big.csv", columns={"v": "number"}), tmp_path)
    error = failure(table, column="v", aggregate="sum")
    assert error.message == "figure 'x' is not a number (inf)"


def test_an_empty_table(tmp_path: Path) -> None:
    (tmp_path / "e.csv").write_text("v,w\n", encoding="utf-8")
    table = load_table("m", Source(file="e.csv", columns={"v": "number"}), tmp_path)
    error = failure(table, column="v", aggregate="sum", where={"v": 1})
    assert error.message == "figure 'x' selects no rows"
    assert error.hint == "e.csv has no data rows"


def test_text_uses_the_locale(table: Table) -> None:
    result = figure(
        table,
        "fr",
        column="share",
        aggregate="mean",
        where={"year": 2019},
        format={"style": "percent", "decimals": 1},
    )
    assert result.text == "28,3\u00a0%"


def test_date_filters(tmp_path: Path) -> None:
    (tmp_path / "d.csv").write_text("day,v\n2020-01-31,1\n2020-02-29,2\n", encoding="utf-8")
    table = load_table("m", Source(file="d.csv", columns={"day": "date"}), tmp_path)
    assert lines(table, {"day": "2020-02-29"}) == [3]
    error = failure(table, column="v", where={"day": "29/02/2020"})
    assert error.message == (
        "column 'day' holds dates, but the filter value '29/02/2020' is not a date"
    )
    assert error.hint == "write dates as YYYY-MM-DD"
    error = failure(table, column="v")
    assert error.hint.startswith(
        "add a filter on 'day' to `where` (values here: '2020-01-31', '2020-02-29'); "
    )


# --- exclusion filters ------------------------------------------------------------


@pytest.mark.parametrize(
    ("where", "expected"),
    [
        ({"region": {"not": "Asia"}}, [2, 3, 6, 7]),
        ({"region": {"not": ["Asia", "Europe"]}}, [2, 3]),
        ({"region": {"not": "{{ region }}"}}, [2, 3, 6, 7]),
        ({"region": {"not": ["{{ region }}"]}, "year": 2020}, [3, 7]),
        ({"year": {"not": 2019}}, [3, 5, 7]),
        ({"year": {"not": "2019"}}, [3, 5, 7]),
        ({"migrants": {"min": 100, "not": 300}}, [2, 3, 5]),
        # An empty cell equals no value, so `not` keeps it (row 5 has no share).
        ({"share": {"not": 0.5}}, [3, 4, 5, 6, 7]),
        ({"code": {"not": "NA"}}, [2, 3, 4, 5]),
    ],
)
def test_exclusion_filters(table: Table, where: dict[str, Any], expected: list[int]) -> None:
    assert lines(table, where) == expected


def test_exclusion_filters_say_what_they_did(table: Table) -> None:
    error = failure(
        table,
        column="migrants",
        aggregate="sum",
        where={"region": {"not": ["Africa", "Asia", "Europe"]}},
    )
    assert error.message == "figure 'x' selects no rows"
    assert error.hint == (
        "where region not in ['Africa', 'Asia', 'Europe']; "
        "every row's 'region' is a value that `not` leaves out"
    )
    result = figure(
        table, column="migrants", aggregate="sum", where={"region": {"not": "{{ region }}"}}
    )
    assert result.provenance.where == {"region": {"not": "Asia"}}
    assert describe_filters([("year", Condition(min=2019, **{"not": 2020}))]) == (
        "year from 2019, year is not 2020"
    )


def test_exclusion_filter_values_are_checked(table: Table) -> None:
    error = failure(table, column="migrants", aggregate="sum", where={"year": {"not": "last"}})
    assert (
        error.message == "column 'year' holds numbers, but the filter value 'last' is not a number"
    )


@pytest.mark.parametrize(
    ("where", "message"),
    [
        ({"region": {}}, "a filter mapping needs `min`, `max`, `not` or `empty`"),
        ({"region": {"not": []}}, "`not` needs at least one value"),
    ],
)
def test_empty_filter_mappings_are_refused(where: dict[str, Any], message: str) -> None:
    from pydantic import ValidationError

    with pytest.raises(ValidationError, match=re.escape(message)):
        FigureSpec.model_validate({"source": "m", "aggregate": "count", "where": where})


# --- more aggregates --------------------------------------------------------------


@pytest.mark.parametrize(
    ("spec", "value", "rows"),
    [
        ({"aggregate": "median", "column": "migrants", "where": {"year": 2019}}, 100, (2, 4, 6)),
        ({"aggregate": "median", "column": "migrants", "where": {"region": "Africa"}}, 110, (2, 3)),
        (
            {"aggregate": "quantile", "q": 0.9, "column": "migrants", "where": {"year": 2019}},
            260,  # sorted 0, 100, 300: 80% of the way from 100 to 300
            (2, 4, 6),
        ),
        ({"aggregate": "count_distinct", "column": "region"}, 3, (2, 3, 4, 5, 6, 7)),
        ({"aggregate": "count_distinct", "column": "migrants"}, 5, (2, 3, 4, 5, 6, 7)),
        (
            {"aggregate": "mean", "weight": "migrants", "column": "share", "where": {"year": 2019}},
            0.3125,  # (0.5 × 100 + 0.25 × 300 + 0.1 × 0) ÷ 400
            (2, 4, 6),
        ),
        ({"aggregate": "min", "column": "migrants", "where": {"year": 2020}}, 0, (3, 5, 7)),
    ],
)
def test_new_aggregates(
    table: Table, spec: dict[str, Any], value: float, rows: tuple[int, ...]
) -> None:
    result = figure(table, **spec)
    assert result.value == pytest.approx(value)
    assert result.provenance.rows == rows
    assert not result.is_text


def test_weighted_mean_provenance_names_the_weight(table: Table) -> None:
    result = figure(
        table, aggregate="mean", weight="migrants", column="share", where={"year": 2019}
    )
    assert result.provenance.record() == {
        "source": "data/m.csv",
        "where": {"year": 2019},
        "column": "share",
        "aggregate": "mean",
        "weight": "migrants",
        "rows": [2, 4, 6],
    }


def test_an_empty_weight_is_an_error_at_its_line(table: Table) -> None:
    error = failure(
        table, aggregate="mean", weight="share", column="migrants", where={"region": "Asia"}
    )
    assert error.message == "column 'share' is empty"
    assert error.location == Location(file=table.path, line=5)


def test_a_text_weight_is_refused(table: Table) -> None:
    error = failure(table, aggregate="mean", weight="region", column="migrants")
    assert error.message == (
        "the weight column 'region' in data/m.csv holds text, not numbers (line 2: 'Africa')"
    )


def test_count_distinct_refuses_an_empty_text_cell(tmp_path: Path) -> None:
    (tmp_path / "t.csv").write_text("name,n\nChad,1\n,2\nMali,3\n", encoding="utf-8")
    table = load_table("m", Source(file="t.csv"), tmp_path)
    error = failure(table, aggregate="count_distinct", column="name")
    assert error.message == "column 'name' is empty"
    assert error.location == Location(file=table.path, line=3)


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ({"aggregate": "quantile", "column": "v"}, "aggregate 'quantile' and `q` go together"),
        (
            {"aggregate": "median", "column": "v", "q": 0.5},
            "aggregate 'quantile' and `q` go together",
        ),
        (
            {"aggregate": "sum", "column": "v", "weight": "w"},
            "`weight` works with aggregate 'mean' only",
        ),
        (
            {"aggregate": "sum", "column": "v", "label": "n"},
            "`label` works with aggregate 'max', 'min' or 'value'",
        ),
        ({"aggregate": "max", "column": "v", "ties": "first"}, "`ties` works with `label` only"),
        (
            {"aggregate": "max", "column": "v", "label": "n", "format": {"decimals": 1}},
            "a `label` figure prints its cell as written: leave out `format`",
        ),
        ({"aggregate": "quantile", "column": "v", "q": 1.5}, "less than or equal to 1"),
    ],
)
def test_figure_shapes_are_checked(spec: dict[str, Any], message: str) -> None:
    from pydantic import ValidationError

    with pytest.raises(ValidationError, match=re.escape(message)):
        FigureSpec.model_validate({"source": "m", **spec})


# --- text figures -----------------------------------------------------------------


def test_label_of_the_largest_value(table: Table) -> None:
    result = figure(table, aggregate="max", column="migrants", label="region")
    assert (result.text, result.value, result.is_text) == ("Asia", 330, True)
    assert result.provenance.rows == (5,)
    assert result.provenance.record()["label"] == "region"


def test_label_of_the_smallest_value_and_of_one_row(table: Table) -> None:
    assert (
        figure(
            table,
            aggregate="min",
            column="migrants",
            label="region",
            where={"region": {"not": "Europe"}},
        ).text
        == "Africa"
    )
    # A number cell prints as the cell reads, not as a formatted figure.
    assert figure(table, aggregate="max", column="migrants", label="year").text == "2020"
    one = figure(table, column="migrants", label="code", where={"region": "Asia", "year": 2019})
    assert one.text == "AS"


def test_tied_labels_are_an_error_naming_the_rows(table: Table) -> None:
    error = failure(table, aggregate="min", column="migrants", label="region")
    assert error.message == (
        "figure 'x': 2 rows hold the smallest 'migrants' (0): 'Europe', 'Europe' (lines 6, 7)"
    )
    assert "set `ties: first`" in error.hint
    chosen = figure(table, aggregate="min", column="migrants", label="year", ties="first")
    assert (chosen.text, chosen.provenance.rows) == ("2019", (6,))


def test_an_empty_label_cell_is_an_error(tmp_path: Path) -> None:
    (tmp_path / "t.csv").write_text("name,n\nChad,1\n,5\n", encoding="utf-8")
    table = load_table("m", Source(file="t.csv"), tmp_path)
    error = failure(table, aggregate="max", column="n", label="name")
    assert error.message == "figure 'x': the label column 'name' is empty in the row it picks"
    assert error.location == Location(file=table.path, line=3)


# --- provenance in the spec's words -----------------------------------------------


def test_change_provenance_says_from_not_from_(table: Table) -> None:
    result = figure(
        table,
        column="migrants",
        aggregate="change",
        where={"region": "Asia"},
        **{"from": {"year": 2019}, "to": {"year": 2020}},
    )
    record = result.provenance.record()
    assert record["from"] == {"year": 2019} and record["to"] == {"year": 2020}
    assert "from_" not in json.dumps(record)


# --- figure arithmetic ------------------------------------------------------------


def figures(
    table: Table, specs: dict[str, dict[str, Any]]
) -> tuple[dict[str, FigureValue], list[Any]]:
    """Compute a set of figures; those that are not arithmetic read table `m`."""
    arithmetic = {"difference", "ratio", "change"}
    models = {
        name: FigureSpec.model_validate(spec if arithmetic & set(spec) else {"source": "m", **spec})
        for name, spec in specs.items()
    }
    return compute_figures(models, {"m": table}, locale_for("en"), render)


ASIA = {"column": "migrants", "aggregate": "sum", "where": {"region": "Asia"}}
AFRICA = {"column": "migrants", "aggregate": "sum", "where": {"region": "Africa"}}


def test_arithmetic_in_any_order_of_declaration(table: Table) -> None:
    values, problems = figures(
        table,
        {
            "gap": {"difference": ["asia", "africa"], "format": {"sign": True}},
            "times": {"ratio": ["asia", "africa"], "format": {"decimals": 2}},
            "growth": {"change": ["africa", "asia"], "format": {"style": "percent"}},
            "of_gap": {"ratio": ["gap", "asia"], "format": {"style": "percent"}},
            "asia": ASIA,
            "africa": AFRICA,
        },
    )
    assert problems == []
    assert {n: v.text for n, v in values.items()} == {
        "gap": "+410",
        "times": "2.86",
        "growth": "186%",
        "of_gap": "65%",
        "asia": "630",
        "africa": "220",
    }
    assert list(values) == ["gap", "times", "growth", "of_gap", "asia", "africa"]
    assert values["gap"].provenance.record() == {
        "difference": ["asia", "africa"],
        "operands": {"asia": 630.0, "africa": 220.0},
    }


def test_arithmetic_problems_are_all_reported_and_located(table: Table) -> None:
    values, problems = figures(
        table,
        {
            "asia": ASIA,
            "name": {"aggregate": "max", "column": "migrants", "label": "region"},
            "zero": {"column": "migrants", "aggregate": "sum", "where": {"region": "Europe"}},
            "typo": {"difference": ["asai", "asia"]},
            "loop_a": {"ratio": ["loop_b", "asia"]},
            "loop_b": {"difference": ["loop_a", "asia"]},
            "text": {"ratio": ["asia", "name"]},
            "by_zero": {"ratio": ["asia", "zero"]},
            "from_zero": {"change": ["zero", "asia"]},
            "after_typo": {"difference": ["typo", "asia"]},
        },
    )
    assert set(values) == {"asia", "name", "zero"}
    found = {(".".join(map(str, p.location.key_path)), p.message, p.hint) for p in problems}
    assert found == {
        ("figures.typo.difference.0", "unknown figure 'asai'", "did you mean 'asia'?"),
        (
            "figures.loop_a.ratio",
            "figure 'loop_a' is worked out from itself: loop_a → loop_b → loop_a",
            "a figure can only use figures that do not use it",
        ),
        (
            "figures.text.ratio.1",
            "figure 'name' is text (a `label` figure), so `ratio` cannot use it",
            "use a figure of the same rows without `label`",
        ),
        (
            "figures.by_zero",
            "figure 'by_zero' divides 'asia' by 'zero', which is 0",
            "'zero' prints as 0",
        ),
        (
            "figures.from_zero",
            "figure 'from_zero': a relative change from 'zero' to 'asia' is undefined, "
            "because 'zero' is 0",
            "use `difference: [asia, zero]` for the plain difference",
        ),
    }


def test_an_operand_that_failed_is_not_reported_twice(table: Table) -> None:
    values, problems = figures(
        table,
        {
            "bad": {"column": "migrants", "where": {"region": "Mars"}},
            "gap": {"difference": ["bad", "bad"]},
        },
    )
    assert values == {} and [p.message for p in problems] == ["figure 'bad' selects no rows"]


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ({"difference": ["a"]}, "`difference` needs two figure names: [a, b]"),
        ({"ratio": ["a", "b", "c"]}, "`ratio` needs two figure names: [a, b]"),
        ({"difference": ["a", "b"], "ratio": ["a", "b"]}, "write one of `difference`, `ratio`"),
        (
            {"difference": ["a", "b"], "source": "m"},
            "`difference` works on two figures: leave out `source`",
        ),
        ({"change": ["a", "b"], "where": {"x": 1}, "from": {"y": 1}}, "leave out `where`, `from`"),
        (
            {"column": "v"},
            "a figure needs a `source`, or `difference`, `ratio` or `change` of two figures",
        ),
    ],
)
def test_arithmetic_shapes_are_checked(spec: dict[str, Any], message: str) -> None:
    from pydantic import ValidationError

    with pytest.raises(ValidationError, match=re.escape(message)):
        FigureSpec.model_validate(spec)


# --- empty-cell filters -----------------------------------------------------------

DATED = """\
region,day,count,note
Africa,2020-01-31,1,first
Asia,,2,
Europe,2020-03-31,,late
Americas,,,
"""


@pytest.fixture
def dated(tmp_path: Path) -> Table:
    (tmp_path / "d.csv").write_text(DATED, encoding="utf-8")
    return load_table("m", Source(file="d.csv", columns={"day": "date"}), tmp_path)


@pytest.mark.parametrize(
    ("where", "expected"),
    [
        ({"day": {"empty": False}}, [2, 4]),  # a date column
        ({"day": {"empty": True}}, [3, 5]),
        ({"count": {"empty": False}}, [2, 3]),  # a number column
        ({"count": {"empty": True}}, [4, 5]),
        ({"note": {"empty": False}}, [2, 4]),  # a text column: an empty cell is ''
        ({"note": {"empty": True}}, [3, 5]),
        ({"note": {"empty": False, "not": "late"}}, [2]),  # with the other conditions
        ({"count": {"empty": False, "min": 2}}, [3]),
        ({"count": {"empty": False}, "day": {"empty": True}}, [3]),
        ({"region": {"empty": True}}, []),
    ],
)
def test_empty_filters_on_every_column_type(
    dated: Table, where: dict[str, Any], expected: list[int]
) -> None:
    assert lines(dated, where) == expected


def test_an_empty_filter_says_what_it_did(dated: Table) -> None:
    error = failure(dated, aggregate="count", where={"region": {"empty": True}})
    assert error.message == "figure 'x' selects no rows"
    assert error.hint == "where region is empty; every row's 'region' is filled in"
    error = failure(
        dated, aggregate="count", where={"note": {"empty": False, "not": ["first", "late"]}}
    )
    assert error.hint == (
        "where note is not empty, note not in ['first', 'late']; "
        "every row's 'note' is empty or a value that `not` leaves out"
    )
    chosen = figure(dated, column="count", aggregate="sum", where={"count": {"empty": False}})
    assert chosen.value == 3 and chosen.provenance.rows == (2, 3)
    assert chosen.provenance.where == {"count": {"empty": False}}


def test_empty_true_with_a_range_is_refused() -> None:
    from pydantic import ValidationError

    with pytest.raises(ValidationError, match=re.escape("`empty: true` keeps only empty cells")):
        Condition.model_validate({"empty": True, "min": 0})


def read_yaml(folder: Path, text: str) -> Any:
    """`text` as the spec loader reads it."""
    from factsheet.spec.loader import load_yaml

    (folder / "w.yaml").write_text(text, encoding="utf-8")
    return load_yaml(folder / "w.yaml").data


def test_the_empty_cell_hint_gives_a_filter_that_works(table: Table, tmp_path: Path) -> None:
    """Follow the hint of the error for an empty cell, and the figure computes."""
    error = failure(table, column="share", aggregate="sum", where={"region": "Asia"})
    written = re.search(r"`where: (\{.*\})`", error.hint)
    assert written is not None
    where = read_yaml(tmp_path, written.group(1))
    assert where == {"share": {"empty": False}}
    fixed = figure(table, column="share", aggregate="sum", where={"region": "Asia", **where})
    assert fixed.value == 0.25 and fixed.provenance.rows == (4,)


@pytest.mark.parametrize(
    "name", ["2011", "Country Name", "share", "1.10", "0755", "a: b", "true", "x#y", " lead"]
)
def test_hint_filters_quote_column_names_that_need_it(name: str, tmp_path: Path) -> None:
    from factsheet.data.filters import keep_filled

    written = keep_filled(name)
    assert written.startswith("`where: ") and written.endswith("`")
    assert read_yaml(tmp_path, written[len("`where: ") : -1]) == {name: {"empty": False}}
