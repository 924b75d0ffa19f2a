"""What the review commands work on: each spec's editions with their manifest entry,
and whether an edition's PDF is the one its inputs make today. `proof` and `diff`
first build what is out of date through the ordinary batch build (up-to-date editions
are skipped by their input digest, as `factsheet build` skips them), printing only
what it built or what failed, on standard error. `approve` builds nothing: it asks
:func:`why_not_current` and refuses an edition that failed, was never built, or whose
inputs changed since. Also here: where an approved set lives, the file-name slug of an
edition, and the check that a folder or file named on the command line lies inside
the project."""

from __future__ import annotations

import hashlib
import sys
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO

from factsheet.editions.batch import BUILT, FAILED, Outcome
from factsheet.editions.expand import Edition, select
from factsheet.editions.expanded import editions_of
from factsheet.editions.manifest import manifest_path, read_document
from factsheet.editions.run import Options, Summary, build_all
from factsheet.errors import FactsheetError, UsageError
from factsheet.spec.validate import project_root

APPROVED_FOLDER = "approved"


@dataclass(frozen=True)
class Reviewed:
    """One edition as the review commands see it."""

    edition: Edition
    entry: Mapping[str, Any] | None
    """Its record in the spec's manifest (None when it was never built)."""

    @property
    def label(self) -> str:
        return self.edition.label

    @property
    def warnings(self) -> list[str]:
        return list(self.entry.get("warnings", ())) if self.entry else []


@dataclass(frozen=True)
class SpecEditions:
    """A spec, its project, and its chosen editions in matrix order."""

    spec: Path
    root: Path
    editions: list[Reviewed]
    manifest: Mapping[str, Any]
    """The spec's whole manifest document (empty when there is none)."""

    @property
    def name(self) -> str:
        return self.spec.stem


def current(specs: Sequence[Path], patterns: Mapping[str, list[str]]) -> list[SpecEditions]:
    """Every spec's chosen editions with their manifest entries; a spec that cannot be
    read raises its own error (all of them together)."""
    from factsheet.errors import ErrorGroup

    found: list[SpecEditions] = []
    problems: list[FactsheetError] = []
    seen: set[Path] = set()
    for spec in specs:
        try:
            editions = editions_of(spec)
        except FactsheetError as exc:
            problems.extend(exc.errors if isinstance(exc, ErrorGroup) else [exc])
            continue
        if spec.resolve() in seen:
            continue
        seen.add(spec.resolve())
        chosen = select(editions, patterns) if patterns else editions
        document = read_document(manifest_path(spec.resolve())) or {}
        entries = document.get("editions", {})
        reviewed = [Reviewed(e, entries.get(e.label)) for e in chosen]
        found.append(SpecEditions(spec.resolve(), project_root(spec), reviewed, document))
    if problems:
        raise problems[0] if len(problems) == 1 else ErrorGroup(problems)
    if patterns and not any(s.editions for s in found):
        wanted = " ".join(f"--edition {k}={v}" for k, vs in patterns.items() for v in vs)
        raise UsageError(f"no edition matches {wanted}", hint="see `factsheet list SPEC`")
    return found


def why_not_current(reviewed: Reviewed) -> str:
    """'' when the edition's PDF is what its inputs make today; else why not, in a
    few words ('its inputs changed since it was built')."""
    from factsheet.build import plan_edition
    from factsheet.editions.manifest import input_digest

    entry, output = reviewed.entry, reviewed.edition.output
    if entry is None:
        return "not built yet"
    if entry.get("last_error"):
        first = str(entry["last_error"]).splitlines()[0]
        return f"the last build failed: {first}"
    if not output.is_file():
        return "the PDF is missing"
    if hashlib.sha256(output.read_bytes()).hexdigest() != entry.get("pdf_sha256"):
        return "the PDF was changed after the build"
    try:
        plan = plan_edition(reviewed.edition)
    except FactsheetError as exc:
        return f"it does not build: {str(exc).splitlines()[0]}"
    if input_digest(plan.loaded, plan.theme, plan.data) != entry.get("inputs_sha256"):
        return "its inputs (spec, data, theme, images or factsheet itself) changed since"
    return ""


class QuietReporter:
    """A build's report for the review commands: only editions built or failed, and
    the problems at the end, all on standard error (standard output is the review's)."""

    def __init__(self, err: TextIO | None = None) -> None:
        self.err = err or sys.stderr

    def __enter__(self) -> QuietReporter:
        return self

    def __exit__(self, *exc: object) -> None:
        return None

    def progress(self, outcome: Outcome, running: Sequence[str]) -> None:
        from factsheet.report import outcome_line
        from factsheet.security import escape_controls

        if outcome.status in (BUILT, FAILED):
            print(escape_controls(outcome_line(outcome)), file=self.err, flush=True)

    def finish(self, summary: Summary) -> None:
        from factsheet.editions.run import describe_spec_error
        from factsheet.report import grouped_problems
        from factsheet.security import escape_controls

        lines = [line for line in grouped_problems(summary) if line.startswith("Error")]
        for _, error in summary.spec_errors:
            lines += [f"Error: {line}" for line in describe_spec_error(error).splitlines()]
        for line in lines:
            print(escape_controls(line), file=self.err)


def build_first(specs: Sequence[Path], patterns: Mapping[str, list[str]], workers: int) -> int:
    """Build the chosen editions that are out of date; the build's exit code (0 when
    every edition is built and current)."""
    summary = build_all(list(specs), Options(patterns, workers), lambda _n, _c: QuietReporter())
    return summary.exit_code


def slug(label: str) -> str:
    """A file name for an edition: `region=Asia, language=fr` -> `region-asia_language-fr`.
    Letters of any script are kept; everything else becomes a hyphen."""
    parts = []
    for pair in label.split(", "):
        text = unicodedata.normalize("NFC", pair).casefold()
        word = "".join(c if c.isalnum() else "-" for c in text)
        parts.append("-".join(filter(None, word.split("-"))))
    return "_".join(filter(None, parts)) or "edition"


def slugs(labels: Sequence[str]) -> dict[str, str]:
    """Each label's slug, made unique by a short hash of the label where two collide."""
    plain = {label: slug(label) for label in labels}
    counts: dict[str, int] = {}
    for name in plain.values():
        counts[name] = counts.get(name, 0) + 1
    return {
        label: name if counts[name] == 1 else f"{name}-{_short(label)}"
        for label, name in plain.items()
    }


def _short(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:8]


def inside_project(path: Path, roots: Sequence[Path], option: str) -> Path:
    """`path` (as typed, relative to the current folder) resolved; UsageError when it
    lies outside every spec's project."""
    resolved = path.expanduser().resolve()
    if any(resolved.is_relative_to(root.resolve()) for root in roots):
        return resolved
    where = ", ".join(str(root) for root in dict.fromkeys(roots))
    raise UsageError(
        f"{option} {path}: lies outside the project ({where})",
        hint="name a folder or file inside the project, such as approved/ or output/",
    )


def approved_folder(spec: SpecEditions, against: Path | None) -> Path:
    """Where `spec`'s approved set lives: `<project>/approved/<spec stem>/`, or
    `<against>/<spec stem>/`."""
    base = against if against is not None else spec.root / APPROVED_FOLDER
    return base / spec.name
