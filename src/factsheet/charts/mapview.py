"""Where a map looks: the country shapes (Natural Earth 1:110m, read once per process),
each country's home part, and the view: the longitudes and latitudes a map shows, fitted
to its frame. Pure geometry on numbers; nothing here draws.

A country's home part is its largest polygon, any polygon a quarter its size or more,
and the polygons within `NEAR` degrees of those, step by step (Corsica stays with France,
Hokkaido with Honshu, Borneo's Malaysia with the peninsula); far-flung parts
(French Guiana, Alaska, Hawaii, Svalbard, Russia's land across the 180th meridian) are
drawn but never stretch a view. The view covers the countries with data (or a region's
countries), takes the shortest way round the globe (a map of the Pacific crosses the
180th meridian), is padded, and grows in one direction to the frame's shape, centred.
Longitudes are scaled by the cosine of the view's middle latitude (an equirectangular
projection), so a map of Europe is not stretched wide."""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

from factsheet.charts import countries

SHAPES = Path(__file__).resolve().parent.parent / "maps" / "ne_110m_admin_0_countries.shp"
# Units of the 1:110m shapes read as another code: Kosovo has no ISO code of its own;
# ISO 3166 counts Somaliland and Northern Cyprus as part of Somalia and Cyprus.
SHAPE_CODES = {"KOS": "XKX", "SOL": "SOM", "CYN": "CYP"}
WORLD = (-180.0, 180.0, -57.0, 84.0)  # west, east, south, north: no Antarctica
NEAR = 3.0  # degrees: parts this close to the home part belong to it
LARGE = 0.25  # parts at least this share of the largest belong to the home part too
NEAR_TINY = 6.0  # degrees: a region's tiny members this close to its land widen its view
PADDING = 0.06  # of the view's span, on each side
MIN_SPAN = 10.0  # degrees of latitude: a view never zooms closer
OPEN_OCEAN = "Seven seas (open ocean)"  # Natural Earth's continent of remote islands
GROW = 1.3  # a view grows at most this much to fill a frame of another shape
WIDE = 1.5  # a region's member wider than this many times the rest does not stretch it

Box = tuple[float, float, float, float]  # west, east, south, north (degrees)


@dataclass(frozen=True)
class Unit:
    """One shape of the map: a country's rings, home box and largest polygon's area."""

    code: str
    rings: tuple[np.ndarray, ...]
    boxes: tuple[Box, ...]  # of each ring
    home: Box
    largest: float  # area of the largest ring, in square degrees


@dataclass(frozen=True)
class View:
    """What a map shows: longitudes west..east (east may pass 180), latitudes
    south..north, and how much narrower a degree of longitude is than one of latitude."""

    west: float
    east: float
    south: float
    north: float
    squeeze: float  # cos(middle latitude)
    size: tuple[float, float]  # points the view fills: the frame, or less at the world's edge

    def shifts(self, box: Box) -> list[float]:
        """The multiples of 360° by which something in `box` appears in the view."""
        return [s for s in (0.0, 360.0, -360.0) if _overlaps(box, self, s)]


@lru_cache(maxsize=1)
def shapes() -> tuple[Unit, ...]:
    """Every shape in the map, read once per process."""
    import shapefile

    units = []
    with shapefile.Reader(str(SHAPES)) as reader:
        for shape, record in zip(reader.shapes(), reader.records(), strict=True):
            unit = record["ADM0_A3"]
            code = record["ISO_A3"] if record["ISO_A3"] != "-99" else unit
            starts = [*shape.parts, len(shape.points)]
            rings = tuple(np.array(shape.points[a:b]) for a, b in itertools.pairwise(starts))
            boxes = tuple(_box(r) for r in rings)
            areas = [_area(r) for r in rings]
            home = _home(boxes, areas)
            units.append(Unit(SHAPE_CODES.get(unit, code), rings, boxes, home, max(areas)))
    return tuple(units)


@lru_cache(maxsize=1)
def homes() -> dict[str, Box]:
    """Each code's home box (a code with several units, such as Somalia, joins them)."""
    found: dict[str, Box] = {}
    for unit in shapes():
        found[unit.code] = (
            _union([found[unit.code], unit.home]) if unit.code in found else unit.home
        )
    return found


def _box(ring: np.ndarray) -> Box:
    low, high = ring.min(axis=0), ring.max(axis=0)
    return (float(low[0]), float(high[0]), float(low[1]), float(high[1]))


def _area(ring: np.ndarray) -> float:
    x, y = ring[:, 0], ring[:, 1]
    return abs(float(np.dot(x[:-1], y[1:]) - np.dot(x[1:], y[:-1]))) / 2


def _home(boxes: Sequence[Box], areas: Sequence[float]) -> Box:
    """The box of the country's main land: its largest ring, the rings at least
    `LARGE` of its size (Malaysia's two halves), and the rings near those, step by step.
    Areas are weighted by the cosine of latitude, so Alaska is not as large as it looks.
    A ring joined across the 180th meridian is shifted to stay next to the rest, so the
    box's east may pass 180 (Russia's Chukotka, Fiji)."""
    weighted = [
        a * math.cos(math.radians((b[2] + b[3]) / 2)) for a, b in zip(areas, boxes, strict=True)
    ]
    first = max(range(len(boxes)), key=lambda i: weighted[i])
    kept = [boxes[first]]
    rest = [i for i in range(len(boxes)) if i != first]
    for i in [i for i in rest if weighted[i] >= LARGE * weighted[first]]:
        kept.append(_shifted(boxes[i], _nearest(boxes[i], boxes[first])[1]))
        rest.remove(i)
    grew = True
    while grew:
        grew = False
        for i in list(rest):
            gap, shift = min(_nearest(boxes[i], k) for k in kept)
            if gap <= NEAR:
                kept.append(_shifted(boxes[i], shift))
                rest.remove(i)
                grew = True
    return _union(kept)


def _shifted(box: Box, shift: float) -> Box:
    return (box[0] + shift, box[1] + shift, box[2], box[3])


def _nearest(a: Box, b: Box) -> tuple[float, float]:
    """Degrees between two boxes (0 when they touch) the short way round, and the shift
    of `a` (a multiple of 360°) that makes it so."""
    found = []
    for shift in (0.0, -360.0, 360.0):
        dx = max(a[0] + shift - b[1], b[0] - a[1] - shift, 0.0)
        dy = max(a[2] - b[3], b[2] - a[3], 0.0)
        found.append((math.hypot(dx, dy), shift))
    return min(found)


def _gap(a: Box, b: Box) -> float:
    return _nearest(a, b)[0]


def _union(boxes: Iterable[Box]) -> Box:
    listed = list(boxes)
    return (
        min(b[0] for b in listed),
        max(b[1] for b in listed),
        min(b[2] for b in listed),
        max(b[3] for b in listed),
    )


def _overlaps(box: Box, view: View, shift: float) -> bool:
    return (
        box[0] + shift < view.east
        and box[1] + shift > view.west
        and box[2] < view.north
        and box[3] > view.south
    )


def place(code: str) -> Box:
    """Where a country sits for framing: its home box, or its point when the shapes do
    not draw it."""
    home = homes().get(code)
    if home is not None:
        return home
    lon, lat = countries.countries()[code].point
    return (lon, lon, lat, lat)


def focus(with_data: Iterable[str], region: str | None) -> list[Box]:
    """The boxes a view must show: the countries with data, or a region's countries
    (its land, the tiny members near it, and its members with data). An empty list
    means the whole world."""
    data = list(with_data)
    if region is None:
        return [place(c) for c in data]
    members = countries.region_members(region)
    if members is None or countries.normalise(region) == countries.normalise(countries.WORLD):
        return []
    table = countries.countries()
    landed = sorted(c for c in members if table[c].regions[0] != OPEN_OCEAN)
    narrow = _without_wide([place(c) for c in landed if c in homes()])
    tiny = [place(c) for c in landed if c not in homes()]
    near = [b for b in tiny if not narrow or any(_gap(b, n) <= NEAR_TINY for n in narrow)]
    return narrow + near + _without_wide([place(c) for c in data if c in members], narrow)


def _without_wide(boxes: list[Box], others: list[Box] | None = None) -> list[Box]:
    """The boxes but those much wider than the rest together (Russia in Europe)."""
    kept = []
    for i, box in enumerate(boxes):
        rest = others if others is not None else boxes[:i] + boxes[i + 1 :]
        if rest and box[1] - box[0] > WIDE * _span([(b[0], b[1]) for b in rest])[2]:
            continue
        kept.append(box)
    return kept


def _span(intervals: Sequence[tuple[float, float]]) -> tuple[float, float, float]:
    """The shortest arc of longitudes covering every interval: (west, east, width),
    east up to 540 so the arc may cross the 180th meridian."""
    pieces = []
    for west, east in intervals:
        pieces += [(west, min(east, 180.0))] + ([(-180.0, east - 360)] if east > 180 else [])
    merged: list[list[float]] = []
    for west, east in sorted(pieces):
        if merged and west <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], east)
        else:
            merged.append([west, east])
    # The widest gap between covered stretches, the way round included, is left out.
    gaps = [(merged[0][0] + 360 - merged[-1][1], len(merged) - 1)]
    gaps += [(merged[i + 1][0] - merged[i][1], i) for i in range(len(merged) - 1)]
    widest, before = max(gaps)
    if widest <= 1e-9:
        return (-180.0, 180.0, 360.0)
    west = merged[(before + 1) % len(merged)][0]
    east = merged[before][1] + (360 if before + 1 < len(merged) else 0)
    return (west, east, east - west)


def fit(boxes: Sequence[Box], frame: tuple[float, float], south_pole: bool = False) -> View:
    """The view of `boxes`, padded and grown towards the frame's width:height around
    their centre, by at most `GROW` (a map of the Americas in a wide frame does not
    show half of Africa) and never past the world's edges (the poles, or all the way
    round; near a pole it shifts). A view that cannot grow enough leaves the rest of the
    frame empty: :attr:`View.size` is then smaller than `frame`, to be centred in it."""
    bottom = -90.0 if south_pole else WORLD[2]
    if not boxes:
        west, east, south, north = WORLD[0], WORLD[1], bottom, WORLD[3]
    else:
        west, east, _ = _span([(b[0], b[1]) for b in boxes])
        south, north = min(b[2] for b in boxes), max(b[3] for b in boxes)
    middle = (south + north) / 2
    squeeze = math.cos(math.radians(max(-60.0, min(60.0, middle))))
    pad = 1 + 2 * PADDING if boxes else 1.0
    width = max((east - west) * squeeze * pad, MIN_SPAN)
    height = max((north - south) * pad, MIN_SPAN)
    ratio = frame[0] / max(frame[1], 1e-6)
    if width / height < ratio:  # a frame wider than the view: show more east and west
        width = min(height * ratio, width * GROW, 360 * squeeze)
    else:
        height = min(width / ratio, height * GROW, WORLD[3] - bottom)
    south = max(bottom, min(middle - height / 2, WORLD[3] - height))
    half = width / squeeze / 2
    centre = (west + east) / 2
    scale = min(frame[0] / width, frame[1] / height)  # points per degree of latitude
    size = (width * scale, height * scale)
    return View(centre - half, centre + half, south, south + height, squeeze, size)


def rings_in(view: View) -> list[tuple[str, Any]]:
    """(code, ring) of every ring the view shows, shifted by 360° where it shows there."""
    found = []
    for unit in shapes():
        for ring, box in zip(unit.rings, unit.boxes, strict=True):
            for shift in view.shifts(box):
                found.append((unit.code, ring + np.array((shift, 0.0)) if shift else ring))
    return found
