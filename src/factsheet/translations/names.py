"""Data values in an edition's language: the translations a catalog gives the values
of text columns (by context `data.<source>.<column>` and source value), and the values
it leaves untranslated or fuzzy, with their PO line, so a block that shows one can say
so. Used where values are shown; the data itself is never changed."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field


@dataclass(frozen=True)
class DataNames:
    """Translated data values of one catalog."""

    catalog: str
    """The catalog as shown in messages: `translations/2021/fr.po`."""
    translated: Mapping[str, Mapping[str, str]] = field(default_factory=dict)
    waiting: Mapping[str, Mapping[str, int]] = field(default_factory=dict)
    """Untranslated or fuzzy values, with the line of their entry."""

    def shown(self, source: str, column: str, value: str) -> str:
        """`value` as the reader sees it: its translation, else itself."""
        return self.translated.get(f"data.{source}.{column}", {}).get(value, value)

    def warning(self, source: str, column: str, value: str) -> str | None:
        """Why `value` is shown in the source language, or None when it is not."""
        context = f"data.{source}.{column}"
        if value in self.translated.get(context, {}) or not value.strip():
            return None
        line = self.waiting.get(context, {}).get(value)
        if line is None:
            return (
                f"the data value '{value}' (`{context}`) is not in {self.catalog}: it is "
                "shown in the source language (run `factsheet translations update` on the "
                "spec, then translate it; --strict makes this an error)"
            )
        return (
            f"the data value '{value}' (`{context}`) has no usable translation in "
            f"{self.catalog}:{line} (untranslated or fuzzy): it is shown in the source "
            "language (translate it there; --strict makes this an error)"
        )
