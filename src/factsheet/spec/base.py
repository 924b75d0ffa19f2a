"""Shared pieces of the spec model: the frozen base class every model derives from,
and the small value types (filters, ranges, number formats) that figures, charts and
editions all use."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, model_validator

Scalar = str | int | float | bool

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

    return BeforeValidator(expand)


class Range(Model):
    """An inclusive range filter: rows whose value lies between `min` and `max`."""

    min: float | None = None
    """Lowest value kept."""
    max: float | None = None
    """Highest value kept."""


FilterValue = Scalar | list[Scalar] | Range
Where = dict[str, FilterValue]


class Format(Model):
    """How a number is printed."""

    style: Literal["number", "percent", "compact"] = "number"
    """`number` prints 1,234; `percent` prints a fraction as a percentage (0.72 → 72%);
    `compact` prints 1.2M or 45K."""
    decimals: int = Field(0, ge=0, le=6)
    """Digits after the decimal point. Default: 0. Not together with `significant`."""
    significant: int | None = Field(None, ge=1, le=15)
    """Significant digits instead of a fixed number of decimals: with `significant: 3`,
    1,318,683,096 prints as 1.32B in `compact` style, 1,320,000,000 in `number` style
    and 0.1234 as 12.3% in `percent` style. Counted on the number as printed (after
    scaling to K, M or B, or to a percentage); trailing zeros are kept (1.10B), and
    digits left of the decimal point beyond the significant ones print as zeros (1,234
    with `significant: 2` prints 1,200). Not together with `decimals`."""
    prefix: str = ""
    """Text printed before the number, such as `US$`."""
    suffix: str = ""
    """Text printed after the number, such as ` people`."""
    sign: bool = False
    """Print a `+` before positive numbers (useful for changes)."""

    @model_validator(mode="after")
    def _one_precision(self) -> Format:
        if self.significant is not None and "decimals" in self.model_fields_set:
            raise ValueError(
                "set `decimals` or `significant`, not both: `decimals` fixes the digits "
                "after the decimal point, `significant` the digits that carry meaning"
            )
        return self
