"""Printing numbers: the per-language conventions (decimal mark, digit grouping,
percent sign, compact suffixes) and :func:`format_number`, which turns a figure into
text according to a spec's :class:`~factsheet.spec.model.Format`. Rounding is decimal
and half away from zero, as readers expect, never binary float rounding."""

from __future__ import annotations

import decimal
import math
from collections.abc import Mapping
from dataclasses import dataclass, replace
from types import MappingProxyType

from factsheet.errors import DataError, SpecError
from factsheet.spec.model import Format

MINUS = "\u2212"
# Enough precision to quantize any finite float (up to ~1.8e308) without overflow.
_CONTEXT = decimal.Context(prec=400, rounding=decimal.ROUND_HALF_UP)


@dataclass(frozen=True)
class NumberLocale:
    """How one language writes numbers."""

    decimal: str = "."
    group: str = ","
    percent: str = "{}%"  # French would be "{}\u202f%"
    compact_suffixes: tuple[str, str, str] = ("K", "M", "B")  # thousand, million, billion
    compact: str = "{}{}"  # number, then suffix; French and Spanish put a space between
    min_grouping: int = 1  # Spanish leaves 4-digit numbers ungrouped: 1000 but 10.000


LOCALES: Mapping[str, NumberLocale] = MappingProxyType(
    {
        "en": NumberLocale(),
        "fr": NumberLocale(
            decimal=",",
            group="\u202f",
            percent="{}\u202f%",
            compact_suffixes=("k", "M", "Md"),
            compact="{}\u202f{}",
        ),
        "es": NumberLocale(
            decimal=",",
            group=".",
            percent="{}\u00a0%",
            compact_suffixes=("mil", "M", "mil M"),
            compact="{}\u00a0{}",
            min_grouping=2,
        ),
    }
)


def locale_for(language: str) -> NumberLocale:
    """The conventions for a BCP 47 tag: ``fr-CA`` uses ``fr``. A language with none
    here is an error, never English conventions in, say, a German factsheet."""
    found = LOCALES.get(language.replace("_", "-").split("-", 1)[0].lower())
    if found is None:
        raise SpecError(
            f"factsheet cannot yet format numbers in '{language}': it knows the decimal "
            f"marks and grouping of {', '.join(sorted(LOCALES))} only",
            hint="set `document.language` to one of them (a block in another language "
            "can say so with its own `language:`)",
        )
    return found


def format_number(value: float, fmt: Format, locale: NumberLocale = LOCALES["en"]) -> str:
    """``value`` printed with ``fmt``: ``1,234``, ``72%``, ``1.2M``, ``+3.5``."""
    number = float(value)
    if math.isnan(number):
        raise DataError("figure is not a number (NaN)")
    if math.isinf(number):
        raise DataError("figure is not a number (infinity)")
    # repr gives the shortest decimal that round-trips, so 0.125 stays 0.125 exactly.
    exact = decimal.Decimal(repr(number))
    precision = _Precision(fmt.decimals, fmt.significant)
    if not fmt.grouping:
        locale = replace(locale, group="")
    if fmt.style == "percent":
        rounded = precision.round(exact * 100)
        body = locale.percent.format(_digits(abs(rounded), locale))
    elif fmt.style == "compact":
        rounded, body = _compact(exact, precision, locale)
    else:
        rounded = precision.round(exact)
        body = _digits(abs(rounded), locale)
    return f"{fmt.prefix}{_sign(rounded, fmt.sign)}{body}{fmt.suffix}"


@dataclass(frozen=True)
class _Precision:
    """Rounding to a fixed number of decimals, or to significant digits."""

    decimals: int
    significant: int | None

    def round(self, value: decimal.Decimal) -> decimal.Decimal:
        if self.significant is None:
            return _round(value, self.decimals)
        if value == 0:
            return _round(value, 0)
        places = self.significant - 1 - value.adjusted()
        rounded = _round(value, places)
        if rounded.adjusted() > value.adjusted():  # 9.996 to 3 digits is 10.0, not 10.00
            rounded = _round(value, places - 1)
        return rounded


def number_text(value: float) -> str:
    """A number as a cell would show it: ``2017`` rather than ``2017.0``."""
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    return repr(value) if isinstance(value, float) else str(value)


def _round(value: decimal.Decimal, decimals: int) -> decimal.Decimal:
    """Half away from zero; a negative `decimals` rounds to tens, hundreds and so on."""
    step = decimal.Decimal(1).scaleb(-decimals)
    rounded = value.quantize(step, context=_CONTEXT)
    # A positive exponent prints as 1.23E+6; keep the digits, exponent 0.
    return rounded.quantize(decimal.Decimal(1), context=_CONTEXT) if decimals < 0 else rounded


def _sign(rounded: decimal.Decimal, explicit: bool) -> str:
    """Decided on the rounded value, so -0.004 printed as 0 gets no minus sign."""
    if rounded < 0:
        return MINUS
    if rounded > 0 and explicit:
        return "+"
    return ""


def _digits(value: decimal.Decimal, locale: NumberLocale) -> str:
    """A non-negative, already rounded value with grouping and the decimal mark."""
    whole, _, fraction = f"{value:f}".partition(".")
    if len(whole) >= 3 + locale.min_grouping:
        groups: list[str] = []
        while len(whole) > 3:
            groups.insert(0, whole[-3:])
            whole = whole[:-3]
        whole = locale.group.join([whole, *groups])
    return f"{whole}{locale.decimal}{fraction}" if fraction else whole


def _compact(
    exact: decimal.Decimal, precision: _Precision, locale: NumberLocale
) -> tuple[decimal.Decimal, str]:
    """Scale to thousands, millions or billions, moving up a step when rounding would
    print 1000 of a unit (999,950 with one decimal is 1.0M, not 1000.0K)."""
    magnitude = abs(exact)
    step = 0
    while step < 3 and magnitude >= decimal.Decimal(1000) ** (step + 1):
        step += 1
    rounded = precision.round(exact.scaleb(-3 * step))
    if step < 3 and abs(rounded) >= 1000:
        step += 1
        rounded = precision.round(exact.scaleb(-3 * step))
    digits = _digits(abs(rounded), locale)
    if step == 0:
        return rounded, digits
    return rounded, locale.compact.format(digits, locale.compact_suffixes[step - 1])
