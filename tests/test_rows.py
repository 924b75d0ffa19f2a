"""Rows: selection keeps file lines, arrays stay read-only, row digests are stable and
local, and tables sort as a reader expects."""

from __future__ import annotations

import math

import numpy as np
import pytest

from factsheet.blocks.table import sorted_positions
from factsheet.data.rows import Rows, cell_key, is_missing

NAT = np.datetime64("NaT")


def sample() -> Rows:
    return Rows.of(
        {"name": np.array(["a", "b", "c"], dtype=object), "n": [1.0, math.nan, 3.0]}, [0, 2, 5]
    )


def test_selection_keeps_lines_and_order() -> None:
    rows = sample()
    assert rows.lines() == (2, 4, 7)
    picked = rows.where(np.array([True, False, True]))
    assert picked.lines() == (2, 7)
    assert list(picked["name"]) == ["a", "c"]
    assert rows.take([2, 0]).lines() == (7, 2)
    assert rows.head(2).lines() == (2, 4)
    assert rows.head(10).lines() == (2, 4, 7)
    assert rows.where(np.zeros(3, dtype=bool)).empty


def test_arrays_are_read_only() -> None:
    rows = sample()
    with pytest.raises(ValueError):
        rows["n"][0] = 9.0
    with pytest.raises(ValueError):
        rows.where(np.array([True, True, True]))["n"][0] = 9.0


def test_records_and_concat() -> None:
    rows = sample()
    assert [r["name"] for r in rows.records()] == ["a", "b", "c"]
    both = rows.head(1).concat(rows.take([2]))
    assert both.lines() == (2, 7)
    assert list(both["name"]) == ["a", "c"]


def test_row_hashes_change_only_for_the_changed_row() -> None:
    before = sample().row_hashes()
    after = Rows.of(
        {"name": np.array(["a", "b", "c"], dtype=object), "n": [1.0, math.nan, 4.0]}, [0, 2, 5]
    ).row_hashes()
    assert set(before) == {2, 4, 7}
    assert before[2] == after[2] and before[4] == after[4]
    assert before[7] != after[7]
    assert sample().row_hashes() == before  # deterministic


def test_missing_cells_and_keys() -> None:
    assert is_missing(math.nan) and is_missing(np.float64("nan")) and is_missing(NAT)
    assert not is_missing("") and not is_missing(0.0)
    assert cell_key(np.datetime64("2020-02-29T00:00:00.000000000")) == "2020-02-29"
    assert cell_key(math.nan) == "" and cell_key(2.5) == "2.5"


def test_sorting_text_ignores_case_and_puts_empty_last() -> None:
    cells = ["beta", "", "Alpha", "alpha", "Gamma"]
    assert sorted_positions(cells, descending=False) == [2, 3, 0, 4, 1]
    # Ties keep file order both ways; empty still trails.
    assert sorted_positions(cells, descending=True) == [4, 0, 2, 3, 1]


def test_sorting_numbers_and_dates_puts_missing_last() -> None:
    assert sorted_positions([3.0, math.nan, 1.0, 3.0], descending=True) == [0, 3, 2, 1]
    days = [np.datetime64("2021-01-02"), NAT, np.datetime64("2020-05-01")]
    assert sorted_positions(days, descending=False) == [2, 0, 1]
