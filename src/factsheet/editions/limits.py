"""The bounds of a batch run: how many worker processes it may start, that they die
with the process that started them, and how long one edition may take. An edition that
overruns its limit is stopped from inside (a timer signal, which also works for the
editions built in the main process) and, should it not stop, its worker is killed by the
parent after a grace period. Either way it fails with its own error and the other
editions carry on. See docs/limits.md."""

from __future__ import annotations

import contextlib
import ctypes
import os
import signal
import sys
import threading
import time
from collections.abc import Iterator, Sequence
from types import FrameType, TracebackType
from typing import TYPE_CHECKING, Any

from factsheet.errors import FactsheetError
from factsheet.location import Location

if TYPE_CHECKING:
    from factsheet.editions.batch import Job
    from factsheet.editions.expand import Edition

DEFAULT_TIMEOUT = 300.0
"""Seconds one edition may take to build or check, unless `--timeout` says otherwise."""
WORKERS_PER_CPU = 2
_PR_SET_PDEATHSIG = 1  # from <linux/prctl.h>


def available_cpus() -> int:
    """The CPUs this process may run on (fewer than the machine's in a container)."""
    if hasattr(os, "sched_getaffinity"):
        return max(len(os.sched_getaffinity(0)), 1)
    return os.cpu_count() or 1


def max_workers() -> int:
    """The most worker processes a run starts: more than this only adds memory."""
    return WORKERS_PER_CPU * available_cpus()


class TimeLimitError(FactsheetError):
    """An edition took longer than its time limit."""

    exit_code = 1


class TimeUp(BaseException):
    """Raised in the middle of an edition whose time is up. A BaseException, like
    KeyboardInterrupt, so that no step's `except Exception` can swallow it."""


def over_time(seconds: float, where: Location, killed: bool = False) -> TimeLimitError:
    how = "its worker was stopped" if killed else "stopped"
    return TimeLimitError(
        f"the edition took over {seconds:g} s, its time limit, and was {how}",
        where,
        hint="something in it does too much work (look at the block named here); if it "
        "is only slow, raise the limit with --timeout SECONDS",
    )


@contextlib.contextmanager
def time_limit(seconds: float) -> Iterator[None]:
    """Raise :class:`TimeUp` inside the block once `seconds` have passed. Only the main
    thread receives signals: elsewhere, and for 0 seconds, there is no limit here."""
    if seconds <= 0 or threading.current_thread() is not threading.main_thread():
        yield
        return
    armed = True

    def expire(signum: int, frame: FrameType | None) -> None:
        if armed:
            raise TimeUp()

    previous = signal.signal(signal.SIGALRM, expire)
    outer, _ = signal.setitimer(signal.ITIMER_REAL, seconds)
    began = time.monotonic()
    try:
        yield
    finally:
        armed = False
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
        if outer > 0:  # someone else's timer was running: give it back what is left
            left = outer - (time.monotonic() - began)
            signal.setitimer(signal.ITIMER_REAL, max(left, 0.001))


def stopped_at(stopped: TimeUp, edition: Edition) -> Location:
    """Where the edition was when its time ran out: the block being built, else the
    edition's spec file."""
    at: tuple[str | int, ...] | None = None
    tb: TracebackType | None = stopped.__traceback__
    while tb is not None:
        key_path = getattr(tb.tb_frame.f_locals.get("ctx"), "key_path", None)
        if isinstance(key_path, tuple) and key_path:
            at = key_path  # the innermost block context wins
        tb = tb.tb_next
    if at is None:
        return Location(edition.spec_path)
    return edition.source_map.locate(at)


def grace(seconds: float) -> float:
    """How long after its limit an edition that does not stop is killed."""
    return min(max(seconds / 10, 1.0), 30.0)


def overdue(running: Sequence[tuple[int, Job]], started: Any) -> list[int]:
    """The jobs (by number) past their time limit and its grace: stuck where the timer
    signal cannot stop them."""
    now = time.time()
    return [
        n
        for n, job in running
        if job.timeout > 0
        and started[n] > 0
        and now - started[n] > job.timeout + grace(job.timeout)
    ]


def die_with_parent(parent: int) -> None:
    """Make this worker end when `parent` does, even if it is killed with no chance to
    stop its workers: the kernel's parent-death signal on Linux, and everywhere a thread
    that notices the worker has a new parent."""
    if sys.platform == "linux":
        with contextlib.suppress(OSError, AttributeError):
            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    if os.getppid() != parent:  # it died before the signal was asked for
        os._exit(1)
    threading.Thread(target=_watch_parent, args=(parent,), daemon=True).start()


def _watch_parent(parent: int) -> None:
    while True:
        time.sleep(1.0)
        if os.getppid() != parent:
            os._exit(1)
