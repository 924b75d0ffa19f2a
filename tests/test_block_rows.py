"""A chart or table whose filters select no rows says why, as a figure does: the
filters it used, and the closest value of the one that matches nothing (a trial's
chart over a derived source said only "the chart selects no rows from derived source
'gaps'")."""

from __future__ import annotations

from pathlib import Path

import pytest

from factsheet.build import render
from factsheet.errors import FactsheetError
from tests.projects import make_project

LIFE = "continent,year,life\nAfrica,2002,53.3\nAfrica,2007,54.6\nAsia,2007,69.4\n"


def _failure(tmp_path: Path, block: str) -> str:
    spec = (
        "document: {title: Rows, author: Test Org, pages: 1}\ntheme: un-blue\n"
        "data:\n  life: {file: data/life.csv}\n"
        "  gaps: {from: life, where: {year: {min: 2000}}}\n"
        f"pages:\n  - blocks:\n      - {block}\n"
    )
    root = make_project(tmp_path / "p", {"life.csv": LIFE}, {"rows.yaml": spec})
    with pytest.raises(FactsheetError) as caught:
        render(root / "factsheets" / "rows.yaml")
    return str(caught.value)


@pytest.mark.parametrize(
    "block",
    [
        "chart: {type: bar, source: gaps, x: year, y: life, where: {continent: Afrika}}",
        "table: {source: gaps, columns: [year, life], where: {continent: Afrika}}",
    ],
)
def test_no_rows_names_the_filter_and_the_closest_value(tmp_path: Path, block: str) -> None:
    message = _failure(tmp_path, block)
    kind = block.split(":")[0]
    assert f"pages[0].blocks[0].{kind}.where" in message
    assert f"the {kind} selects no rows from derived source 'gaps'" in message
    assert "continent = 'Afrika'" in message and "did you mean 'Africa'" in message


def test_no_rows_of_a_number_filter_gives_the_column_range(tmp_path: Path) -> None:
    message = _failure(
        tmp_path, "chart: {type: bar, source: life, x: continent, y: life, where: {year: 2017}}"
    )
    assert "year = 2017" in message and "'year' runs from 2002 to 2007" in message
