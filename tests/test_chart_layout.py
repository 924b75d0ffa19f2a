"""Chart layouts that hold with realistic content, checked on the drawn recording: no
two pieces of text touch, nothing leaves the figure, annotations stay clear of value
labels, bars stay bars, stacked charts line up, and a golden picture of the lot (see
tests/test_visual.py for the tolerance; regenerate with FACTSHEET_UPDATE_GOLDENS=1)."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest

from factsheet.build import render
from factsheet.charts.geometry import BAR_CAP
from factsheet.errors import FactsheetError
from tests.chart_geometry import TextBox, overlapping, recordings, text_boxes
from tests.pictures import assert_matches_golden, rasterise
from tests.projects import make_project

# The ten most populous countries of Africa, millions (UN World Population Prospects
# 2022, rounded), under their full names and under short ones.
AFRICA = """\
country,short,population
Nigeria,Nigeria,218.5
Ethiopia,Ethiopia,123.4
Egypt,Egypt,111.0
Democratic Republic of the Congo,"Congo, Dem. Rep.",99.0
United Republic of Tanzania,Tanzania,65.5
South Africa,South Africa,59.9
Kenya,Kenya,54.0
Uganda,Uganda,47.2
Sudan,Sudan,46.9
Algeria,Algeria,44.9
"""
YEARS = "year,value\n" + "".join(f"{y},{y - 1900}\n" for y in range(1990, 2023))
SHARES = "region,year,share\nGlobal,2000,0.67\nGlobal,2017,0.72\n"
LDC = (
    "measure,share\nWorld population,0.14\nInternally displaced people,0.53\n"
    "Least developed countries' share of global exports of goods and services,0.01\n"
)
TREND = "year,region,migrants\n" + "".join(
    f"{year},{region},{base + step * n}\n"
    for region, base, step in (("Africa", 15.1, 2.6), ("Americas", 40.4, 6.3), ("Asia", 49.0, 7.2))
    for n, year in enumerate(range(2000, 2021, 5))
)
DATA = {
    "africa.csv": AFRICA,
    "years.csv": YEARS,
    "shares.csv": SHARES,
    "ldc.csv": LDC,
    "trend.csv": TREND,
}
SOURCES = (
    "  africa: {file: data/africa.csv}\n  years: {file: data/years.csv}\n"
    "  shares: {file: data/shares.csv}\n  ldc: {file: data/ldc.csv}\n"
    "  trend: {file: data/trend.csv}\n"
)

GALLERY = [
    "{type: bar, source: africa, x: country, y: population, span: page, height: 60mm,"
    " title: Ten long labels across the page, format: {decimals: 1}}",
    "{type: bar, source: africa, x: short, y: population, height: 70mm,"
    " title: Ten labels in a column}",
    "{type: hbar, source: africa, x: short, y: population, height: 70mm, title: The same as rows,"
    " annotations: [{at: Nigeria, text: Most populous}, {at: Algeria, text: Largest by area}]}",
    "{type: line, source: years, x: year, y: value, height: 50mm, title: Thirty-three years}",
    "{type: bar, source: shares, x: year, y: share, height: 42mm, title: Two bars,"
    " format: {style: percent}, highlight: 2017,"
    " annotations: [{at: 2000, text: First year of the series}, {at: 2017, text: Latest}]}",
]


def project(tmp_path: Path, charts: list[str], columns: int = 2) -> Path:
    blocks = "".join(
        f"      - chart: {{alt: A chart, {chart.removeprefix('{').removesuffix('}')}}}\n"
        for chart in charts
    )
    spec = (
        "document: {title: Chart layout, author: Test Org, pages: 1}\ntheme: un-blue\n"
        f"data:\n{SOURCES}pages:\n  - columns: {columns}\n    blocks:\n{blocks}"
    )
    root = make_project(tmp_path / "p", DATA, {"layout.yaml": spec})
    return root / "factsheets" / "layout.yaml"


@pytest.fixture(scope="module")
def gallery(tmp_path_factory: pytest.TempPathFactory) -> object:
    return render(project(tmp_path_factory.mktemp("gallery"), GALLERY))


def assert_clean(boxes: list[TextBox], width: float, height: float) -> None:
    outside = [b for b in boxes if not b.inside(width, height)]
    assert not outside, f"text outside the {width:.0f}×{height:.0f} figure: {outside}"
    touching = overlapping(boxes)
    assert not touching, f"text boxes overlap: {touching}"


def test_no_text_overlaps_or_leaves_any_chart(gallery: object) -> None:
    charts = recordings(gallery)
    assert len(charts) == len(GALLERY)
    for recording in charts:
        assert_clean(text_boxes(recording), recording.width, recording.height)


def test_long_labels_are_wrapped_across_the_page(gallery: object) -> None:
    boxes = [b.text for b in text_boxes(recordings(gallery)[0])]
    # "Democratic Republic of the Congo" set on three lines under its bar.
    assert "Democratic" in boxes and "Congo" in boxes
    assert "Democratic Republic of the Congo" not in boxes


def test_labels_in_a_narrow_column_are_set_upright(gallery: object) -> None:
    boxes = {b.text: b for b in text_boxes(recordings(gallery)[1])}
    congo = boxes["Congo, Dem. Rep."]
    assert congo.top - congo.bottom > congo.right - congo.left  # upright: taller than wide


def test_evenly_spaced_years_are_thinned_out(gallery: object) -> None:
    years = [b.text for b in text_boxes(recordings(gallery)[3]) if b.text.startswith(("19", "20"))]
    assert years[0] == "1990"
    steps = {int(b) - int(a) for a, b in itertools.pairwise(years[:-1])}
    assert len(steps) == 1 and steps.pop() > 1  # every n-th year, at one step
    assert years[-1] == "2022"  # and always the last, however the step falls


def test_long_labels_in_a_column_suggest_hbar(tmp_path: Path) -> None:
    chart = "{type: bar, source: africa, x: country, y: population, height: 60mm}"
    with pytest.raises(FactsheetError) as caught:
        render(project(tmp_path, [chart]))
    message = str(caught.value)
    assert "pages[0].blocks[0].chart.x" in message
    assert "'Democratic Republic of the Congo' needs" in message
    assert "`type: hbar`" in message


def test_two_bars_are_not_slabs(gallery: object) -> None:
    (recording,) = recordings(gallery)[4:5]
    boxes = {b.text: b for b in text_boxes(recording)}
    # Each bar is as wide as it may be: BAR_CAP × the chart text's size (6.8pt).
    widths = _bar_widths(recording)
    assert len(widths) == 2
    assert all(w == pytest.approx(BAR_CAP * 6.8, abs=0.1) for w in widths)
    assert boxes["72%"].left > boxes["67%"].right


def _bar_widths(recording: object) -> list[float]:
    """Widths of the filled rectangles drawn in the chart's bar colours."""
    widths, fill = [], None
    for name, args, _ in recording.ops:  # type: ignore[attr-defined]
        if name == "setFillColorRGB":
            fill = tuple(round(float(a), 3) for a in args)
        elif name == "drawPath" and args[0].getCode().count(" l ") == 3 and fill != (1, 1, 1):
            numbers = [float(v) for v in args[0].getCode().replace("m", " ").split() if _num(v)]
            xs = numbers[0::2]
            widths.append(max(xs) - min(xs))
    return widths


def _num(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


@pytest.mark.parametrize("kind", ["bar", "line", "area", "hbar", "dot"])
@pytest.mark.parametrize("at", ["Nigeria", "Egypt", "Algeria"])
def test_annotations_clear_the_value_labels_and_stay_inside(
    tmp_path: Path, kind: str, at: str
) -> None:
    chart = (
        f"{{type: {kind}, source: africa, x: short, y: population, span: page, height: 60mm,"
        f" annotations: [{{at: {at}, text: A note long enough to need some room}},"
        " {at: Ethiopia, text: Second note}]}"
    )
    (recording,) = recordings(render(project(tmp_path, [chart], columns=1)))
    boxes = text_boxes(recording)
    assert "A note long enough to need some room" in [b.text for b in boxes]
    assert_clean(boxes, recording.width, recording.height)


@pytest.mark.parametrize("kind", ["bar", "line", "area", "hbar"])
def test_annotations_on_several_series_clear_legend_names_and_labels(
    tmp_path: Path, kind: str
) -> None:
    chart = (
        f"{{type: {kind}, source: trend, x: year, y: migrants, series: region, height: 60mm,"
        " highlight: Africa, format: {decimals: 0},"
        " annotations: [{at: 2010, text: Africa passes 19 million}, {at: 2020, text: Latest}]}"
    )
    (recording,) = recordings(render(project(tmp_path, [chart])))
    boxes = text_boxes(recording)
    assert {"Africa passes 19 million", "Latest", "Africa"} <= {b.text for b in boxes}
    assert_clean(boxes, recording.width, recording.height)


def test_stacked_hbars_share_their_plot_area_left_edge(tmp_path: Path) -> None:
    short = "{type: hbar, source: shares, x: year, y: share, height: 30mm}"
    long = "{type: hbar, source: ldc, x: measure, y: share, height: 40mm}"
    charts = recordings(render(project(tmp_path, [short, long], columns=1)))
    edges = [max(b.right for b in text_boxes(r) if b.font.endswith("Regular")) for r in charts]
    assert edges[0] == pytest.approx(edges[1], abs=0.01)
    alone = recordings(render(project(tmp_path / "alone", [short], columns=1)))[0]
    regular = [b.right for b in text_boxes(alone) if b.font.endswith("Regular")]
    assert max(regular) < edges[0] - 50  # it did move


def test_long_row_labels_are_wrapped_beside_hbars(tmp_path: Path) -> None:
    chart = "{type: hbar, source: ldc, x: measure, y: share, height: 40mm}"
    (recording,) = recordings(render(project(tmp_path, [chart], columns=1)))
    boxes = text_boxes(recording)
    assert not any(
        b.text.startswith("Least developed") and b.text.endswith("services") for b in boxes
    )
    assert max(b.right for b in boxes if b.font.endswith("Regular")) < recording.width * 0.45
    assert_clean(boxes, recording.width, recording.height)


def test_rows_too_close_for_their_labels_are_an_error(tmp_path: Path) -> None:
    chart = "{type: hbar, source: years, x: year, y: value, height: 30mm}"
    with pytest.raises(
        FactsheetError,
        match=r"33 rows are too close .* needs 8.2pt \(raise the chart's `height` by about",
    ):
        render(project(tmp_path, [chart]))


def test_gallery_matches_golden(gallery: object) -> None:
    assert_matches_golden(rasterise(gallery.pdf)[0], "chart-layout-1")  # type: ignore[attr-defined]


def test_a_segment_too_small_for_its_label_prints_without_it_and_warns(tmp_path: Path) -> None:
    data = "region,corridor,share\nGlobal,South–South,0.37\nGlobal,South–North,0.01\n"
    chart = (
        "{type: hbar, source: parts, x: region, y: share, series: corridor, stacked: true,"
        " format: {style: percent}, height: 30mm}"
    )
    spec = project(tmp_path, [chart])
    (spec.parent.parent / "data" / "parts.csv").write_text(data)
    spec.write_text(spec.read_text().replace("data:\n", "data:\n  parts: {file: data/parts.csv}\n"))
    rendered = render(spec)
    (recording,) = recordings(rendered)
    texts = [b.text for b in text_boxes(recording)]
    assert "37%" in texts and "1%" not in texts
    warnings = [str(w) for w in rendered.content.warnings]
    assert any(
        "1 value labels do not fit" in w and "'1%' (South–North, Global)" in w for w in warnings
    )


def test_a_theme_short_of_distinct_colours_is_an_error_naming_them(tmp_path: Path) -> None:
    rows = "".join(f"2020,Region {n},{n}\n2021,Region {n},{n + 1}\n" for n in range(14))
    spec = project(tmp_path, ["{type: line, source: many, x: year, y: v, series: region}"])
    (spec.parent.parent / "data" / "many.csv").write_text("year,region,v\n" + rows)
    spec.write_text(spec.read_text().replace("data:\n", "data:\n  many: {file: data/many.csv}\n"))
    with pytest.raises(FactsheetError) as caught:
        render(spec)
    message = str(caught.value)
    assert "pages[0].blocks[0].chart.series" in message
    assert "cannot give 14 clearly different colours" in message
    assert "primary (#0033A0), shade (#7F9CC8), accent (#5B9BD5)" in message


# Population-weighted life expectancy by continent (Gapminder, rounded): 39 to 81.
LIFE = "year,continent,life\n" + "".join(
    f"{1952 + 5 * n},{name},{start + step * n:.1f}\n"
    for name, start, step in (("Africa", 39.1, 1.4), ("Asia", 43.0, 2.4), ("Oceania", 69.3, 1.1))
    for n in range(12)
)
WORLD = "year,people\n" + "".join(
    f"{y},{3.03e9 + (y - 1960) * 7.9e7:.0f}\n" for y in range(1960, 2023)
)


def _one_chart(tmp_path: Path, chart: str, csv: str) -> tuple[object, list[TextBox]]:
    spec = (
        "document: {title: Axis, author: Test Org, pages: 1}\ntheme: un-blue\n"
        "data: {rows: {file: data/rows.csv}}\npages:\n  - blocks:\n"
        f"      - chart: {{source: rows, alt: A chart, {chart}}}\n"
    )
    root = make_project(tmp_path / "p", {"rows.csv": csv}, {"axis.yaml": spec})
    (recording,) = recordings(render(root / "factsheets" / "axis.yaml"))
    return recording, text_boxes(recording)


def test_a_line_axis_runs_from_round_tick_to_round_tick_around_its_data(tmp_path: Path) -> None:
    """Life expectancy of 39–81 years started its axis at 0 (the lines in the top half)
    and ended it, unlabelled, far over the highest value: an empty band under the title."""
    chart = "type: line, x: year, y: life, series: continent, height: 70mm"
    recording, boxes = _one_chart(tmp_path, chart, LIFE)
    bottom = min(b.bottom for b in boxes)
    ticks = {float(b.text): b for b in boxes if _num(b.text) and b.bottom > bottom + 1}
    assert min(ticks) > 0 and min(ticks) <= 39.1 and max(ticks) >= 81.4
    assert max(ticks) - min(ticks) <= 2 * (81.4 - 39.1)  # the data fills half the axis or more
    # The top tick is at the plot's top edge, labelled: nothing but half its label above.
    top = ticks[max(ticks)]
    assert recording.height - top.top < 3  # type: ignore[attr-defined]


def test_the_lowest_tick_clears_the_first_category_label(tmp_path: Path) -> None:
    """An area of 1960–2022 set its "0" tick almost on top of "1960"."""
    chart = "type: area, x: year, y: people, format: {style: compact}, height: 50mm"
    _, boxes = _one_chart(tmp_path, chart, WORLD)
    named = {b.text: b for b in boxes}
    zero, first = named["0"], named["1960"]
    gap = max(first.left - zero.right, zero.bottom - first.top)
    assert gap >= 1.0, (zero, first)
    assert "2022" in named  # thinned labels keep the last year


def test_a_highlight_too_close_to_the_muted_greys_is_an_error(tmp_path: Path) -> None:
    """A theme whose highlight is itself a light grey could not stand out from the
    muted marks: an error naming the theme's colour, not a chart with no emphasis."""
    spec = project(tmp_path, ["{type: bar, source: shares, x: year, y: share, highlight: 2017}"])
    themes = spec.parent.parent / "assets" / "themes"
    base = (themes / "un-blue.yaml").read_text()
    (themes / "grey.yaml").write_text(base.replace('accent: "#5B9BD5"', 'accent: "#C0C6CC"'))
    spec.write_text(spec.read_text().replace("theme: un-blue", "theme: grey"))
    with pytest.raises(FactsheetError) as caught:
        render(spec)
    message = str(caught.value)
    assert "pages[0].blocks[0].chart.highlight" in message
    assert "highlight colour accent (#C0C6CC) is too close to the light greys" in message


def test_labelled_bars_leave_no_band_over_their_labels(tmp_path: Path) -> None:
    """Bars labelled with their values kept 18% of the plot free over the tallest one's
    label: an unexplained gap between the subtitle and the bars."""
    data = "year,gap\n1952,16.0\n1957,14.8\n1962,16.1\n1967,12.6\n"
    chart = "type: bar, x: year, y: gap, height: 60mm, format: {decimals: 1}"
    recording, boxes = _one_chart(tmp_path, chart, data)
    tallest = next(b for b in boxes if b.text == "16.1")
    assert recording.height - tallest.top < 3  # type: ignore[attr-defined]


def test_tick_labels_are_never_rounded(tmp_path: Path) -> None:
    """Ticks at 52.5 and 57.5 on a chart printing whole numbers read "53" and "58":
    ticks are multiples of the format's last printed digit, fewer where needed."""
    data = "year,v\n" + "".join(f"{2000 + n},{50 + n * 1.3:.1f}\n" for n in range(8))
    _, boxes = _one_chart(tmp_path, "type: line, x: year, y: v, labels: false", data)
    bottom = min(b.bottom for b in boxes)
    ticks = sorted(float(b.text) for b in boxes if _num(b.text) and b.bottom > bottom + 1)
    steps = {round(b - a, 6) for a, b in itertools.pairwise(ticks)}
    assert len(ticks) >= 3 and len(steps) == 1, ticks


def test_an_unchanged_chart_is_measured_once_per_process(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Editions and rebuilds replay an unchanged chart's recording; its measuring (and
    the alignment pass's, which measures every chart first) is kept too."""
    from factsheet.blocks import chart as block

    root = make_project(tmp_path / "p", {"rows.csv": "x,v\na,1\nb,2\n"})
    spec = root / "factsheets" / "m.yaml"
    spec.write_text(
        "document: {title: M, author: Test Org, pages: 1}\ntheme: un-blue\n"
        "data: {r: {file: data/rows.csv}}\npages:\n  - blocks:\n"
        "      - chart: {type: hbar, source: r, x: x, y: v, alt: x}\n"
        "      - chart: {type: hbar, source: r, x: x, y: v, alt: x, title: Again}\n"
    )
    calls: list[object] = []
    measure = block.measure
    monkeypatch.setattr(block, "measure", lambda *a: calls.append(a) or measure(*a))
    block.clear_cache()
    render(spec)
    first = len(calls)
    render(spec)
    assert first >= 2 and len(calls) == first
