"""Pydantic's validation errors said in the spec's terms. Pydantic words its errors for
Python programmers (`Input should be a valid integer`, `tuple should have at least 1
item after validation`); a spec's author reads `` `pages` must be a whole number; got
the text 'two' `` or `` `blocks` needs at least one block ``. Every error type the
model can produce has a wording here, and any other falls back to one built from the
field's declared type, so pydantic's own phrasing never reaches the user. Errors that
pydantic reports once per branch of a union (`str`, `int`, `Range`, …) are merged into
one, at the user's key path."""

from __future__ import annotations

import datetime as dt
import json
import re
import types
import typing
from collections.abc import Sequence
from typing import Any

from pydantic import BaseModel
from pydantic_core import ErrorDetails

from factsheet.errors import SpecError, did_you_mean
from factsheet.location import KeyPath, format_key_path
from factsheet.spec.loader import SourceMap
from factsheet.spec.templates import PER_EDITION, Rule, is_template, rule_for, rules

# Lengths are points inside; their limits are told in millimetres, as users write them.
LENGTHS = {"height", "width"}

# What a value that fails a field's pattern should look like, in the user's terms.
PATTERN_MESSAGES = {
    "output": ("is not a PDF file name", "end the path in .pdf"),
    "email": ("is not an email address", "write it like name@example.org"),
    "website": ("is not a web address", "start it with https:// or http://"),
    "theme": ("is not a theme name", "use a file name from assets/themes/, without .yaml"),
    "language": ("is not a language tag", "write it like en, fr or es-AR"),
    "id": ("is not a block id", "start with a letter; use letters, digits, - and _"),
    "delta": ("is not a figure name", "use the name of a figure declared under `figures`"),
}

# Items of a list, as a reader counts them.
NOUNS = {"Block": "block", "Page": "page", "Tile": "tile", "TableColumn": "column"}

BOUNDS = {
    "greater_than": ("gt", "more than"),
    "greater_than_equal": ("ge", "at least"),
    "less_than": ("lt", "less than"),
    "less_than_equal": ("le", "at most"),
}


def translate(
    model: type[BaseModel],
    errors: Sequence[ErrorDetails],
    data: Any,
    source_map: SourceMap,
    prefix: KeyPath = (),
) -> list[SpecError]:
    """One located SpecError per problem pydantic found in `data`."""
    by_path: dict[KeyPath, list[ErrorDetails]] = {}
    for err in errors:
        by_path.setdefault(_user_path(err, data), []).append(err)
    problems = []
    for path, found in by_path.items():
        deeper = any(p[: len(path)] == path and p != path for p in by_path)
        if deeper and all(e["type"] in TYPE_ERRORS or e["type"] == "too_short" for e in found):
            continue  # a union branch (or a list) whose items say what is wrong
        problems.append(_one(model, found, path, source_map, prefix, data))
    return problems


def _user_path(err: ErrorDetails, data: Any) -> KeyPath:
    """The error's location without pydantic's union-branch tags (`str`, `Range`, …),
    found by following the location through the data the user wrote."""
    loc = err["loc"]
    path: list[str | int] = []
    node = data
    for part in loc:
        listed = isinstance(node, list | tuple) and isinstance(part, int)
        if (isinstance(node, dict) and part in node) or (listed and 0 <= int(part) < len(node)):
            node = node[part]
        elif isinstance(part, str) and _BRANCH.fullmatch(part):
            continue  # a union branch: pydantic tried each type the field allows
        elif isinstance(part, int) and err["type"] == "missing":
            continue  # an item missing from a list of fixed length: the list is at fault
        else:
            node = None  # a key the data leaves out, or one a shorthand stands for
        path.append(part)
    return tuple(path)


# How pydantic names the branches of a union: a type (`str`, `list[...]`, `Range`) or a
# validator (`function-after[...]`); spec keys are lower-case words.
_BRANCH = re.compile(r"[A-Z]\w*|(str|int|float|bool|date|none)|[\w-]+\[.*\]")


TYPE_ERRORS = {
    "string_type", "int_type", "int_parsing", "int_from_float", "int_parsing_size",
    "float_type", "float_parsing", "bool_type", "bool_parsing", "dict_type", "list_type",
    "tuple_type", "set_type", "model_type", "model_attributes_type", "dataclass_type",
    "date_type", "date_parsing", "date_from_datetime_parsing", "date_from_datetime_inexact",
    "datetime_type", "datetime_parsing", "none_required", "is_instance_of", "finite_number",
    "literal_error", "enum", "union_tag_invalid", "union_tag_not_found", "string_unicode",
    "bytes_type", "string_sub_type", "iterable_type", "mapping_type", "arguments_type",
}  # fmt: skip


def _one(
    model: type[BaseModel],
    found: list[ErrorDetails],
    path: KeyPath,
    source_map: SourceMap,
    prefix: KeyPath,
    data: Any = None,
) -> SpecError:
    # Of a union's branches, the one whose own check failed says what is wrong: a
    # condition `{empty: true, max: 3}` is a mapping of the right shape with bad values.
    err = next((e for e in found if e["type"] in ("value_error", "assertion_error")), found[0])
    full = (*prefix, *path)
    where = source_map.locate(full)
    kind, given = err["type"], err.get("input")
    ctx: dict[str, Any] = dict(err.get("ctx") or {})
    name = _name(full)
    if kind == "extra_forbidden":
        return _unknown_key(model, path, full, source_map, data)
    if kind == "missing" and isinstance(err["loc"][-1], int):  # a list of fixed length
        wanted = expected(annotation_at(model, path))
        return SpecError(f"`{name}` must be {wanted}; got {shown(given)}", where)
    if kind == "missing":
        return SpecError(f"missing required key '{full[-1]}'", source_map.locate(full[:-1]))
    annotation = annotation_at(model, path)
    if isinstance(given, str) and is_template(given) and kind != "value_error":
        parent = model_at(model, path[:-1])
        rule = rule_for(parent, str(path[-1])) if parent is not None and path else None
        if rules(model) and (rule is None or rule.kind == "fixed"):
            return _not_a_template(rule, full, annotation, where)
    if kind == "literal_error" and len(found) == 1:
        options = typing.get_args(_plain(annotation, "key"))
        choices = _or([repr(c) for c in options])
        if len(options) == 1:
            return SpecError(f"`{name}` must be {choices}; got {shown(given)}", where)
        if isinstance(given, str | int | float) and not isinstance(given, bool):
            hint = did_you_mean(str(given), [str(c) for c in options])
            return SpecError(f"{given!r} is not one of {choices}", where, hint)
        return SpecError(f"`{name}` must be one of {choices}; got {shown(given)}", where)
    if kind in ("value_error", "assertion_error"):
        message = str(ctx.get("error", "")) or err["msg"].split(", ", 1)[-1]
        if given is None or isinstance(given, dict | list | tuple):  # no Python reprs
            message = message.replace(repr(given), shown(given))
        return SpecError(_lower_first(message), where)
    if kind in BOUNDS:
        return _bound(kind, ctx, name, full, where)
    if kind in ("too_short", "too_long", "string_too_short", "string_too_long"):
        return SpecError(_length(kind, ctx, name, annotation), where)
    if kind == "string_pattern_mismatch":
        message, hint = PATTERN_MESSAGES.get(str(full[-1]), ("is not allowed here", ""))
        return SpecError(f"{given!r} {message}", where, hint)
    return SpecError(f"`{name}` must be {expected(annotation)}; got {shown(given)}", where)


def _not_a_template(rule: Rule | None, full: KeyPath, annotation: Any, where: Any) -> SpecError:
    """Template syntax where the model takes a number, a choice or a checked text."""
    why = rule.why if rule is not None and rule.why else f"it takes {expected(annotation)}"
    per_edition = PER_EDITION if full and full[0] in ("document", "pages", "figures") else ""
    hint = rule.instead if rule is not None and rule.why else per_edition
    return SpecError(f"`{_name(full)}` is not a template: {why}", where, hint)


# Keys people put where they do not belong, and where they go instead.
MISPLACED = {
    ("Tile", "format"): "a tile prints its figure as written: set how the number looks with "
    "the figure's own `format` under `figures` (`format: {style: compact}`)",
    ("Chart", "empty"): "a chart's empty cells are now set with `missing`: `missing: skip` "
    "leaves their rows out, `missing: zero` counts an empty value as 0, and `missing: error` "
    "(the default) names the row",
}


def _unknown_key(
    model: type[BaseModel], path: KeyPath, full: KeyPath, source_map: SourceMap, data: Any
) -> SpecError:
    parent = model_at(model, path[:-1])
    key = str(full[-1])
    choices = field_names(parent) if parent else []
    what = "block kind" if parent is not None and parent.__name__ == "Block" else "key"
    hint = did_you_mean(key, choices) or (f"allowed: {', '.join(choices)}" if choices else "")
    if parent is not None and (parent.__name__, key) in MISPLACED:
        hint = MISPLACED[parent.__name__, key]
    elif " " in key.strip():
        hint = _comma_hint(key, _value_at(data, path[:-1]))
    return SpecError(f"unknown {what} '{key}'", source_map.locate(full, at_key=True), hint)


def _comma_hint(key: str, mapping: Any) -> str:
    """An unknown key with spaces in it is nearly always the end of a text cut at a
    comma inside `{…}`: `{label: life expectancy at birth, weighted by population}`."""
    hint = (
        "a comma inside `{…}` separates keys, so the text after it was read as a key: "
        "put text that holds a comma in quotes"
    )
    keys = list(mapping) if isinstance(mapping, dict) else []
    before = keys[keys.index(key) - 1] if key in keys and keys.index(key) > 0 else None
    if before is not None and isinstance(mapping[before], str | int | float):
        text = f"{mapping[before]}, {key}"
        hint += f": `{before}: {json.dumps(text, ensure_ascii=False)}`"
    return hint


def _value_at(data: Any, path: KeyPath) -> Any:
    for part in path:
        listed = isinstance(data, list | tuple) and isinstance(part, int) and part < len(data)
        if not (listed or (isinstance(data, dict) and part in data)):
            return None
        data = data[part]
    return data


def _bound(kind: str, ctx: dict[str, Any], name: str, full: KeyPath, where: Any) -> SpecError:
    key, word = BOUNDS[kind]
    bound = ctx.get(key, 0)
    if full and full[-1] in LENGTHS:
        return SpecError(f"{full[-1]} must be {word} {float(bound) * 25.4 / 72:.0f}mm", where)
    return SpecError(f"`{name}` must be {word} {_number(bound)}", where)


def _length(kind: str, ctx: dict[str, Any], name: str, annotation: Any) -> str:
    if kind.startswith("string"):
        if kind == "string_too_short":
            return f"`{name}` must not be empty"
        return f"`{name}` is too long: at most {ctx.get('max_length')} characters"
    noun = _item_noun(annotation)
    if kind == "too_short":
        count = int(ctx.get("min_length", 1))
        amount = "one" if count == 1 else str(count)
        return f"`{name}` needs at least {amount} {noun}{'' if count == 1 else 's'}"
    count = int(ctx.get("max_length", 0))
    return f"`{name}` takes at most {count} {noun}{'' if count == 1 else 's'}"


def _item_noun(annotation: Any) -> str:
    origin, args = typing.get_origin(annotation), typing.get_args(annotation)
    if origin is dict:
        return "key"
    item = _plain(args[0]) if args else None
    if isinstance(item, type) and issubclass(item, BaseModel):
        return NOUNS.get(item.__name__, item.__name__.lower())
    return "item"


def _name(path: KeyPath) -> str:
    """The key a reader looks for: the last key, with any list positions after it."""
    keys = [i for i, part in enumerate(path) if isinstance(part, str)]
    if not keys:
        return "the spec"
    return format_key_path(path[keys[-1] :])


def _or(items: Sequence[str]) -> str:
    items = list(dict.fromkeys(items))
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} or {items[-1]}"


def _number(value: Any) -> str:
    return str(int(value)) if isinstance(value, float) and value.is_integer() else str(value)


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


# --- types in words -------------------------------------------------------------------


def expected(annotation: Any) -> str:
    """What a field takes, in words: `a whole number`, `text, a number or true/false`."""
    phrases = _phrases(annotation)
    if len(phrases) > 1:
        if "a number" in phrases:
            phrases = [p for p in phrases if p != "a whole number"]
        phrases = ["true/false" if p == "true or false" else p for p in phrases]
    return _or(phrases) if phrases else "a value"


def _phrases(annotation: Any) -> list[str]:
    origin, args = typing.get_origin(annotation), typing.get_args(annotation)
    if origin is typing.Annotated:
        if "parse_length" in repr(args[1:]):
            return ["a length such as 45mm"]
        return _phrases(args[0])
    if origin in (typing.Union, types.UnionType):
        return [p for a in args if a is not type(None) for p in _phrases(a)]
    if origin is typing.Literal:
        return [f"one of {_or([repr(a) for a in args])}" if len(args) > 1 else repr(args[0])]
    if origin in (list, tuple):
        if origin is tuple and args and args[-1] is not Ellipsis:
            return [f"{len(args)} values in a list, such as [0.5, 0.5]"]
        return ["a list"]
    if origin is dict:
        return ["a mapping of `name: value` pairs"]
    simple = {
        str: "text", int: "a whole number", float: "a number", bool: "true or false",
        dt.date: "a date written YYYY-MM-DD",
    }  # fmt: skip
    if annotation in simple:
        return [simple[annotation]]
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        names = field_names(annotation)
        if annotation.__name__ == "Condition":
            return ["a condition such as {min: 1, max: 9} or {not: World}"]
        return [f"a mapping with keys such as {', '.join(names[:3])}"]
    return []


def shown(value: Any) -> str:
    """A value the user wrote, described in their terms."""
    if value is None:
        return "nothing (an empty value)"
    if isinstance(value, bool):
        return f"{str(value).lower()}"
    if isinstance(value, int | float):
        return f"the number {getattr(value, 'raw', value)}"
    if isinstance(value, str):
        return f"the text {value!r}" if value else "empty text"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list | tuple):
        return "a list"
    if isinstance(value, dt.date):
        return f"the date {value.isoformat()}"
    return "a value of another kind"


# --- the model along a path -----------------------------------------------------------


def field_names(model: type[BaseModel]) -> list[str]:
    return [info.alias or name for name, info in model.model_fields.items()]


def annotation_at(model: type[BaseModel], path: KeyPath) -> Any:
    """The declared type of the value at `path` in `model` (None if unknown)."""
    current: Any = model
    for part in path:
        current = _plain(current, part)
        if isinstance(current, type) and issubclass(current, BaseModel):
            info = next(
                (f for n, f in current.model_fields.items() if (f.alias or n) == part), None
            )
            if info is None:
                return None
            current = info.annotation
            continue
        origin, args = typing.get_origin(current), typing.get_args(current)
        if origin is dict and args:
            current = args[1]
        elif origin in (list, tuple) and args:
            index = part if isinstance(part, int) else 0
            current = args[0] if args[-1] is Ellipsis or origin is list else args[index]
        else:
            return None
    return current


def model_at(model: type[BaseModel], path: KeyPath) -> type[BaseModel] | None:
    """The model class that validates the mapping at `path`, if there is one."""
    found = _plain(annotation_at(model, path), "key")
    return found if isinstance(found, type) and issubclass(found, BaseModel) else None


def _plain(annotation: Any, following: str | int | None = None) -> Any:
    """Strip Annotated and Optional; in a union, pick the branch a path part goes into
    (a model or mapping for a key, a list for a position)."""
    while True:
        origin = typing.get_origin(annotation)
        if origin is typing.Annotated:
            annotation = typing.get_args(annotation)[0]
            continue
        if origin in (typing.Union, types.UnionType):
            options = [a for a in typing.get_args(annotation) if a is not type(None)]
            if following is None and len(options) > 1:
                return annotation
            keyed = [
                a
                for a in options
                if (isinstance(a, type) and issubclass(a, BaseModel))
                or typing.get_origin(a) is dict
            ]
            listed = [a for a in options if typing.get_origin(a) in (list, tuple)]
            pick = listed if isinstance(following, int) else keyed
            annotation = (pick or options)[0]
            continue
        return annotation
