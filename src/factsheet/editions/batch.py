"""Building many editions: each one is a job that a worker process runs on its own,
from its own keys, so no edition can see another's numbers. A job that fails is
reported with its own error and leaves its previous PDF untouched; the others carry on.
Unchanged editions are skipped by their input digest. Ctrl-C cancels what has not
started, stops the workers, and removes any temporary file they left. A run is bounded:
never more workers than twice the CPUs, workers die with their parent, and each edition
has a time limit (see :mod:`factsheet.editions.limits`)."""

from __future__ import annotations

import contextlib
import gc
import hashlib
import os
import resource
import signal
import sys
import time
import traceback
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from factsheet.editions import limits
from factsheet.editions.expanded import edition_at, known_editions
from factsheet.errors import ErrorGroup, FactsheetError
from factsheet.location import Location

if TYPE_CHECKING:  # a pool's modules are imported only when one is started
    from concurrent.futures import Future, ProcessPoolExecutor

BUILT, UP_TO_DATE, CHECKED, FAILED = "built", "up to date", "checked", "failed"


@dataclass(frozen=True)
class Job:
    """One edition to build, as a worker receives it: small and picklable."""

    spec_path: Path
    index: int
    label: str
    output: Path
    force: bool = False
    previous: Mapping[str, Any] | None = None
    check_only: bool = False  # run every check, draw and write nothing
    strict: bool = False  # warnings fail the edition
    blocked: str = ""
    """Why the edition must not be written, found before it was built (its spec would
    overwrite another spec's PDFs): it is checked, to report its other problems with
    this one, and fails."""
    blocked_code: int = 0
    timeout: float = limits.DEFAULT_TIMEOUT
    """Seconds the edition may take; 0 for no limit."""


@dataclass(frozen=True)
class Outcome:
    """What became of one job."""

    job: Job
    status: str
    seconds: float = 0.0
    pages: int = 0
    size: int = 0
    error: str = ""
    exit_code: int = 0
    entry: Mapping[str, Any] = field(default_factory=dict)
    warnings: tuple[str, ...] = ()
    peak_rss_mib: float = 0.0  # of the process that ran the job, when it finished


def run_job(job: Job) -> Outcome:
    """Build one edition (in a worker, or inline), within its time limit. Never raises
    for a user error."""
    started = time.perf_counter()
    try:
        with limits.time_limit(job.timeout):
            outcome = _run_safely(job)
    except limits.TimeUp as stopped:
        remove_temporary_files([job])
        where = limits.stopped_at(stopped, known_editions(job.spec_path)[job.index])
        error = limits.over_time(job.timeout, where)
        outcome = Outcome(job, FAILED, time.perf_counter() - started, error=str(error), exit_code=1)
    if _settled:  # in a batch (see `_settle`): free this edition's cycles now
        gc.collect()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return replace(outcome, peak_rss_mib=peak)


def _settle() -> None:
    """Before the rest of a batch: keep what the first edition left (fonts, styles,
    caches) out of garbage collection for good. A build leaves reference cycles (a PDF
    document and its canvas); left to Python's own schedule, they pile up between full
    collections and a long-running worker grows by megabytes per hundred editions.
    Collecting after each edition then only scans that edition's objects (about 2 ms),
    and forked workers share the frozen objects' memory pages instead of copying them."""
    global _settled
    gc.collect()
    gc.freeze()
    _settled = True  # forked workers inherit it


_settled = False


def _run_safely(job: Job) -> Outcome:
    started = time.perf_counter()
    if job.blocked:
        job = replace(job, check_only=True)
    try:
        outcome = _run(job, started)
    except FactsheetError as exc:
        problems = exc.errors if isinstance(exc, ErrorGroup) else [exc]
        text = "\n".join(filter(None, [job.blocked, *(str(p) for p in problems)]))
        code = exc.exit_code if not job.blocked or job.blocked_code == exc.exit_code else 1
        return Outcome(job, FAILED, time.perf_counter() - started, error=text, exit_code=code)
    except Exception as exc:  # a bug in factsheet: keep the others going, say so
        detail = "".join(traceback.format_exception_only(type(exc), exc)).strip()
        if os.environ.get("FACTSHEET_DEBUG"):
            detail = traceback.format_exc()
        return Outcome(
            job,
            FAILED,
            time.perf_counter() - started,
            error=f"internal error: {detail}",
            exit_code=70,
        )
    if job.blocked:
        return replace(outcome, status=FAILED, error=job.blocked, exit_code=job.blocked_code)
    return outcome


def _run(job: Job, started: float) -> Outcome:
    from factsheet.build import check_plan, plan_edition, render_plan
    from factsheet.editions.manifest import input_digest
    from factsheet.output import write_atomic

    edition = edition_at(job.spec_path, job.index)
    plan = plan_edition(edition)
    if job.check_only:
        warnings = _warnings(job, check_plan(plan).warnings)
        return Outcome(job, CHECKED, time.perf_counter() - started, warnings=warnings)
    digest = input_digest(plan.loaded, plan.theme, plan.data)
    # Under --strict an edition built with warnings is not up to date: built again,
    # its warnings fail it, as they would have the first time.
    warned = job.strict and bool(job.previous and job.previous.get("warnings"))
    if not job.force and not warned and _unchanged(job.previous, digest, edition.output):
        assert job.previous is not None
        pages = int(job.previous.get("pages", 0))
        warnings = tuple(job.previous.get("warnings", ()))
        return Outcome(
            job,
            UP_TO_DATE,
            time.perf_counter() - started,
            pages=pages,
            entry=job.previous,
            warnings=warnings,
        )
    rendered = render_plan(plan)
    warnings = _warnings(job, rendered.content.warnings)
    write_atomic(edition.output, rendered.pdf, edition.root)
    seconds = time.perf_counter() - started
    entry = _entry(plan, rendered, digest, seconds, warnings)
    return Outcome(
        job,
        BUILT,
        seconds,
        len(rendered.layout.pages),
        len(rendered.pdf),
        entry=entry,
        warnings=warnings,
    )


def _warnings(job: Job, found: Sequence[FactsheetError]) -> tuple[str, ...]:
    """Warnings as text; with --strict they are errors and fail the edition."""
    if found and job.strict:
        raise found[0] if len(found) == 1 else ErrorGroup(list(found))
    return tuple(str(w) for w in found)


def _entry(
    plan: Any, rendered: Any, digest: str, seconds: float, warnings: tuple[str, ...]
) -> dict[str, Any]:
    """The edition's manifest record."""
    from factsheet.editions.manifest import (
        alt_texts,
        charts_record,
        figures_record,
        labels_record,
        tables_record,
    )
    from factsheet.render.boxes import add_boxes

    edition = plan.edition
    items = [i for page in rendered.content.pages for i in page]
    entry = {
        "keys": dict(edition.keys),
        "output": str(edition.output.relative_to(edition.root)),
        "inputs_sha256": digest,
        "pdf_sha256": hashlib.sha256(rendered.pdf).hexdigest(),
        "pages": len(rendered.layout.pages),
        "build_seconds": round(seconds, 3),
        "warnings": list(warnings),
        "figures": figures_record(plan.data),
        "charts": charts_record(plan.data, alt_texts(items), labels_record(items)),
        "tables": tables_record(items),
    }
    add_boxes(entry, rendered.boxes)
    return entry


def _unchanged(previous: Mapping[str, Any] | None, digest: str, output: Path) -> bool:
    if not previous or previous.get("inputs_sha256") != digest or not output.is_file():
        return False
    return hashlib.sha256(output.read_bytes()).hexdigest() == previous.get("pdf_sha256")


Progress = Callable[[Outcome, Sequence[str]], None]


def run_jobs(jobs: Sequence[Job], workers: int, progress: Progress) -> list[Outcome]:
    """Run every job, `workers` at a time; report each outcome as it arrives, with the
    labels still running. Returns outcomes in the jobs' order."""
    if not jobs:
        return []
    workers = min(workers, len(jobs) - 1, limits.max_workers())
    # The first edition is built here, before any worker exists: the workers are forked
    # from this process and so start with its fonts, photos and chart figures ready.
    first = run_job(jobs[0])
    progress(first, [j.label for j in jobs[1 : 1 + max(workers, 1)]])
    if len(jobs) > 1:
        _settle()
    if workers <= 1 or len(jobs) <= 2:
        outcomes = [first]
        for number, job in enumerate(jobs[1:], start=1):
            outcomes.append(run_job(job))
            progress(outcomes[-1], [j.label for j in jobs[number + 1 : number + 2]])
        return outcomes
    return [first, *_run_pool(jobs[1:], workers, progress)]


def _run_pool(jobs: Sequence[Job], workers: int, progress: Progress) -> list[Outcome]:
    import multiprocessing

    from factsheet.charts import sidecar

    if sidecar.stop():  # charts are being drawn: the workers start with matplotlib ready
        from factsheet.charts.job import ready_to_draw

        ready_to_draw()

    context = multiprocessing.get_context("fork" if sys.platform == "linux" else None)
    # When each job started in a worker (0 until then), for the parent to see an
    # edition that overran its time limit and did not stop by itself.
    started = context.Array("d", len(jobs), lock=False)
    results: dict[int, Outcome] = {}
    waiting = list(range(len(jobs)))
    while waiting:  # a new pool after a stuck worker was killed, for the jobs left
        waiting = _pool_round(jobs, waiting, workers, context, started, results, progress)
    return [results[n] for n in range(len(jobs))]


def _pool_round(
    jobs: Sequence[Job],
    waiting: Sequence[int],
    workers: int,
    context: Any,
    started: Any,
    results: dict[int, Outcome],
    progress: Progress,
) -> list[int]:
    """Run the `waiting` jobs in a pool; the jobs left to run when one overran its
    time limit and the pool had to be stopped, else none."""
    from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait

    executor = ProcessPoolExecutor(
        min(workers, len(waiting)),
        mp_context=context,
        initializer=_init_worker,
        initargs=(os.getpid(), started),
    )
    futures: dict[Future[Outcome], int] = {}
    for n in waiting:
        started[n] = 0.0
    try:
        # Workers start while Ctrl-C is held back, so none is interrupted before it has
        # set itself to ignore it; a Ctrl-C pressed meanwhile arrives just after.
        with _sigint_blocked():
            futures = {executor.submit(_pool_job, n, jobs[n]): n for n in waiting}
        pending = set(futures)
        while pending:
            done, pending = wait(pending, timeout=0.2, return_when=FIRST_COMPLETED)
            running = [jobs[futures[f]].label for f in pending if f.running()]
            for future in sorted(done, key=futures.__getitem__):
                results[futures[future]] = future.result()
                progress(results[futures[future]], running)
            stuck = limits.overdue([(futures[f], jobs[futures[f]]) for f in pending], started)
            if stuck:
                _stop(executor)
                for n in stuck:
                    results[n] = _killed(jobs[n], time.time() - started[n])
                    progress(results[n], [])
                return [futures[f] for f in sorted(pending, key=futures.__getitem__)
                        if futures[f] not in stuck]  # fmt: skip
    except BaseException:
        _report_finished(futures, results, progress)
        _stop(executor)
        remove_temporary_files(jobs)
        raise
    executor.shutdown(wait=True)
    return []


def _killed(job: Job, seconds: float) -> Outcome:
    """The outcome of a job whose worker was killed for overrunning its time limit."""
    remove_temporary_files([job])
    edition = known_editions(job.spec_path)[job.index]
    error = limits.over_time(job.timeout, Location(edition.spec_path), killed=True)
    return Outcome(job, FAILED, seconds, error=str(error), exit_code=1)


_started: Any = None  # a worker's view of the parent's table of start times


def _init_worker(parent: int, started: Any) -> None:
    global _started
    _started = started
    limits.die_with_parent(parent)
    _ignore_sigint()


def _pool_job(number: int, job: Job) -> Outcome:
    _started[number] = time.time()
    return run_job(job)


_GRACE_SECONDS = 1.0


def _report_finished(
    futures: Mapping[Future[Outcome], int], results: Mapping[int, Outcome], progress: Progress
) -> None:
    """On Ctrl-C: report the jobs that finished but were not reported yet, so that the
    manifest records every PDF written before the interrupt. Jobs still running get a
    moment to finish (a result on its way, a PDF just written); a second Ctrl-C skips it."""
    from concurrent.futures import wait

    for future in futures:
        future.cancel()  # those not started
    running = [f for f, n in futures.items() if n not in results and not f.done()]
    with contextlib.suppress(BaseException):
        wait(running, timeout=_GRACE_SECONDS)
    for future, number in sorted(futures.items(), key=lambda item: item[1]):
        if number in results or not future.done() or future.cancelled():
            continue
        with contextlib.suppress(Exception):
            if future.exception() is None:
                progress(future.result(), [])


@contextlib.contextmanager
def _sigint_blocked() -> Iterator[None]:
    signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})


def _ignore_sigint() -> None:
    # Ctrl-C reaches the whole process group; the parent alone decides what to stop.
    # Workers inherit the parent's blocked mask: ignore first, then unblock.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})


def _stop(executor: ProcessPoolExecutor) -> None:
    """Cancel queued jobs and end the workers now, leaving no process behind."""
    # The pool forgets its processes on shutdown: take the list first.
    processes = list((getattr(executor, "_processes", None) or {}).values())
    executor.shutdown(wait=False, cancel_futures=True)
    for process in processes:
        with contextlib.suppress(Exception):  # it may have ended by itself already
            process.terminate()
    for process in processes:
        with contextlib.suppress(Exception):
            process.join(timeout=5)


def remove_temporary_files(jobs: Sequence[Job]) -> None:
    """Remove the temporary files that stopped writes of these jobs left: this
    process's own, and those of its workers, which have ended by now."""
    from factsheet.output import remove_stale_temporaries

    remove_stale_temporaries((job.output for job in jobs), own=True)
