"""Every chart kind, drawn from a small spec and compared with a golden image (see
tests/test_visual.py for the tolerance and how to regenerate goldens)."""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import pypdf
import pytest

from factsheet.build import render
from factsheet.errors import DataError

from .pictures import assert_matches_golden, rasterise

ROOT = Path(__file__).resolve().parents[1]

KINDS = {
    "bar": "{type: bar, source: born, x: year, y: share, series: region, format: {style: percent}}",
    "stacked": "{type: hbar, source: corridors, x: region, y: share, series: corridor, stacked: true, format: {style: percent}}",
    "hbar": "{type: hbar, source: ldc, x: region, y: share, where: {measure: Internally displaced people}, sort: descending, top: 4, format: {style: percent}, highlight: Africa}",
    "line": "{type: line, source: trend, x: year, y: migrants, series: region, format: {decimals: 0, suffix: ' M'}}",
    "area": "{type: area, source: trend, x: year, y: migrants, series: region, format: {decimals: 0, suffix: ' M'}}",
    "donut": "{type: donut, source: corridors, x: corridor, y: share, where: {region: Global}, format: {style: percent}}",
    "dot": "{type: dot, source: ldc, x: region, y: share, where: {measure: World population}, format: {style: percent}, highlight: Asia and the Pacific}",
    "sparkline": "{type: sparkline, source: trend, x: year, y: migrants, where: {region: Africa}, height: 15mm, format: {decimals: 1, suffix: ' M'}}",
    "map": "{type: map, source: countries, x: iso3, y: offices, classes: 4}",
}


@pytest.fixture(scope="module")
def page(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    root = tmp_path_factory.mktemp("kinds")
    for folder in ("assets", "data"):
        shutil.copytree(ROOT / folder, root / folder)
    blocks = "".join(
        f"      - chart: {{title: {name}, alt: {name}, "
        + ("" if "height:" in spec else "height: 52mm, ")
        + spec.removeprefix("{").removesuffix("}")
        + "}\n"
        for name, spec in KINDS.items()
    )
    spec = (
        "document: {title: Chart kinds, author: Test Org, pages: 1}\n"
        "theme: un-blue\n"
        "data:\n"
        "  born: {file: data/south_born_share.csv}\n"
        "  corridors: {file: data/migration_corridors.csv}\n"
        "  ldc: {file: data/ldc_shares.csv}\n"
        "  trend: {file: data/showcase_trend.csv}\n"
        "  countries: {file: data/showcase_countries.csv}\n"
        "pages:\n  - blocks:\n" + blocks
    )
    (root / "factsheets").mkdir()
    (root / "factsheets" / "kinds.yaml").write_text(spec)
    return render(root / "factsheets" / "kinds.yaml").pdf


def test_every_kind_has_real_text_and_no_base14_font(page: bytes) -> None:
    text = " ".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(page)).pages)
    for label in ("South–South", "Africa", "2020", "25.4 M", "53%"):
        assert label in text, label
    assert b"Helvetica" not in page


@pytest.mark.parametrize("number", [1])
def test_chart_kinds_match_goldens(page: bytes, number: int) -> None:
    assert_matches_golden(rasterise(page)[number - 1], f"chart-kinds-{number}")


def test_chart_data_pivots_sorts_and_cuts() -> None:
    import math

    from factsheet.blocks.chart import chart_data
    from factsheet.data.rows import Rows
    from factsheet.spec.model import Chart

    rows = Rows.of(
        {
            "region": ["A", "A", "B", "B", "C"],
            "year": [2000.0, 2017.0, 2000.0, 2017.0, 2017.0],
            "share": [0.1, 0.2, 0.3, 0.4, 0.9],
        },
        range(5),
    )
    chart = Chart(type="bar", source="s", x="region", y="share", series="year")
    data = chart_data(chart, rows)
    assert data.categories == ("A", "B", "C")
    assert data.series == ("2000", "2017")
    assert data.values[0][:2] == (0.1, 0.3) and math.isnan(data.values[0][2])
    stacked = chart.model_copy(update={"sort": "descending", "top": 2, "stacked": True})
    ordered = chart_data(stacked, rows)
    assert ordered.categories == ("C", "B")  # stacks 0.9 and 0.7 high
    # Grouped bars are not ranked as if C's missing 2000 were 0 (issue 14).
    with pytest.raises(DataError, match="'C' has no row for year '2000'"):
        chart_data(stacked.model_copy(update={"stacked": False}), rows)
    summed = Chart(type="hbar", source="s", x="year", y="share", aggregate="sum")
    single = chart_data(summed, rows)
    assert single.single and single.categories == ("2000", "2017")
    assert single.values[0] == (0.4, 1.5)  # rows with the same category add up, as asked


@pytest.mark.parametrize("kind", ["bar", "hbar", "dot", "line"])
def test_annotations_point_at_their_category(tmp_path: Path, kind: str) -> None:
    for folder in ("assets", "data"):
        shutil.copytree(ROOT / folder, tmp_path / folder)
    (tmp_path / "factsheets").mkdir()
    spec = tmp_path / "factsheets" / "note.yaml"
    spec.write_text(
        "document: {title: Notes, author: Test Org, pages: 1}\ntheme: un-blue\n"
        "data: {trend: {file: data/showcase_trend.csv}}\npages:\n  - blocks:\n"
        f"      - chart: {{type: {kind}, source: trend, x: year, y: migrants, alt: x,\n"
        "                where: {region: Africa}, annotations: [{at: 2010, text: Turning point}]}\n"
    )
    rendered = render(spec)
    text = pypdf.PdfReader(io.BytesIO(rendered.pdf)).pages[0].extract_text()
    assert "Turning point" in text
