"""A spec's editions, expanded once per process while its files are unchanged (watch
mode, the preview and a process pool's workers ask again and again). A command that
builds some editions only (`--edition KEY=GLOB`) asks with its patterns, and the others
may come back as sketches (see :func:`~factsheet.editions.expand.load_editions`): their
keys, labels, outputs and files are right, the rest is not theirs. So every edition a
command builds is taken with :func:`edition_at`, which never gives a sketch, and a
step that needs only keys, labels, outputs or files takes :func:`known_editions`."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from factsheet.editions.expand import Edition, load_editions
from factsheet.editions.matrix import chosen
from factsheet.errors import MissingInputError
from factsheet.location import Location

Patterns = Mapping[str, Sequence[str]]
_Frozen = tuple[tuple[str, tuple[str, ...]], ...]


@dataclass(frozen=True)
class _Expanded:
    stamp: tuple[int, int]  # the spec file's modification time and size
    patterns: _Frozen | None  # what chose the editions not sketched; None: all
    editions: list[Edition]


_EXPANDED: dict[Path, _Expanded] = {}
_KEPT = 16


def editions_of(spec_path: Path, patterns: Patterns | None = None) -> list[Edition]:
    """A spec's editions in matrix order; with `patterns`, those they do not choose
    may be sketches."""
    return _expanded(spec_path, _frozen(patterns), sketches=False)


def known_editions(spec_path: Path) -> list[Edition]:
    """A spec's editions as last expanded, sketches included: for their keys, labels,
    outputs and files only."""
    return _expanded(spec_path, None, sketches=True)


def edition_at(spec_path: Path, index: int) -> Edition:
    """The spec's edition at `index` in matrix order, whole (never a sketch)."""
    edition = known_editions(spec_path)[index]
    return editions_of(spec_path)[index] if edition.sketch else edition


def forget() -> None:
    """Drop every expansion kept: a change the spec files' stamps do not show may
    change the editions (a matrix drawn from a data column, data values translated)."""
    _EXPANDED.clear()


def _expanded(spec_path: Path, wanted: _Frozen | None, sketches: bool) -> list[Edition]:
    try:
        stat = spec_path.stat()
    except FileNotFoundError:
        raise MissingInputError(f"file '{spec_path}' does not exist", Location(spec_path)) from None
    except OSError as exc:
        raise MissingInputError(f"cannot read file: {exc.strerror}", Location(spec_path)) from None
    path, stamp = spec_path.resolve(), (stat.st_mtime_ns, stat.st_size)
    kept = _EXPANDED.get(path)
    # A base spec (`extends`) or a catalog that changed since makes a new expansion.
    # A list without sketches serves every request; one with, its own patterns' (and
    # requests for keys, labels, outputs and files only).
    serves = kept is not None and (kept.patterns is None or sketches or kept.patterns == wanted)
    if kept is not None and serves and kept.stamp == stamp and not kept.editions[0].stale():
        return kept.editions
    editions = load_editions(path, _chooser(wanted))
    _EXPANDED.pop(path, None)
    if len(_EXPANDED) >= _KEPT:
        _EXPANDED.pop(next(iter(_EXPANDED)))
    _EXPANDED[path] = _Expanded(stamp, wanted, editions)
    return editions


def _frozen(patterns: Patterns | None) -> _Frozen | None:
    if not patterns:
        return None
    return tuple(sorted((key, tuple(globs)) for key, globs in patterns.items()))


def _chooser(wanted: _Frozen | None) -> Callable[[Mapping[str, str]], bool] | None:
    if wanted is None:
        return None
    patterns = dict(wanted)
    return lambda keys: chosen(keys, patterns)
