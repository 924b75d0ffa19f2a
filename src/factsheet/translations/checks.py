"""Whether a translation can stand in for its source text: it keeps every template
placeholder (compared as Jinja reads them, so `{{ total }}` and `{{total}}` are the same
and `{{ totl }}` is not) and the Markdown's shape (the same links to the same
addresses, balanced `**` and `*`, and no line that becomes a list item or heading). Each
check returns what is wrong in words, or nothing; the caller says where."""

from __future__ import annotations

import re
from collections import Counter
from functools import cache
from typing import Any

LINK = re.compile(r"\[[^\]]*\]\(\s*([^)\s]+)[^)]*\)")
BLOCK_LINE = re.compile(r"^\s{0,3}(?:[-*+]\s|\d+[.)]\s|#{1,6}\s|>)")


def placeholders(text: str) -> Counter[str] | None:
    """Each `{{ … }}` and `{% … %}` of `text`, as its Jinja tokens (spaces do not
    count); None when `text` is not valid template syntax."""
    from jinja2 import TemplateSyntaxError

    found: Counter[str] = Counter()
    if "{" not in text:
        return found  # most texts: nothing for the lexer to find
    current: list[str] | None = None
    try:
        for _, kind, value in _lexer().lex(text):
            if kind in ("variable_begin", "block_begin"):
                current = [value.strip()]
            elif kind in ("variable_end", "block_end") and current is not None:
                found[" ".join([*current, value.strip()])] += 1
                current = None
            elif current is not None and kind != "whitespace":
                current.append(str(value))
    except TemplateSyntaxError:
        return None
    return None if current is not None else found  # None: a `{{` never closed


@cache
def _lexer() -> Any:
    from jinja2 import Environment

    return Environment()


def placeholder_problem(source: str, translation: str) -> str | None:
    """What the translation does to the source's placeholders, if anything."""
    wanted, given = placeholders(source), placeholders(translation)
    if given is None:
        return "its template syntax is broken (a `{{` or `{%` is not closed)"
    if wanted is None or set(wanted) == set(given):
        return None
    lost = sorted(set(wanted) - set(given))
    added = sorted(set(given) - set(wanted))
    parts = []
    if lost:
        parts.append(f"drops {_listed(lost)}")
    if added:
        parts.append(f"adds {_listed(added)}")
    return " and ".join(parts)


def _listed(items: list[str]) -> str:
    return ", ".join(f"`{item}`" for item in items)


def markdown_problem(source: str, translation: str) -> str | None:
    """How the translation breaks the source's Markdown, if it does."""
    if Counter(LINK.findall(source)) != Counter(LINK.findall(translation)):
        wanted, given = LINK.findall(source), LINK.findall(translation)
        if len(wanted) != len(given):
            return f"it has {len(given)} link(s) where the source has {len(wanted)}"
        return f"its links go to {', '.join(given)} instead of {', '.join(wanted)}"
    for mark, name in (("**", "bold"), ("*", "italic")):
        if _balanced(source, mark) and not _balanced(translation, mark):
            return f"a `{mark}` ({name}) is not closed"
    if _block_lines(translation) != _block_lines(source):
        return (
            "a line starts with a list, heading or quote mark (`-`, `*`, `1.`, `#`, `>`) "
            "where the source has none: keep such marks inside a line"
        )
    return None


def _balanced(text: str, mark: str) -> bool:
    plain = re.sub(r"\\\*", "", text)
    plain = "\n".join(BLOCK_LINE.sub("", line) for line in plain.split("\n"))
    if mark == "*":
        plain = plain.replace("**", "")
    return plain.count(mark) % 2 == 0


def _block_lines(text: str) -> list[str]:
    return [m.group(0).strip()[:1] for line in text.split("\n") if (m := BLOCK_LINE.match(line))]
