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
import os
import sys
import time
from collections.abc import Iterable, Iterator
from pathlib import Path

from factsheet.errors import OutputError
from factsheet.location import Location, display_path

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
            except (OSError, AttributeError):
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
        except OSError:
            return  # the file system has no locks: build unlocked, as before
        if time.monotonic() - started >= timeout:
            raise OutputError(
                f"another factsheet run is still building into the project "
                f"'{display_path(root)}' after {timeout:g} s of waiting, so nothing was built",
                Location(root),
                hint="let it finish and build again, or set FACTSHEET_LOCK_TIMEOUT (seconds) "
                "to wait longer",
            )
        if not said:
            print(
                "factsheet: waiting for another factsheet run building into "
                f"'{display_path(root)}'",
                file=sys.stderr,
                flush=True,
            )
            said = True
        time.sleep(_POLL)


def _timeout() -> float:
    try:
        return max(0.0, float(os.environ.get("FACTSHEET_LOCK_TIMEOUT", DEFAULT_TIMEOUT)))
    except ValueError:
        return DEFAULT_TIMEOUT
