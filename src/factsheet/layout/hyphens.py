"""Hyphenation for justified text: where a word may break, by pyphen's dictionary for the
edition's language, remembered per word. Loading a pyphen dictionary takes a tenth of a
second while a factsheet breaks a few dozen words, so the breaks found are kept in the
build cache and the dictionary is only loaded for a word not seen before (and then read
the quick way, see :mod:`factsheet.layout.hyph_dict`)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from factsheet import cache

Breaks = tuple[tuple[str, str], ...]


class Hyphenator:
    """A callable ReportLab accepts as ``hyphenationLang``: ``word`` → every (head,
    tail) split, best first, exactly as ``pyphen.Pyphen(lang=...).iterate`` gives."""

    def __init__(self, language: str, root: Path) -> None:
        self.language = language
        self._store = cache.store_for(root)
        self._key = cache.key("hyphenation", language)
        self._known: dict[str, Breaks] = self._load()
        self._added = False
        self._pyphen: Any = None

    def __call__(self, word: str) -> Iterator[tuple[str, str]]:
        breaks = self._known.get(word)
        if breaks is None:
            breaks = self._find(word)
        return iter(breaks)

    def _find(self, word: str) -> Breaks:
        if self._pyphen is None:
            from factsheet.layout.hyph_dict import hyphenation

            self._pyphen = hyphenation(self.language)
        breaks = tuple((str(h), str(t)) for h, t in self._pyphen.iterate(word))
        self._known[word] = breaks
        self._added = True
        return breaks

    def save(self) -> None:
        """Store the breaks found since loading (a no-op when nothing was new)."""
        if self._added and self._store is not None:
            data = {word: [list(pair) for pair in pairs] for word, pairs in self._known.items()}
            self._store.write("hyphenation", self._key, json.dumps(data).encode())
            self._added = False

    def _load(self) -> dict[str, Breaks]:
        stored = self._store.read("hyphenation", self._key) if self._store else None
        if stored is None:
            return {}
        try:
            data = json.loads(stored)
            return {
                str(word): tuple((str(h), str(t)) for h, t in pairs) for word, pairs in data.items()
            }
        except (ValueError, TypeError, AttributeError):
            return {}


_HYPHENATORS: dict[tuple[str, Path], Hyphenator] = {}


def hyphenator(language: str, root: Path) -> Hyphenator:
    """The hyphenator for a pyphen language and project, one per process."""
    key = (language, root)
    if key not in _HYPHENATORS:
        _HYPHENATORS[key] = Hyphenator(language, root)
    return _HYPHENATORS[key]


def save_all() -> None:
    """Store what every hyphenator learnt (called once a build has laid out its pages)."""
    for found in _HYPHENATORS.values():
        found.save()
