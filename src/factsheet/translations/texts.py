"""Which texts of a spec a reader sees, found where they are written: the model's text
fields (the templates table says which: :mod:`factsheet.spec.templates`), the spec's
`variables`, `editions.variables`, and each override's `variables` and the text fields
it changes in `document` and in blocks. Every text is named by its key path in the
merged raw spec tree (`editions.overrides[4].blocks.trends.text`); a block written
in short form (`- heading: Where people move`) is named as its long form would be
(`pages[0].blocks[1].heading.text`). A text that is nothing but placeholders
(`"{{ officials_trained }}"`) has nothing to translate and is left out, and so are the
texts of an override that applies only to editions in other languages (`when:
{language: fr}`): they are written in that language already."""

from __future__ import annotations

import re
import typing
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel

from factsheet.location import KeyPath, Location
from factsheet.spec.base import shorthand_of
from factsheet.spec.blocks import Block
from factsheet.spec.loader import SourceMap
from factsheet.spec.model import DEFAULT_LANGUAGE, Document, Spec
from factsheet.spec.templates import plan

ONLY_PLACEHOLDERS = re.compile(r"\s*(?:\{\{.*?\}\}\s*)*", re.DOTALL)


@dataclass(frozen=True)
class Message:
    """One translatable text: where it is and what it says."""

    path: KeyPath
    text: str
    location: Location
    kind: str  # the block kind, "document", "variables" or "editions"


def worth_translating(text: str) -> bool:
    """Whether `text` has words of its own (not only placeholders and spaces)."""
    return ONLY_PLACEHOLDERS.fullmatch(text) is None


def spec_messages(spec: Spec, raw: Mapping[str, Any], source_map: SourceMap) -> list[Message]:
    """Every text of the spec a reader may see, in spec order within each part: the
    model's text fields, then the variables, then the editions' texts."""
    found: list[tuple[KeyPath, str, str]] = []
    for path, text in model_texts(spec, ()):
        kind = str(path[4]) if path[:1] == ("pages",) and len(path) > 4 else str(path[0])
        found.append((path, text, kind))
    found += [(p, t, "variables") for p, t in _variables(raw.get("variables"), ("variables",))]
    editions = raw.get("editions")
    if isinstance(editions, dict):
        document = raw.get("document")
        language = document.get("language") if isinstance(document, dict) else None
        found += _edition_texts(editions, raw, str(language or DEFAULT_LANGUAGE))
    return [
        Message(path, text, source_map.locate(path), kind)
        for path, text, kind in found
        if worth_translating(text)
    ]


def model_texts(model: BaseModel, path: KeyPath) -> Iterator[tuple[KeyPath, str]]:
    """(key path, text) of every text field of `model`."""
    fields = model.__dict__
    for name, key, rule, _ in plan(type(model)):
        value = fields[name]
        if value is not None:
            text_rule = rule is not None and rule.kind == "text"
            yield from _within(value, text_rule, (*path, key))


def _within(value: Any, text: bool, path: KeyPath) -> Iterator[tuple[KeyPath, str]]:
    if isinstance(value, str):
        if text:
            yield path, value
    elif isinstance(value, BaseModel):
        yield from model_texts(value, path)
    elif isinstance(value, tuple | list):
        for index, item in enumerate(value):
            yield from _within(item, text, (*path, index))
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _within(item, text, (*path, key))


def _variables(given: Any, path: KeyPath) -> list[tuple[KeyPath, str]]:
    if not isinstance(given, dict):
        return []
    return [((*path, name), value) for name, value in given.items() if isinstance(value, str)]


def _edition_texts(
    editions: dict[str, Any], raw: Mapping[str, Any], source: str
) -> list[tuple[KeyPath, str, str]]:
    found = [
        (p, t, "editions")
        for p, t in _variables(editions.get("variables"), ("editions", "variables"))
    ]
    overrides = editions.get("overrides")
    for number, override in enumerate(overrides if isinstance(overrides, list) else []):
        if not isinstance(override, dict) or _other_language(override, source):
            continue
        at: KeyPath = ("editions", "overrides", number)
        found += [
            (p, t, "editions") for p, t in _variables(override.get("variables"), (*at, "variables"))
        ]
        document = override.get("document")
        if isinstance(document, dict):
            found += [
                (p, t, "document")
                for p, t in _leaves(document, (*at, "document"))
                if is_text_path(Document, p[len(at) + 1 :])
            ]
        blocks = override.get("blocks")
        for block_id, fields in blocks.items() if isinstance(blocks, dict) else ():
            model = _block_model(raw, str(block_id))
            if model is None or not isinstance(fields, dict):
                continue  # an unknown block is the build's error to report
            here: KeyPath = (*at, "blocks", block_id)
            found += [
                (p, t, model[0])
                for p, t in _leaves(fields, here)
                if is_text_path(model[1], p[len(here) :])
            ]
    return found


def _other_language(override: dict[str, Any], source: str) -> bool:
    """Whether the override applies only to editions in other languages than the
    spec's own (`when: {language: fr}`): its texts are written in those already."""
    when = override.get("when")
    wanted = when.get("language") if isinstance(when, dict) else None
    if wanted is None:
        return False
    values = wanted if isinstance(wanted, list) else [wanted]
    return source not in [str(v) for v in values]


def _leaves(value: Any, path: KeyPath) -> Iterator[tuple[KeyPath, str]]:
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _leaves(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _leaves(item, (*path, index))


def is_text_path(model: type[BaseModel], path: KeyPath) -> bool:
    """Whether the value at `path` inside a `model` is a text field."""
    if not path or not isinstance(path[0], str):
        return False
    for _, key, rule, nested in plan(model):
        if key != path[0]:
            continue
        if rule is not None and rule.kind == "text":
            return True
        rest = path[1:]
        while rest and isinstance(rest[0], int):
            rest = rest[1:]
        field = next(f for n, f in model.model_fields.items() if (f.alias or n) == key)
        if not rest:  # a value in short form: `total: All regions` is `total.label`
            short = shorthand_of(field.annotation, field.metadata)
            rest = (short,) if short else ()
        return nested and any(is_text_path(m, rest) for m in _models(field.annotation))
    return False


def _models(annotation: Any) -> list[type[BaseModel]]:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [annotation]
    return [m for arg in typing.get_args(annotation) for m in _models(arg)]


def _block_model(raw: Mapping[str, Any], block_id: str) -> tuple[str, type[BaseModel]] | None:
    """The kind and model class of the block with `block_id` in the raw tree."""
    for page in raw.get("pages") or []:
        for block in (page or {}).get("blocks") or [] if isinstance(page, dict) else []:
            if not (isinstance(block, dict) and len(block) == 1):
                continue
            kind, body = next(iter(block.items()))
            if isinstance(body, dict) and str(body.get("id")) == block_id:
                field = Block.model_fields.get(str(kind))
                models = _models(field.annotation) if field is not None else []
                return (str(kind), models[0]) if models else None
    return None
