"""Checks that look across a whole built edition rather than at one value: glyphs the
chosen fonts do not have (which would print as empty boxes), and warnings for things
worth fixing that do not stop a build, such as a figure no text uses. `factsheet check
--strict` turns warnings into errors."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator
from functools import lru_cache
from typing import Any

from factsheet.errors import SpecError
from factsheet.layout.flow import Item
from factsheet.spec.validate import LoadedSpec

# Characters a paragraph may contain that are never drawn as glyphs.
_INVISIBLE = {"\n", "\r", "\t", "\u00ad", "\u200b", "\ufeff"}


def missing_glyphs(items: Iterable[Item]) -> Iterator[tuple[Item, str, str]]:
    """(item, character, font name) for each character a font cannot draw."""
    for item in items:
        seen: set[tuple[str, str]] = set()
        for font, text in _runs(item.flowables):
            covered = _coverage(font)
            if covered is None:
                continue
            missing = set(text).difference(covered, _INVISIBLE)  # one pass, in C
            for char in dict.fromkeys(c for c in text if c in missing) if missing else ():
                if (char, font) not in seen:
                    seen.add((char, font))
                    yield item, char, font


def glyph_errors(loaded: LoadedSpec, items: Iterable[Item]) -> list[SpecError]:
    errors = []
    for item, char, font in missing_glyphs(items):
        name = unicodedata.name(char, "unnamed character").lower()
        errors.append(
            SpecError(
                f"the character '{char}' (U+{ord(char):04X}, {name}) is not in font {font}",
                loaded.source_map.locate(item.key_path),
                hint="use another character, or a theme font that has it",
            )
        )
    return errors


def _runs(flowables: Iterable[Any]) -> Iterator[tuple[str, str]]:
    """(font name, text) for every piece of text in some flowables, boxes included."""
    for flowable in flowables:
        for frag in getattr(flowable, "frags", None) or ():
            text = getattr(frag, "text", "")
            if text:
                yield frag.fontName, text
        yield from _runs(getattr(flowable, "content", None) or ())
        yield from getattr(flowable, "text_runs", None) or ()
        recording = getattr(flowable, "recording", None)
        if recording is not None:
            font = ""
            for name, args, _ in recording.ops:
                if name == "setFont":
                    font = args[0]
                elif name == "drawString" and font:
                    yield font, args[2]


@lru_cache(maxsize=64)
def _coverage(font_name: str) -> frozenset[str] | None:
    """The characters a font has glyphs for."""
    from reportlab.pdfbase import pdfmetrics

    face = getattr(pdfmetrics.getFont(font_name), "face", None)
    mapping = getattr(face, "charToGlyph", None)
    return frozenset(chr(c) for c in mapping if 0 <= c < 0x110000) if mapping else None


def unused_figures(loaded: LoadedSpec) -> list[SpecError]:
    """Figures that no text of the spec prints."""
    text = loaded.spec.model_dump_json()
    used = set(re.findall(r"\{\{-?\s*([A-Za-z_][A-Za-z0-9_]*)", text))
    used |= set(re.findall(r'"delta":"([A-Za-z_][A-Za-z0-9_]*)"', text))  # key-figure tiles
    used |= {name for figure in loaded.spec.figures.values() for name in figure.operands}
    return [
        SpecError(
            f"figure '{name}' is computed but no text uses it",
            loaded.source_map.locate(("figures", name), at_key=True),
            hint=f"print it with {{{{ {name} }}}} or remove it",
        )
        for name in loaded.spec.figures
        if name not in used
    ]
