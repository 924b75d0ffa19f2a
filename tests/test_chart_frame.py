"""The pure parts of chart layout, on numbers: colour differences and choices, value
ticks (the same as matplotlib's), category label layouts, annotation rows, end-name
spreading, and how rows become chart data (aggregates, empty cells, the key seam)."""

from __future__ import annotations

import itertools
import math
import random

import numpy as np
import pytest

from factsheet.charts import axes, colours, notes
from factsheet.charts.columns import spread
from factsheet.charts.pivot import chart_data
from factsheet.data.rows import Rows
from factsheet.errors import DataError, LayoutError
from factsheet.spec.model import Chart

# --- colours ----------------------------------------------------------------------

# Pairs from Sharma, Wu and Dalal's CIEDE2000 test data (Lab in, ΔE00 out).
SHARMA = [
    ((50, 2.6772, -79.7751), (50, 0, -82.7485), 2.0425),
    ((50, 2.5, 0), (50, 0, -2.5), 4.3065),
    ((50, 2.5, 0), (73, 25, -18), 27.1492),
    ((60.2574, -34.0099, 36.2677), (60.4626, -34.1751, 39.4387), 1.2644),
    ((22.7233, 20.0904, -46.6940), (23.0331, 14.9730, -42.5619), 2.0373),
    ((2.0776, 0.0795, -1.1350), (0.9033, -0.0636, -0.5514), 0.9082),
]


@pytest.mark.parametrize(("one", "two", "expected"), SHARMA)
def test_ciede2000_matches_published_values(
    one: colours.Lab, two: colours.Lab, expected: float
) -> None:
    assert colours.ciede2000(one, two) == pytest.approx(expected, abs=1e-4)
    assert colours.ciede2000(two, one) == pytest.approx(expected, abs=1e-4)


def test_delta_e_of_the_un_blue_colours() -> None:
    assert colours.delta_e("#5B9BD5", "#5B9BD5") == 0
    assert colours.lab("#FFFFFF") == pytest.approx((100, 0, 0), abs=0.01)
    # The theme's accent and its second series colour are two shades of one blue.
    assert colours.delta_e("#5B9BD5", "#7F9CC8") == pytest.approx(7.0, abs=0.1)
    assert colours.delta_e("#5B9BD5", "#0033A0") == pytest.approx(36.0, abs=0.1)


def test_the_highlight_bug_case_picks_a_contrasting_colour() -> None:
    """un-blue: palette primary, shade, accent; highlight accent. The old rule gave the
    other of two series the palette's next colour, the accent itself (or the shade)."""
    palette = ("#0033A0", "#7F9CC8", "#5B9BD5")
    (other,) = colours.pick(palette, 1, highlight="#5B9BD5")
    assert other == "#0033A0"
    assert colours.delta_e(other, "#5B9BD5") >= colours.MIN_CONTRAST


def test_pick_keeps_series_apart_and_reports_a_shortage() -> None:
    palette = ("#0033A0", "#0034A1", "#7F9CC8", "#5B9BD5")
    assert colours.pick(palette, 3) == ("#0033A0", "#7F9CC8", "#5B9BD5")  # near-twin skipped
    with pytest.raises(colours.ColourShortage) as caught:
        colours.pick(palette, 3, highlight="#5B9BD5")
    assert caught.value.wanted == 3 and caught.value.found == ("#0033A0",)


# --- value ticks ------------------------------------------------------------------


def test_ticks_are_matplotlibs() -> None:
    """The ticks measured before drawing are the ones MaxNLocator(4) would draw."""
    from matplotlib.ticker import MaxNLocator

    locator = MaxNLocator(nbins=4)
    rng = random.Random(9)
    ranges = [(0, 0.85), (0, 1.0), (0, 62.54), (-5.9, 120), (1990, 2030), (1e6, 1e6 + 5)]
    for _ in range(3000):
        low = rng.uniform(-1e3, 1e3) * 10 ** rng.randint(-6, 9)
        ranges.append((low, low + rng.uniform(1e-3, 1e3) * 10 ** rng.randint(-6, 9)))
    for low, high in ranges:
        if not high > low:
            continue  # too close for floating point to tell apart
        expected = [float(t) for t in locator.tick_values(low, high)]
        assert list(axes.nice_ticks(low, high)) == expected, (low, high)


def test_shown_ticks_stay_inside_the_axis() -> None:
    assert axes.shown_ticks(0, 0.85) == (0.0, 0.25, 0.5, 0.75)
    with pytest.raises(ValueError):
        axes.nice_ticks(1, 1)


# --- category labels --------------------------------------------------------------


def width(text: str) -> float:
    return 5.0 * len(text)  # a monospaced stand-in for font metrics: 5pt a character


def test_labels_that_fit_stay_on_one_line() -> None:
    labels = axes.category_labels(["2000", "2017"], 100, width, 8, 150, False)
    assert labels == axes.Labels(("2000", "2017"), depth=8)


def test_labels_are_wrapped_at_spaces() -> None:
    texts = ["Democratic Republic of the Congo", "South Africa", "Kenya"]
    labels = axes.category_labels(texts, 60, width, 8, 150, False)
    assert labels.texts == ("Democratic\nRepublic of\nthe Congo", "South\nAfrica", "Kenya")
    assert all(max(width(line) for line in t.split("\n")) <= 60 for t in labels.texts)
    assert labels.lines == max(t.count("\n") + 1 for t in labels.texts)


def test_evenly_spaced_years_are_thinned_not_rotated() -> None:
    years = [str(y) for y in range(1990, 2023)]
    labels = axes.category_labels(years, 10, width, 8, 150, True)
    shown = [t for t in labels.texts if t]
    assert shown[0] == "1990" and shown[-1] == "2022" and not labels.upright
    every = labels.texts.index(shown[1])
    # Every n-th year from the first, and the last; those just before it that would
    # touch it are left out.
    body = labels.texts[:-1]
    last_step = max(i for i, t in enumerate(body) if t)
    assert all((t != "") == (i % every == 0) for i, t in enumerate(body[: last_step + 1]))
    assert not any(body[last_step + 1 :])
    assert 32 - last_step >= every - 1


def test_crowded_labels_turn_upright_or_fail() -> None:
    names = ["Nigeria", "Ethiopia", "Egypt", "Tanzania"]
    upright = axes.category_labels(names, 12, width, 8, 150, False)
    assert upright.upright and upright.depth == width("Tanzania")
    with pytest.raises(axes.LabelsDoNotFit) as caught:
        axes.category_labels(names, 12, width, 8, 80, False)  # too tall for the chart
    assert caught.value.label == "Ethiopia"  # the first of the widest
    with pytest.raises(axes.LabelsDoNotFit):
        axes.category_labels(names, 6, width, 8, 500, False)  # not even a line apart


def test_wrap_refuses_a_word_too_long_and_too_many_lines() -> None:
    assert axes.wrap("a b c d", 5, width) is None
    assert axes.wrap("Republic", 20, width) is None
    assert axes.wrap("of the Congo", 30, width) == "of the\nCongo"


# --- annotations ------------------------------------------------------------------


def test_notes_in_one_row_when_they_do_not_touch() -> None:
    placed, heights = notes.stack_above([("A", 20, 8, 50), ("B", 20, 8, 150)], 200)
    assert [p.row for p in placed] == [0, 0] and heights == [8]
    assert placed[0].left == 40  # centred on its category


def test_notes_near_the_edge_stay_inside() -> None:
    (left, right), _ = notes.stack_above([("L", 60, 8, 5), ("R", 60, 8, 198)], 200)
    assert left.left == 1 and right.left + right.width == 199


def test_a_wide_note_steps_over_a_narrow_neighbour() -> None:
    """A wide note covering its neighbour's category goes above it, and the narrow one
    steps aside so the wide one's leader line passes it."""
    wide, narrow = ("A note long enough", 120, 8, 70), ("Short", 30, 8, 60)
    placed, heights = notes.stack_above([wide, narrow], 300)
    assert [p.row for p in placed] == [1, 0] and len(heights) == 2
    high, low = placed
    assert not low.left - 2 <= high.x <= low.left + low.width + 2  # leader passes by
    assert low.left <= low.x <= low.left + low.width


def test_notes_side_by_side_when_one_can_start_at_its_category() -> None:
    wide, narrow = ("A note long enough", 120, 8, 100), ("Short", 30, 8, 60)
    placed, _ = notes.stack_above([wide, narrow], 300)
    assert [p.row for p in placed] == [0, 0]
    assert placed[0].left > placed[1].left + placed[1].width  # no overlap


def test_notes_that_cannot_be_set_apart_are_an_error() -> None:
    crowded = [("A long note here", 150, 8, 100), ("Another long note", 150, 8, 104)]
    with pytest.raises(LayoutError, match="cannot be set apart"):
        notes.stack_above(crowded, 300)


def test_end_names_are_spread_and_kept_inside() -> None:
    placed = spread([10.0, 10.5, 11.0, 50.0], 2.0, 0.0, 12.0)
    assert placed[3] == 12.0  # pulled down inside the plot
    ordered = sorted(placed)
    assert all(b - a >= 2.0 - 1e-9 for a, b in itertools.pairwise(ordered))


# --- rows into chart data ---------------------------------------------------------

LIFE = Rows.of(
    {
        "country": np.array(["Ghana", "Kenya", "COD", "Ghana", "Kenya", "Congo, Dem. Rep."]),
        "year": np.array([2000.0, 2000.0, 2000.0, 2010.0, 2010.0, 2010.0]),
        "life": np.array([57.0, 52.2, 50.0, 60.6, 59.6, math.nan]),
    },
    range(6),
)


def test_empty_cells_are_an_error_or_skipped_when_asked() -> None:
    chart = Chart(type="line", source="s", x="year", y="life", series="country")
    with pytest.raises(DataError, match="row at line 7 of the data has an empty 'life' cell"):
        chart_data(chart, LIFE)
    skipped = chart_data(chart.model_copy(update={"missing": "skip"}), LIFE)
    assert skipped.series == ("Ghana", "Kenya", "COD")
    assert math.isnan(skipped.values[2][1])  # no row left: a gap, not a zero


def test_evenly_spaced_numbers_are_recognised() -> None:
    rows = Rows.of({"year": np.array([2000.0, 2005.0, 2010.0]), "v": np.ones(3)}, range(3))
    assert chart_data(Chart(type="line", source="s", x="year", y="v"), rows).evenly_spaced
    uneven = Rows.of({"year": np.array([2000.0, 2005.0, 2017.0]), "v": np.ones(3)}, range(3))
    assert not chart_data(Chart(type="line", source="s", x="year", y="v"), uneven).evenly_spaced


@pytest.mark.parametrize(
    ("low", "high", "unit", "expected"),
    [
        (7.0, 7.6, 1.0, (7.0, 8.0)),  # printed "7, 7, 7, 7, 8, 8" before
        (0.701, 0.705, 0.01, (0.70, 0.71)),  # a percent with no decimals
        (0.0, 30.0, 1.0, None),  # wide enough for round ticks of their own
    ],
)
def test_a_value_axis_never_prints_one_label_twice(
    low: float, high: float, unit: float, expected: tuple[float, ...] | None
) -> None:
    ticks = axes.round_limits(low, high, unit)
    if expected is not None:
        assert ticks == pytest.approx(expected)
    printed = [round(t / unit) for t in ticks]
    assert len(set(printed)) == len(printed)
    assert ticks[0] <= low and ticks[-1] >= high


def test_ticks_at_whole_units_respect_the_number_of_bins() -> None:
    ticks = axes.unit_ticks(0.2, 37.4, 1.0, bins=4)
    assert ticks[0] == 0 and ticks[-1] >= 37.4 and len(ticks) <= 5
    steps = {round(b - a, 9) for a, b in itertools.pairwise(ticks)}
    assert len(steps) == 1 and steps.pop() % 1 == 0
