"""Measuring a chart before it is drawn: its margins, value limits and ticks, how its
category labels are set, how thick its bars are, where its annotations go and which
colours tell its marks apart, all from ReportLab's font metrics and the data. The
result (:class:`~factsheet.charts.plot.Frame`) is what matplotlib then draws, so the
picture is known, checked and comparable (charts stacked in a column share their plot's
left edge) without importing matplotlib. Problems a reader would see (labels that
would overlap, a note that would be cut off, a donut of negative numbers) are errors
raised here, with a key path relative to the chart."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from factsheet.charts import colours
from factsheet.charts.checks import check_data
from factsheet.charts.columns import measure_columns
from factsheet.charts.geometry import Extra, at
from factsheet.charts.plot import Frame, Margins, Plot, category
from factsheet.charts.rows import measure_rows
from factsheet.errors import LayoutError

__all__ = ["measure"]


def measure(plot: Plot, align_left: float = 0.0) -> Frame:
    """The chart's frame, with its plot's left edge at least `align_left` points from
    the figure's (to line it up with the charts around it)."""
    check_data(plot)
    kind = _KINDS.get(plot.chart.type)
    if kind is None:  # a map lays itself out; its legend must leave it room
        from factsheet.charts.maps import map_legend

        map_legend(plot)
        return Frame(Margins(1, 1, plot.text_line + 6, 1), accent=plot.look.accent)
    paints, accent, focus = chart_colours(plot)
    floor = (align_left, 0.0)
    for _ in range(6):
        frame, (left, right) = kind(plot, floor)
        if left <= 0.01 and right <= 0.01:
            break
        floor = (frame.margins.left + max(left, 0.0), frame.margins.right + max(right, 0.0))
    return replace(frame, colours=paints, accent=accent, focus=focus)


def chart_colours(plot: Plot) -> tuple[tuple[str, ...], str, int]:
    """One colour per series (several series), or per category (one series), the
    accent and the highlighted mark's index (-1: none). Without a highlight, series take
    the palette's colours in order (the same in every edition) and one series takes the
    first. A highlighted mark takes the theme's highlight colour and every other mark is
    muted, so the highlight is the one coloured mark (see
    :func:`~factsheet.charts.colours.muted`). Raises
    :class:`~factsheet.charts.colours.ColourShortage`."""
    chart, data, look = plot.chart, plot.data, plot.look
    accent = look.accent
    candidates = look.candidates()
    wanted = category(chart.highlight) if chart.highlight is not None else None
    if chart.type in ("map", "sparkline"):
        return (), accent, -1
    several = chart.type == "donut" or not data.single
    names = data.categories if chart.type == "donut" or data.single else data.series
    focus = names.index(wanted) if wanted in names and len(names) > 1 else -1
    if focus < 0:
        if wanted in names:  # the only mark there is
            return (accent,) * len(names), accent, 0
        if several:
            return colours.pick(candidates, len(names)), accent, -1
        return (candidates[0],) * len(names), accent, -1
    # A legend (bars, areas) or a donut's labels must tell the muted marks apart; lines
    # are named at their ends, and one series' categories at their own places.
    apart = several and chart.type != "line"
    own = colours.pick(candidates, len(names)) if apart else ()
    others = colours.muted(
        len(names) - 1,
        look.axis,
        look.paper,
        accent,
        tuple(c for n, c in enumerate(own) if n != focus),
    )
    return (*others[:focus], accent, *others[focus:]), accent, focus


def _donut(plot: Plot, floor: Extra) -> tuple[Frame, Extra]:
    data = plot.data
    labels = [f"{name}  {plot.fmt(v)}" for name, v in zip(data.categories, data.first, strict=True)]
    step = min(0.16, 0.9 / max(len(labels), 1))
    if step * plot.size[1] < plot.line(bold=True):
        raise at(
            LayoutError(
                f"the donut's {len(labels)} labels would overlap at this height",
                hint="show fewer categories with `top`, raise the chart's `height`, or use "
                "`type: hbar`",
            ),
            "height",
        )
    right = plot.width(labels, True) + 12
    if right > plot.size[0] * 0.7:
        raise at(
            LayoutError(
                f"the donut's labels take {right:.0f}pt of the chart's {plot.size[0]:.0f}pt, "
                "leaving too little for the ring",
                hint="shorten the category names, or use `type: hbar`",
            ),
            "x",
        )
    return Frame(Margins(2, right, 2, 2)), (0.0, 0.0)


def _sparkline(plot: Plot, floor: Extra) -> tuple[Frame, Extra]:
    label = plot.fmt(plot.data.first[-1])
    right = plot.width([label], True) + 8 if plot.chart.labels else 3
    return Frame(Margins(2, right, 2, 2)), (0.0, 0.0)


_KINDS: dict[str, Callable[[Plot, Extra], tuple[Frame, Extra]]] = {
    "bar": measure_columns,
    "line": measure_columns,
    "area": measure_columns,
    "hbar": measure_rows,
    "dot": measure_rows,
    "donut": _donut,
    "sparkline": _sparkline,
}
