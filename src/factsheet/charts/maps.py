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
from factsheet.charts.geometry import at
from factsheet.charts.plot import Margins, Plot, legend_grid
from factsheet.data.formats import number_text
from factsheet.errors import DataError, LayoutError

if TYPE_CHECKING:  # `check` measures maps without importing matplotlib
    from matplotlib.axes import Axes

NO_DATA = "#E2E4E8"  # a neutral grey, apart from any shade of the brand's colour
OUTSIDE = "#EEEFF2"  # lighter: land around the chart's region, shown for context
DOT = 3.6  # points: the diameter of the dot that marks a small country
TINY = 10.0  # square points: a country whose largest part is smaller than a dot gets one
MIN_MAP_HEIGHT = 30.0  # points left for the map itself under a legend
LEGEND_INSET = 0.2 + 0.4  # text sizes from a legend's anchor to its first swatch (its
# borderaxespad and matplotlib's default borderpad)


def map_classes(plot: Plot, values: dict[str, float]) -> Classes:
    """The classes of a map's values, by its spec (`classes`, `breaks`, `format`)."""
    chart = plot.chart
    if isinstance(chart.breaks, str):
        _apart_in_print(plot, list(values.values()))
    return classify(list(values.values()), chart.classes, chart.breaks, chart.format, plot.fmt)


def _apart_in_print(plot: Plot, values: list[float]) -> None:
    """An error when the format prints the map's different values so alike that it
    has fewer classes than it asks for and the data could fill: 0.1% to 0.49% printed
    "0%" made one class labelled 0% (or legends of "0%–0%")."""
    distinct = sorted(set(values))
    printed = list(dict.fromkeys(plot.fmt(v) for v in distinct))
    if len(printed) >= min(plot.chart.classes, len(distinct)):
        return
    shown = ", ".join(printed[:4])
    raise at(
        DataError(
            f"the map's {len(distinct)} different values, {number_text(distinct[0])} to "
            f"{number_text(distinct[-1])}, print as only {len(printed)} with its format "
            f"({shown}), so its legend could not tell its classes apart",
            hint="give the chart's `format` more `decimals` (or `significant` digits)",
        ),
        "format",
    )


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
    width: float = 0.0  # points the legend's entries take across


@dataclass(frozen=True)
class MapLayout:
    """Where a map goes in its figure, decided before drawing: its legend, its view,
    and the room (points across and down) the view was fitted to, above the legend."""

    legend: MapLegend
    view: mapview.View
    room: tuple[float, float]
    west: float = 0.0  # points from the view's left edge to the westmost land or dot drawn

    @property
    def spare(self) -> tuple[float, float]:
        """Points of the room the view leaves empty across (split either side) and
        down (left below the legend): the view stops at the world's edges, or grows by
        at most `mapview.GROW` to the room's shape."""
        return self.room[0] - self.view.size[0], self.room[1] - self.view.size[1]


def map_layout(plot: Plot) -> MapLayout:
    """The map's legend and view in the plot's figure (raises as :func:`map_legend`)."""
    legend = map_legend(plot)
    values = _values(plot)
    room = (plot.size[0] - 2, plot.size[1] - legend.height - 2)
    view = mapview.fit(mapview.focus(values, plot.chart.region), room, "ATA" in values)
    per_degree = view.size[0] / (view.east - view.west)
    land, dots = _west(view, values)
    west = min((land - view.west) * per_degree, (dots - view.west) * per_degree - DOT / 2 - 0.3)
    return MapLayout(legend, view, room, max(west, 0.0))


def _west(view: mapview.View, values: dict[str, float]) -> tuple[float, float]:
    """The longitudes of the westmost land and of the westmost dot the map draws in
    its view (the view's east edge when there is none). Land is the westmost corner of
    a shape inside the view; a shape that crosses the whole view, with no corner inside,
    reaches its west edge."""
    wests = []
    for unit in mapview.shapes():
        if unit.code == "ATA" and "ATA" not in values:
            continue
        for ring, box in zip(unit.rings, unit.boxes, strict=True):
            for shift in view.shifts(box):
                lons, lats = ring[:, 0] + shift, ring[:, 1]
                inside = (lons >= view.west) & (lons <= view.east)
                inside &= (lats >= view.south) & (lats <= view.north)
                if inside.any():
                    wests.append(float(lons[inside].min()))
                elif box[0] + shift < view.west and box[1] + shift > view.east:
                    wests.append(view.west)
    points = []
    for code in values:
        lon, lat = countries.countries()[code].point
        points += [lon + shift for shift in view.shifts((lon, lon, lat, lat))]
    return min(wests, default=view.east), min(points, default=view.east)


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
    # Read row by row, column c shows entries c, c + columns, ...; 0.9 text sizes apart.
    width = sum(max(entries[c::columns]) for c in range(columns)) + size * 0.9 * (columns - 1)
    return MapLegend(classes, tuple(labels), columns, height, width)


def _values(plot: Plot) -> dict[str, float]:
    return {c: v for c, v in zip(plot.data.categories, plot.data.first, strict=True) if v == v}


def reading_order(items: list[Any], columns: int) -> list[Any]:
    """`items` reordered so that a legend, which fills its columns one after another,
    shows them row by row, as they are read."""
    return [item for c in range(columns) for item in items[c::columns]]


def choropleth(ax: Axes, plot: Plot) -> Margins:
    from matplotlib.collections import PolyCollection

    values = _values(plot)
    layout = map_layout(plot)
    legend, view = layout.legend, layout.view
    classes, labels, columns = legend.classes, list(legend.labels), legend.columns
    colours = shades(plot.look.colour(0), len(classes) if classes else 1)
    shade = {c: colours[classes.of(v)] for c, v in values.items()} if classes else {}
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
    # A view narrower or shorter than its room is centred across, and stays under the
    # title with its legend (the room left is below; the chart block warns about it).
    spare_x, spare_y = layout.spare[0] / 2, layout.spare[1]
    if labels:
        # The legend starts under the map's westmost land, unless that would push it
        # past the figure's right edge.
        start = min(spare_x + layout.west, max(layout.room[0] - legend.width, 0.0))
        start -= LEGEND_INSET * plot.look.font_size  # its swatches, not its box, start there
        _legend(ax, plot, colours, labels, columns, (start - spare_x) / view.size[0])
    return Margins(1 + spare_x, 1 + spare_x, legend.height + 1 + spare_y, 1)


def _legend(
    ax: Any, plot: Plot, colours: list[str], labels: list[str], columns: int, left: float
) -> None:
    """The classes under the map, from `left` (in axes widths: 0 is the map's left
    edge)."""
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
