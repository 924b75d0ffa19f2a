"""Expanding a spec's `editions:` matrix into editions. Each edition is the spec's own
YAML tree (its `extends` chain merged in) with that edition's overrides merged in (and a
source map that still points at the lines the values came from), its key values, its
template variables and its output path. A spec without `editions:` is one edition with
no keys. Variables are rendered here, in order of precedence: the spec's `variables`,
then `editions.variables`, then each matching override's; each sees `year`, the keys
and the variables before it; overrides are applied by :mod:`factsheet.editions.overrides`.
The matrix keys themselves (values, limits, rules, `--edition` choices) are
:mod:`factsheet.editions.matrix`'s.
Two editions that would write the same file are an error before anything is built. A
spec that would write its base spec's files, a change that a base's override would
hide, and an override that matches no edition are problems of the editions they
concern, reported with their other problems."""

from __future__ import annotations

import itertools
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from factsheet.editions.collisions import check_base_outputs, check_collisions
from factsheet.editions.matrix import (
    check_matrix_size,
    key_text,
    matches,
    matrix_values,
    nothing_left,
    select,
)
from factsheet.editions.overrides import Applier, Replaced, replaced_problems, when_problems
from factsheet.editions.translated import (
    KEY as LANGUAGE,
)
from factsheet.editions.translated import (
    Languages,
    conflicting_language,
    shown_warnings,
)
from factsheet.editions.variables import (
    context_of,
    output_path,
    picture_paths,
    render_variables,
    spec_variables,
)
from factsheet.errors import ErrorGroup, FactsheetError, SpecError
from factsheet.location import KeyPath, display_path
from factsheet.spec.editions import Editions
from factsheet.spec.extends import load_spec_yaml
from factsheet.spec.loader import LoadedYaml, SourceMap, copy_tree
from factsheet.spec.templates import fixed_problems, is_template
from factsheet.spec.validate import project_root, validate
from factsheet.text import Templates, slug

if TYPE_CHECKING:
    from factsheet.translations.names import DataNames

__all__ = ["Edition", "load_editions", "select", "slug"]


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
    problems: tuple[FactsheetError, ...] = ()
    """Problems found while expanding, reported with the edition's other problems."""
    broken: frozenset[str] = frozenset()
    """Variables that could not be rendered (their problems are in `problems`)."""
    spec_files: tuple[tuple[Path, int, int], ...] = ()
    """Every spec file read (the spec's own, then its bases), with the modification time
    and size it had, so a change to a base spec is noticed."""
    output_at: KeyPath | None = None
    """Where the spec sets the output path: an override's `output`, `editions.output`
    or `document.output`; None when the default applies."""
    warnings: tuple[FactsheetError, ...] = ()
    """Warnings found while expanding (texts shown untranslated), reported with the
    build's other warnings."""
    values: DataNames | None = None
    """Translations of data values, for an edition built from a catalog."""
    sketch: bool = False
    """Expanded for its keys, label, output and the files it reads only: an edition a
    command does not build, left in the spec's own language (see :func:`load_editions`).
    Its data, problems and warnings are not its language's; it is never built."""

    def stale(self) -> bool:
        """Whether a spec file it was read from changed since."""
        for path, mtime, size in self.spec_files:
            try:
                stat = path.stat()
            except OSError:
                return True
            if (stat.st_mtime_ns, stat.st_size) != (mtime, size):
                return True
        return False

    @property
    def label(self) -> str:
        """`region=Africa, language=fr`, or the spec's name for a spec without editions."""
        if not self.keys:
            return self.spec_path.stem
        return ", ".join(f"{k}={v}" for k, v in self.keys.items())


def load_editions(
    spec_path: Path, wanted: Callable[[Mapping[str, str]], bool] | None = None
) -> list[Edition]:
    """Every edition of the spec at `spec_path`, in matrix order. With `wanted`, an
    edition whose keys it refuses may be a sketch (:attr:`Edition.sketch`): not
    translated, when that cannot change what the editions built share with it, its
    output path (checked for collisions and owners) and the files it reads. So a build
    of one edition of a spec in six languages translates one language, not six."""
    root = project_root(spec_path)
    loaded = load_spec_yaml(spec_path, root)
    files = tuple(_stamp(path) for path in loaded.files)
    raw = loaded.data if isinstance(loaded.data, dict) else {}
    variables = spec_variables(raw, loaded.source_map)
    if raw.get("editions") is None:
        editions = [_single(spec_path, root, loaded, variables)]
    else:
        section = validate(Editions, raw["editions"], loaded.source_map, ("editions",))
        problems = fixed_problems(section, loaded.source_map, ("editions",))
        if problems:
            raise problems[0] if len(problems) == 1 else ErrorGroup(problems)
        base = {k: v for k, v in raw.items() if k != "editions"}
        languages = Languages(spec_path, root, raw, loaded.source_map, section, variables)
        values = matrix_values(section, base, loaded.source_map, root, variables)
        check_matrix_size(values, loaded.source_map)
        editions = []
        replaced: dict[Replaced, list[str]] = {}
        # A base's overrides may replace this spec's changes in some editions only, and
        # the errors count them: every edition of a spec with a base is translated.
        sketches = wanted if len(loaded.files) == 1 else None
        for combo in itertools.product(*values.values()):
            keys = dict(zip(values, combo, strict=True))
            if any(matches(rule, keys) for rule in section.exclude):
                continue
            made = _sketched if sketches is not None and not sketches(keys) else None
            edition, lost = (made or _translated_edition)(
                spec_path, root, len(editions), keys, loaded, languages
            )
            editions.append(edition)
            for change in lost:
                replaced.setdefault(change, []).append(edition.label)
        if not editions:
            raise nothing_left(section, values, loaded.source_map)
        check_collisions(editions, loaded.source_map)
        matched = [any(matches(o.when, e.keys) for e in editions) for o in section.overrides]
        everyone = when_problems(section, values, matched, loaded.source_map, key_text)
        errors = replaced_problems(replaced, section)
        editions = [
            _with_problems(
                e, *everyone, *(errors[r] for r, ls in replaced.items() if e.label in ls)
            )
            for e in editions
        ]
    if len(loaded.files) > 1:
        editions = check_base_outputs(editions, loaded)
    # Any edition tells whether the spec's editions are stale: each names every file
    # read, the catalogs of every language included.
    catalogs = tuple(dict.fromkeys(stamp for e in editions for stamp in e.spec_files))
    return [replace(e, spec_files=(*files, *catalogs)) for e in editions]


def _with_problems(edition: Edition, *problems: FactsheetError) -> Edition:
    """`edition` with more problems, reported with its others."""
    if not problems:
        return edition
    return replace(edition, problems=(*edition.problems, *problems))


def _stamp(path: Path) -> tuple[Path, int, int]:
    stat = path.stat()
    return path, stat.st_mtime_ns, stat.st_size


def _single(
    spec_path: Path, root: Path, loaded: LoadedYaml, declared: Mapping[str, str]
) -> Edition:
    data = loaded.data
    document = data.get("document") if isinstance(data, dict) else None
    relative = document.get("output") if isinstance(document, dict) else None
    sources: dict[str, KeyPath] = {name: ("variables", name) for name in declared}
    variables, problems, broken = render_variables(
        context_of(data, {}), declared, sources, _figure_names(data), loaded.source_map
    )
    output = output_path(
        root,
        str(relative or f"output/{spec_path.stem}.pdf"),
        context_of(data, {}) | variables,
        loaded.source_map,
        ("document", "output"),
    )
    return Edition(
        spec_path, root, 0, {}, variables, output, data, loaded.source_map,
        tuple(problems), broken, output_at=("document", "output") if relative else None,
    )  # fmt: skip


def _figure_names(data: Any) -> set[str]:
    figures = data.get("figures") if isinstance(data, dict) else None
    return set(figures) if isinstance(figures, dict) else set()


def _edition(
    spec_path: Path,
    root: Path,
    index: int,
    keys: dict[str, str],
    section: Editions,
    base: dict[str, Any],
    loaded: LoadedYaml,
    declared: Mapping[str, str],
) -> tuple[Edition, list[Replaced]]:
    """One edition, and the changes of a spec extending a base that the base's
    overrides replace in it."""
    applier = Applier(copy_tree(base), loaded.source_map, loaded.files, loaded.removed)
    if LANGUAGE in keys:  # the `language` key sets the edition's language
        document = applier.data.setdefault("document", {})
        if isinstance(document, dict):
            document[LANGUAGE] = keys[LANGUAGE]
            applier.source_map = applier.source_map.graft(
                ("document", LANGUAGE), ("editions", "matrix", LANGUAGE)
            )
    variables = dict(declared)
    sources: dict[str, KeyPath] = {name: ("variables", name) for name in declared}
    applier.problems += _lost_variables(applier, declared, section)
    variables.update(section.variables)
    sources.update({name: ("editions", "variables", name) for name in section.variables})
    output: str = section.output
    output_at: KeyPath = ("editions", "output")
    for number, override in enumerate(section.overrides):
        if not matches(override.when, keys):
            continue
        at: KeyPath = ("editions", "overrides", number)
        applier.apply(number, override)
        for name, value in override.variables.items():
            if name in variables and variables[name] != value:
                _lost(applier, f"variable `{name}`", sources[name], (*at, "variables", name))
        variables.update(override.variables)
        sources.update({name: (*at, "variables", name) for name in override.variables})
        if override.output is not None:
            # Not a lost change: outputs are checked against the base's (and owners').
            output, output_at = override.output, (*at, "output")
    data, source_map = applier.data, applier.source_map
    context = context_of(data, keys)
    rendered, failed, broken = render_variables(
        context, variables, sources, _figure_names(data), source_map
    )
    path = output_path(root, output, context | rendered, source_map, output_at, keys)
    edition = Edition(
        spec_path, root, index, keys, rendered, path, data, source_map,
        (*applier.problems, *failed), broken, output_at=output_at,
    )  # fmt: skip
    return edition, applier.replaced


def _translated_edition(
    spec_path: Path,
    root: Path,
    index: int,
    keys: dict[str, str],
    loaded: LoadedYaml,
    languages: Languages,
) -> tuple[Edition, list[Replaced]]:
    """One edition, from the spec in the edition's language (see
    :mod:`factsheet.editions.translated`)."""
    given = languages.inputs(languages.language_of(keys))
    edition, lost = _edition(
        spec_path, root, index, keys, given.section, given.base, loaded, given.variables
    )
    problems = (
        *given.problems,
        *conflicting_language(given.section, keys, matches, loaded.source_map),
    )
    warnings = shown_warnings(given, keys, matches, edition.source_map)
    edition = replace(
        _with_problems(edition, *problems),
        warnings=warnings,
        values=given.values,
        spec_files=given.files,
    )
    return edition, lost


def _sketched(
    spec_path: Path,
    root: Path,
    index: int,
    keys: dict[str, str],
    loaded: LoadedYaml,
    languages: Languages,
) -> tuple[Edition, list[Replaced]]:
    """An edition no command step builds, expanded in the spec's own language: a sketch
    when its output path and pictures' paths come from its keys and year alone, which
    no catalog translates; else translated, as every edition is without `wanted`."""
    language = languages.language_of(keys)
    if language == languages.source:
        return _translated_edition(spec_path, root, index, keys, loaded, languages)
    plain = languages.inputs(languages.source)
    edition, lost = _edition(
        spec_path, root, index, keys, plain.section, plain.base, loaded, plain.variables
    )
    if lost or not _paths_from_keys(edition, plain.section):
        return _translated_edition(spec_path, root, index, keys, loaded, languages)
    return replace(edition, spec_files=languages.stamp(language), sketch=True), lost


def _paths_from_keys(edition: Edition, section: Editions) -> bool:
    """Whether the edition's output and picture paths are the same without its
    variables (which a catalog may translate): they use its keys and year only."""
    context = context_of(edition.data, edition.keys)
    at = edition.output_at or ("editions", "output")
    template = section.output if len(at) == 2 else section.overrides[int(at[2])].output
    try:
        output = output_path(
            edition.root, template or "", context, edition.source_map, at, edition.keys
        )
        for name in picture_paths(edition.data):
            if is_template(name):
                Templates(context).render_value(name)
    except FactsheetError:
        return False
    return output == edition.output


def _lost_variables(
    applier: Applier, declared: Mapping[str, str], section: Editions
) -> list[FactsheetError]:
    """A spec's `variables` that its base's `editions.variables` would set again for
    every edition: the spec's value would silently not show."""
    problems: list[FactsheetError] = []
    for name, value in section.variables.items():
        mine, theirs = ("variables", name), ("editions", "variables", name)
        if name not in declared or declared[name] == value:
            continue
        if applier.rank_of(mine) >= applier.rank_of(theirs):
            continue  # written in one file: `editions.variables` wins, as documented
        at = applier.source_map.locate(theirs)
        where = f"{display_path(at.file)}:{at.line}:{at.column}" if at.file else "the base"
        problems.append(
            SpecError(
                f"variable `{name}` is set here, but the base spec's `editions.variables` "
                f"at {where} sets it again for every edition: this value would not show",
                applier.source_map.locate(mine),
                hint=f"change it as `editions: {{variables: {{{name}: …}}}}` in this spec",
            )
        )
    return problems


def _lost(applier: Applier, what: str, path: KeyPath, origin: KeyPath) -> None:
    lost = applier.replaces(what, path, origin)
    if lost is not None:
        applier.replaced.append(lost)
