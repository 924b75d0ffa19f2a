"""Analyst expectations for tables (issue 14): a total says what it adds and never
counts a row twice, a total of a cut table says so, shares and rates are never summed,
a top-N never cuts through a tie silently, and every printed cell, total and chart
value is in the manifest with the rows it came from. Cases in English, French and
Spanish where the printed text depends on the language (and a total row in Russian,
Arabic and Chinese)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.analyst.harness import error_text, page_words, render_case, spec_text
from tests.projects import invoke_in, make_project

NNBSP, NBSP = "\u202f", "\u00a0"


def words(rendered: object) -> str:
    """The page's words with no-break spaces read as spaces."""
    return page_words(rendered).replace(NNBSP, " ").replace(NBSP, " ")  # type: ignore[arg-type]


def table(total: str, columns: str = "[region, value]", extra: str = "") -> str:
    return (
        "pages:\n  - blocks:\n      - table:\n          source: rows\n"
        f"          total: {total}\n          columns: {columns}\n{extra}"
    )


# Regions and the world: the world row is the sum of the others.
WORLD = {
    "en": "region,value\nWorld,49000\nAfrica,15400\nAmericas,9700\nAsia,11800\nEurope,12100\n",
    "fr": "region,value\nMonde,49000\nAfrique,15400\nAmériques,9700\nAsie,11800\nEurope,12100\n",
    "es": "region,value\nMundo,49000\nÁfrica,15400\nAméricas,9700\nAsia,11800\nEuropa,12100\n",
}
LABEL = {"en": "All regions", "fr": "Toutes les régions", "es": "Todas las regiones"}
AGGREGATE = {"en": "World", "fr": "Monde", "es": "Mundo"}
# 49,000 in each language's grouping (French groups with a narrow no-break space).
FORTY_NINE = {"en": "49,000", "fr": "49 000", "es": "49.000"}
LANGUAGES = ("en", "fr", "es")


@pytest.mark.parametrize("language", LANGUAGES)
def test_an_aggregate_row_is_never_added_to_the_total(tmp_path: Path, language: str) -> None:
    """Today: "All regions 98,000", the world counted twice."""
    message = error_text(tmp_path, WORLD[language], table(LABEL[language]), language)
    assert f"the total row would add the row '{AGGREGATE[language]}' (line 2" in message
    assert "reads as a total of other rows" in message
    assert "table.total" in message
    assert f"aggregate_rows: {{region: {AGGREGATE[language]}}}" in message


# The other UN languages: the world row, the total's label and the world's name.
UN_WORLD = {
    "ru": (
        "region,value\nВесь мир,49000\nАфрика,15400\nАмерика,9700\nАзия,11800\n"
        "Европа,12100\n", "Все регионы", "Весь мир",
    ),
    "ar": (
        "region,value\nالعالم,49000\nأفريقيا,15400\nالأمريكتان,9700\nآسيا,11800\n"
        "أوروبا,12100\n", "جميع المناطق", "العالم",
    ),
    "zh": (
        "region,value\n全球,49000\n非洲,15400\n美洲,9700\n亚洲,11800\n欧洲,12100\n",
        "所有地区", "全球",
    ),
}  # fmt: skip


@pytest.mark.parametrize("language", sorted(UN_WORLD))
def test_an_aggregate_row_in_russian_arabic_or_chinese_is_never_added(
    tmp_path: Path, language: str
) -> None:
    rows, label, world = UN_WORLD[language]
    message = error_text(tmp_path, rows, table(label), language)
    assert f"the total row would add the row '{world}' (line 2" in message
    assert f"aggregate_rows: {{region: {world}}}" in message


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_marked_aggregate_row_is_shown_and_left_out_of_the_total(
    tmp_path: Path, language: str
) -> None:
    total = f"{{label: {LABEL[language]}, aggregate_rows: {{region: {AGGREGATE[language]}}}}}"
    text = words(render_case(tmp_path, WORLD[language], table(total), language))
    assert f"{AGGREGATE[language]} {FORTY_NINE[language]}" in text
    assert f"{LABEL[language]} {FORTY_NINE[language]}" in text


@pytest.mark.parametrize("language", LANGUAGES)
def test_an_aggregate_left_out_by_where_gives_the_true_total(tmp_path: Path, language: str) -> None:
    """The demo's way: `where` leaves the world out; the regions add up to it."""
    extra = f"          where: {{region: {{not: {AGGREGATE[language]}}}}}\n"
    text = words(
        render_case(tmp_path, WORLD[language], table(LABEL[language], extra=extra), language)
    )
    assert f"{LABEL[language]} {FORTY_NINE[language]}" in text
    assert AGGREGATE[language] not in text


def test_no_aggregate_rows_says_a_row_named_total_is_a_row_like_any_other(tmp_path: Path) -> None:
    rows = "region,value\nAll Saints,3\nSt John's,4\n"
    total = "{label: Parishes, aggregate_rows: {}}"
    assert "Parishes 7" in words(render_case(tmp_path, rows, table(total)))


@pytest.mark.parametrize(
    ("cell", "reads"),
    [
        ("Global", True),
        ("Grand total", True),
        ("Total Africa", True),
        ("Regional total", True),
        ("Toutes les régions", True),
        ("Total général", True),
        ("Todos los países", True),
        ("Global South", False),
        ("Totalitarian", False),
        ("Allemagne", False),
    ],
)
def test_which_names_read_as_a_total(cell: str, reads: bool) -> None:
    from factsheet.blocks.table_totals import AGGREGATE_NAME

    assert bool(AGGREGATE_NAME.fullmatch(cell)) is reads


SCORES = "country,value\nChad,40\nMali,35\nNiger,30\nTogo,20\nBenin,10\n"


def top(total: str, extra: str = "") -> str:
    return (
        "pages:\n  - blocks:\n      - table:\n          source: rows\n          sort: value\n"
        f"          descending: true\n          max_rows: 3\n          total: {total}\n"
        f"          columns: [country, value]\n{extra}"
    )


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_total_of_a_cut_table_must_say_which_rows_it_adds(tmp_path: Path, language: str) -> None:
    """Today: the top 3 total 105, labelled "Total" as if it were the whole (135)."""
    message = error_text(tmp_path, SCORES, top("Total"), language)
    assert "table.total: the total row of a table cut to `max_rows: 3`" in message
    assert "of: shown}` and say so in the label" in message and "`of: selected`" in message


@pytest.mark.parametrize(
    ("language", "label", "of", "expected"),
    [
        ("en", "Top 3 total", "shown", "Top 3 total 105"),
        ("fr", "Total des 3 premiers", "shown", "Total des 3 premiers 105"),
        ("es", "Total de los 3 primeros", "shown", "Total de los 3 primeros 105"),
        ("en", "All five countries", "selected", "All five countries 135"),
        ("fr", "Les cinq pays", "selected", "Les cinq pays 135"),
        ("es", "Los cinco países", "selected", "Los cinco países 135"),
    ],
)
def test_a_cut_table_adds_the_rows_it_is_told_to(
    tmp_path: Path, language: str, label: str, of: str, expected: str
) -> None:
    text = words(render_case(tmp_path, SCORES, top(f"{{label: {label}, of: {of}}}"), language))
    assert expected in text
    assert "Togo" not in text


SHARES = "region,people,urban,growth_rate\nNorth,1000,0.5,5\nSouth,3000,0.7,7\nEast,1000,0.8,5\n"
PERCENT = "{style: percent}"


@pytest.mark.parametrize("language", LANGUAGES)
def test_shares_are_never_summed(tmp_path: Path, language: str) -> None:
    """Today: the urban shares print a total of 200%."""
    columns = f"[region, people, {{column: urban, format: {PERCENT}}}]"
    message = error_text(tmp_path, SHARES, table("Total", columns), language)
    assert "table.columns[2]" in message
    assert "would add up 'urban', whose format is `percent`" in message
    assert "`total: mean`" in message and "`total: none`" in message


@pytest.mark.parametrize("language", LANGUAGES)
def test_growth_rates_are_never_summed(tmp_path: Path, language: str) -> None:
    """Today: growth rates of 5, 7 and 5 print a total of 17."""
    message = error_text(
        tmp_path, SHARES, table("Total", "[region, people, growth_rate]"), language
    )
    assert "table.columns[2]" in message
    assert "'growth_rate' reads as a share, rate or average" in message


@pytest.mark.parametrize(
    ("language", "combine", "expected"),
    [
        # (0.5 + 0.7 + 0.8) / 3 and (0.5×1000 + 0.7×3000 + 0.8×1000) / 5000
        ("en", "total: mean", "Total 5,000 67%"),
        ("fr", "total: mean", "Total 5 000 67 %"),
        ("es", "total: mean", "Total 5000 67 %"),
        ("en", "{total: mean, weight: people}", "Total 5,000 68%"),
        ("fr", "{total: mean, weight: people}", "Total 5 000 68 %"),
        ("es", "{total: mean, weight: people}", "Total 5000 68 %"),
        ("en", "total: none", "Total 5,000"),
    ],
)
def test_a_share_is_combined_as_the_spec_says(
    tmp_path: Path, language: str, combine: str, expected: str
) -> None:
    if combine.startswith("{"):
        combine = combine[1:-1]
    columns = f"[region, people, {{column: urban, format: {PERCENT}, {combine}}}]"
    text = words(render_case(tmp_path, SHARES, table("Total", columns), language))
    assert expected in text
    assert "%" not in text.split(expected)[1][:4]  # `none` leaves the cell blank


def test_an_explicit_sum_adds_shares_that_make_a_whole(tmp_path: Path) -> None:
    rows = "group,share\nA,0.25\nB,0.75\n"
    columns = f"[group, {{column: share, format: {PERCENT}, total: sum}}]"
    assert "Total 100%" in words(render_case(tmp_path, rows, table("Total", columns)))


def test_a_weight_goes_with_a_mean(tmp_path: Path) -> None:
    columns = "[region, {column: urban, total: sum, weight: people}]"
    message = error_text(tmp_path, SHARES, table("Total", columns))
    assert "`weight: people` weights the average in the total row" in message


def test_an_unknown_weight_column_is_located_with_did_you_mean(tmp_path: Path) -> None:
    columns = "[region, {column: urban, total: mean, weight: peeple}]"
    message = error_text(tmp_path, SHARES, table("Total", columns))
    assert "table.columns[1].weight" in message and "people" in message


# --- top-N ties ----------------------------------------------------------------------

TIED = "country,value\nChad,40\nMali,30\nNiger,30\nTogo,30\nBenin,10\n"


def tie_warnings(rendered: object) -> list[str]:
    """The case's warnings about ties (a one-table page also warns of its empty band)."""
    found = rendered.content.warnings  # type: ignore[attr-defined]
    return [str(w) for w in found if "tied" in str(w)]


def ranked(ties: str = "") -> str:
    return (
        "pages:\n  - blocks:\n      - table:\n          source: rows\n          sort: value\n"
        f"          descending: true\n          max_rows: 2\n{ties}"
        "          columns: [country, value]\n"
    )


def test_a_top_n_that_cuts_through_a_tie_warns(tmp_path: Path) -> None:
    """Today: Chad and Mali are shown, Niger and Togo (also 30) left out silently."""
    rendered = render_case(tmp_path, TIED, ranked())
    warnings = tie_warnings(rendered)
    assert any(
        "`max_rows: 2` cuts between rows tied at 30 in 'value'" in w
        and "line 3 is shown and lines 4, 5 left out" in w
        and "table.max_rows" in w
        for w in warnings
    ), warnings
    assert "Niger" not in words(rendered)


@pytest.mark.parametrize("language", LANGUAGES)
def test_ties_include_shows_every_tied_row(tmp_path: Path, language: str) -> None:
    rendered = render_case(tmp_path, TIED, ranked("          ties: include\n"), language)
    text = words(rendered)
    assert "Chad 40 Mali 30 Niger 30 Togo 30" in text and "Benin" not in text
    assert not tie_warnings(rendered)


def test_ties_first_keeps_the_first_without_a_warning(tmp_path: Path) -> None:
    rendered = render_case(tmp_path, TIED, ranked("          ties: first\n"))
    assert "Chad 40 Mali 30" in words(rendered) and "Niger" not in words(rendered)
    assert not tie_warnings(rendered)


def test_a_cut_between_different_values_says_nothing(tmp_path: Path) -> None:
    rendered = render_case(tmp_path, SCORES, ranked())
    assert not tie_warnings(rendered)


# --- traceability: the manifest records every printed cell, total and chart value -------


def built_manifest(tmp_path: Path, rows: str, body: str, language: str = "en") -> dict:
    root = make_project(
        tmp_path / "p", {"rows.csv": rows}, {"case.yaml": spec_text(body, language)}
    )
    result = invoke_in(root, "build", "factsheets/case.yaml")
    assert result.exit_code == 0, result.output
    document = json.loads((root / "output" / "case.manifest.json").read_text())
    (edition,) = document["editions"].values()
    return edition  # type: ignore[no-any-return]


@pytest.mark.parametrize("language", LANGUAGES)
def test_table_cells_and_total_are_in_the_manifest(tmp_path: Path, language: str) -> None:
    total = f"{{label: {LABEL[language]}, aggregate_rows: {{region: {AGGREGATE[language]}}}}}"
    edition = built_manifest(tmp_path, WORLD[language], table(total), language)
    (record,) = edition["tables"].values()
    assert record["source"] == "data/rows.csv"
    first = record["body"][0]
    assert first["rows"] == [2]
    assert first["cells"][1]["value"] == 49000
    assert first["cells"][1]["text"].replace(NNBSP, " ") == FORTY_NINE[language]
    made = record["total"]
    assert made["label"] == LABEL[language] and made["of"] == "shown"
    assert made["rows"] == [3, 4, 5, 6] and made["aggregate_rows"] == {"rows": [2]}
    (cell,) = made["cells"]
    assert cell["combine"] == "sum" and cell["value"] == 49000
    assert cell["text"].replace(NNBSP, " ") == FORTY_NINE[language]


def test_a_weighted_total_is_recorded_with_its_weight(tmp_path: Path) -> None:
    columns = "[region, {column: urban, format: {style: percent}, total: mean, weight: people}]"
    edition = built_manifest(tmp_path, SHARES, table("Total", columns))
    (cell,) = next(iter(edition["tables"].values()))["total"]["cells"]
    assert cell["combine"] == "mean" and cell["weight"] == "people"
    assert cell["value"] == pytest.approx(0.68) and cell["text"] == "68%"


@pytest.mark.parametrize(
    ("language", "text"), [("en", "15,400"), ("fr", "15 400"), ("es", "15.400")]
)
def test_chart_values_are_in_the_manifest(tmp_path: Path, language: str, text: str) -> None:
    body = (
        "pages:\n  - blocks:\n      - chart:\n          id: regions\n          type: hbar\n"
        "          source: rows\n          x: region\n          y: value\n"
        f"          where: {{region: {{not: {AGGREGATE[language]}}}}}\n"
    )
    edition = built_manifest(tmp_path, WORLD[language], body, language)
    values = edition["charts"]["regions"]["values"]
    first = values[0]
    assert first["value"] == 15400 and first["rows"] == [3]
    assert first["text"].replace(NNBSP, " ") == text
    assert [v["rows"] for v in values] == [[3], [4], [5], [6]]


@pytest.mark.parametrize(
    ("header", "refused"),
    [
        ("Urban share", True),
        ("Growth rate, %", True),
        ("GDP per head", True),
        ("Part urbaine", True),
        ("PIB par habitant", True),
        ("Taux de croissance", True),
        ("Tasa de crecimiento", True),
        ("PIB por habitante", True),
        ("Promedio", True),
        ("Offices", False),
        ("Habitants", False),
        ("Population par région", False),
        ("Población por región", False),
        ("Habitantes", False),
        ("Доля городского населения", True),
        ("ВВП на душу населения", True),
        ("Темпы роста", True),
        ("Население", False),
        ("Год", True),
        ("نسبة السكان الحضر", True),
        ("الناتج لكل فرد", True),
        ("عدد المكاتب", False),
        ("城镇人口比例", True),
        ("增长率", True),
        ("人均国内生产总值", True),
        ("办事处数量", False),
        ("年份", True),
    ],
)
def test_which_headers_read_as_shares_rates_or_averages(header: str, refused: bool) -> None:
    from factsheet.blocks.table_totals import not_additive
    from factsheet.spec.blocks import TableColumn

    assert bool(not_additive(TableColumn(column="value", header=header))) is refused


def test_a_total_label_in_short_form_is_offered_for_translation_in_an_override() -> None:
    """An edition's `blocks: {t: {total: Africa total}}` is a text to translate, as
    `total: {label: …}` is: a French edition must not print it in English unnoticed."""
    from factsheet.spec.blocks import DataTable
    from factsheet.translations.texts import is_text_path

    assert is_text_path(DataTable, ("total",))
    assert is_text_path(DataTable, ("total", "label"))
    assert not is_text_path(DataTable, ("total", "of"))
    assert not is_text_path(DataTable, ("columns", 0))


# --- a filter that hides rows ------------------------------------------------------------

PICKED = {"en": "[Africa, Asia]", "fr": "[Afrique, Asie]", "es": "[África, Asia]"}
# Africa and Asia: 15,400 + 11,800
PICKED_TOTAL = {"en": "27,200", "fr": "27 200", "es": "27.200"}


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_total_of_rows_picked_by_a_shown_column_must_say_so(
    tmp_path: Path, language: str
) -> None:
    """Today: "All regions 27,200" over two of the four regions."""
    extra = f"          where: {{region: {PICKED[language]}}}\n"
    message = error_text(tmp_path, WORLD[language], table(LABEL[language], extra=extra), language)
    assert "table.total: the table's `where` on 'region' leaves out rows such as" in message
    assert "so its total row adds only some of them" in message and "of: shown" in message


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_total_of_picked_rows_with_of_shown_prints(tmp_path: Path, language: str) -> None:
    extra = f"          where: {{region: {PICKED[language]}}}\n"
    label = {"en": "Two regions", "fr": "Deux régions", "es": "Dos regiones"}[language]
    body = table(f"{{label: {label}, of: shown}}", extra=extra)
    text = words(render_case(tmp_path, WORLD[language], body, language))
    assert f"{label} {PICKED_TOTAL[language]}" in text


def test_a_threshold_on_the_values_shown_hides_rows(tmp_path: Path) -> None:
    extra = "          where: {value: {min: 12000}}\n"
    message = error_text(tmp_path, WORLD["en"], table("Total", extra=extra))
    assert "`where` on 'value' leaves out rows such as line 4" in message


@pytest.mark.parametrize("shown", [False, True])
def test_a_filter_that_picks_a_group_picks_the_table_not_some_rows(
    tmp_path: Path, shown: bool
) -> None:
    """`year: 2021` (shown or not) chooses which table this is; its total is of all of it."""
    rows = "year,region,value\n2020,Africa,1\n2020,Asia,2\n2021,Africa,10\n2021,Asia,20\n"
    extra = "          where: {year: 2021}\n"
    columns = "[region, {column: year, total: none}, value]" if shown else "[region, value]"
    body = table("All regions", columns, extra=extra)
    assert "All regions 30" in words(render_case(tmp_path, rows, body))


@pytest.mark.parametrize(("language", "header"), [("en", "Year"), ("fr", "Année"), ("es", "Año")])
def test_years_are_never_summed(tmp_path: Path, language: str, header: str) -> None:
    """Today: a year column shown in a table with a total prints 2021 + 2021 = "4,042"."""
    rows = "region,when,value\nAfrica,2021,10\nAsia,2021,20\n"
    columns = f"[region, {{column: when, header: {header}}}, value]"
    message = error_text(tmp_path, rows, table("Total", columns), language)
    assert f"would add up 'when', whose header '{header}' reads as a year or a code" in message
    assert "table.columns[1]" in message


def test_a_number_printed_without_grouping_is_a_name(tmp_path: Path) -> None:
    rows = "region,census,value\nAfrica,2021,10\nAsia,2021,20\n"
    columns = "[region, {column: census, format: {grouping: false}}, value]"
    message = error_text(tmp_path, rows, table("Total", columns))
    assert "'census', whose format has `grouping: false` (a year or a code)" in message


def test_a_column_the_source_declares_in_percent_is_never_summed(tmp_path: Path) -> None:
    """`units: {value: percent}` says the values are percentages: a total refuses to add
    them, whatever the column is called."""
    rows = "region,value\nNorth,40\nSouth,35\n"
    spec = spec_text(table("All")).replace(
        "data: {rows: {file: data/rows.csv}}",
        "data: {rows: {file: data/rows.csv, units: {value: percent}}}",
    )
    root = make_project(tmp_path / "p", {"rows.csv": rows}, {"case.yaml": spec})
    result = invoke_in(root, "check", "factsheets/case.yaml")
    assert result.exit_code == 65, result.output
    assert "whose source declares it in `units` as a percent" in result.stderr


@pytest.mark.parametrize(
    ("language", "printed"), [("en", "All 3.02"), ("fr", "All 3,02"), ("es", "All 3,02")]
)
def test_a_total_is_added_in_decimal_as_a_calculator_adds(
    tmp_path: Path, language: str, printed: str
) -> None:
    """1.005 three times is 3.015, printed 3.02 with two decimals (half away from zero);
    binary floats make it 3.0149999… and print 3.01."""
    rows = "region,value\nA,1.005\nB,1.005\nC,1.005\n"
    columns = "[region, {column: value, format: {decimals: 2}}]"
    assert printed in words(render_case(tmp_path, rows, table("All", columns), language))
