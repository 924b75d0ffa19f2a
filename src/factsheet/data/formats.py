"""Printing numbers: :class:`NumberLocale` (one language's conventions, from CLDR through
Babel: decimal mark, digit grouping, percent, compact and currency forms, Latin or
native digits; see :mod:`factsheet.data.cldr`) and :func:`format_number`, which turns a
figure into text according to a spec's :class:`~factsheet.spec.model.Format`. Every
number printed in a factsheet (figures, key figures, chart ticks and value labels,
table cells) goes through :func:`format_number`. Rounding is the project's own, done
before the language's pattern is applied: decimal and half away from zero, as readers
expect, never binary float rounding and never Babel's."""

from __future__ import annotations

import bisect
import datetime as dt
import decimal
import math
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache

from factsheet.data import cldr
from factsheet.data.cldr import MINUS, DateForm, Digits
from factsheet.errors import DataError, SpecError
from factsheet.language import language
from factsheet.spec.model import Format

__all__ = [
    "MINUS",
    "NumberLocale",
    "compact_step",
    "format_number",
    "locale_for",
    "number_text",
    "points_unit",
]

# Enough precision to quantize any finite float (up to ~1.8e308) without overflow.
_CONTEXT = decimal.Context(prec=400, rounding=decimal.ROUND_HALF_UP)


@dataclass(frozen=True)
class NumberLocale:
    """How one language writes numbers and dates: its Babel locale and the numbering
    system its digits come from (`latn`, or `arab` for Arabic-Indic digits)."""

    tag: str
    identifier: str  # Babel's: fr_CA
    system: str = "latn"

    @property
    def symbols(self) -> cldr.Symbols:
        return cldr.symbols(self.identifier, self.system)

    @property
    def min_grouping(self) -> int:
        """Digits a number needs beyond one group before it is grouped (Spanish: 2)."""
        return 2 if self.identifier in cldr.MIN_GROUPING_TWO else 1

    def date(self, day: dt.date, form: DateForm = "long") -> str:
        """A date in this language: `December 15, 2021`, `15 décembre 2021`."""
        return cldr.format_date(day, self.identifier, form, self.system)


@cache
def locale_for(tag: str, digits: Digits = "latin") -> NumberLocale:
    """The conventions for a BCP 47 tag (`fr-CA` has its own). A language Babel does
    not know raises a bare SpecError (the caller locates it at `document.language`),
    never English conventions in, say, an unknown language. `native` digits for a
    language whose native digits are Latin (English, French) are Latin digits."""
    identifier = language(tag).locale
    return NumberLocale(tag, identifier, cldr.numbering_system(identifier, digits))


def format_number(
    value: float | decimal.Decimal,
    fmt: Format,
    locale: NumberLocale | None = None,
    step: int | None = None,
) -> str:
    """``value`` printed with ``fmt``: ``1,234``, ``72%``, ``1.2M``, ``+3.5``, ``$4.50``,
    ``+5 pp``. A float is taken as its shortest repr (0.125 stays 0.125 exactly); a
    :class:`~decimal.Decimal` (a figure worked out in decimal) as it is. A compact
    number is written in its own step (800, 1.6K), or in `step` (see
    :func:`compact_step`) when one is given: an axis reads 0.8K, 1.6K."""
    locale = locale or locale_for("en")
    exact = _exact(value)
    precision = _precision(fmt)
    writer = _writer(locale, fmt.grouping)
    if fmt.style == "compact":
        rounded, text = _compact(exact, precision, writer, fmt.sign, step)
    else:
        kind = _KINDS.get(fmt.style, fmt.style)
        scaled = exact.scaleb(2) if fmt.style in ("percent", "points") else exact
        rounded = precision.round(scaled)
        pattern = cldr.pattern(locale.identifier, kind, fmt.currency)
        text = writer.write(rounded, pattern, fmt.sign, locale.min_grouping)
    if fmt.style == "points":
        return _points(text, fmt, locale)
    return _affixed(text, fmt, writer.symbols)


_KINDS = {"number": "decimal", "points": "decimal"}


def _exact(value: float | decimal.Decimal) -> decimal.Decimal:
    if isinstance(value, decimal.Decimal):
        if not value.is_finite():
            raise DataError(f"figure is not a number ({'NaN' if value.is_nan() else 'infinity'})")
        return value
    number = float(value)
    if math.isnan(number):
        raise DataError("figure is not a number (NaN)")
    if math.isinf(number):
        raise DataError("figure is not a number (infinity)")
    # repr gives the shortest decimal that round-trips, so 0.125 stays 0.125 exactly.
    return decimal.Decimal(repr(number))


def _affixed(text: str, fmt: Format, symbols: cldr.Symbols) -> str:
    """`prefix` and `suffix` around the number. A sign the language writes first goes
    before a currency prefix, as spreadsheets print it: −US$12.50, never US$−12.50
    (other prefixes, such as a bracket, keep it: (+12))."""
    if _is_money(fmt.prefix) and text[:1] in (symbols.minus, symbols.plus):
        return f"{text[0]}{fmt.prefix}{text[1:]}{fmt.suffix}"
    return f"{fmt.prefix}{text}{fmt.suffix}"


@cache
def _is_money(prefix: str) -> bool:
    """A prefix naming a currency: a currency sign ($, €, US$) or an ISO code (CHF)."""
    import re
    import unicodedata

    if any(unicodedata.category(char) == "Sc" for char in prefix):
        return True
    return re.fullmatch(r"[A-Z]{3}\s?", prefix) is not None


def _points(text: str, fmt: Format, locale: NumberLocale) -> str:
    """A difference of two percentages, in percentage points: `+5 pp`, `+5 pt`,
    `+5 p. p.`. A `suffix` replaces the language's abbreviation."""
    if "suffix" in fmt.model_fields_set:
        return f"{fmt.prefix}{text}{fmt.suffix}"
    unit = points_unit(locale.tag)
    if unit is None:
        raise SpecError(
            f"factsheet does not know how '{locale.tag}' abbreviates percentage points",
            hint="write the unit with `suffix`, as in `format: {style: points, suffix: "
            "' pp'}` (with a no-break space before it)",
        )
    return f"{fmt.prefix}{text}{unit}"


# How each language abbreviates "percentage points" after a number, its space a no-break
# space (CLDR has no such unit): pp (English), pt (French, as INSEE writes it), p. p.
# (Spanish, as the RAE writes it), п. п. (Russian), 个百分点 (Chinese), نقطة مئوية
# (Arabic, which has no abbreviation), Pp. (German), p.p. (Portuguese, Italian).
POINTS = {
    "en": "\u00a0pp",
    "fr": "\u00a0pt",
    "es": "\u00a0p.\u00a0p.",
    "ru": "\u00a0п.\u00a0п.",
    "zh": "个百分点",
    "ar": "\u00a0نقطة\u00a0مئوية",
    "de": "\u00a0Pp.",
    "pt": "\u00a0p.p.",
    "it": "\u00a0p.p.",
}


def points_unit(tag: str) -> str | None:
    """The percentage-point abbreviation of a BCP 47 tag's language, if factsheet knows it."""
    return POINTS.get(tag.split("-")[0].lower())


def _precision(fmt: Format) -> _Precision:
    """A currency without `decimals` or `significant` has its own digits (USD: 2); any
    other number without them has the default precision (see :class:`_Precision`)."""
    chosen = {"decimals", "significant"} & fmt.model_fields_set
    if not chosen and fmt.style == "currency" and fmt.currency:
        from babel.numbers import get_currency_precision

        return _Precision(get_currency_precision(fmt.currency), None)
    if not chosen:
        return _AUTO
    return _Precision(fmt.decimals, fmt.significant)


@dataclass(frozen=True)
class _Precision:
    """Rounding to a fixed number of decimals, or to significant digits. The default
    (`auto`) never prints a number as something it is not: a whole number prints
    whole, a number from 10 on with no decimals (1,235 for 1,234.5), a smaller one with
    at most two significant digits (3.7, 0.72, 0.0035; 72% for 0.72, 4.5% for 0.045), so 0.3
    never prints as 0 nor 0.72 as 1. Counted on the number as printed (after scaling to
    a percentage, or to K, M or B). Trailing zeros are dropped: 0.3, not 0.30."""

    decimals: int
    significant: int | None
    auto: bool = False

    def round(self, value: decimal.Decimal) -> decimal.Decimal:
        if self.auto:
            if value == value.to_integral_value() or abs(value) >= 10:
                return _round(value, 0)
            rounded = _Precision(0, 2).round(value)  # 0.3 is 0.3, not 0.30
            return _round(rounded, max(0, -rounded.normalize().as_tuple().exponent))  # type: ignore[operator]
        if self.significant is None:
            return _round(value, self.decimals)
        if value == 0:
            return _round(value, 0)
        places = self.significant - 1 - value.adjusted()
        rounded = _round(value, places)
        if rounded.adjusted() > value.adjusted():  # 9.996 to 3 digits is 10.0, not 10.00
            rounded = _round(value, places - 1)
        return rounded


_AUTO = _Precision(0, None, auto=True)


def number_text(value: float) -> str:
    """A number as a cell would show it: ``2017`` rather than ``2017.0``. For messages
    and data matching, never for the page: it is not in the document's language."""
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    return repr(value) if isinstance(value, float) else str(value)


def _round(value: decimal.Decimal, decimals: int) -> decimal.Decimal:
    """Half away from zero; a negative `decimals` rounds to tens, hundreds and so on."""
    step = decimal.Decimal(1).scaleb(-decimals)
    rounded = value.quantize(step, context=_CONTEXT)
    # A positive exponent prints as 1.23E+6; keep the digits, exponent 0.
    return rounded.quantize(decimal.Decimal(1), context=_CONTEXT) if decimals < 0 else rounded


@cache
def _writer(locale: NumberLocale, grouping: bool) -> _Writer:
    return _Writer(locale, grouping)


class _Writer:
    """Writes an already rounded number in one language's pattern and symbols."""

    def __init__(self, locale: NumberLocale, grouping: bool) -> None:
        self.locale = locale
        self.symbols = locale.symbols
        self.grouping = grouping
        self._digits = str.maketrans(cldr.LATIN_DIGITS, self.symbols.digits)

    def write(
        self, rounded: decimal.Decimal, pattern: cldr.Pattern, plus: bool, min_grouping: int
    ) -> str:
        """The sign is decided on the rounded value, so -0.004 printed as 0 gets no
        minus sign; it takes the place of `-` in the pattern's negative form."""
        body = self.digits(abs(rounded), pattern.grouping, min_grouping)
        if rounded < 0:
            prefix, suffix = pattern.affixes.negative
            sign = self.symbols.minus
        elif rounded > 0 and plus:
            prefix, suffix = pattern.affixes.negative
            sign = self.symbols.plus
        else:
            (prefix, suffix), sign = pattern.affixes.positive, ""
        text = f"{prefix}{body}{suffix}".replace("\ue001", sign)
        return text.replace("\ue000", self.symbols.percent)

    def digits(self, value: decimal.Decimal, grouping: tuple[int, int], min_grouping: int) -> str:
        """A non-negative, already rounded value with grouping and the decimal mark."""
        whole, _, fraction = f"{value:f}".partition(".")
        primary, secondary = grouping
        if self.grouping and len(whole) >= primary + min_grouping:
            groups = [whole[-primary:]]
            whole = whole[:-primary]
            while len(whole) > secondary:
                groups.insert(0, whole[-secondary:])
                whole = whole[:-secondary]
            whole = self.symbols.group.join([whole, *groups])
        text = f"{whole}{self.symbols.decimal}{fraction}" if fraction else whole
        return text.translate(self._digits)


def _compact(
    exact: decimal.Decimal,
    precision: _Precision,
    writer: _Writer,
    plus: bool,
    forced: int | None = None,
) -> tuple[decimal.Decimal, str]:
    """The language's short compact form (`1.2M`, `1,2 M`, `123万`), moving up a step
    when rounding would reach the next one (999,950 with one decimal is 1.0M, not
    1000.0K), or in step `forced` when given (zero is 0 in any step). Compact numbers
    group from five digits on, as ICU does."""
    locale = writer.locale
    steps = cldr.compact_steps(locale.identifier)
    rounded, index = _compact_step(exact, precision, locale, forced)
    if index < 0:
        decimal_pattern = cldr.pattern(locale.identifier, "decimal")
        return rounded, writer.write(rounded, decimal_pattern, plus, locale.min_grouping)
    step = steps[index]
    form = "1" if rounded == 1 and "1" in step.forms else "other"
    if form == "other" and not step.uniform:  # plural rules are slow: only if they matter
        plural = cldr.plural_form(locale.identifier, abs(rounded).normalize())
        form = plural if plural in step.forms else "other"
    return rounded, writer.write(rounded, step.forms[form], plus, max(2, locale.min_grouping))


def _compact_step(
    exact: decimal.Decimal, precision: _Precision, locale: NumberLocale, step: int | None = None
) -> tuple[decimal.Decimal, int]:
    """The value in its compact step, rounded, and the step's index (-1: below the
    first step); a value that rounds up to the next step moves to it. With `step`, the
    value in that step (zero below every step)."""
    steps = cldr.compact_steps(locale.identifier)
    if step is not None:
        index = step if exact != 0 else -1
        return _scaled(exact, precision, steps, index), index
    index = bisect.bisect_right(cldr.compact_magnitudes(locale.identifier), abs(exact)) - 1
    rounded = _scaled(exact, precision, steps, index)
    divisor = steps[index].divisor if index >= 0 else 1
    if index + 1 < len(steps) and abs(rounded) * divisor >= steps[index + 1].magnitude:
        index += 1
        rounded = _scaled(exact, precision, steps, index)
    return rounded, index


def _scaled(
    exact: decimal.Decimal,
    precision: _Precision,
    steps: tuple[cldr.CompactStep, ...],
    index: int,
) -> decimal.Decimal:
    divisor = steps[index].divisor if index >= 0 else 1  # a power of ten
    return precision.round(exact.scaleb(1 - len(str(divisor))))


def compact_step(
    values: Iterable[float | decimal.Decimal], fmt: Format, locale: NumberLocale | None = None
) -> int | None:
    """The compact step the largest of `values` is written in, for writing all of them
    in it (an axis's ticks: 0, 0.8K, 1.6K rather than 0, 800, 1.6K); None when `fmt` is
    not compact or that value is below the first step."""
    if fmt.style != "compact":
        return None
    locale = locale or locale_for("en")
    largest = max((abs(_exact(v)) for v in values), default=decimal.Decimal(0))
    index = _compact_step(largest, _precision(fmt), locale)[1]
    return index if index >= 0 else None


def printed_value(
    value: float, fmt: Format, locale: NumberLocale | None = None, step: int | None = None
) -> decimal.Decimal:
    """The number ``format_number(value, fmt, locale, step)`` stands for, in the data's
    own units: 1.5 printed "2" with no decimals is 2, 1,600 printed "2K" is 2000. A
    chart asks so that no tick label reads a value its tick is not at."""
    locale = locale or locale_for("en")
    exact = decimal.Decimal(repr(float(value)))
    precision = _precision(fmt)
    if fmt.style == "percent":
        return precision.round(exact * 100).scaleb(-2)
    if fmt.style != "compact":
        return precision.round(exact)
    rounded, index = _compact_step(exact, precision, locale, step)
    steps = cldr.compact_steps(locale.identifier)
    return rounded * (steps[index].divisor if index >= 0 else 1)
