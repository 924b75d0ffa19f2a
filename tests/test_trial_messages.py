"""Messages that misled new users who wrote real specs from the docs alone (issue 9,
trials). Each test quotes the situation of a trial and fails on the code before the fix:
the message said something untrue, gave a fix that cannot work, used PyYAML's or
pydantic's wording, or pointed at the wrong line."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from factsheet.cli import main
from tests.projects import make_project

DATA = """\
country,continent,year,lifeExp,pop
Nigeria,Africa,2007,46.9,135031164
Kenya,Africa,2007,54.1,35610177
Brazil,Americas,2007,72.4,190010647
Chile,Americas,2007,78.6,16284741
Nigeria,Africa,1952,36.3,33119096
Brazil,Americas,1952,50.9,56602560
"""

HEAD = """\
document: {title: Life by continent, author: M&E Unit, year: 2007, pages: 1}
theme: un-blue
data:
  gap: {file: data/gapminder.csv}
"""

FIGURE = """\
figures:
  pop_2007:
    source: gap
    where: {continent: "{{ continent }}", year: 2007}
    column: pop
    aggregate: sum
"""

PAGES = """\
pages:
  - blocks:
      - heading: {id: intro-heading, text: "{{ continent }} in {{ year }}"}
      - paragraph: {id: lead, text: "{{ pop_2007 }} people."}
      - paragraph: {id: more, text: "More text."}
"""

EDITIONS = """\
editions:
  matrix: {continent: [Africa, Americas]}
  output: "output/{{ year }}/{continent}.pdf"
"""

SPEC = HEAD + FIGURE + PAGES + EDITIONS


@pytest.fixture
def project(tmp_path: Path) -> Iterator[Path]:
    root = make_project(tmp_path, {"gapminder.csv": DATA})
    old = Path.cwd()
    os.chdir(root)
    yield root
    os.chdir(old)


def check(project: Path, text: str, name: str = "trial.yaml", *more: str) -> tuple[int, str]:
    (project / "factsheets" / name).write_text(text)
    result = CliRunner().invoke(main, ["check", f"factsheets/{name}", *more])
    return result.exit_code, result.stderr


def errors(err: str) -> list[str]:
    return [line for line in err.splitlines() if line.startswith("Error")]


def test_the_trial_spec_checks(project: Path) -> None:
    code, err = check(project, SPEC)
    assert code == 0, err


# --- 4, 5: indentation -----------------------------------------------------------------


def test_a_field_dedented_under_an_extends_block_says_what_happened(project: Path) -> None:
    (project / "factsheets" / "base.yaml").write_text(SPEC)
    child = 'extends: base.yaml\ndocument: {year: 2008}\nblocks:\n  lead:\n  text: "New."\n'
    code, err = check(project, child, "child.yaml")
    assert code == 65
    assert errors(err) == [
        "Error: factsheets/child.yaml:5:3: blocks.text: the base spec has no block with id "
        "'text' (`lead:` just above has nothing under it, so it removes block 'lead' (as "
        "`lead: null` does); if `text` is meant to change 'lead', indent `text:` under `lead:`)"
    ]


def test_a_heading_level_on_the_next_line_says_where_it_belongs(project: Path) -> None:
    spec = SPEC.replace(
        '      - heading: {id: intro-heading, text: "{{ continent }} in {{ year }}"}\n',
        "      - heading: Population by continent, 2007\n        level: 2\n",
    )
    code, err = check(project, spec)
    assert code == 65
    assert (
        "pages[0].blocks[0]: `level` belongs inside `heading`: write `heading: {text: "
        '"Population by continent, 2007", level: 2}`'
    ) in err
    assert "start a new list item" not in err


def test_a_dedented_callout_text_in_a_new_extends_block(project: Path) -> None:
    (project / "factsheets" / "base.yaml").write_text(SPEC)
    child = (
        "extends: base.yaml\ndocument: {year: 2008}\nblocks:\n  outlook:\n    after: lead\n"
        "    callout:\n    text: Looking ahead.\n"
    )
    code, err = check(project, child, "child.yaml")
    assert code == 65
    assert (
        "blocks.outlook: the new block 'outlook': `text` belongs inside `callout`: indent "
        "`text:` under `callout:`"
    ) in err
    assert "names 2 kinds" not in err


# --- 6: advice that works ----------------------------------------------------------------


def test_a_template_in_a_derived_source_suggests_filtering_rows(project: Path) -> None:
    derived = '  mine:\n    from: "{{ continent }}"\n    group_by: [year]\n'
    derived += "    aggregate: {people: {sum: pop}}\n"
    code, err = check(project, SPEC.replace("figures:\n", derived + "figures:\n", 1))
    assert code == 65
    assert "data.mine.from: `from` is not a template: it names a data source" in err
    assert "use `editions.overrides`" not in err
    assert "filter them with `where` and the edition's key, such as `where: {region: \"{{" in err


# --- 7, 8: YAML and commas -------------------------------------------------------------


@pytest.mark.parametrize(
    ("before", "after", "said"),
    [
        (  # mapping values are not allowed in this context
            '      - paragraph: {id: more, text: "More text."}\n',
            "      - paragraph:\n          id: more\n          text: Note: more text.\n",
            "`: ` inside a text: YAML reads it as the start of another value (put text that "
            "holds `: `, a comma, `#` or a quote in quotes",
        ),
        (  # found a tab character that violates indentation
            "  gap: {file: data/gapminder.csv}\n",
            "  gap: {file: data/gapminder.csv}\n\tnotes: x\n",
            "a tab character: YAML indents with spaces only (replace it with spaces",
        ),
        (  # did not find expected ',' or '}' while parsing a flow mapping
            '      - paragraph: {id: more, text: "More text."}\n',
            '      - paragraph: {id: more, text: "More text.", style: lead\n',
            "the `{…}` that opens on line 15 is not closed where YAML expects it (inside `{…}` "
            "a comma separates entries",
        ),
        (  # keys must be text, got None
            '      - paragraph: {id: more, text: "More text."}\n',
            "      - paragraph: {id: more, null: x}\n",
            "a key here is empty or `null`; a key is a name, such as a field or a block id",
        ),
    ],
)
def test_yaml_mistakes_are_said_in_plain_words(
    project: Path, before: str, after: str, said: str
) -> None:
    assert before in SPEC
    code, err = check(project, SPEC.replace(before, after))
    assert code == 65
    (line,) = errors(err)
    assert said in line
    for words in ("mapping values", "scanning", "parsing", "got None", "violates"):
        assert words not in line


def test_an_unquoted_comma_inside_braces_is_explained(project: Path) -> None:
    spec = SPEC.replace(
        '{id: more, text: "More text."}',
        "{id: more, text: life expectancy at birth, weighted by population}",
    )
    code, err = check(project, spec)
    assert code == 65
    assert (
        "unknown key 'weighted by population' (a comma inside `{…}` separates keys, so the "
        "text after it was read as a key: put text that holds a comma in quotes: `text: "
        '"life expectancy at birth, weighted by population"`)'
    ) in err


# --- 9, 10, 11: figures where they are not -------------------------------------------


def test_a_figure_over_several_rows_suggests_an_aggregate(project: Path) -> None:
    code, err = check(project, SPEC.replace("    aggregate: sum\n", ""))
    assert code == 65
    assert "but aggregate 'value' needs exactly one" in err
    assert "or combine the rows: `aggregate: sum`, or `mean` (with `weight: <column>`" in err


def test_a_change_over_several_rows_points_to_figures_of_figures(project: Path) -> None:
    spec = SPEC.replace(
        "    aggregate: sum\n",
        "    aggregate: change\n    from: {year: 1952}\n    to: {year: 2007}\n",
    ).replace('where: {continent: "{{ continent }}", year: 2007}', "where: {}")
    code, err = check(project, spec)
    assert code == 65
    assert "`change` compares one row (`from`) with one row (`to`)" in err
    assert "a third with `change: [earlier, later]` or `difference: [later, earlier]`" in err


def test_a_figure_in_a_variable_says_variables_come_first(project: Path) -> None:
    spec = SPEC.replace("figures:\n", 'variables:\n  intro: "{{ pop_2007 }} people"\nfigures:\n')
    code, err = check(project, spec)
    assert code == 65
    assert (
        "variables.intro: 'pop_2007' is a figure, and a variable cannot use figures: variables "
        "are rendered first, before any figure is computed (write `{{ pop_2007 }}` in the text "
        "itself"
    ) in err
    assert "unknown name" not in err


def test_format_on_a_tile_points_at_the_figure(project: Path) -> None:
    tiles = (
        "      - key_figures:\n          tiles:\n"
        '            - {number: "{{ pop_2007 }}", label: people, format: {style: compact}}\n'
    )
    spec = SPEC.replace("      - paragraph: {id: more", tiles + "      - paragraph: {id: more")
    code, err = check(project, spec)
    assert code == 65
    assert (
        "key_figures.tiles[0].format: unknown key 'format' (a tile prints its figure as "
        "written: set how the number looks with the figure's own `format` under `figures`"
    ) in err


# --- 12, 13, 14: files and lines -----------------------------------------------------


def test_a_data_file_without_its_folder_suggests_the_project_path(project: Path) -> None:
    code, err = check(project, SPEC.replace("file: data/gapminder.csv", "file: gapminder.csv"))
    assert code == 66
    assert "data file 'gapminder.csv' does not exist (paths are taken from the project " in err
    assert "did you mean 'data/gapminder.csv'?)" in err


def test_an_unknown_figure_column_is_reported_at_its_line(project: Path) -> None:
    code, err = check(project, SPEC.replace("    column: pop\n", "    column: population\n"))
    assert code == 65
    assert "factsheets/trial.yaml:9:13: figures.pop_2007.column: unknown column 'population'" in (
        err
    )


def test_an_unknown_filter_column_is_reported_at_its_key(project: Path) -> None:
    code, err = check(project, SPEC.replace("where: {continent:", "where: {contnent:"))
    assert code == 65
    assert "factsheets/trial.yaml:8:23: figures.pop_2007.where.contnent: unknown column" in err


def test_a_missing_base_spec_is_a_missing_input(project: Path) -> None:
    code, err = check(project, "extends: 2021.yaml\n", "child.yaml")
    assert code == 66
    assert "the base spec '2021.yaml' does not exist" in err


# --- 15: who writes which file -------------------------------------------------------

BASE_GLOBAL = SPEC.replace(
    "  matrix: {continent: [Africa, Americas]}\n", "  matrix: {continent: [World, Africa]}\n"
).replace(
    'output: "output/{{ year }}/{continent}.pdf"\n',
    'output: "output/{{ year }}/{continent}.pdf"\n'
    "  overrides:\n"
    "    - when: {continent: World}\n"
    '      output: "output/{{ year }}.pdf"\n'
    "      figures: {pop_2007: {where: {continent: null}}}\n",
)


def test_a_draft_copy_of_a_follow_up_is_told_where_and_whose_paths_clash(
    project: Path,
) -> None:
    (project / "factsheets" / "base.yaml").write_text(BASE_GLOBAL)
    follow_up = "extends: base.yaml\ndocument: {year: 2008}\n"
    (project / "factsheets" / "2008.yaml").write_text(follow_up)
    assert CliRunner().invoke(main, ["build", "factsheets/2008.yaml"]).exit_code == 0
    draft = follow_up + 'blocks:\n  lead: {text: "{{ pop_207 }} people."}\n'
    code, err = check(project, draft, "2008-draft.yaml")
    assert code == 65
    found = errors(err)
    # The path of the World edition comes from the base's override, at its own line, and
    # the message names the spec being checked; the typo is reported in the same run.
    override = next(n for n, t in enumerate(BASE_GLOBAL.splitlines(), 1) if "output/{{ y" in t)
    assert any(
        line.startswith(
            f"Error: factsheets/base.yaml:{override + 3}:15: editions.overrides[0].output: "
            "output/2008.pdf belongs to factsheets/2008.yaml, as recorded in "
            "output/2008.manifest.json: factsheets/2008-draft.yaml would overwrite it"
        )
        and "this path is set by an override of the base spec" in line
        and line.endswith("[edition continent=World]")
        for line in found
    ), err
    assert any("unknown name 'pop_207'" in line for line in found), err


def test_a_follow_up_writing_its_bases_files_is_one_error_at_the_output_line(
    project: Path,
) -> None:
    (project / "factsheets" / "base.yaml").write_text(SPEC)
    code, err = check(project, "extends: base.yaml\n", "child.yaml")
    assert code == 65
    output = next(n for n, t in enumerate(SPEC.splitlines(), 1) if "  output:" in t)
    assert errors(err) == [
        f"Error: factsheets/base.yaml:{output}:11: editions.output: output/2007/africa.pdf, "
        "output/2007/americas.pdf would be written by factsheets/child.yaml and by its base "
        "spec factsheets/base.yaml too: the new factsheets would replace the base's (set this "
        "spec's own `document.year`, or give it its own `editions.output`)  [all 2 editions]"
    ]


def test_a_spec_without_an_output_key_is_pointed_at_its_document(project: Path) -> None:
    single = HEAD + PAGES.replace("{{ continent }}", "Africa").replace("{{ pop_2007 }}", "Some")
    (project / "factsheets" / "a.yaml").write_text(single)
    other = single.replace("year: 2007,", "year: 2007, output: output/a.pdf,")
    (project / "factsheets" / "b.yaml").write_text(other)
    result = CliRunner().invoke(main, ["check", "factsheets/a.yaml", "factsheets/b.yaml"])
    assert result.exit_code == 65
    assert (
        "Error: factsheets/a.yaml:1:1: document: output/a.pdf would also be written by "
        "factsheets/b.yaml in this command: one would silently replace the other (give each "
        "spec its own output path: set `document.output` in one of them)"
    ) in result.stderr
    assert "{region}" not in result.stderr


# --- 16: blocks by their id -----------------------------------------------------------


def test_the_empty_band_warning_names_blocks_by_their_id(project: Path) -> None:
    code, err = check(project, SPEC)
    assert code == 0
    assert "below the paragraph 'more', down to the bottom margin" in err
    assert "pages[0].blocks[2]" not in err


def test_the_tile_overflow_hint_says_the_format_goes_on_the_figure(tmp_path: Path) -> None:
    from factsheet.build import render
    from factsheet.errors import LayoutError
    from tests.test_tiles import DATA as TILE_DATA
    from tests.test_tiles import TOO_WIDE, spec

    root = make_project(tmp_path / "tiles", {"country.csv": TILE_DATA})
    path = root / "factsheets" / "tiles.yaml"
    path.write_text(spec(TOO_WIDE))
    with pytest.raises(LayoutError) as caught:
        render(path)
    assert "(`format: {style: compact}` on the figure it prints, under `figures`)" in (
        caught.value.hint
    )
