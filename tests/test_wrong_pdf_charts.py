"""Charts that printed a plausible wrong PDF with exit 0 (issue 9, section 1, and the
wrong pictures found on the way): each case builds a small project, and must now give a
located error, a warning, or a correct picture. Every test here fails on the code before
the fix (40150c1; the cases the Gapminder and World Bank trials found, from
`test_duplicate_rows_suggest_a_weighted_mean` on, fail on c6eca33)."""

from __future__ import annotations

from pathlib import Path

import pytest

from factsheet.build import render
from factsheet.errors import FactsheetError
from tests.chart_geometry import overlapping, recordings, text_boxes
from tests.projects import make_project

# Life expectancy at birth (years), one row per country and year, as real data comes.
LIFE = """\
country,year,life,population
Ghana,2000,57.0,19.7
Kenya,2000,52.2,30.9
Nigeria,2000,46.3,122.9
Ghana,2010,60.6,24.8
Kenya,2010,59.6,41.5
Nigeria,2010,50.9,160.9
Ghana,2020,64.1,31.1
Kenya,2020,62.7,51.9
Nigeria,2020,52.9,208.3
"""

TWO = """\
region,year,share
Africa,2000,0.89
Africa,2017,0.93
Americas,2000,0.52
Americas,2017,0.61
"""


def build(tmp_path: Path, chart: str, data: str = LIFE) -> object:
    spec = (
        "document: {title: Charts, author: Test Org, pages: 1}\n"
        "theme: un-blue\n"
        "data: {rows: {file: data/rows.csv}}\n"
        "pages:\n  - blocks:\n"
        f"      - chart: {{source: rows, alt: A chart, {chart}}}\n"
    )
    root = make_project(tmp_path / "p", {"rows.csv": data}, {"c.yaml": spec})
    return render(root / "factsheets" / "c.yaml")


def failure(tmp_path: Path, chart: str, data: str = LIFE) -> str:
    with pytest.raises(FactsheetError) as caught:
        build(tmp_path, chart, data)
    return str(caught.value)


ERRORS = [
    pytest.param(
        "type: line, x: year, y: life",
        ["pages[0].blocks[0].chart", "3 rows for year '2000'", "lines 2, 3, 4", "aggregate"],
        id="duplicate-rows-summed",
    ),
    pytest.param(
        "type: bar, x: year, y: life, where: {country: Ghana}, annotations: [{at: 2001, text: Up}]",
        ["chart.annotations[0].at", "'2001'", "2000, 2010, 2020"],
        id="annotation-silently-dropped",
    ),
    pytest.param(
        "type: line, x: year, y: life, where: {country: Kenya}",
        ["chart", "line 6 of data/rows.csv", "empty 'life' cell", "missing: skip"],
        id="empty-cell-drawn-as-gap",
    ),
    pytest.param(
        "type: donut, x: country, y: change, where: {year: 2020}",
        ["chart.y", "shares of a whole", "country 'Kenya' is -1.2"],
        id="donut-of-negative-numbers",
    ),
    pytest.param(
        "type: area, x: year, y: life, series: country",
        ["chart.series", "'Nigeria' has no row for year 2020"],
        id="stacked-area-gap-drawn-as-zero",
    ),
    pytest.param(
        "type: sparkline, x: year, y: life, series: country",
        ["chart.series", "a sparkline chart shows one series"],
        id="second-series-silently-dropped",
    ),
]


@pytest.mark.parametrize(("chart", "expected"), ERRORS)
def test_wrong_chart_is_a_located_error(tmp_path: Path, chart: str, expected: list[str]) -> None:
    """Each of these built a plausible wrong chart with exit 0: now a located error."""
    data = LIFE
    if "empty" in " ".join(expected):
        data = LIFE.replace("Kenya,2010,59.6", "Kenya,2010,")
    if "change" in chart:
        data = "country,year,change\nGhana,2020,0.5\nKenya,2020,-1.2\nNigeria,2020,0.8\n"
    if "area" in chart:
        data = "\n".join(LIFE.splitlines()[:-1]) + "\n"  # Nigeria has no 2020 row
    message = failure(tmp_path, chart, data)
    for part in expected:
        assert part in message, message


def test_duplicate_rows_name_the_chart_lines_and_a_way_out(tmp_path: Path) -> None:
    """Rows sharing an x were summed (life expectancy of 170 years): now an error."""
    message = failure(tmp_path, "id: life, type: line, x: year, y: life")
    assert "chart 'life' has 3 rows for year '2000' in data/rows.csv (lines 2, 3, 4)" in message
    assert "2 other year values repeat too" in message
    assert "they differ in 'country' (Ghana, Kenya, Nigeria)" in message
    assert "`series: country`" in message and "`aggregate: mean`" in message


@pytest.mark.parametrize(
    ("options", "expected"),
    [
        ("aggregate: mean", (51.833, 57.033, 59.9)),
        ("aggregate: max", (57.0, 60.6, 64.1)),
        ("aggregate: count", (3.0, 3.0, 3.0)),
        ("aggregate: mean, weight: population", (48.566, 53.548, 55.842)),
    ],
)
def test_explicit_aggregate_reduces_shared_rows(
    tmp_path: Path, options: str, expected: tuple[float, ...]
) -> None:
    """The same rows give the aggregate the spec names, never a silent sum."""
    chart = f"type: line, x: year, y: life, {options}, format: {{decimals: 3}}"
    (recording,) = recordings(build(tmp_path, chart))
    labels = [b.text for b in text_boxes(recording) if b.font.endswith("Bold")]
    assert [float(t) for t in labels] == pytest.approx(expected, abs=0.01)


def _stroke_colours(
    recording: object, widths: tuple[float, ...] = (1.8,)
) -> list[tuple[float, ...]]:
    """The colour of every data line (strokes of the given widths) a line chart draws,
    in order."""
    found, colour, width = [], None, 0.0
    for name, args, _ in recording.ops:  # type: ignore[attr-defined]
        if name == "setStrokeColorRGB":
            colour = tuple(round(float(a), 4) for a in args)
        elif name == "setLineWidth":
            width = float(args[0])
        elif name == "drawPath" and width in widths and colour not in found:
            found.append(colour)
    return found


@pytest.mark.parametrize("highlight", ["Ghana", "Kenya"])
def test_highlighted_series_contrasts_with_the_other(tmp_path: Path, highlight: str) -> None:
    """A highlighted series of two was painted in the same accent as the other one."""
    chart = (
        f"type: line, x: year, y: life, series: country, highlight: {highlight},"
        " where: {country: [Ghana, Kenya]}"
    )
    (recording,) = recordings(build(tmp_path, chart))
    (bold,) = _stroke_colours(recording, (1.8,))  # the highlight, over a thinner line
    (thin,) = [c for c in _stroke_colours(recording, (1.0,)) if c != bold]  # and markers
    # An independent yardstick (CIE76, plain distance in Lab): the two lines must be
    # far apart, not two shades of one blue (the un-blue theme's accent and shade: 11).
    assert _cie76(bold, thin) > 20

    from factsheet.charts.colours import MIN_CONTRAST, delta_e

    one, two = ("#" + "".join(f"{round(c * 255):02X}" for c in rgb) for rgb in (bold, thin))
    assert delta_e(one, two) >= MIN_CONTRAST


def _cie76(one: tuple[float, ...], two: tuple[float, ...]) -> float:
    def lab(rgb: tuple[float, ...]) -> tuple[float, float, float]:
        linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in rgb]
        r, g, b = linear
        x = (0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.9505
        y = 0.2126 * r + 0.7152 * g + 0.0722 * b
        z = (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.089
        fx, fy, fz = (t ** (1 / 3) if t > 0.008856 else 7.787 * t + 16 / 116 for t in (x, y, z))
        return 116 * fy - 16, 500 * (fx - fy), 200 * (fy - fz)

    return sum((a - b) ** 2 for a, b in zip(lab(one), lab(two), strict=True)) ** 0.5


@pytest.mark.parametrize(
    ("chart", "warning"),
    [
        ("type: bar, x: year, y: life, where: {country: Ghana}, highlight: 2021", "2021"),
        ("type: line, x: year, y: life, series: country, highlight: Ghanna", "did you mean"),
    ],
)
def test_highlight_matching_nothing_is_a_warning(tmp_path: Path, chart: str, warning: str) -> None:
    """A highlight that matched no category highlighted nothing, without a word."""
    rendered = build(tmp_path, chart)
    messages = [str(w) for w in rendered.content.warnings]  # type: ignore[attr-defined]
    assert any(warning in m and "pages[0].blocks[0].chart" in m for m in messages), messages


def test_table_highlight_matching_nothing_is_a_warning(tmp_path: Path) -> None:
    """A table's highlight that matched no row highlighted nothing, without a word."""
    spec = (
        "document: {title: Table, author: Test Org, pages: 1}\ntheme: un-blue\n"
        "data: {rows: {file: data/rows.csv}}\npages:\n  - blocks:\n"
        "      - table: {source: rows, columns: [country, life], highlight: {country: Ghanna}}\n"
    )
    root = make_project(tmp_path / "p", {"rows.csv": LIFE}, {"t.yaml": spec})
    messages = [str(w) for w in render(root / "factsheets" / "t.yaml").content.warnings]
    assert any("matches no row" in m and "did you mean 'Ghana'" in m for m in messages), messages


def test_negative_bars_stay_in_the_picture(tmp_path: Path) -> None:
    """Bars below zero were cut off at the axis, their labels drawn outside the chart."""
    data = "country,change\nGhana,2.5\nKenya,-1.5\nNigeria,0.8\n"
    (recording,) = recordings(
        build(tmp_path, "type: bar, x: country, y: change, format: {decimals: 1}", data)
    )
    boxes = text_boxes(recording)
    assert "\u22121.5" in [b.text for b in boxes]  # printed with a true minus sign
    assert all(b.inside(recording.width, recording.height) for b in boxes), boxes
    assert not overlapping(boxes)


def test_end_name_of_a_series_missing_its_last_row_sits_on_its_line(tmp_path: Path) -> None:
    """A series without a last row was named at zero, far below its line."""
    data = "\n".join(LIFE.splitlines()[:-1]) + "\n"  # Nigeria has no 2020 row
    (recording,) = recordings(
        build(tmp_path, "type: line, x: year, y: life, series: country", data)
    )
    boxes = {b.text: b for b in text_boxes(recording)}
    ticks = {float(t): b for t, b in boxes.items() if t.isdigit() and len(t) == 2}
    zero = min(ticks)
    # Nigeria's name sits near its last value (50.9), well above the lowest tick.
    assert boxes["Nigeria"].bottom > ticks[zero].top


def test_duplicate_rows_suggest_a_weighted_mean(tmp_path: Path) -> None:
    """The hint offered `aggregate: mean` alone: an unweighted mean of countries (Ghana
    counted as much as Nigeria) is rarely what a factsheet means."""
    message = failure(tmp_path, "type: line, x: year, y: life")
    assert "`aggregate: mean` and a `weight:` column" in message


POPULATION = "country,pop\nAlgeria,33.3\nEgypt,80.3\nEthiopia,76.5\nNigeria,135.0\n"


def test_top_without_sort_is_a_located_error(tmp_path: Path) -> None:
    """`top: 2` kept the first two countries of the file (Algeria, Egypt) under a title
    promising the most populous: now `top` needs `sort` written out."""
    chart = "type: hbar, x: country, y: pop, top: 2, title: The two most populous"
    message = failure(tmp_path, chart, POPULATION)
    assert "pages[0].blocks[0].chart" in message
    assert "`top: 2` keeps the first 2 categories after `sort`" in message
    assert "`sort: descending`" in message and "`sort: data`" in message
    # With `sort` written out, `top` keeps what it says; `sort: data` is a choice too.
    for n, (order, shown) in enumerate(
        [("descending", {"Nigeria", "Egypt"}), ("data", {"Algeria", "Egypt"})]
    ):
        rendered = build(tmp_path / str(n), f"{chart}, sort: {order}", POPULATION)
        (recording,) = recordings(rendered)
        assert {b.text for b in text_boxes(recording) if b.text.isalpha()} == shown


def test_table_max_rows_without_sort_is_a_located_error(tmp_path: Path) -> None:
    """`max_rows: 2` showed the first two rows of the file as "the largest"."""
    spec = (
        "document: {title: Table, author: Test Org, pages: 1}\ntheme: un-blue\n"
        "data: {rows: {file: data/rows.csv}}\npages:\n  - blocks:\n"
        "      - table: {source: rows, columns: [country, pop], max_rows: 2}\n"
    )
    root = make_project(tmp_path / "p", {"rows.csv": POPULATION}, {"t.yaml": spec})
    with pytest.raises(FactsheetError) as caught:
        render(root / "factsheets" / "t.yaml")
    message = str(caught.value)
    assert "pages[0].blocks[0].table" in message and "`max_rows: 2`" in message
    assert "add `sort`" in message


def _fills(recording: object) -> list[tuple[str, tuple[float, float, float, float]]]:
    """(colour, box) of every filled shape but the figure's and the plot's backgrounds."""
    from tests.chart_geometry import drawn_paths

    return [(p.fill, p.box) for p in drawn_paths(recording)[2:] if p.fill]  # type: ignore[arg-type, misc]


@pytest.mark.parametrize("kind", ["hbar", "bar", "dot"])
def test_a_highlighted_category_is_the_most_prominent_mark(tmp_path: Path, kind: str) -> None:
    """un-blue's highlight is its pale accent: a highlighted bar was the palest on the
    chart, the other bars in the deep primary blue. Now every other mark is muted."""
    from factsheet.charts.colours import MIN_CONTRAST, contrast, delta_e
    from tests.chart_geometry import text_colours

    chart = f"type: {kind}, x: country, y: pop, highlight: Nigeria, format: {{decimals: 1}}"
    (recording,) = recordings(build(tmp_path, chart, POPULATION))
    colours = [colour for colour, _ in _fills(recording)]
    counts = {c: colours.count(c) for c in colours}
    (marked,) = [c for c, n in counts.items() if n == 1]  # Nigeria's
    (others,) = [c for c, n in counts.items() if n == 3]
    assert contrast(marked, "#FFFFFF") > contrast(others, "#FFFFFF")
    assert delta_e(marked, others) >= MIN_CONTRAST
    # Value labels: the highlighted one dark, the others in the muted text colour.
    labels = text_colours(recording)
    assert contrast(labels["135.0"], "#FFFFFF") > contrast(labels["33.3"], "#FFFFFF")


def test_a_highlighted_series_is_the_most_prominent_line(tmp_path: Path) -> None:
    """Highlighting Africa among five continents drew it in the palest colour, the
    others in dark and saturated ones; its colour also changed every edition."""
    from factsheet.charts.colours import contrast
    from tests.chart_geometry import drawn_paths, text_colours

    chart = "type: line, x: year, y: life, series: country, highlight: Kenya"
    (recording,) = recordings(build(tmp_path, chart))
    lines = [p for p in drawn_paths(recording) if p.stroke and len(p.points) == 3]
    (bold,) = [p for p in lines if p.width == max(q.width for q in lines)]
    thin = [p for p in lines if p is not bold]
    assert len(thin) == 2 and len({p.stroke for p in thin}) == 1
    assert all(contrast(bold.stroke, "#FFFFFF") > contrast(p.stroke, "#FFFFFF") for p in thin)  # type: ignore[arg-type]
    names = text_colours(recording)
    assert contrast(names["Kenya"], "#FFFFFF") > contrast(names["Ghana"], "#FFFFFF")
    assert names["Ghana"] == names["Nigeria"]


def test_no_series_is_drawn_in_a_colour_the_paper_washes_out(tmp_path: Path) -> None:
    """The seventh series took Okabe–Ito yellow (#F0E442, 1.3:1 on white): a line and
    a name nobody could read. Every series keeps 3:1 against the paper (WCAG 2.x
    non-text contrast)."""
    from factsheet.charts.colours import contrast
    from tests.chart_geometry import drawn_paths, text_colours

    rows = "".join(f"R{n},{y},{n + y - 2000}\n" for n in range(7) for y in (2000, 2010))
    chart = "type: line, x: year, y: v, series: region, labels: false"
    (recording,) = recordings(build(tmp_path, chart, "region,year,v\n" + rows))
    lines = {p.stroke for p in drawn_paths(recording) if p.stroke and p.width == 1.8}
    assert len(lines) == 7
    assert all(contrast(c, "#FFFFFF") >= 3.0 for c in lines), lines  # type: ignore[arg-type]
    names = text_colours(recording)
    assert all(contrast(names[f"R{n}"], "#FFFFFF") >= 3.0 for n in range(7))


def test_bars_below_zero_hang_from_a_zero_line(tmp_path: Path) -> None:
    """All-negative bars (a gap to the world) hung from nothing, under an empty band."""
    from tests.chart_geometry import drawn_paths

    data = "year,gap\n1952,-10.1\n1957,-11.2\n1962,-9.2\n"
    (recording,) = recordings(
        build(tmp_path, "type: bar, x: year, y: gap, format: {decimals: 1}", data)
    )
    bars = [box for _, box in _fills(recording)]
    assert len(bars) == 3
    zero = {round(box[3], 2) for box in bars}  # every bar's top edge is zero
    assert len(zero) == 1
    (top,) = zero
    lines = [p for p in drawn_paths(recording) if p.stroke and not p.fill]
    baseline = [p for p in lines if {round(y, 2) for _, y in p.points} == {top}]
    assert baseline, "no line at zero"
    left, _, right, _ = baseline[0].box
    assert left <= min(b[0] for b in bars) and right >= max(b[2] for b in bars)
    # Each value label sits under its bar's end, inside the figure.
    boxes = {b.text: b for b in text_boxes(recording)}
    texts = ["−10.1", "−11.2", "−9.2"]
    for (_, (x0, y0, x1, _)), text in zip(_fills(recording), texts, strict=True):
        label = boxes[text]
        assert label.top <= y0 and x0 <= (label.left + label.right) / 2 <= x1
        assert label.inside(recording.width, recording.height)


@pytest.mark.parametrize(
    ("chart", "data"),
    [
        ("type: bar, x: name, y: value", "name,value\nA,1e+308\nB,1e+308\nC,-1e+308\n"),
        ("type: line, x: year, y: value", "year,value\n2000,1\n2001,1e+308\n2002,1.5e308\n"),
        ("type: map, x: country, y: value", "country,value\nKenya,1e+308\nGhana,1e+308\n"),
    ],
    ids=["bar", "line", "map"],
)
def test_values_too_large_to_chart_are_a_located_data_error(
    tmp_path: Path, chart: str, data: str
) -> None:
    """Their sums and ranges were infinity, and the chart failed with nonsense geometry
    ("each category has -2479pt") or drew from it: now the file line and value."""
    message = failure(tmp_path, chart, data)
    assert "pages[0].blocks[0].chart" in message, message
    assert "value 1e+308 at line 2 of data/rows.csv" in message or (
        "value 1.5e+308 at line 4 of data/rows.csv" in message
    ), message
    assert "too large to chart" in message, message
    assert "pt" not in message.split("too large")[0], message


def test_a_value_too_long_to_label_says_the_labels_take_the_width(tmp_path: Path) -> None:
    """1e300 printed in full took the chart's whole width, and the message said 'each
    category has -1795pt'."""
    spec = (
        "document: {title: T, author: A}\ntheme: un-blue\n"
        "data:\n  r: {file: data/r.csv}\npages:\n  - blocks:\n"
        "      - chart: {type: bar, source: r, x: name, y: value, title: Big}\n"
    )
    root = make_project(tmp_path / "p", {"r.csv": "name,value\nA,1e+300\nB,2\n"}, {"s.yaml": spec})
    with pytest.raises(FactsheetError) as caught:
        render(root / "factsheets" / "s.yaml")
    message = str(caught.value)
    assert "chart.y: the chart's axis and value labels take its whole width" in message
    assert "pt" not in message.split("(")[0]
