"""Decimal arithmetic for numbers that get printed: a cell is the decimal its file wrote
(the shortest text that reads back as the same float, so `0.7` is 0.7, not
0.6999999999999999555910790149937), and sums, means, medians, quantiles, shares and
changes of such cells are worked out in :class:`~decimal.Decimal`, as a calculator
would: 0.7 − 0.015 is 0.685 (printed 0.69 with two decimals), the mean of 0.01 and 2.32
is 1.165 (1.17). Binary floats would give 0.6849999… and 1.1649999… and round them down.

Only the cells of one printed number go through here, never a whole column per cell:
a column whose cells have at most :data:`MAX_PLACES` decimals and 15 significant digits
(almost every data file) is scaled to integers with NumPy, and only the rest is
converted one cell at a time. Integers a reader keeps exact (Python ints, beyond
float64's 15 digits) stay exact."""

from __future__ import annotations

import decimal
import math
from collections.abc import Iterable

import numpy as np

Exact = decimal.Decimal

MAX_PLACES = 9  # decimals tried for the NumPy path (10**9 · 10**15 still fits no float)
DIGITS_15 = 10.0**15  # below this, distinct decimals of that many digits are distinct floats

# Sums of cells are exact at this precision (shares and means divide once, after).
CONTEXT = decimal.Context(prec=120, rounding=decimal.ROUND_HALF_EVEN, Emax=999999, Emin=-999999)
_DIVIDE = decimal.Context(prec=50, rounding=decimal.ROUND_HALF_EVEN, Emax=999999, Emin=-999999)


def exact(value: object) -> Exact:
    """One cell or float as the decimal it stands for: a float by its shortest repr
    (0.1 is 0.1), an int or Decimal as it is."""
    if isinstance(value, Exact):
        return value
    if isinstance(value, int | np.integer):
        return Exact(int(value))
    number = float(value)  # type: ignore[arg-type]
    if not math.isfinite(number):
        raise ValueError(f"{number} is not a number")
    return Exact(repr(number))


def scaled(numbers: np.ndarray) -> tuple[list[int], int] | None:
    """The cells as integers times 10**-places, when NumPy can say so exactly: each
    float is the nearest to n / 10**places with |n| < 10**15, so its shortest repr is
    that decimal. None when some cell needs more places or digits."""
    if numbers.dtype.kind in "iu":
        return [int(n) for n in numbers.tolist()], 0
    if numbers.dtype.kind != "f" or not np.isfinite(numbers).all():
        return None
    with np.errstate(all="ignore"):
        for places in range(MAX_PLACES + 1):
            step = 10.0**places
            whole = np.round(numbers * step)
            if (np.abs(whole) < DIGITS_15).all() and (whole / step == numbers).all():
                return [int(n) for n in whole.tolist()], places
            if not (np.abs(numbers * step) < DIGITS_15).all():
                return None
    return None


def cells(values: np.ndarray) -> list[Exact]:
    """Every cell as a decimal (fast when :func:`scaled` applies)."""
    found = scaled(values) if values.dtype != object else None
    if found is not None:
        whole, places = found
        return [Exact(n).scaleb(-places) for n in whole]
    return [exact(v) for v in values.tolist()]


def total(values: np.ndarray) -> Exact:
    """The exact sum of the cells."""
    found = scaled(values) if values.dtype != object else None
    if found is not None:
        whole, places = found
        return Exact(sum(whole)).scaleb(-places)
    return _sum(exact(v) for v in values.tolist())


def _sum(items: Iterable[Exact]) -> Exact:
    result = Exact(0)
    for item in items:
        result = CONTEXT.add(result, item)
    return result


def mean(values: np.ndarray) -> Exact:
    return divide(total(values), Exact(len(values)))


def weighted_mean(values: np.ndarray, weights: np.ndarray) -> Exact:
    """Σ value·weight ÷ Σ weight; the caller has checked the weights."""
    products = _sum(
        CONTEXT.multiply(v, w) for v, w in zip(cells(values), cells(weights), strict=True)
    )
    return divide(products, total(weights))


def median(values: np.ndarray) -> Exact:
    return quantile(values, Exact("0.5"))


def quantile(values: np.ndarray, q: Exact) -> Exact:
    """Linear between the two nearest cells (Excel's PERCENTILE.INC, R's type 7)."""
    ordered = sorted(values.tolist()) if values.dtype == object else np.sort(values)
    position = q * (len(values) - 1)
    lower = int(position)  # q is between 0 and 1: position is not negative
    low = exact(ordered[lower])
    fraction = position - lower
    if fraction == 0:
        return low
    high = exact(ordered[lower + 1])
    return CONTEXT.add(low, CONTEXT.multiply(CONTEXT.subtract(high, low), fraction))


def divide(a: Exact, b: Exact) -> Exact:
    """a ÷ b to 50 significant digits (exact when the quotient has fewer)."""
    return _DIVIDE.divide(a, b)


def as_float(value: Exact) -> float:
    """The float nearest the decimal: its repr is the decimal itself when it has at
    most 15 significant digits, so a float carrier prints what was computed."""
    return float(value)
