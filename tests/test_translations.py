"""Catalogs for translators: `factsheet translations extract` writes every text of a
spec to a .pot with its key path and line, `update` merges it into each language's .po,
keeping translations and marking those whose English changed as fuzzy."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from tests.projects import invoke_in, make_project

SPEC = """\
document: {title: Catalogued, subtitle: For translators, author: Test Org, year: 2024}
theme: un-blue
pages:
  - blocks:
      - title_band: {}
      - heading: Where people move
      - paragraph: "Most moves stay **close to home**.\\n\\nA second paragraph."
      - quote: {text: Words of a leader., attribution: A leader}
      - image: {file: assets/logos/emblem-blue.svg, alt: The emblem, width: 20mm}
"""


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return make_project(tmp_path, specs={"cat.yaml": SPEC})


def run(project: Path, *args: str) -> tuple[int, str]:
    result = invoke_in(project, *args)
    return result.exit_code, result.output


def catalog(path: Path):  # type: ignore[no-untyped-def]
    with path.open("rb") as handle:
        return read_po(handle)


def test_extract_lists_every_text_with_its_place(project: Path) -> None:
    code, output = run(project, "translations", "extract", "factsheets/cat.yaml")
    assert code == 0, output
    assert "wrote       translations/cat.pot" in output
    pot = catalog(project / "translations" / "cat.pot")
    entries = {(m.context, m.id): m for m in pot if m.id}
    assert ("pages[0].blocks[1].heading.text", "Where people move") in entries
    assert ("document.title", "Catalogued") in entries
    assert ("pages[0].blocks[4].image.alt", "The emblem") in entries
    heading = entries["pages[0].blocks[1].heading.text", "Where people move"]
    assert heading.locations == [("factsheets/cat.yaml", 6)]
    kind, room = heading.auto_comments  # the room is tests/test_translation_room.py's
    assert kind == "heading: pages[0].blocks[1].heading.text"
    assert re.fullmatch(r"room: about \d+ more characters fit", room), room
    # Fixed fields (a file name, a theme) are not offered for translation.
    assert not [m for m in pot if m.id and "emblem-blue" in str(m.id)]
    first = (project / "translations" / "cat.pot").read_bytes()
    run(project, "translations", "extract", "factsheets/cat.yaml")
    assert (project / "translations" / "cat.pot").read_bytes() == first  # no timestamps


def test_update_keeps_translations_and_marks_changed_english_fuzzy(project: Path) -> None:
    code, output = run(project, "translations", "update", "factsheets/cat.yaml", "--language", "fr")
    assert code == 0, output
    po_path = project / "translations" / "cat" / "fr.po"
    text = po_path.read_text()
    done = text.replace(
        'msgid "Where people move"\nmsgstr ""', 'msgid "Where people move"\nmsgstr "Où l’on va"'
    ).replace('msgid "A leader"\nmsgstr ""', 'msgid "A leader"\nmsgstr "Une dirigeante"')
    po_path.write_text(done)
    spec = project / "factsheets" / "cat.yaml"
    spec.write_text(SPEC.replace("attribution: A leader", "attribution: The leader"))
    code, output = run(project, "translations", "update", "factsheets/cat.yaml")
    assert code == 0, output
    po = catalog(po_path)
    heading = po.get("Where people move", context="pages[0].blocks[1].heading.text")
    assert heading.string == "Où l’on va" and not heading.fuzzy
    changed = po.get("The leader", context="pages[0].blocks[3].quote.attribution")
    assert changed.fuzzy and changed.string == "Une dirigeante"  # kept, for review


def test_an_unknown_language_is_an_error(project: Path) -> None:
    code, output = run(project, "translations", "update", "factsheets/cat.yaml", "--language", "xx")
    assert code == 65, output
    assert "Error: 'xx' is not a language Babel knows" in output


EDITIONS = """\
document: {title: Regions, author: Test Org, year: 2024, pages: 1}
theme: un-blue
data:
  ldc: {file: data/ldc.csv}
figures:
  total: {source: ldc, column: share, aggregate: sum}
variables:
  place: the world
  only: "{{ total }}"
pages:
  - blocks:
      - paragraph: {id: trends, text: "Moves in {{ place }}."}
      - callout: {id: count, number: "{{ total }}", label: people moved, text: "{{ total }}"}
      - chart: {type: hbar, source: ldc, x: measure, y: share, height: 40mm}
editions:
  matrix:
    region: [Global, Africa]
  output: "output/{region}.pdf"
  variables:
    title: "Moves in {{ region }}"
    same: " {{ region | upper }} "
  overrides:
    - when: {region: Africa}
      variables: {place: Africa}
      document: {subtitle: "A region of {{ place }}", language: en}
      blocks:
        trends: {text: "Africa moves."}
        count: {number: "{{ total }}", label: Africans moved}
"""


def test_extract_covers_variables_overrides_and_data_values(tmp_path: Path) -> None:
    data = {
        "ldc.csv": "region,measure,share\nGlobal,World population,1\n"
        "Global,Internally displaced people,2\nAfrica,World population,3\n"
    }
    project = make_project(tmp_path, data, {"regions.yaml": EDITIONS})
    code, output = run(project, "translations", "extract", "factsheets/regions.yaml")
    assert code == 0, output
    pot = catalog(project / "translations" / "regions.pot")
    entries = [(m.context, m.id) for m in pot if m.id]
    assert entries == [
        ("document.title", "Regions"),
        ("document.author", "Test Org"),
        ("pages[0].blocks[0].paragraph.text", "Moves in {{ place }}."),
        ("pages[0].blocks[1].callout.label", "people moved"),
        ("variables.place", "the world"),
        ("editions.variables.title", "Moves in {{ region }}"),
        ("editions.overrides[0].variables.place", "Africa"),
        ("editions.overrides[0].document.subtitle", "A region of {{ place }}"),
        ("editions.overrides[0].blocks.trends.text", "Africa moves."),
        ("editions.overrides[0].blocks.count.label", "Africans moved"),
        ("data.ldc.measure", "World population"),
        ("data.ldc.measure", "Internally displaced people"),
    ]
    subtitle = pot.get("A region of {{ place }}", context="editions.overrides[0].document.subtitle")
    assert subtitle.locations == [("factsheets/regions.yaml", 25)]


def test_placeholders_are_compared_as_jinja_reads_them() -> None:
    from factsheet.translations.checks import placeholder_problem

    assert placeholder_problem("{{ total }} people", "{{total}} personnes") is None
    assert placeholder_problem("in {{ region | upper }}", "en {{ region|upper }}") is None
    assert placeholder_problem("{{ a }} and {{ b }}", "{{ b }} et {{ a }}") is None
    assert placeholder_problem("{{ total }} people", "personnes") == "drops `{{ total }}`"
    assert placeholder_problem("{{ total }}", "{{ totl }}") == (
        "drops `{{ total }}` and adds `{{ totl }}`"
    )
    assert placeholder_problem("{{ region }}", "{{ region | lower }}") == (
        "drops `{{ region }}` and adds `{{ region | lower }}`"
    )
    assert "not closed" in str(placeholder_problem("{{ total }}", "{{ total"))


def test_markdown_must_keep_its_links_emphasis_and_lines() -> None:
    from factsheet.translations.checks import markdown_problem

    source = "See [the compact](https://iom.int/gcm) and **more**.\nA second line."
    assert markdown_problem(source, "Voir [le pacte](https://iom.int/gcm) et **plus**.") is None
    assert "1 link" not in str(markdown_problem(source, "Voir le pacte et **plus**."))
    assert markdown_problem(source, "Voir le pacte et **plus**.") == (
        "it has 0 link(s) where the source has 1"
    )
    assert "instead of https://iom.int/gcm" in str(
        markdown_problem(source, "Voir [le pacte](https://iom.int/fr) et **plus**.")
    )
    assert "`**` (bold) is not closed" in str(
        markdown_problem(source, "Voir [le pacte](https://iom.int/gcm) et **plus.")
    )
    assert "`*` (italic) is not closed" in str(markdown_problem("an *idea*", "une *idée"))
    assert "list, heading or quote mark" in str(
        markdown_problem("Two lines\nof text", "Deux lignes\n- de texte")
    )
    assert markdown_problem("- one\n- two", "- un\n- deux") is None
