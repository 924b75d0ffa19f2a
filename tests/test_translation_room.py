"""The room a translator has, in the catalogs: each text of a block carries a `#.`
note with the characters that still fit in the edition where its block is tightest
(or how many to cut where it overflows), as `factsheet fit` measures it; an edition
that cannot be laid out is left out with a warning, and `update` carries the notes
into every language's catalog."""

from __future__ import annotations

from pathlib import Path

import pytest
from babel.messages.pofile import read_po, write_po

from factsheet.fit_report import room_for, rooms
from tests.projects import invoke_in, make_project

SOURCE = "Migration shapes development and development shapes migration. "
FRENCH = "La migration façonne le développement, qui façonne la migration. "
BODY = "pages[0].blocks[1].paragraph.text"
SPEC = f"""\
document: {{title: Room, author: Test Org, language: en, pages: 1}}
theme: un-blue
pages:
  - columns: 1
    blocks:
      - heading: Room to translate
      - paragraph: {{id: body, text: "{SOURCE * 12}"}}
editions:
  matrix:
    language: [en, fr]
  output: "output/{{{{ language }}}}.pdf"
"""


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return make_project(tmp_path / "p", specs={"room.yaml": SPEC})


def run(project: Path, *args: str) -> tuple[int, str, str]:
    result = invoke_in(project, *args)
    return result.exit_code, result.stdout, result.stderr


def notes(path: Path) -> dict[str, list[str]]:
    """The `#.` notes of each entry, by context."""
    with path.open("rb") as handle:
        return {m.context: m.auto_comments for m in read_po(handle) if m.id and m.context}


def translate_body(project: Path, text: str) -> None:
    po = project / "translations" / "room" / "fr.po"
    with po.open("rb") as handle:
        catalog = read_po(handle)
    for message in catalog:
        if message.context == BODY:
            message.string = text
    with po.open("wb") as handle:
        write_po(handle, catalog, width=88)


def extract(project: Path) -> dict[str, list[str]]:
    code, _, err = run(project, "translations", "extract", "factsheets/room.yaml")
    assert code == 0, err
    return notes(project / "translations" / "room.pot")


def test_the_note_is_the_room_of_the_tightest_edition_and_shrinks_with_the_text(
    project: Path,
) -> None:
    spec = project / "factsheets" / "room.yaml"
    # No French catalog yet: the French edition cannot be laid out, a warning says so
    # and the notes give the English edition's room.
    code, _, err = run(
        project, "translations", "update", "factsheets/room.yaml", "--language", "fr"
    )
    assert code == 0, err
    assert "Warning: no room notes for edition 'language=fr': it cannot be laid out" in err
    english = room_for(rooms(spec, language="en"), BODY)
    assert english is not None and english > 0
    po = notes(project / "translations" / "room" / "fr.po")
    assert po[BODY] == [
        f"paragraph: {BODY}",
        f"room: about {english} more characters fit (tightest: language=en)",
    ]
    assert po["document.title"] == ["document: document.title"]  # not measured: no room

    translate_body(project, FRENCH * 18)
    found = extract(project)
    french = room_for(rooms(spec), BODY)
    # French, longer, fills more of the page: its room is the one that counts (in
    # characters of its own text, so not simply the English room less the extra).
    assert french is not None and french > 0
    assert room_for(rooms(spec, language="fr"), BODY) == french != english
    assert found[BODY][1] == f"room: about {french} more characters fit (tightest: language=fr)"
    heading = found["pages[0].blocks[0].heading.text"]
    assert heading[1].startswith("room: about ") and heading[1].endswith("(tightest: language=fr)")

    translate_body(project, FRENCH * 30)  # the French text gets longer: less room
    pot = project / "translations" / "room.pot"
    found = extract(project)
    longer = room_for(rooms(spec), BODY)
    assert longer is not None and 0 < longer < french
    assert found[BODY][1] == f"room: about {longer} more characters fit (tightest: language=fr)"
    # The same spec, data and catalogs write the same template, byte for byte.
    first = pot.read_bytes()
    extract(project)
    assert pot.read_bytes() == first

    # `update` replaces each catalog's notes with the template's; translations and a
    # translator's own comments are kept.
    po_path = project / "translations" / "room" / "fr.po"
    po_path.write_text(po_path.read_text().replace(f"#. paragraph: {BODY}\n", "# checked\n"))
    assert notes(po_path)[BODY] != found[BODY]
    code, _, err = run(project, "translations", "update", "factsheets/room.yaml")
    assert code == 0 and "Warning" not in err, err
    assert notes(po_path)[BODY] == found[BODY]
    with po_path.open("rb") as handle:
        kept = {m.context: (m.string, m.user_comments) for m in read_po(handle) if m.id}
    assert kept[BODY] == (FRENCH * 30, ["checked"])


def test_an_overflowing_edition_gives_the_characters_to_cut(project: Path) -> None:
    run(project, "translations", "update", "factsheets/room.yaml", "--language", "fr")
    translate_body(project, FRENCH * 140)
    found = extract(project)  # an overflow is measured, never an extraction error
    over = room_for(rooms(project / "factsheets" / "room.yaml"), BODY)
    assert over is not None and over < 0
    assert found[BODY][1] == f"room: about {-over} characters too long (tightest: language=fr)"


def test_a_spec_with_one_edition_names_none(tmp_path: Path) -> None:
    single = SPEC.split("editions:")[0]
    project = make_project(tmp_path / "p", specs={"room.yaml": single})
    found = extract(project)
    room = room_for(rooms(project / "factsheets" / "room.yaml"), BODY)
    assert found[BODY] == [f"paragraph: {BODY}", f"room: about {room} more characters fit"]
