"""Provenance and incremental builds. An edition's input digest covers everything its
PDF depends on: the tool's version, its merged spec, the theme's files, the images it
shows, and the very data rows its figures and charts read. An unchanged digest (and an
untouched PDF) means the edition is up to date. The manifest, one JSON file per spec,
`<project>/output/<spec name>.manifest.json`, records the spec it belongs to and each
edition's keys, output, digest, PDF hash, page count, build time, warnings, and every
printed figure with the rows it came from. It is also the record of which spec owns
which PDF (see :mod:`factsheet.editions.owners`)."""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from factsheet import __version__
from factsheet.cache import file_digest, tool_fingerprint
from factsheet.data.sources import Table
from factsheet.data_stage import DataStage
from factsheet.errors import FactsheetError
from factsheet.output import write_atomic
from factsheet.paths import resolve_inside
from factsheet.spec.templates import is_template
from factsheet.spec.validate import LoadedSpec, project_root
from factsheet.text import Templates
from factsheet.theme import LoadedTheme

MANIFEST_VERSION = 1


def input_digest(loaded: LoadedSpec, theme: LoadedTheme, data: DataStage) -> str:
    """sha256 over every input of one edition."""
    digest = hashlib.sha256()
    spec_text = loaded.spec.model_dump_json(by_alias=True)
    editions: dict[str, Any] = {"keys": dict(loaded.keys), "variables": dict(loaded.variables)}
    if loaded.values is not None:  # data values shown translated
        editions["values"] = {k: dict(v) for k, v in loaded.values.translated.items()}
    tool = f"factsheet {__version__} {tool_fingerprint()}"
    digest.update(f"{tool}\n{spec_text}\n{json.dumps(editions)}\n".encode())
    if loaded.output is not None:
        digest.update(str(loaded.output.relative_to(loaded.root)).encode())
    for path in [*theme.files(), *image_files(loaded, data.templates)]:
        digest.update(f"{path.name}:{file_digest(path)}\n".encode())
    for table, lines in _rows_read(data):
        digest.update(f"{table.display_path}:{','.join(map(str, lines))}\n".encode())
        digest.update(_row_hashes(table, lines))
    return digest.hexdigest()


def image_files(loaded: LoadedSpec, templates: Templates | None = None) -> list[Path]:
    """The photos and images an edition shows (those that exist); a path written as a
    template (`assets/photos/{{ region }}.jpg`) is rendered for the edition."""
    names = []
    for page in loaded.spec.pages:
        for block in page.blocks:
            if block.hero is not None:
                names.append(block.hero.image)
            if block.image is not None:
                names.append(block.image.file)
    found = []
    for name in names:
        if templates is not None and is_template(name):
            try:
                name = templates.render_value(name)
            except FactsheetError:
                continue  # reported by the block that shows it
        try:
            path = resolve_inside(loaded.root, name)
        except ValueError:
            continue
        if path.is_file():
            found.append(path)
    return found


def _rows_read(data: DataStage) -> Iterable[tuple[Table, tuple[int, ...]]]:
    """The file rows every printed figure, chart and table block reads: for a derived
    source, the file rows its rows came from (so editing any of them rebuilds)."""
    by_path = {t.display_path: t for t in data.tables.values() if not t.is_derived}
    for figure in data.figures.values():
        prov = figure.provenance
        if prov.derived_from is not None:
            for path, lines in sorted(prov.derived_from.items()):
                yield by_path[path], lines
        elif prov.source:
            yield by_path[prov.source], tuple(sorted({*prov.rows, *prov.of_rows}))
    for rows in (*data.chart_rows.values(), *data.table_rows.values()):
        if rows.derived_from is not None:
            for path, lines in sorted(rows.derived_from.items()):
                yield by_path[path], lines
        else:
            yield by_path[rows.source], rows.lines


def _row_hashes(table: Table, lines: tuple[int, ...]) -> bytes:
    hashes = table.row_hashes
    return b"".join(hashes.get(line, b"?") for line in lines)


MANIFEST_FOLDER = "output"


def manifest_path(spec_path: Path) -> Path:
    """`<project>/output/<spec file name without .yaml>.manifest.json`, wherever the
    spec's PDFs go: one manifest per spec, all of a project's in one folder."""
    return project_root(spec_path) / MANIFEST_FOLDER / f"{spec_path.stem}.manifest.json"


def earlier_manifest_path(spec_path: Path, outputs: Iterable[Path]) -> Path:
    """Where factsheet 0.x kept the manifest: in the deepest folder holding every
    output. Read once when the manifest is not yet at :func:`manifest_path`."""
    folders = [p.parent for p in outputs]
    common = folders[0] if folders else spec_path.parent
    for folder in folders[1:]:
        while not folder.is_relative_to(common):
            common = common.parent
    return common / f"{spec_path.stem}.manifest.json"


def read_manifest(path: Path) -> dict[str, Any]:
    """The editions recorded in a manifest, by label; empty when there is none (or it
    cannot be read: it is a cache of facts that a build can always recompute)."""
    document = read_document(path)
    editions = document.get("editions") if document else None
    return editions if isinstance(editions, dict) else {}


def read_document(path: Path) -> dict[str, Any] | None:
    """A whole manifest, or None when there is none that this version can read."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict) or data.get("manifest_version") != MANIFEST_VERSION:
        return None
    return data


def write_manifest(path: Path, spec_path: Path, editions: Mapping[str, Any]) -> None:
    """Write a spec's manifest. `spec` is the spec's path inside its project, and
    `project` the way from the manifest's folder to the project, so the record still
    holds when the project is moved; each edition's `output` is inside the project."""
    root = project_root(spec_path)
    document = {
        "manifest_version": MANIFEST_VERSION,
        "tool": f"factsheet {__version__}",
        "spec": spec_path.resolve().relative_to(root).as_posix(),
        "project": Path(os.path.relpath(root, path.parent)).as_posix(),
        "editions": dict(editions),
    }
    text = json.dumps(document, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
    write_atomic(path, text.encode("utf-8"), root)


def figures_record(data: DataStage) -> dict[str, Any]:
    """Every figure with its value, printed text and provenance, for the manifest."""
    record = {}
    for name, figure in data.figures.items():
        entry = {
            "value": figure.value,
            "text": figure.text,
            "provenance": figure.provenance.record(),
        }
        record[name] = entry
    return record


def charts_record(
    data: DataStage,
    alt_texts: Mapping[str, str] | None = None,
    values: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """Every chart's rows and, once built, its alt text (for readers and audits) and
    its values: each value's printed text and the rows it came from."""
    record: dict[str, Any] = {}
    for block_id, rows in data.chart_rows.items():
        record[block_id] = {"source": rows.source, "where": dict(rows.where)}
        if rows.derived_from is not None:
            record[block_id]["derived_from"] = {k: list(v) for k, v in rows.derived_from.items()}
        else:
            record[block_id]["rows"] = list(rows.lines)
        if rows.missing is not None:
            record[block_id]["missing"] = dict(rows.missing)
        if alt_texts and block_id in alt_texts:
            record[block_id]["alt"] = alt_texts[block_id]
        if values and block_id in values:
            record[block_id]["values"] = values[block_id]
    return record


def alt_texts(items: Iterable[Any]) -> dict[str, str]:
    """The alt text of each block that has one, by block id."""
    found = {}
    for item in items:
        for flowable in item.flowables:
            text = getattr(flowable, "alt_text", "")
            if text:
                found[item.block_id] = text
    return found


def tables_record(items: Iterable[Any]) -> dict[str, Any]:
    """Every table block's printed cells and total, with the rows each came from, by
    block id (see :mod:`factsheet.blocks.traces`)."""
    return _traces(items, "table")


def labels_record(items: Iterable[Any]) -> dict[str, Any]:
    """Every chart's values with their printed text and rows, by block id."""
    return _traces(items, "chart")


def _traces(items: Iterable[Any], kind: str) -> dict[str, Any]:
    found = {}
    for item in items:
        if item.kind != kind:
            continue
        for flowable in item.flowables:
            trace = getattr(flowable, "trace", None)
            if trace is not None:
                found[item.block_id] = trace.record()
    return found
