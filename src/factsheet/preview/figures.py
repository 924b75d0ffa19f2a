"""Where each printed figure is on a page, for the preview's provenance on click. The
manifest records every figure's printed text; this finds that text in the PDF's own
text layer (PDFium), as a whole token (a figure printed "27" is not found inside
"2027" or "27.5"), and returns its boxes in PDF points from the page's top-left
corner. A text that several figures print alike maps to all of them, so the page
names every candidate rather than pick one; texts shorter than :data:`SHORTEST`
characters are not looked for (a lone "3" is as likely a page number). Found once per
PDF (by its hash) in the preview process: nothing is added to a build."""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

SHORTEST = 2
_SPACES = re.compile(r"[\s\u00a0\u2007\u2009\u202f]")
_CACHE: dict[str, list[dict[str, Any]]] = {}


def normal(text: str) -> str:
    """Every kind of space as a plain space (a figure may print a no-break space)."""
    return _SPACES.sub(" ", text)


def whole(text: str, start: int, end: int) -> bool:
    """Whether `text[start:end]` is a token of its own: no letter or digit runs on at
    either end, nor a decimal or thousands separator between digits."""
    before = text[start - 1] if start > 0 else " "
    after = text[end] if end < len(text) else " "
    if before.isalnum() or after.isalnum():
        return False
    if before in ".,'" and start > 1 and text[start - 2].isdigit():
        return False
    return not (after in ".,'" and end + 1 < len(text) and text[end + 1].isdigit())


def find_all(text: str, needle: str) -> list[tuple[int, int]]:
    """Each place `needle` occurs in `text` as a whole token, as (start, end)."""
    found, start = [], text.find(needle)
    while start >= 0:
        end = start + len(needle)
        if whole(text, start, end):
            found.append((start, end))
        start = text.find(needle, start + 1)
    return found


def by_text(figures: Mapping[str, Any]) -> dict[str, list[str]]:
    """The figures printing each (normalised) text, longest texts first."""
    texts: dict[str, list[str]] = {}
    for name, figure in figures.items():
        text = normal(str(figure.get("text") or "")).strip()
        if len(text) >= SHORTEST:
            texts.setdefault(text, []).append(name)
    return dict(sorted(texts.items(), key=lambda item: -len(item[0])))


def figure_boxes(sha: str, pdf: Path, figures: Mapping[str, Any]) -> list[dict[str, Any]]:
    """Every place a figure's printed text appears in `pdf` (cached by its hash)."""
    if sha in _CACHE:
        return _CACHE[sha]
    from factsheet.review.pages import open_pdf

    wanted = by_text(figures)
    boxes: list[dict[str, Any]] = []
    document = open_pdf(pdf)
    try:
        for index in range(len(document)):
            page = document[index]
            height = page.get_height()
            textpage = page.get_textpage()
            text = normal(textpage.get_text_range())
            taken: list[tuple[int, int]] = []
            for needle, names in wanted.items():
                for start, end in find_all(text, needle):
                    if any(s < end and start < e for s, e in taken):
                        continue  # inside a longer figure's text already found
                    taken.append((start, end))
                    box = _union([textpage.get_charbox(i) for i in range(start, end)])
                    boxes.append(_box(index + 1, box, height, names))
            textpage.close()
            page.close()
    finally:
        document.close()
    _CACHE[sha] = boxes
    return boxes


def _union(boxes: list[tuple[float, float, float, float]]) -> tuple[float, ...]:
    return (
        min(b[0] for b in boxes),
        min(b[1] for b in boxes),
        max(b[2] for b in boxes),
        max(b[3] for b in boxes),
    )


def _box(page: int, box: tuple[float, ...], height: float, names: list[str]) -> dict[str, Any]:
    left, bottom, right, top = box
    pad = 1.5  # points: the glyphs' boxes are tight; a click just beside still counts
    return {
        "page": page,
        "figures": list(names),
        "x0": round(left - pad, 2),
        "x1": round(right + pad, 2),
        "top": round(height - top - pad, 2),
        "bottom": round(height - bottom + pad, 2),
    }
