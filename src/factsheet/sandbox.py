"""The template sandbox: Jinja2's immutable sandbox, with only the allowed filters, plus
a budget of work per render, so that no template from a spec can hang a build or
exhaust memory. Loops count their steps and calls cost steps (nested loops multiply,
where the sandbox alone caps only each `range()`), what a template produces is cut off
at a size, and so is each text or list it builds with `*`, `+`, `%`, `~`, `replace` or a
text method. Three environments share these rules: Markdown text (inserted values
escaped), plain values, and output paths (inserted values made safe file names)."""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Iterator, Mapping, Sized
from typing import Any

import jinja2
from jinja2 import nodes
from jinja2.exceptions import SecurityError
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
_COUNTED, _SIZED = "loop budget", "size limit"  # unreachable from a template: spaces
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


def _sized(value: object) -> object:
    """A value built by joining (`~`) or replacing, refused when too long."""
    if isinstance(value, str | list | tuple) and len(value) > MAX_CHARACTERS:
        raise Exhausted(f"builds a text or list of over {MAX_CHARACTERS:,} characters")
    return value


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
        return nodes.Filter(node, _SIZED, [], [], None, None, lineno=node.lineno)

    def visit_Filter(self, node: nodes.Filter) -> nodes.Node:
        self.generic_visit(node)
        if node.name != "replace" or node.node is None:  # None: a `{% filter %}` block
            return node
        return nodes.Filter(node, _SIZED, [], [], None, None, lineno=node.lineno)


class _Environment(ImmutableSandboxedEnvironment):
    """The sandbox, plus limits on the work a template does: loop steps and calls
    (counted), and the size of what ``*``, ``**``, ``+``, ``%``, ``~``, ``replace`` and
    text methods build, so a template can neither hang a build nor exhaust memory."""

    intercepted_binops = frozenset({"*", "**", "+", "%"})

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
        if operator == "*":
            for seq, count in ((left, right), (right, left)):
                if (
                    isinstance(seq, str | list | tuple)
                    and isinstance(count, int)
                    and len(seq) * count > _MAX_REPEAT
                ):
                    raise SecurityError("the repeated text or list would be too long")
        if operator == "%" and isinstance(left, str) and _WIDE_FORMAT.search(left):
            raise SecurityError("the format's width is too large")
        return _sized(super().call_binop(context, operator, left, right))

    def call(self, context: jinja2.runtime.Context, obj: Any, /, *args: Any, **kwargs: Any) -> Any:
        BUDGET.spend(_MACRO_STEPS if isinstance(obj, Macro) else 1)
        method = getattr(obj, "__wrapped__", obj)  # the sandbox wraps `str.format`
        receiver = getattr(method, "__self__", None)
        if isinstance(receiver, str):  # a text method, such as `.center(n)`
            numbers = [a for a in (*args, *kwargs.values()) if isinstance(a, int)]
            if any(abs(n) > MAX_CHARACTERS for n in numbers) or (
                getattr(method, "__name__", "") in ("format", "format_map")
                and _WIDE_FORMAT.search(receiver)
            ):
                raise SecurityError("the text would be too long")
        return _sized(super().call(context, obj, *args, **kwargs))


def _restricted(env: _Environment) -> _Environment:
    """The environment with only the allowed filters, and no `lipsum` (it is random)."""
    env.filters = {**FUNCTIONS, _COUNTED: _counted, _SIZED: _sized}
    env.globals.pop("lipsum", None)
    return env


# autoescape is off because the template language's output is Markdown, not HTML: HTML
# escaping would leave '*', '[', '^' and friends live and mangle '&' into text. Instead
# `finalize` escapes every inserted value for Markdown, so it always reads as literal
# text; the Markdown -> markup converter then escapes every text run for ReportLab. The
# environment holds no per-edition state (variables arrive at render time), so one
# module-level instance and its compiled templates are shared by all editions.
_ENV = _restricted(
    _Environment(undefined=jinja2.StrictUndefined, autoescape=False, finalize=escape_markdown)
)


# For values that are not Markdown (filter values, output paths, edition variables):
# the same sandbox, with values inserted as they are.
_RAW_ENV = _restricted(_Environment(undefined=jinja2.StrictUndefined, autoescape=False))

# For output paths: every inserted value becomes a safe file-name part.
_PATH_ENV = _restricted(
    _Environment(undefined=jinja2.StrictUndefined, autoescape=False, finalize=slug)
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
