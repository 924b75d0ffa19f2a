"""Figure arithmetic against an independent computation (issue 14, "Done means"): random
columns of decimals (negatives, zeros, duplicates and empty cells among them) are
written to a CSV, and every `sum`, `mean`, `median`, `share` and `change` figure is
compared with the same arithmetic done in `Decimal` straight from the CSV's text (never
through a float), and with pandas for the float value. Its text with two decimals must
be what a calculator prints (half away from zero). An empty cell must give the
documented error, naming its line, never a number."""

from __future__ import annotations

import decimal
import tempfile
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from factsheet.data.figures import FigureValue, compute_figure
from factsheet.data.formats import locale_for
from factsheet.data.sources import Table, clear_cache, load_table
from factsheet.errors import DataError
from factsheet.spec.model import FigureSpec, Source

MINUS = "\u2212"
PRECISE = decimal.Context(prec=60)
SETTINGS = settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# A cell: a decimal with up to 4 places (often a duplicate or zero), or empty (None).
_numbers = st.builds(
    lambda n, places: Decimal(n).scaleb(-places),
    st.integers(-(10**9), 10**9),
    st.integers(0, 4),
)
_cell = st.one_of(_numbers, _numbers, st.sampled_from([Decimal(0), Decimal("1.005")]))
Cells = list[Decimal | None]
columns = st.lists(st.one_of(_cell, _cell, _cell, _cell, st.none()), min_size=1, max_size=12)
filled = st.lists(_cell, min_size=1, max_size=12)


@pytest.fixture(autouse=True)
def _fresh_cache() -> Iterator[None]:
    clear_cache()
    yield
    clear_cache()


def _table(cells: Cells, folder: Path) -> Table:
    """Rows `id` (1…n), `group` (A for the first half, B after) and `v` (the cells)."""
    half = (len(cells) + 1) // 2
    lines = ["id,group,v"] + [
        f"{i + 1},{'A' if i < half else 'B'},{'' if c is None else c}" for i, c in enumerate(cells)
    ]
    (folder / "t.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    clear_cache()
    return load_table("t", Source(file="t.csv", columns={"v": "number"}), folder)


def _figure(cells: Cells, **spec: Any) -> FigureValue:
    with tempfile.TemporaryDirectory() as folder:
        table = _table(cells, Path(folder))
        model = FigureSpec.model_validate(
            {"source": "t", "column": "v", "format": {"decimals": 2}, **spec}
        )
        return compute_figure("x", model, table, locale_for("en"))


def _printed(value: Decimal) -> str:
    """What a calculator shows with two decimals, in English, written independently."""
    rounded = value.quantize(Decimal("0.01"), rounding=decimal.ROUND_HALF_UP, context=PRECISE)
    text = f"{abs(rounded):,.2f}"
    return f"{MINUS}{text}" if rounded < 0 else text


def _check(figure: FigureValue, expected: Decimal, floats: float) -> None:
    assert figure.exact is not None
    tolerance = Decimal("1e-40") * max(Decimal(1), abs(expected))
    assert abs(figure.exact - expected) <= tolerance
    assert figure.text == _printed(expected)
    assert figure.value == pytest.approx(floats, rel=1e-9, abs=1e-9)


def _mean(cells: list[Decimal]) -> Decimal:
    return PRECISE.divide(sum(cells, Decimal(0)), Decimal(len(cells)))


def _median(cells: list[Decimal]) -> Decimal:
    ordered, middle = sorted(cells), len(cells) // 2
    if len(cells) % 2:
        return ordered[middle]
    return (ordered[middle - 1] + ordered[middle]) / 2


@SETTINGS
@given(columns, st.sampled_from(["sum", "mean", "median"]))
def test_sum_mean_median(cells: Cells, how: str) -> None:
    if None in cells:
        with pytest.raises(DataError) as caught:
            _figure(cells, aggregate=how)
        assert "'v' is empty" in caught.value.message
        assert caught.value.location is not None
        assert caught.value.location.line == cells.index(None) + 2  # header is line 1
        return
    numbers = [c for c in cells if c is not None]
    series = pd.Series([float(c) for c in numbers])
    expected = {"sum": lambda: sum(numbers, Decimal(0)), "mean": lambda: _mean(numbers)}.get(
        how, lambda: _median(numbers)
    )()
    _check(_figure(cells, aggregate=how), expected, float(getattr(series, how)()))


@SETTINGS
@given(filled, st.booleans())
def test_share(cells: list[Decimal], signed: bool) -> None:
    """Mostly parts of 0 or more (a share of them), sometimes with negative ones."""
    cells = cells if signed else [abs(c) for c in cells]
    half = (len(cells) + 1) // 2
    part, whole = sum(cells[:half], Decimal(0)), sum(cells, Decimal(0))
    spec = {"aggregate": "share", "where": {"group": "A"}, "format": {"decimals": 2}}
    if any(c < 0 for c in cells):
        with pytest.raises(DataError, match="negative"):
            _figure(list(cells), **spec)
        return
    if whole == 0:
        with pytest.raises(DataError, match="total to take a share of is 0"):
            _figure(list(cells), **spec)
        return
    expected = PRECISE.divide(part, whole)
    _check(_figure(list(cells), **spec), expected, float(part) / float(whole))


@SETTINGS
@given(filled, st.data(), st.booleans())
def test_change(cells: list[Decimal], data: st.DataObject, relative: bool) -> None:
    start = data.draw(st.integers(0, len(cells) - 1))
    end = data.draw(st.integers(0, len(cells) - 1))
    before, after = cells[start], cells[end]
    spec = {
        "aggregate": "change",
        "from": {"id": start + 1},
        "to": {"id": end + 1},
        "relative": relative,
    }
    if relative and before == 0:
        with pytest.raises(DataError, match="relative change from 0 is undefined"):
            _figure(list(cells), **spec)
        return
    expected = after - before
    floats = float(after) - float(before)
    if relative:  # relative to the size of the earlier value, so the sign is the direction
        expected = PRECISE.divide(expected, abs(before))
        floats /= abs(float(before))
    figure = _figure(list(cells), **spec)
    _check(figure, expected, floats)
    assert (figure.value > 0) == (after > before)
