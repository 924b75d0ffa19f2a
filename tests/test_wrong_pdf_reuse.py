"""Wrong PDFs with exit 0 that new-user trials found in `extends` and `editions.overrides`
(issue 9, reuse). Each test fails on the code before the fix:

- a spec extending a base changed a block's text, and the base's override set that text
  again in some editions, after the merge: the change silently did not show there;
- an override whose `when` named a value no edition has (`continent: America`) was
  silently ignored;
- `null` in an override was refused, so an override could not drop a filter, a format
  option, a block or a figure, and could not add a figure only some editions use."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from factsheet.build import plan_edition
from factsheet.cli import main
from factsheet.editions.expand import load_editions
from tests.projects import make_project

DATA = """\
country,continent,year,pop
Nigeria,Africa,2007,135
Kenya,Africa,2007,35
Brazil,Americas,2007,190
Chile,Americas,2007,16
Japan,Asia,2007,127
Nigeria,Africa,1952,33
Brazil,Americas,1952,56
"""

BASE = """\
document: {title: "Report for {{ continent }}", author: A, year: 2007, pages: 1}
theme: un-blue
variables:
  note: Figures from the base.
data:
  gap: {file: data/gap.csv}
figures:
  pop:
    source: gap
    where: {continent: "{{ continent }}", year: 2007}
    column: pop
    aggregate: sum
    format: {decimals: 1}
pages:
  - blocks:
      - paragraph: {id: trends, text: "Base text: {{ pop }}."}
      - paragraph: {id: notes, text: "{{ note }}"}
editions:
  matrix: {continent: [World, Africa, Americas, Asia]}
  output: "output/{{ year }}/{continent}.pdf"
  overrides:
    - when: {continent: [Africa, Americas]}
      variables: {note: Regional figures.}
      blocks:
        trends: {text: "Regional text: {{ pop }}."}
    - when: {continent: World}
      figures:
        pop: {where: {continent: [Africa, Americas, Asia]}}
"""


@pytest.fixture
def project(tmp_path: Path) -> Iterator[Path]:
    root = make_project(tmp_path, {"gap.csv": DATA}, {"base.yaml": BASE})
    old = Path.cwd()
    os.chdir(root)
    yield root
    os.chdir(old)


def check(spec: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["check", f"factsheets/{spec}"])
    return result.exit_code, result.stderr


def write(project: Path, name: str, text: str) -> Path:
    path = project / "factsheets" / name
    path.write_text(text)
    return path


def line_of(text: str, needle: str) -> int:
    return next(n for n, line in enumerate(text.splitlines(), 1) if needle in line)


# --- 1. a change that a base's override replaces ------------------------------------

YEAR = "extends: base.yaml\ndocument: {year: 2008}\n"  # its own outputs: output/2008/…
CHILD = YEAR + 'blocks:\n  trends:\n    text: "New text: {{ pop }}."\n'


def test_a_change_that_a_base_override_replaces_is_an_error_at_the_change(
    project: Path,
) -> None:
    write(project, "child.yaml", CHILD)
    code, err = check("child.yaml")
    assert code == 65
    errors = [line for line in err.splitlines() if line.startswith("Error")]
    assert len(errors) == 1, err  # once, not once per edition
    assert errors[0].startswith(
        "Error: factsheets/child.yaml:5:11: pages[0].blocks[0].paragraph.text: `text` of block "
        "'trends' is changed here, but the base spec's override at factsheets/base.yaml:"
        f"{line_of(BASE, 'Regional text')}:"
    )
    assert "(`editions.overrides[0]`, when {continent: [Africa, Americas]})" in errors[0]
    assert "write `editions.overrides` in this spec (a list replaces the base's" in errors[0]
    assert errors[0].endswith("[editions continent=Africa; continent=Americas]")


def test_the_change_builds_once_the_child_writes_its_own_overrides(project: Path) -> None:
    own = (
        "editions:\n  overrides:\n    - when: {continent: [Africa, Americas]}\n"
        '      blocks: {trends: {text: "New regional text: {{ pop }}."}}\n'
        "    - when: {continent: World}\n"  # copied: a list replaces the base's
        "      figures: {pop: {where: {continent: [Africa, Americas, Asia]}}}\n"
    )
    write(project, "child.yaml", CHILD + own)
    code, err = check("child.yaml")
    assert code == 0, err
    editions = {e.keys["continent"]: e for e in load_editions(project / "factsheets/child.yaml")}
    texts = {k: e.data["pages"][0]["blocks"][0]["paragraph"]["text"] for k, e in editions.items()}
    assert texts["Asia"] == "New text: {{ pop }}."
    assert texts["Africa"] == "New regional text: {{ pop }}."


def test_a_variable_the_base_editions_variables_replace_is_an_error(project: Path) -> None:
    """The base's `editions.variables` are set after a spec's own `variables`: a
    follow-up's `variables: {place: …}` silently did not show in any edition."""
    base = BASE.replace(
        '  output: "output/{{ year }}/{continent}.pdf"\n',
        '  output: "output/{{ year }}/{continent}.pdf"\n  variables: {place: "{{ continent }}"}\n',
    )
    write(project, "base.yaml", base)
    write(project, "child.yaml", YEAR + "variables:\n  place: the whole world\n")
    code, err = check("child.yaml")
    assert code == 65
    assert (
        "factsheets/child.yaml:4:10: variables.place: variable `place` is set here, but the "
        "base spec's `editions.variables` at factsheets/base.yaml:"
    ) in err
    assert "[all 4 editions]" in err
    fixed = YEAR + "editions: {variables: {place: the whole world}}\n"
    write(project, "child.yaml", fixed)
    assert check("child.yaml")[0] == 0


def test_a_changed_variable_that_a_base_override_replaces_is_an_error(project: Path) -> None:
    write(project, "child.yaml", YEAR + "variables:\n  note: Figures for 2008.\n")
    code, err = check("child.yaml")
    assert code == 65
    assert (
        "factsheets/child.yaml:4:9: variables.note: variable `note` is changed here, but the "
        "base spec's override"
    ) in err


def test_a_base_override_of_a_field_the_child_leaves_alone_is_no_error(project: Path) -> None:
    write(project, "child.yaml", YEAR + 'blocks:\n  notes: {text: "Notes."}\n')
    code, err = check("child.yaml")
    assert code == 0, err


def test_a_block_the_child_removes_is_left_alone_by_the_base_overrides(project: Path) -> None:
    write(project, "child.yaml", YEAR + "blocks:\n  trends: null\n")
    code, err = check("child.yaml")
    assert "unknown block id" not in err
    assert code == 0, err


# --- 2. an override that matches nothing --------------------------------------------


def test_an_override_naming_a_value_no_edition_has_is_an_error(project: Path) -> None:
    write(project, "typo.yaml", BASE.replace("[Africa, Americas]}", "[Africa, America]}"))
    code, err = check("typo.yaml")
    assert code == 65
    line = line_of(BASE, "when: {continent: [Africa, Americas]}")
    assert (
        f"Error: factsheets/typo.yaml:{line}:34: editions.overrides[0].when.continent[1]: no "
        "edition has continent 'America', so this matches nothing (did you mean 'Americas'?)"
    ) in err


def test_an_exclusion_naming_a_value_no_edition_has_is_an_error(project: Path) -> None:
    text = BASE.replace("  overrides:\n", "  exclude: [{continent: Asai}]\n  overrides:\n")
    write(project, "typo.yaml", text)
    code, err = check("typo.yaml")
    assert code == 65
    assert "editions.exclude[0].continent: no edition has continent 'Asai'" in err
    assert "(did you mean 'Asia'?)" in err


def test_an_override_that_every_exclusion_leaves_out_is_an_error(project: Path) -> None:
    text = BASE.replace("  overrides:\n", "  exclude: [{continent: World}]\n  overrides:\n")
    write(project, "excluded.yaml", text)
    code, err = check("excluded.yaml")
    assert code == 65
    assert "editions.overrides[1].when: this override matches no edition" in err


# --- 3. null removes, a full definition adds ----------------------------------------

REMOVING = BASE.replace(
    "        pop: {where: {continent: [Africa, Americas, Asia]}}\n",
    "        pop: {where: {continent: null}, format: {decimals: null}}\n"
    "        first_year: {source: gap, column: year, aggregate: min}\n"
    "      blocks:\n"
    "        notes: null\n"
    '        trends: {text: "World: {{ pop }} since {{ first_year }}."}\n',
)


def test_null_in_an_override_removes_a_filter_a_format_option_and_a_block(
    project: Path,
) -> None:
    spec = write(project, "null.yaml", REMOVING)
    world, africa, *_ = load_editions(spec)
    figures = plan_edition(world).data.figures
    assert figures["pop"].text == "503"  # every continent, in the default format
    assert figures["first_year"].text == "1,952"
    assert [b["paragraph"]["id"] for b in world.data["pages"][0]["blocks"]] == ["trends"]
    # Other editions keep the filter, the format and the block.
    assert plan_edition(africa).data.figures["pop"].text == "170.0"
    assert len(africa.data["pages"][0]["blocks"]) == 2
    code, err = check("null.yaml")
    assert code == 0, err


def test_a_figure_added_by_an_override_needs_a_full_definition(project: Path) -> None:
    partial = REMOVING.replace(
        "        first_year: {source: gap, column: year, aggregate: min}\n",
        "        popp: {where: {year: 1952}}\n",
    )
    write(project, "partial.yaml", partial)
    code, err = check("partial.yaml")
    assert code == 65
    assert (
        "editions.overrides[1].figures.popp: override names figure 'popp', which the spec does "
        "not declare (did you mean 'pop'? Or add a figure for these editions only by giving "
        "its full definition: `source` and `column`"
    ) in err
