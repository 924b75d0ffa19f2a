"""pyphen's hyphenation dictionaries, read the quick way. pyphen parses every pattern
of a dictionary when it loads one (some 14,000 for English: a tenth of a second, a
tenth of a whole first build), while a factsheet hyphenates a few dozen words. Here a
dictionary's lines are only sorted by the letters they match, in one pass; a pattern's
break values are read the first time a word looks it up. The table gives pyphen's
hyphenation algorithm exactly the patterns pyphen's own loader would (the last of
several with the same letters, none that are all zeros); a dictionary with anything
unusual (alternative spellings at a break, ``^^`` escapes, digits other than 0–9) is
left to pyphen's own loader."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pyphen

_PAIRS = re.compile(r"(\d?)(\D?)")
"""A pattern as pairs: the break value written before a letter (or none), the letter."""
_DIGITS = str.maketrans("", "", "0123456789")


def hyphenation(language: str) -> Any:
    """``pyphen.Pyphen(lang=language)``, its dictionary read the quick way."""
    name = pyphen.language_fallback(language)
    if name is not None:
        path = pyphen.LANGUAGES[name]
        if path not in pyphen.hdcache:
            quick = quick_dict(path)
            if quick is not None:
                pyphen.hdcache[path] = quick
    return pyphen.Pyphen(lang=language)


def quick_dict(path: Path) -> Any | None:
    """The dictionary at `path` with patterns read on demand, or None when it holds
    something only pyphen's own loader reads."""
    with path.open("rb") as file:
        encoding = file.readline().decode()
    if encoding.lower() == "microsoft-cp1251":  # as pyphen reads it
        encoding = "cp1251"
    text = path.read_text(encoding)
    if "^^" in text or ("/" in text and "=" in text) or _other_digits(text):
        return None
    kept = [p for p in (line.strip() for line in text.split("\n")[1:]) if p]
    kept = [p for p in kept if not p.startswith(pyphen.ignored)]
    if not kept:
        return None
    letters = "\n".join(kept).translate(_DIGITS).split("\n")
    return _QuickDict(_Patterns(letters, kept))


def _other_digits(text: str) -> bool:
    """Whether `text` has a digit other than 0–9 (pyphen reads any as a break value)."""
    return not text.isascii() and any(c.isdecimal() and not c.isascii() for c in set(text))


class _Patterns:
    """Letters → (offset, break values), as pyphen's pattern table, made per lookup."""

    def __init__(self, letters: list[str], patterns: list[str]) -> None:
        self._last = dict(zip(letters, patterns, strict=True))
        self._all: dict[str, list[str]] = {}  # letters written more than once
        if len(self._last) < len(letters):
            for key, pattern in zip(letters, patterns, strict=True):
                self._all.setdefault(key, []).append(pattern)
            self._all = {key: found for key, found in self._all.items() if len(found) > 1}
        self._made: dict[str, tuple[int, tuple[int, ...]] | None] = {}

    def get(self, letters: str, default: Any = None) -> Any:
        if letters not in self._made:
            found = None
            for pattern in reversed(self._all.get(letters) or [self._last.get(letters, "")]):
                found = _values(pattern) if pattern else None
                if found is not None:
                    break  # the last one that breaks anywhere counts
            self._made[letters] = found
        made = self._made[letters]
        return default if made is None else made

    def longest(self) -> int:
        return max(len(letters) for letters in self._last)


def _values(pattern: str) -> tuple[int, tuple[int, ...]] | None:
    """A pattern's break values without the zeros at either end, and the offset of
    the first; None for a pattern of zeros only (pyphen drops those)."""
    values = tuple(int(digit or "0") for digit, _ in _PAIRS.findall(pattern))
    if max(values) == 0:
        return None
    start, end = 0, len(values)
    while not values[start]:
        start += 1
    while not values[end - 1]:
        end -= 1
    return start, values[start:end]


class _QuickDict(pyphen.HyphDict):  # type: ignore[misc]
    """pyphen's dictionary with its own `positions`, over the on-demand table."""

    def __init__(self, patterns: _Patterns) -> None:  # pyphen's parses the file
        self.patterns = patterns
        self.cache: dict[str, Any] = {}
        # pyphen takes the longest pattern kept; a longer bound only adds lookups
        # that find nothing.
        self.maxlen = patterns.longest()
