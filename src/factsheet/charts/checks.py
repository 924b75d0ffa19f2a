"""What a chart refuses to draw, because the picture would be wrong: a donut or a
stack of negative values, a stacked area with a missing row, a second series a
one-series kind would drop, an annotation pointing at no category. Every problem found
is reported at once, located inside the chart."""

from __future__ import annotations

from factsheet.charts.geometry import at, column_values
from factsheet.charts.plot import Plot, category
from factsheet.data.formats import number_text
from factsheet.errors import DataError, ErrorGroup, FactsheetError, did_you_mean

ANNOTATED = ("bar", "hbar", "dot", "line", "area")
ONE_SERIES = ("donut", "dot", "sparkline", "map")


def check_data(plot: Plot) -> None:
    """Errors for data the chart's kind would misdraw; every one found is reported."""
    checks = (_one_series, _negative, _empty_donut, _over_whole, _area_gaps, annotation_problems)
    problems = [problem for check in checks for problem in check(plot)]
    if len(problems) == 1:
        raise problems[0]
    if problems:
        raise ErrorGroup(problems)


def _one_series(plot: Plot) -> list[FactsheetError]:
    chart, data = plot.chart, plot.data
    if chart.type not in ONE_SERIES or data.single:
        return []
    names = ", ".join(data.series[:4]) + (", …" if len(data.series) > 4 else "")
    many = DataError(
        f"a {chart.type} chart shows one series, but '{chart.series}' names "
        f"{len(data.series)} ({names})",
        hint="remove `series`, or keep one with `where`",
    )
    return [at(many, "series")]


def _negative(plot: Plot) -> list[FactsheetError]:
    """Shares of a whole and stacks need values of zero or more."""
    chart, data = plot.chart, plot.data
    stacks = chart.type == "area" or (chart.stacked and chart.type in ("bar", "hbar"))
    if not (stacks or chart.type == "donut"):
        return []
    for row in data.values:
        for name, value in zip(data.categories, row, strict=True):
            if value == value and value < 0:
                what = "a donut shows shares of a whole" if chart.type == "donut" else ""
                below = DataError(
                    f"{what or 'stacked marks add up'}, but {chart.x} '{name}' is "
                    f"{number_text(value)}",
                    hint="chart negative values as bars or a line, or filter them out",
                )
                return [at(below, "y")]
    return []


def _empty_donut(plot: Plot) -> list[FactsheetError]:
    values = plot.data.present()
    if plot.chart.type != "donut" or not values or sum(values) != 0 or min(values) < 0:
        return []
    return [at(DataError("the donut's values add up to 0: it has nothing to show"), "y")]


def _over_whole(plot: Plot) -> list[FactsheetError]:
    """A donut of shares whose shares add up to more than the whole cannot be drawn
    true: its ring would shrink every share to fit."""
    values = plot.data.present()
    if plot.whole is None or plot.chart.type != "donut" or sum(values) <= plot.whole * 1.005:
        return []
    total = plot.fmt(sum(values))
    return [
        at(
            DataError(
                f"the donut's shares add up to {total}, more than the whole ring (100%): "
                "they are not parts of one whole",
                hint="chart shares of one whole (they add up to 100% at most), or show "
                "them as bars",
            ),
            "y",
        )
    ]


def _area_gaps(plot: Plot) -> list[FactsheetError]:
    """A stacked area needs every series at every point: a gap would read as zero."""
    chart, data = plot.chart, plot.data
    if chart.type != "area" or data.single:
        return []
    for name, row in zip(data.series, data.values, strict=True):
        gaps = [c for c, v in zip(data.categories, row, strict=True) if v != v]
        if gaps:
            missing = DataError(
                f"series '{name}' has no row for {chart.x} {gaps[0]}, and an area chart "
                "stacks every series at every point",
                hint="add the missing rows, or chart the series as lines",
            )
            return [at(missing, "series")]
    return []


def annotation_problems(plot: Plot) -> list[FactsheetError]:
    """Every annotation points at a category the chart shows and that has a value."""
    chart, data = plot.chart, plot.data
    if not chart.annotations:
        return []
    if chart.type not in ANNOTATED:
        refused = DataError(
            f"a {chart.type} chart cannot show annotations",
            hint="annotations work on bar, hbar, dot, line and area charts; put the remark "
            "in the chart's `note`",
        )
        return [at(refused, "annotations")]
    found: list[FactsheetError] = []
    for n, note in enumerate(chart.annotations):
        wanted = category(note.at)
        if wanted not in data.categories:
            found.append(at(_unknown_category(plot, wanted), "annotations", n, "at"))
        elif not any(v == v for v in column_values(plot, data.categories.index(wanted))):
            empty = DataError(f"the annotation points at {chart.x} '{wanted}', which has no value")
            found.append(at(empty, "annotations", n, "at"))
    return found


def _unknown_category(plot: Plot, wanted: str) -> DataError:
    chart, categories = plot.chart, plot.data.categories
    shown = ", ".join(categories[:8]) + (", …" if len(categories) > 8 else "")
    cut = f" (`top: {chart.top}` keeps the first {chart.top})" if chart.top else ""
    return DataError(
        f"the annotation points at {chart.x} '{wanted}', which is not among the chart's "
        f"categories{cut}: {shown}",
        hint=did_you_mean(wanted, categories) or "`at` names one of the categories",
    )
