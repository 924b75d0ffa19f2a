"""Blocks written with one of their kind's own fields beside the kind instead of inside
it: `- heading: Text` over `level: 2` on the next line, or `callout:` over a `text:`
indented too little. Said as what to write instead, for the block list of a page and
for a block that `extends` adds."""

from __future__ import annotations

import json
import typing
from typing import Any

from factsheet.spec.blocks import BLOCK_KINDS, Block, BlockBase

SHORTHANDS = {
    "heading": "text", "paragraph": "text", "quote": "text", "callout": "text",
    "image": "file", "spacer": "height",
}  # fmt: skip
"""The field a block kind's shorthand fills in: `- heading: Text` is `{text: Text}`."""


def kind_fields(kind: str) -> list[str]:
    """The fields a block kind takes (`text`, `level`, … for `heading`)."""
    info = Block.model_fields.get(kind)
    for model in typing.get_args(info.annotation) if info is not None else ():
        if isinstance(model, type) and issubclass(model, BlockBase):
            return [field.alias or name for name, field in model.model_fields.items()]
    return []


def stray_fields(data: dict[str, Any]) -> str | None:
    """For a block written as one kind with some of that kind's own fields beside it
    instead of inside it (`- heading: Text` over `level: 2` on the next line, a line
    indented too little), what to write instead; None for other mistakes."""
    kinds = [key for key in data if key in BLOCK_KINDS]
    if len(kinds) != 1:
        return None
    kind = kinds[0]
    others = [str(key) for key in data if key != kind]
    fields = kind_fields(kind)
    if not others or any(key not in fields for key in others):
        return None
    names = " and ".join(f"`{key}`" for key in others)
    verb = "belongs" if len(others) == 1 else "belong"
    body = data[kind]
    if body is None or isinstance(body, dict):
        lines = ", ".join(f"`{key}:`" for key in others)
        return f"{names} {verb} inside `{kind}`: indent {lines} under `{kind}:`"
    pairs = [(SHORTHANDS.get(kind, "text"), body), *((key, data[key]) for key in others)]
    written = ", ".join(f"{key}: {_flow_scalar(value)}" for key, value in pairs)
    return f"{names} {verb} inside `{kind}`: write `{kind}: {{{written}}}`"


def _flow_scalar(value: Any) -> str:
    """`value` as it can be written inside `{…}`: quoted when YAML would misread it."""
    text = str(value).strip()
    if len(text) > 40:
        text = text[:37] + "…"
    if value is None:
        return "null"
    if isinstance(value, str) and (set(text) & set(",:{}[]#&*!|>'\"%@`") or text != value):
        return json.dumps(text, ensure_ascii=False)
    return text
