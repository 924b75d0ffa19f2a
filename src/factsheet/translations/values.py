"""Data values a reader sees as words: the categories and series of charts, the text
cells of tables and the text a figure prints from a `label` column. Each distinct
value of such a column is one catalog entry, in the order of the rows, with the context
`data.<source>.<column>` (so "Africa" in a region column and in a country column can
be translated apart). Only columns read as text are offered: numbers, years and dates
are formatted per language instead. Values are read from the whole source, not one
edition's rows, so one catalog serves every edition."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from factsheet.location import KeyPath
from factsheet.spec.loader import SourceMap
from factsheet.spec.model import Spec
from factsheet.translations.texts import Message


def shown_columns(spec: Spec) -> dict[tuple[str, str], KeyPath]:
    """(source, column) of every column whose text a reader sees, with the spec key
    path that shows it first, in spec order."""
    found: dict[tuple[str, str], KeyPath] = {}
    for name, figure in spec.figures.items():
        if figure.source is not None and figure.label is not None:
            found.setdefault((figure.source, figure.label), ("figures", name, "label"))
    for p, page in enumerate(spec.pages):
        for b, block in enumerate(page.blocks):
            at: KeyPath = ("pages", p, "blocks", b, block.kind)
            for source, column, field in _block_columns(block.kind, getattr(block, block.kind)):
                found.setdefault((source, column), (*at, *field))
    return found


def _block_columns(kind: str, body: Any) -> Iterator[tuple[str, str, KeyPath]]:
    if kind == "chart" and body.type != "map":
        yield body.source, body.x, ("x",)
        if body.series is not None:
            yield body.source, body.series, ("series",)
    elif kind == "table":
        for n, column in enumerate(body.columns):
            yield body.source, column.column, ("columns", n, "column")


def value_messages(
    spec: Spec, raw: Mapping[str, Any], source_map: SourceMap, root: Path
) -> list[Message]:
    """One message per distinct text value of every column shown as words."""
    from factsheet.data.derive import matrix_table

    sources = raw.get("data") if isinstance(raw.get("data"), dict) else {}
    assert isinstance(sources, dict)
    tables: dict[str, Any] = {}
    found: list[Message] = []
    for (source, column), at in shown_columns(spec).items():
        if source not in sources:
            continue  # the build reports an unknown source
        if source not in tables:
            tables[source] = matrix_table(source, sources, source_map, root)
        table = tables[source]
        if table.types.get(column) != "text":
            continue
        where = source_map.locate(at)
        for value in dict.fromkeys(table.rows[column].tolist()):
            if isinstance(value, str) and value.strip():
                found.append(Message(("data", source, column), value, where, "data"))
    return found
