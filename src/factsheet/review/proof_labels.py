"""What the proof sheet checks and says about the text it prints beyond its own words:
every edition label (`key=value` pairs from the spec's matrix or data) and every word
of the catalog must have a font of the theme for each character, or the sheet is not
made (never a box or a substitute face in a sign-off document); and a label in a
script its sheet's language is not written in is tagged with its edition's language
(/Lang) when that language is written in that script."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from factsheet.errors import FactsheetError
from factsheet.review.editions import Reviewed, SpecEditions
from factsheet.review.proof_words import SheetLanguage
from factsheet.review.sheet_text import Typesetter

if TYPE_CHECKING:
    from factsheet.review.proof import Fonts
    from factsheet.theme import LoadedTheme


def edition_language(reviewed: Reviewed) -> str:
    """The language an edition is written in (its `document.language`, overrides
    applied)."""
    data = reviewed.edition.data
    document = data.get("document") if isinstance(data, dict) else None
    return str((document if isinstance(document, dict) else {}).get("language") or "en")


def label_language(label: str, edition: str, sheet_script: str) -> str | None:
    """The /Lang of an edition's label on a sheet in `sheet_script`: the edition's own
    language when the label holds letters of its script (an Arabic region name in
    the Arabic edition's label), else None (the sheet's). A label in a script the
    sheet's language is not written in, whose edition is in yet another script, gets
    none: which language its letters are is not known, and is not guessed."""
    from factsheet.language import language

    letters = {_script_of(c) for c in label if c.isalpha()}
    foreign = letters - {_script_of_language(sheet_script)}
    if not foreign:
        return None
    own = _script_of_language(language(edition).script)
    return edition if foreign == {own} else None


def _script_of(char: str) -> str:
    from fontTools import unicodedata as ucd  # type: ignore[import-untyped]

    return _script_of_language(str(ucd.script(char)))


def _script_of_language(script: str) -> str:
    """Scripts as characters carry them: Chinese is Han whether simplified or not."""
    return "Hani" if script in ("Hans", "Hant", "Hani") else script


def check_glyphs(
    specs: Sequence[SpecEditions], setter: Typesetter, fonts: Fonts, words: SheetLanguage,
    theme: LoadedTheme,
) -> None:  # fmt: skip
    """Every label and the sheet's own words have a font of the theme for each of
    their characters; all that lack one are errors together, never drawn in a
    substitute font."""
    from factsheet.errors import ErrorGroup, LayoutError

    name = theme.path.stem
    hint = f"give theme '{name}' a font that has them in a `scripts` chain (docs/theme.md)"
    problems: list[FactsheetError] = []
    sample = " ".join(words.phrases())
    if missing := setter.missing(sample, fonts.regular) or setter.missing(sample, fonts.bold):
        problems.append(LayoutError(
            f"the proof sheet's words in '{words.tag}' need {_chars(missing)}, which no "
            f"font of theme '{name}' has", hint=f"{hint}, or choose another --language",
        ))  # fmt: skip
    for spec in specs:
        for reviewed in spec.editions:
            for key, value in reviewed.edition.keys.items():
                if missing := setter.missing(f"{key}={value}", fonts.bold):
                    where = reviewed.edition.source_map.locate(("editions", "matrix", key))
                    problems.append(LayoutError(
                        f"edition {reviewed.label}: the proof cannot print {key} '{value}': "
                        f"no font of theme '{name}' has {_chars(missing)}", where, hint,
                    ))  # fmt: skip
    if problems:
        raise problems[0] if len(problems) == 1 else ErrorGroup(problems)


def _chars(text: str) -> str:
    return ", ".join(f"'{c}' (U+{ord(c):04X})" for c in text)
