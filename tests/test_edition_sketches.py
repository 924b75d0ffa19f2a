"""A build of some editions (`--edition KEY=GLOB`) translates only what it builds: an
edition it does not build may be a sketch, expanded in the spec's own language, when
that changes nothing the built editions share with it (its output path, checked for
collisions and owners, and the files it reads). Otherwise every edition is translated,
as without patterns. A sketch is never built: a command takes the whole edition."""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import pytest
from babel.messages.pofile import read_po, write_po

from factsheet.editions.bundle import build_inputs
from factsheet.editions.expand import Edition, load_editions
from factsheet.editions.expanded import edition_at, editions_of, known_editions
from tests.projects import ROOT, invoke_in, make_project

DEMO = ROOT / "factsheets" / "2021.yaml"
GLOBAL_EN = {"region": ["Global"], "language": ["en"]}


def _whole(edition: Edition) -> tuple[object, ...]:
    """Everything a build reads of an edition (its source map by what it locates)."""
    return (
        edition.keys, edition.variables, edition.output, edition.data,
        [str(p) for p in edition.problems], [str(w) for w in edition.warnings],
        edition.spec_files, edition.values, edition.output_at, edition.broken,
        sorted(edition.source_map.values.items(), key=repr),
    )  # fmt: skip


def test_the_chosen_editions_are_whole_and_the_others_sketched_alike() -> None:
    full = load_editions(DEMO)
    wanted = load_editions(DEMO, lambda keys: keys.get("region") == "Global")
    assert [e.label for e in wanted] == [e.label for e in full]
    sketches = [e for e in wanted if e.sketch]
    # Global in French, Spanish, Russian, Arabic and Chinese: the source language (en)
    # costs nothing to expand and is never sketched.
    assert sketches == []  # the others are in English, the spec's own: nothing to skip
    wanted = load_editions(DEMO, lambda keys: keys == {"region": "Global", "language": "en"})
    sketches = [e for e in wanted if e.sketch]
    assert {e.keys["language"] for e in sketches} == {"fr", "es", "ru", "ar", "zh"}
    for one, whole in zip(wanted, full, strict=True):
        if one.sketch:
            assert (one.label, one.output, one.spec_files, one.root) == (
                whole.label,
                whole.output,
                whole.spec_files,
                whole.root,
            )
        else:
            assert _whole(one) == _whole(whole)
    assert build_inputs(wanted) == build_inputs(full)


def test_a_build_of_one_edition_makes_the_same_pdf(tmp_path: Path) -> None:
    project = tmp_path / "p"
    for folder in ("factsheets", "data", "translations"):
        shutil.copytree(ROOT / folder, project / folder)
    make_project(project)
    args = ["build", "factsheets/2021.yaml", "--force", "--edition", "region=Global"]
    first = invoke_in(project, *args)
    assert first.exit_code == 0, first.output
    made = {p: p.read_bytes() for p in sorted((project / "output").rglob("*.pdf"))}
    again = invoke_in(project, *args, "--edition", "language=ar")
    assert again.exit_code == 0, again.output
    arabic = project / "output" / "2021" / "ar" / "global.pdf"
    assert arabic.read_bytes() == made[arabic]  # built among six, or on its own


SPEC = """\
document: {{title: Moves, author: Test Org, year: 2024, pages: 1}}
theme: un-blue
variables:
  place: the world
pages:
  - blocks:
      - heading: "Moves in {{{{ place }}}}"
{picture}
editions:
  matrix:
    language: [en, fr]
  output: "{output}"
"""

FRENCH = {"Moves": "Déplacements", "the world": "le-monde", "Test Org": "Org de test"}


def _spec(tmp_path: Path, output: str, picture: str = "") -> Path:
    text = SPEC.format(output=output, picture=picture)
    project = make_project(tmp_path / "p", specs={"m.yaml": text})
    made = invoke_in(project, "translations", "update", "factsheets/m.yaml", "--language", "fr")
    assert made.exit_code == 0, made.output
    path = project / "translations" / "m" / "fr.po"
    with path.open("rb") as handle:
        catalog = read_po(handle)
    for message in catalog:
        message.string = FRENCH.get(str(message.id), message.string)
    buffer = io.BytesIO()
    write_po(buffer, catalog, width=88, sort_output=False)
    path.write_bytes(buffer.getvalue())
    return project / "factsheets" / "m.yaml"


def _english(keys: object) -> bool:
    return keys == {"language": "en"}


@pytest.mark.parametrize(
    ("output", "picture", "sketched"),
    [
        ("output/{language}.pdf", "", True),
        ("output/{{ year }}-{language}.pdf", "", True),
        # A catalog translates variables: a path made of one is the edition's own.
        ("output/{{ place }}-{language}.pdf", "", False),
        (
            "output/{language}.pdf",
            "      - hero: {image: 'assets/photos/{{ place }}.jpg', height: 30mm}",
            False,
        ),
    ],
)
def test_an_edition_is_sketched_only_when_its_paths_come_from_its_keys(
    tmp_path: Path, output: str, picture: str, sketched: bool
) -> None:
    spec = _spec(tmp_path, output, picture)
    full = load_editions(spec)
    some = load_editions(spec, _english)
    assert [e.sketch for e in some] == [False, sketched]
    assert [e.output for e in some] == [e.output for e in full]
    assert build_inputs(some) == build_inputs(full)
    if not sketched:
        assert _whole(some[1]) == _whole(full[1])


def test_editions_of_a_spec_with_a_base_are_never_sketched(tmp_path: Path) -> None:
    spec = _spec(tmp_path, "output/{language}.pdf")
    child = spec.with_name("child.yaml")
    child.write_text("extends: m.yaml\neditions:\n  output: 'output/child-{language}.pdf'\n")
    assert not any(e.sketch for e in load_editions(child, _english))


def test_a_command_takes_whole_editions_and_keeps_one_expansion(tmp_path: Path) -> None:
    spec = _spec(tmp_path, "output/{language}.pdf")
    some = editions_of(spec, {"language": ["en"]})
    assert [e.sketch for e in some] == [False, True]
    assert known_editions(spec) is some  # labels and outputs: no new expansion
    assert editions_of(spec, {"language": ["en"]}) is some
    french = edition_at(spec, 1)  # a sketch asked for whole: the spec is expanded again
    assert not french.sketch and french.data["document"]["title"] == "Déplacements"
    whole = editions_of(spec)
    assert not any(e.sketch for e in whole)
    assert editions_of(spec, {"language": ["en"]}) is whole  # the whole list serves all
    assert edition_at(spec, 1) is whole[1]


def test_a_collision_with_an_edition_not_built_is_still_an_error(tmp_path: Path) -> None:
    spec = _spec(tmp_path, "output/same.pdf")
    result = invoke_in(spec.parents[1], "build", str(spec), "--edition", "language=en")
    assert result.exit_code != 0
    assert "would both write 'output/same.pdf'" in result.output
