"""Which figures a text prints, and which stretch of its words each one is: so the
renderer can record where each figure was drawn (see :mod:`factsheet.render.boxes`).
The template is rendered once with each figure's value between invisible marks
(characters of a private-use plane that no text holds); the marks give the figure's
place in the paragraph's words, and are taken out again for the paragraph that is
drawn, which is then exactly what the plain render gives. Only a figure written as a
plain reference (`{{ name }}`) is located: an expression (`{{ name | upper }}`, an
`{% if %}`) may print something else, so a template with one is rendered twice, and
its figures are located only where both renders agree."""

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
_CLOSE = "\U000ffffd"
_MARKS = re.compile(f"[{chr(_OPEN)}-{chr(_OPEN + 0xFFF)}{_CLOSE}]")


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
    values = {name: f"{mark}{figures[name].text}{_CLOSE}" for mark, name in marks.items()}
    marked = render_markup(template, templates.with_values(**values), links)
    unmark = str.maketrans(dict.fromkeys([*marks, _CLOSE]))
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


def _plain(template: str) -> bool:
    """Whether the template only inserts values by name."""
    rest = _REFERENCE.sub("", template)
    return "{{" not in rest and "{%" not in rest and "{#" not in rest


def _located(text: str, marks: Mapping[str, str], unmark: dict[int, Any]) -> tuple[Printed, ...]:
    """The figures marked in a paragraph's text, each as the n-th occurrence of its
    printed text in the text without marks."""
    found: list[tuple[str, int, int]] = []
    open_at: list[tuple[str, int]] = []
    for seen, match in enumerate(_MARKS.finditer(text)):
        at = match.start() - seen  # in the text without the marks before this one
        char = match.group()
        if char != _CLOSE:
            open_at.append((marks[char], at))
        elif open_at:
            name, start = open_at.pop()
            found.append((name, start, at))
    plain = spans.normal(text.translate(unmark))
    prints = []
    for name, start, end in sorted(found, key=lambda f: f[1]):
        printed = plain[start:end]
        if not printed.strip():
            continue
        before = [s for s in spans.occurrences(plain, printed) if s < start]
        prints.append(Printed(("figure", name), printed, len(before)))
    return tuple(prints)
