"""One `factsheet build` over many specs: expand every spec into editions, keep those
the command line selects, build them (in parallel, skipping unchanged ones), update each
spec's manifest, and optionally bundle every edition into one PDF. Everything a spec
gets wrong before its editions exist is reported as that spec's failure; the other
specs still build."""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from factsheet.editions.batch import BUILT, FAILED, Job, Outcome, run_jobs
from factsheet.editions.expand import Edition, select
from factsheet.editions.expanded import edition_at, editions_of, known_editions
from factsheet.editions.limits import DEFAULT_TIMEOUT
from factsheet.editions.manifest import (
    earlier_manifest_path,
    manifest_path,
    read_document,
    read_manifest,
    write_manifest,
)
from factsheet.errors import ErrorGroup, FactsheetError, UsageError


@dataclass
class Summary:
    """What a build did, for the final table and the exit code."""

    outcomes: list[Outcome] = field(default_factory=list)
    spec_errors: list[tuple[Path, FactsheetError]] = field(default_factory=list)
    seconds: float = 0.0
    bundle: Path | None = None
    bundle_note: str = ""
    """What the bundle does not claim, and which editions are why (or '')."""
    check_only: bool = False

    def count(self, status: str) -> int:
        return sum(1 for o in self.outcomes if o.status == status)

    @property
    def exit_code(self) -> int:
        """0 when all went well; a single failure's own code (65 invalid input, 66
        missing input, ...); 1 when several editions failed for different reasons."""
        codes = [o.exit_code for o in self.outcomes if o.status == FAILED]
        codes += [error.exit_code for _, error in self.spec_errors]
        if not codes:
            return 0
        return codes[0] if len(set(codes)) == 1 else 1


@dataclass(frozen=True)
class Options:
    """How to run: which editions, how many at once, and what to do with them."""

    patterns: Mapping[str, list[str]] = field(default_factory=dict)
    workers: int = 1
    force: bool = False
    check_only: bool = False
    strict: bool = False
    bundle: Path | None = None
    bundle_outside: bool = False
    """The bundle may be written outside the project (`--bundle-outside`)."""
    timeout: float = DEFAULT_TIMEOUT  # seconds per edition; 0 for no limit


Planned = list[tuple[Path, list[Edition], list[Edition]]]
"""Each spec with its editions and the editions chosen to build."""


def expand_specs(specs: Sequence[Path], options: Options, summary: Summary) -> Planned:
    """Every spec's editions and those chosen; a spec that cannot be expanded is a
    spec error in `summary`. Reads specs only."""
    patterns = options.patterns
    planned: Planned = []
    seen: set[Path] = set()
    for spec in specs:
        try:
            editions = editions_of(spec, patterns)
        except FactsheetError as exc:
            summary.spec_errors.append((spec, exc))
            continue
        if spec.resolve() in seen:
            continue  # named twice (say, by two globs, or through a link): built once
        seen.add(spec.resolve())
        chosen = select(editions, patterns) if patterns else editions
        planned.append((spec, editions, chosen))
    return planned


def jobs_of(
    planned: Planned, options: Options, summary: Summary, inputs: Mapping[Path, str]
) -> list[Job]:
    """The jobs of the chosen editions. An edition that would write another spec's
    files (see :mod:`factsheet.editions.owners`) is checked and fails, writing
    nothing. Run while holding the output folders' locks, so that the manifests read
    here are not changing."""
    from factsheet.editions.owners import Owners, output_problems

    patterns = options.patterns
    owners = Owners()
    targets = [(s.resolve(), chosen) for s, _, chosen in planned]
    problems = output_problems(targets, owners, inputs)
    jobs: list[Job] = []
    for spec, editions, chosen in planned:
        # An edition that would overwrite another spec's PDF is not written, but it is
        # still checked, so that its other problems are reported in the same run.
        previous = read_manifest(_manifest_to_read(spec.resolve(), editions))
        for edition in chosen:
            blocked = problems.get((spec.resolve(), edition.label), [])
            jobs.append(_job(edition, options, previous.get(edition.label), blocked))
    if patterns and not jobs and not summary.spec_errors:
        wanted = " ".join(f"--edition {k}={v}" for k, vs in patterns.items() for v in vs)
        raise UsageError(f"no edition matches {wanted}", hint="see `factsheet list SPEC`")
    return jobs


def _manifest_to_read(spec: Path, editions: Sequence[Edition]) -> Path:
    """The spec's manifest, or the one an earlier version kept beside its PDFs."""
    path = manifest_path(spec)
    if path.is_file():
        return path
    earlier = earlier_manifest_path(spec, [e.output for e in editions])
    return earlier if _records(earlier, spec) else path


def _records(path: Path, spec: Path) -> bool:
    """Whether the manifest at `path` is `spec`'s (an earlier version's, by path)."""
    document = read_document(path)
    return document is not None and document.get("spec") == str(spec)


def _job(
    edition: Edition,
    options: Options,
    previous: Mapping[str, object] | None,
    blocked: Sequence[FactsheetError] = (),
) -> Job:
    why = "\n".join(str(error) for error in blocked)
    code = max((error.exit_code for error in blocked), default=0)
    return Job(edition.spec_path, edition.index, edition.label, edition.output, options.force,
               previous, options.check_only, options.strict, why, code,
               options.timeout)  # fmt: skip


class Reporter(Protocol):
    """Shows a build's progress and its summary (see :mod:`factsheet.report`)."""

    def __enter__(self) -> Reporter: ...
    def __exit__(self, *exc: object) -> None: ...
    def progress(self, outcome: Outcome, running: Sequence[str]) -> None: ...
    def finish(self, summary: Summary) -> None: ...


def build_all(
    specs: Sequence[Path], options: Options, reporter_for: Callable[[int, bool], Reporter]
) -> Summary:
    """Build (or only check) the selected editions of every spec and report on them."""
    started = time.perf_counter()
    summary = Summary(check_only=options.check_only)
    planned = expand_specs(specs, options, summary)
    inputs = _inputs(planned)
    bundle = _bundle_target(options, planned, inputs)
    with _locked(planned, options, bundle):
        jobs = jobs_of(planned, options, summary, inputs)
        _warm_up(jobs)
        reporter = reporter_for(len(jobs), options.check_only)
        finished: list[Outcome] = []

        def progress(outcome: Outcome, running: Sequence[str]) -> None:
            finished.append(outcome)
            reporter.progress(outcome, running)

        try:
            with reporter:
                summary.outcomes = run_jobs(jobs, options.workers, progress)
        except KeyboardInterrupt:
            if not options.check_only:  # record every edition that finished
                try:
                    update_manifests(finished)
                except FactsheetError as error:
                    from factsheet.security import say

                    say(f"Warning: the editions that finished are not recorded: {error}")
            raise
        if not options.check_only:
            update_manifests(summary.outcomes)
            if bundle is not None and summary.outcomes:
                from factsheet.editions.bundle import write_bundle

                merged = write_bundle(bundle[0], summary.outcomes, bundle[1])
                summary.bundle = options.bundle
                summary.bundle_note = merged.note()
    _prune_caches(jobs)
    summary.seconds = time.perf_counter() - started
    reporter.finish(summary)
    return summary


def _inputs(planned: Planned) -> dict[Path, str]:
    """Every file the planned specs read (see :func:`~factsheet.editions.bundle.build_inputs`):
    neither an edition nor the bundle may replace one."""
    from factsheet.editions.bundle import build_inputs

    return build_inputs(e for _, editions, _ in planned for e in editions)


def _bundle_target(
    options: Options, planned: Planned, inputs: Mapping[Path, str]
) -> tuple[Path, Path | None] | None:
    """Where the bundle goes, and its project; UsageError if it must not go there."""
    if options.bundle is None or options.check_only:
        return None
    from factsheet.editions.bundle import check_bundle_path

    everything = [e for _, editions, _ in planned for e in editions]
    if not everything:
        return None  # every spec failed: there will be nothing to bundle
    return check_bundle_path(options.bundle, everything, inputs, options.bundle_outside)


@contextlib.contextmanager
def _locked(
    planned: Planned, options: Options, bundle: tuple[Path, Path | None] | None
) -> Iterator[None]:
    """Hold the lock of every project this build writes to (see
    :mod:`factsheet.locks`), then clear the temporaries that killed runs left beside
    the files it writes; `check` writes nothing and takes no lock."""
    if options.check_only:
        yield
        return
    from factsheet.locks import project_locks
    from factsheet.output import remove_stale_temporaries

    roots = {chosen[0].root for _, _, chosen in planned if chosen}
    files = [e.output for _, _, chosen in planned for e in chosen]
    files += [manifest_path(spec.resolve()) for spec, _, chosen in planned if chosen]
    if bundle is not None:
        files.append(bundle[0])
        roots |= {bundle[1]} if bundle[1] is not None else set()
    with project_locks(roots):
        remove_stale_temporaries(files)
        yield


def _prune_caches(jobs: Sequence[Job]) -> None:
    """Keep each project's build cache within its size limit."""
    from factsheet import cache

    roots = {edition_at(job.spec_path, job.index).root for job in jobs}
    stores = {store.folder: store for root in roots if (store := cache.store_for(root))}
    for store in stores.values():
        store.prune()


def _warm_up(jobs: Sequence[Job]) -> None:
    """Load each theme (and register its fonts) once, before workers are forked, so
    every worker starts with them instead of loading them again per edition; and tell
    the chart helper, if the command started one, what its first charts will need."""
    from factsheet.blocks.chart_look import preparation
    from factsheet.charts import sidecar
    from factsheet.spec.model import DEFAULT_LANGUAGE
    from factsheet.theme import load_theme

    languages: dict[tuple[Path, str], dict[str, None]] = {}
    for job in jobs:
        edition = edition_at(job.spec_path, job.index)
        data = edition.data if isinstance(edition.data, dict) else {}
        theme, document = data.get("theme"), data.get("document")
        language = document.get("language") if isinstance(document, dict) else None
        if isinstance(theme, str):
            seen = languages.setdefault((edition.root, theme), {})
            seen[language if isinstance(language, str) else DEFAULT_LANGUAGE] = None
    for (root, theme), spoken in languages.items():
        with contextlib.suppress(FactsheetError):  # reported by the editions using it
            loaded = load_theme(theme, root)
            if sidecar.running():
                sidecar.send_ahead(preparation(loaded, spoken))


def update_manifests(outcomes: Sequence[Outcome]) -> None:
    """Record built and up-to-date editions; keep a failed edition's last good entry."""
    by_spec: dict[Path, list[Outcome]] = {}
    for outcome in outcomes:
        by_spec.setdefault(outcome.job.spec_path, []).append(outcome)
    for spec, results in by_spec.items():
        if not any(o.status == BUILT for o in results):
            continue  # nothing new to record (and the folder may not be writable)
        editions = known_editions(spec)
        path = manifest_path(spec)
        earlier = _manifest_to_read(spec, editions)
        entries = read_manifest(earlier)
        for outcome in results:
            if outcome.status == FAILED:
                previous = entries.get(outcome.job.label)
                if previous is not None:
                    entries[outcome.job.label] = {**previous, "last_error": outcome.error}
            else:
                entries[outcome.job.label] = dict(outcome.entry)
        known = {e.label for e in editions}
        write_manifest(path, spec, {k: v for k, v in entries.items() if k in known})
        if earlier != path:  # moved to where this version keeps it
            with contextlib.suppress(OSError):
                earlier.unlink()


def describe_spec_error(error: FactsheetError) -> str:
    problems = error.errors if isinstance(error, ErrorGroup) else [error]
    return "\n".join(str(p) for p in problems)
