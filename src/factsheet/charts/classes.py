"""How a map groups values into shades. Values that print alike are one value (the
legend could not tell them apart), then:

- few values: when there are no more distinct values than classes, each value is a
  class of its own, labelled with the value ("80", "81"), never "80–80";
- `equal` (the default): classes of one round width (1, 2, 2.5 or 5 times a power of ten)
  starting at a round number, the narrowest width that needs no more classes than
  asked; a top value that falls on a class edge closes the last class. Classes inside
  the range may hold no country: the scale stays even, and the legend shows every step;
- `quantile`: about as many countries in each class, never splitting equal values;
- explicit breaks: the values where one class ends and the next begins, the same in
  every edition.

With a fixed precision (`number` and `percent` formats) labels are inclusive ranges of
printable values ("10–19", "20–29"); `compact` numbers change precision with their size,
so their labels are the class edges ("200M–400M"). Either way the first label starts at
the smallest value, the last ends at the largest, and no two labels read alike. Pure
numbers and strings: nothing here draws."""

from __future__ import annotations

import bisect
import itertools
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from factsheet.spec.model import Format

NICE = (1, 2, 2.5, 5)
DASH = "–"
Formatter = Callable[[float], str]


@dataclass(frozen=True)
class Classes:
    """`thresholds[k]` is the smallest value of class k + 1 (values are compared after
    rounding to `unit`, the format's precision, when it has a fixed one)."""

    thresholds: tuple[float, ...]
    labels: tuple[str, ...]
    unit: float | None

    def __len__(self) -> int:
        return len(self.labels)

    def of(self, value: float) -> int:
        """The class a value falls in."""
        return bisect.bisect_right(self.thresholds, _snap(value, self.unit))


def unit_of(fmt: Format) -> float | None:
    """The smallest step the format prints, in data units: 0.1 for one decimal, 0.001
    for a percentage (or percentage points) with one decimal; None for `compact`,
    whose step grows with the number (0.1K, 0.1M, 0.1B)."""
    step = 10.0**-fmt.decimals
    if fmt.style == "compact":
        return None
    return step / 100 if fmt.style in ("percent", "points") else step


def classify(
    values: Sequence[float], count: int, method: str | Sequence[float], fmt: Format, text: Formatter
) -> Classes:
    """Classes for `values` (finite) with at most `count` classes (`method`: "equal",
    "quantile" or explicit breaks); `text` prints a value as the legend shows it."""
    unit = unit_of(fmt)
    if not isinstance(method, str):
        return _explicit(tuple(method), unit, text)
    groups = _printed(values, unit, text)
    if len(groups) <= count:
        return Classes(tuple(g[0] for g in groups[1:]), tuple(text(g[0]) for g in groups), unit)
    if method == "quantile":
        return _quantile(groups, count, unit, text)
    if unit is not None:
        return _equal(groups[0][0], groups[-1][1], count, unit, text)
    return _equal_edges(groups[0][0], groups[-1][1], count, text)


def _snap(value: float, unit: float | None) -> float:
    """`value` rounded to a multiple of `unit`, half away from zero (as labels print)."""
    if unit is None:
        return value
    steps = math.floor(abs(value) / unit + 0.5 + 1e-9)
    return math.copysign(steps * unit, value) + 0.0


def _printed(values: Sequence[float], unit: float | None, text: Formatter) -> list[list[float]]:
    """[lowest, highest, count] of each group of values that print alike, in order."""
    groups: dict[str, list[float]] = {}
    for value in sorted(_snap(v, unit) for v in values):
        found = groups.setdefault(text(value), [value, value, 0.0])
        found[1], found[2] = value, found[2] + 1
    return sorted(groups.values())


def _equal(low: float, high: float, count: int, unit: float, text: Formatter) -> Classes:
    """Classes of the narrowest round width that covers low..high in `count` or fewer.
    Counted in whole units, so edges are exact."""
    bottom, top = round(low / unit), round(high / unit)
    for step in _nice_steps(1):
        first = bottom // step * step
        last = (top - first) // step  # the class `top` falls in
        if last > 0 and (top - first) % step == 0:
            last -= 1  # `top` sits on an edge: it closes the class below
        if last < count:
            inner = tuple(_snap((first + k * step) * unit, unit) for k in range(1, last + 1))
            starts, ends = (low, *inner), (*(_snap(t - unit, unit) for t in inner), high)
            labels = tuple(_range(a, b, text) for a, b in zip(starts, ends, strict=True))
            return Classes(inner, labels, unit)
    raise AssertionError("a step wide enough always exists")


def _equal_edges(low: float, high: float, count: int, text: Formatter) -> Classes:
    """Equal classes for numbers printed with a changing precision: labelled by their
    edges, with a width wide enough that every edge prints differently."""
    spread = max(high - low, abs(high), 1e-12)
    base = 10.0 ** math.floor(math.log10(spread) - 3)
    for step in (base * s for s in _nice_steps(1)):
        first = math.floor(low / step + 1e-9) * step
        last = math.floor((high - first) / step + 1e-9)
        if last > 0 and abs(first + last * step - high) <= step * 1e-9:
            last -= 1
        if last >= count:
            continue
        inner = tuple(first + k * step for k in range(1, last + 1))
        edges = [text(v) for v in (low, *inner, high)]
        if all(a != b for a, b in itertools.pairwise(edges)):
            labels = tuple(f"{a}{DASH}{b}" for a, b in itertools.pairwise(edges))
            return Classes(inner, labels, None)
    raise AssertionError("a step wide enough always exists")


def _nice_steps(first: int) -> list[int]:
    """1, 2, 5, 10, 20, 25, 50 … times `first` (2.5 only where it is whole), up to far
    beyond any data range."""
    steps = [m * 10**e for e in range(0, 40) for m in NICE]
    return [first * int(s) for s in steps if s == int(s)]


def _quantile(
    groups: list[list[float]], count: int, unit: float | None, text: Formatter
) -> Classes:
    """About as many values in each class: the groups of equal values are cut where
    the running count passes each k/count of the total."""
    total = sum(g[2] for g in groups)
    classes: list[list[list[float]]] = [[]]
    seen = 0.0
    for group in groups:
        target = total * len(classes) / count
        if classes[-1] and seen + group[2] / 2 > target and len(classes) < count:
            classes.append([])
        classes[-1].append(group)
        seen += group[2]
    thresholds = tuple(c[0][0] for c in classes[1:])
    labels = tuple(_range(c[0][0], c[-1][1], text) for c in classes)
    return Classes(thresholds, labels, unit)


def _explicit(breaks: tuple[float, ...], unit: float | None, text: Formatter) -> Classes:
    """Classes the spec fixed: below the first break, between breaks, from the last."""
    labels = [f"< {text(breaks[0])}"]
    for low, high in itertools.pairwise(breaks):
        labels.append(_range(low, high - unit, text) if unit else f"{text(low)}{DASH}{text(high)}")
    labels.append(f"≥ {text(breaks[-1])}")
    return Classes(breaks, tuple(labels), unit)


def _range(low: float, high: float, text: Formatter) -> str:
    first, last = text(low), text(high)
    return first if first == last else f"{first}{DASH}{last}"
