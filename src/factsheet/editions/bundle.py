"""One PDF for a donor report: every edition built, in matrix order, each under an
outline entry of its own with the edition's own bookmarks nested beneath it, and as
tagged and archival as its editions (see :mod:`factsheet.editions.merge`).

`--bundle PATH` names a file to replace, so it is checked before anything is built
(:func:`check_bundle_path`): it must end in `.pdf`; it must not be a link, nor reached
through a linked folder inside the project; it must not be any input of the build (a
spec, a base it `extends`, a data file, the theme, a font, the logo, an image), an
edition's PDF, or a PDF another spec's manifest claims; and it must lie inside the
project of one of the specs unless `--bundle-outside` says the user means it. The bundle
is written atomically, like every output."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from factsheet.editions.batch import FAILED, Outcome
from factsheet.editions.expand import Edition
from factsheet.editions.manifest import MANIFEST_FOLDER
from factsheet.errors import FactsheetError, OutputError, UsageError
from factsheet.location import display_path
from factsheet.output import write_atomic

if TYPE_CHECKING:
    from factsheet.editions.merge import Merged


def check_bundle_path(
    bundle: Path, editions: Sequence[Edition], inputs: Mapping[Path, str], outside: bool = False
) -> tuple[Path, Path | None]:
    """UsageError unless writing the bundle at `bundle` is safe (see the module's
    docstring); otherwise (the file to write, the project it is in, if any)."""
    hint = "bundle into a new file inside the project, such as output/all-editions.pdf"
    if bundle.suffix.lower() != ".pdf":
        raise UsageError(f"--bundle {bundle}: the bundle is a PDF, so its name must end in .pdf",
                         hint=hint)  # fmt: skip
    if bundle.is_symlink():
        raise UsageError(
            f"--bundle {bundle} is a symbolic link (to {os.readlink(bundle)}): factsheet "
            "never writes through a link", hint=hint)  # fmt: skip
    target = bundle.parent.resolve() / bundle.name
    roots = sorted({e.root for e in editions})
    root = next((r for r in roots if target.is_relative_to(r)), None)
    if root is None and not outside:
        where = " or ".join(display_path(r) for r in roots) or "the project"
        raise UsageError(
            f"--bundle {bundle} is outside the project ({where})",
            hint="bundle into the project's output/ folder, or add --bundle-outside to "
            "write it there on purpose",
        )
    link = _linked_folder(bundle, roots)
    if link is not None:
        raise UsageError(
            f"--bundle {bundle} goes through {display_path(link)}, a link to a folder: factsheet "
            "never writes through a link", hint=hint)  # fmt: skip
    if target.is_dir():
        raise UsageError(f"--bundle {bundle} is a folder", hint=hint)
    why = _taken(target, editions, inputs)
    if why:
        raise UsageError(f"--bundle {bundle} is {why}: the bundle would replace it", hint=hint)
    return target, root


def _linked_folder(bundle: Path, roots: Sequence[Path]) -> Path | None:
    """A folder on the way to `bundle` that is a link, inside one of the projects."""
    given = Path(os.path.abspath(bundle))
    for folder in list(given.parents)[:-1]:
        if folder.is_symlink() and any(folder.parent.resolve().is_relative_to(r) for r in roots):
            return folder
    return None


def _taken(target: Path, editions: Sequence[Edition], inputs: Mapping[Path, str]) -> str:
    """What `target` already is for this build, or ''."""
    from factsheet.editions.owners import Owners

    for edition in editions:
        if target in (edition.output, edition.output.resolve()):
            return (
                f"also the output of edition '{edition.label}' of {display_path(edition.spec_path)}"
            )
    if target in inputs:
        return inputs[target]
    owners = Owners()
    roots = {e.root for e in editions if target.is_relative_to(e.root)}
    # Outside these projects (--bundle-outside), the file may be another project's PDF:
    # any folder above it with an output/ folder is looked at as a project.
    roots |= {f for f in target.parents if (f / MANIFEST_FOLDER).is_dir()}
    for root in sorted(roots):
        for claim in owners.claims(target, root):
            owner, manifest = display_path(claim.owner), display_path(claim.manifest)
            return f"a PDF of {owner}, as recorded in {manifest}"
    return ""


def build_inputs(editions: Iterable[Edition]) -> dict[Path, str]:
    """Every file the editions read, resolved, with what it is: spec files (bases
    included), data files, the theme's file, fonts and logo, and images. An image path
    written as a template is rendered with the edition's keys and variables."""
    from factsheet.theme import load_theme

    found: dict[Path, str] = {}
    themes: set[tuple[Path, str]] = set()
    seen: set[tuple[Path, str]] = set()  # editions of a spec share most of their files
    for edition in editions:
        for path, _, _ in edition.spec_files:
            if (path, "") not in seen:
                seen.add((path, ""))
                what = "the catalog" if path.suffix == ".po" else "the spec file"
                found.setdefault(path.resolve(), f"{what} {display_path(path)}")
        data = edition.data if isinstance(edition.data, dict) else {}
        for name, relative in _data_files(data):
            if (edition.root, relative) not in seen:
                seen.add((edition.root, relative))
                _add(found, edition.root, relative, f"the data file of source '{name}'")
        for relative in _images(data, edition):
            if (edition.root, relative) not in seen:
                seen.add((edition.root, relative))
                _add(found, edition.root, relative, "an image the spec shows")
        theme = data.get("theme")
        if isinstance(theme, str) and (edition.root, theme) not in themes:
            themes.add((edition.root, theme))
            with contextlib.suppress(FactsheetError, OSError):
                for path in load_theme(theme, edition.root).files():
                    found.setdefault(path.resolve(), f"a file of the theme '{theme}'")
    return found


def _add(found: dict[Path, str], root: Path, relative: str, what: str) -> None:
    from factsheet.paths import resolve_inside

    with contextlib.suppress(ValueError, OSError):
        found.setdefault(resolve_inside(root, relative), f"{what} ({relative})")


def _data_files(data: dict[str, Any]) -> Iterable[tuple[str, str]]:
    sources = data.get("data")
    for name, source in sources.items() if isinstance(sources, dict) else ():
        file = source.get("file") if isinstance(source, dict) else None
        if isinstance(file, str):
            yield str(name), file


def _images(data: dict[str, Any], edition: Edition) -> Iterable[str]:
    from factsheet.editions.variables import context_of, picture_paths
    from factsheet.spec.templates import is_template
    from factsheet.text import Templates

    for name in picture_paths(data):
        if is_template(name):
            context = context_of(data, edition.keys) | dict(edition.variables)
            try:
                name = Templates(context).render_value(name)
            except FactsheetError:
                continue  # it uses a figure: reported by the block that shows it
        yield name


def write_bundle(path: Path, outcomes: Sequence[Outcome], root: Path | None = None) -> Merged:
    """Merge the PDFs of every edition that did not fail, in order (see
    :mod:`factsheet.editions.merge`), and write the bundle atomically."""
    from factsheet.editions.merge import Part, merge

    done = [outcome for outcome in outcomes if outcome.status != FAILED]
    for outcome in done:
        if not outcome.job.output.is_file():  # never a bundle silently short of an edition
            raise OutputError(
                f"edition {outcome.job.label} was built, but its PDF "
                f"{display_path(outcome.job.output)} is gone",
                hint="build again: another program removed or moved it meanwhile",
            )
    parts = [Part(outcome.job.output, *_label(outcome)) for outcome in done]
    if not parts:
        raise OutputError("no edition was built, so there is nothing to bundle")
    merged = merge(parts)
    write_atomic(path, merged.data, root)
    return merged


def _label(outcome: Outcome) -> tuple[str, bool]:
    """The edition's label in the outline, and whether it is made of its keys."""
    keys = outcome.entry.get("keys") or {}
    if keys:
        return " · ".join(str(v) for v in keys.values()), True
    return outcome.job.label, False
