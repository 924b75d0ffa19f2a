"""Loading CSV and XLSX sources: typing, path safety, errors with locations, caching."""

from __future__ import annotations

import datetime as dt
import math
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import openpyxl
import pytest

from factsheet.data import sources
from factsheet.data.sources import Table, clear_cache, load_table
from factsheet.errors import DataError, FactsheetError, MissingInputError, SpecError
from factsheet.location import Location
from factsheet.spec.model import Source


@pytest.fixture(autouse=True)
def _fresh_cache() -> Iterator[None]:
    clear_cache()
    yield
    clear_cache()


def write(root: Path, name: str, text: str) -> Path:
    path = root / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def load(root: Path, file: str, **options: Any) -> Table:
    return load_table("src", Source(file=file, **options), root)


def failure(root: Path, file: str, **options: Any) -> FactsheetError:
    with pytest.raises(FactsheetError) as caught:
        load(root, file, **options)
    return caught.value


# --- CSV ------------------------------------------------------------------------


def test_csv_columns_are_typed_and_na_stays_text(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "data/x.csv",
        "country,code,year,share\nNamibia,NA,2017,0.5\nChad,TD,2018,\n",
    )
    table = load(tmp_path, "data/x.csv")
    assert table.name == "src"
    assert table.path == path.resolve()
    assert table.display_path == "data/x.csv"
    assert dict(table.types) == {
        "country": "text",
        "code": "text",
        "year": "number",
        "share": "number",
    }
    assert table.rows["code"].tolist() == ["NA", "TD"]
    assert table.rows["year"].tolist() == [2017.0, 2018.0]
    assert table.rows["share"][0] == 0.5
    assert math.isnan(table.rows["share"][1])
    assert list(table.rows.lines()) == [2, 3]


def test_cells_and_headers_are_stripped(tmp_path: Path) -> None:
    write(tmp_path, "x.csv", "name , value\n Chad , 3 \n")
    table = load(tmp_path, "x.csv")
    assert table.rows.names == ["name", "value"]
    assert table.rows["name"].tolist() == ["Chad"]
    assert table.types["value"] == "number"


def test_text_that_looks_like_nan_or_inf_stays_text(tmp_path: Path) -> None:
    write(tmp_path, "x.csv", "a,b\nnan,1\ninf,2\n")
    table = load(tmp_path, "x.csv")
    assert table.types["a"] == "text"
    assert table.rows["a"].tolist() == ["nan", "inf"]


def test_empty_columns_are_text(tmp_path: Path) -> None:
    write(tmp_path, "x.csv", "a,note\n1,\n2,\n")
    assert load(tmp_path, "x.csv").types["note"] == "text"


def test_declared_types(tmp_path: Path) -> None:
    write(tmp_path, "x.csv", "code,n,day\n2017,3,2020-02-29\n0042,,\n")
    table = load(tmp_path, "x.csv", columns={"code": "text", "n": "integer", "day": "date"})
    assert dict(table.types) == {"code": "text", "n": "integer", "day": "date"}
    assert table.rows["code"].tolist() == ["2017", "0042"]
    assert table.rows["n"][0] == 3.0
    assert math.isnan(table.rows["n"][1])
    assert table.rows["day"][0] == np.datetime64("2020-02-29")


def test_blank_lines_are_dropped_but_line_numbers_kept(tmp_path: Path) -> None:
    write(tmp_path, "x.csv", "a,b\n1,2\n\n3,4\n , \n5,6\n")
    table = load(tmp_path, "x.csv")
    assert table.rows["a"].tolist() == [1.0, 3.0, 5.0]
    assert list(table.rows.lines()) == [2, 4, 6]


def test_semicolon_separated_files_are_read(tmp_path: Path) -> None:
    write(tmp_path, "x.csv", "a;b\nx;1\n")
    assert load(tmp_path, "x.csv").rows["b"].tolist() == [1.0]


def test_utf8_bom_is_ignored(tmp_path: Path) -> None:
    (tmp_path / "x.csv").write_bytes("\ufeffa,b\nx,1\n".encode())
    assert load(tmp_path, "x.csv").rows.names == ["a", "b"]


def test_trailing_unnamed_empty_columns_are_dropped(tmp_path: Path) -> None:
    write(tmp_path, "x.csv", "a,b,,\n1,2,,\n")
    assert load(tmp_path, "x.csv").rows.names == ["a", "b"]


@pytest.mark.parametrize(
    ("columns", "cell", "message", "hint"),
    [
        (
            {"share": "number"},
            "n/a",
            "column 'share': 'n/a' is not a number",
            "leave the cell empty if the value is missing",
        ),
        (
            {"share": "number"},
            '"1,234"',
            "column 'share': '1,234' is not a number",
            'write numbers without thousands separators, or declare `thousands: ","` on the source',
        ),
        (
            {"share": "number"},
            "72%",
            "column 'share': '72%' is not a number",
            "write percentages as fractions, for example 0.72 for 72%",
        ),
        (
            {"share": "number"},
            "1e999",
            "column 'share': '1e999' is not a number",
            "leave the cell empty if the value is missing",
        ),
        ({"share": "integer"}, "2.5", "column 'share': '2.5' is not a whole number", ""),
        (
            {"share": "date"},
            "03/04/2020",
            "column 'share': '03/04/2020' is not a date",
            "write dates as YYYY-MM-DD",
        ),
        (
            {"share": "date"},
            "2021-02-29",
            "column 'share': '2021-02-29' is not a date",
            "write dates as YYYY-MM-DD",
        ),
    ],
)
def test_bad_cells_are_reported_at_their_line(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    columns: dict[str, str],
    cell: str,
    message: str,
    hint: str,
) -> None:
    rows = "".join(f"{year},\n" for year in range(2010, 2014))
    path = write(tmp_path, "data/x.csv", f"year,share\n{rows}\n2015,{cell}\n")
    error = failure(tmp_path, "data/x.csv", columns=columns)
    assert isinstance(error, DataError)
    assert (error.message, error.hint) == (message, hint)
    assert error.location == Location(file=path.resolve(), line=7)
    monkeypatch.chdir(tmp_path)
    assert str(error).startswith(f"data/x.csv:7: {message}")


REPO = Path(__file__).resolve().parents[1]


def test_a_column_of_words_declared_as_numbers_is_told_to_be_text() -> None:
    """fertility.csv's 'Indicator Name' holds words: "leave the cell empty" would be
    wrong advice there."""
    error = failure(REPO, "data/fertility.csv", columns={"Indicator Name": "number"})
    assert isinstance(error, DataError)
    assert error.message == (
        "column 'Indicator Name': 'Fertility rate, total (births per woman)' is not a number"
    )
    assert error.location == Location(file=REPO / "data/fertility.csv", line=2)
    assert error.hint == (
        "219 of its 219 filled cells are not numbers: if the column holds words, declare it "
        "`text` under `columns:` instead of `number`"
    )


@pytest.mark.parametrize(
    ("cells", "hint"),
    [
        # A word among numbers: a missing value, or a column of words after all.
        (
            ["1", "2", "Chad", "4"],
            "leave the cell empty if the value is missing, or declare the column `text` if "
            "it holds words",
        ),
        (["1", "..", "3"], "leave the cell empty if the value is missing"),  # a missing mark
        (["1", "N/A", "n/a", "x"], "leave the cell empty if the value is missing"),
        (
            ["Chad", "Mali", "", "3"],
            "2 of its 3 filled cells are not numbers: if the column holds words, declare it "
            "`text` under `columns:` instead of `integer`",
        ),
    ],
)
def test_the_hint_for_a_word_in_a_number_column(
    tmp_path: Path, cells: list[str], hint: str
) -> None:
    write(tmp_path, "x.csv", "v\n" + "\n".join(cells) + "\n")
    error = failure(tmp_path, "x.csv", columns={"v": "integer"})
    assert isinstance(error, DataError) and error.hint == hint


def test_unknown_declared_column_suggests_a_name(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write(tmp_path, "data/migrants.csv", "year,share\n2020,0.5\n")
    error = failure(tmp_path, "data/migrants.csv", columns={"shrae": "number"})
    assert isinstance(error, DataError)
    assert error.location is None
    monkeypatch.chdir(tmp_path)
    assert str(error) == (
        "unknown column 'shrae' in data/migrants.csv (columns: year, share; did you mean 'share'?)"
    )


def test_missing_file(tmp_path: Path) -> None:
    write(tmp_path, "data/migrants.csv", "a\n1\n")
    error = failure(tmp_path, "data/migrant.csv")
    assert isinstance(error, MissingInputError)
    assert error.message == "data file 'data/migrant.csv' does not exist"
    assert error.hint == "did you mean 'migrants.csv'?"
    # The mistake is in the spec, so the caller attaches the spec's key path.
    assert error.location is None


@pytest.mark.parametrize(
    ("file", "message"),
    [
        ("../outside.csv", "path '../outside.csv' must not contain '..'"),
        ("data/../data/x.csv", "path 'data/../data/x.csv' must not contain '..'"),
        ("/etc/passwd", "path '/etc/passwd' must be relative to the project"),
        ("C:\\data\\x.csv", "path 'C:\\data\\x.csv' must be relative to the project"),
        ("~/x.csv", "path '~/x.csv' must be relative to the project"),
        ("", "path '' must be relative to the project"),
    ],
)
def test_paths_outside_the_project_are_refused(tmp_path: Path, file: str, message: str) -> None:
    root = tmp_path / "project"
    write(root, "data/x.csv", "a\n1\n")
    write(tmp_path, "outside.csv", "a\n1\n")
    error = failure(root, file)
    assert type(error) is SpecError
    assert (error.message, error.hint) == (message, "keep data files inside the project, in data/")


def test_symlinks_leading_out_are_refused(tmp_path: Path) -> None:
    root = tmp_path / "project"
    (root / "data").mkdir(parents=True)
    target = write(tmp_path, "secret.csv", "a\n1\n")
    (root / "data" / "link.csv").symlink_to(target)
    error = failure(root, "data/link.csv")
    assert type(error) is SpecError
    assert error.message == "path 'data/link.csv' leads outside the project (through a link?)"


def test_symlinks_inside_the_project_are_followed(tmp_path: Path) -> None:
    path = write(tmp_path, "data/x.csv", "a\n1\n")
    (tmp_path / "data" / "link.csv").symlink_to(path)
    assert load(tmp_path, "data/link.csv").rows["a"].tolist() == [1.0]


def test_size_cap(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sources, "MAX_BYTES", 1024 * 1024)
    write(tmp_path, "big.csv", "a\n" + "1\n" * 600_000)
    error = failure(tmp_path, "big.csv")
    assert isinstance(error, DataError)
    assert error.message == "data file 'big.csv' is 1.1 MB, over the 1 MB limit"
    assert error.hint == "keep only the rows and columns the factsheet needs"


@pytest.mark.parametrize(
    ("content", "message", "line"),
    [
        (b"", "data file 'x.csv' is empty", None),
        (b"\n\n", "data file 'x.csv' is empty", None),
        (b"a,b\n1,2\ncaf\xe9,3\n", "data file 'x.csv' is not UTF-8 text", 3),
        (
            b"a\x00b\x00\n",
            "data file 'x.csv' is not a text file: it is full of NUL bytes (U+0000), "
            "the first on line 1",
            1,
        ),
        (b"a,b\n1,2\n3,4,5\n", "row has 3 cells, but the header has 2", 3),
        (b"a,a\n1,2\n", "column 'a' appears more than once in the header", 1),
        (b"a,,c\n1,2,3\n", "column 2 has values but no name", 1),
    ],
)
def test_unreadable_csv(tmp_path: Path, content: bytes, message: str, line: int | None) -> None:
    path = tmp_path / "x.csv"
    path.write_bytes(content)
    error = failure(tmp_path, "x.csv")
    assert isinstance(error, DataError)
    assert error.message == message
    assert error.location == Location(file=path.resolve(), line=line)


@pytest.mark.parametrize(
    ("file", "options", "message"),
    [
        ("x.txt", {}, "data file 'x.txt' is not a .csv or .xlsx file"),
        ("x.xls", {}, "data file 'x.xls' is in the old .xls format"),
        ("x.csv", {"sheet": "Data"}, "'sheet' is given, but data file 'x.csv' is not an XLSX file"),
    ],
)
def test_unsupported_files(
    tmp_path: Path, file: str, options: dict[str, Any], message: str
) -> None:
    write(tmp_path, file, "a\n1\n")
    error = failure(tmp_path, file, **options)
    assert isinstance(error, DataError)
    assert error.message == message


def test_directories_are_not_files(tmp_path: Path) -> None:
    (tmp_path / "d.csv").mkdir()
    assert failure(tmp_path, "d.csv").message == "data file 'd.csv' is not a file"


# --- cache ----------------------------------------------------------------------


def test_repeated_loads_return_the_same_table(tmp_path: Path) -> None:
    write(tmp_path, "x.csv", "a\n1\n")
    first = load(tmp_path, "x.csv")
    assert load(tmp_path, "x.csv") is first
    assert load(tmp_path, "x.csv", columns={"a": "integer"}) is not first
    assert load_table("other", Source(file="x.csv"), tmp_path).name == "other"


def test_an_edited_file_is_read_again(tmp_path: Path) -> None:
    path = write(tmp_path, "x.csv", "a\n1\n")
    first = load(tmp_path, "x.csv")
    path.write_text("a\n2\n", encoding="utf-8")
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))
    second = load(tmp_path, "x.csv")
    assert second is not first
    assert second.rows["a"].tolist() == [2.0]


# --- XLSX -----------------------------------------------------------------------


def write_xlsx(path: Path, sheets: dict[str, list[list[Any]]]) -> Path:
    book = openpyxl.Workbook()
    book.remove(book.active)
    for title, rows in sheets.items():
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append(row)
    path.parent.mkdir(parents=True, exist_ok=True)
    book.save(path)
    return path


def test_xlsx_first_sheet_is_read_like_csv(tmp_path: Path) -> None:
    write_xlsx(
        tmp_path / "data/x.xlsx",
        {
            "Data": [
                ["country", "code", "year", "share", "flag", "day"],
                ["Namibia", "NA", 2017, 0.5, True, dt.datetime(2020, 1, 31)],
                [],
                ["Chad", 12, 2018.0, None, False, dt.datetime(2021, 5, 1)],
            ],
            "Other": [["z"], [1]],
        },
    )
    table = load(tmp_path, "data/x.xlsx", columns={"day": "date"})
    assert dict(table.types) == {
        "country": "text",
        "code": "text",
        "year": "number",
        "share": "number",
        "flag": "text",
        "day": "date",
    }
    assert table.rows["code"].tolist() == ["NA", "12"]
    assert table.rows["flag"].tolist() == ["TRUE", "FALSE"]
    assert table.rows["year"].tolist() == [2017.0, 2018.0]
    assert math.isnan(table.rows["share"][1])
    assert table.rows["day"][1] == np.datetime64("2021-05-01")
    assert list(table.rows.lines()) == [2, 4]


def test_xlsx_named_sheet(tmp_path: Path) -> None:
    write_xlsx(tmp_path / "x.xlsx", {"Data": [["a"], [1]], "Regions": [["r"], ["Asia"]]})
    assert load(tmp_path, "x.xlsx", sheet="Regions").rows["r"].tolist() == ["Asia"]


def test_xlsx_unknown_sheet(tmp_path: Path) -> None:
    write_xlsx(tmp_path / "x.xlsx", {"Data": [["a"], [1]], "Regions": [["r"], ["Asia"]]})
    error = failure(tmp_path, "x.xlsx", sheet="Region")
    assert isinstance(error, DataError)
    assert error.message == "sheet 'Region' not found in x.xlsx"
    assert error.hint == "sheets: Data, Regions; did you mean 'Regions'?"


def test_xlsx_formula_without_cached_value(tmp_path: Path) -> None:
    path = tmp_path / "x.xlsx"
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Data"
    sheet["A1"], sheet["B1"] = "a", "total"
    sheet["A2"] = 3
    sheet["B2"] = "=SUM(A1:A2)"  # openpyxl stores no cached value
    book.save(path)
    error = failure(tmp_path, "x.xlsx")
    assert isinstance(error, DataError)
    assert error.message == "sheet 'Data', cell B2 holds a formula whose result was never saved"
    assert error.hint == "open the file in Excel and save it, so results are stored"
    assert error.location == Location(file=path.resolve(), line=2)


def test_xlsx_bad_cell_names_the_cell(tmp_path: Path) -> None:
    path = write_xlsx(
        tmp_path / "x.xlsx", {"Data": [["year", "share"], [2020, 0.5], [2021, "n/a"]]}
    )
    error = failure(tmp_path, "x.xlsx", columns={"share": "number"})
    assert error.message == "sheet 'Data', cell B3: column 'share': 'n/a' is not a number"
    assert error.location == Location(file=path.resolve(), line=3)


def test_xlsx_empty_sheet(tmp_path: Path) -> None:
    write_xlsx(tmp_path / "x.xlsx", {"Data": []})
    assert failure(tmp_path, "x.xlsx").message == "sheet 'Data' in x.xlsx is empty"


def test_garbled_xlsx(tmp_path: Path) -> None:
    path = write(tmp_path, "x.xlsx", "not a zip file")
    error = failure(tmp_path, "x.xlsx")
    assert isinstance(error, DataError)
    assert error.message == "data file 'x.xlsx' cannot be read as an Excel workbook"
    assert error.location == Location(file=path.resolve())


def test_a_note_above_the_header_is_named(tmp_path: Path) -> None:
    """A source line above the header (as in matplotlib's sample data) makes it the
    header; the hint says so instead of suggesting quotes."""
    path = tmp_path / "x.csv"
    path.write_bytes(b"# Data source: https://finance.example.org\nDate,a,b\n2000-01-01,1,2\n")
    error = failure(tmp_path, "x.csv")
    assert isinstance(error, DataError)
    assert error.message == "row has 3 cells, but the header has 1"
    assert error.location == Location(file=path.resolve(), line=2)
    assert error.hint.startswith(
        "line 1 ('# Data source: https://finance.example.…') is a note, not the header"
    )
