"""Shared pieces of the spec model: the frozen base class every model derives from,
and the small value types (filters, ranges, number formats) that figures, charts and
editions all use."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidatorFunctionWrapHandler,
    WrapValidator,
    model_validator,
)


def _as_written(value: Any, handler: ValidatorFunctionWrapHandler) -> Any:
    """A YAML number keeps the text it was written as (`007`, `1.10`), so a filter on a
    text column matches that text; it still is the number everywhere else."""
    checked = handler(value)
    return value if getattr(value, "raw", None) is not None and checked == value else checked


Scalar = (
    str
    | Annotated[int, WrapValidator(_as_written)]
    | Annotated[float, WrapValidator(_as_written)]
    | bool
)

Reducer = Literal[
    "sum", "mean", "median", "min", "max", "count", "count_distinct", "first", "quantile"
]
"""How several rows become one value (see :mod:`factsheet.data.aggregate`)."""


class Model(BaseModel):
    """Shared configuration: frozen, unknown keys refused, aliases or names accepted.

    Field docstrings are not read here (pydantic's `use_attribute_docstrings` costs every
    start-up ~100 ms); `factsheet.spec.docs` reads them for the JSON Schema and the docs."""

    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=True)

    @model_validator(mode="before")
    @classmethod
    def _numbers_as_written(cls, data: Any) -> Any:
        """A number written where text is expected keeps its text exactly (`1.10`)."""
        if not isinstance(data, dict):
            return data
        fixed = dict(data)
        for name, info in cls.model_fields.items():
            key = info.alias or name
            raw = getattr(fixed.get(key), "raw", None)
            if raw is not None and info.annotation in (str, str | None):
                fixed[key] = raw
        return fixed


def shorthand(field: str) -> Any:
    """Accept ``kind: "text"`` as shorthand for ``kind: {field: "text"}``."""

    def expand(value: Any) -> Any:
        return {field: value} if isinstance(value, str | int | float) else value

    expand.shorthand = field  # type: ignore[attr-defined]  # read by shorthand_of
    return BeforeValidator(expand)


def shorthand_of(annotation: Any, metadata: Sequence[Any] = ()) -> str | None:
    """The field a value written in short form stands for, if a field's type (with
    :func:`shorthand` in an `Annotated` at any depth, or in the field's `metadata`)
    accepts one."""
    for extra in (*metadata, *getattr(annotation, "__metadata__", ())):
        field = getattr(getattr(extra, "func", None), "shorthand", None)
        if isinstance(field, str):
            return field
    for arg in getattr(annotation, "__args__", ()):
        field = shorthand_of(arg)
        if field is not None:
            return field
    return None


class Condition(Model):
    """A filter written as a mapping: a range (`{min: 1, max: 9}`), an exclusion
    (`{not: Global}` or `{not: [World, Global]}`), a test for empty cells
    (`{empty: false}`), or several of them. Every part must hold."""

    min: float | None = None
    """Lowest value kept (numbers only; an empty cell is never kept)."""
    max: float | None = None
    """Highest value kept (numbers only; an empty cell is never kept)."""
    not_: Scalar | list[Scalar] | None = Field(None, alias="not")
    """A value, or a list of values, whose rows are left out. Compared as equality
    filters compare; an empty cell equals no value, so it is kept."""
    empty: bool | None = None
    """`false` keeps only the rows whose cell is filled in (leaving out those with an
    empty cell, such as a year with no data); `true` keeps only the rows whose cell is
    empty. Works on every column: an empty text cell is one with nothing written in it."""

    @model_validator(mode="after")
    def _not_empty(self) -> Condition:
        if self.min is None and self.max is None and self.not_ is None and self.empty is None:
            raise ValueError("a filter mapping needs `min`, `max`, `not` or `empty`")
        if isinstance(self.not_, list) and not self.not_:
            raise ValueError("`not` needs at least one value")
        if self.empty and (self.min is not None or self.max is not None):
            raise ValueError(
                "`empty: true` keeps only empty cells, and `min` and `max` never keep an "
                "empty cell, so no row could match: write one or the other"
            )
        return self

    @property
    def ranged(self) -> bool:
        """Whether the condition has a bound (`min` or `max`)."""
        return self.min is not None or self.max is not None

    @property
    def excluded(self) -> list[Scalar]:
        """The values `not` leaves out, as a list."""
        if self.not_ is None:
            return []
        return self.not_ if isinstance(self.not_, list) else [self.not_]


Range = Condition  # the name before `not` existed

FilterValue = Scalar | list[Scalar] | Condition
Where = dict[str, FilterValue]


class Format(Model):
    """How a number is printed. Decimal marks, digit grouping, the percent sign and the
    compact and currency forms are the document language's own, from the Unicode
    CLDR: `1,234.5` in English, `1 234,5` in French, `1234,5` but `12.345,6` in
    Spanish, `72 %` (with a no-break space) in French and Spanish."""

    style: Literal["number", "percent", "points", "compact", "currency"] = "number"
    """`number` prints 1,234; `percent` prints a fraction as a percentage (0.72 → 72%);
    `points` prints a difference of two fractions in percentage points (0.05 → 5 pp:
    a share going from 67% to 72% rose 5 points, which is a 7.5% rise), with the
    language's abbreviation (5 pp, 5 pt in French, 5 p. p. in Spanish); `compact`
    prints 1.2M or 45K (in French 1,2 M and 45 k, in Chinese 1.2万 for 12,000: each
    language's own short forms); `currency` prints an amount of the `currency` in the
    language's currency form ($1,234.50 in English, 1 234,50 $US in French). For
    values already written as percentages (72 for 72%), say so with `unit: percent`
    on the figure or the source's column."""
    currency: str | None = Field(None, pattern=r"^[A-Z]{3}$")
    """For `style: currency`: the currency's ISO 4217 code, such as `USD`, `EUR` or
    `CHF`. Its symbol and place come from the document language (`$` before the
    number in English, `$US` after it in French). Unless you set `decimals` or
    `significant`, amounts have the currency's usual decimals (2 for USD, 0 for JPY)."""
    decimals: int = Field(0, ge=0, le=6)
    """Digits after the decimal point. Not together with `significant`. Without
    `decimals` or `significant`, a number is never printed as something it is not:
    whole numbers print whole, numbers from 10 on with no decimals (1,235 for
    1,234.5) and smaller ones with at most two significant digits (3.7, 0.72, 0.3,
    0.0035), so 0.3 never prints as 0. This is counted on the number as printed: 0.72 prints 72% and
    0.045 prints 4.5% in `percent` style, 1,500 prints 1.5K and 45,300 prints 45K in
    `compact` style. Rounding is decimal, half away from zero (0.125 → 0.13)."""
    significant: int | None = Field(None, ge=1, le=15)
    """Significant digits instead of a fixed number of decimals: with `significant: 3`,
    1,318,683,096 prints as 1.32B in `compact` style, 1,320,000,000 in `number` style
    and 0.1234 as 12.3% in `percent` style. Counted on the number as printed (after
    scaling to K, M or B, or to a percentage); trailing zeros are kept (1.10B), and
    digits left of the decimal point beyond the significant ones print as zeros (1,234
    with `significant: 2` prints 1,200). Not together with `decimals`."""
    prefix: str = ""
    """Text printed before the number, such as `US$`. A minus or plus sign goes before
    it: −US$12.50."""
    suffix: str = ""
    """Text printed after the number, such as ` people`. With `style: points` it
    replaces the language's abbreviation of percentage points."""
    sign: bool = False
    """Print a `+` before positive numbers (useful for changes)."""
    grouping: bool = True
    """Group the digits in thousands (1,234). Turn it off for years and codes, which
    are numbers but read as names: `2008`, not `2,008`."""

    @model_validator(mode="after")
    def _one_precision(self) -> Format:
        if self.significant is not None and "decimals" in self.model_fields_set:
            raise ValueError(
                "set `decimals` or `significant`, not both: `decimals` fixes the digits "
                "after the decimal point, `significant` the digits that carry meaning"
            )
        if (self.style == "currency") != (self.currency is not None):
            raise ValueError(
                "`style: currency` and `currency` go together: write both, as in "
                "`format: {style: currency, currency: USD}`"
            )
        if self.currency is not None:
            _known_currency(self.currency)
        return self


def _known_currency(code: str) -> None:
    from babel.numbers import is_currency, list_currencies

    if not is_currency(code):
        from factsheet.errors import did_you_mean

        near = did_you_mean(code, sorted(list_currencies()))
        raise ValueError(f"'{code}' is not an ISO 4217 currency code{f' ({near})' if near else ''}")
