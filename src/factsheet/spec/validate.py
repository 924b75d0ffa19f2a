"""From a YAML tree to a frozen model, with every problem located. Pydantic finds what is
wrong; this module says it in the user's terms (`unknown key 'titel'; did you mean
'title'?`) and pins each problem to its file, line, column and key path through the
loader's source map. It also checks references between parts of a spec (a chart naming
a source that is not declared, say). All problems are collected and raised together."""

from __future__ import annotations

import types
import typing
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from factsheet.errors import ErrorGroup, FactsheetError, SpecError, did_you_mean
from factsheet.location import KeyPath
from factsheet.spec.loader import SourceMap, load_yaml
from factsheet.spec.model import Spec

M = TypeVar("M", bound=BaseModel)

# Lengths are points inside; their limits are told in millimetres, as users write them.
LENGTHS = {"height", "width"}

# What a value that fails a field's pattern should look like, in the user's terms.
PATTERN_MESSAGES = {
    "output": ("is not a PDF file name", "end the path in .pdf"),
    "email": ("is not an email address", "write it like name@example.org"),
    "website": ("is not a web address", "start it with https:// or http://"),
    "theme": ("is not a theme name", "use a file name from assets/themes/, without .yaml"),
    "language": ("is not a language tag", "write it like en, fr or es-AR"),
    "id": ("is not a block id", "start with a letter; use letters, digits, - and _"),
}


@dataclass(frozen=True)
class LoadedSpec:
    """A validated spec (one edition of it) with what is needed to locate problems
    found later, its edition keys and variables, and where its PDF goes."""

    spec: Spec
    path: Path
    root: Path
    source_map: SourceMap
    keys: Mapping[str, str] = field(default_factory=dict)
    variables: Mapping[str, str] = field(default_factory=dict)
    output: Path | None = None

    @property
    def name(self) -> str:
        return self.path.stem


def load_spec(path: Path, root: Path | None = None) -> LoadedSpec:
    """Load, validate and cross-check a spec file without editions (or the spec's
    base, ignoring its `editions:`). Raises a located error or a group."""
    loaded = load_yaml(path)
    return validate_spec(loaded.data, path, root or project_root(path), loaded.source_map)


def validate_spec(
    data: Any, path: Path, root: Path, source_map: SourceMap, **edition: Any
) -> LoadedSpec:
    """Validate one (edition's) YAML tree and check its internal references."""
    spec = validate(Spec, data, source_map)
    problems = list(check_references(spec, source_map))
    if problems:
        raise _one_or_group(problems)
    return LoadedSpec(spec, path, root, source_map, **edition)


def project_root(spec_path: Path) -> Path:
    """The project is the folder holding `factsheets/`, else the spec's own folder."""
    folder = spec_path.resolve().parent
    return folder.parent if folder.name == "factsheets" else folder


def validate(model: type[M], data: Any, source_map: SourceMap, prefix: KeyPath = ()) -> M:
    """Validate `data` (found at `prefix` in its file) against `model`, turning
    pydantic's errors into located ones."""
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        problems = [_translate(model, err, source_map, prefix) for err in _dedupe(exc.errors())]
        raise _one_or_group(problems) from None


def _one_or_group(problems: Sequence[FactsheetError]) -> FactsheetError:
    return problems[0] if len(problems) == 1 else ErrorGroup(problems)


def _dedupe(errors: list[ErrorDetails]) -> list[ErrorDetails]:
    """Keep one error per location: a union reports once per branch otherwise."""
    seen: dict[tuple[Any, ...], ErrorDetails] = {}
    for err in errors:
        seen.setdefault(tuple(err["loc"]), err)
    # A list whose items failed also reports itself as too short: say only the cause.
    return [
        err
        for loc, err in seen.items()
        if not (err["type"] == "too_short" and any(o[: len(loc)] == loc and o != loc for o in seen))
    ]


def _translate(
    model: type[BaseModel], err: ErrorDetails, source_map: SourceMap, prefix: KeyPath = ()
) -> SpecError:
    local: KeyPath = tuple(p for p in err["loc"] if isinstance(p, str | int))
    path = (*prefix, *local)
    kind = err["type"]
    if kind == "extra_forbidden":
        parent = _model_at(model, local[:-1])
        key = str(path[-1])
        choices = _field_names(parent) if parent else []
        what = "block kind" if parent is not None and parent.__name__ == "Block" else "key"
        hint = did_you_mean(key, choices) or (f"allowed: {', '.join(choices)}" if choices else "")
        return SpecError(f"unknown {what} '{key}'", source_map.locate(path, at_key=True), hint)
    if kind == "missing":
        return SpecError(f"missing required key '{path[-1]}'", source_map.locate(path[:-1]), "")
    if kind == "literal_error":
        expected = err.get("ctx", {}).get("expected", "")
        choices = [c.strip(" '") for c in str(expected).replace(" or ", ", ").split(",")]
        hint = did_you_mean(str(err["input"]), choices)
        return SpecError(
            f"{err['input']!r} is not one of {expected}", source_map.locate(path), hint
        )
    if kind in ("greater_than_equal", "less_than_equal") and path and path[-1] in LENGTHS:
        bound = err.get("ctx", {}).get("ge" if kind == "greater_than_equal" else "le", 0)
        word = "at least" if kind == "greater_than_equal" else "at most"
        limit = f"{float(bound) * 25.4 / 72:.0f}mm"
        return SpecError(f"{path[-1]} must be {word} {limit}", source_map.locate(path))
    if kind == "string_pattern_mismatch" and str(path[-1]) in PATTERN_MESSAGES:
        message, hint = PATTERN_MESSAGES[str(path[-1])]
        return SpecError(f"{err['input']!r} {message}", source_map.locate(path), hint)
    message = err["msg"].removeprefix("Value error, ")
    return SpecError(_lower_first(message), source_map.locate(path))


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


def _field_names(model: type[BaseModel]) -> list[str]:
    return [info.alias or name for name, info in model.model_fields.items()]


def _model_at(model: type[BaseModel], path: KeyPath) -> type[BaseModel] | None:
    """The model class that validates the mapping at `path`, if there is one."""
    current: Any = model
    for part in path:
        current = _unwrap(current)
        if isinstance(current, type) and issubclass(current, BaseModel):
            field = next(
                (f for n, f in current.model_fields.items() if (f.alias or n) == part), None
            )
            if field is None:
                return None
            current = field.annotation
        else:
            args = typing.get_args(current)
            current = args[-1] if args else None
            if current is Ellipsis:
                current = args[0]
    current = _unwrap(current)
    return current if isinstance(current, type) and issubclass(current, BaseModel) else None


def _unwrap(annotation: Any) -> Any:
    """Strip Optional and Annotated, and pick the model out of a union."""
    while True:
        origin = typing.get_origin(annotation)
        if origin is typing.Annotated:
            annotation = typing.get_args(annotation)[0]
        elif origin in (typing.Union, types.UnionType):
            options = [a for a in typing.get_args(annotation) if a is not type(None)]
            models = [a for a in options if isinstance(a, type) and issubclass(a, BaseModel)]
            annotation = models[0] if models else options[0]
        else:
            return annotation


def check_references(spec: Spec, source_map: SourceMap) -> list[FactsheetError]:
    """Names used in one part of the spec that another part must declare."""
    problems: list[FactsheetError] = []
    sources = list(spec.data)

    def need_source(name: str, path: KeyPath) -> None:
        if name not in spec.data:
            listed = ", ".join(sources) or "none declared"
            hint = did_you_mean(name, sources) or f"sources: {listed}"
            problems.append(
                SpecError(f"unknown data source '{name}'", source_map.locate(path), hint)
            )

    for name, figure in spec.figures.items():
        if figure.source is not None:  # figure arithmetic names figures, not a source
            need_source(figure.source, ("figures", name, "source"))
    for p, page in enumerate(spec.pages):
        for b, block in enumerate(page.blocks):
            if block.chart is not None:
                need_source(block.chart.source, ("pages", p, "blocks", b, "chart", "source"))
            if block.table is not None:
                need_source(block.table.source, ("pages", p, "blocks", b, "table", "source"))
            if block.key_figures is not None:
                for t, tile in enumerate(block.key_figures.tiles):
                    if tile.delta is not None and tile.delta not in spec.figures:
                        where = ("pages", p, "blocks", b, "key_figures", "tiles", t, "delta")
                        hint = did_you_mean(tile.delta, spec.figures)
                        problems.append(
                            SpecError(
                                f"unknown figure '{tile.delta}'", source_map.locate(where), hint
                            )
                        )
    return problems
