"""Expanding a spec's `editions:` matrix into editions. Each edition is the spec's own
YAML tree with that edition's overrides merged in (and a source map that still points
at the lines the values came from), its key values, its template variables and its
output path. A spec without `editions:` is one edition with no keys. Two editions that
would write the same file are an error before anything is built."""

from __future__ import annotations

import copy
import itertools
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from fnmatch import fnmatchcase
from pathlib import Path
from typing import Any

from factsheet.errors import ErrorGroup, FactsheetError, SpecError, did_you_mean
from factsheet.location import KeyPath
from factsheet.paths import resolve_inside
from factsheet.spec.editions import Editions, FromData, KeyFilter
from factsheet.spec.loader import LoadedYaml, SourceMap, load_yaml
from factsheet.spec.validate import project_root, validate
from factsheet.text import Templates


@dataclass(frozen=True)
class Edition:
    """One factsheet of a spec: its keys, variables, output and merged YAML tree."""

    spec_path: Path
    root: Path
    index: int  # position in matrix order
    keys: Mapping[str, str]
    variables: Mapping[str, str]
    output: Path
    data: Any = field(repr=False)
    source_map: SourceMap = field(repr=False)

    @property
    def label(self) -> str:
        """`region=Africa, language=fr`, or the spec's name for a spec without editions."""
        if not self.keys:
            return self.spec_path.stem
        return ", ".join(f"{k}={v}" for k, v in self.keys.items())


def load_editions(spec_path: Path) -> list[Edition]:
    """Every edition of the spec at `spec_path`, in matrix order."""
    loaded = load_yaml(spec_path)
    root = project_root(spec_path)
    raw = loaded.data if isinstance(loaded.data, dict) else {}
    if raw.get("editions") is None:
        return [_single(spec_path, root, loaded)]
    section = validate(Editions, raw["editions"], loaded.source_map, ("editions",))
    base = {k: v for k, v in raw.items() if k != "editions"}
    values = _matrix_values(section, base, loaded.source_map, root)
    editions: list[Edition] = []
    for combo in itertools.product(*values.values()):
        keys = dict(zip(values, combo, strict=True))
        if any(_matches(rule, keys) for rule in section.exclude):
            continue
        editions.append(_edition(spec_path, root, len(editions), keys, section, base, loaded))
    check_collisions(editions, loaded.source_map)
    return editions


def select(editions: Iterable[Edition], patterns: Mapping[str, list[str]]) -> list[Edition]:
    """Editions whose keys match every `--edition KEY=GLOB` given (any glob per key)."""
    chosen = []
    for edition in editions:
        if all(
            any(fnmatchcase(edition.keys.get(key, ""), glob) for glob in globs)
            or any(fnmatchcase(slug(edition.keys.get(key, "")), glob) for glob in globs)
            for key, globs in patterns.items()
        ):
            chosen.append(edition)
    return chosen


def slug(value: str) -> str:
    """A safe file-name part: `Asia and the Pacific` → `asia-and-the-pacific`."""
    ascii_text = unicodedata.normalize("NFKD", value).encode("ascii", "ignore").decode()
    text = re.sub(r"[^A-Za-z0-9]+", "-", ascii_text).strip("-").lower()
    return text or "edition"


def check_collisions(editions: list[Edition], source_map: SourceMap) -> None:
    seen: dict[Path, Edition] = {}
    problems: list[FactsheetError] = []
    for edition in editions:
        other = seen.setdefault(edition.output, edition)
        if other is not edition:
            problems.append(
                SpecError(
                    f"editions '{other.label}' and '{edition.label}' would both write "
                    f"'{edition.output.relative_to(edition.root)}'",
                    source_map.locate(("editions", "output")),
                    hint="put every key in the output template, e.g. output/{region}.pdf",
                )
            )
    if problems:
        raise problems[0] if len(problems) == 1 else ErrorGroup(problems)


def _single(spec_path: Path, root: Path, loaded: LoadedYaml) -> Edition:
    document = loaded.data.get("document") if isinstance(loaded.data, dict) else None
    relative = document.get("output") if isinstance(document, dict) else None
    output = _output(
        root,
        str(relative or f"output/{spec_path.stem}.pdf"),
        loaded.source_map,
        ("document", "output"),
    )
    return Edition(spec_path, root, 0, {}, {}, output, loaded.data, loaded.source_map)


def _matrix_values(
    section: Editions, base: dict[str, Any], source_map: SourceMap, root: Path
) -> dict[str, list[str]]:
    values: dict[str, list[str]] = {}
    for key, given in section.matrix.items():
        if isinstance(given, FromData):
            values[key] = _column_values(key, given, base, source_map, root)
        else:
            values[key] = [_text(v) for v in given]
        if not values[key]:
            raise SpecError(
                f"edition key '{key}' has no values", source_map.locate(("editions", "matrix", key))
            )
    return values


def _column_values(
    key: str, given: FromData, base: dict[str, Any], source_map: SourceMap, root: Path
) -> list[str]:
    from factsheet.data.derive import matrix_table
    from factsheet.data.filters import select_rows

    where = source_map.locate(("editions", "matrix", key, "source"))
    sources = base.get("data") or {}
    if given.source not in sources:
        raise SpecError(
            f"unknown data source '{given.source}'", where, did_you_mean(given.source, sources)
        )
    try:
        table = matrix_table(given.source, sources, source_map, root)
        if given.column not in table.types:
            raise table.unknown_column(given.column)
        rows = select_rows(table, given.where)
    except FactsheetError as exc:
        raise exc.located(where) from None
    return list(dict.fromkeys(_text(v) for v in rows[given.column]))


def _text(value: Any) -> str:
    raw = getattr(value, "raw", None)
    if raw is not None:
        return str(raw)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _matches(rule: KeyFilter, keys: Mapping[str, str]) -> bool:
    for key, wanted in rule.items():
        options = wanted if isinstance(wanted, list) else [wanted]
        if keys[key] not in {_text(o) for o in options}:
            return False
    return True


def _edition(
    spec_path: Path,
    root: Path,
    index: int,
    keys: dict[str, str],
    section: Editions,
    base: dict[str, Any],
    loaded: LoadedYaml,
) -> Edition:
    data = copy.deepcopy(base)
    source_map = loaded.source_map
    variables = dict(section.variables)
    sources: dict[str, KeyPath] = {name: ("editions", "variables", name) for name in variables}
    output: str = section.output
    output_path: KeyPath = ("editions", "output")
    for number, override in enumerate(section.overrides):
        if not _matches(override.when, keys):
            continue
        at: KeyPath = ("editions", "overrides", number)
        variables.update(override.variables)
        sources.update({name: (*at, "variables", name) for name in override.variables})
        if override.output is not None:
            output, output_path = override.output, (*at, "output")
        source_map = _apply(data, override.document, ("document",), (*at, "document"), source_map)
        for name, fields in override.figures.items():
            if name not in (data.get("figures") or {}):
                raise SpecError(
                    f"override names unknown figure '{name}'",
                    source_map.locate((*at, "figures", name), at_key=True),
                    did_you_mean(name, data.get("figures") or {}),
                )
            source_map = _apply(data, fields, ("figures", name), (*at, "figures", name), source_map)
        for block_id, fields in override.blocks.items():
            target = _block_path(data, block_id, source_map, (*at, "blocks", block_id))
            source_map = _apply(data, fields, target, (*at, "blocks", block_id), source_map)
    rendered = _render_variables(keys, variables, sources, source_map)
    path = output.format_map({k: slug(v) for k, v in keys.items()})
    return Edition(
        spec_path,
        root,
        index,
        keys,
        rendered,
        _output(root, path, source_map, output_path),
        data,
        source_map,
    )


def _render_variables(
    keys: Mapping[str, str],
    variables: Mapping[str, str],
    sources: Mapping[str, KeyPath],
    source_map: SourceMap,
) -> dict[str, str]:
    """Render edition variables in order: each sees the keys and the ones before it."""
    rendered: dict[str, str] = {}
    for name, template in variables.items():
        try:
            rendered[name] = Templates({**keys, **rendered}).render_value(template)
        except FactsheetError as exc:
            raise exc.located(source_map.locate(sources[name])) from None
    return rendered


def _apply(
    data: dict[str, Any],
    fields: Mapping[str, Any],
    target: KeyPath,
    origin: KeyPath,
    source_map: SourceMap,
) -> SourceMap:
    """Merge `fields` into the mapping at `target`, keeping their marks from `origin`."""
    node: Any = data
    for part in target:
        node = node.setdefault(part, {}) if isinstance(part, str) else node[part]
    for name, value in fields.items():
        if isinstance(value, dict) and isinstance(node.get(name), dict):
            source_map = _apply(data, value, (*target, name), (*origin, name), source_map)
        else:
            node[name] = copy.deepcopy(value)
            source_map = source_map.graft((*target, name), (*origin, name))
    return source_map


def _block_path(data: dict[str, Any], block_id: str, source_map: SourceMap, at: KeyPath) -> KeyPath:
    known = []
    for p, page in enumerate(data.get("pages") or []):
        for b, block in enumerate((page or {}).get("blocks") or []):
            if isinstance(block, dict) and len(block) == 1:
                kind, body = next(iter(block.items()))
                if isinstance(body, dict) and body.get("id") is not None:
                    known.append(str(body["id"]))
                    if str(body["id"]) == block_id:
                        return ("pages", p, "blocks", b, kind)
    raise SpecError(
        f"override names unknown block id '{block_id}'",
        source_map.locate(at, at_key=True),
        did_you_mean(block_id, known) or f"ids: {', '.join(known) or 'none'}",
    )


def _output(root: Path, relative: str, source_map: SourceMap, at: KeyPath) -> Path:
    try:
        path = resolve_inside(root, relative)
    except ValueError as exc:
        raise SpecError(str(exc), source_map.locate(at)) from None
    if path.suffix.lower() != ".pdf":
        raise SpecError("the output file must end in .pdf", source_map.locate(at))
    return path
