"""Analyst expectations for figure arithmetic and number formats (issue 14, items 2, 3,
9, 10 and 11, and the misleading defaults, currency signs and `count` of a column):
input rows, a spec fragment, and the text an analyst expects in English, French and
Spanish, or the error (its key phrases) they expect instead of a plausible wrong number."""

from __future__ import annotations

from pathlib import Path

import pytest

from factsheet.build import render
from factsheet.errors import FactsheetError
from tests.analyst.harness import error_text, figure_text, page_words, render_case
from tests.projects import invoke_in, make_project

NBSP, NNBSP, MINUS = "\u00a0", "\u202f", "\u2212"
LANGUAGES = ("en", "fr", "es")


def fig(name: str, fields: str) -> str:
    """`figures:` with one figure of `rows`."""
    return f"figures:\n  {name}: {{source: rows, {fields}}}\n"


SHARES = "region,year,share\nGlobal,2000,0.67\nGlobal,2017,0.72\n"
MIGRANTS = "region,year,v\nA,2000,-10\nA,2010,-5\nB,2000,10\nB,2010,30\n"

# (id, rows, spec body, figure, {language: expected text})
PRINTED = [
    # item 11: decimal arithmetic, as a calculator gives it
    (
        "difference-decimal",
        "v\n0.7\n0.015\n",
        "figures:\n"
        "  a: {source: rows, where: {v: 0.7}, column: v}\n"
        "  b: {source: rows, where: {v: 0.015}, column: v}\n"
        "  d: {difference: [a, b], format: {decimals: 2}}\n",
        "d",
        {"en": "0.69", "fr": "0,69", "es": "0,69"},
    ),
    (
        "mean-decimal",
        "v\n0.01\n2.32\n",
        fig("m", "column: v, aggregate: mean, format: {decimals: 2}"),
        "m",
        {"en": "1.17", "fr": "1,17", "es": "1,17"},
    ),
    (
        "median-decimal",
        "v\n0.01\n2.32\n",
        fig("m", "column: v, aggregate: median, format: {decimals: 2}"),
        "m",
        {"en": "1.17", "fr": "1,17", "es": "1,17"},
    ),
    (
        "sum-decimal-duplicates",
        "v\n1.005\n1.005\n1.005\n",
        fig("s", "column: v, aggregate: sum, format: {decimals: 2}"),
        "s",
        {"en": "3.02", "fr": "3,02", "es": "3,02"},
    ),
    # item 2: relative change from a negative base follows the real direction
    (
        "relative-change-negative-base",
        MIGRANTS,
        fig(
            "c",
            "where: {region: A}, column: v, aggregate: change, from: {year: 2000}, "
            "to: {year: 2010}, relative: true, format: {style: percent, sign: true}",
        ),
        "c",
        {"en": "+50%", "fr": f"+50{NBSP}%", "es": f"+50{NBSP}%"},
    ),
    (
        "change-of-figures-negative-base",
        MIGRANTS,
        "figures:\n"
        "  a: {source: rows, where: {region: A, year: 2000}, column: v}\n"
        "  b: {source: rows, where: {region: A, year: 2010}, column: v}\n"
        "  c: {change: [a, b], format: {style: percent, sign: true}}\n",
        "c",
        {"en": "+50%", "fr": f"+50{NBSP}%", "es": f"+50{NBSP}%"},
    ),
    # item 10: a genuine +200% still prints, with no unit and no warning
    (
        "relative-change-200",
        MIGRANTS,
        fig(
            "c",
            "where: {region: B}, column: v, aggregate: change, from: {year: 2000}, "
            "to: {year: 2010}, relative: true, format: {style: percent, sign: true}",
        ),
        "c",
        {"en": "+200%", "fr": f"+200{NBSP}%", "es": f"+200{NBSP}%"},
    ),
    # item 3: a change of a share in percentage points
    (
        "change-in-points",
        SHARES,
        fig(
            "p",
            "column: share, aggregate: change, from: {year: 2000}, to: {year: 2017}, "
            "format: {style: points, sign: true}",
        ),
        "p",
        {"en": f"+5{NBSP}pp", "fr": f"+5{NBSP}pt", "es": f"+5{NBSP}p.{NBSP}p."},
    ),
    (
        "difference-in-points-percent-unit",
        "region,year,share\nGlobal,2000,67.5\nGlobal,2017,72\n",
        "figures:\n"
        "  a: {source: rows, where: {year: 2000}, column: share, unit: percent}\n"
        "  b: {source: rows, where: {year: 2017}, column: share, unit: percent}\n"
        "  d: {difference: [b, a], format: {style: points, decimals: 1, sign: true}}\n",
        "d",
        {"en": f"+4.5{NBSP}pp", "fr": f"+4,5{NBSP}pt", "es": f"+4,5{NBSP}p.{NBSP}p."},
    ),
    # item 10: a value written as a percentage
    (
        "unit-percent-figure",
        "v\n72\n",
        fig("f", "column: v, unit: percent, format: {style: percent}"),
        "f",
        {"en": "72%", "fr": f"72{NBSP}%", "es": f"72{NBSP}%"},
    ),
    (
        "unit-fraction-figure",
        "v\n1.2\n1.5\n",
        fig("f", "where: {v: 1.2}, column: v, unit: fraction, format: {style: percent}"),
        "f",
        {"en": "120%", "fr": f"120{NBSP}%", "es": f"120{NBSP}%"},
    ),
    # misleading defaults: never 0 for 0.3, 1 for 0.72 or 2K for 1,500
    (
        "default-fraction",
        "v\n0.3\n",
        fig("f", "column: v"),
        "f",
        {"en": "0.3", "fr": "0,3", "es": "0,3"},
    ),
    (
        "default-fraction-two-digits",
        "v\n0.72\n",
        fig("f", "column: v"),
        "f",
        {"en": "0.72", "fr": "0,72", "es": "0,72"},
    ),
    (
        "default-percent-small",
        "v\n0.045\n",
        fig("f", "column: v, format: {style: percent}"),
        "f",
        {"en": "4.5%", "fr": f"4,5{NBSP}%", "es": f"4,5{NBSP}%"},
    ),
    (
        "default-compact",
        "v\n1500\n",
        fig("f", "column: v, format: {style: compact}"),
        "f",
        {"en": "1.5K", "fr": f"1,5{NBSP}k", "es": f"1,5{NBSP}mil"},
    ),
    (
        "default-whole-stays-whole",
        "v\n1234.5\n",
        fig("f", "column: v"),
        "f",
        {"en": "1,235", "fr": f"1{NNBSP}235", "es": "1235"},
    ),
    # currency signs: the minus goes first
    (
        "currency-prefix-negative",
        "v\n-12.5\n",
        fig("f", "column: v, format: {prefix: US$, decimals: 2}"),
        "f",
        {"en": f"{MINUS}US$12.50", "fr": f"{MINUS}US$12,50", "es": f"{MINUS}US$12,50"},
    ),
    (
        "currency-style-negative",
        "v\n-12.5\n",
        fig("f", "column: v, format: {style: currency, currency: USD}"),
        "f",
        {"en": f"{MINUS}$12.50", "fr": f"{MINUS}12,50{NBSP}$US", "es": f"{MINUS}12,50{NBSP}US$"},
    ),
    # `count` with a column counts the rows that say so
    (
        "count-filled-cells",
        "r,v\nA,5\nB,\nC,10\n",
        fig("n", "column: v, aggregate: count, where: {v: {empty: false}}"),
        "n",
        {"en": "2", "fr": "2", "es": "2"},
    ),
]


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize(
    ("rows", "body", "name", "expected"),
    [pytest.param(*case[1:], id=case[0]) for case in PRINTED],
)
def test_figure_prints(
    tmp_path: Path, rows: str, body: str, name: str, expected: dict[str, str], language: str
) -> None:
    assert figure_text(tmp_path, rows, body, name, language) == expected[language]


# (id, rows, spec body, key phrases of the error)
REFUSED = [
    # item 3: a difference of shares printed as "%" reads as a relative change
    (
        "change-of-share-as-percent",
        SHARES,
        fig(
            "p",
            "column: share, aggregate: change, from: {year: 2000}, to: {year: 2017}, "
            "format: {style: percent, sign: true}",
        ),
        ["figures.p", "style: points", "relative: true"],
    ),
    (
        "difference-of-shares-as-percent",
        SHARES,
        "figures:\n"
        "  a: {source: rows, where: {year: 2000}, column: share}\n"
        "  b: {source: rows, where: {year: 2017}, column: share}\n"
        "  d: {difference: [b, a], format: {style: percent}}\n",
        ["figures.d", "style: points", "change: [before, after]"],
    ),
    # item 9: a share is a part of its whole
    (
        "share-part-outside-whole",
        "r,v\nA,60\nB,50\nC,10\n",
        fig("f", "column: v, aggregate: share, where: {r: [A, B]}, of: {r: [B, C]}"),
        ["figures.f", "part of its whole", "`where` (r in ['A', 'B'])", "lines 2, 3", "`of`"],
    ),
    (
        "share-negative-part",
        "r,v\nA,-15\nB,50\nC,65\n",
        fig("f", "column: v, aggregate: share, where: {r: B}"),
        ["figures.f", "negative", "line 2", "`where` (r = 'B')", "`of` (every row)"],
    ),
    (
        "share-of-a-whole-holding-world",
        "region,v\nWorld,200\nAfrica,60\nAsia,140\n",
        fig("f", "column: v, aggregate: share, where: {region: Africa}"),
        ["figures.f", "holds the row 'World' (line 2)", "counted twice", "{not: World}"],
    ),
    (
        "share-of-a-whole-holding-monde",
        "région,v\nMonde,200\nAfrique,60\nAsie,140\n",
        fig("f", "column: v, aggregate: share, where: {région: Afrique}"),
        ["figures.f", "holds the row 'Monde'", "aggregate_rows: {}"],
    ),
    # `count` of a column with an empty cell: which rows?
    (
        "count-with-empty-cell",
        "r,v\nA,5\nB,\nC,10\n",
        fig("n", "column: v, aggregate: count"),
        ["figures.n", "counts 3 rows", "empty 'v'", "line 3", "{v: {empty: false}}"],
    ),
    # item 10: operands in different units
    (
        "difference-of-percent-and-fraction",
        "v,w\n72,0.67\n",
        "figures:\n"
        "  a: {source: rows, column: v, unit: percent}\n"
        "  b: {source: rows, column: w}\n"
        "  d: {difference: [a, b], format: {style: points}}\n",
        ["figures.d", "not in the same unit", "unit: percent"],
    ),
    (
        "unit-on-a-share",
        "v\n72\n",
        fig("f", "column: v, aggregate: share, unit: percent, format: {style: percent}"),
        ["figures.f", "leave out `unit`"],
    ),
]


@pytest.mark.parametrize(
    ("rows", "body", "phrases"),
    [pytest.param(*case[1:], id=case[0]) for case in REFUSED],
)
def test_figure_refused(tmp_path: Path, rows: str, body: str, phrases: list[str]) -> None:
    message = error_text(tmp_path, rows, body)
    for phrase in phrases:
        assert phrase in message


@pytest.mark.parametrize(
    ("language", "expected"),
    [("en", "↑ +50% since 2000"), ("fr", "↑ +50 % since 2000"), ("es", "↑ +50 % since 2000")],
)
def test_tile_arrow_follows_the_real_direction(
    tmp_path: Path, language: str, expected: str
) -> None:
    """Item 2: −10 to −5 is a rise, and the tile's arrow says so."""
    body = fig(
        "c",
        "where: {region: A}, column: v, aggregate: change, from: {year: 2000}, "
        "to: {year: 2010}, relative: true, format: {style: percent, sign: true}",
    ) + (
        "pages:\n  - blocks:\n      - key_figures:\n          tiles:\n"
        "            - {number: '5', label: x, delta: c, since: since 2000}\n"
    )
    words = page_words(render_case(tmp_path, MIGRANTS, body, language))
    assert expected.replace(NBSP, " ") in words.replace(NBSP, " ")
    assert "↓" not in words


PERCENTAGES = "region,literacy\nA,72\nB,85.5\nC,99\n"


def _literacy(tmp_path: Path, units: str = "") -> tuple[str, list[str]]:
    spec = (
        "document: {title: Analyst, author: Test Org, pages: 1, language: en}\n"
        "theme: un-blue\n"
        f"data: {{rows: {{file: data/rows.csv{units}}}}}\n"
        + fig("f", "where: {region: A}, column: literacy, format: {style: percent}")
        + "pages:\n  - blocks:\n      - paragraph: '{{ f }}'\n"
    )
    root = make_project(tmp_path / "p", {"rows.csv": PERCENTAGES}, {"case.yaml": spec})
    rendered = render(root / "factsheets" / "case.yaml")
    return rendered.content.figures["f"].text, [str(w) for w in rendered.content.warnings]


def test_percent_style_on_percentages_warns(tmp_path: Path) -> None:
    """Item 10: 72 with a percent style would print 7,200%: a warning names the fix."""
    text, warnings = _literacy(tmp_path)
    assert text == "7,200%"  # printed as asked, but never quietly
    found = [w for w in warnings if "literacy" in w]
    assert found, warnings
    assert "unit: percent" in found[0] and "between 72 and 99" in found[0]
    assert "figures.f.format.style" in found[0]


def test_percent_warning_is_an_error_under_strict(tmp_path: Path) -> None:
    spec = (
        "document: {title: Analyst, author: Test Org, pages: 1, language: en}\n"
        "theme: un-blue\n"
        "data: {rows: {file: data/rows.csv}}\n"
        + fig("f", "where: {region: A}, column: literacy, format: {style: percent}")
        + "pages:\n  - blocks:\n      - paragraph: '{{ f }}'\n"
    )
    root = make_project(tmp_path / "p", {"rows.csv": PERCENTAGES}, {"case.yaml": spec})
    result = invoke_in(root, "build", "--strict", "factsheets/case.yaml")
    assert result.exit_code != 0
    assert "unit: percent" in result.output


def test_column_unit_prints_percentages(tmp_path: Path) -> None:
    """Item 10: the source says its column is in percent; no warning then."""
    text, warnings = _literacy(tmp_path, ", units: {literacy: percent}")
    assert text == "72%"
    assert not [w for w in warnings if "literacy" in w]


def test_fraction_unit_silences_the_warning(tmp_path: Path) -> None:
    """1.2 meaning 120% is said with `fraction`, so --strict builds pass."""
    text, warnings = _literacy(tmp_path, ", units: {literacy: fraction}")
    assert text == "7,200%"
    assert not [w for w in warnings if "literacy" in w]


def test_unknown_unit_column_is_located(tmp_path: Path) -> None:
    with pytest.raises(FactsheetError) as caught:
        _literacy(tmp_path, ", units: {literacy_rate: percent}")
    message = str(caught.value)
    assert "data.rows.units.literacy_rate" in message and "literacy" in message


WORLD_ROWS = "region,v\nWorld,200\nAfrica,60\nAsia,140\n"


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        # a World row marked as a total is left out of the whole: 60 of 200
        ("aggregate_rows: {region: World}", "30%"),
        # `{}`: the spec says World is a row like the others (60 of 400)
        ("aggregate_rows: {}", "15%"),
    ],
)
def test_a_share_of_a_whole_says_which_rows_are_totals(
    tmp_path: Path, fields: str, expected: str
) -> None:
    body = fig(
        "f",
        f"column: v, aggregate: share, where: {{region: Africa}}, {fields}, "
        "format: {style: percent}",
    )
    assert figure_text(tmp_path, WORLD_ROWS, body, "f") == expected
