"""The budget of one template render: how many loop steps and calls it may make and
how long a text or list it may produce or build. Sizes are worked out from a call's
arguments before the call runs (`replace`, `join`, `format`, `%`, `expandtabs`, ...),
so that a template is refused before it allocates, not after. The sandbox
(:mod:`factsheet.sandbox`) wires these checks into Jinja."""

from __future__ import annotations

import math
import re
import string
from collections.abc import Iterable, Iterator, Mapping, Sized
from typing import Any

from factsheet.filters import FUNCTIONS

MAX_STEPS = 250_000
"""Loop iterations and calls one text template may make (a call of a macro counts as
`MACRO_STEPS`, about what it costs); about a second of work."""
MACRO_STEPS = 50
MAX_CHARACTERS = 1_000_000
"""Characters one text template may produce, or build in one string or list."""
WIDE_FORMAT = re.compile(r"\d{7,}|%[-+ #0]*\*")  # widths of a million or more, or '*'


class Exhausted(Exception):
    """A template went over one of its limits (see `_Budget`)."""


class _Budget:
    """The work left to the template being rendered: templates render one at a time
    in a process, so one counter serves them all, reset before each render."""

    __slots__ = ("steps",)

    def __init__(self) -> None:
        self.steps = MAX_STEPS

    def spend(self, steps: int = 1) -> None:
        self.steps -= steps
        if self.steps < 0:
            raise Exhausted(f"over {MAX_STEPS:,} loop steps and calls")


BUDGET = _Budget()


def counted(items: Iterable[object]) -> Iterable[object]:
    """A loop's items, each one step of the template's budget: spent at once for a list,
    a range or a mapping (no loop can end early), else item by item."""
    if isinstance(items, Sized):
        BUDGET.spend(len(items))
        return items
    return _one_by_one(items)


def _one_by_one(items: Iterable[object]) -> Iterator[object]:
    budget = BUDGET
    for item in items:
        budget.spend()
        yield item


def _too_long() -> Exhausted:
    return Exhausted(f"builds a text or list of over {MAX_CHARACTERS:,} characters")


def sized(value: object) -> object:
    """A value built by joining (`~`) or replacing, refused when too long."""
    if isinstance(value, str | bytes | list | tuple) and len(value) > MAX_CHARACTERS:
        raise _too_long()
    return value


def within(size: int) -> None:
    """Refuse a text before it is built, from the size it would have."""
    if size > MAX_CHARACTERS:
        raise _too_long()


_CONTAINERS = (list, tuple, dict, set, frozenset)


def text_size(value: object) -> int:
    """About how long `str(value)` is, counted only until it is over the limit (a list
    holding one long text many times is small, its text is not). Each item of a
    container walked costs one step of the budget."""
    if isinstance(value, str | bytes):
        return len(value)
    if not isinstance(value, _CONTAINERS):
        return value.bit_length() // 3 + 2 if isinstance(value, int) else 24
    total, stack = 0, [value]
    while stack and total <= MAX_CHARACTERS:
        item = stack.pop()
        if isinstance(item, str | bytes):
            total += len(item) + 4  # its quotes and the comma after it
        elif isinstance(item, dict):
            BUDGET.spend(len(item))
            stack.extend(item.items())
            total += 2
        elif isinstance(item, _CONTAINERS):
            BUDGET.spend(len(item))
            stack.extend(item)
            total += 2 + 2 * len(item)
        else:
            total += text_size(item)
    return total


def as_text(value: object) -> object:
    """A value about to become text (printed, joined with `~`, given to a text filter),
    refused before its text is built when it would be too long, or when it is an
    infinite number (which would print as "inf")."""
    if isinstance(value, str):
        return value
    if isinstance(value, float) and math.isinf(value):
        raise ValueError(f"the number is too large: {value} is not a finite number")
    if isinstance(value, _CONTAINERS):
        within(text_size(value))
    return value


def replaced_size(text: str | bytes, old: object, new: object, count: object) -> int:
    if not isinstance(old, type(text)) or not isinstance(new, type(text)):
        return len(text)  # the call itself will refuse the arguments
    found = text.count(old) if old else len(text) + 1  # type: ignore[arg-type]
    if isinstance(count, int) and count >= 0:
        found = min(found, count)
    return len(text) + found * max(0, len(new) - len(old))


def _format_size(text: str, args: tuple[Any, ...], kwargs: Mapping[str, Any]) -> int:
    """An upper bound on the length of `text.format(...)`: the text, every field's
    width and precision, and the longest argument once for each field."""
    values = [*args, *kwargs.values(), *(a for a in args if isinstance(a, Mapping))]
    numbers = [abs(v) for v in values if isinstance(v, int)]
    longest = max((text_size(v) for v in values), default=0)
    try:
        fields = [f for f in string.Formatter().parse(text) if f[1] is not None]
    except ValueError:
        return len(text)  # the call itself will say what is wrong with the format
    size = len(text)
    for _literal, _name, spec, _conversion in fields:
        size += longest + sum(int(n) for n in re.findall(r"\d+", spec or ""))
        size += (spec or "").count("{") * max(numbers, default=0)
    return size


_PERCENT_FIELD = re.compile(r"%(?:\([^)]*\))?[-+ #0]*(\d+|\*)?(?:\.(\d+|\*))?")


def percent_size(text: str, right: object) -> int:
    """An upper bound on the length of `text % right`, as `_format_size`."""
    values: list[object] = (
        list(right) if isinstance(right, tuple) else
        list(right.values()) if isinstance(right, Mapping) else [right]
    )  # fmt: skip
    numbers = [abs(v) for v in values if isinstance(v, int)]
    longest = max((text_size(v) for v in values), default=0)
    size = len(text)
    for field in _PERCENT_FIELD.finditer(text):
        size += longest
        for part in field.groups():
            size += max(numbers, default=0) if part == "*" else int(part or 0)
    return size


def method_size(text: str | bytes, name: str, args: list[Any], kwargs: dict[str, Any]) -> int:
    """An upper bound on the length of what a text method returns, from its arguments;
    `join` gets its items as a list, so they are walked only once."""
    given = [*args, *kwargs.values()]
    if name == "replace":
        return replaced_size(text, *given[:3], *([-1] * (3 - len(given[:3]))))
    if name == "expandtabs":
        tabsize = given[0] if given and isinstance(given[0], int) else 8
        tab = "\t" if isinstance(text, str) else b"\t"
        return len(text) + text.count(tab) * max(tabsize, 0)  # type: ignore[arg-type]
    if name == "join" and args:
        items = args[0] = list(args[0])
        return len(text) * max(len(items) - 1, 0) + text_size(items)
    if name in ("center", "ljust", "rjust", "zfill") and given and isinstance(given[0], int):
        return max(len(text), given[0])
    if name == "translate" and given and isinstance(given[0], Mapping):
        longest = max((text_size(v) for v in given[0].values()), default=1)
        return len(text) * max(longest, 1)
    if name in ("format", "format_map") and isinstance(text, str):
        return _format_size(text, (*args,), kwargs)
    return len(text)  # the other methods make a text about as long as this one


_UNREAD = object()  # what Jinja's number filters return when a value is not a number


def checked_int(value: object, default: object = _UNREAD, base: int = 10) -> object:
    """Jinja's `int` filter, refusing a number that has no whole value (infinity, or
    not a number) instead of a confusing error, and text that is not a number instead
    of a silent 0: a default is used only when the template gives one (`|int(0)`)."""
    if isinstance(value, float) and not math.isfinite(value):
        raise ValueError(f"the number {value} is not a finite number, so it has no whole value")
    if isinstance(value, str | bytes):
        _finite_text(value)
    result = FUNCTIONS["int"](value, _UNREAD, base)
    return _read(value, result, default, "a whole number", "|int(0)")


def checked_float(value: object, default: object = _UNREAD) -> object:
    """Jinja's `float` filter, refusing text that is not a finite number ('1e999',
    'nan'), and text that is not a number instead of a silent 0.0 (unless the
    template gives a default, `|float(0)`)."""
    if isinstance(value, str | bytes):
        _finite_text(value)
    result = FUNCTIONS["float"](value, _UNREAD)
    return _read(value, result, default, "a number", "|float(0)")


def _finite_text(value: str | bytes) -> None:
    try:
        number = float(value)
    except ValueError:
        return  # not a number at all: see `_read`
    if math.isnan(number):
        raise ValueError(f"{value!r} is not a number")
    if not math.isfinite(number):
        raise ValueError(f"the number {value!r} is too large: it is not a finite number")


def _read(value: object, result: object, default: object, what: str, example: str) -> object:
    if result is not _UNREAD:
        return result
    if default is not _UNREAD:
        return default
    raise ValueError(f"{value!r} is not {what} (give a default to use instead, such as {example})")
