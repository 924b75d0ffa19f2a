"""From a YAML tree to a frozen model, with every problem located. Pydantic finds what is
wrong; :mod:`factsheet.spec.wording` says it in the user's terms (`unknown key 'titel'
(did you mean 'title'?)`) and pins each problem to its file, line, column and key path
through the loader's source map. This module also checks references between parts of a
spec (a chart naming a source that is not declared, say) and template syntax written
where no template is allowed; those problems leave the spec usable, so they travel with
it to the content stage and are reported there with every other problem found."""

from __future__ import annotations

import functools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from pydantic import BaseModel, ValidationError

from factsheet.errors import ErrorGroup, FactsheetError, SpecError, did_you_mean
from factsheet.location import KeyPath
from factsheet.spec.extends import load_spec_yaml
from factsheet.spec.loader import SourceMap
from factsheet.spec.model import Spec
from factsheet.spec.templates import (
    Found,
    Rule,
    fixed_problems,
    is_template,
    not_a_template,
    references,
    rule_for,
    texts,
)
from factsheet.spec.wording import model_at, translate

if TYPE_CHECKING:
    from factsheet.translations.names import DataNames

M = TypeVar("M", bound=BaseModel)


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
    problems: tuple[FactsheetError, ...] = ()
    """Problems found in the spec that leave it usable (a name that is not declared,
    template syntax in a fixed field, a variable that cannot be rendered): the content
    stage reports them together with every other problem it finds, skipping only what
    depends on them."""
    broken: frozenset[str] = frozenset()
    """Variables whose problem is among `problems`: a template using one is not
    reported again."""
    values: DataNames | None = None
    """Translations of data values for the edition's language (for an edition built
    from a catalog): used where values are shown."""
    found: tuple[Found, ...] | None = None
    """Every text of the spec that holds template syntax or names a source or figure
    (:func:`~factsheet.spec.templates.texts`), found once while validating."""

    @property
    def name(self) -> str:
        return self.path.stem

    @functools.cached_property
    def titled(self) -> bool:
        """Whether a title band gives the factsheet its top heading (H1): then a
        section heading is an H2 (asked once per block, so worked out once)."""
        return any(b.kind == "title_band" for page in self.spec.pages for b in page.blocks)

    def found_under(self, path: KeyPath) -> list[Found]:
        """The `found` texts of the block, figure or section at `path` (such as
        `("pages", 0, "blocks", 3, "chart")` or `("figures", "share")`), without
        walking the model again."""
        if self.found is None:
            return texts(_model_at_path(self.spec, path), path)
        return list(self._found_index.get(path, ()))

    @functools.cached_property
    def _found_index(self) -> dict[KeyPath, list[Found]]:
        index: dict[KeyPath, list[Found]] = {}
        for item in self.found or ():
            depth = 5 if item.path[:1] == ("pages",) else 2
            index.setdefault(tuple(item.path[:depth]), []).append(item)
        return index


def _model_at_path(spec: Spec, path: KeyPath) -> BaseModel:
    node: Any = spec
    for part in path:
        node = (
            node[part] if isinstance(part, int) or isinstance(node, dict) else getattr(node, part)
        )
    return node  # type: ignore[no-any-return]


def load_spec(path: Path, root: Path | None = None) -> LoadedSpec:
    """Load, validate and cross-check a spec file without editions (or the spec's
    base, ignoring its `editions:`). Raises a located error or a group."""
    root = root or project_root(path)
    loaded = load_spec_yaml(path, root)
    result = validate_spec(loaded.data, path, root, loaded.source_map)
    if result.problems:
        raise _one_or_group(result.problems)
    return result


def validate_spec(
    data: Any, path: Path, root: Path, source_map: SourceMap, **edition: Any
) -> LoadedSpec:
    """Validate one (edition's) YAML tree. Problems that leave a usable model (names
    that are not declared, template syntax in fixed fields) are kept in the result's
    `problems` for the content stage to report with the others; a tree that is not a
    valid spec raises."""
    earlier: tuple[FactsheetError, ...] = tuple(edition.pop("problems", ()))
    try:
        spec = validate(Spec, data, source_map)
    except FactsheetError as exc:
        # Template syntax in fixed fields is reported even when the spec is not valid,
        # and so are the problems found while expanding the edition.
        invalid = exc.errors if isinstance(exc, ErrorGroup) else [exc]
        reported = {_path(e) for e in invalid}
        extra = [e for e in raw_fixed_problems(Spec, data, source_map) if _path(e) not in reported]
        raise _one_or_group([*earlier, *invalid, *extra]) from None
    found = texts(spec)
    problems = (
        *earlier,
        *check_references(spec, source_map, found),
        *fixed_problems(spec, source_map, found=found),
    )
    return LoadedSpec(
        spec, path, root, source_map, problems=problems, found=tuple(found), **edition
    )


def project_root(spec_path: Path) -> Path:
    """The project is the folder holding `factsheets/`, else the spec's own folder."""
    folder = spec_path.resolve().parent
    return folder.parent if folder.name == "factsheets" else folder


def validate(model: type[M], data: Any, source_map: SourceMap, prefix: KeyPath = ()) -> M:
    """Validate `data` (found at `prefix` in its file) against `model`, turning
    pydantic's errors into located ones in the spec's own words."""
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        problems = translate(model, exc.errors(), data, source_map, prefix)
        raise _one_or_group(problems) from None


def _one_or_group(problems: Sequence[FactsheetError]) -> FactsheetError:
    return problems[0] if len(problems) == 1 else ErrorGroup(problems)


def _path(error: FactsheetError) -> KeyPath:
    return error.location.key_path if error.location is not None else ()


def raw_fixed_problems(
    model: type[BaseModel], data: Any, source_map: SourceMap, path: KeyPath = ()
) -> list[FactsheetError]:
    """Template syntax in fixed fields, found in the YAML tree itself (for a tree that
    is not a valid spec, so that these problems are not left for the next run)."""
    problems: list[FactsheetError] = []
    if isinstance(data, dict):
        for key, value in data.items():
            if isinstance(key, str) and is_template(key):
                rule = _rule_at(model, (*path, key))
                if rule is not None and rule.keys is not None and rule.keys.kind == "fixed":
                    found = Found(rule.keys, (*path, key), key, key=True)
                    problems.append(not_a_template(found, source_map))
            problems += raw_fixed_problems(model, value, source_map, (*path, key))
    elif isinstance(data, list):
        for index, item in enumerate(data):
            problems += raw_fixed_problems(model, item, source_map, (*path, index))
    elif isinstance(data, str) and is_template(data):
        rule = _rule_at(model, path)
        if rule is not None and rule.kind == "fixed":
            problems.append(not_a_template(Found(rule, path, data), source_map))
    return problems


def _rule_at(model: type[BaseModel], path: KeyPath) -> Rule | None:
    """The rule of the field the value at `path` belongs to (its nearest model's)."""
    for depth in range(len(path) - 1, -1, -1):
        owner = model_at(model, path[:depth])
        if owner is not None:
            return rule_for(owner, str(path[depth]))
    return None


def check_references(
    spec: Spec, source_map: SourceMap, found: list[Found] | None = None
) -> list[FactsheetError]:
    """Names used in one part of the spec that another part must declare: every field
    the template table marks as naming a data source or a figure."""
    problems: list[FactsheetError] = []
    declared = {"source": list(spec.data), "figure": list(spec.figures)}
    for what, name, path in references(spec, found=found):
        if name in declared[what] or is_template(name):
            continue  # template syntax here is reported as such
        listed = ", ".join(declared[what]) or "none declared"
        hint = did_you_mean(name, declared[what]) or f"{what}s: {listed}"
        label = "data source" if what == "source" else what
        problems.append(SpecError(f"unknown {label} '{name}'", source_map.locate(path), hint))
    return problems
