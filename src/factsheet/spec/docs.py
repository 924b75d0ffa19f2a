"""Field docstrings of the spec and theme models, for the JSON Schema and the reference docs.

A field is documented by a string literal written directly after it in the class body::

    title: str
    \"\"\"Main title.\"\"\"

Pydantic can read these itself (`use_attribute_docstrings`), but it does so for every
model at import time, which costs every `factsheet` run about 100 ms. Only
`factsheet schema` and `scripts/gen_docs.py` show descriptions, so this module reads
the docstrings on demand instead: each module's source is parsed once with `ast`, and
the result matches what pydantic would have put in `FieldInfo.description`.
"""

from __future__ import annotations

import ast
import functools
import inspect
import itertools
import typing
from typing import Any

from pydantic import BaseModel
from pydantic.json_schema import GenerateJsonSchema, JsonSchemaValue
from pydantic_core import core_schema

ClassDocs = dict[str, dict[str, str]]
"""Class qualified name -> field name -> docstring, for one module."""


def _class_body_docs(body: list[ast.stmt]) -> dict[str, str]:
    """Docstrings of the annotated names in one class body, as pydantic reads them."""
    docs: dict[str, str] = {}
    for statement, following in itertools.pairwise(body):
        if (
            isinstance(statement, ast.AnnAssign)
            and isinstance(statement.target, ast.Name)
            and isinstance(following, ast.Expr)
            and isinstance(following.value, ast.Constant)
            and isinstance(following.value.value, str)
        ):
            docs[statement.target.id] = inspect.cleandoc(following.value.value)
    return docs


@functools.cache
def _module_docs(path: str) -> ClassDocs:
    """Field docstrings of every class in the source file at `path` (parsed once)."""
    with open(path, encoding="utf-8") as source:
        tree = ast.parse(source.read(), filename=path)
    found: ClassDocs = {}

    def visit(body: list[ast.stmt], prefix: str) -> None:
        for node in body:
            if isinstance(node, ast.ClassDef):
                name = prefix + node.name
                found[name] = _class_body_docs(node.body)
                visit(node.body, name + ".")

    visit(tree.body, "")
    return found


def _own_docs(cls: type) -> dict[str, str]:
    """Docstrings of the fields annotated in `cls` itself (not its bases)."""
    try:
        path = inspect.getsourcefile(cls)
    except TypeError:  # a built-in class
        return {}
    if path is None:
        return {}
    return _module_docs(path).get(cls.__qualname__, {})


def field_docs(model: type[BaseModel]) -> dict[str, str]:
    """Field name -> description for every documented field of `model`.

    An explicit `Field(description=...)` wins; otherwise the docstring comes from the
    nearest class in the MRO that annotates the field, so inherited fields keep their
    parent's docstring and a field redeclared without one has none (as in pydantic).
    """
    docs: dict[str, str] = {}
    for name, info in model.model_fields.items():
        if info.description is not None:
            docs[name] = info.description
            continue
        owner = next((k for k in model.__mro__ if name in vars(k).get("__annotations__", {})), None)
        doc = _own_docs(owner).get(name) if owner is not None else None
        if doc is not None:
            docs[name] = doc
    return docs


class DescribedJsonSchema(GenerateJsonSchema):
    """JSON Schema generator that gives every model field its docstring as `description`.

    The description is added as pydantic adds a field's own: it replaces one that comes
    from the field's type (such as the generic one of lengths).
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._models: list[dict[str, str]] = []

    def model_schema(self, schema: core_schema.ModelSchema) -> JsonSchemaValue:
        self._models.append(field_docs(schema["cls"]))
        try:
            return super().model_schema(schema)
        finally:
            self._models.pop()

    def model_fields_schema(self, schema: core_schema.ModelFieldsSchema) -> JsonSchemaValue:
        docs = self._models[-1] if self._models else {}
        fields = {
            name: _described(field, docs.get(name)) for name, field in schema["fields"].items()
        }
        return super().model_fields_schema({**schema, "fields": fields})


def _described(field: core_schema.ModelField, doc: str | None) -> core_schema.ModelField:
    """A copy of `field` whose JSON Schema updates carry `doc` as its description."""
    if doc is None:
        return field
    metadata: dict[str, Any] = dict(field.get("metadata") or {})
    metadata["pydantic_js_updates"] = {
        **metadata.get("pydantic_js_updates", {}),
        "description": doc,
    }
    return {**field, "metadata": metadata}


def json_schema(model: type[BaseModel], by_alias: bool = True) -> dict[str, Any]:
    """The JSON Schema of `model`, with field docstrings as descriptions."""
    return model.model_json_schema(by_alias=by_alias, schema_generator=DescribedJsonSchema)


def model_classes(root: type[BaseModel]) -> list[type[BaseModel]]:
    """`root` and every model class its fields use, at any depth, in the order first
    met: the sections of the generated reference, and what schema tests sweep."""
    seen: list[type[BaseModel]] = []

    def visit(annotation: Any) -> None:
        is_model = isinstance(annotation, type) and issubclass(annotation, BaseModel)
        if is_model and annotation not in seen:
            seen.append(annotation)
            for info in annotation.model_fields.values():
                visit(info.annotation)
        for arg in typing.get_args(annotation):
            visit(arg)

    visit(root)
    return seen
