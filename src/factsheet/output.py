"""Writing results without ever losing the previous good one, and never where the user
did not mean: bytes go to a temporary file in the destination folder, are flushed to
disk, then `os.replace` swaps them in with mode 0644. A failure at any point removes the
temporary file and leaves the old output byte-identical.

Nothing is written through a symbolic link: neither the file itself nor any folder
between the project and the file may be one (a link at `output/2021/africa.pdf` to
`assets/brochure.pdf` is an error, and the brochure is untouched). A file without any
write permission (0444) is an error that says so, never silently replaced. A temporary
file is named `.<name>.<pid>-<random>.tmp` after the process writing it, so that a later
run can tell its own stale temporaries (their writer is gone, say after `kill -9`) from
another live run's (see :func:`remove_stale_temporaries`)."""

from __future__ import annotations

import contextlib
import os
import re
import stat
import tempfile
from collections.abc import Iterable
from pathlib import Path, PurePosixPath

from factsheet.errors import OutputError
from factsheet.location import Location, display_path

FILE_MODE = 0o644


def write_atomic(path: Path, data: bytes, root: Path | None = None) -> None:
    """Replace `path` with `data` atomically; raise OutputError on any failure. With
    `root` (the project), no folder between `root` and `path` may be a link either."""
    check_target(path, root)
    try:
        make_folders(path.parent, root)
        fd, tmp = tempfile.mkstemp(
            prefix=f".{path.name}.{os.getpid()}-", suffix=".tmp", dir=path.parent
        )
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
        os.replace(tmp, path)  # replaces a link put there meanwhile; never follows it
    except BaseException as exc:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        if isinstance(exc, OSError):
            raise OutputError(f"cannot write file: {exc.strerror}", Location(path)) from None
        raise


def check_target(path: Path, root: Path | None = None) -> None:
    """OutputError if writing `path` would follow a link (the file, or a folder below
    `root`), or replace something that is not a regular file or is read-only."""
    for part in _below(path.parent, root):
        if part.is_symlink():
            raise _link_error(part, path)
    try:
        info = path.lstat()
    except OSError:
        return  # not there yet (or its folder is not): nothing to protect
    if stat.S_ISLNK(info.st_mode):
        raise _link_error(path, path)
    if not stat.S_ISREG(info.st_mode):
        raise OutputError(
            f"'{display_path(path)}' is not a regular file, so it is not replaced",
            Location(path),
            hint="move it away or choose another output path",
        )
    if not info.st_mode & 0o222 or not os.access(path, os.W_OK):
        raise OutputError(
            f"'{display_path(path)}' is read-only, so it is not replaced",
            Location(path),
            hint=f"to rebuild it, make it writable first (chmod u+w {display_path(path)}), "
            "or move it away",
        )


def _below(folder: Path, root: Path | None) -> list[Path]:
    """`folder` and its ancestors strictly below `root` (none without a root: then
    the folders are the user's own choice, only the file itself is checked)."""
    if root is None or not folder.is_relative_to(root):
        return []
    parts = []
    while folder != root:
        parts.append(folder)
        folder = folder.parent
    return parts[::-1]


def _link_error(link: Path, path: Path) -> OutputError:
    try:
        target = os.readlink(link)
    except OSError:
        target = "?"
    what = "the file" if link == path else "the folder"
    # No Location: it would be shown resolved, that is as the link's target.
    return OutputError(
        f"{what} '{display_path(link)}' is a symbolic link (to {target}): factsheet never writes "
        f"through a link, so '{display_path(path)}' was not written",
        hint=f"remove the link with `rm {display_path(link)}` and build again, or choose another "
        "output path",
    )


def make_folders(folder: Path, root: Path | None = None) -> None:
    """Create `folder` and any missing parents, refusing to pass through a link below
    `root` (one made since :func:`check_target` looked)."""
    if folder.is_dir() and not folder.is_symlink():
        return
    if root is None or not folder.is_relative_to(root):
        folder.mkdir(parents=True, exist_ok=True)
        return
    for part in _below(folder, root):
        if part.is_symlink():
            raise _link_error(part, folder)
        with contextlib.suppress(FileExistsError):
            part.mkdir()


def check_writable(path: Path, root: Path | None = None) -> None:
    """OutputError unless `path` could be written: not through a link, not read-only,
    and its folder, or the nearest folder that exists above it, writable."""
    check_target(path, root)
    folder = path.parent
    while not folder.exists() and folder != folder.parent:
        folder = folder.parent
    if not folder.is_dir() or not os.access(folder, os.W_OK | os.X_OK):
        raise OutputError(
            f"cannot write to folder '{display_path(folder)}': Permission denied", Location(path)
        )


_TEMPORARY = re.compile(r"^\.(?P<name>.+)\.(?P<pid>[0-9]+)-[A-Za-z0-9_]+\.tmp$")


def remove_stale_temporaries(outputs: Iterable[Path], own: bool = False) -> list[Path]:
    """Remove the temporary files that writes of `outputs` left behind when their
    writer died (`kill -9`, a power cut): only files named for one of these outputs
    whose writing process no longer runs (or, with `own`, is this one, which stopped
    writing them: an edition over its time limit). Another run's live temporaries,
    files of an earlier version without a process id, and every other file are left
    alone. Returns what was removed."""
    wanted: dict[Path, set[str]] = {}
    for output in outputs:
        wanted.setdefault(output.parent, set()).add(output.name)
    removed = []
    for folder, names in wanted.items():
        try:
            candidates = [p for p in folder.iterdir() if p.name.endswith(".tmp")]
        except OSError:
            continue
        for path in candidates:
            match = _TEMPORARY.match(path.name)
            if match is None or match["name"] not in names:
                continue
            pid = int(match["pid"])
            if _alive(pid) and not (own and pid == os.getpid()):
                continue
            with contextlib.suppress(OSError):
                if path.is_file() and not path.is_symlink():
                    path.unlink()
                    removed.append(path)
    return removed


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True  # exists, but belongs to someone else
    return True


MAX_NAME_BYTES = 200
"""The longest file or folder name an output may have, in UTF-8 bytes: file systems
allow 255, and the temporary file written beside it adds about 25."""

WINDOWS_RESERVED = frozenset(
    ["CON", "PRN", "AUX", "NUL"] + [f"{d}{n}" for d in ("COM", "LPT") for n in range(1, 10)]
)
"""Names Windows keeps for devices, whatever their extension (`aux.pdf` too)."""


def output_inside(root: Path, relative: str) -> Path:
    """`root / relative` for a file to write, without following links (they are
    refused when writing, see :func:`check_target`). ValueError for a path that leaves
    the project, or a name too long or reserved on Windows."""
    pure = PurePosixPath(relative.replace("\\", "/"))
    if not pure.parts or pure.is_absolute() or relative.startswith("~") or ":" in pure.parts[0]:
        raise ValueError(f"path '{relative}' must be relative to the project")
    if ".." in pure.parts:
        raise ValueError(f"path '{relative}' must not contain '..'")
    for part in pure.parts:
        check_name(part)
    return root.resolve().joinpath(*pure.parts)


class NameProblem(ValueError):
    """A file name that cannot be written (everywhere)."""


def check_name(name: str) -> None:
    """NameProblem for a file name that cannot be written everywhere."""
    size = len(name.encode("utf-8", "surrogateescape"))
    if size > MAX_NAME_BYTES:
        raise NameProblem(
            f"the name '{name[:40]}…' is {size} bytes long, over the {MAX_NAME_BYTES}-byte "
            "limit for a file or folder name"
        )
    stem = name.split(".")[0].rstrip(" ").upper()
    if stem in WINDOWS_RESERVED:
        raise NameProblem(
            f"the name '{name}' is reserved for a device on Windows (CON, PRN, AUX, NUL, "
            "COM1 to COM9 and LPT1 to LPT9, with any extension): such a file cannot be "
            "copied to Windows"
        )
