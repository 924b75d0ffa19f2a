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

from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from factsheet.editions.collisions import output_files, output_location
from factsheet.editions.expand import Edition
from factsheet.editions.manifest import MANIFEST_FOLDER, manifest_path, read_document
from factsheet.errors import FactsheetError, SpecError
from factsheet.location import Location, display_path
from factsheet.spec.validate import project_root


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


Blocked = dict[tuple[Path, str], list[FactsheetError]]
"""The errors that stop each edition (by spec path and edition label) being written."""


def output_problems(
    planned: Sequence[tuple[Path, Sequence[Edition]]],
    owners: Owners,
    inputs: Mapping[Path, str],
) -> Blocked:
    """The errors of each edition (by spec and label) that would write a file another
    spec of the command writes, or owns by its manifest, or whose spec would keep its
    manifest in another's file. Each error names the files it is about and points at
    the spec line setting them; editions of a spec that overwrite nothing are free."""
    where = _Where()
    problems: Blocked = {}

    def add(spec: Path, error: FactsheetError, editions: Iterable[Edition]) -> None:
        for edition in editions:
            problems.setdefault((spec, edition.label), []).append(error)

    shared = _shared_outputs(planned)
    for (spec, other), editions in shared.items():
        for at, group in where.grouped(editions).items():
            add(spec, _shared_error(spec, other, group, at), group)
    manifests: dict[Path, list[Path]] = {}
    for spec, _ in planned:
        manifests.setdefault(manifest_path(spec), []).append(spec)
    for spec, chosen in planned:
        for error in _manifest_clash(spec, manifests, owners):
            add(spec, error, chosen)
        taken = {e.output for (s, _), es in shared.items() if s == spec for e in es}
        free = [e for e in chosen if e.output not in taken]
        for error, group in _claimed(spec, free, owners, where):
            add(spec, error, group)
    for spec, edition, what in _inputs_replaced(planned, inputs):
        add(spec, _input_error(edition, what, output_location(edition)), [edition])
    return problems


def _inputs_replaced(
    planned: Sequence[tuple[Path, Sequence[Edition]]], inputs: Mapping[Path, str]
) -> Iterator[tuple[Path, Edition, str]]:
    """Each edition (with its spec) whose PDF would replace a file the command reads
    (`inputs`): a spec named `x.pdf`, say, or another spec's image."""
    for spec, editions in planned:
        for edition in editions:
            what = inputs.get(edition.output.parent.resolve() / edition.output.name)
            if what is not None:
                yield spec, edition, what


def _of(edition: Edition) -> str:
    return f"the output of edition '{edition.label}', " if edition.keys else "the output "


def _input_error(edition: Edition, what: str, at: Location) -> FactsheetError:
    return SpecError(
        f"{_of(edition)}{display_path(edition.output)} is {what}: building it would replace a file "
        "the build reads",
        at,
        "choose an output path under output/, such as output/<spec name>.pdf",
    )


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


def _shared_error(spec: Path, other: Path, editions: list[Edition], at: Location) -> FactsheetError:
    if _single(editions):
        hint = "give each spec its own output path: set `document.output` in one of them"
    else:
        hint = "give each spec its own output paths (`editions.output`, or an override's `output`)"
        example = _example_output(spec, editions)
        if "overrides" not in at.key_path and example is not None:
            hint += f", for example {example}"
    return SpecError(
        f"{output_files(editions)} would also be written by {display_path(other)} in this "
        f"command{_whose(spec, at)}: one would silently replace the other",
        at,
        hint,
    )


def _example_output(spec: Path, editions: list[Edition]) -> str | None:
    """An output template named for the spec, with every matrix key in it (one missing a
    key would make editions collide); none when the spec already writes in that folder."""
    folder = editions[0].root / "output" / spec.stem
    if any(edition.output.is_relative_to(folder) for edition in editions):
        return None
    keys = (f"{{{key}}}" for key in editions[0].keys)
    return "/".join(["output", spec.stem, *keys]) + ".pdf"


def _whose(spec: Path, at: Location) -> str:
    """Names the spec when the line that sets the path is in another file (its base)."""
    if at.file is None or at.file.resolve() == spec:
        return ""
    return f" (by {display_path(spec)}, whose output path is set here)"


def _single(editions: list[Edition]) -> bool:
    return all(not e.keys for e in editions)


def _own_paths(spec: Path, editions: list[Edition], at: Location) -> str:
    """How to give `spec` its own output paths, when `at` sets them."""
    if _single(editions):
        return "give this spec its own output path (`document.output`)"
    if not _whose(spec, at):
        return "give this spec its own output path (`editions.output`, or an override's `output`)"
    if "overrides" in at.key_path:
        return (
            "this path is set by an override of the base spec, which applies to this spec "
            "too: give this spec its own `editions.overrides` (a list replaces the base's), "
            "or use `{{ year }}` in the override's `output`"
        )
    return "this path is set by the base spec: give this spec its own `editions.output`"


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
) -> Iterable[tuple[FactsheetError, list[Edition]]]:
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
            this = "this spec" if not _whose(spec, at) else display_path(spec)
            error = SpecError(
                f"{output_files(group)} belong{'s' if one else ''} to {name}{gone}, as "
                f"recorded in {record}: {this} would overwrite {it}",
                at,
                hint=f"{_own_paths(spec, group, at)}; `--force` "
                f"does not change this. If {name} should give {it} up, remove {its} from "
                f"{record} (or delete that file) and build again",
            )
            yield error, group


class _Where:
    """Where a spec sets each edition's output: the override that gives it, the
    editions' `output` template, or `document.output` (the spec's `document` when it
    uses the default)."""

    def grouped(self, editions: list[Edition]) -> dict[Location, list[Edition]]:
        groups: dict[Location, list[Edition]] = {}
        for edition in editions:
            groups.setdefault(output_location(edition), []).append(edition)
        return groups
