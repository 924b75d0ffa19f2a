"""Regenerate docs/spec.md and docs/spec.schema.json from the spec model.

    .venv/bin/python scripts/gen_docs.py

The model's field docstrings are the reference; this script only lays them out.
tests/test_docs.py fails when the committed files are out of date.
"""

from __future__ import annotations

import inspect
import json
import sys
import types
import typing
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from factsheet.spec.docs import field_docs, json_schema, model_classes
from factsheet.spec.model import Spec
from factsheet.spec.templates import Rule, rules
from factsheet.text import FILTERS
from factsheet.theme_model import Theme

DOCS = Path(__file__).resolve().parents[1] / "docs"

INTRO = """\
# Spec reference (format v1)

Generated from the model in `src/factsheet/spec/model.py` by `scripts/gen_docs.py`;
do not edit by hand. Lengths accept `45mm`, `3.5cm`, `1in`, `12pt` or a number of
points. A block is written as one key naming its kind, for example `- heading: Text`.

The **template** column says what `{{ name }}` does in each field (see
[templates.md](templates.md)): a **text** template inserts figures and variables and
takes inline Markdown (**bold**, *italic*, [links](https://example.org), 43^rd^); a
**value** template inserts them into a plain value (a category to highlight, an image
path), before the block is built; **filter** values are rendered when rows are selected;
**edition** values when the editions are expanded (they see `year`, the edition keys and
the variables, not figures); **fixed** fields refuse `{{`. Fields with no entry hold
numbers, choices or other sections. A spec can build on another with `extends` (see
[reuse.md](reuse.md)).

For editors: put `# yaml-language-server: $schema=../docs/spec.schema.json` at the top of
a spec to get completion and validation in VS Code (with the YAML extension).
"""


def type_name(annotation: Any) -> str:
    origin = typing.get_origin(annotation)
    args = typing.get_args(annotation)
    if origin is typing.Annotated:
        return "length" if "parse_length" in repr(args[1:]) else type_name(args[0])
    if origin is typing.Literal:
        return " \\| ".join(f"`{a}`" for a in args)
    if origin in (typing.Union, types.UnionType):
        options = [a for a in args if a is not type(None)]
        plain = {
            typing.get_args(a)[0] if typing.get_origin(a) is typing.Annotated else a
            for a in options
        }
        if {str, int, float, bool} <= plain:
            scalar = (str, int, float, bool)
            rest = [
                a
                for a in options
                if a not in scalar
                and not (
                    typing.get_origin(a) is typing.Annotated and typing.get_args(a)[0] in scalar
                )
            ]
            return " or ".join(["value", *(type_name(a) for a in rest)])
        return " or ".join(type_name(a) for a in options)
    if origin in (list, tuple):
        return f"list of {type_name(args[0])}"
    if origin is dict:
        return f"mapping of name to {type_name(args[1])}"
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return f"[{annotation.__name__}](#{annotation.__name__.lower()})"
    words = {"str": "text", "int": "whole number", "float": "number", "bool": "true/false"}
    name = getattr(annotation, "__name__", str(annotation)).replace("NoneType", "none")
    return words.get(name, "value" if annotation is typing.Any else name)


def is_length(field: Any) -> bool:
    return any(
        getattr(getattr(m, "func", None), "__name__", "") == "parse_length" for m in field.metadata
    )


def default_text(field: Any) -> str:
    if field.is_required():
        return "required"
    value = field.default
    if isinstance(value, BaseModel) or value in ({}, (), None, ""):
        return ""
    if is_length(field):
        return f"{value * 25.4 / 72:.3g}mm"
    return f"`{value}`"


def template_text(rule: Rule | None) -> str:
    """The template column: what `{{ … }}` does in a field."""
    if rule is None:
        return ""
    if rule.kind == "value":
        return {"block": "value", "rows": "filter", "edition": "edition"}[rule.when]
    if rule.kind == "changes":
        return "as the field changed"
    if rule.kind == "fixed" and rule.keys is not None and rule.keys.kind == "fixed":
        return "fixed"
    return rule.kind


def section(model: type[BaseModel], templates: bool = False) -> str:
    lines = [f"## {model.__name__}", "", inspect.cleandoc(model.__doc__ or ""), ""]
    if templates:
        lines += ["| key | type | default | template | meaning |", "|---|---|---|---|---|"]
    else:
        lines += ["| key | type | default | meaning |", "|---|---|---|---|"]
    docs = field_docs(model)
    for name, field in model.model_fields.items():
        key = field.alias or name
        doc = " ".join(docs.get(name, "").split()).replace("|", "\\|")
        kind = "length" if is_length(field) else type_name(field.annotation)
        template = f" {template_text(rules(model).get(name))} |" if templates else ""
        lines.append(f"| `{key}` | {kind} | {default_text(field)} |{template} {doc} |")
    return "\n".join(lines) + "\n"


def filters() -> str:
    """The filters templates may use, from the sandbox's allowlist."""
    lines = [
        "## Template filters",
        "",
        "A filter changes a value inside a template: `{{ region | upper }}`. Only these",
        "are allowed (the sandbox refuses the others, such as `random`):",
        "",
        "| filter | what it gives |",
        "|---|---|",
    ]
    lines += [f"| `{name}` | {text} |" for name, text in FILTERS.items()]
    return "\n".join(lines) + "\n"


def main() -> int:
    DOCS.mkdir(exist_ok=True)
    spec = INTRO + "\n" + "\n".join(section(m, templates=True) for m in model_classes(Spec))
    spec += "\n" + filters()
    theme = "# Theme reference\n\nA brand kit in `assets/themes/<name>.yaml`.\n\n"
    theme += "\n".join(section(m) for m in model_classes(Theme))
    (DOCS / "spec.md").write_text(spec)
    (DOCS / "theme.md").write_text(theme)
    schema = json.dumps(json_schema(Spec, by_alias=True), indent=2, ensure_ascii=False)
    (DOCS / "spec.schema.json").write_text(schema + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
