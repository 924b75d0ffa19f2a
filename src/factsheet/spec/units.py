"""Lengths as a spec writes them (`45mm`, `3.5cm`, `1in`, `12pt`, or a bare number of
points), turned into points, the one unit used everywhere after validation."""

from __future__ import annotations

import re
from typing import Annotated, Any

from pydantic import BeforeValidator, WithJsonSchema

_UNITS = {"pt": 1.0, "mm": 72 / 25.4, "cm": 72 / 2.54, "in": 72.0}
_PATTERN = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(pt|mm|cm|in)?\s*$")


def parse_length(value: Any) -> float:
    """Return a length in points; raise ValueError with a helpful message otherwise."""
    if isinstance(value, bool):
        raise ValueError("a length is a number with a unit, such as 45mm")
    if isinstance(value, int | float):
        points = float(value)
    elif isinstance(value, str) and (match := _PATTERN.match(value)):
        points = float(match.group(1)) * _UNITS[match.group(2) or "pt"]
    else:
        raise ValueError(f"{value!r} is not a length; write it like 45mm, 3.5cm, 1in or 12pt")
    if not 0 <= points <= 2000:
        raise ValueError(f"length {value!r} is out of range (0 to 2000pt)")
    return points


def mm(value: float) -> float:
    return value * _UNITS["mm"]


Dimension = Annotated[
    float,
    BeforeValidator(parse_length),
    WithJsonSchema(
        {
            "anyOf": [
                {"type": "number", "minimum": 0},
                {"type": "string", "pattern": _PATTERN.pattern},
            ],
            "description": "A length: 45mm, 3.5cm, 1in, 12pt, or a number of points.",
        }
    ),
]
