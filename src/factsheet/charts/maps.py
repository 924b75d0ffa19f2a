"""The choropleth: countries shaded by value, matched by ISO 3166-1 alpha-3 code, on
Natural Earth's 1:110m country shapes (public domain, shipped in `factsheet/maps`). A
few classes from the theme's light tint to its primary colour, countries without data
in the rule colour, and a legend of the classes under the map."""

from __future__ import annotations

import itertools
from functools import lru_cache
from pathlib import Path
from typing import Any

from matplotlib.axes import Axes

from factsheet.charts.plot import Margins, Plot, draw_legend

SHAPES = Path(__file__).resolve().parent.parent / "maps" / "ne_110m_admin_0_countries.shp"
EXTENT = ((-170.0, 180.0), (-57.0, 84.0))  # longitude, latitude: no Antarctica
NO_DATA = "#E2E4E8"  # a neutral grey, apart from any shade of the brand's colour


@lru_cache(maxsize=1)
def countries() -> tuple[tuple[str, tuple[Any, ...]], ...]:
    """(ISO3 code, polygon rings) for every country, read once per process."""
    import numpy as np
    import shapefile

    found = []
    with shapefile.Reader(str(SHAPES)) as reader:
        for shape, record in zip(reader.shapes(), reader.records(), strict=True):
            code = record["ISO_A3"] if record["ISO_A3"] != "-99" else record["ADM0_A3"]
            starts = [*shape.parts, len(shape.points)]
            rings = tuple(np.array(shape.points[a:b]) for a, b in itertools.pairwise(starts))
            found.append((str(code), rings))
    return tuple(found)


def _mix(colour: str, weight: float) -> str:
    """`colour` mixed with white: weight 1 is the colour itself."""
    red, green, blue = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    mixed = (round(255 - (255 - c) * weight) for c in (red, green, blue))
    return "#" + "".join(f"{c:02X}" for c in mixed)


def choropleth(ax: Axes, plot: Plot) -> Margins:
    from matplotlib.collections import PolyCollection
    from matplotlib.patches import Patch

    values = {c: v for c, v in zip(plot.data.categories, plot.data.first, strict=True) if v == v}
    count = plot.chart.classes
    low, high = min(values.values(), default=0.0), max(values.values(), default=1.0)
    step = (high - low) / count or 1.0
    shades = [_mix(plot.look.colour(0), 0.3 + 0.7 * n / (count - 1)) for n in range(count)]
    rings: list[Any] = []
    colours: list[str] = []
    for code, parts in countries():
        value = values.get(code)
        shade = NO_DATA if value is None else shades[min(int((value - low) / step), count - 1)]
        rings += parts
        colours += [shade] * len(parts)
    ax.add_collection(
        PolyCollection(rings, facecolors=colours, edgecolors="#FFFFFF", linewidths=0.25)
    )
    ax.set_xlim(*EXTENT[0])
    ax.set_ylim(*EXTENT[1])
    ax.set_aspect("equal")
    ax.set_axis_off()
    labels = [f"{plot.fmt(low + step * n)}–{plot.fmt(low + step * (n + 1))}" for n in range(count)]
    handles = [Patch(facecolor=shade, edgecolor="none") for shade in shades]
    draw_legend(ax, plot, handles, labels, count, above=False)
    return Margins(1, 1, plot.text_line + 6, 1)
