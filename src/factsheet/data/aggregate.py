"""Reducing several cells to one value: the aggregates a figure, a derived source's
group or a chart's shared category may ask for, by name. Each is a pure function of
NumPy arrays. Nothing is ever reduced implicitly: callers reach this module only when
the spec names an aggregate, and a missing cell, a missing weight or a total weight of
zero is an error, never skipped. Errors carry a bare message; the caller knows which
figure, group or chart it was and attaches that on the way up."""

from __future__ import annotations

import math
from typing import get_args

import numpy as np

from factsheet.data import exact
from factsheet.data.rows import is_missing
from factsheet.errors import DataError
from factsheet.spec.base import Reducer

REDUCERS: tuple[str, ...] = get_args(Reducer)
NEEDS_NUMBERS = frozenset({"sum", "mean", "median", "min", "max", "quantile"})


def reduce(
    how: Reducer,
    values: np.ndarray,
    *,
    weights: np.ndarray | None = None,
    q: float | None = None,
) -> float | object:
    """``values`` reduced by ``how``. ``count`` counts rows and ``count_distinct``
    counts different cells (of any type); ``first`` is the first cell in file order (of any
    type); the rest need numbers. ``weights`` makes ``mean`` a weighted mean;
    ``quantile`` needs ``q`` between 0 and 1 and interpolates linearly between the two
    nearest cells (as Excel's PERCENTILE.INC and R's default type 7 do)."""
    if len(values) == 0:
        raise DataError(f"aggregate '{how}' has no rows to work on")
    if how == "count":
        return float(len(values))
    if how == "count_distinct":
        return float(len({_key(v) for v in values}))
    if how == "first":
        first: object = values[0]
        return first
    return exact.as_float(reduce_exact(how, values, weights=weights, q=q))


def reduce_exact(
    how: Reducer,
    values: np.ndarray,
    *,
    weights: np.ndarray | None = None,
    q: float | None = None,
) -> exact.Exact:
    """A number aggregate worked out in decimal (see :mod:`factsheet.data.exact`), so a
    sum or mean prints what a calculator gives. Errors as :func:`reduce`."""
    if len(values) == 0:
        raise DataError(f"aggregate '{how}' has no rows to work on")
    numbers = _numbers(how, values)
    if not np.isfinite(numbers).all():
        return exact.Exact("NaN")  # an infinite cell: the caller reports it
    cells = values if values.dtype == object else numbers  # ints a reader keeps exact
    if weights is not None:
        if how != "mean":
            raise DataError(f"a weight works with aggregate 'mean' only, not '{how}'")
        return exact.weighted_mean(cells, _weights(numbers, weights))
    if how == "quantile":
        if q is None or not 0.0 <= q <= 1.0:
            raise DataError("aggregate 'quantile' needs `q` between 0 and 1, such as 0.9")
        return exact.quantile(cells, exact.exact(q))
    if how in ("min", "max"):
        position = int(numbers.argmax() if how == "max" else numbers.argmin())
        return exact.exact(cells[position])
    return {"sum": exact.total, "mean": exact.mean, "median": exact.median}[how](cells)


def _numbers(how: str, values: np.ndarray) -> np.ndarray:
    if how not in NEEDS_NUMBERS:
        raise DataError(f"unknown aggregate '{how}' (aggregates: {', '.join(REDUCERS)})")
    try:
        numbers = values.astype(float)
    except (TypeError, ValueError):
        raise DataError(f"aggregate '{how}' needs numbers, but the cells hold text") from None
    missing = np.isnan(numbers)
    if missing.any():
        raise MissingCell(int(missing.argmax()))
    return numbers


def _weights(numbers: np.ndarray, weights: np.ndarray) -> np.ndarray:
    try:
        w = weights.astype(float)
    except (TypeError, ValueError):
        raise DataError("the weight column holds text, not numbers") from None
    if len(w) != len(numbers):
        raise ValueError("weights and values differ in length")  # a bug, not user input
    if np.isnan(w).any():
        raise MissingCell(int(np.isnan(w).argmax()), weight=True)
    if (w < 0).any():
        raise DataError("a weight is negative", hint="weights must be 0 or more")
    total = float(w.sum())
    if total == 0 or not math.isfinite(total):
        raise DataError("the weights add up to 0, so a weighted mean is undefined")
    return weights if weights.dtype == object else w


def _key(value: object) -> object:
    """Cells compared for `count_distinct`: NumPy scalars as plain values, empty as None."""
    if is_missing(value):
        return None
    item = getattr(value, "item", None)
    return item() if callable(item) else value


class MissingCell(DataError):
    """An empty cell where an aggregate needs a number: ``position`` is the row's place
    in the values given, so the caller can name its file line."""

    def __init__(self, position: int, weight: bool = False) -> None:
        what = "weight" if weight else "value"
        super().__init__(
            f"an empty {what} cell",
            hint="fill it in, or leave such rows out with `{empty: false}` on its column in "
            "`where`",
        )
        self.position = position
        self.weight = weight
