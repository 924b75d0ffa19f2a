"""Data files are read without pandas (issue 13, start-up speed): the standard library's
`csv` module splits the cells, NumPy types them. The readings are pandas' readings
(pandas stays a test dependency, as the oracle here), except where pandas read a
malformed file silently or crashed: those cases are located errors now, each tested.
A build with an empty cache does not import pandas at all."""

from __future__ import annotations

import io
import math
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from factsheet.data import parsing
from factsheet.data.conventions import Convention
from factsheet.data.sources import clear_cache, load_table
from factsheet.errors import DataError
from factsheet.location import Location
from factsheet.spec.model import Source
from tests.projects import make_project

pd = pytest.importorskip("pandas")


@pytest.fixture(autouse=True)
def _fresh_cache() -> Iterator[None]:
    clear_cache()
    yield
    clear_cache()


def parse(tmp_path: Path, text: str, **declared: Any) -> tuple[Any, dict[str, str]]:
    path = tmp_path / "x.csv"
    path.write_bytes(text.encode())
    rows, types = parsing.parse(path, "x.csv", None, declared)
    return rows, dict(types)


def refused(tmp_path: Path, text: str, **declared: Any) -> DataError:
    with pytest.raises(DataError) as caught:
        parse(tmp_path, text, **declared)
    return caught.value


def bits(values: Any) -> list[int]:
    return np.asarray(values, dtype=np.float64).view(np.int64).tolist()


# --- numbers and dates: what pandas gave -------------------------------------------

TRICKY = [
    "0.1", "1e-7", "123456789012345", "-0.5", ".5", "5.", "0.30000000000000004",
    "3.2260000000000004", "2.2250738585072011e-308", "4.9406564584124654e-324",
    "1.7976931348623157e308", "9007199254740992", "1.5E+06", "2.5e-05", "-1e-300",
]  # fmt: skip


def test_numbers_are_bit_identical_to_pandas_to_numeric(tmp_path: Path) -> None:
    rows, types = parse(tmp_path, "v\n" + "\n".join(TRICKY) + "\n\n")
    assert types["v"] == "number"
    expected = pd.to_numeric(pd.Series(TRICKY, dtype=str)).astype("float64")
    assert bits(rows["v"]) == bits(expected)


@given(
    st.lists(
        st.from_regex(
            r"-?(?:[1-9][0-9]{0,14}|0)(?:\.[0-9]{1,20})?(?:e-?[1-9][0-9]?)?", fullmatch=True
        ),
        min_size=1,
        max_size=30,
    )
)
@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
def test_random_numbers_read_as_pandas_read_them(tmp_path: Path, cells: list[str]) -> None:
    rows, _ = parse(tmp_path, "v\n" + "\n".join(cells) + "\n", v="number")
    assert bits(rows["v"]) == bits(pd.to_numeric(pd.Series(cells, dtype=str)).astype("float64"))


@pytest.mark.parametrize(
    ("cells", "expected"),
    [
        (["-0", "3"], ["0.0", "3.0"]),  # whole numbers: pandas read integers, -0 is 0
        (["-0", "1.5"], ["-0.0", "1.5"]),  # a fraction: floats, -0.0 kept
        (["-0", ""], ["-0.0", "nan"]),  # an empty cell: floats
        (["-0", "1e3"], ["-0.0", "1000.0"]),
        (["+3", "-0"], ["3.0", "0.0"]),
    ],
)
def test_minus_zero_as_pandas_read_it(
    tmp_path: Path, cells: list[str], expected: list[str]
) -> None:
    rows, _ = parse(tmp_path, "v,w\n" + "".join(f"{c},x\n" for c in cells), v="number")
    assert [repr(float(v)) for v in rows["v"]] == expected
    empty = [c == "" for c in cells]
    series = pd.Series(cells, dtype=str).where(~pd.Series(empty)) if any(empty) else cells
    oracle = pd.to_numeric(pd.Series(series)).astype("float64")
    assert [repr(float(v)) for v in oracle] == expected


def test_dates_have_the_unit_pandas_gave(tmp_path: Path) -> None:
    rows, _ = parse(tmp_path, "d,e,n\n2020-02-29,,1\n,,2\n1999-12-31,,3\n", d="date", e="date")
    oracle = pd.to_datetime(pd.Series(["2020-02-29", None, "1999-12-31"]), format="%Y-%m-%d")
    assert rows["d"].dtype == oracle.to_numpy().dtype == np.dtype("datetime64[us]")
    assert rows["d"].tolist() == oracle.to_numpy().tolist()
    # A date column without a date had pandas' unit for nothing at all: seconds.
    empty = pd.to_datetime(pd.Series([None, None], dtype=str), format="%Y-%m-%d")
    assert rows["e"].dtype == empty.to_numpy().dtype == np.dtype("datetime64[s]")
    assert np.isnat(rows["e"]).all()


def test_codes_and_long_numbers_stay_text(tmp_path: Path) -> None:
    _, types = parse(
        tmp_path,
        "zero,plus,exp,long,ok\n007,+7,1e3,12345678901234567,1e+3\n1,2,3,4,5\n",
    )
    assert types == {
        "zero": "text", "plus": "text", "exp": "text", "long": "text", "ok": "number"
    }  # fmt: skip


@pytest.mark.parametrize("cell", ["٣", "１２", "٣.٥"])
def test_digits_of_other_scripts_are_text_not_a_crash(tmp_path: Path, cell: str) -> None:
    """pandas' reader crashed on these (`Unable to parse string`); they are words."""
    rows, types = parse(tmp_path, f"v,w\n{cell},1\n2,2\n")
    assert types["v"] == "text" and rows["v"].tolist() == [cell, "2"]
    error = refused(tmp_path, f"v,w\n1,1\n{cell},2\n", v="number")
    assert error.message == f"column 'v': '{cell}' is not a number"
    assert error.location is not None and error.location.line == 3


# --- the CSV dialect ---------------------------------------------------------------


def test_quoted_cells_hold_separators_line_breaks_and_quotes(tmp_path: Path) -> None:
    text = 'name,note,n\n"Korea, Rep.","said ""hi""",1\n"a\nb",\'x\',2\n"x" ,5" screen,3\n'
    rows, types = parse(tmp_path, text)
    assert rows["name"].tolist() == ["Korea, Rep.", "a\nb", "x"]
    assert rows["note"].tolist() == ['said "hi"', "'x'", '5" screen']
    assert types["n"] == "number"


def test_lines_after_a_quoted_line_break_are_the_file_lines(tmp_path: Path) -> None:
    """pandas counted rows, not lines: after a cell holding a line break every row and
    error pointed one line too high (at the row above)."""
    text = 'name,n\n"two\nlines",1\nChad,2\n\nMali,n/a\n'
    rows, _ = parse(tmp_path, text)
    assert rows.lines() == (2, 4, 6)
    error = refused(tmp_path, text, n="number")
    assert error.message == "column 'n': 'n/a' is not a number"
    assert error.location == Location(file=(tmp_path / "x.csv"), line=6)
    long = refused(tmp_path, 'name,n\n"two\nlines",1\nChad,2,3\n')
    assert (long.message, long.location) == (
        "row has 3 cells, but the header has 2",
        Location(file=tmp_path / "x.csv", line=4),
    )


@pytest.mark.parametrize(
    ("text", "line", "column", "shown"),
    [
        ('country,n\n"Côte d"Ivoire",1\n', 2, 8, '"Côte d"Ivoire"'),
        ('a,b\n1,"x"y\n', 2, 5, '"x"y'),
        ('a,b\n1,""x\n', 2, 4, '""x'),
        ('a,b\n1,"x\ny"z\n', 3, 2, '"x\ny"z'),
    ],
)
def test_text_after_a_closing_quote_is_refused_where_it_is(
    tmp_path: Path, text: str, line: int, column: int, shown: str
) -> None:
    """pandas glued it on silently: `"Côte d"Ivoire"` became `Côte dIvoire"`."""
    error = refused(tmp_path, text)
    assert error.message == f"a quoted cell has text after its closing quote: {shown}"
    assert error.location == Location(file=tmp_path / "x.csv", line=line, column=column)
    assert error.hint == (
        'inside quotes, write a quote that is part of the text twice (""), or remove the '
        "quotes around the cell"
    )


def test_a_quote_never_closed_is_refused_where_it_opens(tmp_path: Path) -> None:
    """pandas said `EOF inside string starting at row 1`, with no line."""
    error = refused(tmp_path, 'a,b\n1,2\n3,"four\n5,6\n')
    assert error.message == (
        "this quote opens a cell that is never closed: the rest of the file would be read into it"
    )
    assert error.location == Location(file=tmp_path / "x.csv", line=3, column=3)


def test_a_long_row_above_a_bad_quote_is_reported_first(tmp_path: Path) -> None:
    error = refused(tmp_path, 'a,b\n1,2,3\n"x"y,1\n')
    assert (error.message, error.location) == (
        "row has 3 cells, but the header has 2",
        Location(file=tmp_path / "x.csv", line=2),
    )


def test_short_rows_are_padded_as_pandas_padded_them(tmp_path: Path) -> None:
    rows, _ = parse(tmp_path, "a,b,c\n1\n2,3\n")
    assert rows["b"].tolist()[0] != rows["b"].tolist()[0]  # NaN: an empty number cell
    assert rows["c"].tolist() == ["", ""]


@pytest.mark.parametrize("text", ["\na,b\n1,2\n", "  \na,b\n1,2\n", "\r\na,b\n1,2\n"])
def test_an_empty_first_line_is_named(tmp_path: Path, text: str) -> None:
    """pandas crashed (`No columns to parse from file`) or took it for the header."""
    error = refused(tmp_path, text)
    assert error.message == "line 1 is empty, but the first line must name the columns"
    assert error.location == Location(file=tmp_path / "x.csv", line=1)
    assert error.hint == "delete the empty lines above the header"


@pytest.mark.parametrize("end", ["\n", "\r\n", "\r"])
def test_line_ends_of_every_kind(tmp_path: Path, end: str) -> None:
    rows, _ = parse(tmp_path, end.join(["a;b", "x;1", "", "y;2"]) + end)
    assert rows["a"].tolist() == ["x", "y"]
    assert rows.lines() == (2, 4)


def test_a_line_break_inside_quotes_keeps_its_carriage_return_and_is_refused(
    tmp_path: Path,
) -> None:
    error = refused(tmp_path, 'a,b\r\n"x\r\ny",1\r\n')
    assert error.message == "column 'a': the cell holds the control character U+000D"


def test_a_control_character_is_found_on_every_path(tmp_path: Path) -> None:
    for text in ("a,b\nx\x1b,1\n", 'a,b\n"x\x1b",1\n', "a,b\r\nx\x1b,1\r\n", "a,b\nx\x1b\n"):
        error = refused(tmp_path, text)
        assert error.message == "column 'a': the cell holds the control character U+001B"
        assert error.location is not None and error.location.line == 2


# --- the reader against pandas' reader ------------------------------------------------

CELL = st.text(alphabet='ab 1.,;"\n\t-', max_size=6)


@given(st.lists(st.lists(CELL, min_size=3, max_size=3), min_size=1, max_size=8))
@settings(
    max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
def test_well_formed_files_read_as_pandas_read_them(tmp_path: Path, body: list[list[str]]) -> None:
    """Any file the csv module writes (quotes where needed) gives pandas' cells, as
    text, stripped, blank rows dropped."""
    out = io.StringIO()
    csv_writer = __import__("csv").writer(out, lineterminator="\n")
    csv_writer.writerows([["h1", "h2", "h3"], *body])
    text = out.getvalue()
    path = tmp_path / "x.csv"
    path.write_text(text, encoding="utf-8", newline="")
    try:
        rows, _ = parsing.parse(path, "x.csv", None, dict.fromkeys(("h1", "h2", "h3"), "text"))
    except DataError as error:  # a cell with a control character (tab is allowed)
        pytest.fail(str(error))
    frame = pd.read_csv(
        io.StringIO(text), header=None, dtype=str, keep_default_na=False, na_filter=False,
        skip_blank_lines=False,
    ).apply(lambda column: column.str.strip())  # fmt: skip
    body_frame = frame.iloc[1:]
    body_frame = body_frame[(body_frame != "").any(axis=1)]
    for position, name in enumerate(("h1", "h2", "h3")):
        assert rows[name].tolist() == body_frame[position].tolist()


@given(
    st.lists(st.lists(st.text(alphabet="ab 1.-", max_size=4), min_size=2, max_size=2), max_size=8),
    st.sampled_from([",", ";", "\t"]),
    st.sampled_from(["\n", "\r\n"]),
)
@settings(max_examples=80, deadline=None)
def test_the_fast_reader_of_plain_files_agrees_with_the_csv_module(
    body: list[list[str]], separator: str, end: str
) -> None:
    from factsheet.data import csvread

    text = end.join(separator.join(row) for row in [["h1", "h2"], *body]) + end
    plain = csvread._plain(text.replace("\r\n", "\n"), separator)
    general = csvread._general(text, separator, Path("x.csv"), "x.csv")
    if plain is not None:  # None: a blank line, read by the csv module
        assert (plain.header, plain.columns, list(plain.lines)) == (
            general.header,
            general.columns,
            list(general.lines),
        )


CONVENTIONS = [Convention(), Convention(",", "."), Convention(".", ","), Convention(",", "")]


@given(
    st.lists(st.text(alphabet="0123456789+-.,eE \u00a0", max_size=7), max_size=6),
    st.sampled_from([*CONVENTIONS, Convention(",", " ")]),
    st.booleans(),
)
@settings(max_examples=400, deadline=None)
def test_numbers_are_read_by_float_exactly_when_the_pattern_matches(
    cells: list[str], convention: Convention, codes: bool
) -> None:
    """The fast way (float() itself decides what is a number, where no thousands
    separator is written) agrees with the convention's number pattern, codes (007, +7,
    1e3) included."""
    from factsheet.data import conventions

    text = "\n".join(cells)
    read = conventions.read_numbers(cells, text, convention, codes)
    pattern = conventions.all_numbers(convention.pattern(), codes)
    assert (read is not None) == (pattern.fullmatch(text) is not None)
    if read is not None:
        expected = [float(convention.normalise(c)) if c else math.nan for c in cells]
        assert bits(read[0]) == bits(expected)


# --- XLSX ---------------------------------------------------------------------------


def test_xlsx_cells_are_typed_as_before(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["name", "n", "code", None])
    sheet.append(["Chad", 3, "007", None])
    sheet.append([None, None, None, None])
    sheet.append(["  Mali ", -0.0, 12, None])
    book.save(tmp_path / "x.xlsx")
    table = load_table("x", Source(file="x.xlsx"), tmp_path)
    assert table.rows["name"].tolist() == ["Chad", "Mali"]
    assert table.rows.lines() == (2, 4)
    assert dict(table.types) == {"name": "text", "n": "number", "code": "text"}
    assert not any(math.isnan(v) for v in table.rows["n"])


# --- no pandas in a build ---------------------------------------------------------------

SPEC = """\
document: {title: No pandas, author: Test Org, year: 2024, pages: 1}
theme: un-blue
data:
  numbers: {file: data/numbers.FORMAT}
figures:
  total: {source: numbers, column: value, aggregate: sum}
pages:
  - blocks:
      - heading: "Total {{ total }}"
      - table: {source: numbers, columns: [label, value]}
"""

CHECK = """\
import sys
from factsheet.cli import main
try:
    main(['build', 'factsheets/f.yaml', '--force', '--jobs', '1'])
except SystemExit as done:
    print(done.code, 'factsheet.data.parsing' in sys.modules, 'pandas' in sys.modules)
"""


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_a_first_build_does_not_import_pandas(tmp_path: Path, fmt: str) -> None:
    data: dict[str, str] = {"numbers.csv": 'label,value\n"A, first",1\nB,2\n'}
    project = make_project(tmp_path / "p", data, {"f.yaml": SPEC.replace("FORMAT", fmt)})
    if fmt == "xlsx":
        book = openpyxl.Workbook()
        for row in (["label", "value"], ["A, first", 1], ["B", 2]):
            book.active.append(row)
        book.save(project / "data" / "numbers.xlsx")
    env = dict(os.environ, FACTSHEET_CACHE_DIR=str(tmp_path / "empty-cache"))
    run = subprocess.run(
        [sys.executable, "-c", CHECK], cwd=project, capture_output=True, text=True, env=env
    )
    assert run.returncode == 0, run.stderr
    # The file was parsed (an empty cache), and pandas was not imported for it.
    assert run.stdout.split()[-3:] == ["0", "True", "False"], run.stdout + run.stderr
    assert (project / "output" / "f.pdf").stat().st_size > 0
