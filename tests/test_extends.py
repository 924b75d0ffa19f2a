"""`extends:`: a spec that takes a base spec and changes what differs. The yearly
follow-up of the demo (tests/fixtures/yearly/2022.yaml) builds from a few dozen lines;
merged values keep the file and line they were written on; chains work; loops, bases
outside the project and unknown block ids are located errors; a change to the base is
noticed by incremental builds."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from factsheet.cli import main
from factsheet.editions.expanded import editions_of
from factsheet.errors import FactsheetError
from factsheet.spec.extends import load_spec_yaml
from factsheet.spec.validate import load_spec
from tests.projects import make_project

ROOT = Path(__file__).resolve().parents[1]
YEARLY = Path(__file__).parent / "fixtures" / "yearly"


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo project with the 2022 follow-up and its data added."""
    root = tmp_path_factory.mktemp("yearly")
    for folder in ("assets", "data", "factsheets", "translations"):
        shutil.copytree(ROOT / folder, root / folder)
    shutil.copy(YEARLY / "2022.yaml", root / "factsheets" / "2022.yaml")
    shutil.copy(YEARLY / "iom_2022.csv", root / "data" / "iom_2022.csv")
    # Last year's catalogs start this year's (the texts the follow-up rewrites are shown
    # in English, with a warning, until `translations update` and a translator catch up).
    shutil.copytree(root / "translations" / "2021", root / "translations" / "2022")
    return root


@pytest.fixture
def cwd(tmp_path: Path) -> Iterator[Path]:
    old = Path.cwd()
    os.chdir(tmp_path)
    yield tmp_path
    os.chdir(old)


def run(root: Path, *args: str) -> tuple[int, str, str]:
    old = Path.cwd()
    os.chdir(root)
    try:
        result = CliRunner().invoke(main, list(args))
    finally:
        os.chdir(old)
    return result.exit_code, result.stdout, result.stderr


def pdf_text(path: Path) -> str:
    import pypdfium2

    document = pypdfium2.PdfDocument(path)
    return "\n".join(page.get_textpage().get_text_range() for page in document)


# --- the yearly follow-up ---------------------------------------------------------------


def test_the_yearly_follow_up_is_a_few_dozen_lines() -> None:
    lines = (YEARLY / "2022.yaml").read_text().splitlines()
    spec_lines = [line for line in lines if line.strip() and not line.lstrip().startswith("#")]
    assert len(spec_lines) <= 40
    assert len((ROOT / "factsheets" / "2021.yaml").read_text().splitlines()) > 250


def test_the_yearly_follow_up_builds_with_this_years_facts(demo: Path) -> None:
    code, out, err = run(demo, "build", "factsheets/2022.yaml")
    assert code == 0, out + err
    assert "11 built" in out
    # Outputs follow the year: last year's PDFs are not touched.
    assert (demo / "output" / "2022" / "en" / "global.pdf").is_file()
    assert (demo / "output" / "2022" / "en" / "africa.pdf").is_file()
    assert (demo / "output" / "2022" / "fr" / "global.pdf").is_file()
    assert not (demo / "output" / "2021").exists()
    text = pdf_text(demo / "output" / "2022" / "en" / "global.pdf")
    assert "FACTSHEET · 2022" in text
    assert "Operational support in 2022" in text
    assert "Throughout 2022 IOM" in text and "Throughout 2021" not in text
    assert "596" in text and "migration officials trained in 2022" in text  # iom_2022.csv
    assert "Looking ahead." in text  # added after `training`
    assert "Going digital" not in text  # removed
    # Charts of data the follow-up did not change still cite where it came from.
    assert "Source: IOM, 2021, based on UN DESA data." in text
    assert "Source: IOM, 2022" not in text
    # What the follow-up does not say comes from the base.
    assert "Human mobility in the Global South" in text
    regional = pdf_text(demo / "output" / "2022" / "en" / "africa.pdf")
    assert "officials trained in 2022" in regional and "Africa" in regional


def test_the_base_still_builds_as_before(demo: Path) -> None:
    code, out, err = run(demo, "build", "--edition", "region=Global", "factsheets/2021.yaml")
    assert code == 0, out + err
    text = pdf_text(demo / "output" / "2021" / "en" / "global.pdf")
    assert "Throughout 2021 IOM" in text and "Going digital" in text


def test_a_change_to_the_base_is_noticed(demo: Path) -> None:
    spec = demo / "factsheets" / "2022.yaml"
    code, out, _ = run(demo, "build", "--edition", "language=en", "factsheets/2022.yaml")
    assert code == 0
    again = run(demo, "build", "--edition", "language=en", "factsheets/2022.yaml")[1]
    assert again.startswith("up to date")
    base = demo / "factsheets" / "2021.yaml"
    saved = base.read_text()
    try:
        base.write_text(saved.replace("Human mobility in {{ place }}", "Mobility in {{ place }}"))
        assert editions_of(spec)[0].data["pages"][0]["blocks"][2]["heading"].startswith("Mobility")
        code, out, err = run(demo, "build", "--edition", "language=en", "factsheets/2022.yaml")
        assert code == 0, err
        assert out.startswith("built"), out
        english = demo / "output" / "2022" / "en" / "global.pdf"
        assert "Mobility in the Global South" in pdf_text(english)
    finally:
        base.write_text(saved)


def test_an_error_in_a_base_value_points_at_the_base(demo: Path, tmp_path: Path) -> None:
    root = tmp_path / "p"
    shutil.copytree(demo, root, ignore=shutil.ignore_patterns("output"))
    base = root / "factsheets" / "2021.yaml"
    base.write_text(base.read_text().replace("          x: measure\n", "          x: measur\n"))
    child = root / "factsheets" / "2022.yaml"
    child.write_text(child.read_text().replace("  year: 2022", "  year: 2022\n  pages: 0"))
    code, _, err = run(root, "check", "--edition", "region=Global", "factsheets/2022.yaml")
    assert code == 65
    assert "factsheets/2022.yaml:11:10: document.pages: `pages` must be at least 1" in err
    # Validation stops at the first: fix it, and the base's own line is reported.
    child.write_text(child.read_text().replace("  pages: 0\n", ""))
    code, _, err = run(root, "check", "--edition", "region=Global", "factsheets/2022.yaml")
    assert code == 65
    assert "factsheets/2021.yaml:219:14: pages[1].blocks[7].chart.x: unknown column 'measur'" in err


# --- merging ----------------------------------------------------------------------------

BASE = """\
document: {title: Base, author: A, subtitle: Sub, year: 2021}
theme: un-blue
variables: {place: Africa, unit: people}
pages:
  - blocks:
      - heading: {id: top, text: "Top {{ place }}"}
      - paragraph: {id: intro, text: Intro, style: lead}
      - paragraph: {id: outro, text: Outro}
"""


def project(tmp_path: Path, **specs: str) -> Path:
    return make_project(tmp_path, specs={f"{name}.yaml": text for name, text in specs.items()})


def test_mappings_merge_and_null_removes_a_key(tmp_path: Path) -> None:
    root = project(
        tmp_path,
        base=BASE,
        child="extends: base.yaml\n"
        "document: {title: Child, subtitle: null}\n"
        "variables: {place: Asia}\n",
    )
    spec = load_spec(root / "factsheets" / "child.yaml").spec
    assert spec.document.title == "Child"
    assert spec.document.author == "A"  # from the base
    assert spec.document.subtitle == ""  # removed: back to its default
    assert spec.variables == {"place": "Asia", "unit": "people"}
    assert spec.extends is None and spec.blocks == {}  # consumed by the merge


def test_blocks_are_changed_added_moved_and_removed_by_id(tmp_path: Path) -> None:
    child = """\
extends: base.yaml
blocks:
  intro: {text: New intro}
  outro: null
  added: {before: top, paragraph: Added first}
  top: {after: intro}
"""
    root = project(tmp_path, base=BASE, child=child)
    blocks = load_spec(root / "factsheets" / "child.yaml").spec.pages[0].blocks
    assert [(b.kind, b.body.id) for b in blocks] == [
        ("paragraph", "added"),
        ("paragraph", "intro"),
        ("heading", "top"),
    ]
    assert blocks[1].paragraph is not None
    assert (blocks[1].paragraph.text, blocks[1].paragraph.style) == ("New intro", "lead")


def test_a_chain_of_bases(tmp_path: Path) -> None:
    root = project(
        tmp_path,
        base=BASE,
        middle="extends: base.yaml\ndocument: {title: Middle}\nblocks: {outro: null}\n",
        child="extends: middle.yaml\ndocument: {subtitle: Child}\n",
    )
    loaded = load_spec_yaml(root / "factsheets" / "child.yaml", root)
    assert [p.name for p in loaded.files] == ["child.yaml", "middle.yaml", "base.yaml"]
    spec = load_spec(root / "factsheets" / "child.yaml").spec
    assert (spec.document.title, spec.document.subtitle) == ("Middle", "Child")
    assert len(spec.pages[0].blocks) == 2


def test_marks_keep_their_file(tmp_path: Path, cwd: Path) -> None:
    root = project(tmp_path, base=BASE, child="extends: base.yaml\nblocks: {intro: {text: X}}\n")
    source_map = load_spec_yaml(root / "factsheets" / "child.yaml", root).source_map
    intro = ("pages", 0, "blocks", 1, "paragraph")
    at_child = source_map.locate((*intro, "text"))
    at_base = source_map.locate((*intro, "style"))
    assert (at_child.file, at_child.line) == (root / "factsheets" / "child.yaml", 2)
    assert (at_base.file, at_base.line) == (root / "factsheets" / "base.yaml", 7)


def error_of(root: Path, name: str = "child") -> FactsheetError:
    with pytest.raises(FactsheetError) as info:
        load_spec(root / "factsheets" / f"{name}.yaml")
    return info.value


def test_unknown_block_id_has_did_you_mean(tmp_path: Path, cwd: Path) -> None:
    root = project(tmp_path, base=BASE, child="extends: base.yaml\nblocks:\n  intr: {text: X}\n")
    error = error_of(root)
    assert str(error) == (
        "factsheets/child.yaml:3:3: blocks.intr: the base spec has no block with id "
        "'intr' (did you mean 'intro'? Or to add a block, give it `after: <id>` or `before: <id>`)"
    )


def test_a_new_block_must_name_an_existing_anchor(tmp_path: Path) -> None:
    child = "extends: base.yaml\nblocks:\n  extra: {after: intr, paragraph: X}\n"
    error = error_of(project(tmp_path, base=BASE, child=child))
    assert "`after` names no block: there is no block with id 'intr'" in error.message
    assert error.hint == "did you mean 'intro'?"
    assert error.location is not None and error.location.line == 3


def test_a_loop_of_bases_is_a_located_error(tmp_path: Path, cwd: Path) -> None:
    root = project(
        tmp_path,
        a="extends: b.yaml\n",
        b="# b\nextends: c.yaml\n",
        c="extends: a.yaml\n",
    )
    error = error_of(root, "a")
    assert error.location is not None
    assert (error.location.file, error.location.line) == (root / "factsheets" / "c.yaml", 1)
    assert "`extends` makes a loop:" in error.message
    assert error.message == (
        "`extends` makes a loop: "
        "factsheets/a.yaml → factsheets/b.yaml → factsheets/c.yaml → factsheets/a.yaml"
    )
    assert isinstance(error_of(project(tmp_path / "x", a="extends: a.yaml\n"), "a"), FactsheetError)


@pytest.mark.parametrize(
    ("written", "message"),
    [
        ("../../outside.yaml", "the base spec '../../outside.yaml' is outside the project"),
        ("/etc/passwd", "`extends` path '/etc/passwd' must be relative to this spec's folder"),
        ("bsae.yaml", "the base spec 'bsae.yaml' does not exist"),
        ("[a]", "`extends` takes the path of a base spec, such as 2021.yaml"),
    ],
)
def test_bad_bases(tmp_path: Path, written: str, message: str) -> None:
    (tmp_path / "outside.yaml").write_text(BASE)
    root = project(tmp_path / "project", base=BASE, child=f"extends: {written}\n")
    error = error_of(root)
    assert error.message == message
    assert error.location is not None and error.location.line == 1
    if written == "bsae.yaml":
        assert error.hint == "did you mean 'base.yaml'?"


def test_blocks_without_extends_is_an_error(tmp_path: Path) -> None:
    root = project(tmp_path, child=BASE + "blocks: {intro: {text: X}}\n")
    assert "`blocks` changes the blocks of a base spec" in error_of(root).message


def test_a_spec_that_would_write_its_bases_pdfs_is_an_error(tmp_path: Path, cwd: Path) -> None:
    base = BASE + 'editions:\n  matrix: {part: [a, b]}\n  output: "output/{part}.pdf"\n'
    root = project(tmp_path, base=base, child="extends: base.yaml\n")
    # One error, at the line that sets the paths, for the editions it concerns; it is
    # reported with each edition's other problems, not instead of them.
    editions = editions_of(root / "factsheets" / "child.yaml")
    (error,) = editions[0].problems
    assert editions[1].problems == (error,)
    assert str(error).startswith(
        "factsheets/base.yaml:11:11: editions.output: output/a.pdf, output/b.pdf would be "
        "written by factsheets/child.yaml and by its base spec factsheets/base.yaml too"
    )
    assert "use `{{ year }}` in the base's output paths" in str(error)
    code, _, err = run(root, "check", "factsheets/child.yaml")
    assert code == 65
    assert err.count("would be written by factsheets/child.yaml") == 1 and "[all 2 editions]" in err
    # With the year in the base's output, a child for another year writes its own files.
    dated = base.replace('"output/{part}.pdf"', '"output/{{ year }}/{part}.pdf"')
    root = project(
        tmp_path / "dated", base=dated, child="extends: base.yaml\ndocument: {year: 2022}\n"
    )
    outputs = [e.output for e in editions_of(root / "factsheets" / "child.yaml")]
    assert outputs == [root / "output/2022/a.pdf", root / "output/2022/b.pdf"]
