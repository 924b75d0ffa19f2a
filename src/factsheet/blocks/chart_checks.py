"""A chart block's checks and numbers: the columns it names, an empty selection, the
theme's colours running short, a highlight that matches nothing, value labels left out
of small segments, a percent style on values already in percent, and the formatter its
labels, ticks and alt text print numbers with (in the units the source declares)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from factsheet.blocks.base import BlockContext
from factsheet.charts.colours import ColourShortage
from factsheet.charts.job import LabelFormat
from factsheet.charts.plot import ChartData, category
from factsheet.data import figure_units
from factsheet.data.figures import no_rows_hint
from factsheet.data.formats import NumberLocale, printed_value
from factsheet.data.sources import Table
from factsheet.errors import DataError, ErrorGroup, FactsheetError, SpecError, did_you_mean
from factsheet.location import Location
from factsheet.spec.base import Format, Where
from factsheet.spec.model import Chart
from factsheet.theme import LoadedTheme

if TYPE_CHECKING:
    from factsheet.blocks.chart import Prepared


def check_columns(block: Chart, table: Table, ctx: BlockContext) -> None:
    for key in ("x", "y", "series", "weight"):
        column = getattr(block, key)
        if column is not None and column not in table.types:
            raise table.unknown_column(column).located(Location(key_path=(*ctx.key_path, key)))
    for key, role in (("y", "values"), ("weight", "weight")):
        column = getattr(block, key)
        if column is not None and table.types[column] not in ("number", "integer"):
            error = table.not_numbers(column, f"chart {role} column")
            raise error.located(Location(key_path=(*ctx.key_path, key)))
    if block.weight is not None and block.aggregate != "mean":
        raise SpecError(
            "a `weight` weights a mean",
            Location(key_path=(*ctx.key_path, "weight")),
            hint="add `aggregate: mean`, or remove `weight`",
        )


def no_rows(what: str, table: Table, where: Where, ctx: BlockContext) -> DataError:
    """The error for a block whose filters select nothing, saying why as a figure's
    does: the filters, and the closest value of the one that fails."""
    at = (*ctx.key_path, "where") if where else ctx.key_path
    return DataError(
        f"the {what} selects no rows from {table.display_path}",
        Location(key_path=at),
        hint=no_rows_hint(table, list(where.items()), ctx.templates.render_value),
    )


def inside(error: FactsheetError, ctx: BlockContext) -> FactsheetError:
    """An error the measuring raised with a key path inside the chart, placed at the
    chart's own path."""
    if isinstance(error, ErrorGroup):
        error.errors = [inside(e, ctx) for e in error.errors]
        return error
    inner = error.location.key_path if error.location else ()
    error.location = Location(key_path=(*ctx.key_path, *inner))
    return error


def colour_error(theme: LoadedTheme, shortage: ColourShortage) -> SpecError:
    t = theme.theme
    at = Location(key_path=("highlight",) if shortage.highlight is not None else ("series",))
    if shortage.grey:
        return SpecError(
            f"the theme's highlight colour {t.chart.highlight} ({t.colour(t.chart.highlight)}) "
            "is too close to the light greys a highlight sets the chart's other marks in",
            at,
            hint="give the theme a more saturated or darker `chart.highlight`",
        )
    palette = ", ".join(f"{name} ({t.colour(name)})" for name in t.chart.palette)
    against = ""
    if shortage.highlight is not None:
        against = (
            f" that also stand out from the highlight {t.chart.highlight} ({shortage.highlight})"
        )
    return SpecError(
        f"the theme's chart colours cannot give {shortage.wanted} clearly different "
        f"colours{against}: its palette is {palette}, and only {len(shortage.found)} "
        "of those and the built-in colour-blind-safe ones differ enough",
        at,
        hint="add distinct colours to the theme's `chart.palette`, or chart fewer series",
    )


def unit_of(block: Chart, ctx: BlockContext) -> str | None:
    """The unit the chart's source declares for its values' column (`units`)."""
    return (ctx.units or {}).get(block.source, {}).get(str(block.y))


def whole_of(block: Chart, ctx: BlockContext) -> float | None:
    """A donut printed as percentages shows shares of one whole: 1, or 100 for values
    written as percentages; the parts of any other donut are their own whole."""
    if block.type != "donut" or block.format.style != "percent":
        return None
    return 100.0 if unit_of(block, ctx) == figure_units.PERCENT else 1.0


def formatter(block: Chart, ctx: BlockContext) -> LabelFormat:
    """How the chart's labels print a value, in the units its source declares."""
    return LabelFormat(
        block.format, ctx.locale, figure_units.shift(block.format, unit_of(block, ctx))
    )


def printed_in_units(
    fmt: Format, locale: NumberLocale, power: int, value: float, step: int | None = None
) -> float:
    """The value a chart label printed with `fmt` (in compact `step`, if given) stands
    for (see `Plot.printed`), in the data's units (`power`: see
    :func:`figure_units.shift`)."""
    return float(printed_value(value * 10.0**power, fmt, locale, step).scaleb(-power))


def highlight_warnings(block: Chart, data: ChartData) -> list[str]:
    """A highlight that matches nothing the chart shows would silently highlight nothing."""
    if block.highlight is None:
        return []
    wanted = category(block.highlight)
    if block.type == "sparkline":
        return [f"a sparkline highlights its last point; `highlight: {wanted}` is not used"]
    by_series = not data.single and block.type != "donut"
    names = data.series if by_series else data.categories
    if wanted in names:
        return []
    what = "series" if by_series else "category"
    shown = ", ".join(names[:8]) + (", …" if len(names) > 8 else "")
    suggestion = did_you_mean(wanted, names)
    return [
        f"`highlight: {wanted}` matches no {what} the chart shows ({shown})"
        + (f"; {suggestion}" if suggestion else "")
    ]


def label_warnings(ready: Prepared, ctx: BlockContext) -> list[str]:
    """Stacked segments too small to hold their value label print without it."""
    left_out = [
        f"'{formatted(ready, ctx, value)}' ({ready.data.series[s]}, {ready.data.categories[c]})"
        for s, fits in enumerate(ready.frame.inside)
        for c, (ok, value) in enumerate(zip(fits, ready.data.values[s], strict=True))
        if not ok and value == value
    ]
    if not left_out:
        return []
    return [
        f"{len(left_out)} value labels do not fit inside their bar segments and are left "
        f"out: {', '.join(left_out[:4])}" + (", …" if len(left_out) > 4 else "")
    ]


def unit_warnings(ready: Prepared, ctx: BlockContext) -> list[str]:
    """A percent style on values that look like percentages already (72 as 7,200%)."""
    chart = ready.chart
    values = np.array([v for series in ready.data.values for v in series], dtype=np.float64)
    found = figure_units.column_warning(
        "the chart", str(chart.y), chart.format, unit_of(chart, ctx), values
    )
    return [found] if found else []


def formatted(ready: Prepared, ctx: BlockContext, value: float) -> str:
    return formatter(ready.chart, ctx)(value)
