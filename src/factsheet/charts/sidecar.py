"""Charts drawn in a helper process that imported matplotlib while this one read the
spec and the data. Importing matplotlib is the largest single cost of a first build
(about a fifth of it), and nothing else in the build needs matplotlib: so as the
`build` command starts, :func:`start` forks a helper that imports it and factsheet's
chart code on the second CPU. Each chart job (:mod:`factsheet.charts.job`, plain data)
is :func:`submit`-ted as soon as it is known, and its recording :func:`collect`-ed
where the build needs it, so the helper draws while this process builds the blocks in
between; :func:`send_ahead` has it ready fonts and number symbols before the first.

The helper changes how long a build takes, never what it makes: it runs the same
code on the same job, and a chart it cannot draw (the chart raised an error, the
helper died, the exchange was interrupted) is drawn in this process again, where any
error is raised and located as without a helper. It serves only the process that
started it (a process pool's forked workers draw their own charts), ignores Ctrl-C (the
main process handles it), ends when its pipe closes or its parent dies, and is
stopped at exit. Jobs and recordings cross a private pipe between the two processes
as pickles; nothing else reads or writes it. It is started only where it can help:
on Linux (fork), with a second CPU, one thread, and matplotlib not imported yet."""

from __future__ import annotations

import atexit
import contextlib
import os
import pickle
import signal
import sys
import threading
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, BinaryIO, NoReturn

if TYPE_CHECKING:
    from factsheet.charts.job import ChartJob, Preparation
    from factsheet.render.recording import Recording

_LENGTH = 8  # bytes of a message's length, before its payload
_PR_SET_PDEATHSIG = 1
_F_GETPIPE_SZ = 1032


@dataclass
class _Helper:
    pid: int
    jobs: BinaryIO
    results: BinaryIO
    owner: int  # the process it serves
    room: int  # bytes of jobs the job pipe holds unread without blocking the writer
    used: bool = False  # it drew a chart
    sent: list[int] = field(default_factory=list)  # sizes of jobs sent, by ticket
    answered: int = 0  # answers read: the helper answers jobs in the order sent
    answers: dict[int, bytes] = field(default_factory=dict)  # read, not yet collected

    def unanswered(self) -> int:
        """Bytes of the jobs sent that have no answer read yet."""
        return sum(self.sent[self.answered :])


_helper: _Helper | None = None


def worthwhile() -> bool:
    """Whether a helper can save time here: it needs fork, a second CPU to run on, no
    other thread (forking one is unsafe) and matplotlib still to import."""
    return (
        sys.platform == "linux"
        and len(os.sched_getaffinity(0)) > 1
        and threading.active_count() == 1
        and "matplotlib" not in sys.modules
    )


def start() -> None:
    """Fork the helper, unless one is running or it could not help."""
    global _helper
    if _helper is not None or not worthwhile():
        return
    # What a chart job is made of first (the spec's models, number formats, NumPy):
    # both processes need it, and the helper gets it with the fork. Then the helper
    # imports matplotlib while this process imports the rest of the pipeline. (Forked
    # after the whole pipeline, the helper was still importing when the first chart
    # was wanted: a first build took 1.26 yardsticks, against 1.13-1.19 forked here.
    # Forked before anything, both processes imported the same modules: 1.24.)
    import factsheet.charts.job  # noqa: F401

    jobs_out, jobs_in = os.pipe()
    results_out, results_in = os.pipe()
    parent = os.getpid()
    pid = os.fork()
    if pid == 0:
        os.close(jobs_in)
        os.close(results_out)
        _serve(jobs_out, results_in, parent)
    os.close(jobs_out)
    os.close(results_in)
    jobs, results = os.fdopen(jobs_in, "wb"), os.fdopen(results_out, "rb")
    _helper = _Helper(pid, jobs, results, parent, _room(jobs_in))
    atexit.register(stop)


def running() -> bool:
    """Whether this process has a helper to draw its charts."""
    return _own() is not None


def send_ahead(preparation: Preparation) -> None:
    """Have the helper ready what the first charts need (fonts, number symbols, a first
    figure; see :func:`~factsheet.charts.job.prepare`) while it waits for them. It
    answers nothing: a preparation that fails leaves the work to the first chart."""
    helper = _own()
    if helper is None:
        return
    payload = pickle.dumps(preparation, pickle.HIGHEST_PROTOCOL)
    helper.room -= len(payload) + _LENGTH  # it is not answered: its room is not freed
    try:
        _send(helper.jobs, payload)
    except OSError:  # the helper is gone
        stop()


def drawn(job: ChartJob) -> Recording | None:
    """The helper's recording of `job`; None when there is no helper or it could not
    draw the chart (the caller then draws it itself)."""
    return collect(submit(job))


def submit(job: ChartJob) -> int | None:
    """Send `job` to the helper, which draws it while this process goes on; the ticket
    to :func:`collect` its recording with, or None when there is no helper."""
    helper = _own()
    if helper is None:
        return None
    payload = pickle.dumps(job, pickle.HIGHEST_PROTOCOL)
    try:
        # Answers the helper cannot write make it stop reading jobs: a writer blocked on
        # a full job pipe would wait for ever. So no more job bytes are left unanswered
        # than the pipe holds, reading answers first if need be (the helper is drawing).
        while helper.answered < len(helper.sent) and (
            helper.unanswered() + len(payload) + _LENGTH > helper.room
        ):
            _read_answer(helper)
        _send(helper.jobs, payload)
    except OSError:  # the helper is gone
        stop()
        return None
    except BaseException:  # a time limit or Ctrl-C mid-exchange: the pipe is out of step
        stop()
        raise
    helper.sent.append(len(payload) + _LENGTH)
    return len(helper.sent) - 1


def collect(ticket: int | None) -> Recording | None:
    """The recording of the job :func:`submit` gave `ticket` for, once the helper has
    drawn it; None when it could not (the caller then draws the chart itself)."""
    helper = _own()
    if helper is None or ticket is None or ticket >= len(helper.sent):
        return None
    try:
        while ticket not in helper.answers:
            if ticket < helper.answered:
                return None  # collected before
            _read_answer(helper)
    except OSError:  # the helper is gone
        stop()
        return None
    except BaseException:
        stop()
        raise
    recording: Recording | None = pickle.loads(helper.answers.pop(ticket))
    helper.used = helper.used or recording is not None
    return recording


def _own() -> _Helper | None:
    helper = _helper
    return helper if helper is not None and helper.owner == os.getpid() else None


def _read_answer(helper: _Helper) -> None:
    """Read the helper's next answer; OSError when the helper is gone."""
    answer = _receive(helper.results)
    if answer is None:
        raise OSError("the chart helper ended")
    helper.answers[helper.answered] = answer
    helper.answered += 1


def _room(pipe: int) -> int:
    """Bytes a pipe holds before a write blocks (64 KiB unless the system is short)."""
    import fcntl

    try:
        return int(fcntl.fcntl(pipe, _F_GETPIPE_SZ))
    except OSError:
        return 4096  # a pipe holds at least a page


def stop() -> bool:
    """End the helper (at once: it holds nothing worth finishing); whether it drew
    any chart."""
    global _helper
    helper = _helper
    if helper is None or helper.owner != os.getpid():
        return False
    _helper = None
    for pipe in (helper.jobs, helper.results):
        with contextlib.suppress(OSError):
            pipe.close()
    with contextlib.suppress(OSError):
        os.kill(helper.pid, signal.SIGKILL)
        os.waitpid(helper.pid, 0)
    return helper.used


def _serve(jobs: int, results: int, parent: int) -> NoReturn:
    """The helper's life: import, then draw each job until the pipe closes. It never
    returns into the command's code, and skips the exit handlers it inherited."""
    code = 0
    try:
        _settle_in(parent)
        from factsheet.charts.job import Preparation, draw_job, prepare

        with os.fdopen(jobs, "rb") as incoming, os.fdopen(results, "wb") as outgoing:
            while (payload := _receive(incoming)) is not None:
                job = pickle.loads(payload)
                if isinstance(job, Preparation):
                    with contextlib.suppress(Exception):
                        prepare(job)
                    continue
                try:
                    recording = draw_job(job)
                except Exception:  # drawn again by the main process, which reports it
                    recording = None
                _send(outgoing, pickle.dumps(recording, pickle.HIGHEST_PROTOCOL))
    except BaseException:
        code = 1
    finally:
        os._exit(code)


def _settle_in(parent: int) -> None:
    """Quiet, independent of the terminal, bound to its parent, and ready to draw."""
    import ctypes

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    quiet = os.open(os.devnull, os.O_RDWR)
    for stream in (0, 1, 2):  # anything worth saying goes back through the pipe
        os.dup2(quiet, stream)
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    if os.getppid() != parent:  # it died before the signal was asked for
        raise SystemExit(1)
    from factsheet.charts.job import ready_to_draw

    ready_to_draw()


def _send(pipe: BinaryIO, payload: bytes) -> None:
    pipe.write(len(payload).to_bytes(_LENGTH, "little") + payload)
    pipe.flush()


def _receive(pipe: BinaryIO) -> bytes | None:
    """The next message; None when the other end closed the pipe."""
    head = pipe.read(_LENGTH)
    if len(head) < _LENGTH:
        return None
    size = int.from_bytes(head, "little")
    payload = pipe.read(size)
    return payload if len(payload) == size else None
