"""A language's catalog read into one edition's spec tree. An edition whose language is
not the spec's own reads `translations/<spec>/<lang>.po` and gets the spec's raw tree
(overrides and variables included) with each translated text put in at its key path,
before its overrides are applied, so the catalog's contexts are the paths as written.
Data values are not changed in the tree (filters, `highlight` and sorting keep working
on the source values): their translations travel with the edition and are used where
the values are shown.

A translation that loses a placeholder or breaks the Markdown is an error at its line
in the PO file; a text with no translation, or a fuzzy one, keeps its source text and
becomes a warning if the edition shows it (the caller knows which it shows). Catalogs
are read once per file version (path, modification time, size), so a batch of editions
reads each once; the result depends only on the file's content."""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from factsheet.errors import FactsheetError, SpecError
from factsheet.location import KeyPath, Location, display_path, format_key_path
from factsheet.spec.loader import copy_tree
from factsheet.translations.checks import markdown_problem, placeholder_problem
from factsheet.translations.names import DataNames
from factsheet.translations.texts import Message

DATA = "data."


@dataclass(frozen=True)
class Entry:
    """One translation of a catalog."""

    string: str
    fuzzy: bool
    line: int  # of its `msgstr`


@dataclass(frozen=True)
class Catalog:
    """A language's catalog: entries by (context, source text); obsolete ones left out."""

    path: Path
    language: str
    entries: Mapping[tuple[str, str], Entry]


@dataclass(frozen=True)
class Pending:
    """A text shown in its source language: untranslated, fuzzy or not in the catalog."""

    message: Message
    state: str  # "untranslated", "fuzzy" or "missing"
    line: int | None  # its line in the PO file, when it has an entry


@dataclass
class Translated:
    """A spec tree with a catalog's translations put in, and what could not be."""

    data: dict[str, Any]
    problems: list[FactsheetError] = field(default_factory=list)
    pending: list[Pending] = field(default_factory=list)
    values: DataNames | None = None
    """Data value translations (used where values are shown)."""


_CATALOGS: dict[tuple[Path, int, int], Catalog] = {}


def catalog_path(root: Path, spec_path: Path, language: str) -> Path:
    return root / "translations" / spec_path.stem / f"{language}.po"


def read_catalog(path: Path, language: str, spec_path: Path, where: Location) -> Catalog:
    """The catalog at `path`; a located error when it is missing or does not parse."""
    try:
        stat = path.stat()
    except OSError:
        raise _missing(path, language, spec_path, where) from None
    key = (path.resolve(), stat.st_mtime_ns, stat.st_size)
    if key not in _CATALOGS:
        if len(_CATALOGS) > 64:
            _CATALOGS.clear()
        _CATALOGS[key] = _parse(path, language)
    return _CATALOGS[key]


def _missing(path: Path, language: str, spec_path: Path, where: Location) -> SpecError:
    """No catalog: how to make one, from another spec's catalog in that language when
    there is one (next year's spec, say)."""
    command = f"factsheet translations update {display_path(spec_path)} --language {language}"
    after = "then translate it"
    specs = (
        spec_path.parent / f"{p.parent.name}.yaml" for p in path.parents[1].glob(f"*/{language}.po")
    )
    others = sorted(spec for spec in specs if spec.is_file())
    if others:
        after = f"add `--from {display_path(others[0])}` to start from its translations; {after}"
    return SpecError(
        f"this edition is in '{language}', but there is no catalog for it: "
        f"{display_path(path)} does not exist",
        where,
        hint=f"make it with `{command}`, {after}",
    )


def _parse(path: Path, language: str) -> Catalog:
    from babel.messages.pofile import PoFileError, read_po

    try:
        data = path.read_bytes()
        catalog = read_po(io.BytesIO(data), abort_invalid=True)
    except PoFileError as exc:
        line = getattr(exc, "lineno", None)
        raise SpecError(
            f"the catalog is not a valid PO file: {exc}",
            Location(path, line if isinstance(line, int) and line > 0 else None),
            hint="fix the entry (a translation tool such as Poedit shows where), or make "
            "the catalog again with `factsheet translations update`",
        ) from None
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        raise SpecError(
            f"the catalog cannot be read: {exc}",
            Location(path),
            hint="a PO file is UTF-8 text, as `factsheet translations update` writes it",
        ) from None
    lines = data.decode("utf-8", "replace").splitlines()
    entries: dict[tuple[str, str], Entry] = {}
    for message in catalog:
        if not message.id or not isinstance(message.id, str):
            continue  # the header, or a plural entry (the spec has none)
        string = message.string if isinstance(message.string, str) else ""
        context = message.context or ""
        line = _msgstr_line(lines, message.lineno or 0)
        entries[context, message.id] = Entry(string, message.fuzzy, line)
    return Catalog(path, language, entries)


def _msgstr_line(lines: Sequence[str], msgid: int) -> int:
    """The line of an entry's translation, where a translator types (its `msgstr`), from
    the line of its `msgid` (what Babel gives)."""
    for number in range(max(msgid, 1), len(lines) + 1):
        if lines[number - 1].startswith("msgstr"):
            return number
    return msgid


def translate(raw: dict[str, Any], messages: Sequence[Message], catalog: Catalog) -> Translated:
    """A copy of the spec tree `raw` with `catalog`'s translations of `messages` put in."""
    result = Translated(copy_tree(raw))
    for message in messages:
        context = format_key_path(message.path)
        entry = catalog.entries.get((context, message.text))
        if entry is None or not entry.string or entry.fuzzy:
            state = "missing" if entry is None else "fuzzy" if entry.fuzzy else "untranslated"
            result.pending.append(Pending(message, state, entry.line if entry else None))
            continue
        problem = _problem(message.text, entry.string)
        if problem is not None:
            result.problems.append(_broken(catalog, context, entry, problem))
            continue
        _put(result.data, message.path, entry.string)
    translated: dict[str, dict[str, str]] = {}
    waiting: dict[str, dict[str, int]] = {}
    for (context, source), entry in catalog.entries.items():
        if context.startswith(DATA):
            if entry.string and not entry.fuzzy:
                translated.setdefault(context, {})[source] = entry.string
            else:
                waiting.setdefault(context, {})[source] = entry.line
    result.values = DataNames(display_path(catalog.path), translated, waiting)
    return result


@lru_cache(maxsize=4096)
def _problem(source: str, translation: str) -> str | None:
    """Pure, and asked again for every unchanged text each time a watched spec is
    saved: remembered."""
    lost = placeholder_problem(source, translation)
    if lost is not None:
        return f"{lost} (a placeholder is replaced by a value when the factsheet is built)"
    return markdown_problem(source, translation)


def _broken(catalog: Catalog, context: str, entry: Entry, problem: str) -> SpecError:
    return SpecError(
        f"the '{catalog.language}' translation of `{context}` cannot be used: {problem}",
        Location(catalog.path, entry.line),
        hint="keep every `{{ … }}` exactly as in the source text (translate the words "
        "around it), and every Markdown mark: `**bold**`, `*italic*`, `[words](address)`",
    )


def _put(tree: Any, path: KeyPath, text: str) -> None:
    """Set the text at `path`; a block in short form (`paragraph: "…"`) keeps its form."""
    node = tree
    for depth, part in enumerate(path[:-1]):
        child = node[int(part)] if isinstance(node, list) else node.get(part)
        if isinstance(child, str) and depth == len(path) - 2:
            node[part] = text  # short form: `kind: text` stands for `kind: {field: text}`
            return
        node = child
    node[path[-1]] = text


def warning(pending: Pending, catalog: Catalog) -> SpecError:
    """An untranslated or fuzzy text the edition shows, at its place in the spec."""
    message = pending.message
    words = _first_words(message.text)
    context = format_key_path(message.path)
    po = display_path(catalog.path)
    if pending.state == "missing":
        return SpecError(
            f"'{words}' (`{context}`) is not in {po}: it is shown in the source language",
            message.location,
            hint="the catalog is older than the spec: run `factsheet translations update` "
            "and translate the new entries",
        )
    if pending.state == "untranslated":
        what, hint = "has no translation", "translate it there"
    else:
        what = "has a fuzzy translation"
        hint = (
            "a fuzzy entry was made for an earlier source text: check it there and "
            "remove its `fuzzy` flag"
        )
    return SpecError(
        f"'{words}' (`{context}`) {what} in {po}:{pending.line}: it is shown in the "
        "source language",
        message.location,
        hint=f"{hint}; --strict makes this an error",
    )


def _first_words(text: str, count: int = 6) -> str:
    words = text.split()
    return " ".join(words[:count]) + (" …" if len(words) > count else "")
