"""The build cache: results of slow steps that depend only on their inputs (typed
tables, chart and SVG drawings, photos cut to size, hyphenated words) kept on disk
between runs, so that a new process does not parse data files, draw charts
with matplotlib, parse SVG with svglib or resample photos again while nothing they
depend on has changed. :func:`remembered` is the one way steps use it.

An entry is addressed by a digest of everything it depends on: its inputs, options,
factsheet's own code and the installed libraries' versions. Entries hold plain data
(JSON, NumPy arrays without pickles, JPEG bytes), so reading the cache never runs code.
Writes are atomic. A cache that cannot be read or written is skipped, never an error: it
only ever saves time. It lives in ``<project>/.factsheet-cache/`` (ignored by git, marked
with CACHEDIR.TAG), or in ``$FACTSHEET_CACHE_DIR``; ``FACTSHEET_CACHE=off`` turns it off.
Deleting it is always safe."""

from __future__ import annotations

import contextlib
import functools
import hashlib
import os
import re
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from factsheet import __version__

FOLDER_NAME = ".factsheet-cache"
KINDS = ("tables", "charts", "photos", "svg", "hyphenation")
T = TypeVar("T")
_ENTRY = re.compile(r"[0-9a-f]{64}")
MAX_BYTES = 256 * 1024 * 1024  # pruned to this size, least recently used first
_TAG = (
    "Signature: 8a477f597d28d172789f06886806bc55\n"
    "# This folder is a cache made by factsheet; it can be deleted at any time.\n"
)


class Store:
    """The cache folder of one project."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def read(self, kind: str, key: str) -> bytes | None:
        """The entry, or None if there is none (or it cannot be read)."""
        path = self.folder / kind / key
        try:
            data = path.read_bytes()
        except OSError:
            return None
        with contextlib.suppress(OSError):
            os.utime(path)  # recently used: pruned last
        return data

    def has(self, kind: str, key: str) -> bool:
        """Whether there is an entry (one that may still fail to decode)."""
        return (self.folder / kind / key).is_file()

    def write(self, kind: str, key: str, data: bytes) -> None:
        """Store an entry atomically; any failure just leaves it out."""
        assert kind in KINDS and _ENTRY.fullmatch(key), (kind, key)
        with contextlib.suppress(OSError):
            folder = self.folder / kind
            if not folder.is_dir():
                self._create(folder)
            handle, temporary = tempfile.mkstemp(dir=folder, prefix=".tmp-")
            try:
                with os.fdopen(handle, "wb") as file:
                    file.write(data)
                os.replace(temporary, folder / key)
            except OSError:
                with contextlib.suppress(OSError):
                    os.unlink(temporary)

    def _create(self, folder: Path) -> None:
        if not self.folder.is_dir():
            self.folder.mkdir(parents=True, exist_ok=True)
            (self.folder / "CACHEDIR.TAG").write_text(_TAG, encoding="utf-8")
            (self.folder / ".gitignore").write_text("*\n", encoding="utf-8")
        folder.mkdir(exist_ok=True)

    def prune(self, max_bytes: int = MAX_BYTES) -> int:
        """Delete the least recently used entries until the cache fits; return how many."""
        entries: list[tuple[float, int, Path]] = []
        # Only entries this module wrote: the folder may be one a user shares with
        # other files ($FACTSHEET_CACHE_DIR), and those are never touched.
        for kind in KINDS:
            with contextlib.suppress(OSError):
                for path in (self.folder / kind).iterdir():
                    if _ENTRY.fullmatch(path.name):
                        stat = path.stat()
                        entries.append((stat.st_mtime, stat.st_size, path))
        total, removed = sum(size for _, size, _ in entries), 0
        for _, size, path in sorted(entries):
            if total <= max_bytes:
                break
            with contextlib.suppress(OSError):
                path.unlink()
                total, removed = total - size, removed + 1
        return removed


def store_for(root: Path) -> Store | None:
    """The cache of the project at ``root``, or None when caching is turned off."""
    if os.environ.get("FACTSHEET_CACHE", "").lower() in ("off", "0", "no", "false"):
        return None
    given = os.environ.get("FACTSHEET_CACHE_DIR")
    return Store(Path(given) if given else root / FOLDER_NAME)


def remembered(
    root: Path | None,
    kind: str,
    parts: tuple[object, ...],
    make: Callable[[], T],
    encode: Callable[[T], bytes | None],
    decode: Callable[[bytes], T],
) -> T:
    """What `make()` returns, or what an earlier process stored for the same `kind` and
    key `parts` in the cache of the project at `root` (None: no cache). `encode` may
    return None for a result it cannot store; a stored entry `decode` refuses (with
    ValueError, KeyError or TypeError) is made again."""
    store = store_for(root) if root is not None else None
    if store is None:
        return make()
    entry = key(kind, *parts)
    stored = store.read(kind, entry)
    if stored is not None:
        with contextlib.suppress(ValueError, KeyError, TypeError):
            return decode(stored)
    made = make()
    data = encode(made)
    if data is not None:
        store.write(kind, entry, data)
    return made


def stored(root: Path | None, kind: str, parts: tuple[object, ...]) -> bool:
    """Whether the cache of the project at `root` has an entry for `kind` and `parts`
    (see :func:`remembered`): a step may skip starting work it would find there."""
    store = store_for(root) if root is not None else None
    return store is not None and store.has(kind, key(kind, *parts))


def key(kind: str, *parts: object) -> str:
    """A digest of an entry's inputs. Parts must print the same in every process (text,
    bytes, numbers, and tuples or frozen models of them); a Path stands for its file's
    bytes."""
    digest = hashlib.sha256()
    versions = (kind, __version__, _code_digest(), _libraries())
    for part in (*versions, *parts):
        if isinstance(part, Path):
            part = file_digest(part)
        data = part if isinstance(part, bytes) else repr(part).encode()
        digest.update(len(data).to_bytes(8, "little"))
        digest.update(data)
    return digest.hexdigest()


def file_digest(path: Path) -> str:
    """SHA-256 of a file's bytes, computed once per process while it is unchanged."""
    stat = path.stat()
    return _file_digest(path.resolve(), stat.st_mtime_ns, stat.st_size)


@functools.lru_cache(maxsize=256)
def _file_digest(path: Path, _mtime: int, _size: int) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@functools.cache
def tool_fingerprint() -> str:
    """factsheet's version, its own code and the installed libraries, as one digest:
    what a PDF depends on besides its inputs (an edition built by other code is not up
    to date)."""
    parts = "\n".join((__version__, _code_digest(), *_libraries()))
    return hashlib.sha256(parts.encode()).hexdigest()


@functools.cache
def _code_digest() -> str:
    """factsheet's own code: an edited module (a fix in the chart renderer, say) must
    not replay what the old code made, even before the version number changes."""
    package = Path(__file__).parent
    digest = hashlib.sha256()
    for path in sorted(package.rglob("*.py")):
        digest.update(path.relative_to(package).as_posix().encode() + b"\0")
        digest.update(path.read_bytes())
    return digest.hexdigest()


@functools.cache
def _libraries() -> tuple[str, ...]:
    """The installed distributions with their versions (``matplotlib-3.11.0.dist-info``):
    upgrading any library that made an entry must not replay it. Listing folders is
    far cheaper than asking each package its version, which would import it."""
    found: set[str] = set()
    for entry in sys.path:
        with contextlib.suppress(OSError):
            found.update(n for n in os.listdir(entry or ".") if n.endswith(".dist-info"))
    return tuple(sorted(found))
