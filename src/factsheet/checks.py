"""Checks that look across a whole built edition rather than at one value: glyphs the
chosen fonts do not have (which would print as empty boxes), and warnings for things
worth fixing that do not stop a build, such as a figure no text uses or a page left
with a large empty band. `factsheet check --strict` turns warnings into errors."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator
from functools import lru_cache
from typing import Any

from factsheet.errors import SpecError
from factsheet.layout.flow import Item, PageFrame, PageLayout, Placement
from factsheet.layout.geometry import largest_gap
from factsheet.location import format_key_path
from factsheet.spec.validate import LoadedSpec

# Characters a paragraph may contain that are never drawn as glyphs.
_INVISIBLE = {"\n", "\r", "\t", "\u00ad", "\u200b", "\ufeff"}


def missing_glyphs(items: Iterable[Item]) -> Iterator[tuple[Item, str, str]]:
    """(item, character, font name) for each character a font cannot draw."""
    for item in items:
        seen: set[tuple[str, str]] = set()
        for font, text in _runs(item.flowables):
            covered = _coverage(font)
            if covered is None:
                continue
            missing = set(text).difference(covered, _INVISIBLE)  # one pass, in C
            for char in dict.fromkeys(c for c in text if c in missing) if missing else ():
                if (char, font) not in seen:
                    seen.add((char, font))
                    yield item, char, font


def glyph_errors(loaded: LoadedSpec, items: Iterable[Item]) -> list[SpecError]:
    errors = []
    for item, char, font in missing_glyphs(items):
        name = unicodedata.name(char, "unnamed character").lower()
        errors.append(
            SpecError(
                f"the character '{char}' (U+{ord(char):04X}, {name}) is not in font {font}",
                loaded.source_map.locate(item.key_path),
                hint="use another character, or a theme font that has it",
            )
        )
    return errors


def _runs(flowables: Iterable[Any]) -> Iterator[tuple[str, str]]:
    """(font name, text) for every piece of text in some flowables, boxes included."""
    for flowable in flowables:
        for frag in getattr(flowable, "frags", None) or ():
            text = getattr(frag, "text", "")
            if text:
                yield frag.fontName, text
        yield from _runs(getattr(flowable, "content", None) or ())
        yield from getattr(flowable, "text_runs", None) or ()
        recording = getattr(flowable, "recording", None)
        if recording is not None:
            font = ""
            for name, args, _ in recording.ops:
                if name == "setFont":
                    font = args[0]
                elif name == "drawString" and font:
                    yield font, args[2]


@lru_cache(maxsize=64)
def _coverage(font_name: str) -> frozenset[str] | None:
    """The characters a font has glyphs for."""
    from reportlab.pdfbase import pdfmetrics

    face = getattr(pdfmetrics.getFont(font_name), "face", None)
    mapping = getattr(face, "charToGlyph", None)
    return frozenset(chr(c) for c in mapping if 0 <= c < 0x110000) if mapping else None


def unused_figures(loaded: LoadedSpec) -> list[SpecError]:
    """Figures that no text of the spec prints."""
    text = loaded.spec.model_dump_json()
    used = set(re.findall(r"\{\{-?\s*([A-Za-z_][A-Za-z0-9_]*)", text))
    used |= set(re.findall(r'"delta":"([A-Za-z_][A-Za-z0-9_]*)"', text))  # key-figure tiles
    used |= {name for figure in loaded.spec.figures.values() for name in figure.operands}
    return [
        SpecError(
            f"figure '{name}' is computed but no text uses it",
            loaded.source_map.locate(("figures", name), at_key=True),
            hint=f"print it with {{{{ {name} }}}} or remove it",
        )
        for name in loaded.spec.figures
        if name not in used
    ]


EMPTY_BAND = 0.2  # share of the page's height a band across the page may leave empty


def empty_band(
    loaded: LoadedSpec, page: PageLayout, entry: int, frame: PageFrame, pages: int
) -> SpecError | None:
    """A warning when nothing is drawn across the whole width of a band of `page`
    taller than :data:`EMPTY_BAND` of the paper's height, between the top and bottom
    margins. `entry` is the spec page it was laid out from, `pages` the page count."""
    area = frame.content
    spans = [(p.y, p.y + p.height) for p in page.placements if p.height > 0]
    bottom, top = largest_gap(spans, area.y, area.top)
    share = (top - bottom) / frame.paper.height
    if share <= EMPTY_BAND:
        return None
    above = _nearest(page.placements, lambda p: p.y >= top - 0.5, lambda p: p.y)
    below = _nearest(
        page.placements, lambda p: p.y + p.height <= bottom + 0.5, lambda p: -p.y - p.height
    )
    if above and below:
        where = f"between {_named(above)} and {_named(below)}"
    elif above:
        where = f"below {_named(above)}, down to the bottom margin"
    elif below:
        where = f"above {_named(below)}, from the top margin"
    else:
        where = "with nothing on it"
    height = top - bottom
    return SpecError(
        f"page {page.number} has an empty band {height:.0f}pt ({height * 25.4 / 72:.0f} mm, "
        f"{share:.0%} of the page) across its width, {where}",
        loaded.source_map.locate(("pages", entry)),
        hint="fill it: more text, a taller chart or photo"
        + ("; or move blocks here from another page, or remove a page" if pages > 1 else ""),
    )


def short_column(
    loaded: LoadedSpec, page: PageLayout, entry: int, frame: PageFrame
) -> SpecError | None:
    """A warning when one column of `page` stops more than :data:`EMPTY_BAND` of the
    paper's height above the foot of the columns (the top of the blocks stacked at the
    page's foot, or the bottom margin) while the page has no empty band across its
    width: half a page left white beside a full column."""
    head = [p.y for p in page.placements if p.region == "head"]
    tail = [p.y + p.height for p in page.placements if p.region == "tail"]
    top, floor = min(head, default=frame.content.top), max(tail, default=frame.content.y)
    worst: tuple[float, int, Placement | None] = (0.0, 0, None)
    for number in range(1, frame.columns + 1):
        placed = [p for p in page.placements if p.region == f"column {number}"]
        last = min(placed, key=lambda p: p.y, default=None)
        gap = (last.y if last is not None else top) - floor
        if gap > worst[0]:
            worst = (gap, number, last)
    gap, number, last = worst
    share = gap / frame.paper.height
    if share <= EMPTY_BAND:
        return None
    where = f"below {_named(last)}" if last is not None else "from top to bottom"
    return SpecError(
        f"column {number} of page {page.number} is empty {where} for {gap:.0f}pt "
        f"({gap * 25.4 / 72:.0f} mm, {share:.0%} of the page)",
        loaded.source_map.locate(("pages", entry)),
        hint="move a block into it (a `column_break` before a block moves it to the next "
        "column), make a chart or photo taller, or give the page `columns: 1`",
    )


def _nearest(placements: Iterable[Placement], keep: Any, order: Any) -> Placement | None:
    chosen = sorted((p for p in placements if keep(p)), key=order)
    return chosen[0] if chosen else None


def _named(placement: Placement) -> str:
    """`the chart 'trends'` by the block's id, else by its place in the spec."""
    path = format_key_path(placement.key_path[:4])
    if placement.block_id and placement.block_id != path:
        return f"the {placement.kind} '{placement.block_id}'"
    return f"the {placement.kind} {path}"
