"""Pydantic's wording never reaches the user: a sweep puts representative bad values into
every field of every model of the spec (and of the theme), and checks that each error
reads in the spec's terms, with no pydantic phrasing and no Python type names, and that
the sweep met every kind of error pydantic can raise for these models."""

from __future__ import annotations

import datetime as dt
import re
import types
import typing
from pathlib import Path
from typing import Any

import pytest
from pydantic import BaseModel, ValidationError

from factsheet.errors import ErrorGroup, FactsheetError
from factsheet.spec.docs import model_classes
from factsheet.spec.loader import SourceMap
from factsheet.spec.model import Spec
from factsheet.spec.validate import validate
from factsheet.spec.wording import expected, shown
from factsheet.theme_model import Theme

PYDANTIC = re.compile(
    r"Input should|after validation|Value error|Assertion failed|valid dictionary|"
    r"instance of|\btype=|pydantic|\b(tuple|dict|NoneType|str|int|float|bool)\b|"
    r"Extra inputs|Field required|literal_error|union\["
)

BAD: list[Any] = [
    "zz-not-valid",
    "",
    "{{ x }}",
    "2021-13-45",
    12345678901,
    -1,
    0,
    1.5,
    float("inf"),
    True,
    None,
    [],
    [1, "x"],
    {},
    {"zz": 1},
    dt.datetime(2021, 1, 1, 12, 30),
]

# Valid values for fields whose type alone does not say what is valid.
VALID: dict[tuple[str, str], Any] = {
    ("Editions", "matrix"): {"k": ["a"]},
    ("Editions", "output"): "o/{k}.pdf",
    ("FigureSpec", "source"): "s",
    ("FigureSpec", "column"): "c",
    ("Source", "file"): "d.csv",
    ("Summary", "sum"): "c",
    ("Arithmetic", "ratio"): ["a", "b"],
    ("Condition", "min"): 1,
    ("Unpivot", "value"): "v",
    ("Block", "heading"): "x",
    ("Theme", "colours"): {
        c: "#000000" for c in ("primary", "accent", "tint", "text", "muted", "rule", "paper")
    },
}


def sample(model: type[BaseModel]) -> dict[str, Any]:
    """A minimal valid mapping for `model`: its required fields, and a few others."""
    data: dict[str, Any] = {}
    for name, info in model.model_fields.items():
        key = info.alias or name
        if (model.__name__, name) in VALID:
            data[key] = VALID[(model.__name__, name)]
        elif info.is_required():
            data[key] = value_of(info.annotation)
    if model.__name__ == "Block":
        data = {"heading": "x"}
    return data


def value_of(annotation: Any) -> Any:
    origin, args = typing.get_origin(annotation), typing.get_args(annotation)
    if origin is typing.Annotated:
        return "20mm" if "parse_length" in repr(args[1:]) else value_of(args[0])
    if origin is typing.Literal:
        return args[0]
    if origin in (typing.Union, types.UnionType):
        return value_of(next(a for a in args if a is not type(None)))
    if origin in (list, tuple):
        return [value_of(args[0])] * (len(args) if origin is tuple and args[-1] is not ... else 1)
    if origin is dict:
        return {"k": value_of(args[1])}
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return sample(annotation)
    return {str: "x", int: 1, float: 1.0, bool: True}.get(annotation, "x")


def bad_values(annotation: Any, valid: Any) -> list[Any]:
    values = list(BAD)
    if isinstance(valid, list):
        values.append([valid[0]] * 13 if valid else [])  # too long for bounded lists
    return values


def sweep(root: type[BaseModel]) -> tuple[list[str], set[str]]:
    """Every error message the sweep produced, and the pydantic error types it met."""
    messages: list[str] = []
    kinds: set[str] = set()
    source_map = SourceMap(Path("spec.yaml"))
    for model in model_classes(root):
        base = sample(model)
        model.model_validate(base)  # the sample itself is valid
        for name, info in model.model_fields.items():
            key = info.alias or name
            valid = base.get(key, value_of(info.annotation))
            for bad in [*bad_values(info.annotation, valid), {**base}]:
                data = {**base, key: bad}
                if bad == {**base}:
                    data = {**base, "unknown_key": 1}
                try:
                    model.model_validate(data)
                    continue
                except ValidationError as exc:
                    kinds |= {e["type"] for e in exc.errors()}
                with pytest.raises(FactsheetError) as info_:
                    validate(model, data, source_map)
                error = info_.value
                for problem in error.errors if isinstance(error, ErrorGroup) else [error]:
                    messages.append(f"{model.__name__}.{name}={bad!r}: {problem}")
    return messages, kinds


@pytest.mark.parametrize("root", [Spec, Theme])
def test_no_pydantic_wording_reaches_the_user(root: type[BaseModel]) -> None:
    messages, _ = sweep(root)
    assert len(messages) > 500
    leaks = [m for m in messages if PYDANTIC.search(m.split(": ", 1)[1].split("spec.yaml", 1)[-1])]
    assert leaks == []


def test_the_sweep_meets_every_kind_of_error() -> None:
    _, kinds = sweep(Spec)
    assert kinds >= {
        "missing",
        "extra_forbidden",
        "too_short",
        "too_long",
        "int_parsing",
        "int_from_float",
        "int_type",
        "float_parsing",
        "float_type",
        "bool_parsing",
        "bool_type",
        "string_type",
        "dict_type",
        "list_type",
        "tuple_type",
        "model_type",
        "greater_than_equal",
        "less_than_equal",
        "date_from_datetime_parsing",
        "date_from_datetime_inexact",
        "date_type",
        "literal_error",
        "string_pattern_mismatch",
        "value_error",
    }, kinds


@pytest.mark.parametrize(
    ("annotation", "words"),
    [
        (str, "text"),
        (int, "a whole number"),
        (str | int | float | bool, "text, a number or true/false"),
        (dt.date | None, "a date written YYYY-MM-DD"),
        (typing.Literal["a", "b"], "one of 'a' or 'b'"),
        (tuple[str, ...], "a list"),
        (dict[str, str], "a mapping of `name: value` pairs"),
    ],
)
def test_types_in_words(annotation: Any, words: str) -> None:
    assert expected(annotation) == words


def test_values_in_words() -> None:
    assert [shown(v) for v in ("two", "", 3, True, None, [1], {"a": 1})] == [
        "the text 'two'",
        "empty text",
        "the number 3",
        "true",
        "nothing (an empty value)",
        "a list",
        "a mapping",
    ]
