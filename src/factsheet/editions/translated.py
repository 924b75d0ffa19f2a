"""Each edition in its language. A matrix key named `language` sets an edition's
`document.language`; an edition whose language is not the spec's own (the source
language, its `document.language`) is built from the spec tree translated with that
language's catalog (:mod:`factsheet.translations.apply`): the texts, variables and
overrides are translated before the overrides are applied, once per language. What
could not be translated becomes a warning only in the editions that show it."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from factsheet.errors import FactsheetError, SpecError
from factsheet.location import KeyPath
from factsheet.spec.editions import Editions
from factsheet.spec.loader import SourceMap
from factsheet.spec.model import DEFAULT_LANGUAGE
from factsheet.translations.names import DataNames

KEY = "language"


@dataclass(frozen=True)
class Inputs:
    """What an edition is built from in one language."""

    language: str
    base: dict[str, Any]
    section: Editions
    variables: Mapping[str, str]
    problems: tuple[FactsheetError, ...] = ()
    pending: tuple[Any, ...] = ()  # apply.Pending
    catalog: Any = None  # apply.Catalog
    values: DataNames | None = None
    files: tuple[tuple[Path, int, int], ...] = ()


class Languages:
    """The spec's inputs per language, made when an edition first needs them."""

    def __init__(
        self,
        spec_path: Path,
        root: Path,
        raw: dict[str, Any],
        source_map: SourceMap,
        section: Editions,
        variables: Mapping[str, str],
    ) -> None:
        self.spec_path, self.root, self.raw, self.source_map = spec_path, root, raw, source_map
        document = raw.get("document")
        given = document.get("language") if isinstance(document, dict) else None
        self.source = given if isinstance(given, str) else DEFAULT_LANGUAGE
        base = {k: v for k, v in raw.items() if k != "editions"}
        self._made: dict[str, Inputs] = {self.source: Inputs(self.source, base, section, variables)}
        self._messages: list[Any] | None = None

    def language_of(self, keys: Mapping[str, str]) -> str:
        """The edition's language: its `language` key, else the spec's own. (An
        override that sets `document.language` without a `language` key changes the
        PDF's language only: its texts are written in the spec, as before catalogs.)"""
        return keys.get(KEY, self.source)

    def inputs(self, language: str) -> Inputs:
        if language not in self._made:
            self._made[language] = self._translated(language)
        return self._made[language]

    def stamp(self, language: str) -> tuple[tuple[Path, int, int], ...]:
        """The `files` of the language's inputs (its catalog's stamp), without reading
        the catalog."""
        if language in self._made:
            return self._made[language].files
        from factsheet.translations.apply import catalog_path

        path = catalog_path(self.root, self.spec_path, language)
        return _stamp(path) if path.is_file() else ((path, -1, -1),)

    def _translated(self, language: str) -> Inputs:
        from factsheet.editions.variables import spec_variables
        from factsheet.spec.validate import validate
        from factsheet.translations.apply import catalog_path, read_catalog, translate

        plain = self._made[self.source]
        path = catalog_path(self.root, self.spec_path, language)
        where = self.source_map.locate(("editions", "matrix", KEY))
        try:
            catalog = read_catalog(path, language, self.spec_path, where)
        except FactsheetError as exc:
            # A long-lived process (watch mode, a worker) notices when the catalog is
            # made or mended: a missing file's stamp never matches.
            missing = ((path, -1, -1),)
            stamp = _stamp(path) if path.is_file() else missing
            return Inputs(language, plain.base, plain.section, plain.variables, (exc,), files=stamp)
        stamp = _stamp(path)
        done = translate(self.raw, self._spec_messages(), catalog)
        tree = done.data
        base = {k: v for k, v in tree.items() if k != "editions"}
        variables: Mapping[str, str]
        try:
            section = validate(Editions, tree["editions"], self.source_map, ("editions",))
            variables = spec_variables(tree, self.source_map)
        except FactsheetError as exc:
            done.problems.append(exc)
            section, variables = plain.section, plain.variables
        return Inputs(
            language, base, section, variables, tuple(done.problems), tuple(done.pending),
            catalog, done.values, stamp,
        )  # fmt: skip

    def _spec_messages(self) -> list[Any]:
        """The texts of the spec a catalog translates (none when the spec is not
        valid: the editions report why)."""
        if self._messages is None:
            from factsheet.spec.model import Spec
            from factsheet.spec.validate import validate
            from factsheet.translations.texts import spec_messages

            try:
                spec = validate(Spec, self.raw, self.source_map)
            except FactsheetError:
                self._messages = []
            else:
                self._messages = spec_messages(spec, self.raw, self.source_map)
        return self._messages


def conflicting_language(
    section: Editions, keys: Mapping[str, str], matches: Any, source_map: SourceMap
) -> list[FactsheetError]:
    """An override that sets `document.language` to another language than the
    edition's `language` key: one of the two would silently lose."""
    if KEY not in keys:
        return []
    problems: list[FactsheetError] = []
    for number, override in enumerate(section.overrides):
        wanted = override.document.get("language")
        if wanted is not None and wanted != keys[KEY] and matches(override.when, keys):
            problems.append(
                SpecError(
                    f"this override sets `document.language` to '{wanted}', but the "
                    f"edition's `language` key is '{keys[KEY]}'",
                    source_map.locate(("editions", "overrides", number, "document", KEY)),
                    hint="the `language` key of `editions.matrix` sets each edition's "
                    "language: remove `language` from this override",
                )
            )
    return problems


def shown_warnings(
    inputs: Inputs,
    keys: Mapping[str, str],
    matches: Any,
    source_map: SourceMap,
) -> tuple[FactsheetError, ...]:
    """Warnings for the untranslated texts that the edition (its final `source_map`)
    shows: a text replaced by an override, or in an override that does not apply, is
    not shown."""
    if not inputs.pending:
        return ()
    from factsheet.translations.apply import warning

    marks = {(source_map.file_of(p), line, col) for p, (line, col) in source_map.values.items()}
    variables = _variable_sources(inputs, keys, matches)
    found: list[FactsheetError] = []
    for pending in inputs.pending:
        path = pending.message.path
        if _shown(path, pending.message.location, inputs.section, keys, matches, marks, variables):
            found.append(warning(pending, inputs.catalog))
    return tuple(found)


def _shown(
    path: KeyPath,
    location: Any,
    section: Editions,
    keys: Mapping[str, str],
    matches: Any,
    marks: set[tuple[Path, int, int]],
    variables: set[KeyPath],
) -> bool:
    if path[:1] == ("variables",) or path[:2] == ("editions", "variables"):
        return path in variables
    if path[:2] == ("editions", "overrides"):
        number = path[2]
        assert isinstance(number, int)
        if path[3] == "variables":
            return path in variables
        return bool(matches(section.overrides[number].when, keys))
    return (location.file, location.line, location.column) in marks


def _variable_sources(inputs: Inputs, keys: Mapping[str, str], matches: Any) -> set[KeyPath]:
    """The key path each of the edition's variables finally comes from."""
    sources: dict[str, KeyPath] = {name: ("variables", name) for name in inputs.variables}
    sources.update({name: ("editions", "variables", name) for name in inputs.section.variables})
    for number, override in enumerate(inputs.section.overrides):
        if matches(override.when, keys):
            at: KeyPath = ("editions", "overrides", number, "variables")
            sources.update({name: (*at, name) for name in override.variables})
    return set(sources.values())


def _stamp(path: Path) -> tuple[tuple[Path, int, int]]:
    stat = path.stat()
    return ((path, stat.st_mtime_ns, stat.st_size),)
