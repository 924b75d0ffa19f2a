"""What an edition's language implies for its pages: the script it is written in and the
direction it reads, from CLDR through Babel. Every stage asks here rather than keeping
its own table of languages, so a language Babel knows is known everywhere and one it
does not know is a located error, never English conventions by default."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Literal

from factsheet.errors import SpecError

Direction = Literal["ltr", "rtl"]


@dataclass(frozen=True)
class Language:
    """One BCP 47 language tag and what CLDR says about it."""

    tag: str
    """As written in the spec: `fr`, `fr-CA`, `zh-Hans`."""
    locale: str
    """Babel's identifier for it: `fr_CA`, `zh_Hans`."""
    script: str
    """ISO 15924 code of its usual script: `Latn`, `Arab`, `Hans`, `Cyrl`."""
    direction: Direction
    """`rtl` for right-to-left scripts (Arabic, Hebrew), else `ltr`."""

    @property
    def rtl(self) -> bool:
        return self.direction == "rtl"


@cache
def language(tag: str) -> Language:
    """Facts about `tag`; a tag Babel does not know raises a bare SpecError (the caller
    attaches the spec location)."""
    from babel import Locale, UnknownLocaleError
    from babel.core import get_global

    identifier = tag.replace("-", "_")
    try:
        locale = Locale.parse(identifier)
    except (ValueError, UnknownLocaleError):
        raise SpecError(
            f"'{tag}' is not a language factsheet knows",
            hint="write a BCP 47 tag such as en, fr, es, ru, ar or zh",
        ) from None
    likely = get_global("likely_subtags").get(str(locale)) or get_global("likely_subtags").get(
        locale.language, ""
    )
    script = locale.script or next((part for part in likely.split("_")[1:] if len(part) == 4), "")
    if not script:  # never guess Latin: the fonts and line breaking depend on it
        raise SpecError(
            f"factsheet cannot tell which script '{tag}' is written in",
            hint=f"add the script to the tag, such as {tag}-Latn or {tag}-Arab",
        )
    direction: Direction = "rtl" if locale.character_order == "right-to-left" else "ltr"
    return Language(tag, str(locale), script, direction)
