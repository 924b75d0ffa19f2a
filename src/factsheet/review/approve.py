"""`factsheet approve`: record the current PDFs, their page images and the manifest
as a spec's approved set, `approved/<spec stem>/` beside `factsheets/`, meant to be
committed. File names are the editions' slugs (`region-asia_language-fr.pdf`,
`region-asia_language-fr-1.png` for page 1), never dates, and an `index.json` says
which edition each file is and the PDF's hash; `manifest.json` is the spec's manifest
cut to the approved editions (its figures are what `diff` compares). Nothing is
approved unless every chosen edition's PDF is what its inputs make today: an edition
that failed, was never built or is out of date is named, with the command that builds
it. Approving only some editions (`--edition`) keeps the others' approved files;
approving all of them removes the files of editions the spec no longer has."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from factsheet import __version__
from factsheet.errors import DataError, ErrorGroup, FactsheetError
from factsheet.location import Location, display_path
from factsheet.output import write_atomic
from factsheet.review.editions import SpecEditions, approved_folder, slugs, why_not_current
from factsheet.review.pages import SCALE, png_bytes, render_pages

INDEX = "index.json"
MANIFEST = "manifest.json"
APPROVED_VERSION = 1


@dataclass(frozen=True)
class Approved:
    """One edition recorded: its label, PDF and page images."""

    label: str
    pdf: Path
    pages: int


def check_approvable(specs: list[SpecEditions]) -> None:
    """Raise one error per spec and reason naming the editions that must not be
    approved (`all 11 editions` when it is every one), all together."""
    problems: list[FactsheetError] = []
    for spec in specs:
        reasons: dict[str, list[str]] = {}
        for reviewed in spec.editions:
            why = why_not_current(reviewed)
            if why:
                reasons.setdefault(why, []).append(reviewed.label)
        for why, labels in reasons.items():
            problems.append(
                FactsheetError(
                    f"{_which(labels, len(spec.editions))} cannot be approved: {why}",
                    Location(spec.spec),
                    hint=f"build first: factsheet build {display_path(spec.spec)}",
                )
            )
    if problems:
        raise problems[0] if len(problems) == 1 else ErrorGroup(problems)


def _which(labels: list[str], total: int) -> str:
    if len(labels) == 1:
        return f"edition {labels[0]}"
    if len(labels) == total:
        return f"all {total} editions"
    return f"editions {'; '.join(labels)}"


def approve(spec: SpecEditions, against: Path | None, partial: bool) -> list[Approved]:
    """Write `spec`'s approved set; `partial` keeps editions approved before that are
    not among `spec.editions`."""
    folder = approved_folder(spec, against)
    before = read_index(folder)
    kept: dict[str, Any] = dict(before.get("editions", {})) if partial else {}
    labels = [*kept, *(r.label for r in spec.editions if r.label not in kept)]
    names = slugs(labels)
    entries = dict(kept)
    done = []
    for reviewed in spec.editions:
        assert reviewed.entry is not None  # check_approvable saw to it
        name = names[reviewed.label]
        pdf = reviewed.edition.output.read_bytes()
        write_atomic(folder / f"{name}.pdf", pdf, spec.root)
        images = render_pages(pdf)
        pages = []
        for number, image in enumerate(images, start=1):
            pages.append(f"{name}-{number}.png")
            write_atomic(folder / pages[-1], png_bytes(image), spec.root)
        entries[reviewed.label] = _index_entry(reviewed.entry, f"{name}.pdf", pages)
        done.append(Approved(reviewed.label, folder / f"{name}.pdf", len(images)))
    ordered = {label: entries[label] for label in labels}
    _remove_unlisted(folder, before, ordered)
    _write_json(folder / INDEX, _index(spec, ordered), spec.root)
    _write_json(folder / MANIFEST, _manifest(spec, ordered, folder), spec.root)
    return done


def _index_entry(entry: Mapping[str, Any], pdf: str, pages: list[str]) -> dict[str, Any]:
    return {
        "keys": entry.get("keys", {}),
        "pdf": pdf,
        "pages": pages,
        "pdf_sha256": entry.get("pdf_sha256"),
        "inputs_sha256": entry.get("inputs_sha256"),
        "warnings": entry.get("warnings", []),
    }


def _index(spec: SpecEditions, editions: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "approved_version": APPROVED_VERSION,
        "tool": f"factsheet {__version__}",
        "spec": spec.spec.relative_to(spec.root.resolve()).as_posix(),
        "scale": SCALE,
        "editions": dict(editions),
    }


def _manifest(spec: SpecEditions, editions: Mapping[str, Any], folder: Path) -> dict[str, Any]:
    """The spec's manifest with the approved editions only; an edition kept from an
    earlier approval keeps its earlier record."""
    earlier = read_json(folder / MANIFEST).get("editions", {})
    current = spec.manifest.get("editions", {})
    chosen = {r.label for r in spec.editions}
    records = {
        label: current[label] if label in chosen else earlier.get(label, {}) for label in editions
    }
    return {**spec.manifest, "editions": records}


def _remove_unlisted(folder: Path, before: Mapping[str, Any], now: Mapping[str, Any]) -> None:
    """Delete the files an earlier approval wrote that the new index no longer lists
    (pages an edition lost, editions the spec dropped); nothing else is touched."""
    keep = {name for entry in now.values() for name in [entry["pdf"], *entry["pages"]]}
    for entry in before.get("editions", {}).values():
        if not isinstance(entry, dict):
            continue
        for name in [entry.get("pdf"), *entry.get("pages", [])]:
            if isinstance(name, str) and name not in keep and Path(name).name == name:
                (folder / name).unlink(missing_ok=True)


def read_index(folder: Path) -> dict[str, Any]:
    """An approved set's index; empty when there is none. One that is damaged or of
    another version is an error: read as empty, it would hide every approved edition."""
    index = read_json(folder / INDEX)
    if index and index.get("approved_version") != APPROVED_VERSION:
        raise DataError(
            f"{display_path(folder / INDEX)} is an approved set of another version "
            f"({index.get('approved_version')!r}; this factsheet writes {APPROVED_VERSION})",
            Location(folder / INDEX),
            hint="approve the spec again with this factsheet to rewrite it",
        )
    return index


def read_json(path: Path) -> dict[str, Any]:
    """A JSON object from an approved set; empty when the file does not exist, an error
    when it cannot be read (a merge conflict in a committed file, say)."""
    if not path.exists():
        return {}
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise DataError(
            f"{display_path(path)} cannot be read as JSON ({exc})",
            Location(path),
            hint="restore it from version control, or delete the approved folder and "
            "approve the spec again",
        ) from None
    if not isinstance(data, dict):
        raise DataError(
            f"{display_path(path)} holds no JSON object",
            Location(path),
            hint="restore it from version control, or delete the approved folder and "
            "approve the spec again",
        )
    return data


def _write_json(path: Path, document: Mapping[str, Any], root: Path) -> None:
    text = json.dumps(document, indent=2, sort_keys=False, ensure_ascii=False) + "\n"
    write_atomic(path, text.encode("utf-8"), root)
