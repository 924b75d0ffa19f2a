"""The template sandbox: Jinja2's immutable sandbox, with only the allowed filters, plus
a budget of work per render, so that no template from a spec can hang a build or
exhaust memory. Loops count their steps and calls cost steps (nested loops multiply,
where the sandbox alone caps only each `range()`), what a template produces is cut off
at a size, and so is each text or list it builds with `*`, `+`, `%`, `~`, `replace` or a
text method. Three environments share these rules: Markdown text (inserted values
escaped), plain values, and output paths (inserted values made safe file names)."""

from __future__ import annotations

import functools
import math
import re
import string
from collections.abc import Callable, Iterable, Iterator, Mapping, Sized
from typing import Any

import jinja2
from jinja2 import nodes
from jinja2.compiler import CodeGenerator, Frame
from jinja2.exceptions import SecurityError, TemplateSyntaxError
from jinja2.runtime import Macro
from jinja2.sandbox import ImmutableSandboxedEnvironment
from jinja2.visitor import NodeTransformer

from factsheet.filters import FUNCTIONS, slug

# Every ASCII punctuation character may be backslash-escaped in CommonMark; escaping all
# of them is simpler and safer than tracking which ones are live in which context.
_MD_PUNCTUATION = re.compile(r"([!-/:-@\[-`{-~])")
_LINE_BREAKS = re.compile(r"\s*[\r\n]\s*")
_MAX_REPEAT = 100_000  # longest string or list a template may build with '*'
_MAX_EXPONENT = 1_000
_MAX_BITS = 100_000  # the largest whole number a template may make: about 30,000 digits


def escape_markdown(value: object) -> str:
    """Make an inserted value literal Markdown text.

    A newline inside a value would let it split paragraphs or force breaks, so values
    are flattened to one line: they are data, never document structure.
    """
    text = _LINE_BREAKS.sub(" ", str(value))
    return _MD_PUNCTUATION.sub(r"\\\1", text)


MAX_STEPS = 250_000
"""Loop iterations and calls one text template may make (a call of a macro counts as
`_MACRO_STEPS`, about what it costs); about a second of work."""
_MACRO_STEPS = 50
MAX_CHARACTERS = 1_000_000
"""Characters one text template may produce, or build in one string or list."""
# unreachable from a template: spaces
_COUNTED, _SIZED, _TEXT = "loop budget", "size limit", "text limit"
_WIDE_FORMAT = re.compile(r"\d{7,}|%[-+ #0]*\*")  # widths of a million or more, or '*'


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


def _counted(items: Iterable[object]) -> Iterable[object]:
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


def _sized(value: object) -> object:
    """A value built by joining (`~`) or replacing, refused when too long."""
    if isinstance(value, str | bytes | list | tuple) and len(value) > MAX_CHARACTERS:
        raise _too_long()
    return value


def _within(size: int) -> None:
    """Refuse a text before it is built, from the size it would have."""
    if size > MAX_CHARACTERS:
        raise _too_long()


_CONTAINERS = (list, tuple, dict, set, frozenset)


def _text_size(value: object) -> int:
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
            total += _text_size(item)
    return total


def _as_text(value: object) -> object:
    """A value about to become text (printed, joined with `~`, given to a text filter),
    refused before its text is built when it would be too long, or when it is an
    infinite number (which would print as "inf")."""
    if isinstance(value, str):
        return value
    if isinstance(value, float) and math.isinf(value):
        raise ValueError(f"the number is too large: {value} is not a finite number")
    if isinstance(value, _CONTAINERS):
        _within(_text_size(value))
    return value


def _replaced_size(text: str | bytes, old: object, new: object, count: object) -> int:
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
    longest = max((_text_size(v) for v in values), default=0)
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


def _percent_size(text: str, right: object) -> int:
    """An upper bound on the length of `text % right`, as `_format_size`."""
    values: list[object] = (
        list(right) if isinstance(right, tuple) else
        list(right.values()) if isinstance(right, Mapping) else [right]
    )  # fmt: skip
    numbers = [abs(v) for v in values if isinstance(v, int)]
    longest = max((_text_size(v) for v in values), default=0)
    size = len(text)
    for field in _PERCENT_FIELD.finditer(text):
        size += longest
        for part in field.groups():
            size += max(numbers, default=0) if part == "*" else int(part or 0)
    return size


def _method_size(text: str | bytes, name: str, args: list[Any], kwargs: dict[str, Any]) -> int:
    """An upper bound on the length of what a text method returns, from its arguments;
    `join` gets its items as a list, so they are walked only once."""
    given = [*args, *kwargs.values()]
    if name == "replace":
        return _replaced_size(text, *given[:3], *([-1] * (3 - len(given[:3]))))
    if name == "expandtabs":
        tabsize = given[0] if given and isinstance(given[0], int) else 8
        tab = "\t" if isinstance(text, str) else b"\t"
        return len(text) + text.count(tab) * max(tabsize, 0)  # type: ignore[arg-type]
    if name == "join" and args:
        items = args[0] = list(args[0])
        return len(text) * max(len(items) - 1, 0) + _text_size(items)
    if name in ("center", "ljust", "rjust", "zfill") and given and isinstance(given[0], int):
        return max(len(text), given[0])
    if name == "translate" and given and isinstance(given[0], Mapping):
        longest = max((_text_size(v) for v in given[0].values()), default=1)
        return len(text) * max(longest, 1)
    if name in ("format", "format_map") and isinstance(text, str):
        return _format_size(text, (*args,), kwargs)
    return len(text)  # the other methods make a text about as long as this one


def _checked_int(value: object, default: int = 0, base: int = 10) -> int:
    """Jinja's `int` filter, refusing a number that has no whole value (infinity, or
    not a number) instead of a confusing error or a silent 0."""
    if isinstance(value, float) and not math.isfinite(value):
        raise ValueError(f"the number {value} is not a finite number, so it has no whole value")
    try:
        result: int = FUNCTIONS["int"](value, default, base)  # type: ignore[assignment]
    except OverflowError:
        raise ValueError(f"the number {value!r} is too large: it is not a finite number") from None
    return result


def _checked_float(value: object, default: float = 0.0) -> float:
    """Jinja's `float` filter, refusing text too large to be a number ('1e999')."""
    result: float = FUNCTIONS["float"](value, default)  # type: ignore[assignment]
    if math.isinf(result) and isinstance(value, str | bytes):
        raise ValueError(f"the number {value!r} is too large: it is not a finite number")
    return result


def _guarding(name: str, function: Callable[..., object]) -> Callable[..., object]:
    """A filter that first checks the text it is given, and for `replace` and `join`
    the size of what it will build, before building it."""
    skip = 1 if getattr(function, "jinja_pass_arg", None) is not None else 0

    @functools.wraps(function)
    def guarded(*args: Any, **kwargs: Any) -> object:
        value = _as_text(args[skip])
        if name == "replace" and isinstance(value, str):
            rest = [*args[skip + 1 :], *kwargs.values()]
            if len(rest) >= 2:
                old, new = str(rest[0]), str(rest[1])
                count = rest[2] if len(rest) > 2 and rest[2] is not None else -1
                _within(_replaced_size(value, old, new, count))
        elif name == "join" and not isinstance(value, str):
            items = list(value)  # type: ignore[call-overload]
            separator = args[skip + 1] if len(args) > skip + 1 else kwargs.get("d", "")
            _within(len(str(separator)) * max(len(items) - 1, 0) + _text_size(items))
            args = (*args[:skip], items, *args[skip + 1 :])
        return function(*args, **kwargs)

    return guarded


# Filters that make text of their value: each checks it first (see `_guarding`).
_TEXT_FILTERS = ("capfirst", "upper", "lower", "title", "capitalize", "trim", "replace",
                 "truncate", "wordcount", "join", "string", "urlencode", "slug")  # fmt: skip
_FILTERS: dict[str, Callable[..., object]] = {
    **FUNCTIONS,
    **{name: _guarding(name, FUNCTIONS[name]) for name in _TEXT_FILTERS},
    "int": _checked_int,
    "float": _checked_float,
}


class _Bounded(NodeTransformer):
    """Rewrites a parsed template so that its loops count steps and its joins are
    checked for size: nested loops multiply, and each `range()` alone is capped only at
    100,000 by the sandbox."""

    def visit_For(self, node: nodes.For) -> nodes.Node:
        self.generic_visit(node)
        node.iter = nodes.Filter(node.iter, _COUNTED, [], [], None, None, lineno=node.lineno)
        return node

    def visit_Concat(self, node: nodes.Concat) -> nodes.Node:
        self.generic_visit(node)
        node.nodes = [
            nodes.Filter(n, _TEXT, [], [], None, None, lineno=n.lineno) for n in node.nodes
        ]
        return nodes.Filter(node, _SIZED, [], [], None, None, lineno=node.lineno)

    def visit_Filter(self, node: nodes.Filter) -> nodes.Node:
        self.generic_visit(node)
        if node.name != "replace" or node.node is None:  # None: a `{% filter %}` block
            return node
        return nodes.Filter(node, _SIZED, [], [], None, None, lineno=node.lineno)


class _Generator(CodeGenerator):
    """Jinja's code generator, refusing a number that is not finite (`1e999`, or one
    folded from constants, such as `"1e999"|float`): Jinja would write it into the
    compiled template as the unknown name `inf`."""

    def visit_Const(self, node: nodes.Const, frame: Frame) -> None:
        if isinstance(node.value, float) and not math.isfinite(node.value):
            raise TemplateSyntaxError(
                f"the number is too large: {node.value} is not a finite number", node.lineno
            )
        super().visit_Const(node, frame)


class _Environment(ImmutableSandboxedEnvironment):
    """The sandbox, plus limits on the work a template does: loop steps and calls
    (counted), and the size of what ``*``, ``**``, ``+``, ``%``, ``~``, ``replace`` and
    text methods build, so a template can neither hang a build nor exhaust memory."""

    intercepted_binops = frozenset({"*", "**", "+", "%"})
    code_generator_class = _Generator

    def _parse(self, source: str, name: str | None, filename: str | None) -> nodes.Template:
        tree = super()._parse(source, name, filename)
        bounded = _Bounded().visit(tree)
        assert isinstance(bounded, nodes.Template)
        return bounded

    def call_binop(
        self, context: jinja2.runtime.Context, operator: str, left: object, right: object
    ) -> object:
        if operator == "**" and isinstance(right, int | float) and abs(right) > _MAX_EXPONENT:
            raise SecurityError(f"the exponent {right} is too large")
        if operator in ("*", "**") and isinstance(left, int) and isinstance(right, int):
            bits = left.bit_length()
            bits = bits * right if operator == "**" else bits + right.bit_length()
            if bits > _MAX_BITS:
                raise SecurityError("the number would be too large")
        if operator == "*":
            for seq, count in ((left, right), (right, left)):
                if (
                    isinstance(seq, str | bytes | list | tuple)
                    and isinstance(count, int)
                    and len(seq) * count > _MAX_REPEAT
                ):
                    raise SecurityError("the repeated text or list would be too long")
        if operator == "%" and isinstance(left, str):
            if _WIDE_FORMAT.search(left):
                raise SecurityError("the format's width is too large")
            _within(_percent_size(left, right))
        return _sized(super().call_binop(context, operator, left, right))

    def call(self, context: jinja2.runtime.Context, obj: Any, /, *args: Any, **kwargs: Any) -> Any:
        BUDGET.spend(_MACRO_STEPS if isinstance(obj, Macro) else 1)
        method = getattr(obj, "__wrapped__", obj)  # the sandbox wraps `str.format`
        receiver = getattr(method, "__self__", None)
        if isinstance(receiver, str | bytes):  # a text method, such as `.center(n)`
            numbers = [a for a in (*args, *kwargs.values()) if isinstance(a, int)]
            name = getattr(method, "__name__", "")
            if any(abs(n) > MAX_CHARACTERS for n in numbers) or (
                name in ("format", "format_map")
                and isinstance(receiver, str)
                and _WIDE_FORMAT.search(receiver)
            ):
                raise SecurityError("the text would be too long")
            listed, named = list(args), dict(kwargs)
            _within(_method_size(receiver, name, listed, named))
            args, kwargs = tuple(listed), named
        return _sized(super().call(context, obj, *args, **kwargs))


def _restricted(env: _Environment) -> _Environment:
    """The environment with only the allowed filters, and no `lipsum` (it is random)."""
    env.filters = {**_FILTERS, _COUNTED: _counted, _SIZED: _sized, _TEXT: _as_text}
    env.globals.pop("lipsum", None)
    return env


# autoescape is off because the template language's output is Markdown, not HTML: HTML
# escaping would leave '*', '[', '^' and friends live and mangle '&' into text. Instead
# `finalize` escapes every inserted value for Markdown, so it always reads as literal
# text; the Markdown -> markup converter then escapes every text run for ReportLab. The
# environment holds no per-edition state (variables arrive at render time), so one
# module-level instance and its compiled templates are shared by all editions.
_ENV = _restricted(
    _Environment(
        undefined=jinja2.StrictUndefined,
        autoescape=False,
        finalize=lambda value: escape_markdown(_as_text(value)),
    )
)


# For values that are not Markdown (filter values, output paths, edition variables):
# the same sandbox, with values inserted as they are.
_RAW_ENV = _restricted(
    _Environment(undefined=jinja2.StrictUndefined, autoescape=False, finalize=_as_text)
)

# For output paths: every inserted value becomes a safe file-name part.
_PATH_ENV = _restricted(
    _Environment(
        undefined=jinja2.StrictUndefined,
        autoescape=False,
        finalize=lambda value: slug(_as_text(value)),
    )
)
_ENVIRONMENTS = {"markdown": _ENV, "value": _RAW_ENV, "path": _PATH_ENV}


@functools.lru_cache(maxsize=512)
def compile_template(source: str, mode: str = "markdown") -> jinja2.Template:
    return _ENVIRONMENTS[mode].from_string(source)


def generate(compiled: jinja2.Template, variables: Mapping[str, object]) -> str:
    """The template's text, refused as soon as it grows too long; the work budget starts
    afresh for each render (templates render one at a time in a process)."""
    BUDGET.steps = MAX_STEPS
    chunks: list[str] = []
    size = 0
    for chunk in compiled.generate(variables):
        size += len(chunk)
        if size > MAX_CHARACTERS:
            raise Exhausted(f"produces over {MAX_CHARACTERS:,} characters")
        chunks.append(chunk)
    return "".join(chunks)
