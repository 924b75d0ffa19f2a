"""A chart's categories and series in the edition's language. The rows are selected,
reduced and sorted on the data's own values; only then are the names a reader sees
translated, and the chart's `highlight` and annotation `at` (written in the source
language, as the filters are) are translated with them, so they still find their mark."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from factsheet.charts.plot import ChartData, category
from factsheet.spec.model import Chart

Shown = Callable[[str, str, str], str]
"""(source, column, value) → the value as the reader sees it."""


def translated(block: Chart, data: ChartData, shown: Shown) -> tuple[Chart, ChartData]:
    """`block` and `data` with category and series names as the reader sees them."""
    if block.type == "map":
        return block, data  # a map's categories are country codes, named by CLDR

    def x(value: str) -> str:
        return shown(block.source, block.x, value)

    def series(value: str) -> str:
        return shown(block.source, block.series, value) if block.series and value else value

    data = replace(
        data,
        categories=tuple(x(c) for c in data.categories),
        series=tuple(series(s) for s in data.series),
    )
    changes: dict[str, object] = {}
    if block.highlight is not None:
        wanted = category(block.highlight)
        changes["highlight"] = x(wanted) if x(wanted) != wanted else series(wanted)
    if block.annotations:
        changes["annotations"] = tuple(
            n.model_copy(update={"at": x(category(n.at))}) for n in block.annotations
        )
    return (block.model_copy(update=changes) if changes else block), data
