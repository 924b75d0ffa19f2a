"""Which spec owns each PDF, so that no spec overwrites another's. A spec's manifest
records the PDFs it wrote; a PDF recorded in another spec's manifest belongs to that
spec, and a build that would write it is an error naming the owner (`--force` does not
override it; removing the entry from the owner's manifest does). Two specs of one
command that would write the same file, or keep their manifests in the same file, are
errors too. Everything here is decided before anything is built.

Manifests are looked for in each output's folder, its ancestors up to the project,
and the project's `output/` folder, so both today's manifests and those an earlier
version kept beside the PDFs are found. A spec is known by its full path, never by its
file name alone."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from factsheet.editions.expand import Edition
from factsheet.editions.manifest import MANIFEST_FOLDER, manifest_path, read_document
from factsheet.errors import ErrorGroup, FactsheetError, SpecError
from factsheet.location import KeyPath, Location, display_path
from factsheet.spec.validate import project_root

SHOWN = 3  # files named in one message; the rest are counted


@dataclass(frozen=True)
class Claim:
    """A manifest's record that `owner` wrote `output`."""

    output: Path
    owner: Path
    manifest: Path


class Owners:
    """The claims of the manifests near some outputs; each folder is listed and each
    manifest read once per command."""

    def __init__(self) -> None:
        self._listed: dict[Path, list[Path]] = {}
        self._read: dict[Path, tuple[Path | None, dict[Path, Claim]]] = {}

    def claims(self, output: Path, root: Path) -> list[Claim]:
        """Every claim on `output` (a spec's own included)."""
        found = []
        for manifest in self._manifests_near(output, root):
            claim = self._claims_of(manifest, root)[1].get(output)
            if claim is not None:
                found.append(claim)
        return found

    def owner_of_manifest(self, manifest: Path, root: Path) -> Path | None:
        """The spec a manifest file belongs to, if it exists and can be read."""
        return self._claims_of(manifest, root)[0]

    def _manifests_near(self, output: Path, root: Path) -> list[Path]:
        folders = [root / MANIFEST_FOLDER]
        folder = output.parent
        while folder.is_relative_to(root):
            folders.append(folder)
            if folder == root:
                break
            folder = folder.parent
        return [m for f in dict.fromkeys(folders) for m in self._list(f)]

    def _list(self, folder: Path) -> list[Path]:
        if folder not in self._listed:
            try:
                self._listed[folder] = sorted(folder.glob("*.manifest.json"))
            except OSError:
                self._listed[folder] = []
        return self._listed[folder]

    def _claims_of(self, manifest: Path, root: Path) -> tuple[Path | None, dict[Path, Claim]]:
        if manifest not in self._read:
            self._read[manifest] = _parse(manifest, root)
        return self._read[manifest]


def _parse(manifest: Path, root: Path) -> tuple[Path | None, dict[Path, Claim]]:
    document = read_document(manifest)
    if document is None or not isinstance(document.get("spec"), str):
        return None, {}
    project, owner = _anchor(manifest, document, root)
    claims: dict[Path, Claim] = {}
    editions = document.get("editions")
    for entry in editions.values() if isinstance(editions, dict) else ():
        output = entry.get("output") if isinstance(entry, dict) else None
        if isinstance(output, str):
            path = (project / output).resolve()
            claims[path] = Claim(path, owner, manifest)
    return owner, claims


def _anchor(manifest: Path, document: dict[str, object], root: Path) -> tuple[Path, Path]:
    """(project folder, owner spec) of a manifest. Today's manifests say where their
    project is relative to themselves; an earlier version's name the spec by an
    absolute path, whose project may since have moved (then: assume it is `root`)."""
    spec = str(document["spec"])
    relative = document.get("project")
    if isinstance(relative, str):
        project = (manifest.parent / relative).resolve()
        return project, (project / spec).resolve()
    old = Path(spec).resolve()
    old_root = project_root(old)
    if manifest.resolve().is_relative_to(old_root):
        return old_root, old
    return root, root / old.relative_to(old_root)


def output_problems(
    planned: Sequence[tuple[Path, Sequence[Edition]]], owners: Owners
) -> dict[Path, FactsheetError]:
    """The error of each spec (by path) that would write a file another spec of the
    command writes, or owns by its manifest, or keep its manifest in another's file.
    Each error names the files it is about and points at the spec line setting them."""
    where = _Where()
    problems: dict[Path, list[FactsheetError]] = {}
    shared = _shared_outputs(planned)
    for (spec, other), editions in shared.items():
        for at, group in where.grouped(editions).items():
            problems.setdefault(spec, []).append(_shared_error(other, group, at))
    manifests: dict[Path, list[Path]] = {}
    for spec, _ in planned:
        manifests.setdefault(manifest_path(spec), []).append(spec)
    for spec, chosen in planned:
        taken = {e.output for (s, _), es in shared.items() if s == spec for e in es}
        found = [*_manifest_clash(spec, manifests, owners)]
        found += _claimed(spec, [e for e in chosen if e.output not in taken], owners, where)
        if found:
            problems.setdefault(spec, []).extend(found)
    return {s: p[0] if len(p) == 1 else ErrorGroup(p) for s, p in problems.items()}


def _shared_outputs(
    planned: Sequence[tuple[Path, Sequence[Edition]]],
) -> dict[tuple[Path, Path], list[Edition]]:
    """For each (spec, other spec): the editions of `spec` writing a file `other` does."""
    writers: dict[Path, dict[Path, Edition]] = {}
    for spec, chosen in planned:
        for edition in chosen:
            writers.setdefault(edition.output, {}).setdefault(spec, edition)
    shared: dict[tuple[Path, Path], list[Edition]] = {}
    for by_spec in writers.values():
        for spec, edition in by_spec.items():
            for other in by_spec:
                if other != spec:
                    shared.setdefault((spec, other), []).append(edition)
    return shared


def _shared_error(other: Path, editions: list[Edition], at: Location) -> FactsheetError:
    return SpecError(
        f"{_files(editions)} would also be written by {display_path(other)} in this "
        "command: one would silently replace the other",
        at,
        hint="give each spec its own output paths (`document.output`, `editions.output`), "
        "for example output/2022/{region}.pdf",
    )


def _manifest_clash(
    spec: Path, manifests: dict[Path, list[Path]], owners: Owners
) -> Iterable[FactsheetError]:
    path = manifest_path(spec)
    others = [s for s in manifests[path] if s != spec]
    owner = owners.owner_of_manifest(path, project_root(spec))
    if owner is not None and owner != spec and owner not in others:
        others.append(owner)
    for other in others:
        yield SpecError(
            f"this spec's manifest, {display_path(path)}, is also the manifest of "
            f"{display_path(other)}: specs of one project need different file names",
            Location(spec),
            hint="rename one of the two spec files",
        )


def _claimed(
    spec: Path, editions: list[Edition], owners: Owners, where: _Where
) -> Iterable[FactsheetError]:
    """One error per other spec (and spec line) whose manifest claims files these
    editions would write."""
    taken: dict[tuple[Path, Path], list[Edition]] = {}
    for edition in editions:
        for claim in owners.claims(edition.output, edition.root):
            if claim.owner != spec:
                taken.setdefault((claim.owner, claim.manifest), []).append(edition)
    for (owner, manifest), lost in taken.items():
        name, record = display_path(owner), display_path(manifest)
        gone = "" if owner.is_file() else f" ({name} no longer exists)"
        for at, group in where.grouped(lost).items():
            one = len(group) == 1
            it, its = ("it", "its entry") if one else ("them", "their entries")
            yield SpecError(
                f"{_files(group)} belong{'s' if one else ''} to {name}{gone}, as recorded "
                f"in {record}: this spec would overwrite {it}",
                at,
                hint="give this spec its own output paths (`document.output`, "
                f"`editions.output`); `--force` does not change this. If {name} should "
                f"give {it} up, remove {its} from {record} (or delete that file) and "
                "build again",
            )


def _files(editions: list[Edition]) -> str:
    names = [display_path(e.output) for e in editions]
    shown = ", ".join(names[:SHOWN])
    if len(names) > SHOWN:
        shown += f" and {len(names) - SHOWN} more"
    return shown


class _Where:
    """Where a spec sets each edition's output: the override that gives it, the
    editions' `output` template, or `document.output` (the spec's `document` when it
    uses the default). Each spec's `editions` section is read again once, and only
    when there is an error to locate."""

    def __init__(self) -> None:
        self._overrides: dict[Path, list[tuple[int, Any]]] = {}

    def grouped(self, editions: list[Edition]) -> dict[Location, list[Edition]]:
        groups: dict[Location, list[Edition]] = {}
        for edition in editions:
            groups.setdefault(self.location(edition), []).append(edition)
        return groups

    def location(self, edition: Edition) -> Location:
        if not edition.keys:
            return edition.source_map.locate(("document", "output"))
        from factsheet.editions.expand import _matches

        at: KeyPath = ("editions", "output")
        for number, when in self._outputs_set(edition):
            if _matches(when, edition.keys):
                at = ("editions", "overrides", number, "output")
        return edition.source_map.locate(at)

    def _outputs_set(self, edition: Edition) -> list[tuple[int, Any]]:
        """(override number, its `when`) for the overrides that set `output`."""
        if edition.spec_path not in self._overrides:
            from factsheet.spec.editions import Editions
            from factsheet.spec.loader import load_yaml
            from factsheet.spec.validate import validate

            found: list[tuple[int, Any]] = []
            try:
                raw = load_yaml(edition.spec_path).data["editions"]
                section = validate(Editions, raw, edition.source_map, ("editions",))
                found = [
                    (n, o.when) for n, o in enumerate(section.overrides) if o.output is not None
                ]
            except (FactsheetError, KeyError, TypeError):
                pass  # it was read once already; locate at the output template
            self._overrides[edition.spec_path] = found
        return self._overrides[edition.spec_path]
