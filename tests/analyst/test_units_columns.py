"""Analyst expectations (issue 14, item 10) for tables and charts: a column its source
declares in percent (`units: {v: percent}`) prints 72 as 72%, in a table cell, a table
total and a chart's labels; without a unit, a percent style on values that all look like
percentages already is a warning (an error with --strict), never a quiet 7,200%."""

from __future__ import annotations

from pathlib import Path

import pytest

from factsheet.build import render
from tests.analyst.harness import page_words, spec_text
from tests.projects import invoke_in, make_project

ROWS = "name,v\nA,67\nB,72\n"
CHART = (
    "chart: {type: bar, source: rows, x: name, y: v, alt: Shares, height: 60mm, "
    "format: {style: percent}}"
)
TABLE = (
    "table: {source: rows, total: {label: Mean, aggregate_rows: {}}, columns: [name, "
    "{column: v, total: mean, format: {style: percent}}]}"
)
# As the text layer reads them (French and Spanish put a no-break space before %).
PERCENT = {"en": ("67%", "72%", "70%"), "fr": ("67 %", "72 %", "70 %"),
           "es": ("67 %", "72 %", "70 %")}  # fmt: skip


def project(tmp_path: Path, block: str, units: bool, language: str = "en") -> Path:
    source = "{file: data/rows.csv" + (", units: {v: percent}}" if units else "}")
    body = f"pages:\n  - blocks:\n      - {block}\n"
    spec = spec_text(body, language).replace("{rows: {file: data/rows.csv}}", f"{{rows: {source}}}")
    return make_project(tmp_path / "p", {"rows.csv": ROWS}, {"c.yaml": spec})


@pytest.mark.parametrize("language", ["en", "fr", "es"])
@pytest.mark.parametrize("block", [CHART, TABLE], ids=["chart", "table"])
def test_a_column_in_percent_prints_as_percent(tmp_path: Path, block: str, language: str) -> None:
    rendered = render(
        project(tmp_path, block, units=True, language=language) / "factsheets" / "c.yaml"
    )
    words = page_words(rendered).replace("\u00a0", " ").replace("\u202f", " ")
    low, high, mean = PERCENT[language]
    assert low in words and high in words
    assert "7,200" not in words and "7.200" not in words and "7 200" not in words
    if block == TABLE:
        assert mean in words
    assert not [w for w in rendered.content.warnings if "reads 0.72 as 72%" in str(w)]


@pytest.mark.parametrize("block", [CHART, TABLE], ids=["chart", "table"])
def test_a_percent_style_on_percentages_without_a_unit_warns(tmp_path: Path, block: str) -> None:
    root = project(tmp_path, block, units=False)
    result = invoke_in(root, "check", "factsheets/c.yaml")
    assert "prints 'v' with `style: percent`, which reads 0.72 as 72%" in result.stderr
    assert "add `units: {v: percent}` to the source" in result.stderr
    strict = invoke_in(root, "check", "--strict", "factsheets/c.yaml")
    assert strict.exit_code != 0
