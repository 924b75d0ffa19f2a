"""Which figures a text prints, and which stretch of its words each one is: so the
renderer can record where each figure was drawn (see :mod:`factsheet.render.boxes`).
The template is rendered once with invisible marks (characters of a private-use plane
that no text holds) inside each figure's value: after its first character and before
its last, so that Markdown sees the figure's own first and last characters beside
any `**` or `_` and parses the text exactly as without marks. The marks give the
figure's place in the paragraph's words and are taken out again for the paragraph that
is drawn. Only a figure written as a plain reference (`{{ name }}`) is located. A
template with an expression (`{{ name | upper }}`, an `{% if %}`), or with a figure in
a link's address, is also rendered without marks, and its figures are located only
where both renders agree."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from factsheet.layout import spans
from factsheet.layout.spoken import source_text
from factsheet.render.boxes import Printed
from factsheet.text import LinkStyle, Templates, render_markup

_REFERENCE = re.compile(r"\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}")
_OPEN = 0xF0000  # the first figure's mark; one mark per figure, then a closing mark
_CLOSE = "\U000ffffd"  # before a figure's last character
_CLOSE_ONE = "\U000ffffc"  # after a figure of one character (and its opening mark)
_MARKS = re.compile(f"[{chr(_OPEN)}-{chr(_OPEN + 0xFFF)}{_CLOSE}{_CLOSE_ONE}]")
_IN_ADDRESS = re.compile(r"\]\([^)]*\{\{|<[^>\s]*\{\{")  # a link target, an autolink


def figure_names(template: str, figures: Mapping[str, Any]) -> tuple[str, ...]:
    """The figures `template` prints by a plain reference, once each."""
    if "{{" not in template:
        return ()
    return tuple(dict.fromkeys(n for n in _REFERENCE.findall(template) if n in figures))


def render_marked(
    template: str,
    templates: Templates,
    figures: Mapping[str, Any],
    names: Sequence[str],
    links: LinkStyle,
    join: bool = False,
) -> list[tuple[str, tuple[Printed, ...]]]:
    """Each Markdown paragraph's markup, with the figures it prints; with `join`, the
    paragraphs joined by a space into one (as a heading is set)."""
    marks = {chr(_OPEN + n): name for n, name in enumerate(names[:0x1000])}
    values = {name: _marked(str(figures[name].text), mark) for mark, name in marks.items()}
    marked = render_markup(template, templates.with_values(**values), links)
    unmark = str.maketrans(dict.fromkeys([*marks, _CLOSE, _CLOSE_ONE]))
    markups = [m.translate(unmark) for m in marked]
    if not _plain(template):  # an expression may have used a value: check both agree
        real = render_markup(template, templates, links)
        if real != markups:
            return [(" ".join(real), ())] if join else [(m, ()) for m in real]
    if join:
        markups, marked = [" ".join(markups)], [" ".join(marked)]
    return [
        (m, _located(source_text(mm), marks, unmark)) for m, mm in zip(markups, marked, strict=True)
    ]


def _marked(text: str, mark: str) -> str:
    """A figure's text with its marks inside: its first and last characters are
    still its edges (a one-character figure carries both marks after it)."""
    if len(text) >= 2:
        return f"{text[0]}{mark}{text[1:-1]}{_CLOSE}{text[-1]}"
    return f"{text}{mark}{_CLOSE_ONE}" if text else text


def _plain(template: str) -> bool:
    """Whether the template only inserts values by name, none in a link's address."""
    rest = _REFERENCE.sub("", template)
    plain = "{{" not in rest and "{%" not in rest and "{#" not in rest
    return plain and _IN_ADDRESS.search(template) is None


def _located(text: str, marks: Mapping[str, str], unmark: dict[int, Any]) -> tuple[Printed, ...]:
    """The figures marked in a paragraph's text, each as the n-th occurrence of its
    printed text in the text without marks."""
    found: list[tuple[str, int, int]] = []
    open_at: list[tuple[str, int]] = []
    for seen, match in enumerate(_MARKS.finditer(text)):
        at = match.start() - seen  # in the text without the marks before this one
        char = match.group()
        if char in marks:
            open_at.append((marks[char], at - 1))  # after the figure's first character
        elif open_at:
            name, start = open_at.pop()
            found.append((name, start, at + 1 if char == _CLOSE else at))
    plain = spans.normal(text.translate(unmark))
    prints = []
    for name, start, end in sorted(found, key=lambda f: f[1]):
        printed = plain[start:end]
        if not printed.strip():
            continue
        before = [s for s in spans.occurrences(plain, printed) if s < start]
        prints.append(Printed(("figure", name), printed, len(before)))
    return tuple(prints)
