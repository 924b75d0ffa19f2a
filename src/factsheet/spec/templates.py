"""Which fields of a spec are templates: one table, :data:`FIELDS`, gives every field
that can hold text a :class:`Rule`, and everything else reads it from there.

- **text** templates are Markdown (`{{ name }}`, **bold**, links), rendered when their
  block is built, after the figures are computed;
- **value** templates are plain values (a highlighted category, an image path, a number
  prefix), rendered before their block is built (into a copy of it), also after the
  figures, so a text figure such as a country's name can be highlighted; filter values
  are rendered when rows are selected, output paths and variables when the editions are
  expanded;
- **fixed** fields (column and source names, ids, file formats) refuse `{{` with a
  located error that says what to do instead.

A field added to the model must be added here too: ``tests/test_templates.py`` fails
for any model field that can hold text and has no rule. Besides the table, this module
walks a model by it: :func:`fixed_problems` (template syntax where none is allowed),
:func:`references` (names another part of the spec must declare) and
:func:`render_values` (a copy with its value templates filled in)."""

from __future__ import annotations

import functools
import re
import typing
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal, TypeVar

from pydantic import BaseModel

from factsheet.errors import SpecError
from factsheet.location import KeyPath
from factsheet.spec.base import Condition, Format
from factsheet.spec.blocks import (
    Annotation,
    BlockBase,
    Callout,
    Chart,
    Contact,
    DataTable,
    Heading,
    Hero,
    Image,
    Paragraph,
    Quote,
    TableColumn,
    TableTotal,
    Tile,
    TitleBand,
)
from factsheet.spec.data import Arithmetic, ColumnRange, Join, Rank, Summary, Unpivot
from factsheet.spec.editions import Editions, FromData, Override
from factsheet.spec.loader import SourceMap
from factsheet.spec.model import Document, FigureSpec, Source, Spec

M = TypeVar("M", bound=BaseModel)

Kind = Literal["text", "value", "fixed", "changes"]
When = Literal["block", "rows", "edition"]

TEMPLATE_SYNTAX = re.compile(r"\{\{|\{%|\{#")


def is_template(text: str) -> bool:
    """Whether `text` holds template syntax (`{{ … }}`, `{% … %}` or `{# … #}`)."""
    return "{" in text and TEMPLATE_SYNTAX.search(text) is not None


@dataclass(frozen=True)
class Rule:
    """What the text of one field is."""

    kind: Kind
    """`text`, `value`, `fixed`, or `changes` (each value is checked as the field it
    changes, after the change is made)."""
    when: When = "block"
    """For values: rendered before the block is built (`block`, after the figures), when
    rows are selected (`rows`), or when the editions are expanded (`edition`)."""
    why: str = ""
    """For fixed fields: what the field is, said in the error (`column names are fixed`)."""
    instead: str = ""
    """For fixed fields: what to do instead, given as the error's hint."""
    refers: Literal["", "source", "figure"] = ""
    """The field names a data source or a figure declared elsewhere in the spec."""
    keys: Rule | None = None
    """For mappings: the rule for their keys (the values follow this rule)."""


PER_EDITION = "to change it per edition, use `editions.overrides`"

TEXT = Rule("text")
VALUE = Rule("value")
OUTPUT = Rule("value", when="edition")
COLUMN = Rule("fixed", why="column names are fixed", instead=PER_EDITION)
FILTER = Rule("value", when="rows", keys=COLUMN)
NAME = Rule("fixed", why="names are fixed")
VARIABLES = Rule("value", when="edition", keys=NAME)
SOURCE = Rule("fixed", why="it names a data source", instead=PER_EDITION, refers="source")
FIGURE = Rule("fixed", why="it names a figure", instead=PER_EDITION, refers="figure")
ID = Rule("fixed", why="block ids are fixed: overrides and `extends` find blocks by them")
KEY_VALUE = Rule(
    "fixed", why="edition key values are fixed", keys=Rule("fixed", why="edition keys are fixed")
)
CHANGES = Rule("changes")
PER_ROWS = (
    "a data source is the same in every edition (overrides change the document, blocks "
    "and figures): to use other rows in each edition, filter them with `where` and the "
    'edition\'s key, such as `where: {region: "{{ region }}"}`, in this source or in the '
    "figures and charts that read it"
)
DERIVED_FROM = Rule("fixed", why="it names a data source", instead=PER_ROWS)
DATA_COLUMN = Rule("fixed", why="column names are fixed", instead=PER_ROWS)
NEW_COLUMN = Rule("fixed", why="column names are fixed")
OPERANDS = Rule("fixed", why="it names figures", instead=PER_EDITION)


FIELDS: dict[type[BaseModel], dict[str, Rule]] = {
    Spec: {
        "theme": Rule(
            "fixed",
            why="the theme is one per spec",
            instead="write a spec that `extends` this one with another theme",
        ),
        "data": Rule("fixed", keys=NAME),
        "figures": Rule("fixed", keys=NAME),
        "variables": VARIABLES,
        "extends": Rule("fixed", why="it is the path of the base spec"),
        "blocks": Rule("changes", keys=ID),
    },
    Document: {
        "title": TEXT,
        "subtitle": TEXT,
        "author": TEXT,
        "subject": TEXT,
        "keywords": VALUE,
        "language": Rule("fixed", why="the language is a tag such as `fr`", instead=PER_EDITION),
        "output": OUTPUT,
    },
    Source: {
        "file": Rule(
            "fixed",
            why="data files are read before any template",
            instead="filter rows with `where`, or write a spec that `extends` this one",
        ),
        "sheet": Rule("fixed", why="worksheet names are fixed"),
        "columns": Rule("fixed", keys=DATA_COLUMN),
        "units": Rule("fixed", keys=DATA_COLUMN),
        # Derived sources check the names they read themselves (with cycles), so these
        # are not `refers` fields: that would report an unknown source twice.
        "from_": DERIVED_FROM,
        "where": Rule("value", when="rows", keys=DATA_COLUMN),
        "group_by": DATA_COLUMN,
        "compute": Rule("fixed", keys=NEW_COLUMN),
        "aggregate": Rule("fixed", keys=NEW_COLUMN),
        "sort": Rule("fixed", keys=DATA_COLUMN),
    },
    Unpivot: {"columns": DATA_COLUMN, "name": NEW_COLUMN, "value": NEW_COLUMN},
    ColumnRange: {"from_": DATA_COLUMN, "to": DATA_COLUMN},
    Join: {
        "source": DERIVED_FROM,
        "on": DATA_COLUMN,
        "match": DATA_COLUMN,
        "columns": DATA_COLUMN,
    },
    Arithmetic: {"ratio": DATA_COLUMN, "product": DATA_COLUMN, "difference": DATA_COLUMN},
    Summary: dict.fromkeys(
        ("sum", "mean", "median", "min", "max", "count_distinct", "first", "quantile", "weight"),
        DATA_COLUMN,
    ),
    Rank: {"by": DATA_COLUMN, "within": DATA_COLUMN, "column": NEW_COLUMN},
    Condition: {"not_": Rule("value", when="rows")},
    FigureSpec: {
        "source": SOURCE,
        "where": FILTER,
        "column": COLUMN,
        "weight": COLUMN,
        "label": COLUMN,
        "of": FILTER,
        "aggregate_rows": FILTER,
        "from_": FILTER,
        "to": FILTER,
        # Worked-out figures check their operands themselves (with cycles).
        "difference": OPERANDS,
        "ratio": OPERANDS,
        "change": OPERANDS,
    },
    Format: {
        "prefix": VALUE,
        "suffix": VALUE,
        "currency": Rule("fixed", why="it is a code such as `USD`", instead=PER_EDITION),
    },
    BlockBase: {"id": ID, "language": Rule("fixed", why="the language is a tag such as `es`")},
    Hero: {"image": VALUE, "caption": TEXT, "credit": TEXT, "alt": TEXT},
    TitleBand: {"title": TEXT, "subtitle": TEXT, "kicker": TEXT},
    Heading: {"text": TEXT},
    Paragraph: {"text": TEXT},
    Quote: {"text": TEXT, "attribution": TEXT, "context": TEXT},
    Callout: {"text": TEXT, "number": TEXT, "label": TEXT},
    Annotation: {"at": VALUE, "text": TEXT},
    Chart: {
        "source": SOURCE,
        "x": COLUMN,
        "y": COLUMN,
        "series": COLUMN,
        "where": FILTER,
        "title": TEXT,
        "subtitle": TEXT,
        "x_label": VALUE,
        "y_label": VALUE,
        "note": TEXT,
        "alt": TEXT,
        "highlight": VALUE,
        "region": VALUE,
        "weight": COLUMN,
    },
    TableColumn: {"column": COLUMN, "header": TEXT, "weight": COLUMN},
    TableTotal: {"label": TEXT, "aggregate_rows": FILTER},
    DataTable: {
        "source": SOURCE,
        "where": FILTER,
        "sort": COLUMN,
        "highlight": FILTER,
        "title": TEXT,
        "note": TEXT,
    },
    Tile: {"number": TEXT, "label": TEXT, "delta": FIGURE, "since": TEXT},
    Image: {"file": VALUE, "caption": TEXT, "alt": TEXT},
    Contact: {
        "intro": TEXT,
        "name": TEXT,
        "unit": TEXT,
        "email": Rule("fixed", why="an email address is checked as written", instead=PER_EDITION),
        "website": Rule("fixed", why="a web address is checked as written", instead=PER_EDITION),
    },
    Editions: {
        "matrix": Rule("fixed", why="edition key values are fixed", keys=NAME),
        "exclude": KEY_VALUE,
        "output": OUTPUT,
        "variables": VARIABLES,
    },
    FromData: {
        "source": Rule("fixed", why="it names a data source"),
        "column": Rule("fixed", why="column names are fixed"),
        "where": Rule("value", when="rows", keys=Rule("fixed", why="column names are fixed")),
    },
    Override: {
        "when": KEY_VALUE,
        "output": OUTPUT,
        "variables": VARIABLES,
        "document": CHANGES,
        "blocks": Rule("changes", keys=ID),
        "figures": Rule("changes", keys=NAME),
    },
}
"""Every field that can hold text, by the model class that declares it. Subclasses
inherit their bases' rules (every block has `BlockBase`'s `id`)."""

# Models whose fields hold no text of their own (only numbers, choices or other models).
NO_TEXT: tuple[type[BaseModel], ...] = ()


def rules(model: type[BaseModel]) -> dict[str, Rule]:
    """The rules of `model`'s fields, its bases' included (by field name)."""
    return _rules(model)


@functools.cache
def _rules(model: type[BaseModel]) -> dict[str, Rule]:
    found: dict[str, Rule] = {}
    for klass in reversed(model.__mro__):
        found.update(FIELDS.get(klass, {}))
    return found


def rule_for(model: type[BaseModel], field: str) -> Rule | None:
    return _rules(model).get(field)


# --- walking a model by the table -----------------------------------------------------
# Walks run for every edition (the spec once, each block and figure once), so each
# model class is planned once: only fields with a rule or a nested model are visited.

Plan = tuple[tuple[str, str, "Rule | None", bool], ...]
"""(field name, key as written, rule, whether a model can be nested in it)."""


@functools.cache
def _plan(model: type[BaseModel]) -> Plan:
    plan = []
    for name, info in model.model_fields.items():
        rule = rule_for(model, name)
        nested = _holds_model(info.annotation)
        if rule is not None or nested:
            plan.append((name, info.alias or name, rule, nested))
    return tuple(plan)


def plan(model: type[BaseModel]) -> Plan:
    """The fields of `model` worth walking: those with a rule or a nested model."""
    return _plan(model)


def _holds_model(annotation: Any) -> bool:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return True
    return any(_holds_model(arg) for arg in typing.get_args(annotation))


@dataclass(frozen=True)
class Found:
    """A piece of text in a model worth a look: one that holds template syntax, or names
    a source or figure. Its rule, where it is, and whether it is a mapping's key."""

    rule: Rule
    path: KeyPath
    text: str
    key: bool = False


def texts(model: BaseModel, path: KeyPath = ()) -> list[Found]:
    """Every text in `model` (keys of mappings included) that holds template syntax or
    names a source or figure, with its rule."""
    found: list[Found] = []
    _visit(model, path, found)
    return found


def _visit(model: BaseModel, path: KeyPath, found: list[Found]) -> None:
    fields = model.__dict__  # a model's field values, read without a call per field
    for name, key, rule, _ in _plan(type(model)):
        value = fields[name]
        if value is not None:
            _value(value, rule, (*path, key), found)


def _value(value: Any, rule: Rule | None, path: KeyPath, found: list[Found]) -> None:
    if isinstance(value, str):
        # is_template, inlined: this walk visits every text of every edition's spec.
        templated = "{" in value and TEMPLATE_SYNTAX.search(value) is not None
        if rule is not None and (rule.refers or templated):
            found.append(Found(rule, path, value))
    elif isinstance(value, BaseModel):
        _visit(value, path, found)
    elif isinstance(value, tuple | list):
        for index, item in enumerate(value):
            _value(item, rule, (*path, index), found)
    elif isinstance(value, dict):
        keys = rule.keys if rule is not None else None
        descend = rule is None or rule.kind != "changes"  # changes are checked once made
        for key, item in value.items():
            if keys is not None and is_template(str(key)):
                found.append(Found(keys, (*path, key), str(key), key=True))
            if descend:
                _value(item, rule, (*path, key), found)


def fixed_problems(
    model: BaseModel, source_map: SourceMap, prefix: KeyPath = (), found: list[Found] | None = None
) -> list[SpecError]:
    """Template syntax written in a field that is not a template (`found`: the model's
    `texts`, when the caller has them already)."""
    return [
        not_a_template(item, source_map)
        for item in (texts(model, prefix) if found is None else found)
        if item.rule.kind == "fixed" and is_template(item.text)
    ]


def not_a_template(found: Found, source_map: SourceMap) -> SpecError:
    what = f"the key '{found.text}'" if found.key else f"`{found.path[-1]}`"
    why = found.rule.why or "its text is used as written"
    return SpecError(
        f"{what} is not a template: {why}",
        source_map.locate(found.path, at_key=found.key),
        found.rule.instead,
    )


def references(
    model: BaseModel | None, prefix: KeyPath = (), found: list[Found] | None = None
) -> list[tuple[str, str, KeyPath]]:
    """(`source` or `figure`, name, path) for every name `model` refers to (or the
    texts `found` in it)."""
    if found is None:
        assert model is not None
        found = texts(model, prefix)
    return [
        (item.rule.refers, item.text, item.path)
        for item in found
        if item.rule.refers and not item.key
    ]


def check_texts(found: list[Found], attempt: Attempt, render: Callable[[str], str]) -> None:
    """Render every text template among `found` once, so a problem is reported at its
    own field (and at the override that set it) rather than at the whole block."""
    for item in found:
        if item.rule.kind == "text" and not item.key and is_template(item.text):
            attempt(item.path, render, item.text)


# --- rendering value templates into a copy --------------------------------------------

Attempt = Callable[[KeyPath, Callable[[str], str], str], "str | None"]
"""Runs a render step at a path; returns None when it failed (and records why)."""


@functools.cache
def _value_plan(model: type[BaseModel]) -> Plan:
    """The fields that hold value templates rendered before the block is built, or
    models that may."""
    return tuple(
        (name, key, rule, nested)
        for name, key, rule, nested in _plan(model)
        if nested or (rule is not None and rule.kind == "value" and rule.when == "block")
    )


def render_values(model: M, attempt: Attempt, render: Callable[[str], str], path: KeyPath) -> M:
    """A copy of `model` whose value templates (those rendered before the block is
    built) are filled in by `render`, each through `attempt` so that a problem is
    recorded at its own field; `model` itself is left as it was."""
    updates: dict[str, Any] = {}
    for name, key, rule, _ in _value_plan(type(model)):
        value = getattr(model, name)
        if value is None:
            continue
        new = _fill(value, rule, attempt, render, (*path, key))
        if new is not value:
            updates[name] = new
    return model.model_copy(update=updates) if updates else model


def _fill(
    value: Any, rule: Rule | None, attempt: Attempt, render: Callable[[str], str], path: KeyPath
) -> Any:
    if isinstance(value, BaseModel):
        return render_values(value, attempt, render, path)
    if isinstance(value, str):
        is_value = rule is not None and rule.kind == "value" and rule.when == "block"
        if is_value and is_template(value):
            rendered = attempt(path, render, value)
            return value if rendered is None else rendered
        return value
    if isinstance(value, tuple):
        items = [_fill(v, rule, attempt, render, (*path, n)) for n, v in enumerate(value)]
        return value if all(a is b for a, b in zip(items, value, strict=True)) else tuple(items)
    return value
