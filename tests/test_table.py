"""The table block: rows selected, sorted and cut, cells formatted and aligned, totals
and highlights, located errors, and a long table that continues in the next column
under a repeated header."""

from __future__ import annotations

import io
import re
from pathlib import Path
from typing import Any

import pypdf
import pypdfium2
import pytest
from reportlab.lib.colors import HexColor
from reportlab.lib.enums import TA_LEFT, TA_RIGHT

from factsheet.blocks.table import DataGrid
from factsheet.build import Rendered, render
from factsheet.errors import FactsheetError
from tests.projects import make_project

ROOT = Path(__file__).resolve().parents[1]

COUNTRIES = """\
country,region,population,share,growth
Nigeria,Africa,223.8,0.412,2.41
Ethiopia,Africa,126.5,0.285,2.55
Brazil,Americas,216.4,0.61,0.52
India,Asia,1428.6,0.335,0.81
Indonesia,Asia,277.5,0.41,0.74
Pakistan,Asia,240.5,0.2,1.98
Germany,Europe,83.3,0.78,
A & <B>,Oceania,1.5,0.5,1.0
"""

HEAD = """\
document: {title: Tables, author: Test Org, year: 2024}
theme: un-blue
data:
  countries: {file: data/countries.csv}
  sites: {file: data/sites.csv}
pages:
  - blocks:
"""

COLUMNS = """\
          columns:
            - {column: country, header: Country}
            - region
            - {column: population, header: "Population {{ year }}", format: {decimals: 1}}
            - {column: share, header: Urban, format: {style: percent, decimals: 1}}
            - {column: growth, format: {decimals: 2, sign: true}}
"""


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    sites = "".join(f"Site {n:02d},{n * 37 % 100}.5\n" for n in range(1, 81))
    data = {"countries.csv": COUNTRIES, "sites.csv": "site,value\n" + sites}
    return make_project(tmp_path_factory.mktemp("table"), data)


def spec(project: Path, name: str, table: str, columns: str = COLUMNS) -> Path:
    """A one-page spec whose only block is a table with these options and columns."""
    path = project / "factsheets" / f"{name}.yaml"
    path.write_text(HEAD + "      - table:\n          source: countries\n" + table + columns)
    return path


def grids(rendered: Rendered) -> list[DataGrid]:
    return [
        p.flowable
        for page in rendered.layout.pages
        for p in page.placements
        if isinstance(p.flowable, DataGrid)
    ]


def paras(grid: DataGrid) -> list[list[Any]]:
    """Each cell's paragraph (once drawn, ReportLab keeps a cell's flowables in a tuple)."""
    return [
        [cell[0] if isinstance(cell, tuple) else cell for cell in row] for row in grid._cellvalues
    ]


def cells(grid: DataGrid) -> list[list[str]]:
    return [[para.getPlainText() for para in row] for row in paras(grid)]


def pdf_text(rendered: Rendered) -> str:
    return " ".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(rendered.pdf)).pages)


@pytest.fixture(scope="module")
def plain(project: Path) -> Rendered:
    return render(spec(project, "plain", "          title: Countries\n          note: A note\n"))


def test_headers_and_formatted_cells_reach_the_pdf(plain: Rendered) -> None:
    text = pdf_text(plain)
    for expected in (
        "Countries",
        "Country",
        "region",  # no header given: the column's name
        "Population 2024",  # headers are templates
        "Urban",
        "1,428.6",
        "33.5%",
        "+0.81",
        "A & <B>",  # text is escaped, never read as markup
        "A note",
    ):
        assert expected in text, expected
    (grid,) = grids(plain)
    rows = cells(grid)
    assert rows[0] == ["Country", "region", "Population 2024", "Urban", "growth"]
    assert rows[7] == ["Germany", "Europe", "83.3", "78.0%", "\u2013"]  # empty: an en dash


def test_sort_descending_and_max_rows(project: Path) -> None:
    options = "          sort: population\n          descending: true\n          max_rows: 3\n"
    (grid,) = grids(render(spec(project, "sorted", options)))
    assert [row[0] for row in cells(grid)] == ["Country", "India", "Indonesia", "Pakistan"]


def test_text_sorts_alphabetically_ignoring_case(project: Path) -> None:
    (grid,) = grids(render(spec(project, "by_name", "          sort: country\n")))
    names = [row[0] for row in cells(grid)[1:]]
    assert names == sorted(names, key=str.casefold)
    assert names[0] == "A & <B>"


def test_total_row_sums_the_shown_rows(project: Path) -> None:
    """Population adds up; urban shares and growth rates are averaged, as they say."""
    columns = COLUMNS.replace(
        "percent, decimals: 1}}", "percent, decimals: 1}, total: mean}"
    ).replace("sign: true}}", "sign: true}, total: mean}")
    options = "          where: {region: Asia}\n          total: Total\n"
    (grid,) = grids(render(spec(project, "total", options, columns)))
    rows = cells(grid)
    assert rows[-1] == ["Total", "", "1,946.6", "31.5%", "+1.18"]
    assert {p.style.fontName for p in paras(grid)[-1]} == {"Lato-Bold"}
    primary = HexColor("#0033A0")
    assert ("LINEABOVE", 4, primary) in {(c[0], c[1][1], c[4]) for c in grid._linecmds}


def test_highlighted_rows_are_bold_and_marked(project: Path) -> None:
    options = "          highlight: {region: Asia}\n          zebra: false\n"
    (grid,) = grids(render(spec(project, "highlight", options)))
    marked = [n for n, row in enumerate(cells(grid)) if row[1] == "Asia"]
    assert marked == [4, 5, 6]
    for n, row in enumerate(paras(grid)[1:], start=1):
        fonts = {p.style.fontName for p in row}
        assert fonts == ({"Lato-Bold"} if n in marked else {"Lato-Regular"})
    shaded = {c[1][1] for c in grid._bkgrndcmds if c[0] == "BACKGROUND" and c[1][1] > 0}
    assert shaded == set(marked)
    accent = HexColor("#5B9BD5")
    bars = {n for n, row in enumerate(paras(grid)) if getattr(row[0], "marker", None) == accent}
    assert bars == set(marked)


def test_zebra_shades_every_other_row_in_the_tint(plain: Rendered) -> None:
    (grid,) = grids(plain)
    tint = HexColor("#E9F0F9")
    rows = {c[1][1] for c in grid._bkgrndcmds if c[0] == "BACKGROUND" and c[3] == tint}
    assert rows == {2, 4, 6, 8}
    header = [c for c in grid._bkgrndcmds if c[1] == (0, 0) and c[2] == (-1, 0)]
    assert header[0][3] == HexColor("#0033A0")


def _edges(pdf: bytes, words: list[str]) -> list[tuple[float, float]]:
    """(left, right) of each word's first match on page 1, in points."""
    page = pypdfium2.PdfDocument(pdf)[0]
    text = page.get_textpage()
    edges = []
    for word in words:
        found = text.search(word, match_case=True).get_next()
        assert found is not None, word
        start, count = found
        edges.append((text.get_charbox(start)[0], text.get_charbox(start + count - 1)[2]))
    return edges


def test_numbers_align_right_and_text_left(plain: Rendered) -> None:
    (grid,) = grids(plain)
    assert [s.alignment for s in grid._cellStyles[1]] == ["LEFT"] * 2 + ["RIGHT"] * 3
    assert [p.style.alignment for p in paras(grid)[1]] == [TA_LEFT] * 2 + [TA_RIGHT] * 3
    numbers = _edges(plain.pdf, ["1,428.6", "223.8", "83.3", "1.5"])
    assert max(r for _, r in numbers) - min(r for _, r in numbers) < 0.6
    names = _edges(plain.pdf, ["Nigeria", "Pakistan", "Germany"])
    assert max(left for left, _ in names) - min(left for left, _ in names) < 0.6


@pytest.mark.parametrize(
    ("options", "columns", "where", "suggestion"),
    [
        ("", "          columns: [country, regoin]\n", "table.columns[1]", "region"),
        ("          sort: populaton\n", COLUMNS, "table.sort", "population"),
        ("          highlight: {regoin: Asia}\n", COLUMNS, "table.highlight.regoin", "region"),
    ],
)
def test_unknown_column_is_located_with_a_suggestion(
    project: Path, options: str, columns: str, where: str, suggestion: str
) -> None:
    with pytest.raises(FactsheetError) as caught:
        render(spec(project, "unknown", options, columns))
    message = str(caught.value)
    assert f"pages[0].blocks[0].{where}: unknown column" in message
    assert "in data/countries.csv" in message
    assert f"did you mean '{suggestion}'?" in message


def test_a_table_without_rows_is_an_error(project: Path) -> None:
    options = "          where: {population: {min: 5000}}\n"
    with pytest.raises(FactsheetError, match=r"the table selects no rows from data/countries\.csv"):
        render(spec(project, "empty", options))


def test_given_widths_are_kept_and_the_rest_shared(project: Path) -> None:
    columns = "          columns: [{column: country, width: 30mm}, population, share]\n"
    rendered = render(spec(project, "widths", "", columns))
    (grid,) = grids(rendered)
    (placement,) = [p for p in rendered.layout.pages[0].placements if p.flowable is grid]
    assert grid._colWidths[0] == pytest.approx(30 * 72 / 25.4)
    assert sum(grid._colWidths) == pytest.approx(placement.width)


def test_widths_wider_than_the_column_are_refused(project: Path) -> None:
    columns = "          columns: [{column: country, width: 80mm}, {column: region, width: 30mm}]\n"
    with pytest.raises(FactsheetError, match=r"table\.columns: the table's column widths take"):
        render(spec(project, "too_wide", "", columns))


def test_long_table_continues_in_the_next_column_under_its_header(project: Path) -> None:
    path = project / "factsheets" / "long.yaml"
    path.write_text(
        HEAD + "      - table: {source: sites, title: Sites, total: All sites,\n"
        "                columns: [{column: site, header: Station name}, value]}\n"
    )
    rendered = render(path)
    (page,) = rendered.layout.pages
    pieces = [p for p in page.placements if isinstance(p.flowable, DataGrid)]
    assert [p.region for p in pieces] == ["column 1", "column 2"]
    assert all(cells(p.flowable)[0] == ["Station name", "value"] for p in pieces)
    text = pdf_text(rendered)
    assert text.count("Station name") == 2
    for n in range(1, 81):
        assert len(re.findall(rf"\bSite {n:02d}\b", text)) == 1, n
    assert "All sites" in text


def test_only_the_theme_fonts_reach_the_pdf(plain: Rendered) -> None:
    assert b"Helvetica" not in plain.pdf
    reader = pypdf.PdfReader(io.BytesIO(plain.pdf))
    fonts = reader.pages[0]["/Resources"]["/Font"]
    names = {str(font.get_object()["/BaseFont"]).split("+")[-1] for font in fonts.values()}
    assert names <= {"Lato-Regular", "Lato-Bold", "Lato-Italic"}


def test_glyph_check_reads_table_cells(project: Path) -> None:
    data = project / "data" / "glyphs.csv"
    data.write_text("name,value\n\u4e2d\u6587,1\n")
    path = project / "factsheets" / "glyphs.yaml"
    path.write_text(
        HEAD.replace("sites.csv}", "sites.csv}\n  glyphs: {file: data/glyphs.csv}")
        + "      - table: {source: glyphs, columns: [name, value]}\n"
    )
    with pytest.raises(FactsheetError, match="is in none of the fonts tried"):
        render(path)


def test_a_title_never_stays_alone_at_a_column_foot(project: Path) -> None:
    path = project / "factsheets" / "stranded.yaml"
    path.write_text(
        HEAD + "      - spacer: 252mm\n"
        "      - table: {source: sites, title: Sites, sort: site, max_rows: 30,"
        " columns: [site, value]}\n"
    )
    page = render(path).layout.pages[0]
    title = next(p for p in page.placements if p.kind == "table")
    grid = next(p for p in page.placements if isinstance(p.flowable, DataGrid))
    assert title.region == grid.region == "column 2"


def test_a_column_can_stay_out_of_the_total(project: Path) -> None:
    columns = COLUMNS.replace(
        "{column: share, header: Urban, format: {style: percent, decimals: 1}}",
        "{column: share, header: Urban, format: {style: percent, decimals: 1}, total: false}",
    )
    columns = columns.replace("sign: true}}", "sign: true}, total: sum}")
    options = "          where: {region: Asia}\n          total: Total\n"
    (grid,) = grids(render(spec(project, "total-off", options, columns)))
    assert cells(grid)[-1] == ["Total", "", "1,946.6", "", "+3.53"]


# --- a number or word is never broken across lines ------------------------------------

WIDE_LABELS = """\
          total: All countries in the data taken together
          columns:
            - {column: country, header: Country}
            - {column: population, header: "Population, millions", format: {decimals: 4}}
            - {column: share, header: Urban share of the people, format: {style: percent},
               total: none}
            - {column: growth, header: Yearly growth of the population, format: {decimals: 3},
               total: false}
"""


CONTINENTS = """\
continent,people,countries,life,gdp_per_head
Asia,3811953827,33,69.4,5432
Africa,929539692,52,54.6,2561
Americas,898871184,25,75.4,21603
"""

CONTINENT_TABLE = """\
document: {title: Tables, author: Test Org}
theme: un-blue
data:
  c: {file: data/continents.csv}
pages:
  - blocks:
      - table:
          source: c
          total: All countries in the data
          columns:
            - {column: continent, header: Continent}
            - {column: people, header: Population}
            - {column: countries, header: Countries}
            - {column: life, header: Life exp., format: {decimals: 1}, total: false}
            - {column: gdp_per_head, header: GDP per head (US$), total: false}
"""


def test_a_number_is_never_broken_across_lines(project: Path) -> None:
    """A long total label took width from a number column, and 3,811,953,827 printed as
    '3,811,953,82' over '7' (found by the Gapminder demo)."""
    (project / "data" / "continents.csv").write_text(CONTINENTS)
    path = project / "factsheets" / "continents.yaml"
    path.write_text(CONTINENT_TABLE)
    (grid,) = grids(render(path))
    for row in paras(grid)[1:]:
        for cell in row[1:]:
            assert len(cell.blPara.lines) <= 1, cell.text  # one line: the number whole
    assert len(paras(grid)[-1][0].blPara.lines) > 1  # the label's words wrap instead


def test_a_table_too_narrow_for_its_numbers_is_a_located_error(project: Path) -> None:
    long = "{decimals: 6, prefix: 'as counted: '}"
    narrow = (
        WIDE_LABELS.replace("{decimals: 4}", long)
        .replace("{decimals: 3}", long)
        .replace("{style: percent}", "{style: percent, decimals: 6, prefix: 'in towns: '}")
    )
    wide = "          sort: country\n          span: column\n"
    page = HEAD.replace("  - blocks:", "  - columns: 2\n    blocks:")
    path = project / "factsheets" / "narrow.yaml"
    path.write_text(page + "      - table:\n          source: countries\n" + wide + narrow)
    with pytest.raises(FactsheetError, match="no number or word is broken") as caught:
        render(path)
    assert caught.value.location is not None
    assert caught.value.location.key_path[-2:] == ("table", "columns")


@pytest.mark.parametrize(
    ("natural", "least", "room", "expected"),
    [
        ([10, 20, 30], [5, 5, 5], 120, [20, 40, 60]),  # room to spare: in proportion
        ([10, 20, 100], [10, 20, 30], 80, [10, 20, 50]),  # the widest gives way
        ([10, 60, 100], [10, 55, 30], 100, [10, 55, 35]),  # each down to its least
    ],
)
def test_share_widths(
    natural: list[float], least: list[float], room: float, expected: list[float]
) -> None:
    from factsheet.blocks.table_widths import share_widths

    assert share_widths(natural, least, room) == pytest.approx(expected, abs=0.01)


def test_a_total_over_an_empty_cell_is_an_error_not_a_smaller_sum(project: Path) -> None:
    """Germany's growth is empty: a total over it would add up the others only."""
    columns = COLUMNS.replace("percent, decimals: 1}}", "percent, decimals: 1}, total: none}")
    columns = columns.replace("sign: true}}", "sign: true}, total: mean}")
    options = "          where: {region: [Europe, Asia]}\n          total: Total\n"
    with pytest.raises(FactsheetError) as caught:
        render(spec(project, "total-empty", options, columns))
    message = str(caught.value)
    assert "table.columns[4].total" in message
    assert "without its empty cell at line 8 of data/countries.csv" in message
    assert "`total: false`" in message


def test_a_column_left_out_of_the_total_may_have_empty_cells(project: Path) -> None:
    columns = COLUMNS.replace("sign: true}}", "sign: true}, total: false}")
    columns = columns.replace("percent, decimals: 1}}", "percent, decimals: 1}, total: none}")
    options = "          where: {region: [Europe, Asia]}\n          total: Total\n"
    (grid,) = grids(render(spec(project, "total-empty-off", options, columns)))
    assert cells(grid)[-1][4] == ""
