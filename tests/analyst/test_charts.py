"""Analyst expectations for charts and maps (issue 14, items 4, 5 and 6, and the
misleading cases of top-N ties, stacked areas with a missing cell and map classes):
each case is a few input rows, a chart spec fragment and the labels a reader must
see (read back from the chart's recording) or the error the build must stop with.
Labels are checked in English, French and Spanish where they are printed numbers."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.analyst.harness import error_text, render_case
from tests.chart_geometry import recordings, text_boxes

NBSP, NNBSP = "\u00a0", "\u202f"


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
        "type: bar, x: name, y: v, labels: false, format: {style: compact}",
        {
            "en": ["0", "1K", "2K", "3K", "4K"],
            "fr": ["0", f"1{NBSP}k", f"2{NBSP}k", f"3{NBSP}k", f"4{NBSP}k"],
            "es": ["0", f"1{NBSP}mil", f"2{NBSP}mil", f"3{NBSP}mil", f"4{NBSP}mil"],
        },
    ),
    (
        "compact-hbar",
        THOUSANDS,
        "type: hbar, x: name, y: v, labels: false, format: {style: compact}",
        {"en": ["0", "1K", "2K", "3K", "4K"]},
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
        # Fixed in 807e62a: ticks at 1.5 and 4.5 read "2" and "5"; kept as a regression.
        "halves-no-decimals",
        HALVES,
        "type: bar, x: name, y: v, labels: false",
        {"en": ["0", "4", "8"], "fr": ["0", "4", "8"], "es": ["0", "4", "8"]},
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
