"""Shaped runs written as PDF text: :func:`show` puts a run's glyphs into a ReportLab
text object as one `TJ` array per font subset, the glyphs as bytes and, only where a
glyph does not sit at its own advance (kerning, a mark set over a letter, a space
widened to justify a line), a number that moves the next one; a raised mark is set
with the text rise (`Ts`).

ReportLab writes a shaped string glyph cluster by glyph cluster, each in its own
array: several times the operators and the time for the same positions. The glyphs
are the font subsets' own bytes (ReportLab's `splitString`), so the text that
extractors read and the fonts embedded are what ReportLab would have written."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from reportlab.lib.rl_accel import fp_str
from reportlab.pdfbase.pdfmetrics import getFont

from factsheet.layout.bidi import Glyphs, Move


def show(text: Any, glyphs: Glyphs, extra: float = 0.0) -> None:
    """Write `glyphs` into the ReportLab text object `text` at its current origin, in
    its current font and size, with `extra` points added after each space."""
    canvas = text._canvas
    font = getFont(text._fontname)
    size = float(text._fontsize)
    moves = _with_spaces(glyphs, extra * 1000 / size) if extra else glyphs.moves
    chunks = font.splitString(str(glyphs.text), canvas._doc)
    start, pending = 0, 0.0
    for subset, chunk in chunks:
        if subset != text._curSubset:
            name = font.getSubsetInternalName(subset, canvas._doc)
            text._code.append(f"{name} {fp_str(size)} Tf {fp_str(text._leading)} TL")
            text._curSubset = subset
        end = start + len(chunk)
        own = moves  # usually one chunk; else its glyphs' moves, counted from its first
        if len(chunks) > 1:
            own = [m._replace(at=m.at - start) for m in moves if start <= m.at < end]
        written, pending = operators(chunk, own, size, canvas._escape, pending)
        text._code.append(written)
        start = end


def _with_spaces(glyphs: Glyphs, units: float) -> list[Move]:
    """The run's moves with `units` (thousandths of an em) more after each space."""
    moves = {m.at: m for m in glyphs.moves}
    for index in glyphs.spaces:
        move = moves.get(index, Move(index, 0.0, 0.0))
        moves[index] = move._replace(after=move.after + units)
    return sorted(moves.values())


def operators(
    chunk: bytes,
    moves: Sequence[Move],
    size: float,
    escape: Callable[[bytes], str],
    pending: float = 0.0,
) -> tuple[str, float]:
    """The operators that show `chunk` (one byte per glyph) with `moves` (sorted, their
    indices into `chunk`) at `size` points, `pending` thousandths of an em to the right
    of where the text stands; and the move still owed after its last glyph (to the
    next chunk of the run)."""
    if not moves and not pending:  # every glyph at its own advance: plain text
        return f"({escape(chunk)}) Tj", 0.0
    out: list[str] = []
    items: list[str] = []
    rise, placed, written = 0.0, 0, 0  # glyphs placed; of those, written into `items`

    def write() -> None:
        nonlocal written
        if placed > written:
            items.append(f"({escape(chunk[written:placed])})")
            written = placed

    def place(end: int, raised: float) -> None:
        """Glyphs up to `end` (from the last placed) at `raised`."""
        nonlocal pending, rise, placed
        if end <= placed:
            return
        if raised != rise:  # a rise holds for a whole array: end it here
            write()
            _close(out, items)
            out.append(f"{fp_str(raised * size / 1000)} Ts")
            rise = raised
        if pending:
            write()
            items.append(fp_str(-pending))  # TJ's numbers move to the left
            pending = 0.0
        placed = end

    for move in moves:
        place(move.at, 0.0)
        pending += move.before
        place(move.at + 1, move.rise)
        pending += move.after
    place(len(chunk), 0.0)
    write()
    _close(out, items)
    if rise:
        out.append("0 Ts")
    return " ".join(out), pending


def _close(out: list[str], items: list[str]) -> None:
    if len(items) == 1:
        out.append(f"{items[0]} Tj")
    elif items:
        out.append(f"[{' '.join(items)}] TJ")
    items.clear()
