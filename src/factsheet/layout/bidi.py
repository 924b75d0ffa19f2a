"""Right-to-left lines: from a line's logical text to glyphs in visual order. ReportLab's
own right-to-left support reverses words and drops them when shaping is on, so a line is
set here instead, in three steps that are pure functions:

1. :func:`levels`: the embedding level of every character, from python-bidi's Rust
   implementation of the Unicode bidirectional algorithm (which resolves paired
   brackets, rule N0), with rule L1 applied to the line's trailing spaces;
2. :func:`visual_runs`: the line cut into runs of one level and one fragment (font,
   size, colour, link), in the order they are seen from left to right (rule L2);
3. :func:`shape`: each run shaped by HarfBuzz in its own direction, which joins Arabic
   letters, applies ligatures and kerning, and mirrors brackets in right-to-left runs
   (rule L4), giving glyphs in visual order with their advances.

:func:`set_line` ties them together for one line and :func:`width` measures a string as
it will be drawn. Drawing the result is the caller's job (see
:mod:`factsheet.layout.rtl_draw`)."""

from __future__ import annotations

import re
from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import groupby
from typing import Any, NamedTuple

_LEVEL = re.compile(r"Level\(\s*(\d+),?\s*\)")
# Characters of right-to-left scripts (Hebrew, Arabic, Syriac, Thaana, N'Ko, …, and
# their presentation forms): a string with none of them, set left to right, needs no
# bidi work at all.
_RTL_CHARS = re.compile("[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufefc\U00010800-\U00010fff]")


def has_rtl(text: str) -> bool:
    """Whether `text` holds any character of a right-to-left script."""
    return _RTL_CHARS.search(text) is not None


@lru_cache(maxsize=4096)
def levels(text: str, rtl: bool = True) -> tuple[int, ...]:
    """The resolved embedding level of each character of one line, the paragraph set
    right to left (`rtl`) or left to right; odd levels read right to left. Trailing
    whitespace takes the paragraph's level (rule L1), as the line ends there."""
    from bidi import get_display

    if not text:
        return ()
    # python-bidi 0.6 gives levels only in its debug dump (per UTF-8 byte).
    dump = str(get_display(text, base_dir="R" if rtl else "L", debug=True))
    start = dump.index("levels: [")
    end = dump.index("]", start)
    per_byte = [int(m) for m in _LEVEL.findall(dump, start, end)]
    if len(per_byte) != len(text.encode("utf-8")):
        raise RuntimeError(f"python-bidi gave {len(per_byte)} levels for {text!r}")
    result: list[int] = []
    offset = 0
    for char in text:
        result.append(per_byte[offset])
        offset += len(char.encode("utf-8"))
    base = 1 if rtl else 0
    position = len(text)
    while position > 0 and text[position - 1].isspace():
        position -= 1
        result[position] = base
    return tuple(result)


@dataclass(frozen=True)
class Run:
    """Characters [start, end) of a line, of one level and one fragment."""

    start: int
    end: int
    level: int
    piece: int  # index of the fragment (font, colour, link) the characters belong to

    @property
    def rtl(self) -> bool:
        return self.level % 2 == 1


def visual_runs(line_levels: Sequence[int], pieces: Sequence[int]) -> list[Run]:
    """The runs of a line from left to right: `line_levels` and `pieces` give each
    character's level and fragment index, in logical order."""
    if len(line_levels) != len(pieces):
        raise ValueError(f"{len(line_levels)} levels for {len(pieces)} characters")
    runs: list[Run] = []
    start = 0
    for (level, piece), chars in groupby(zip(line_levels, pieces, strict=True)):
        end = start + len(list(chars))
        runs.append(Run(start, end, level, piece))
        start = end
    if not runs:
        return runs
    highest = max(run.level for run in runs)
    lowest_odd = min((run.level for run in runs if run.level % 2), default=highest + 1)
    # Rule L2: from the highest level down to the lowest odd one, reverse every
    # stretch of runs at that level or above.
    for level in range(highest, lowest_odd - 1, -1):
        index = 0
        while index < len(runs):
            if runs[index].level < level:
                index += 1
                continue
            end = index
            while end < len(runs) and runs[end].level >= level:
                end += 1
            runs[index:end] = runs[index:end][::-1]
            index = end
    return runs


class Move(NamedTuple):
    """A glyph not set where its own advance puts it (kerning, a mark over a letter,
    a justified line's wider space), in thousandths of an em."""

    at: int  # the glyph's index in its run
    before: float  # moved to the right before it is drawn
    after: float  # moved to the right after it, past its own advance
    rise: float = 0.0  # raised above the baseline


@dataclass(frozen=True)
class Glyphs:
    """A run shaped: ReportLab's shaped string (glyphs in visual order, each with its
    HarfBuzz advance and offsets) and its width in points."""

    text: Any  # reportlab.pdfbase.ttfonts.ShapedStr
    width: float
    spaces: tuple[int, ...]  # indices of glyphs that stand for a space
    moves: tuple[Move, ...] = ()
    """The glyphs not set at their own advance, in order: every other one follows the
    one before it as the font's widths say (see :mod:`factsheet.layout.shown`)."""


def shape(text: str, font_name: str, size: float, rtl: bool) -> Glyphs:
    """`text` shaped with the registered TrueType font `font_name` at `size` points,
    set right to left (`rtl`, which also mirrors brackets) or left to right."""
    return _shape(text, font_name, float(size), rtl)


@lru_cache(maxsize=4096)
def shape_words(text: str, font_name: str, size: float, rtl: bool) -> Glyphs:
    """`text` shaped word by word (letters join only within a word), the words and the
    spaces between them in visual order: each word is shaped once however often lines
    are broken and set again."""
    tokens = _WORDS.findall(text)
    if rtl:
        tokens.reverse()
    parts = [_shape(token, font_name, float(size), rtl) for token in tokens]
    if len(parts) == 1:
        return parts[0]
    joined = parts[0].text
    spaces = list(parts[0].spaces)
    moves = list(parts[0].moves)
    count = len(parts[0].text)
    for part in parts[1:]:
        joined = joined + part.text
        spaces += [count + index for index in part.spaces]
        moves += [move._replace(at=count + move.at) for move in part.moves]
        count += len(part.text)
    return Glyphs(joined, sum(part.width for part in parts), tuple(spaces), tuple(moves))


@lru_cache(maxsize=8192)
def _shape(text: str, font_name: str, size: float, rtl: bool) -> Glyphs:
    import uharfbuzz
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import ShapeData, ShapedStr

    font = pdfmetrics.getFont(font_name)
    hb_font = _hb_font(font_name)
    buffer = uharfbuzz.Buffer()
    buffer.cluster_level = uharfbuzz.BufferClusterLevel.MONOTONE_CHARACTERS
    buffer.add_str(text)
    buffer.guess_segment_properties()
    buffer.direction = "rtl" if rtl else "ltr"
    uharfbuzz.shape(hb_font, buffer, {"kern": True, "liga": True})
    chars: list[str] = []
    data: list[Any] = []
    spaces: list[int] = []
    advance = 0.0
    face = font.face
    to_char, widths, scale = face.glyphToChar, face.charWidths, 1000 / face.unitsPerEm
    for index, (info, position) in enumerate(
        zip(buffer.glyph_infos, buffer.glyph_positions, strict=True)
    ):
        gid, cluster = info.codepoint, info.cluster
        mapped = to_char.get(gid)
        if gid == 0:  # the font lacks the character: keep it, for the glyph check
            code = ord(text[cluster])
        elif mapped:
            code = mapped[0]
        else:  # a joined form or ligature with no character of its own
            # Its width in the PDF's font dictionary must be the font program's own
            # advance, in thousandths of an em (PDF/A checks it): not the positioned
            # advance (kerning) and not font units (Lato has 2000 to the em).
            own = hb_font.get_glyph_h_advance(gid) * scale
            code = font.hbAddPrivate(hb_font.glyph_to_string(gid), gid, own)
        chars.append(chr(code))
        x_advance = position.x_advance * scale
        data.append(
            ShapeData(
                cluster,
                x_advance,
                position.y_advance * scale,
                position.x_offset * scale,
                position.y_offset * scale,
                widths.get(code, 0),
            )
        )
        advance += x_advance
        if text[cluster] == " ":
            spaces.append(index)
    text_out = ShapedStr("".join(chars), shapeData=data)
    return Glyphs(text_out, advance * size / 1000, tuple(spaces), _moves(data))


def _moves(data: Sequence[Any]) -> tuple[Move, ...]:
    """The glyphs of HarfBuzz's positions (`ShapeData`, in thousandths of an em) that
    do not sit at their own advance (vertical advances do not occur in a line)."""
    moves = []
    for index, d in enumerate(data):
        after = d.x_advance - d.width - d.x_offset
        if d.x_offset or d.y_offset or abs(after) > 1e-9:
            moves.append(Move(index, d.x_offset, after, d.y_offset))
    return tuple(moves)


@lru_cache(maxsize=64)
def _hb_font(font_name: str) -> Any:
    from reportlab.pdfbase import pdfmetrics

    return pdfmetrics.getFont(font_name).hbFont(10)  # positions come in font units


@dataclass(frozen=True)
class Placed:
    """One shaped run of a line, `x` points from the line's left end."""

    x: float
    glyphs: Glyphs
    piece: Hashable  # the fragment the run belongs to, as the caller gave it
    run: Run


def set_line(
    pieces: Sequence[tuple[str, Hashable, str, float]], rtl: bool = True
) -> tuple[list[Placed], float]:
    """One line given in logical order as (text, fragment, font name, size) pieces: its
    shaped runs from left to right and its width."""
    runs, width = _set_line(tuple((p[0], p[2], float(p[3])) for p in pieces), rtl)
    return [Placed(x, glyphs, pieces[run.piece][1], run) for x, glyphs, run in runs], width


@lru_cache(maxsize=4096)
def _set_line(
    pieces: tuple[tuple[str, str, float], ...], rtl: bool
) -> tuple[tuple[tuple[float, Glyphs, Run], ...], float]:
    """:func:`set_line` for (text, font name, size) pieces: the same line is set once
    per process, however many paragraphs and builds show it."""
    # Spaces at the line's end are not seen and take no room (rule L1 puts them at
    # its far end anyway).
    text = "".join(p[0] for p in pieces).rstrip()
    owners = [n for n, p in enumerate(pieces) for _ in p[0]][: len(text)]
    placed = []
    x = 0.0
    for run in visual_runs(levels(text, rtl), owners):
        chunk, font_name, size = text[run.start : run.end], *pieces[run.piece][1:]
        glyphs = shape_words(chunk, font_name, size, run.rtl)
        placed.append((x, glyphs, run))
        x += glyphs.width
    return tuple(placed), x


def measure(pieces: Sequence[tuple[str, Hashable, str, float]]) -> float:
    """Points a line of (text, fragment, font name, size) pieces takes once shaped,
    without setting it: the sum of its words shaped one by one. Letters join only
    within a word, and reordering does not change a line's width, so this is the
    width :func:`set_line` gives, at a fraction of the cost when lines are broken
    again and again (each word is shaped once)."""
    text = "".join(p[0] for p in pieces).rstrip()
    total = 0.0
    used = 0
    for chunk, _, font_name, size in pieces:
        chunk = chunk[: max(len(text) - used, 0)]
        used += len(chunk)
        total += words_width(chunk, font_name, float(size))
    return total


@lru_cache(maxsize=16384)
def words_width(text: str, font_name: str, size: float) -> float:
    """Points `text` takes in one font, its words shaped one by one as
    :func:`set_line` sets them (and what line breaking measures a right-to-left
    paragraph's words with). A font that is not TrueType cannot be shaped: it is
    measured as ReportLab measures it."""
    if not _shapable(font_name):
        from reportlab.pdfbase.pdfmetrics import stringWidth

        return float(stringWidth(text, font_name, size))
    total = 0.0
    for word in _WORDS.findall(text):
        total += _shape(word, font_name, size, _RTL_CHARS.search(word) is not None).width
    return total


@lru_cache(maxsize=64)
def _shapable(font_name: str) -> bool:
    from reportlab.pdfbase import pdfmetrics

    return getattr(pdfmetrics.getFont(font_name), "face", None) is not None


_WORDS = re.compile(r" +|[^ ]+")


def width(text: str, font_name: str, size: float, rtl: bool = True) -> float:
    """Points `text` takes once reordered and shaped in one font."""
    return set_line([(text, 0, font_name, size)], rtl)[1]
