"""Axis geometry decided before anything is drawn, from ReportLab's font metrics:
the value axis's ticks (the same "nice" steps matplotlib's MaxNLocator would pick, so a
chart's margins are known without importing matplotlib) and the layout of category
labels that never overlap: set on one line, wrapped (at spaces, and between Chinese
characters), thinned out where the categories are evenly spaced numbers or dates,
turned upright, or refused. Pure functions on numbers and strings."""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

# MaxNLocator's default steps, extended a decade down and up (its "staircase").
_STEPS = (1.0, 1.5, 2.0, 2.5, 3.0, 4.0, 5.0, 6.0, 8.0, 10.0)
_STAIRCASE = (*(0.1 * s for s in _STEPS[:-1]), *_STEPS, 10 * _STEPS[1])
BINS = 4
MAX_LINES = 3  # a wrapped category label takes at most this many lines
MAX_UPRIGHT = 0.4  # upright labels may take at most this share of the chart's height


def nice_ticks(low: float, high: float, bins: int = BINS) -> tuple[float, ...]:
    """Tick values covering `low`..`high` at a round step, at most `bins` + 1 of them
    inside it: matplotlib's MaxNLocator(nbins) with its default steps, in pure Python."""
    if not (math.isfinite(low) and math.isfinite(high)) or high <= low:
        raise ValueError(f"no ticks for the range {low}..{high}")
    low, high = _nonsingular(low, high)
    scale, offset = _scale_range(low, high, bins)
    lo, hi = low - offset, high - offset
    raw = (hi - lo) / bins
    steps = [s * scale for s in _STAIRCASE]
    largest = next((i for i, s in enumerate(steps) if s >= raw), len(steps) - 1)
    ticks: list[float] = []
    for step in reversed(steps[: largest + 1]):
        best = (lo // step) * step
        first, last = _edge_le(lo - best, step, offset), _edge_ge(hi - best, step, offset)
        ticks = [k * step + best for k in _arange(first, last + 1)]
        if sum(1 for t in ticks if lo <= t <= hi) >= 2:
            break
    return tuple(t + offset for t in ticks)


def shown_ticks(low: float, high: float, bins: int = BINS) -> tuple[float, ...]:
    """The ticks drawn on an axis from `low` to `high` (those inside it)."""
    return tuple(t for t in nice_ticks(low, high, bins) if low - 1e-9 <= t <= high + 1e-9)


def round_limits(
    low: float,
    high: float,
    unit: float | None = None,
    bins: int = BINS,
    exact: Callable[[Sequence[float]], bool] | None = None,
) -> tuple[float, ...]:
    """The ticks of a value axis that runs from the round tick at or below `low` to the
    one at or above `high` (the axis's limits are the first and the last): the data
    fills the plot, and its top and bottom edges are labelled. With a `unit` (the
    smallest step the chart's format prints), every tick is a multiple of it, so no
    tick label is rounded (52.5 printed "53"): fewer ticks are taken where needed.
    Formats whose step changes with the number (`compact`, `significant` digits) give
    `exact` instead, which says whether a set of ticks print as the values they stand
    at (1,600 printed "2K" does not). A flat series (`low` = `high`) gets a round step either
    side of its value, and an empty one 0 to 1."""
    if high <= low:
        if high == 0:
            low, high = 0.0, 1.0
        else:
            step = 10.0 ** math.floor(math.log10(abs(high)))
            low, high = low - step, high + step
    if exact is not None and unit is None:
        return _exact_ticks(low, high, bins, exact)
    if unit is None:
        return nice_ticks(low, high, bins)
    found: list[tuple[float, ...]] = []
    for fewer in range(bins, 0, -1):
        ticks = nice_ticks(low, high, fewer)
        if all(abs(t / unit - round(t / unit)) < 1e-6 for t in ticks):
            found.append(ticks)
            break
    # Whole units, when they step roundly from a multiple of their step (0, 2, 4, 6 for
    # data to 4.5 printed without decimals, rather than 0, 4, 8; never 90, 98, 106 or
    # 0, 43, 86).
    units = unit_ticks(low, high, unit, bins)
    steps = [round(t / unit) for t in units]
    stride = steps[1] - steps[0] if len(steps) > 1 else 1
    if not found or (steps[0] % stride == 0 and _round_step(stride)):
        found.append(units)
    return min(found, key=lambda t: t[-1] - t[0])  # the first of the tightest


def _exact_ticks(
    low: float, high: float, bins: int, exact: Callable[[Sequence[float]], bool]
) -> tuple[float, ...]:
    """The tightest round ticks covering `low`..`high` whose labels print exactly:
    "nice" steps with as many bins as can be had, or whole multiples of a power of ten
    (1,000 apart where the format prints thousands as 1K, 2K)."""
    found: list[tuple[float, ...]] = []
    for fewer in range(bins, 0, -1):
        ticks = nice_ticks(low, high, fewer)
        if exact(ticks):
            found.append(ticks)
            break
    power = 10.0 ** math.floor(math.log10((high - low) / bins))
    for _ in range(40):  # a step as wide as the range prints exactly sooner or later
        ticks = unit_ticks(low, high, power, bins)
        if exact(ticks):
            found.append(ticks)
            break
        power *= 10
    found = found or [nice_ticks(low, high, bins)]
    return min(found, key=lambda t: (t[-1] - t[0], -len(t)))


def _round_step(stride: int) -> bool:
    """1, 2, 2.5 or 5 times a power of ten (whole)."""
    scale = 10 ** math.floor(math.log10(stride))
    return stride / scale in (1, 2, 2.5, 5)


def unit_ticks(low: float, high: float, unit: float, bins: int = BINS) -> tuple[float, ...]:
    """Ticks at whole multiples of `unit` covering `low`..`high`, at most `bins` + 1 of
    them: for data narrower than the format prints (7.0 to 7.6 with no decimals), the
    axis widens to 7–8 rather than print "7, 7, 7, 8"."""
    first, last = math.floor(low / unit + 1e-9), math.ceil(high / unit - 1e-9)
    last = max(last, first + 1)
    stride = max(1, math.ceil((last - first) / bins))
    count = math.ceil((last - first) / stride)
    return tuple((first + k * stride) * unit for k in range(count + 1))


def _nonsingular(low: float, high: float) -> tuple[float, float]:
    """A range too narrow for floating point widened a little, as matplotlib does."""
    largest = max(abs(low), abs(high))
    if largest < 1e20 * 2.2250738585072014e-308:
        return -1e-13, 1e-13
    if high - low <= largest * 1e-14:
        return low - 1e-13 * abs(low), high + 1e-13 * abs(high)
    return low, high


def _scale_range(low: float, high: float, bins: int) -> tuple[float, float]:
    span = abs(high - low)
    mean = (high + low) / 2
    offset = (
        0.0 if abs(mean) / span < 100 else math.copysign(10 ** (math.log10(abs(mean)) // 1), mean)
    )
    return 10 ** (math.log10(span / bins) // 1), offset


def _close(fraction: float, edge: float, step: float, offset: float) -> bool:
    tolerance = 1e-10
    if offset:
        tolerance = min(0.4999, max(1e-10, 10 ** (math.log10(abs(offset) / step) - 12)))
    return abs(fraction - edge) < tolerance


def _edge_le(x: float, step: float, offset: float) -> float:
    d, m = divmod(x, step)
    return d + 1 if _close(m / step, 1, step, offset) else d


def _edge_ge(x: float, step: float, offset: float) -> float:
    d, m = divmod(x, step)
    return d if _close(m / step, 0, step, offset) else d + 1


def _arange(start: float, stop: float) -> list[float]:
    count = max(0, math.ceil(stop - start))
    return [start + i for i in range(count)]


# --- category labels -------------------------------------------------------------

Measure = Callable[[str], float]  # the width of a text in points


@dataclass(frozen=True)
class Labels:
    """How category labels are set: one text per category ('' where thinned out, with
    line breaks where wrapped), upright or not, and the depth they take in points."""

    texts: tuple[str, ...]
    upright: bool = False
    lines: int = 1
    depth: float = 0.0


class LabelsDoNotFit(Exception):
    """No layout keeps the labels apart: `label` needs `needed` points, each category
    has `room`."""

    def __init__(self, label: str, needed: float, room: float) -> None:
        super().__init__(f"'{label}' needs {needed:.0f}pt and each category has {room:.0f}pt")
        self.label, self.needed, self.room = label, needed, room


def wrap(text: str, width: float, measure: Measure, max_lines: int = MAX_LINES) -> str | None:
    """`text` broken into lines no wider than `width`, or None when a word is wider or
    more than `max_lines` lines are needed. Lines break at spaces and, in Chinese or
    Japanese (written without spaces), between characters where a line may end (see
    :func:`factsheet.layout.cjk.may_break`: never before "，" or after "（"); a word of
    a script written with spaces is never cut."""
    lines: list[str] = []
    for glue, piece in _breakable(text):
        joined = f"{lines[-1]}{glue}{piece}" if lines else piece
        if lines and measure(joined) <= width:
            lines[-1] = joined
        elif measure(piece) <= width:
            lines.append(piece)
        else:
            return None
    return "\n".join(lines) if len(lines) <= max_lines else None


def _breakable(text: str) -> list[tuple[str, str]]:
    """`text` cut where a line may end: (what joins it to the piece before, piece).
    Words are joined by a space, the pieces of a Chinese word by nothing."""
    from factsheet.layout.cjk import may_break

    pieces: list[tuple[str, str]] = []
    for word in text.split():
        start, glue = 0, " "
        for at in range(1, len(word)):
            if may_break(word, at):
                pieces.append((glue, word[start:at]))
                start, glue = at, ""
        pieces.append((glue, word[start:]))
    return pieces


def fits(widths: Sequence[float], pitch: float, gap: float, every: int = 1) -> bool:
    """Labels centred `pitch` apart (every `every`-th one shown) keep `gap` between them."""
    shown = widths[::every]
    return all((a + b) / 2 + gap <= pitch * every for a, b in itertools.pairwise(shown))


def thinned(widths: Sequence[float], pitch: float, gap: float, every: int) -> set[int] | None:
    """The labels shown when every `every`-th one is: the first, each `every` steps on,
    and always the last (a chart of 1960–2022 labels 2022, its latest year), the ones
    just before the last left out where they would touch it. None when they do not fit
    or the first and last alone would touch."""
    if not fits(widths, pitch, gap, every):
        return None
    last = len(widths) - 1
    shown = set(range(0, last + 1, every)) | {last}
    for i in sorted(shown - {last}, reverse=True):
        if (widths[i] + widths[last]) / 2 + gap <= pitch * (last - i):
            return shown
        if i == 0:
            return None
        shown.discard(i)
    return shown


def category_labels(
    texts: Sequence[str],
    pitch: float,
    measure: Measure,
    line: float,
    height: float,
    evenly_spaced: bool,
) -> Labels:
    """Labels centred `pitch` points apart under a chart `height` points tall, set so
    that no two touch: on one line; else wrapped at spaces (up to three lines); else,
    for evenly spaced numbers or dates (years), every n-th one and the last (see
    :func:`thinned`), since the reader can count the ones between; else upright, one
    per category. `line` is a line's height. Raises LabelsDoNotFit when even upright
    labels would not fit."""
    gap = line * 0.4
    widths = [measure(t) for t in texts]
    if fits(widths, pitch, gap):
        return Labels(tuple(texts), lines=1, depth=line)
    wrapped = [wrap(t, pitch - gap, measure) for t in texts]
    if all(w is not None for w in wrapped):
        final = tuple(w or "" for w in wrapped)
        lines = max(w.count("\n") + 1 for w in final)
        return Labels(final, lines=lines, depth=line * lines)
    if evenly_spaced:
        for every in range(2, len(texts)):
            shown = thinned(widths, pitch, gap, every)
            if shown is not None:
                kept = tuple(t if i in shown else "" for i, t in enumerate(texts))
                return Labels(kept, lines=1, depth=line)
    widest = max(range(len(texts)), key=widths.__getitem__)
    if pitch >= line + gap and widths[widest] <= height * MAX_UPRIGHT:
        return Labels(tuple(texts), upright=True, depth=widths[widest])
    needed = widths[widest] + gap if pitch >= line + gap else line + gap
    raise LabelsDoNotFit(texts[widest], needed, pitch)
