"""YAML syntax errors said in plain words. PyYAML words its errors for people who know
the YAML grammar (`mapping values are not allowed in this context`, `did not find
expected ',' or '}' while parsing a flow mapping`); a spec's author reads what most
likely happened on that line and how to fix it: indentation, a tab, or text that needs
quotes because it holds `: `, a comma or a quote. Each error keeps the file, line and
column PyYAML found."""

from __future__ import annotations

from pathlib import Path

import yaml

from factsheet.errors import SpecError
from factsheet.location import Location

QUOTING = (
    "put text that holds `: `, a comma, `#` or a quote in quotes, such as "
    '`label: "Life expectancy: years, by sex"`'
)


def syntax_error(path: Path, exc: yaml.MarkedYAMLError, text: str) -> SpecError:
    """A located SpecError for a YAML syntax error in `text`, the file at `path`."""
    mark = exc.problem_mark or exc.context_mark
    line, col = (mark.line + 1, mark.column + 1) if mark else (None, None)
    where = Location(path, line, col)
    problem = (exc.problem or "").strip()
    context = (exc.context or "").strip()
    opened = exc.context_mark.line + 1 if exc.context_mark is not None else None
    rows = text.split("\n")
    row = rows[line - 1] if line is not None and line <= len(rows) else ""
    before = row[: (col or 1) - 1]
    char = row[(col or 1) - 1] if col is not None and col <= len(row) else ""
    said = _said(problem, context, opened, before, char)
    if said is None:
        said = (f"YAML cannot read this line ({problem}{' ' + context if context else ''})",
                "check the indentation and the quotes on this line and the one above")  # fmt: skip
    return SpecError(said[0], where, said[1])


def _said(
    problem: str, context: str, opened: int | None, before: str, char: str
) -> tuple[str, str] | None:
    """(message, hint) for the errors people make, or None."""
    since = f" on line {opened}" if opened is not None else ""
    if "tab" in problem or char == "\t":
        return (
            "a tab character: YAML indents with spaces only",
            "replace it with spaces; most editors can insert spaces when you press Tab",
        )
    if problem.startswith("mapping values are not allowed"):
        if ": " in before.strip() or before.rstrip().endswith(":"):
            return ("`: ` inside a text: YAML reads it as the start of another value", QUOTING)
        return (
            "this line is indented more than the key above it, so YAML cannot read its "
            "`: ` as a new key",
            "line it up with the keys above it; if it belongs inside the key above, that "
            "key must end in `:` with its value on the lines below",
        )
    if "while parsing a flow mapping" in context or "while parsing a flow sequence" in context:
        brackets = "{…}" if "mapping" in context else "[…]"
        example = '{label: "a, b"}' if "mapping" in context else '[a, "b, c"]'
        return (
            f"the `{brackets}` that opens{since} is not closed where YAML expects it",
            f"inside `{brackets}` a comma separates entries and `: ` a key from its value, "
            f"so text holding either needs quotes (`{example}`); or add the missing "
            f"`{brackets[-1]}`",
        )
    if problem.startswith("did not find expected key"):
        if "'" in before.strip()[1:] or '"' in before.strip()[1:]:
            return (
                "more text after a closing quote: a quoted text ends at its closing quote",
                "quote the whole text; to write ' inside '…', double it ('it''s'), or "
                'use "…" instead',
            )
        return (
            f"this line does not line up with the keys of the mapping that starts{since}",
            "indent it exactly as the keys it belongs with (spaces, not tabs)",
        )
    if problem.startswith("did not find expected '-' indicator"):
        return (
            f"this line breaks the list that starts{since}: each item starts with `- `",
            "a `key: value` line of an item goes under the item's first key, indented "
            "two spaces more than its `- `",
        )
    if "end of stream" in problem and "quoted scalar" in context:
        return (
            f"a text in quotes that opens{since} is never closed",
            "add the closing quote",
        )
    if problem.startswith("found undefined alias"):
        return (
            "`*name` here refers to an anchor `&name` that is not defined above it",
            "define `&name` first, or put the text in quotes if `*` is part of it",
        )
    if problem.startswith("could not find expected ':'"):
        return ("this line is neither a `key: value` pair nor part of a text above it",
                "add `: ` after the key, or put the text in quotes")  # fmt: skip
    if problem.startswith("found character that cannot start any token") and char:
        return (
            f"`{char}` cannot start a text without quotes in YAML",
            "put the text in quotes",
        )
    if "unknown escape character" in problem:
        return (
            'a backslash in "…" starts an escape that YAML does not know',
            "write \\\\ for a backslash, or use '…' quotes",
        )
    return None
