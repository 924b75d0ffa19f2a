"""One writer per project. A build takes an exclusive lock (`flock`) on the project
folder of each spec it builds before it decides what to build, and holds it until its
manifests and bundle are written. A second run building into the same project waits,
saying so, and carries on once the first is done: it then reads the first run's
manifests, so it can neither overwrite PDFs the first now owns nor leave a manifest
that disagrees with the files. It gives up after `FACTSHEET_LOCK_TIMEOUT` seconds
(default 600) with an error naming the project.

Why per project and not per output folder: every spec of a project keeps its manifest
in the project's `output/` folder, so any two builds of one project write a common
folder anyway; and locking the project folder itself needs no lock file, so a build
that writes nothing leaves nothing behind. The lock dies with its process: a killed run
never leaves a project locked. `check` takes no lock (it writes nothing)."""

from __future__ import annotations

import contextlib
import math
import os
import time
from collections.abc import Iterable, Iterator
from pathlib import Path

from factsheet.errors import OutputError, UsageError
from factsheet.location import Location, display_path
from factsheet.security import say

DEFAULT_TIMEOUT = 600.0
_POLL = 0.1


@contextlib.contextmanager
def project_locks(roots: Iterable[Path]) -> Iterator[None]:
    """Hold the lock of each project folder, taken in a fixed order so that two runs
    never wait for each other. A folder that cannot be locked (no `flock` on this
    system or file system) is built without one."""
    held: list[int] = []
    try:
        for root in sorted(set(roots)):
            try:
                fd = os.open(root, os.O_RDONLY | os.O_DIRECTORY)
            except (OSError, AttributeError) as exc:
                _unlocked(root, getattr(exc, "strerror", None) or "no folder locks here")
                continue
            held.append(fd)
            _acquire(fd, root)
        yield
    finally:
        for fd in held:
            os.close(fd)  # releases the lock


def _acquire(fd: int, root: Path) -> None:
    try:
        import fcntl
    except ImportError:  # not POSIX: nothing is locked
        _unlocked(root, "this system has no file locks")
        return
    timeout = _timeout()
    started = time.monotonic()
    said = False
    while True:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return
        except BlockingIOError:
            pass
        except OSError as exc:  # the file system has no locks: build unlocked, and say so
            _unlocked(root, exc.strerror or "the file system has no locks")
            return
        if time.monotonic() - started >= timeout:
            raise OutputError(
                f"another factsheet run is still building into the project "
                f"'{display_path(root)}' after {timeout:g} s of waiting, so nothing was built",
                Location(root),
                hint="let it finish and build again, or set FACTSHEET_LOCK_TIMEOUT (seconds) "
                "to wait longer",
            )
        if not said:
            say(
                f"factsheet: waiting for another factsheet run building into '{display_path(root)}'"
            )
            said = True
        time.sleep(_POLL)


def _unlocked(root: Path, why: str) -> None:
    say(
        f"Warning: cannot lock the project '{display_path(root)}' ({why}): building without "
        "a lock, so another run building into it at the same time could mix their files"
    )


def _timeout() -> float:
    text = os.environ.get("FACTSHEET_LOCK_TIMEOUT", "")
    if not text:
        return DEFAULT_TIMEOUT
    try:
        seconds = float(text)
    except ValueError:
        seconds = math.nan
    if not 0 <= seconds < math.inf:
        raise UsageError(
            f"FACTSHEET_LOCK_TIMEOUT={text!r} is not a number of seconds",
            hint="set it to the seconds to wait, such as 600, or unset it",
        )
    return seconds
