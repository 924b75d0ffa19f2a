"""Checks that look across a whole built edition rather than at one value: glyphs the
chosen fonts do not have (which would print as empty boxes), and warnings for things
worth fixing that do not stop a build, such as a figure no text uses, a page left
with a large empty band, or one so full that a longer text would overflow it.
`factsheet check --strict` turns warnings into errors."""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from factsheet.errors import SpecError
from factsheet.fit import MM, BlockFit, block_fits, key_path_of, page_room, with_text
from factsheet.layout.flow import Item, PageFrame, PageLayout, Placement
from factsheet.layout.geometry import largest_gap
from factsheet.layout.scripts import coverage
from factsheet.layout.styles import is_rtl
from factsheet.location import Location, format_key_path
from factsheet.spec.validate import LoadedSpec
from factsheet.theme import LoadedTheme

# Characters a paragraph may contain that are never drawn as glyphs.
_INVISIBLE = {"\n", "\r", "\t", "\u00ad", "\u200b", "\ufeff"}


def _missing(runs: Iterable[tuple[str, str]], rtl: bool = True) -> Iterator[tuple[str, str]]:
    """(character, font) for each character a font lacks; with `rtl` false, letters and
    marks of right-to-left scripts are left out (their text is reported as such). Text
    is set run by run in the first font of its chain that has each character (see
    layout.scripts), so a character its run's font lacks is one no font of the chain has."""
    seen: set[tuple[str, str]] = set()
    for font, text in runs:
        covered = coverage(font)
        if covered is None:
            continue
        missing = set(text).difference(covered, _INVISIBLE)  # one pass, in C
        for char in dict.fromkeys(c for c in text if c in missing) if missing else ():
            if (char, font) not in seen and (rtl or not _RTL_CANDIDATES.match(char)):
                seen.add((char, font))
                yield char, font


def glyph_errors(
    loaded: LoadedSpec, items: Iterable[Item], theme: LoadedTheme | None = None
) -> list[SpecError]:
    """Characters no font of their chain can draw, and right-to-left text, in every
    block. With `theme`, errors name every family tried for the edition's script."""
    tried = _tried(loaded, theme)
    errors = []
    supported = is_rtl(loaded.spec.document.language)  # set right to left, see layout.bidi
    for item in items:
        where = loaded.source_map.locate(item.key_path)
        runs = list(_runs(item.flowables))
        rtl = None if supported else right_to_left(runs)
        if rtl is not None:  # its letters missing from the font are the same problem
            errors.append(rtl_error(*rtl, where=where))
        missing = _missing(runs, rtl is None)
        errors += [glyph_error(c, font, where, tried=tried) for c, font in missing]
    return errors


Tried = tuple[LoadedTheme, str] | None
"""The theme and the edition's script, which give the fonts tried for each font."""


def _tried(loaded: LoadedSpec, theme: LoadedTheme | None) -> Tried:
    if theme is None:
        return None
    from factsheet.language import language

    try:
        return theme, language(loaded.spec.document.language).script
    except SpecError:  # an unknown language is reported where it is written
        return theme, ""


def glyph_error(
    char: str, font: str, where: Location | None, part: str = "", tried: Tried = None
) -> SpecError:
    """A character no font tried has: its code, name and Unicode block, and the fonts
    tried (with their theme family names, when the theme is known)."""
    from fontTools import unicodedata as ucd  # type: ignore[import-untyped]

    name = unicodedata.name(char, "unnamed character").lower()
    block = ucd.block(char)
    fonts: tuple[str, ...] = (font,)
    hint = "use another character, or a theme font that has it"
    if tried is not None:
        theme, script = tried
        fonts = theme.chain(script, font)
        named = [f"{theme.family_of(f)} ({f})" if theme.family_of(f) else f for f in fonts]
        fonts = tuple(named)
        if script:
            hint = (
                f"use another character, or list a font family that has it in the theme's "
                f"`scripts: {{{script}: [...]}}` (this edition is in script {script})"
            )
    where_block = f", {block} block" if block and block != "No_Block" else ""
    return SpecError(
        f"{part}the character '{char}' (U+{ord(char):04X}, {name}{where_block}) is in none "
        f"of the fonts tried: {', '.join(fonts)}",
        where,
        hint=hint,
    )


# Scripts written right to left: Hebrew, Arabic, Syriac, Thaana, NKo, Samaritan, Mandaic
# and their presentation forms, and the right-to-left blocks beyond the BMP. A match is
# confirmed by the character's bidi class (R or AL), so the ranges only need to cover.
_RTL_CANDIDATES = re.compile(
    "[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufefe\U00010800-\U00010fff\U0001e800-\U0001efff]"
)


def right_to_left(runs: Iterable[tuple[str, str]]) -> tuple[str, str] | None:
    """(text, character) of the first run holding a right-to-left character."""
    for _, text in runs:
        for match in _RTL_CANDIDATES.finditer(text):
            if unicodedata.bidirectional(match.group()) in ("R", "AL"):
                return text, match.group()
    return None


def rtl_error(text: str, char: str, where: Location | None, part: str = "") -> SpecError:
    shown = text if len(text) <= 40 else text[:39] + "\u2026"
    script = unicodedata.name(char, "right-to-left").split()[0].lower()
    return SpecError(
        f"{part}'{shown}' is right-to-left text ({script}, U+{ord(char):04X}) in a document "
        "written left to right: factsheet sets right-to-left text only in a right-to-left "
        "document, with the page mirrored (here it would be drawn backwards, its letters "
        "unjoined)",
        where,
        hint="for a factsheet in this script, set `document.language` to its language (such "
        "as ar) and give the theme a font chain for it (`scripts:`); otherwise write this "
        "text in a left-to-right script",
    )


def _runs(flowables: Iterable[Any]) -> Iterator[tuple[str, str]]:
    """(font name, text) for every piece of text in some flowables: paragraphs, boxes,
    table cells, a photo's caption, a title band's text, and a chart's recorded labels."""
    for flowable in flowables:
        for frag in getattr(flowable, "frags", None) or ():
            text = getattr(frag, "text", "")
            if text:
                yield frag.fontName, text
        for part in ("content", "caption", "text"):
            inner = getattr(flowable, part, None)
            if isinstance(inner, list | tuple):
                yield from _runs(inner)
        for row in getattr(flowable, "_cellvalues", None) or ():
            yield from _runs(cell for cell in row if not isinstance(cell, str))
        yield from getattr(flowable, "text_runs", None) or ()
        recording = getattr(flowable, "recording", None)
        if recording is not None:
            font = ""
            for name, args, _ in recording.ops:
                if name == "setFont":
                    font = args[0]
                elif name == "drawString" and font:
                    yield font, _drawn_text(args[2])


def furniture_errors(
    loaded: LoadedSpec,
    paragraphs: Iterable[Any],
    fields: dict[str, str],
    theme: LoadedTheme | None = None,
) -> list[SpecError]:
    """Glyph and right-to-left problems in the page furniture (footer, page number),
    located at the document field the character comes from (the title, say), else at
    the spec's theme (the footer's own text)."""

    def where(char: str) -> Location | None:
        field = next((name for name, value in fields.items() if char in value), None)
        path = ("document", field) if field else ("theme",)
        return loaded.source_map.locate(path)

    runs = list(_runs(paragraphs))
    part = "the page footer: "
    rtl = None if is_rtl(loaded.spec.document.language) else right_to_left(runs)
    errors = [] if rtl is None else [rtl_error(*rtl, where=where(rtl[1]), part=part)]
    tried = _tried(loaded, theme)
    missing = _missing(runs, rtl is None)
    errors += [glyph_error(c, f, where(c), part, tried) for c, f in missing]
    return errors


def _drawn_text(text: str) -> str:
    """A drawn string's characters; of a shaped one (right-to-left chart labels, see
    layout.bidi), those the shaping did not make up for joined forms and ligatures
    (private-use stand-ins for glyphs the font has)."""
    if not hasattr(text, "__shapeData__"):
        return text
    return "".join(c for c in str(text) if not "\ue000" <= c <= "\uf8ff")


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


FULL = 0.95  # above this share of its frame, a block is nearly full (see docs/fit.md)


def nearly_full(
    loaded: LoadedSpec,
    pages: Sequence[PageLayout],
    frames: Sequence[PageFrame],
    entries: Sequence[int],
) -> list[SpecError]:
    """`check`'s warnings: the blocks of a page with the least room, when they fill it
    above :data:`FULL`, and a chart's texts or a hero's caption band above it."""
    warnings = []
    for page, frame, entry in zip(pages, frames, entries, strict=True):
        room = page_room(loaded, page, frame, entry)
        fits = block_fits(loaded, page, frame, room, texts=False)  # a build's hot path
        flowing = [f for f in fits if f.frame == "page" and f.room.spare >= 0]
        tightest = max((f.room.fill for f in flowing), default=0.0)
        if tightest > FULL:
            crowded = [with_text(page, f) for f in flowing if f.room.fill >= tightest - 1e-9]
            warnings.append(_full_page(loaded, crowded, entry))
        for fit in fits:
            if fit.frame == "box" and fit.room.spare >= 0 and fit.room.fill > FULL:
                warnings.append(_full_box(loaded, with_text(page, fit)))
    return warnings


def _full_page(loaded: LoadedSpec, crowded: list[BlockFit], entry: int) -> SpecError:
    first, last = crowded[0], crowded[-1]
    if first is last:
        who = f"the {first.kind} {first.key_path} fills"
    else:
        who = (
            f"the blocks from {first.key_path} ({first.kind}) to {last.key_path} ({last.kind}) fill"
        )
    # Characters of the block with the most text: the one a longer text usually is.
    said = max(crowded, key=lambda f: f.text.lines if f.text is not None else -1)
    return SpecError(
        f"{who} page {first.page} ({format_key_path(('pages', entry))}) to "
        f"{_percent(first.room.fill)}: {_spare(first.room.spare, said)} to spare",
        loaded.source_map.locate(key_path_of(first.key_path)),
        hint="a longer text (another language, new figures) would overflow it: shorten a "
        "block, or make a chart or photo smaller; `factsheet fit` shows every block's room",
    )


def _full_box(loaded: LoadedSpec, fit: BlockFit) -> SpecError:
    what = "caption band" if fit.kind == "hero" else "title and notes"
    return SpecError(
        f"the {fit.kind} {fit.key_path}'s {what} fill {_percent(fit.room.fill)} of the room "
        f"its height gives them: {_spare(fit.room.spare, fit)} to spare",
        loaded.source_map.locate(key_path_of(fit.key_path)),
        hint="shorten them or raise the block's `height`",
    )


def _spare(points: float, fit: BlockFit) -> str:
    said = f"{points:.0f}pt ({points * MM:.1f} mm)"
    lines, chars = fit.spare_lines, fit.spare_chars
    if lines is not None and chars is not None:
        said += f", {lines} line{'s' if lines != 1 else ''} or about {chars} characters"
        said += f" of the {fit.kind}'s text" if fit.frame == "page" else ""
    return said


def _percent(share: float) -> str:
    return f"{math.floor(share * 100)}%"
