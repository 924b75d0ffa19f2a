"""The filters a template may use: an allowlist of Jinja's own (those that are safe,
deterministic and make sense in Markdown), and two of the project's: `capfirst`, which
capitalises a sentence's first letter without lowering the rest, and `slug`, which makes
a value a safe file-name part. :mod:`factsheet.text` gives the sandbox these and no
others; `scripts/gen_docs.py` lists them in docs/spec.md."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Callable

from jinja2.filters import FILTERS as JINJA_FILTERS

from factsheet.output import WINDOWS_RESERVED

__all__ = ["FILTERS", "FUNCTIONS", "capfirst", "slug"]


def capfirst(value: object) -> str:
    """The text with its first letter in capitals and the rest as written:
    `the Americas` → `The Americas` (Jinja's `capitalize` would print `The americas`)."""
    text = str(value)
    return text[:1].upper() + text[1:]


MAX_SLUG = 80
"""The longest slug: a longer one keeps its first 71 characters and ends in a short hash
of the whole value (`-1a2b3c4d`), so it stays unique and the same from build to build."""


def slug(value: object) -> str:
    """A safe file-name part: `Asia and the Pacific` → `asia-and-the-pacific`. At most
    80 characters (see `MAX_SLUG`); a name Windows keeps for a device (`con`, `aux`,
    `nul`, `com1`, `lpt1`, ...) gets a leading underscore (`_con`)."""
    ascii_text = unicodedata.normalize("NFKD", str(value)).encode("ascii", "ignore").decode()
    text = re.sub(r"[^A-Za-z0-9]+", "-", ascii_text).strip("-").lower()
    if len(text) > MAX_SLUG:
        digest = hashlib.sha256(str(value).encode("utf-8", "surrogatepass")).hexdigest()[:8]
        text = f"{text[: MAX_SLUG - 9].rstrip('-')}-{digest}"
    if text.upper() in WINDOWS_RESERVED:
        return f"_{text}"
    return text or "edition"


# The filters a template may use, with what each does (for docs/templates.md). An
# allowlist rather than Jinja's full set: `random` would make builds irreproducible,
# `format`, `attr`, `map` and friends reach into Python, and the HTML ones (`escape`,
# `safe`, `urlize`, `xmlattr`, `tojson`) have no meaning in Markdown.
FILTERS: dict[str, str] = {
    "capfirst": "first letter in capitals, the rest as written: `the Americas` → `The Americas`",
    "upper": "all capitals: `Africa` → `AFRICA`",
    "lower": "all small letters: `Africa` → `africa`",
    "title": "each word capitalised and the rest lowered: `the global south` → `The Global South`",
    "capitalize": "first letter in capitals and the rest LOWERED: `the Americas` → "
    "`The americas` (you usually want `capfirst`)",
    "trim": "spaces removed from both ends",
    "replace": "`replace('old', 'new')`: every `old` replaced by `new`",
    "truncate": "`truncate(40)`: cut to 40 characters, ending in `...`",
    "default": "`default('none')`: the given text when the value is undefined",
    "length": "the number of characters (or items)",
    "wordcount": "the number of words",
    "list": "the characters (or items) as a list",
    "join": "`join(', ')`: the items of a list, joined",
    "first": "the first item (or character)",
    "last": "the last item (or character)",
    "sort": "the items, sorted",
    "reverse": "the items (or characters) in reverse order",
    "unique": "the items, each once",
    "min": "the smallest item",
    "max": "the largest item",
    "sum": "the items added up",
    "abs": "a number without its sign",
    "round": "`round(1)`: a number rounded to 1 decimal",
    "int": "text read as a whole number",
    "float": "text read as a number",
    "string": "a value as text",
    "urlencode": "text made safe inside a web address: `a b` → `a%20b`",
    "slug": "a safe file-name part: `Asia and the Pacific` → `asia-and-the-pacific`",
}
_OWN: dict[str, Callable[..., object]] = {"capfirst": capfirst, "slug": slug}
FUNCTIONS: dict[str, Callable[..., object]] = {
    name: _OWN.get(name) or JINJA_FILTERS[name] for name in FILTERS
}
"""The function of each allowed filter, for the sandbox."""
