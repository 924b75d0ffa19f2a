"""The `editions:` section: one spec, many factsheets. A matrix of named keys (each key's
values listed or read from a data column), optional exclusions, an output path template,
extra template variables, and overrides that change any field of chosen editions. This
module only describes the section; :mod:`factsheet.editions` expands it."""

from __future__ import annotations

import re
from typing import Any

from pydantic import Field, field_validator, model_validator

from factsheet.spec.base import Model, Scalar, Where

KEY_NAME = re.compile(r"^[a-z][a-z0-9_]*$")


class FromData(Model):
    """Edition values read from a data column, in order of first appearance."""

    source: str
    """Name of a source declared under `data`."""
    column: str
    """Column whose distinct values become the key's values."""
    where: Where = {}
    """Row filters, as for figures."""


KeyFilter = dict[str, Scalar | list[Scalar]]


class Override(Model):
    """Changes for the editions whose keys match `when`."""

    when: KeyFilter
    """Key values the override applies to: `{region: Africa}`, or a list of values."""
    output: str | None = None
    """Output path for these editions, instead of the editions' `output` template."""
    variables: dict[str, str] = {}
    """Template variables for these editions (templates themselves)."""
    document: dict[str, Any] = {}
    """Fields of `document` to change, such as `title` or `subtitle`; `null` removes a
    field, so its default applies (`subtitle: null`)."""
    blocks: dict[str, dict[str, Any] | None] = {}
    """Fields to change in blocks, by block `id`: `{hero: {image: …}, intro: {text: …}}`.
    `null` removes a field (`{where: {year: null}}`), or the whole block (`intro:
    null`) from these editions."""
    figures: dict[str, dict[str, Any] | None] = {}
    """Fields to change in figures, by figure name; `null` removes a field (`{where:
    {continent: null}}` drops that filter). A name the spec does not declare adds a
    figure for these editions only: give its full definition (`source`, `column`, …)."""


class Editions(Model):
    """Many factsheets from one spec: every combination of the matrix's key values."""

    matrix: dict[str, list[Scalar] | FromData] = Field(min_length=1)
    """Keys and their values, such as `region: [Global, Africa]` or
    `region: {source: regions, column: region}`. Keys are variables in every template
    and in figure filters: `where: {region: "{{ region }}"}`. A key named `language`
    (`language: [en, fr, es]`) sets each edition's `document.language`; an edition in
    another language than the spec's own is built from that language's catalog,
    `translations/<spec>/<language>.po` (see docs/translations.md). An override may
    not set `document.language` to another value than the key's."""
    exclude: tuple[KeyFilter, ...] = ()
    """Combinations to leave out, such as `{region: Global, language: fr}`."""
    output: str = Field(pattern=r"\.pdf$")
    """Output path template: `output/2021/{region}.pdf`. Each `{key}` becomes a safe slug
    of the key's value; a template such as `output/{{ year }}/{{ region }}.pdf` works too
    (each inserted value becomes a slug as well)."""
    variables: dict[str, str] = {}
    """Extra template variables for every edition (templates themselves, so
    `place: "{{ region }}"` works)."""
    overrides: tuple[Override, ...] = ()
    """Per-edition changes, applied in order; a later override wins."""

    @field_validator("matrix")
    @classmethod
    def _key_names(cls, value: dict[str, Any]) -> dict[str, Any]:
        for key in value:
            if not KEY_NAME.match(key):
                raise ValueError(f"edition key '{key}' must be lower-case letters, digits and _")
        return value

    @model_validator(mode="after")
    def _known_keys(self) -> Editions:
        keys = set(self.matrix)
        for where in (*self.exclude, *(o.when for o in self.overrides)):
            unknown = set(where) - keys
            if unknown:
                raise ValueError(
                    f"unknown edition key '{sorted(unknown)[0]}' (keys: {', '.join(self.matrix)})"
                )
        plain = re.sub(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}", "", self.output)  # templates
        for name in re.findall(r"\{([^{}]*)\}", plain):
            if name not in keys:
                raise ValueError(f"output template names unknown key '{name}'")
        return self
