"""File access confined to the project. Every path a spec or theme names is resolved
here: relative to a root, with `..`, absolute paths, symlinks leading out, devices and
FIFOs refused, so a spec can never read outside its project."""

from __future__ import annotations

import stat
from pathlib import Path, PurePosixPath

from factsheet.errors import MissingInputError, SpecError


def resolve_inside(root: Path, relative: str) -> Path:
    """`root / relative`, resolved; ValueError if it leaves `root` or is not a plain file."""
    pure = PurePosixPath(relative.replace("\\", "/"))
    if not pure.parts or pure.is_absolute() or relative.startswith("~") or ":" in pure.parts[0]:
        raise ValueError(f"path '{relative}' must be relative to the project")
    if ".." in pure.parts:
        raise ValueError(f"path '{relative}' must not contain '..'")
    root = root.resolve()
    path = (root / pure).resolve()
    if not path.is_relative_to(root):
        raise ValueError(f"path '{relative}' leads outside the project (through a link?)")
    if path.exists() and not stat.S_ISREG(path.stat().st_mode) and not path.is_dir():
        raise ValueError(f"path '{relative}' is not a regular file")
    return path


def existing_file(root: Path, relative: str, label: str, kind: str = "file") -> Path:
    """`resolve_inside`, then a check that the file is there. Raises bare errors (the
    caller locates them): SpecError for a path that leaves the project, MissingInputError
    naming `label` for a missing file, and one saying it is a folder, not a `kind`
    ("font file"), for a folder."""
    try:
        path = resolve_inside(root, relative)
    except ValueError as exc:
        raise SpecError(str(exc)) from None
    if path.is_dir():
        first = min((p.name for p in path.iterdir() if p.is_file()), default=None)
        raise MissingInputError(
            f"path '{relative}' is a folder, not {'an' if kind[0] in 'aeiou' else 'a'} {kind}",
            hint=f"name a file inside it, such as '{relative.rstrip('/')}/{first}'"
            if first
            else "name the file itself, not its folder",
        )
    if not path.is_file():
        raise MissingInputError(f"{label} does not exist")
    return path
