"""What a click on a page image can land on, for the preview's provenance on click.
The build records where it drew each printed figure, table cell, total cell, chart
and chart value label (see :mod:`factsheet.render.boxes`) and the manifest keeps those
boxes beside each entry; this turns an edition's manifest record into the page's click targets, each
with its box measured from the page's top-left corner (as the page image is) and the
lines the panel shows (what it is, what it printed, its source, filter and rows).
Nothing is looked for in the PDF: a number printed twice on a page has two boxes, each
naming its own entry, and a right-to-left or Chinese page works as any other."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

Details = list[tuple[str, str]]


LINES = "file lines"
"""The rows used, as the data file's line numbers (the header is line 1)."""


def click_targets(
    entry: Mapping[str, Any], sizes: Sequence[Sequence[float]]
) -> list[dict[str, Any]]:
    """Every box of an edition's manifest record as a click target, in the order the
    build drew them; `sizes` are the pages' widths and heights in points."""
    targets: list[dict[str, Any]] = []
    for name, figure in (entry.get("figures") or {}).items():
        for box in figure.get("boxes") or ():
            targets.append(_target(box, sizes, "figure", [name], _figure(name, figure)))
    for block, table in (entry.get("tables") or {}).items():
        source = str(table.get("source", ""))
        for row in table.get("body") or ():
            for cell in row.get("cells") or ():
                for box in cell.get("boxes") or ():
                    details = _cell(block, source, cell, row)
                    targets.append(_target(box, sizes, "cell", [], details))
        total = table.get("total") or {}
        for cell in total.get("cells") or ():
            for box in cell.get("boxes") or ():
                details = _cell(block, source, cell, total, total=True)
                targets.append(_target(box, sizes, "total", [], details))
    for block, chart in (entry.get("charts") or {}).items():
        for box in chart.get("boxes") or ():
            targets.append(_target(box, sizes, "chart", [], _chart(block, chart)))
        for value in chart.get("values") or ():
            for box in value.get("boxes") or ():
                targets.append(_target(box, sizes, "value", [], _value(block, chart, value)))
    return sorted(targets, key=lambda t: t.pop("order"))


def hit(targets: Sequence[Mapping[str, Any]], page: int, x: float, y: float) -> Any:
    """The target under a point of a page (points from its top-left corner): the
    smallest box that holds it (a figure in a chart's frame wins), or None. The page's
    click handler does the same."""
    under = [
        t
        for t in targets
        if t["page"] == page and t["x0"] <= x <= t["x1"] and t["top"] <= y <= t["bottom"]
    ]
    return min(under, key=_area, default=None)


def _area(target: Mapping[str, Any]) -> float:
    return float((target["x1"] - target["x0"]) * (target["bottom"] - target["top"]))


PAD = 1.5  # points: a click just beside a number's glyphs still counts


def _target(
    box: Mapping[str, Any],
    sizes: Sequence[Sequence[float]],
    kind: str,
    figures: list[str],
    details: Details,
) -> dict[str, Any]:
    page = int(box["page"])
    height = float(sizes[page - 1][1]) if 0 < page <= len(sizes) else 0.0
    return {
        "page": page,
        "kind": kind,
        "block": box.get("block", ""),
        "figures": figures,
        "x0": round(box["x0"] - PAD, 2),
        "x1": round(box["x1"] + PAD, 2),
        "top": round(height - box["y1"] - PAD, 2),
        "bottom": round(height - box["y0"] + PAD, 2),
        "details": [list(d) for d in details],
        "order": (page, -float(box["y1"]), float(box["x0"])),
    }


def _text(value: Any) -> str:
    if value is None:
        return "(none)"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # 485, as the data file writes it, not 485.0
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)


def _where(where: Mapping[str, Any] | None) -> str:
    return ", ".join(f"{k} = {v}" for k, v in (where or {}).items()) or "(none)"


def _rows(record: Mapping[str, Any]) -> Details:
    if record.get("derived_from"):
        return [("derived from", _text(record["derived_from"]))]
    return [(LINES, ", ".join(map(str, record.get("rows") or ())) or "(none)")]


def _figure(name: str, figure: Mapping[str, Any]) -> Details:
    prov = figure.get("provenance") or {}
    details: Details = [
        ("figure", name),
        ("printed", _text(figure.get("text"))),
        ("value", _text(figure.get("value"))),
        ("source", prov.get("source") or "(computed)"),
        ("filter", _where(prov.get("where"))),
        (LINES, ", ".join(map(str, prov.get("rows") or ())) or "(none)"),
    ]
    for key, label in (("column", "column"), ("aggregate", "aggregate")):
        if prov.get(key):
            details.append((label, _text(prov[key])))
    if prov.get("derived_from"):
        details.append(("derived from", _text(prov["derived_from"])))
    if prov.get("of"):
        details.append(("share of", _text(prov["of"])))
    return details


def _cell(
    block: str, source: str, cell: Mapping[str, Any], rows: Mapping[str, Any], total: bool = False
) -> Details:
    details: Details = [
        ("table" if not total else "table total", block),
        ("column", _text(cell.get("column"))),
        ("printed", _text(cell.get("text"))),
        ("value", _text(cell.get("value"))),
        ("source", source or "(none)"),
    ]
    if total:
        details.append(("combine", _text(cell.get("combine"))))
    return details + _rows(rows)


def _chart(block: str, chart: Mapping[str, Any]) -> Details:
    details: Details = [
        ("chart", block),
        ("source", _text(chart.get("source"))),
        ("filter", _where(chart.get("where"))),
    ]
    details += _rows(chart)
    values = chart.get("values") or ()
    if values:
        shown = ", ".join(f"{v.get('category')}: {v.get('text')}" for v in values[:12])
        details.append(("values", shown + (" …" if len(values) > 12 else "")))
    return details


def _value(block: str, chart: Mapping[str, Any], value: Mapping[str, Any]) -> Details:
    details: Details = [("chart", block), ("category", _text(value.get("category")))]
    if "series" in value:
        details.append(("series", _text(value["series"])))
    details += [
        ("printed", _text(value.get("text"))),
        ("value", _text(value.get("value"))),
        ("source", _text(chart.get("source"))),
        ("filter", _where(chart.get("where"))),
    ]
    return details + _rows(value)
