"""The three review commands from the command line's options to their files and
lines: each checks what it was given (the specs, then every folder or file named, which
must lie inside the project), builds what is out of date where the command shows the
current PDFs (`proof`, `diff`), and raises a located
:class:`~factsheet.errors.FactsheetError` for anything wrong, so the CLI prints it
without a traceback. `say` prints one line of the command's own output."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

from factsheet.errors import ErrorGroup, FactsheetError, UsageError
from factsheet.location import display_path
from factsheet.output import write_atomic
from factsheet.review.editions import (
    SpecEditions,
    approved_folder,
    build_first,
    current,
    inside_project,
)

Say = Callable[[str], None]
Patterns = Mapping[str, list[str]]


def run_proof(
    specs: Sequence[Path],
    patterns: Patterns,
    workers: int,
    target: Path,
    say: Say,
    language: str | None = None,
) -> int:
    from factsheet.review.proof import make_proof, png_sheets
    from factsheet.review.proof_words import sheet_language
    from factsheet.theme import load_theme

    chosen = current(specs, patterns)
    path = _output(target, chosen, "-o", (".pdf", ".png"))
    words = sheet_language(language, [_written_in(spec) for spec in chosen])
    _built(specs, patterns, workers, "the proof was not made")
    # The manifests the build just wrote; a spec none of whose editions was chosen
    # has no section.
    chosen = [spec for spec in current(specs, patterns) if spec.editions]
    first = chosen[0].editions[0].edition
    theme = load_theme(str(first.data.get("theme")), first.root)
    pdf = make_proof(chosen, theme, dt.datetime.now(dt.UTC), words)
    files = png_sheets(pdf, path) if path.suffix.lower() == ".png" else [(path, pdf)]
    for name, data in files:
        write_atomic(name, data, _root_of(name, chosen))
    editions = sum(len(spec.editions) for spec in chosen)
    for name, _ in files:
        say(f"wrote       {display_path(name)}  ({editions} editions)")
    return 0


def _written_in(spec: SpecEditions) -> str:
    """The language a spec is written in: its own `document.language`, before any
    edition's override (the spec was read when its editions were)."""
    from factsheet.spec.extends import load_spec_yaml

    data = load_spec_yaml(spec.spec, spec.root).data
    document = data.get("document") if isinstance(data, dict) else None
    return str((document if isinstance(document, dict) else {}).get("language") or "en")


def run_approve(specs: Sequence[Path], patterns: Patterns, into: Path | None, say: Say) -> int:
    from factsheet.locks import project_locks
    from factsheet.review.approve import approve, check_approvable

    chosen = current(specs, patterns)
    folder = _folder(into, chosen, "--into", must_exist=False)
    with project_locks({spec.root for spec in chosen}):
        check_approvable(chosen)
        for spec in chosen:
            for done in approve(spec, folder, partial=bool(patterns)):
                pages = f"{done.pages} page{'s' if done.pages != 1 else ''}"
                say(f"approved    {display_path(done.pdf)}  ({done.label}; {pages})")
    return 0


def run_diff(
    specs: Sequence[Path],
    patterns: Patterns,
    workers: int,
    against: Path | None,
    html: Path | None,
    tolerance: int,
    say: Say,
) -> int:
    from factsheet.review import terminal
    from factsheet.review.compare import compare_spec

    chosen = current(specs, patterns)
    folder = _folder(against, chosen, "--against", must_exist=True)
    report = _output(html, chosen, "--html", (".html", ".htm")) if html else None
    _built(specs, patterns, workers, "nothing was compared")
    chosen = current(specs, patterns)
    diffs, problems = [], []
    for spec in chosen:
        try:
            diffs.append(compare_spec(spec, approved_folder(spec, folder), patterns, tolerance))
        except FactsheetError as exc:
            problems.append(exc)
    if problems:
        raise problems[0] if len(problems) == 1 else ErrorGroup(problems)
    shown = display_path(report) if report else ""
    for line in terminal.lines(diffs, tolerance, shown):
        say(line)
    if report is not None:
        from factsheet.review.html import write_report

        write_report(diffs, report, tolerance, _root_of(report, chosen))
        say(f"wrote       {shown}")
    return terminal.exit_code(diffs)


def _built(specs: Sequence[Path], patterns: Patterns, workers: int, what: str) -> None:
    code = build_first(specs, patterns, workers)
    if code:
        error = FactsheetError(
            f"{what}: editions failed to build (see the errors above)",
            hint="fix them, or leave them out with --edition KEY=VALUE",
        )
        error.exit_code = code
        raise error


def _folder(
    path: Path | None, specs: Sequence[SpecEditions], option: str, must_exist: bool
) -> Path | None:
    if path is None:
        return None
    resolved = inside_project(path, [spec.root for spec in specs], option)
    if resolved.exists() and not resolved.is_dir():
        raise UsageError(f"{option} {path}: is a file, not a folder")
    if must_exist and not resolved.is_dir():
        raise UsageError(
            f"{option} {path}: no such folder",
            hint="name the folder `factsheet approve --into` wrote (by default approved/)",
        )
    return resolved


def _output(
    path: Path | None, specs: Sequence[SpecEditions], option: str, suffixes: tuple[str, ...]
) -> Path:
    assert path is not None
    if path.suffix.lower() not in suffixes:
        raise UsageError(f"{option} {path}: must end in {' or '.join(suffixes)}")
    resolved = inside_project(path, [spec.root for spec in specs], option)
    taken = {r.edition.output.resolve() for spec in specs for r in spec.editions}
    taken |= {spec.spec for spec in specs}
    if resolved in taken or resolved.is_dir():
        raise UsageError(f"{option} {path}: is an edition's PDF, a spec or a folder")
    return resolved


def _root_of(path: Path, specs: Sequence[SpecEditions]) -> Path:
    return next(s.root for s in specs if path.is_relative_to(s.root.resolve()))
