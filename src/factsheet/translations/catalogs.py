"""Catalogs for translators: every text of a spec that a reader sees, written as a
gettext template (`translations/<spec>.pot`) and merged into one catalog per language
(`translations/<spec>/<lang>.po`), with Babel's catalog reader and writer. Each entry
carries its key path as `msgctxt` (so two equal English strings in different places
can be translated differently), the
spec's file and line as a reference, and the block kind for the translator. Which
texts there are is :mod:`factsheet.translations.texts`' and
:mod:`factsheet.translations.values`' answer; builds read the catalogs through
:mod:`factsheet.translations.apply`."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable
from pathlib import Path
from typing import Any

from factsheet.errors import SpecError
from factsheet.location import format_key_path
from factsheet.output import write_atomic
from factsheet.spec.extends import load_spec_yaml
from factsheet.spec.validate import LoadedSpec, load_spec
from factsheet.translations.room import Rooms, measure, note
from factsheet.translations.texts import Message, spec_messages
from factsheet.translations.values import value_messages


def messages(loaded: LoadedSpec) -> list[Message]:
    """Every text of the spec a reader may see, then every data value shown as words."""
    raw = load_spec_yaml(loaded.path, loaded.root).data
    tree = raw if isinstance(raw, dict) else {}
    texts = spec_messages(loaded.spec, tree, loaded.source_map)
    return [*texts, *value_messages(loaded.spec, tree, loaded.source_map, loaded.root)]


def template(loaded: LoadedSpec, rooms: Rooms | None = None) -> Any:
    """The spec's texts as a Babel catalog with no translations (a .pot); with
    `rooms`, each text of a block also gets the room it has (see :mod:`.room`)."""
    from babel.messages.catalog import Catalog

    catalog = Catalog(
        project=loaded.path.stem,
        copyright_holder=loaded.spec.document.author,
        creation_date=_date(loaded),
        revision_date=_date(loaded),
        fuzzy=False,
    )
    for message in messages(loaded):
        location = message.location
        where = (
            [(_relative(location.file, loaded.root), location.line or 0)] if location.file else []
        )
        notes = [f"{message.kind}: {format_key_path(message.path)}"]
        room = note(rooms, message.path) if rooms is not None else None
        catalog.add(
            message.text,
            locations=where,
            auto_comments=notes if room is None else [*notes, room],
            context=format_key_path(message.path),
        )
    return catalog


def extract(spec_path: Path, warn: Callable[[str], None] | None = None) -> Path:
    """Write `translations/<spec>.pot` beside the project's folders; return its path.
    Editions that cannot be laid out (their texts get no room) are told to `warn`."""
    loaded = load_spec(spec_path)
    target = loaded.root / "translations" / f"{spec_path.stem}.pot"
    write_atomic(target, _po_bytes(template(loaded, _measured(loaded, warn))), loaded.root)
    return target


def _measured(loaded: LoadedSpec, warn: Callable[[str], None] | None) -> Rooms:
    rooms = measure(loaded)
    for warning in rooms.warnings:
        if warn is not None:
            warn(warning)
    return rooms


def update(
    spec_path: Path,
    languages: tuple[str, ...] = (),
    warn: Callable[[str], None] | None = None,
    start_from: Path | None = None,
) -> list[Path]:
    """Merge the template into each language's catalog: the existing ones, and those
    of `languages` (made when missing). Translations are kept; an entry whose English
    changed is marked fuzzy; one no longer in the spec is kept as obsolete. The notes
    for translators, room included, are the template's (as `extract` writes them).
    A catalog made here starts from `start_from`'s catalog in its language, when given
    (next year's spec reusing this year's translations)."""
    from babel import Locale, UnknownLocaleError
    from babel.messages.pofile import read_po

    loaded = load_spec(spec_path)
    pot = template(loaded, _measured(loaded, warn))
    folder = loaded.root / "translations" / spec_path.stem
    existing = {p.stem for p in folder.glob("*.po")} if folder.is_dir() else set()
    written = []
    for language in sorted(existing | set(languages)):
        try:
            locale = Locale.parse(language.replace("-", "_"))
        except (ValueError, UnknownLocaleError):
            raise SpecError(
                f"'{language}' is not a language Babel knows",
                hint="write a BCP 47 tag such as fr, es, ar or zh",
            ) from None
        path = folder / f"{language}.po"
        if path.is_file():
            if start_from is not None and language in languages:
                raise SpecError(
                    f"{_relative(path, loaded.root)} exists already: --from only starts new "
                    "catalogs",
                    hint="leave out --from to update it, or delete it to start it again",
                )
            with path.open("rb") as handle:
                catalog = read_po(handle, locale=locale)
        else:
            catalog = _new_catalog(loaded, locale, language, start_from)
        catalog.creation_date = catalog.revision_date = _date(loaded)
        catalog.update(pot, update_header_comment=False)
        write_atomic(path, _po_bytes(catalog), loaded.root)
        written.append(path)
    return written


def _new_catalog(loaded: LoadedSpec, locale: Any, language: str, start_from: Path | None) -> Any:
    """An empty catalog, or a copy of `start_from`'s catalog in `language`."""
    from babel.messages.catalog import Catalog
    from babel.messages.pofile import read_po

    if start_from is None:
        return Catalog(
            locale=locale, project=loaded.path.stem, copyright_holder=loaded.spec.document.author
        )
    source = loaded.root / "translations" / start_from.stem / f"{language}.po"
    if not source.is_file():
        raise SpecError(
            f"--from {start_from}: there is no catalog {_relative(source, loaded.root)} to "
            f"start the '{language}' catalog from",
            hint="name the spec whose translations/<spec>/ folder has this language, or "
            "leave out --from to start an empty catalog",
        )
    with source.open("rb") as handle:
        catalog = read_po(handle, locale=locale)
    catalog.project = loaded.path.stem
    return catalog


def _po_bytes(catalog: Any) -> bytes:
    from babel.messages.pofile import write_po

    buffer = io.BytesIO()
    write_po(buffer, catalog, width=88, sort_output=False, include_previous=True)
    return buffer.getvalue()


def _date(loaded: LoadedSpec) -> dt.datetime:
    """The spec's own date: the same catalogs for the same spec, whenever made."""
    day = loaded.spec.document.publication_date
    return dt.datetime(day.year, day.month, day.day, tzinfo=dt.UTC)


def _relative(file: Path, root: Path) -> str:
    try:
        return file.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return file.name


def status(spec_path: Path) -> list[tuple[str, Path, dict[str, int]]]:
    """For each language's catalog: how many of the spec's current texts are
    translated, fuzzy, untranslated, or not in the catalog yet (run `update`)."""
    from factsheet.location import Location
    from factsheet.translations.apply import read_catalog

    loaded = load_spec(spec_path)
    found = messages(loaded)
    folder = loaded.root / "translations" / spec_path.stem
    report = []
    for path in sorted(folder.glob("*.po")) if folder.is_dir() else []:
        catalog = read_catalog(path, path.stem, spec_path, Location(path))
        counts = dict.fromkeys(("translated", "fuzzy", "untranslated", "missing"), 0)
        for message in found:
            entry = catalog.entries.get((format_key_path(message.path), message.text))
            state = (
                "missing" if entry is None
                else "fuzzy" if entry.fuzzy
                else "translated" if entry.string
                else "untranslated"
            )  # fmt: skip
            counts[state] += 1
        report.append((path.stem, path, counts))
    return report
