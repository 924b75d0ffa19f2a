"""Writing results without ever losing the previous good one: bytes go to a temporary
file in the destination folder, are flushed to disk, then `os.replace` swaps them in
with mode 0644. A failure at any point removes the temporary file and leaves the old
output byte-identical."""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

from factsheet.errors import OutputError
from factsheet.location import Location, display_path

FILE_MODE = 0o644


def write_atomic(path: Path, data: bytes) -> None:
    """Replace `path` with `data` atomically; raise OutputError on any failure."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError as exc:
        raise OutputError(
            f"cannot write to folder '{display_path(path.parent)}': {exc.strerror}", Location(path)
        ) from None
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, FILE_MODE)
        os.replace(tmp, path)
    except BaseException as exc:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        if isinstance(exc, OSError):
            raise OutputError(f"cannot write file: {exc.strerror}", Location(path)) from None
        raise


def check_writable(path: Path) -> None:
    """OutputError unless `path` could be written: its folder, or the nearest folder
    that exists above it, must be writable."""
    folder = path.parent
    while not folder.exists() and folder != folder.parent:
        folder = folder.parent
    if not folder.is_dir() or not os.access(folder, os.W_OK | os.X_OK):
        raise OutputError(
            f"cannot write to folder '{display_path(folder)}': Permission denied", Location(path)
        )
