"""Script and direction of a language come from CLDR (factsheet.language)."""

import pytest

from factsheet.errors import SpecError
from factsheet.language import language


@pytest.mark.parametrize(
    ("tag", "script", "direction"),
    [
        ("en", "Latn", "ltr"),
        ("fr-CA", "Latn", "ltr"),
        ("ru", "Cyrl", "ltr"),
        ("ar", "Arab", "rtl"),
        ("zh", "Hans", "ltr"),
        ("zh-Hant", "Hant", "ltr"),
        ("he", "Hebr", "rtl"),
    ],
)
def test_script_and_direction(tag: str, script: str, direction: str) -> None:
    found = language(tag)
    assert (found.script, found.direction) == (script, direction)
    assert found.rtl is (direction == "rtl")


def test_unknown_language_is_an_error() -> None:
    with pytest.raises(SpecError, match="'xx' is not a language"):
        language("xx")
