"""The showcase spec uses every block kind and every chart kind, and builds."""

from __future__ import annotations

import shutil
import typing
from pathlib import Path

import pytest

from factsheet.build import Rendered, render
from factsheet.spec.blocks import BLOCK_KINDS, Chart

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def showcase(tmp_path_factory: pytest.TempPathFactory) -> Rendered:
    root = tmp_path_factory.mktemp("showcase")
    for folder in ("assets", "data", "factsheets", "translations"):
        shutil.copytree(ROOT / folder, root / folder)
    return render(root / "factsheets" / "showcase.yaml")


def test_two_pages_and_no_warnings(showcase: Rendered) -> None:
    assert len(showcase.layout.pages) == 2
    assert showcase.content.warnings == ()


def test_every_block_kind_is_used(showcase: Rendered) -> None:
    used = {block.kind for page in showcase.loaded.spec.pages for block in page.blocks}
    assert set(BLOCK_KINDS) - used == {"page_break"}  # a two-page gallery needs none


def test_every_chart_kind_is_used(showcase: Rendered) -> None:
    kinds = set(typing.get_args(Chart.model_fields["type"].annotation))
    used = {
        block.chart.type
        for page in showcase.loaded.spec.pages
        for block in page.blocks
        if block.chart is not None
    }
    assert used == kinds


def test_table_total_is_the_offices_figure(showcase: Rendered) -> None:
    """The table's regions add up to the Global count the text prints, and its total
    says so (the Global row is not among the regions, or it would count twice)."""
    import pandas as pd

    table = next(
        p.flowable
        for page in showcase.layout.pages
        for p in page.placements
        if p.kind == "table" and hasattr(p.flowable, "cell_tags")
    )
    rows = [[_text(cell) for cell in row] for row in table._cellvalues]
    data = pd.read_csv(ROOT / "data" / "iom_2021.csv")
    offices = data[data["indicator"] == "offices"].set_index("region")["value"]
    assert "Global" not in [r[0] for r in rows]
    assert rows[-1] == ["All regions", str(int(offices["Global"]))]
    assert sum(int(r[1]) for r in rows[1:-1]) == int(offices["Global"])


def _text(cell: typing.Any) -> str:
    items = cell if isinstance(cell, tuple | list) else [cell]
    return "".join(item.getPlainText() for item in items)
