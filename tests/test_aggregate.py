"""The named aggregates: each reduces exactly as documented, and an empty cell, a bad
weight or an unknown name is an error, never skipped or guessed."""

from __future__ import annotations

import math

import numpy as np
import pytest

from factsheet.data.aggregate import REDUCERS, MissingCell, reduce
from factsheet.errors import DataError

VALUES = np.array([4.0, 1.0, 3.0, 2.0, 10.0])


@pytest.mark.parametrize(
    ("how", "expected"),
    [
        ("sum", 20.0),
        ("mean", 4.0),
        ("median", 3.0),
        ("min", 1.0),
        ("max", 10.0),
        ("count", 5.0),
        ("count_distinct", 5.0),
        ("first", 4.0),
    ],
)
def test_each_reducer(how: str, expected: float) -> None:
    assert reduce(how, VALUES) == expected  # type: ignore[arg-type]


def test_every_reducer_is_tested() -> None:
    assert set(REDUCERS) == {
        "sum", "mean", "median", "min", "max", "count", "count_distinct", "first", "quantile"
    }  # fmt: skip


@pytest.mark.parametrize(("q", "expected"), [(0.0, 1.0), (0.5, 3.0), (0.9, 7.6), (1.0, 10.0)])
def test_quantile_interpolates_linearly(q: float, expected: float) -> None:
    # Sorted 1, 2, 3, 4, 10: the 0.9 quantile lies 60% of the way from 4 to 10.
    assert reduce("quantile", VALUES, q=q) == pytest.approx(expected)


@pytest.mark.parametrize("q", [None, -0.1, 1.5])
def test_quantile_needs_q_between_0_and_1(q: float | None) -> None:
    with pytest.raises(DataError, match="between 0 and 1"):
        reduce("quantile", VALUES, q=q)


def test_weighted_mean() -> None:
    values = np.array([70.0, 50.0])
    weights = np.array([300.0, 100.0])
    assert reduce("mean", values, weights=weights) == pytest.approx(65.0)
    assert reduce("mean", values) == pytest.approx(60.0)


@pytest.mark.parametrize(
    ("weights", "message"),
    [
        (np.array([0.0, 0.0]), "add up to 0"),
        (np.array([1.0, -1.0]), "negative"),
        (np.array(["a", "b"], dtype=object), "holds text"),
    ],
)
def test_bad_weights_are_errors(weights: np.ndarray, message: str) -> None:
    with pytest.raises(DataError, match=message):
        reduce("mean", np.array([1.0, 2.0]), weights=weights)


def test_a_weight_needs_mean() -> None:
    with pytest.raises(DataError, match="'mean' only"):
        reduce("sum", VALUES, weights=np.ones(5))


def test_an_empty_cell_names_its_position() -> None:
    with pytest.raises(MissingCell) as caught:
        reduce("sum", np.array([1.0, math.nan, 2.0]))
    assert caught.value.position == 1 and not caught.value.weight
    with pytest.raises(MissingCell) as caught:
        reduce("mean", np.array([1.0, 2.0]), weights=np.array([1.0, math.nan]))
    assert caught.value.position == 1 and caught.value.weight


def test_text_cells() -> None:
    names = np.array(["Chad", "Mali", "Chad"], dtype=object)
    assert reduce("count_distinct", names) == 2.0
    assert reduce("count", names) == 3.0
    assert reduce("first", names) == "Chad"
    with pytest.raises(DataError, match="needs numbers"):
        reduce("sum", names)


def test_count_distinct_treats_empty_cells_as_one_value() -> None:
    assert reduce("count_distinct", np.array([1.0, math.nan, math.nan, 1.0])) == 2.0


def test_no_rows_is_an_error() -> None:
    with pytest.raises(DataError, match="no rows"):
        reduce("mean", np.array([]))


def test_unknown_name() -> None:
    with pytest.raises(DataError, match="unknown aggregate 'avg'"):
        reduce("avg", VALUES)  # type: ignore[arg-type]
