"""Analyst expectations (issue 14): data read right, and numbers never broken.

Items 7 (identifiers read as numbers), 8 (European CSVs), 12 (more than 15 significant
digits) and "numbers split across lines". Each case is input rows, a spec fragment and
the text an analyst expects to read, or the key phrases of the error they expect."""

from __future__ import annotations

from pathlib import Path

import pytest

from factsheet.build import Rendered, render
from factsheet.errors import FactsheetError
from tests.analyst.harness import (
    drawn_lines,
    error_text,
    figure_text,
    page_words,
    render_case,
    spec_text,
)
from tests.projects import make_project

LANGUAGES = ("en", "fr", "es")
NNBSP = "\u202f"


def _value(where: str, aggregate: str = "value", column: str = "value", extra: str = "") -> str:
    return (
        f"figures:\n  x: {{source: rows, column: {column}, aggregate: {aggregate}"
        f"{', where: ' + where if where else ''}{', ' + extra if extra else ''}}}\n"
    )


def _render(tmp_path: Path, rows: str, options: str, body: str, language: str = "en") -> Rendered:
    """The harness's case with `options` on the source (`columns:`, `decimal:` …)."""
    text = spec_text(body, language).replace(
        "{file: data/rows.csv}", f"{{file: data/rows.csv, {options}}}"
    )
    root = make_project(tmp_path / "p", {"rows.csv": rows}, {"case.yaml": text})
    return render(root / "factsheets" / "case.yaml")


def _with_source(tmp_path: Path, rows: str, options: str, body: str, language: str = "en") -> str:
    return _render(tmp_path, rows, options, body, language).content.figures["x"].text


def _error_with_source(tmp_path: Path, rows: str, options: str, body: str) -> str:
    with pytest.raises(FactsheetError) as caught:
        _render(tmp_path, rows, options, body)
    return str(caught.value)


# --- item 7: identifiers are text --------------------------------------------------

CODES = "code,value\n007,1\n07,2\n+7,3\n1e3,4\n7,5\n"


@pytest.mark.parametrize(
    ("wanted", "expected"),
    [('"007"', "1"), ('"07"', "2"), ('"+7"', "3"), ('"1e3"', "4"), ('"7"', "5")],
)
def test_codes_that_do_not_round_trip_are_text_and_match_as_written(
    tmp_path: Path, wanted: str, expected: str
) -> None:
    assert figure_text(tmp_path, CODES, _value(f"{{code: {wanted}}}"), "x") == expected


@pytest.mark.parametrize("written", ["007", "0042"])
def test_a_declared_text_column_matches_an_unquoted_filter_as_written(
    tmp_path: Path, written: str
) -> None:
    rows = f"code,value\n{written},10\n{int(written)},20\n"
    body = _value(f"{{code: {written}}}")
    assert _with_source(tmp_path, rows, "columns: {code: text}", body) == "10"


def test_a_column_declared_number_still_reads_codes_as_numbers(tmp_path: Path) -> None:
    body = _value("", "sum", "code")
    assert _with_source(tmp_path, "code\n007\n+7\n1e3\n", "columns: {code: number}", body) == (
        "1,014"
    )


def test_codes_used_as_numbers_say_why_the_column_is_text(tmp_path: Path) -> None:
    message = error_text(tmp_path, CODES, _value("", "sum", "code"))
    assert "'code'" in message and "holds codes, not numbers" in message
    assert "'007'" in message and "columns:" in message and "number" in message


@pytest.mark.parametrize("language", LANGUAGES)
def test_codes_print_as_written_and_are_never_totalled(tmp_path: Path, language: str) -> None:
    rows = "code,value\n007,1200\n+7,3400\n1e3,5600\n"
    body = "pages:\n  - blocks:\n      - table: {source: rows, total: Σ, columns: [code, value]}\n"
    words = page_words(render_case(tmp_path, rows, body, language))
    assert "007" in words and "+7" in words and "1e3" in words
    total = {"en": "10,200", "fr": f"10{NNBSP}200", "es": "10.200"}[language]
    # The total row adds the values, and leaves the codes' cell empty.
    assert f"Σ {total}".replace(NNBSP, " ") in words.replace(NNBSP, " ")
    assert "1,014" not in words and "1014" not in words


# --- item 12: more than 15 significant digits ------------------------------------------

BIG = "id,value\n12345678901234567890,1\n98765432109876543210,2\n"


@pytest.mark.parametrize("language", LANGUAGES)
def test_big_identifiers_print_every_digit(tmp_path: Path, language: str) -> None:
    body = "pages:\n  - blocks:\n      - table: {source: rows, columns: [id, value]}\n"
    words = page_words(render_case(tmp_path, BIG, body, language))
    assert "12345678901234567890" in words and "98765432109876543210" in words


def test_a_big_integer_declared_as_a_number_is_refused_at_its_line_and_column(
    tmp_path: Path,
) -> None:
    rows = "name,id\nA,12\nB,9007199254740993\n"
    message = _error_with_source(tmp_path, rows, "columns: {id: number}", _value("", "sum", "id"))
    assert "rows.csv:3:3" in message  # line 3, the cell starts at character 3
    assert "'9007199254740993'" in message and "16 significant digits" in message
    assert "text" in message  # the hint: declare it text if it is an identifier


def test_a_big_integer_filter_matches_its_row_exactly(tmp_path: Path) -> None:
    rows = "id,value\n9007199254740993,1\n9007199254740992,2\n"
    body = _value('{id: "9007199254740993"}')
    assert figure_text(tmp_path, rows, body, "x") == "1"


def test_long_decimals_that_are_a_float_exactly_stay_numbers(tmp_path: Path) -> None:
    rows = "value\n0.30000000000000004\n0.1\n"
    body = _value("", "sum") + "  y: {source: rows, column: value, aggregate: count}\n"
    assert figure_text(tmp_path, rows, body, "y") == "2"


# --- item 8: European CSVs -----------------------------------------------------------

EUROPEAN = "pays;population;taux\nA;8.524;12,5\nB;1.234.567;3,25\nC;950;0,5\n"


@pytest.mark.parametrize(
    ("language", "expected"), [("en", "8,524"), ("fr", f"8{NNBSP}524"), ("es", "8524")]
)
def test_a_semicolon_file_with_decimal_commas_reads_dots_as_thousands(
    tmp_path: Path, language: str, expected: str
) -> None:
    body = _value("{pays: A}", column="population")
    assert figure_text(tmp_path, EUROPEAN, body, "x", language) == expected


@pytest.mark.parametrize(("language", "expected"), [("en", "12.5"), ("fr", "12,5"), ("es", "12,5")])
def test_decimal_commas_are_read_as_decimals(tmp_path: Path, language: str, expected: str) -> None:
    body = _value("{pays: A}", column="taux", extra="format: {decimals: 1}")
    assert figure_text(tmp_path, EUROPEAN, body, "x", language) == expected


def test_an_ambiguous_european_file_is_refused_with_the_options_to_declare(
    tmp_path: Path,
) -> None:
    rows = "pays;population\nA;8.524\nB;950\n"
    message = error_text(tmp_path, rows, _value("{pays: A}", column="population"))
    assert "rows.csv:2" in message and "'8.524'" in message
    assert 'decimal: ","' in message and 'thousands: "."' in message


@pytest.mark.parametrize(
    ("options", "expected"),
    [
        ('decimal: ",", thousands: "."', "8,524"),
        ('decimal: ","', "8,524"),
        ('decimal: "."', "8.524"),
        ('decimal: ".", thousands: none', "8.524"),
    ],
)
def test_a_declared_convention_decides(tmp_path: Path, options: str, expected: str) -> None:
    rows = "pays;population\nA;8.524\nB;950\n"
    extra = "format: {decimals: 3}" if "." in expected else ""
    body = _value("{pays: A}", column="population", extra=extra)
    assert _with_source(tmp_path, rows, options, body) == expected


def test_a_file_that_mixes_both_conventions_is_refused(tmp_path: Path) -> None:
    rows = "pays;a;b\nA;12,5;1\nB;1;3.25\n"
    message = error_text(tmp_path, rows, _value("{pays: A}", column="a"))
    assert "'12,5'" in message and "'3.25'" in message
    assert "decimal:" in message


def test_a_declared_decimal_point_refuses_a_decimal_comma(tmp_path: Path) -> None:
    rows = "pays;population\nA;8.524\nB;1,5\n"
    options = 'decimal: ".", columns: {population: number}'
    message = _error_with_source(tmp_path, rows, options, _value("{pays: A}", column="population"))
    assert "rows.csv:3" in message and "'1,5'" in message and "decimal" in message


def test_comma_files_keep_reading_decimal_points(tmp_path: Path) -> None:
    rows = "name,value\nA,8.524\nB,950\n"
    body = _value("{name: A}", extra="format: {decimals: 3}")
    assert figure_text(tmp_path, rows, body, "x") == "8.524"


def test_a_quoted_decimal_comma_in_a_comma_file_is_a_decimal(tmp_path: Path) -> None:
    rows = 'name,value\nA,"0,5"\nB,"1.234,5"\n'
    body = _value("", "sum", extra="format: {decimals: 1}")
    assert figure_text(tmp_path, rows, body, "x") == "1,235.0"


REAL_EUROPEAN = Path(__file__).parent / "data" / "kreise_de.csv"
"""A small file written like a German statistics office's export (semicolons, dots
between thousands, decimal commas, district keys with leading zeros)."""


@pytest.mark.parametrize(
    ("language", "total", "hamburg"),
    [
        ("en", "3,740,214", "1,892,122"),
        ("fr", f"3{NNBSP}740{NNBSP}214", f"1{NNBSP}892{NNBSP}122"),
        ("es", "3.740.214", "1.892.122"),
    ],
)
def test_a_realistic_german_export_reads_right(
    tmp_path: Path, language: str, total: str, hamburg: str
) -> None:
    rows = REAL_EUROPEAN.read_text(encoding="utf-8")
    body = (
        "figures:\n"
        "  total: {source: rows, column: Einwohner, aggregate: sum}\n"
        "  share: {source: rows, column: Anteil ab 65 (%), aggregate: max,"
        " format: {decimals: 1}}\n"
        '  hamburg: {source: rows, column: Einwohner, where: {Regionalschlüssel: "02000"}}\n'
    )
    figures = render_case(tmp_path, rows, body, language).content.figures
    assert figures["total"].text == total
    assert figures["hamburg"].text == hamburg
    assert figures["share"].text == ("19.6" if language == "en" else "19,6")


# --- numbers are never broken across lines -----------------------------------------

PEOPLE = "name,value\nA,1234567\nB,0.72\n"
PREFIXES = ("Au total", "Au total, on compte", "On compte", "En 2020 on a compté", "Soit")


def _tiles(labels: list[str], columns: int = 3, delta: str = "") -> str:
    tiles = "".join(
        f"            - {{number: '{n}', label: '{label}'{delta}}}\n"
        for n, label in enumerate(labels)
    )
    return (
        "figures:\n  x: {source: rows, column: value, where: {name: A}}\n"
        "  y: {source: rows, column: value, where: {name: B}, format: {style: percent}}\n"
        "  d: {difference: [x, y]}\n"
        "pages:\n  - columns: 2\n    blocks:\n      - key_figures:\n"
        f"          columns: {columns}\n          tiles:\n{tiles}"
    )


@pytest.mark.parametrize(
    ("language", "number"),
    [("en", "1,234,567"), ("fr", f"1{NNBSP}234{NNBSP}567"), ("es", "1.234.567")],
)
def test_a_number_in_a_narrow_tile_label_stays_on_one_line(
    tmp_path: Path, language: str, number: str
) -> None:
    """French groups digits with U+202F, which ReportLab broke at: "1 234 / 567"."""
    labels = [f"{prefix} {{{{ x }}}} personnes, {{{{ y }}}} du total" for prefix in PREFIXES]
    lines = drawn_lines(render_case(tmp_path, PEOPLE, _tiles(labels), language))
    assert sum(number in line for line in lines) == len(PREFIXES)
    percent = {"en": "72%", "fr": "72\u00a0%", "es": "72\u00a0%"}[language]
    assert sum(percent in line for line in lines) == len(PREFIXES)


BIG_PEOPLE = "name,value\nA,109262178000000\nB,1000\n"


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("part", ["label", "delta"])
def test_a_number_wider_than_its_tile_is_a_located_error(
    tmp_path: Path, language: str, part: str
) -> None:
    """It printed "109,262, / 178,000,000" (`splitLongWords`)."""
    if part == "label":
        body = _tiles(["about {{ x }} people"] * 3)
    else:
        body = _tiles(["people"] * 3, delta=", delta: d, since: since 2000")
    message = error_text(tmp_path, BIG_PEOPLE, body, language)
    assert "pages[0].blocks[0].key_figures" in message
    assert "never broken across lines" in message and "compact" in message
    assert "document.pages" not in message  # a new page would not help


def test_a_number_that_fits_when_shrunk_is_shrunk_not_refused(tmp_path: Path) -> None:
    body = _tiles([f"{word} {{{{ x }}}} people" for word in ("about", "some", "nearly")]).replace(
        "      - key_figures:\n", "      - key_figures:\n          fit: shrink\n"
    )
    lines = drawn_lines(render_case(tmp_path, "name,value\nA,1092621780\nB,1\n", body))
    assert sum("1,092,621,780" in line for line in lines) == 3


def test_a_long_table_number_is_never_split(tmp_path: Path) -> None:
    rows = "name,value\nA,109262178\nB,5\n"
    body = (
        "pages:\n  - columns: 2\n    blocks:\n      - table: {source: rows, columns: "
        "[name, value, {column: name, header: a rather long header that wraps}]}\n"
    )
    lines = drawn_lines(render_case(tmp_path, rows, body))
    assert any(line == "109,262,178" for line in lines)


ARABIC_LABELS = ["المجموع {{ x }} شخص", "يبلغ عدد السكان {{ x }} شخص في المنطقة", "نحو {{ x }} شخص"]


def _arabic(tmp_path: Path, value: str) -> Rendered:
    """Tiles in an Arabic edition printing `value` in Arabic-Indic digits (set by the
    right-to-left line breaker)."""
    tiles = "".join(
        f"            - {{number: '{n}', label: '{label}'}}\n"
        for n, label in enumerate(ARABIC_LABELS)
    )
    body = (
        "figures:\n  x: {source: rows, column: value, where: {name: A}}\n"
        "pages:\n  - columns: 2\n    blocks:\n      - key_figures:\n"
        f"          columns: 3\n          tiles:\n{tiles}"
    )
    text = spec_text(body, "ar").replace("language: ar}", "language: ar, digits: native}")
    root = make_project(tmp_path / "p", {"rows.csv": f"name,value\nA,{value}\n"}, {"c.yaml": text})
    return render(root / "factsheets" / "c.yaml")


def test_arabic_indic_numbers_stay_whole_in_right_to_left_lines(tmp_path: Path) -> None:
    lines = drawn_lines(_arabic(tmp_path, "1234567"))
    assert sum("١٬٢٣٤٬٥٦٧" in line for line in lines) == len(ARABIC_LABELS)


def test_an_arabic_indic_number_wider_than_its_line_is_refused(tmp_path: Path) -> None:
    """It printed "١٠٩٬٢٦٢ / ٬١٧٨٬٠٠٠٬٠٠٠"."""
    with pytest.raises(FactsheetError) as caught:
        _arabic(tmp_path, "109262178000000")
    message = str(caught.value)
    assert "pages[0].blocks[0].key_figures" in message and "never broken" in message
    assert "١٠٩٬٢٦٢٬١٧٨٬٠٠٠٬٠٠٠" in message


def test_a_workbook_keeps_its_number_cells_whatever_its_text_cells_say(tmp_path: Path) -> None:
    """A text cell "12,5" in a workbook is no evidence about its number cells: 8.524
    stored as a number stays 8.524."""
    from factsheet.data.sources import load_table
    from factsheet.spec.data import Source
    from tests.test_sources import write_xlsx

    write_xlsx(tmp_path / "data/x.xlsx", {"S": [["a", "b"], [8.524, "12,5"], [950, "x"]]})
    table = load_table("x", Source(file="data/x.xlsx"), tmp_path)
    assert list(table.array("a")) == [8.524, 950.0]
    with pytest.raises(FactsheetError, match="Excel workbook, which stores numbers"):
        load_table("y", Source(file="data/x.xlsx", decimal=","), tmp_path)
