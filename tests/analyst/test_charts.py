"""Analyst expectations for charts and maps (issue 14, items 4, 5 and 6, and the
misleading cases of top-N ties, stacked areas with a missing cell and map classes):
each case is a few input rows, a chart spec fragment and the labels a reader must
see (read back from the chart's recording) or the error the build must stop with.
Labels are checked in English, French and Spanish where they are printed numbers."""

from __future__ import annotations

from pathlib import Path

import pytest

from factsheet.build import render
from factsheet.render.recording import Recording
from tests.analyst.harness import error_text, render_case
from tests.chart_geometry import drawn_paths, overlapping, recordings, text_boxes
from tests.projects import make_project

NBSP, NNBSP = "\u00a0", "\u202f"
BAR = "#0033A0"  # un-blue's first chart colour


def chart_body(chart: str) -> str:
    return f"pages:\n  - blocks:\n      - chart: {{source: rows, alt: A chart, {chart}}}\n"


def chart_labels(tmp_path: Path, rows: str, chart: str, language: str = "en") -> list[str]:
    """Every text the case's one chart draws, in the order it draws them."""
    (recording,) = recordings(render_case(tmp_path, rows, chart_body(chart), language))
    return [box.text for box in text_boxes(recording)]


def chart_error(tmp_path: Path, rows: str, chart: str, language: str = "en") -> str:
    return error_text(tmp_path, rows, chart_body(chart), language)


def each_language(cases: list[tuple[str, str, str, dict[str, list[str]]]]) -> list[object]:
    """One test per case and language: (rows, chart, expected labels)."""
    return [
        pytest.param(rows, chart, language, texts, id=f"{name}-{language}")
        for name, rows, chart, by_language in cases
        for language, texts in by_language.items()
    ]


# --- item 5: a tick label reads the value its tick stands at ------------------------

THOUSANDS = "name,v\nA,1500\nB,2500\nC,3100\n"
CLOSE = "name,v\nA,1234\nB,1250\nC,1310\n"
HALVES = "name,v\nA,0\nB,1.5\nC,3\nD,4.5\n"
NEAR_TEN = "name,v\nA,0.096\nB,0.104\n"

TICKS = [
    (
        # 1,200 and 1,600 were ticks printed "2K": the axis read 0, 800, 2K, 2K, 3K.
        "compact-thousands",
        THOUSANDS,
        "type: bar, x: name, y: v, labels: false, format: {style: compact, decimals: 0}",
        {
            "en": ["0", "1K", "2K", "3K", "4K"],
            "fr": ["0", f"1{NBSP}k", f"2{NBSP}k", f"3{NBSP}k", f"4{NBSP}k"],
            "es": ["0", f"1{NBSP}mil", f"2{NBSP}mil", f"3{NBSP}mil", f"4{NBSP}mil"],
        },
    ),
    (
        "compact-hbar",
        THOUSANDS,
        "type: hbar, x: name, y: v, labels: false, format: {style: compact, decimals: 0}",
        {"en": ["0", "1K", "2K", "3K", "4K"]},
    ),
    (
        # The default precision prints 1,600 as 1.6K: the ticks may stay 800 apart, and
        # all are printed in thousands, as the largest is (not 0, 800, 1.6K …).
        "compact-default",
        THOUSANDS,
        "type: bar, x: name, y: v, labels: false, format: {style: compact}",
        {
            "en": ["0", "0.8K", "1.6K", "2.4K", "3.2K"],
            "fr": ["0", f"0,8{NBSP}k", f"1,6{NBSP}k", f"2,4{NBSP}k", f"3,2{NBSP}k"],
        },
    ),
    (
        # Ticks 20 apart printed with two significant digits: 1,200, 1,200, 1,300 …
        "significant-line",
        CLOSE,
        "type: line, x: name, y: v, labels: false, format: {significant: 2}",
        {
            "en": ["1,200", "1,300", "1,400"],
            "fr": [f"1{NNBSP}200", f"1{NNBSP}300", f"1{NNBSP}400"],
            "es": ["1200", "1300", "1400"],
        },
    ),
    (
        # Ticks at 1.5 and 4.5 read "2" and "5" (fixed in 807e62a, which then ran the
        # axis to 8 for data to 4.5: whole steps of 2 are tighter).
        "halves-no-decimals",
        HALVES,
        "type: bar, x: name, y: v, labels: false",
        {"en": ["0", "2", "4", "6"], "fr": ["0", "2", "4", "6"], "es": ["0", "2", "4", "6"]},
    ),
    (
        # 9.6% and 10.4% on a percent axis without decimals: one tick a percent apart.
        "percent-near-ten",
        NEAR_TEN,
        "type: line, x: name, y: v, labels: false, format: {style: percent}",
        {
            "en": ["9%", "10%", "11%"],
            "fr": [f"9{NBSP}%", f"10{NBSP}%", f"11{NBSP}%"],
            "es": [f"9{NBSP}%", f"10{NBSP}%", f"11{NBSP}%"],
        },
    ),
]


@pytest.mark.parametrize(("rows", "chart", "language", "ticks"), each_language(TICKS))
def test_tick_labels_read_their_positions(
    tmp_path: Path, rows: str, chart: str, language: str, ticks: list[str]
) -> None:
    labels = chart_labels(tmp_path, rows, chart, language)
    categories = [line.split(",")[0] for line in rows.splitlines()[1:]]
    assert [t for t in labels if t not in categories] == ticks


# --- item 4: values below zero ------------------------------------------------------

NEGATIVE = "name,v\nA,0.05\nB,-0.03\nC,0.09\nD,-0.01\n"
PERCENT = "format: {style: percent, decimals: 1}"
LABELS_BY_LANGUAGE = {
    "en": ["5.0%", "−3.0%", "9.0%", "−1.0%"],
    "fr": [f"5,0{NBSP}%", f"−3,0{NBSP}%", f"9,0{NBSP}%", f"−1,0{NBSP}%"],
    "es": [f"5,0{NBSP}%", f"−3,0{NBSP}%", f"9,0{NBSP}%", f"−1,0{NBSP}%"],
}
AXIS = {
    "en": ["−3.0%", "0.0%", "3.0%", "6.0%", "9.0%"],
    "fr": [f"{t.replace('.', ',')[:-1]}{NBSP}%" for t in ["−3.0%", "0.0%", "3.0%", "6.0%", "9.0%"]],
    "es": [f"{t.replace('.', ',')[:-1]}{NBSP}%" for t in ["−3.0%", "0.0%", "3.0%", "6.0%", "9.0%"]],
}
NEGATIVES = [
    (f"{kind}-labelled", NEGATIVE, f"type: {kind}, x: name, y: v, {PERCENT}", LABELS_BY_LANGUAGE)
    for kind in ("bar", "hbar", "dot")
] + [
    (f"{kind}-axis", NEGATIVE, f"type: {kind}, x: name, y: v, labels: false, {PERCENT}", AXIS)
    for kind in ("bar", "hbar", "dot")
]


@pytest.mark.parametrize(("rows", "chart", "language", "texts"), each_language(NEGATIVES))
def test_values_below_zero_are_printed_and_the_axis_reaches_them(
    tmp_path: Path, rows: str, chart: str, language: str, texts: list[str]
) -> None:
    labels = chart_labels(tmp_path, rows, chart, language)
    assert [t for t in labels if t not in "ABCD"] == texts


def _figure(tmp_path: Path, chart: str, rows: str = NEGATIVE) -> Recording:
    (recording,) = recordings(render_case(tmp_path, rows, chart_body(chart)))
    return recording


@pytest.mark.parametrize("kind", ["bar", "hbar"])
@pytest.mark.parametrize("labels", ["true", "false"])
def test_bars_below_zero_hang_from_a_zero_line(tmp_path: Path, kind: str, labels: str) -> None:
    recording = _figure(tmp_path, f"type: {kind}, x: name, y: v, labels: {labels}, {PERCENT}")
    across = 1 if kind == "bar" else 0  # the value axis: y for columns, x for rows
    bars = [p.box for p in drawn_paths(recording) if p.fill == BAR and len(p.points) >= 4]
    assert len(bars) == 4
    zero = bars[0][across]  # A (5%) starts at zero
    below = [b for b in bars if b[across + 2] <= zero + 0.01 and b[across] < zero - 5]
    assert len(below) == 2  # B (−3%) and D (−1%) are drawn, down from zero
    lines = [p for p in drawn_paths(recording) if p.stroke is not None and p.fill is None]
    at_zero = [p for p in lines if all(abs(point[across] - zero) < 0.01 for point in p.points)]
    assert at_zero, "no line drawn at zero"
    boxes = text_boxes(recording)
    assert not overlapping(boxes)


def test_a_dot_below_zero_is_labelled_on_its_own_side(tmp_path: Path) -> None:
    """The label of a dot below zero sat right of the dot, across its stem and the
    zero line; an unlabelled dot at the axis's left end touched its row's name."""
    recording = _figure(tmp_path, f"type: dot, x: name, y: v, {PERCENT}")
    dots = sorted((p.box for p in drawn_paths(recording) if p.fill == BAR), key=lambda b: -b[1])
    boxes = {b.text: b for b in text_boxes(recording)}
    for dot, text in zip(dots, LABELS_BY_LANGUAGE["en"], strict=True):
        label = boxes[text]
        if text.startswith("−"):
            assert label.right < dot[0], text
        else:
            assert label.left > dot[2], text
    assert not overlapping(list(boxes.values()))
    plain = _figure(tmp_path / "2", f"type: dot, x: name, y: v, labels: false, {PERCENT}")
    names = [b for b in text_boxes(plain) if b.text in "ABCD"]
    lowest = min(p.box[0] for p in drawn_paths(plain) if p.fill == BAR)
    assert max(b.right for b in names) + 2 <= lowest


DONUT = "name,v\nA,5\nB,-3\nC,9\n"
DONUT_EMPTY = "name,v\nA,5\nB,\nC,9\n"
DONUT_ERRORS = [
    pytest.param(DONUT, "", ["chart.y", "shares of a whole", "'B' is -3"], id="negative-part"),
    pytest.param(
        DONUT_EMPTY,
        "",
        ["chart", "line 3 of data/rows.csv", "empty 'v' cell", "missing: zero"],
        id="missing-part",
    ),
    pytest.param(
        DONUT_EMPTY,
        ", missing: skip",
        ["chart.missing", "parts of a whole", "line 3 of data/rows.csv", "missing: zero"],
        id="missing-part-skipped",
    ),
]


@pytest.mark.parametrize(("rows", "extra", "phrases"), DONUT_ERRORS)
def test_a_donut_refuses_negative_or_missing_parts(
    tmp_path: Path, rows: str, extra: str, phrases: list[str]
) -> None:
    message = chart_error(tmp_path, rows, f"type: donut, x: name, y: v{extra}")
    for phrase in phrases:
        assert phrase in message


# --- item 6: sorting ------------------------------------------------------------------

YEARS = "year,v\n2019,5\n2000,1\n2010,3\n2020,6\n"
YEARS_FR = "year,v\n2019,5.5\n2000,1.5\n2010,3.5\n2020,6.5\n"
TREND_ORDER = [
    (
        # A line over years in file order went 2019, 2000, 2010, 2020: back in time.
        "line-years",
        YEARS_FR,
        "type: line, x: year, y: v, format: {decimals: 1}",
        {
            "en": ["2000", "2010", "2019", "2020", "1.5", "3.5", "5.5", "6.5"],
            "fr": ["2000", "2010", "2019", "2020", "1,5", "3,5", "5,5", "6,5"],
            "es": ["2000", "2010", "2019", "2020", "1,5", "3,5", "5,5", "6,5"],
        },
    ),
    (
        "area-years",
        YEARS,
        "type: area, x: year, y: v",
        {"en": ["2000", "2010", "2019", "2020", "1", "3", "5", "6"]},
    ),
    (
        "line-sort-data",
        YEARS,
        "type: line, x: year, y: v, sort: data",
        {"en": ["2000", "2010", "2019", "2020", "1", "3", "5", "6"]},
    ),
    (
        # Names are not numbers: a line over text categories keeps the file's order.
        "line-text",
        "q,v\nQ3,3\nQ1,1\nQ2,2\n",
        "type: line, x: q, y: v",
        {"en": ["Q3", "Q1", "Q2", "3", "1", "2"]},
    ),
    (
        # Bars keep the data's order (their documented default), years or not.
        "bar-years",
        YEARS,
        "type: bar, x: year, y: v",
        {"en": ["2019", "2000", "2010", "2020", "5", "1", "3", "6"]},
    ),
]


@pytest.mark.parametrize(("rows", "chart", "language", "texts"), each_language(TREND_ORDER))
def test_a_trend_runs_in_x_order(
    tmp_path: Path, rows: str, chart: str, language: str, texts: list[str]
) -> None:
    labels = chart_labels(tmp_path, rows, chart, language)
    count = len(texts) // 2  # the categories, then their values at the points
    assert labels[:count] == texts[:count]
    assert labels[-count:] == texts[count:]


def test_a_trend_over_dates_runs_in_date_order(tmp_path: Path) -> None:
    spec = (
        "document: {title: A, author: T, pages: 1}\ntheme: un-blue\n"
        "data: {rows: {file: data/rows.csv, columns: {d: date}}}\n"
        "pages:\n  - blocks:\n      - chart: {source: rows, alt: A, type: line, x: d, y: v}\n"
    )
    rows = "d,v\n2020-03-01,5\n2020-01-01,1\n2020-02-01,3\n"
    root = make_project(tmp_path / "p", {"rows.csv": rows}, {"c.yaml": spec})
    (recording,) = recordings(render(root / "factsheets" / "c.yaml"))
    texts = [b.text for b in text_boxes(recording)]
    assert [t for t in texts if t.startswith("2020")] == ["2020-01-01", "2020-02-01", "2020-03-01"]


SORT_ERRORS = [
    pytest.param(
        YEARS,
        "type: line, x: year, y: v, sort: descending",
        ["chart.sort", "in year order", "`sort: descending`", "type: bar"],
        id="line-sorted-by-value",
    ),
    pytest.param(
        # An empty cell is never a zero bar at the head of a sort (b4fda0c: regression).
        "name,v\nA,5\nB,\nC,-2\n",
        "type: bar, x: name, y: v, sort: ascending, top: 2",
        ["chart", "line 3 of data/rows.csv", "empty 'v' cell", "missing: skip"],
        id="empty-cell-sorted",
    ),
    pytest.param(
        # Grouped bars ranked by their sum: B, with no 'y' row, ranked as if y were 0.
        "name,s,v\nA,x,-5\nA,y,-5\nB,x,-6\nC,x,-1\nC,y,-1\n",
        "type: bar, x: name, y: v, series: s, sort: descending, top: 2",
        ["chart.sort", "name 'B' has no row for s 'y'", "as if that were 0", "sort: data"],
        id="grouped-bars-missing-a-series",
    ),
    pytest.param(
        # A text column holding numbers is refused, never sorted as text ("1,266,030"
        # and "120,283,026" are read as numbers now: grouped thousands in a CSV).
        "name,v\nA,1266030 (est.)\nB,120283026\n",
        "type: hbar, x: name, y: v, sort: descending",
        ["chart.y", "'v'", "holds text, not numbers", "'1266030 (est.)'"],
        id="numbers-as-text",
    ),
]


@pytest.mark.parametrize(("rows", "chart", "phrases"), SORT_ERRORS)
def test_sorts_that_would_mislead_are_refused(
    tmp_path: Path, rows: str, chart: str, phrases: list[str]
) -> None:
    message = chart_error(tmp_path, rows, chart)
    for phrase in phrases:
        assert phrase in message


SKIPPED_AND_ZERO = [
    (
        # `missing: skip` leaves the row out: B is not a zero bar first in the sort.
        "skip",
        "name,v\nA,5\nB,\nC,-2\n",
        "type: bar, x: name, y: v, sort: ascending, top: 2, missing: skip",
        {"en": ["C", "A", "−2", "5"], "fr": ["C", "A", "−2", "5"], "es": ["C", "A", "−2", "5"]},
    ),
    (
        # A stack is as high as what it shows: ranked by that, a missing part or not.
        "stacked",
        "name,s,v\nA,x,5\nA,y,1\nB,x,3\nC,x,9\nC,y,2\n",
        "type: bar, x: name, y: v, series: s, stacked: true, sort: descending",
        {"en": ["C", "A", "B", "9", "5", "3", "2", "1", "x", "y"]},
    ),
    (
        # `missing: zero` says an empty cell is 0: it is sorted and labelled as 0.
        "zero",
        "name,v\nA,5\nB,\nC,-2\n",
        "type: bar, x: name, y: v, sort: ascending, missing: zero",
        {"en": ["C", "B", "A", "−2", "0", "5"]},
    ),
]


@pytest.mark.parametrize(("rows", "chart", "language", "texts"), each_language(SKIPPED_AND_ZERO))
def test_an_empty_cell_sorts_only_as_the_spec_says(
    tmp_path: Path, rows: str, chart: str, language: str, texts: list[str]
) -> None:
    assert chart_labels(tmp_path, rows, chart, language) == texts


# --- top-N ties -----------------------------------------------------------------------

TIED = "name,v\nA,5\nB,3\nC,5\nD,3\nE,1\n"


def test_top_n_never_cuts_a_tie_silently(tmp_path: Path) -> None:
    message = chart_error(tmp_path, TIED, "type: bar, x: name, y: v, sort: descending, top: 3")
    for phrase in ["chart.top", "`top: 3` cuts through a tie", "'B', 'D'", "ties: include"]:
        assert phrase in message


TIES = [
    (
        "include",
        TIED,
        "type: bar, x: name, y: v, sort: descending, top: 3, ties: include, format: {decimals: 1}",
        {
            "en": ["A", "C", "B", "D", "5.0", "5.0", "3.0", "3.0"],
            "fr": ["A", "C", "B", "D", "5,0", "5,0", "3,0", "3,0"],
            "es": ["A", "C", "B", "D", "5,0", "5,0", "3,0", "3,0"],
        },
    ),
    (
        "first",
        TIED,
        "type: bar, x: name, y: v, sort: descending, top: 3, ties: first",
        {"en": ["A", "C", "B", "5", "5", "3"]},
    ),
    (
        # A tie inside the top N, or none at the cut, needs no choice.
        "no-tie-at-the-cut",
        TIED,
        "type: bar, x: name, y: v, sort: descending, top: 2",
        {"en": ["A", "C", "5", "5"]},
    ),
]


@pytest.mark.parametrize(("rows", "chart", "language", "texts"), each_language(TIES))
def test_top_n_ties_as_the_spec_says(
    tmp_path: Path, rows: str, chart: str, language: str, texts: list[str]
) -> None:
    assert chart_labels(tmp_path, rows, chart, language) == texts


# --- a stacked area (or a line) with a missing cell -----------------------------------

STACKED = "year,s,v\n2000,a,1\n2000,b,2\n2010,a,3\n2010,b,\n2020,a,2\n2020,b,2\n"
GAPPED = "year,v\n2000,1.5\n2010,\n2020,2.5\n2030,3.5\n"


@pytest.mark.parametrize(
    ("chart", "phrases"),
    [
        pytest.param(
            "type: area, x: year, y: v, series: s",
            ["chart", "line 5 of data/rows.csv", "empty 'v' cell", "missing: zero"],
            id="stacked-area-empty-cell",
        ),
        pytest.param(
            "type: area, x: year, y: v, series: s, missing: skip",
            ["chart.series", "series 'b' has no row for year 2010", "stacks every series"],
            id="stacked-area-skipped-cell",
        ),
    ],
)
def test_a_stacked_area_never_stacks_a_missing_cell_as_zero(
    tmp_path: Path, chart: str, phrases: list[str]
) -> None:
    message = chart_error(tmp_path, STACKED, chart)
    for phrase in phrases:
        assert phrase in message


def test_a_stacked_area_counts_an_empty_cell_as_zero_only_when_told(tmp_path: Path) -> None:
    labels = chart_labels(tmp_path, STACKED, "type: area, x: year, y: v, series: s, missing: zero")
    assert labels[:3] == ["2000", "2010", "2020"]


GAPS = [
    (
        # `missing: skip` on a trend: 2010 stays on the axis as a gap, with no label,
        # instead of vanishing (the area ran straight from 2000 to 2020 over it).
        f"{kind}-gap",
        GAPPED,
        f"type: {kind}, x: year, y: v, missing: skip, format: {{decimals: 1}}",
        {
            "en": ["2000", "2010", "2020", "2030", "1.5", "2.5", "3.5"],
            "fr": ["2000", "2010", "2020", "2030", "1,5", "2,5", "3,5"],
            "es": ["2000", "2010", "2020", "2030", "1,5", "2,5", "3,5"],
        },
    )
    for kind in ("area", "line")
]


@pytest.mark.parametrize(("rows", "chart", "language", "texts"), each_language(GAPS))
def test_a_skipped_cell_is_a_gap_in_a_trend(
    tmp_path: Path, rows: str, chart: str, language: str, texts: list[str]
) -> None:
    labels = chart_labels(tmp_path, rows, chart, language)
    assert labels[:4] == texts[:4]
    assert labels[-3:] == texts[4:]


def test_a_gap_in_an_area_is_not_filled(tmp_path: Path) -> None:
    """Nothing is painted over the gap's side of the 2010 point: the area starts again
    at 2020."""
    recording = _figure(tmp_path, "type: area, x: year, y: v, missing: skip", GAPPED)
    boxes = {b.text: b for b in text_boxes(recording)}
    middle = (boxes["2000"].right + boxes["2020"].left) / 2  # between 2000 and 2020
    filled = [p.box for p in drawn_paths(recording) if p.fill == BAR]
    assert filled and all(not (box[0] < middle < box[2]) for box in filled)


# --- maps --------------------------------------------------------------------------------

SHARES = "c,v\nNGA,0.12\nGHA,0.18\nKEN,0.25\nETH,0.31\nTZA,0.44\nUGA,0.52\n"


def map_legend_labels(tmp_path: Path, rows: str, chart: str, language: str) -> list[str]:
    return chart_labels(tmp_path, rows, f"type: map, x: c, y: v, {chart}", language)


MAP_LEGENDS = [
    (
        # The audit's legend read "0%–0%" four times; classes now print bounds a reader
        # can tell apart (fixed before issue 14: kept as a regression).
        "percent-classes",
        SHARES,
        "format: {style: percent}, classes: 4",
        {
            "en": ["12%–19%", "20%–39%", "40%–52%"],
            "fr": [
                f"12{NBSP}%–19{NBSP}%",
                f"20{NBSP}%–39{NBSP}%",
                f"40{NBSP}%–52{NBSP}%",
            ],
            "es": [
                f"12{NBSP}%–19{NBSP}%",
                f"20{NBSP}%–39{NBSP}%",
                f"40{NBSP}%–52{NBSP}%",
            ],
        },
    ),
]


@pytest.mark.parametrize(("rows", "chart", "language", "texts"), each_language(MAP_LEGENDS))
def test_map_classes_print_bounds_a_reader_can_tell_apart(
    tmp_path: Path, rows: str, chart: str, language: str, texts: list[str]
) -> None:
    labels = map_legend_labels(tmp_path, rows, chart, language)
    assert labels == texts
    assert len(set(labels)) == len(labels)


@pytest.mark.parametrize(
    ("code", "phrases"),
    [
        pytest.param("XXX", ["chart.x", "matches no country", "'XXX' (line 8)"], id="unknown"),
        pytest.param("WLD", ["chart.x", "regional aggregate", "'WLD' (line 8)"], id="aggregate"),
    ],
)
def test_an_unmatched_map_code_never_sets_the_class_range(
    tmp_path: Path, code: str, phrases: list[str]
) -> None:
    """A row the map cannot place (a typo, or World's 900) would stretch the classes to
    reach its value: the build stops and names it instead."""
    message = chart_error(tmp_path, SHARES + f"{code},9.0\n", "type: map, x: c, y: v")
    for phrase in phrases:
        assert phrase in message


@pytest.mark.parametrize("language", ["en", "fr", "es"])
def test_map_values_that_print_alike_are_refused(tmp_path: Path, language: str) -> None:
    """0.1% to 0.49% printed without decimals made one class, "0%" (or "0%–0%")."""
    rows = "c,v\nNGA,0.001\nGHA,0.002\nKEN,0.003\nETH,0.004\nTZA,0.0045\nUGA,0.0049\n"
    message = chart_error(
        tmp_path, rows, "type: map, x: c, y: v, format: {style: percent, decimals: 0}", language
    )
    for phrase in ["chart.format", "6 different values", "print as only 1", "decimals"]:
        assert phrase in message


def test_map_values_that_print_apart_keep_their_classes(tmp_path: Path) -> None:
    rows = "c,v\nNGA,0.001\nGHA,0.002\nKEN,0.003\n"
    chart = "format: {style: percent, decimals: 1}"
    assert map_legend_labels(tmp_path, rows, chart, "fr") == [f"0,{n}{NBSP}%" for n in (1, 2, 3)]


DONUT = "type: donut, x: name, y: v, format: {style: percent}"


def test_a_donut_of_shares_gives_each_its_share_of_the_ring(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """37% and 35% filled the whole ring (37% drawn as half of it); the rest of the
    whole is now left pale, so each arc is as long as its label says."""
    from matplotlib.axes import Axes

    from factsheet.blocks import chart as chart_block

    rings: list[list[float]] = []
    pie = Axes.pie

    def recorded(self: Axes, x: list[float], *args: object, **kwargs: object) -> object:
        rings.append([float(v) for v in x])
        return pie(self, x, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(Axes, "pie", recorded)
    chart_block.clear_cache()
    render_case(tmp_path, "name,v\nSouth,0.37\nNorth,0.35\n", chart_body(DONUT))
    assert rings and rings[-1] == pytest.approx([0.37, 0.35, 0.28])


def test_a_donut_of_shares_over_the_whole_is_refused(tmp_path: Path) -> None:
    message = chart_error(tmp_path, "name,v\nSouth,0.6\nNorth,0.5\n", DONUT)
    assert "the donut's shares add up to 110%, more than the whole ring" in message
