"""Where each printed figure was drawn, recorded while the PDF is drawn. A paragraph
that prints a figure, a table cell or a total carries :class:`Printed` notes (set when
its block is built: which manifest entry it prints, and which occurrence of the text
it is); as the renderer draws it, a :class:`Recorder` on the canvas turns each note
into a :class:`DrawnBox` in page coordinates (PDF points from the page's bottom-left
corner) through the canvas's current transformation, so a number inside a tile, a box
or a table cell lands where it was drawn. A chart records its frame, and each value
label its chart drew (noted in the chart's recording, see charts.rlbackend). The boxes go to
the manifest with the entry they belong to (:func:`boxes_record`); the preview maps a
click on a page to them without reading the PDF."""

from __future__ import annotations

import copy
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from factsheet.layout import spans

ATTRIBUTE = "_factsheet_boxes"
Key = tuple[str | int, ...]
"""What was printed, as the manifest names it: `("figure", name)`; `("cell", row,
column)` for a table's body cell (its row and column index in the table's record);
`("total", column)` for a total cell; `("chart",)` for a chart's frame; `("value",
series, category)` for a chart's value label."""


@dataclass(frozen=True)
class Printed:
    """A manifest entry a paragraph prints: the `occurrence`-th `text` in it (counted
    left to right in the paragraph's own text), or the whole paragraph (`text` None)."""

    key: Key
    text: str | None = None
    occurrence: int = 0


@dataclass(frozen=True)
class DrawnBox:
    """Where something the manifest records was drawn: page (from 1), the block,
    and the box in PDF points from the page's bottom-left corner."""

    page: int
    block_id: str
    key: Key
    x0: float
    y0: float
    x1: float
    y1: float

    def record(self) -> dict[str, Any]:
        box = {"x0": self.x0, "y0": self.y0, "x1": self.x1, "y1": self.y1}
        return {
            "page": self.page,
            "block": self.block_id,
            **{k: round(v, 2) for k, v in box.items()},
        }


class Recorder:
    """Collects the boxes drawn on one canvas; the renderer says which page and block
    it is drawing."""

    def __init__(self) -> None:
        self.boxes: list[DrawnBox] = []
        self.page = 0
        self.block_id = ""

    def attach(self, canvas: Any) -> None:
        setattr(canvas, ATTRIBUTE, self)

    def add(self, canvas: Any, key: Key, box: spans.Rect) -> None:
        """A box in the canvas's current coordinates, kept in page coordinates."""
        a, b, c, d, e, f = canvas._currentMatrix
        x0, y0, x1, y1 = box
        if b == 0 and c == 0:  # moved and scaled, not turned: the usual case
            left, right, bottom, top = a * x0 + e, a * x1 + e, d * y0 + f, d * y1 + f
            left, right = min(left, right), max(left, right)
            bottom, top = min(bottom, top), max(bottom, top)
        else:
            xs = [a * x + c * y + e for x in (x0, x1) for y in (y0, y1)]
            ys = [b * x + d * y + f for x in (x0, x1) for y in (y0, y1)]
            left, bottom, right, top = min(xs), min(ys), max(xs), max(ys)
        self.boxes.append(DrawnBox(self.page, self.block_id, key, left, bottom, right, top))

    def paragraph(self, para: Any) -> None:
        """Record what a paragraph just drawn prints."""
        texts = spans.line_texts(para)
        for printed in para.prints:
            for box in spans.span_boxes(para, printed.text, printed.occurrence, texts):
                self.add(para.canv, printed.key, box)


def recorder_of(canvas: Any) -> Recorder | None:
    return getattr(canvas, ATTRIBUTE, None)


def with_prints(para: Any, prints: Sequence[Printed]) -> Any:
    """`para` noting what it prints. A shared paragraph (see layout.paragraph) is
    copied, sharing its line breaks: two blocks may set the same text for figures
    of their own."""
    if not prints:
        return para
    if getattr(para, "shared", False):
        para = copy.copy(para)
        para.shared = False
    para.prints = tuple(prints)
    return para


def split_prints(
    prints: Sequence[Printed], first_lines: Iterable[str]
) -> tuple[tuple[Printed, ...], tuple[Printed, ...]]:
    """A split paragraph's notes: those in the first part's lines, and the rest
    counted again from the second part's first line."""
    texts = list(first_lines)
    head: list[Printed] = []
    tail: list[Printed] = []
    for printed in prints:
        if printed.text is None:
            head.append(printed)
            tail.append(printed)
            continue
        needle = spans.normal(printed.text)
        seen = sum(len(spans.occurrences(line, needle)) for line in texts)
        if printed.occurrence < seen:
            head.append(printed)
        else:
            tail.append(Printed(printed.key, printed.text, printed.occurrence - seen))
    return tuple(head), tuple(tail)


def boxes_record(boxes: Iterable[DrawnBox]) -> dict[Key, list[dict[str, Any]]]:
    """The boxes of each key, in drawing order (pages in order, reading order on a
    page)."""
    found: dict[Key, list[dict[str, Any]]] = {}
    for box in boxes:
        key = box.key if box.key[0] == "figure" else (box.block_id, *box.key)
        found.setdefault(key, []).append(box.record())
    return found


def add_boxes(entry: Mapping[str, Any], boxes: Iterable[DrawnBox]) -> None:
    """Put each box beside the manifest entry it belongs to: a figure's under
    `figures.<name>.boxes`, a table cell's under its cell, a total cell's under the
    total's cell, a chart's under `charts.<id>.boxes`. Nothing drawn, no `boxes`."""
    for key, found in boxes_record(boxes).items():
        target = _target(entry, key)
        if target is not None:
            target["boxes"] = found


def _target(entry: Mapping[str, Any], key: Key) -> dict[str, Any] | None:
    try:
        if key[0] == "figure":
            return entry["figures"][key[1]]  # type: ignore[no-any-return]
        block, kind = key[0], key[1]
        if kind == "chart":
            return entry["charts"][block]  # type: ignore[no-any-return]
        if kind == "value":
            return _value(entry["charts"][block]["values"], str(key[2]), str(key[3]))
        table = entry["tables"][block]
        if kind == "cell":
            return table["body"][key[2]]["cells"][key[3]]  # type: ignore[no-any-return]
        return table["total"]["cells"][key[2]]  # type: ignore[no-any-return]
    except (KeyError, IndexError, TypeError):
        return None


def _value(values: list[dict[str, Any]], series: str, category: str) -> dict[str, Any] | None:
    """A chart's value by its series and category (a chart of one series names none)."""
    for value in values:
        if value.get("category") == category and value.get("series", series) == series:
            return value
    return None
