"""Colours a chart can tell apart and read. A highlighted mark must stand out from every
other mark, and series must be told apart from each other, so colours are chosen by
their perceived difference (CIEDE2000 ΔE in CIE Lab), never by their place in a list
alone. Every colour data is drawn in keeps WCAG 2.x's non-text contrast (3:1) against
the paper (:func:`legible`): a lighter one is darkened, hue kept, just enough. Marks a
highlight sets aside are muted (:func:`muted`): light greys, or pale tints where a
legend must still tell them apart. Pure functions on `#rrggbb` strings and numbers; a
theme that cannot supply enough different colours gets :class:`ColourShortage`, which
the chart block turns into an error naming the theme's colours."""

from __future__ import annotations

import math
from collections.abc import Sequence
from functools import lru_cache

# A highlight must read as another colour, not as a shade of its neighbours: ΔE00 20 is
# well past "noticeable at a glance" (about 2-10) for marks side by side.
MIN_CONTRAST = 20.0
# Series must be told apart in a legend swatch or by a line's colour: a clearly visible
# difference side by side.
MIN_DISTINCT = 6.0
# WCAG 2.x success criterion 1.4.11 (non-text contrast): graphics a reader needs to
# understand the content keep a 3:1 contrast ratio with what is around them.
MIN_LEGIBLE = 3.0
# How much of the theme's axis colour a muted mark keeps (the rest is paper): light
# enough to recede, dark enough to see on the paper.
MUTED = (0.4, 0.34, 0.28, 0.22, 0.46, 0.52)
TINT = 0.4  # how much of its own colour a muted mark keeps when greys run out
GREYED = 0.4  # and how far that colour is first turned towards the grey

Lab = tuple[float, float, float]


@lru_cache(maxsize=256)
def lab(colour: str) -> Lab:
    """`#rrggbb` (sRGB, D65 white) as CIE L*a*b*."""
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    r, g, b = (c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
    x = (0.4124564 * r + 0.3575761 * g + 0.1804375 * b) / 0.95047
    y = 0.2126729 * r + 0.7151522 * g + 0.0721750 * b
    z = (0.0193339 * r + 0.1191920 * g + 0.9503041 * b) / 1.08883

    def f(t: float) -> float:
        return t ** (1 / 3) if t > (6 / 29) ** 3 else t / (3 * (6 / 29) ** 2) + 4 / 29

    fx, fy, fz = f(x), f(y), f(z)
    return 116 * fy - 16, 500 * (fx - fy), 200 * (fy - fz)


def delta_e(first: str, second: str) -> float:
    """CIEDE2000 colour difference between two `#rrggbb` colours (0: the same)."""
    return ciede2000(lab(first), lab(second))


def ciede2000(one: Lab, two: Lab) -> float:
    """CIEDE2000 ΔE of two Lab colours (Sharma, Wu and Dalal's formulation)."""
    l1, a1, b1 = one
    l2, a2, b2 = two
    mean_c = (math.hypot(a1, b1) + math.hypot(a2, b2)) / 2
    g = 0.5 * (1 - math.sqrt(mean_c**7 / (mean_c**7 + 25**7)))
    a1, a2 = a1 * (1 + g), a2 * (1 + g)
    c1, c2 = math.hypot(a1, b1), math.hypot(a2, b2)
    h1 = math.degrees(math.atan2(b1, a1)) % 360
    h2 = math.degrees(math.atan2(b2, a2)) % 360
    dh = 0.0 if c1 * c2 == 0 else (h2 - h1 + 180) % 360 - 180
    d_hue = 2 * math.sqrt(c1 * c2) * math.sin(math.radians(dh / 2))
    mean_l, mean_cp = (l1 + l2) / 2, (c1 + c2) / 2
    if c1 * c2 == 0:
        mean_h = h1 + h2
    elif abs(h1 - h2) <= 180:
        mean_h = (h1 + h2) / 2
    else:
        mean_h = (h1 + h2 + (360 if h1 + h2 < 360 else -360)) / 2
    t = (
        1
        - 0.17 * math.cos(math.radians(mean_h - 30))
        + 0.24 * math.cos(math.radians(2 * mean_h))
        + 0.32 * math.cos(math.radians(3 * mean_h + 6))
        - 0.20 * math.cos(math.radians(4 * mean_h - 63))
    )
    rotation = 30 * math.exp(-(((mean_h - 275) / 25) ** 2))
    r_c = 2 * math.sqrt(mean_cp**7 / (mean_cp**7 + 25**7))
    s_l = 1 + 0.015 * (mean_l - 50) ** 2 / math.sqrt(20 + (mean_l - 50) ** 2)
    s_c = 1 + 0.045 * mean_cp
    s_h = 1 + 0.015 * mean_cp * t
    r_t = -math.sin(math.radians(2 * rotation)) * r_c
    dl, dc, dhh = (l2 - l1) / s_l, (c2 - c1) / s_c, d_hue / s_h
    return math.sqrt(dl**2 + dc**2 + dhh**2 + r_t * dc * dhh)


class ColourShortage(Exception):
    """Too few candidate colours differ enough: `wanted` colours were needed and only
    the ones in `found` could be used."""

    def __init__(
        self, wanted: int, found: Sequence[str], highlight: str | None, grey: bool = False
    ) -> None:
        super().__init__(f"{len(found)} of {wanted} colours")
        self.wanted = wanted
        self.found = tuple(found)
        self.highlight = highlight
        self.grey = grey  # no muted grey stands out from the highlight


@lru_cache(maxsize=256)
def pick(
    candidates: tuple[str, ...],
    count: int,
    highlight: str | None = None,
    apart: float = MIN_DISTINCT,
    contrast: float = MIN_CONTRAST,
) -> tuple[str, ...]:
    """`count` colours from `candidates`, in their order, each at least `apart` from the
    ones picked before it and, with a `highlight`, at least `contrast` from it (so the
    highlighted mark stands out from all of them). Raises ColourShortage."""
    picked: list[str] = []
    for colour in dict.fromkeys(c.upper() for c in candidates):
        if len(picked) == count:
            break
        if highlight is not None and delta_e(colour, highlight) < contrast:
            continue
        if all(delta_e(colour, other) >= apart for other in picked):
            picked.append(colour)
    if len(picked) < count:
        raise ColourShortage(count, picked, highlight)
    return tuple(picked)


def _linear(colour: str) -> tuple[float, float, float]:
    r, g, b = (int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5))
    return tuple(c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in (r, g, b))  # type: ignore[return-value]


def _encoded(channels: Sequence[float]) -> str:
    def encode(c: float) -> int:
        c = min(max(c, 0.0), 1.0)
        value = c * 12.92 if c <= 0.0031308 else 1.055 * c ** (1 / 2.4) - 0.055
        return round(value * 255)

    return "#" + "".join(f"{encode(c):02X}" for c in channels)


def luminance(colour: str) -> float:
    """WCAG 2.x relative luminance of an sRGB colour (0: black, 1: white)."""
    r, g, b = _linear(colour)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(first: str, second: str) -> float:
    """WCAG 2.x contrast ratio of two colours, from 1 (the same) to 21."""
    low, high = sorted((luminance(first), luminance(second)))
    return (high + 0.05) / (low + 0.05)


@lru_cache(maxsize=256)
def legible(colour: str, paper: str, minimum: float = MIN_LEGIBLE) -> str:
    """`colour`, or, when it has less than `minimum` contrast with `paper`, the colour
    of the same hue and saturation (its linear RGB scaled) darkened (on light paper) or
    lightened (on dark paper) just enough to reach it."""
    colour = colour.upper()
    if contrast(colour, paper) >= minimum:
        return colour
    channels, own, ground = _linear(colour), luminance(colour), luminance(paper)
    for step in range(200):  # rounding to #rrggbb can land a hair short: step on
        if ground > own:  # darker: every channel scaled down alike
            scale = ((ground + 0.05) / minimum - 0.05) / max(own, 1e-6) * 0.995**step
            found = _encoded([c * scale for c in channels])
        else:  # lighter: mixed with white in linear light
            wanted = minimum * (ground + 0.05) - 0.05
            share = min(1.0, (wanted - own) / (1 - own) + 0.005 * step)
            found = _encoded([c + (1 - c) * share for c in channels])
        if contrast(found, paper) >= minimum:
            return found
    return "#000000" if ground > own else "#FFFFFF"


def mix(colour: str, paper: str, weight: float) -> str:
    """`colour` faded towards `paper`: weight 1 is the colour itself, 0 the paper."""
    one = [int(colour[i : i + 2], 16) for i in (1, 3, 5)]
    two = [int(paper[i : i + 2], 16) for i in (1, 3, 5)]
    return "#" + "".join(
        f"{round(b + (a - b) * weight):02X}" for a, b in zip(one, two, strict=True)
    )


@lru_cache(maxsize=256)
def muted(
    count: int,
    grey: str,
    paper: str,
    highlight: str,
    own: tuple[str, ...] = (),
) -> tuple[str, ...]:
    """Colours for `count` marks a highlight sets aside, each at least MIN_CONTRAST
    from `highlight`. Without `own` colours they all take one light grey (lines named
    at their ends, the other bars of one series). With `own` (each mark's colour when
    nothing is highlighted), the marks must be told apart by a legend: greys of
    different lightness, then pale, greyed tints of the marks' own colours,
    MIN_DISTINCT apart. `grey` is the theme's axis colour, faded towards the paper. Raises
    ColourShortage."""
    greys = [mix(grey, paper, weight) for weight in MUTED]
    if not own:
        for candidate in greys:
            if delta_e(candidate, highlight) >= MIN_CONTRAST:
                return (candidate,) * count
        raise ColourShortage(1, [], highlight, grey=True)
    tints = [mix(mix(c, grey, 1 - GREYED), paper, TINT) for c in own]
    return pick((*greys, *tints), count, highlight=highlight)
