"""Field docstrings are read on demand (factsheet.spec.docs) for the JSON Schema and the
reference docs, not by pydantic at import time. tests/test_docs.py checks that the
generated docs stay byte-identical."""

from __future__ import annotations

import json

from click.testing import CliRunner
from pydantic import Field

from factsheet.cli import main
from factsheet.spec.base import Model
from factsheet.spec.blocks import Hero
from factsheet.spec.docs import field_docs, json_schema
from factsheet.spec.model import Document, FigureSpec, Spec
from factsheet.theme_model import Theme


class Parent(Model):
    """A model for these tests."""

    documented: int = 0
    """Documented in the parent."""
    plain: int = 0
    redeclared: int = 0
    """The parent's words."""
    multi: str = ""
    """First line,
        indented second line."""


class Child(Parent):
    """Inherits and redeclares."""

    redeclared: int = 1
    explicit: str = Field("", description="Explicit.")
    """An explicit description wins over this."""
    not_a_docstring: int = 0
    _hidden = 1
    """After a plain assignment, so not a field docstring."""


def test_a_field_docstring_is_found() -> None:
    docs = field_docs(Document)
    assert docs["title"] == "Main title, printed in the title band and stored as the PDF title."
    assert field_docs(Parent)["documented"] == "Documented in the parent."


def test_an_inherited_field_keeps_its_docstring() -> None:
    assert "id" not in vars(Hero)["__annotations__"]
    assert field_docs(Hero)["id"].startswith("A name for the block")
    assert field_docs(Child)["documented"] == "Documented in the parent."


def test_a_field_without_docstring_has_none() -> None:
    parent, child = field_docs(Parent), field_docs(Child)
    assert "plain" not in parent and "plain" not in child
    assert parent["redeclared"] == "The parent's words."
    assert "redeclared" not in child  # redeclared without one, as pydantic reads it
    assert "not_a_docstring" not in child
    assert child["explicit"] == "Explicit."


def test_docstrings_are_cleaned() -> None:
    assert field_docs(Parent)["multi"] == "First line,\nindented second line."
    assert "\n`muted`" in field_docs(Theme)["colours"]


def test_models_do_not_read_docstrings_at_import() -> None:
    assert not Model.model_config.get("use_attribute_docstrings")
    assert Document.model_fields["title"].description is None


def test_json_schema_uses_aliases_and_overrides_type_descriptions() -> None:
    schema = json_schema(Spec)
    figure = schema["$defs"]["FigureSpec"]["properties"]
    assert "from_" not in figure
    assert figure["from"]["description"] == field_docs(FigureSpec)["from_"]
    assert schema["$defs"]["Spacer"]["properties"]["height"]["description"] == "How much space."
    assert "from_" in json_schema(Spec, by_alias=False)["$defs"]["FigureSpec"]["properties"]
    assert json_schema(Child)["properties"]["documented"]["description"] == (
        "Documented in the parent."
    )
    assert "description" not in json_schema(Child)["properties"]["redeclared"]


def test_schema_command_prints_field_descriptions() -> None:
    result = CliRunner().invoke(main, ["schema"])
    assert result.exit_code == 0, result.output
    schema = json.loads(result.output)
    title = schema["$defs"]["Document"]["properties"]["title"]
    assert title["description"].startswith("Main title")
    assert schema["properties"]["document"]["description"] == (
        "Title, metadata, paper size and page budget."
    )
