"""The quick reading of pyphen's dictionaries gives exactly pyphen's hyphenation: for
every pattern of the dictionaries the six UN languages use, for random words, and for
the corner cases of the file format (repeated patterns, zero-only patterns, comments,
and what only pyphen's own loader reads)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pyphen
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from factsheet.layout.hyph_dict import quick_dict
from factsheet.layout.hyphens import Hyphenator


def positions(dictionary: Any, word: str) -> list[tuple[int, Any]]:
    return [(int(p), p.data) for p in dictionary.positions(word)]


def both(path: Path) -> tuple[Any, Any]:
    quick = quick_dict(path)
    assert quick is not None
    return quick, pyphen.HyphDict(path)


@pytest.mark.parametrize("language", ["en_US", "fr", "ru_RU"])
def test_every_pattern_of_a_dictionary_hyphenates_as_pyphen_does(language: str) -> None:
    path = pyphen.LANGUAGES[pyphen.language_fallback(language)]
    quick, full = both(path)
    words = [letters.strip(".") for letters in full.patterns if letters.strip(".")]
    assert len(words) > 1000
    assert [positions(quick, w) for w in words] == [positions(full, w) for w in words]


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="abcdefghijklmnopqrstuvwxyzéèàçœ", min_size=1, max_size=18))
def test_random_words_hyphenate_as_pyphen_does(word: str) -> None:
    for language in ("en_US", "fr"):
        quick, full = _loaded(language)
        assert positions(quick, word) == positions(full, word)


_LOADED: dict[str, tuple[Any, Any]] = {}


def _loaded(language: str) -> tuple[Any, Any]:
    if language not in _LOADED:
        _LOADED[language] = both(pyphen.LANGUAGES[pyphen.language_fallback(language)])
    return _LOADED[language]


DICTIONARY = """UTF-8
LEFTHYPHENMIN 2
% a comment
# another
.ab1c

a1b
a0b0
b1c
b2c
x0y0
1na
n2a1t
"""


def test_the_last_of_repeated_patterns_counts_unless_it_is_all_zeros(tmp_path: Path) -> None:
    path = tmp_path / "hyph_xx.dic"
    path.write_text(DICTIONARY, encoding="utf-8")
    quick, full = both(path)
    for word in ("abc", "ab", "bc", "xy", "nation", "banana", "abcabc"):
        assert positions(quick, word) == positions(full, word), word
    assert quick.patterns.get("ab") == full.patterns["ab"]  # `a1b`, not the zeros after it
    assert quick.patterns.get("bc") == (1, (2,))  # the last one
    assert quick.patterns.get("xy") is None and "xy" not in full.patterns


@pytest.mark.parametrize(
    "line",
    ["1a^^e9b", "ab1c/b=,1,1", "a\u0661b"],  # an escape, an alternative, an Arabic-Indic 1
    ids=["escape", "alternative", "other-digits"],
)
def test_what_only_pyphen_reads_is_left_to_pyphen(tmp_path: Path, line: str) -> None:
    path = tmp_path / "hyph_xx.dic"
    path.write_text(DICTIONARY + line + "\n", encoding="utf-8")
    assert quick_dict(path) is None


def test_a_hyphenator_reads_its_dictionary_the_quick_way(tmp_path: Path) -> None:
    pyphen.hdcache.clear()  # as in a new process
    hyphenate = Hyphenator("en_US", tmp_path)
    breaks = list(hyphenate("internationally"))
    assert type(hyphenate._pyphen.hd).__name__ == "_QuickDict"
    path = pyphen.LANGUAGES["en_US"]
    own = pyphen.Pyphen(filename=path, cache=False)  # pyphen's own loader
    assert breaks == [(h, t) for h, t in own.iterate("internationally")]
    assert breaks
