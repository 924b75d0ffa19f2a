"""The choropleth: countries shaded by value on Natural Earth's 1:110m country shapes
(public domain, shipped in `factsheet/maps`). The chart's categories are ISO 3166-1
alpha-3 codes (the chart block resolves names and codes with
:mod:`factsheet.charts.countries` first). Values are grouped into classes
(:mod:`.classes`), shaded from the theme's light tint to its primary colour, countries
without data in a neutral grey, and the classes are explained in a legend under the
map, in as many rows as the width needs. The view (:mod:`.mapview`) covers the data or
the chart's `region`. A country too small to see, or missing from the 1:110m shapes
(Singapore, Malta, small island states), is marked by a dot in its class's shade."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from factsheet.charts import countries, mapview
from factsheet.charts.classes import Classes, classify
from factsheet.charts.plot import Margins, Plot, legend_grid

if TYPE_CHECKING:  # `check` measures maps without importing matplotlib
    from matplotlib.axes import Axes
from factsheet.errors import LayoutError

NO_DATA = "#E2E4E8"  # a neutral grey, apart from any shade of the brand's colour
OUTSIDE = "#EEEFF2"  # lighter: land around the chart's region, shown for context
DOT = 3.6  # points: the diameter of the dot that marks a small country
TINY = 10.0  # square points: a country whose largest part is smaller than a dot gets one
MIN_MAP_HEIGHT = 30.0  # points left for the map itself under a legend


def map_classes(plot: Plot, values: dict[str, float]) -> Classes:
    """The classes of a map's values, by its spec (`classes`, `breaks`, `format`)."""
    chart = plot.chart
    return classify(list(values.values()), chart.classes, chart.breaks, chart.format, plot.fmt)


def shades(base: str, count: int) -> list[str]:
    """`count` shades from a light tint of `base` to `base` itself."""
    if count == 1:
        return [base]
    return [_mix(base, 0.25 + 0.75 * n / (count - 1)) for n in range(count)]


def _mix(colour: str, weight: float) -> str:
    """`colour` mixed with white: weight 1 is the colour itself."""
    red, green, blue = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    mixed = (round(255 - (255 - c) * weight) for c in (red, green, blue))
    return "#" + "".join(f"{c:02X}" for c in mixed)


@dataclass(frozen=True)
class MapLegend:
    """A map's classes, their legend's labels and layout, measured before drawing."""

    classes: Classes | None  # None: no country has a value
    labels: tuple[str, ...]
    columns: int
    height: float  # points the legend takes under the map


def map_legend(plot: Plot) -> MapLegend:
    """The map's classes and its legend under the map, in as few rows as the figure's
    width allows, the rows as evenly filled as they can be, so no entry runs out of the
    frame. Raises a LayoutError when the legend leaves too little room for the map."""
    values = _values(plot)
    classes = map_classes(plot, values) if values else None
    labels = list(classes.labels) if classes else []
    if not labels:
        return MapLegend(classes, (), 1, 0.0)
    size = plot.look.font_size
    entries = [plot.width([label]) + size * (1.2 + 0.4 + 0.9) for label in labels]
    _, rows = legend_grid(entries, plot.size[0] - 2)
    columns = -(-len(entries) // rows)  # 5 entries in 2 rows: 3 and 2, not 4 and 1
    height = rows * size * 1.4 + size * 0.5 + 2
    left = plot.size[1] - height - 2
    if left < MIN_MAP_HEIGHT:
        raise LayoutError(
            f"the map's legend ({height:.0f}pt) leaves {left:.0f}pt for the map",
            hint="raise the chart's height, or use fewer classes",
        )
    return MapLegend(classes, tuple(labels), columns, height)


def _values(plot: Plot) -> dict[str, float]:
    return {c: v for c, v in zip(plot.data.categories, plot.data.first, strict=True) if v == v}


def reading_order(items: list[Any], columns: int) -> list[Any]:
    """`items` reordered so that a legend, which fills its columns one after another,
    shows them row by row, as they are read."""
    return [item for c in range(columns) for item in items[c::columns]]


def choropleth(ax: Axes, plot: Plot) -> Margins:
    from matplotlib.collections import PolyCollection

    values = _values(plot)
    legend = map_legend(plot)
    classes, labels, columns = legend.classes, list(legend.labels), legend.columns
    colours = shades(plot.look.colour(0), len(classes) if classes else 1)
    shade = {c: colours[classes.of(v)] for c, v in values.items()} if classes else {}
    frame = (plot.size[0] - 2, plot.size[1] - legend.height - 2)
    view = mapview.fit(mapview.focus(values, plot.chart.region), frame, "ATA" in values)
    members = countries.region_members(plot.chart.region) if plot.chart.region else None
    rings, faces = [], []
    for code, ring in mapview.rings_in(view):
        if code == "ATA" and code not in values:
            continue  # an empty Antarctica would only fill the bottom of a world map
        rings.append(ring)
        around = members is not None and code not in members
        faces.append(shade.get(code, OUTSIDE if around else NO_DATA))
    ax.add_collection(
        PolyCollection(rings, facecolors=faces, edgecolors="#FFFFFF", linewidths=0.25)
    )
    _dots(ax, view, shade, plot.look.colour(0))
    ax.set_xlim(view.west, view.east)
    ax.set_ylim(view.south, view.north)
    ax.set_aspect(1 / view.squeeze, adjustable="datalim")
    ax.set_axis_off()
    # A view stopped by the world's edges is narrower or shorter than its frame: it is
    # centred across, and stays under the title with its legend (the room left is below).
    spare_x, spare_y = (frame[0] - view.size[0]) / 2, frame[1] - view.size[1]
    if labels:
        _legend(ax, plot, colours, labels, columns, -spare_x / view.size[0])
    return Margins(1 + spare_x, 1 + spare_x, legend.height + 1 + spare_y, 1)


def _legend(
    ax: Any, plot: Plot, colours: list[str], labels: list[str], columns: int, left: float
) -> None:
    """The classes under the map, from the frame's left edge (`left`, in axes widths)."""
    from matplotlib.patches import Patch

    handles = [Patch(facecolor=c, edgecolor="none") for c in colours]
    ax.legend(
        reading_order(handles, columns),
        reading_order(labels, columns),
        loc="upper left",
        bbox_to_anchor=(left, 0.0),
        ncols=columns,
        frameon=False,
        borderaxespad=0.2,
        handlelength=1.2,
        handletextpad=0.4,
        columnspacing=0.9,
        fontsize=plot.look.font_size,
    )


def small(view: mapview.View) -> set[str]:
    """Codes of the countries the map cannot show as shapes: absent from the 1:110m
    shapes, or whose largest part is smaller than `TINY` square points at this scale."""
    scale = view.size[1] / (view.north - view.south)  # points per degree of latitude
    largest: dict[str, float] = {}
    for unit in mapview.shapes():
        largest[unit.code] = max(largest.get(unit.code, 0.0), unit.largest)
    return {
        code
        for code in countries.countries()
        if largest.get(code, 0.0) * view.squeeze * scale**2 < TINY
    }


def _dots(ax: Any, view: mapview.View, shade: dict[str, str], edge: str) -> None:
    """A dot in its class's shade on every country with data that is too small to see."""
    hidden = small(view)
    points = []
    for code in sorted(set(shade) & hidden):
        lon, lat = countries.countries()[code].point
        points += [(lon + shift, lat, shade[code]) for shift in view.shifts((lon, lon, lat, lat))]
    if points:
        ax.scatter(
            [p[0] for p in points],
            [p[1] for p in points],
            s=DOT**2,
            c=[p[2] for p in points],
            edgecolors=edge,
            linewidths=0.6,
            zorder=3,
            clip_on=True,
        )
