"""The template sandbox: Jinja2's immutable sandbox, with only the allowed filters, plus
a budget of work per render, so that no template from a spec can hang a build or
exhaust memory. Loops count their steps and calls cost steps (nested loops multiply,
where the sandbox alone caps only each `range()`), what a template produces is cut off
at a size, and so is each text or list it builds with `*`, `+`, `%`, `~`, `replace` or a
text method (the budget and the size arithmetic are :mod:`factsheet.template_budget`).
Three environments share these rules: Markdown text (inserted values escaped), plain
values, and output paths (inserted values made safe file names)."""

from __future__ import annotations

import functools
import math
import re
from collections.abc import Callable, Mapping
from typing import Any

import jinja2
from jinja2 import nodes
from jinja2.compiler import CodeGenerator, Frame
from jinja2.exceptions import SecurityError, TemplateSyntaxError
from jinja2.runtime import Macro
from jinja2.sandbox import ImmutableSandboxedEnvironment
from jinja2.visitor import NodeTransformer

from factsheet.filters import FUNCTIONS, slug
from factsheet.template_budget import (
    BUDGET,
    MACRO_STEPS,
    MAX_CHARACTERS,
    MAX_STEPS,
    WIDE_FORMAT,
    Exhausted,
    as_text,
    checked_float,
    checked_int,
    counted,
    method_size,
    percent_size,
    replaced_size,
    sized,
    text_size,
    within,
)

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


# unreachable from a template: spaces
_COUNTED, _SIZED, _TEXT = "loop budget", "size limit", "text limit"


def _guarding(name: str, function: Callable[..., object]) -> Callable[..., object]:
    """A filter that first checks the text it is given, and for `replace` and `join`
    the size of what it will build, before building it."""
    skip = 1 if getattr(function, "jinja_pass_arg", None) is not None else 0

    @functools.wraps(function)
    def guarded(*args: Any, **kwargs: Any) -> object:
        value = as_text(args[skip])
        if name == "replace" and isinstance(value, str):
            rest = [*args[skip + 1 :], *kwargs.values()]
            if len(rest) >= 2:
                old, new = str(rest[0]), str(rest[1])
                count = rest[2] if len(rest) > 2 and rest[2] is not None else -1
                within(replaced_size(value, old, new, count))
        elif name == "join" and not isinstance(value, str):
            items = list(value)  # type: ignore[call-overload]
            separator = args[skip + 1] if len(args) > skip + 1 else kwargs.get("d", "")
            within(len(str(separator)) * max(len(items) - 1, 0) + text_size(items))
            args = (*args[:skip], items, *args[skip + 1 :])
        return function(*args, **kwargs)

    return guarded


# Filters that make text of their value: each checks it first (see `_guarding`).
_TEXT_FILTERS = ("capfirst", "upper", "lower", "title", "capitalize", "trim", "replace",
                 "truncate", "wordcount", "join", "string", "urlencode", "slug")  # fmt: skip
_FILTERS: dict[str, Callable[..., object]] = {
    **FUNCTIONS,
    **{name: _guarding(name, FUNCTIONS[name]) for name in _TEXT_FILTERS},
    "int": checked_int,
    "float": checked_float,
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
            if WIDE_FORMAT.search(left):
                raise SecurityError("the format's width is too large")
            within(percent_size(left, right))
        return sized(super().call_binop(context, operator, left, right))

    def call(self, context: jinja2.runtime.Context, obj: Any, /, *args: Any, **kwargs: Any) -> Any:
        BUDGET.spend(MACRO_STEPS if isinstance(obj, Macro) else 1)
        method = getattr(obj, "__wrapped__", obj)  # the sandbox wraps `str.format`
        receiver = getattr(method, "__self__", None)
        if isinstance(receiver, str | bytes):  # a text method, such as `.center(n)`
            numbers = [a for a in (*args, *kwargs.values()) if isinstance(a, int)]
            name = getattr(method, "__name__", "")
            if any(abs(n) > MAX_CHARACTERS for n in numbers) or (
                name in ("format", "format_map")
                and isinstance(receiver, str)
                and WIDE_FORMAT.search(receiver)
            ):
                raise SecurityError("the text would be too long")
            listed, named = list(args), dict(kwargs)
            within(method_size(receiver, name, listed, named))
            args, kwargs = tuple(listed), named
        return sized(super().call(context, obj, *args, **kwargs))


def _restricted(env: _Environment) -> _Environment:
    """The environment with only the allowed filters, and no `lipsum` (it is random)."""
    env.filters = {**_FILTERS, _COUNTED: counted, _SIZED: sized, _TEXT: as_text}
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
        finalize=lambda value: escape_markdown(as_text(value)),
    )
)


# For values that are not Markdown (filter values, output paths, edition variables):
# the same sandbox, with values inserted as they are.
_RAW_ENV = _restricted(
    _Environment(undefined=jinja2.StrictUndefined, autoescape=False, finalize=as_text)
)

# For output paths: every inserted value becomes a safe file-name part.
_PATH_ENV = _restricted(
    _Environment(
        undefined=jinja2.StrictUndefined,
        autoescape=False,
        finalize=lambda value: slug(as_text(value)),
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
