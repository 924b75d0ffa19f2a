"""Units of figures: a value written as a percentage (72 for 72%, declared with
`unit: percent` on a figure or `units:` on a source's column) against one written as a
fraction (0.72), how each prints in the `percent` and `points` styles, and the warning
for a `percent` figure of a column that looks like percentages already. Also the
relative change, whose base is taken by its size so its sign is its direction."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from factsheet.data import exact
from factsheet.data.filters import NUMERIC
from factsheet.data.formats import NumberLocale, format_number, number_text
from factsheet.data.sources import Table
from factsheet.spec.model import FigureSpec, Format

PERCENT = "percent"


def relative(after: exact.Exact, before: exact.Exact) -> exact.Exact:
    """(after − before) ÷ |before|: from a negative value, relative to its size, so the
    sign is the direction of the change (−10 to −5 is +50%, not −50%)."""
    return exact.divide(exact.CONTEXT.subtract(after, before), abs(before))


def printed(value: exact.Exact, fmt: Format, locale: NumberLocale, unit: str | None = None) -> str:
    """A figure's text; a value written as a percentage (72) is a fraction (0.72) to
    the `percent` and `points` styles."""
    if unit == PERCENT and fmt.style in ("percent", "points"):
        value = value.scaleb(-2)
    return format_number(value, fmt, locale)


def shift(fmt: Format, unit: str | None) -> int:
    """The power of ten a column's values take to print in `fmt`: -2 for values written
    as percentages (its source's `units`) in the `percent` or `points` style, else 0."""
    return -2 if unit == PERCENT and fmt.style in ("percent", "points") else 0


def percent_like(values: np.ndarray) -> tuple[str, str] | None:
    """(lowest, highest) when every value lies between 1 and 100, as percentages do."""
    values = values[~np.isnan(values)]
    if not len(values) or not ((values >= 1) & (values <= 100)).all():
        return None
    return number_text(float(values.min())), number_text(float(values.max()))


def column_warning(
    what: str, column: str, fmt: Format, unit: str | None, values: np.ndarray
) -> str:
    """The warning for a table column or a chart printing `column` in a percent style
    while its values look like percentages already, and no unit says which; or ""."""
    if fmt.style not in ("percent", "points") or unit is not None:
        return ""
    found = percent_like(values)
    if found is None:
        return ""
    return (
        f"{what} prints '{column}' with `style: {fmt.style}`, which reads 0.72 as 72%, but "
        f"every value of '{column}' lies between {found[0]} and {found[1]}, as percentages "
        f"do: if 72 means 72%, add `units: {{{column}: percent}}` to the source, and if 1.2 "
        f"means 120%, `units: {{{column}: fraction}}`; this warning is an error with --strict"
    )


def _keeps_unit(spec: FigureSpec) -> bool:
    """Whether the figure is in its column's unit (a sum of percentages is not a
    fraction), rather than a fraction or a count."""
    fraction = spec.aggregate in ("share", "count", "count_distinct")
    return not fraction and not (spec.aggregate == "change" and spec.relative)


def figure_unit(spec: FigureSpec, units: Mapping[str, str]) -> str | None:
    """The figure's own `unit`, else its column's (declared on the source) when the
    figure keeps its column's unit."""
    if spec.unit is not None:
        return spec.unit
    if spec.column is None or not _keeps_unit(spec):
        return None
    return units.get(spec.column)


def looks_like_percent(name: str, spec: FigureSpec, table: Table) -> tuple[str, ...]:
    """A `percent` figure of a column whose every value lies between 1 and 100 most
    likely prints 72 as 7,200%: a warning naming the way to say so."""
    column = spec.column
    if spec.format.style not in ("percent", "points") or column is None:
        return ()
    if not _keeps_unit(spec) or table.types.get(column) not in NUMERIC:
        return ()
    found = percent_like(table.array(column).astype(float))
    if found is None:
        return ()
    low, high = found
    return (
        f"figure '{name}' prints '{column}' with `style: {spec.format.style}`, which reads "
        f"0.72 as 72%, but every value of '{column}' lies between {low} and {high}, as "
        "percentages do: if 72 means 72%, add `unit: percent` to the figure (or "
        f"`units: {{{column}: percent}}` to the source), and if 1.2 means 120%, "
        "`unit: fraction`; this warning is an error with --strict",
    )
