"""Where a problem is: a file, a line and column in it, and a key path such as
``pages[1].blocks[3].chart.y``. Locations are plain values, attached to errors on
their way up from the check that found the problem (see :mod:`factsheet.errors`)."""

from __future__ import annotations

import os
from dataclasses import dataclass, replace
from pathlib import Path

KeyPath = tuple[str | int, ...]


def format_key_path(path: KeyPath) -> str:
    """Render ``("pages", 1, "blocks", 3)`` as ``pages[1].blocks[3]``."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else part
    return out


@dataclass(frozen=True)
class Location:
    """A place in an input file. Every part is optional; ``str()`` prints what is known."""

    file: Path | None = None
    line: int | None = None  # 1-based
    column: int | None = None  # 1-based
    key_path: KeyPath = ()

    def with_key_path(self, key_path: KeyPath) -> Location:
        return replace(self, key_path=key_path)

    def __str__(self) -> str:
        parts: list[str] = []
        if self.file is not None:
            where = display_path(self.file)
            if self.line is not None:
                where += f":{self.line}"
                if self.column is not None:
                    where += f":{self.column}"
            parts.append(where)
        if self.key_path:
            parts.append(format_key_path(self.key_path))
        return ": ".join(parts)


def display_path(path: Path) -> str:
    """Show paths relative to the working directory when they are inside it, as
    written: a link is shown as the link, never as the file it leads to (an output
    that is a link to `assets/brochure.pdf` is not "assets/brochure.pdf")."""
    try:
        return str(Path(os.path.abspath(path)).relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)
