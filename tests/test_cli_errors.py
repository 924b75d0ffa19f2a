"""Bad input through the CLI: a one-line located error, a meaningful exit code, no
traceback, and the previous good PDF left byte-identical."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from factsheet.cli import main

ROOT = Path(__file__).resolve().parents[1]
SPEC = "factsheets/2021.yaml"
# The global edition is the subject here; other editions have their own tests.
BUILD = ["build", "--edition", "region=Global", SPEC]


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A demo project with a good build in output/, copied for each case."""
    root = tmp_path_factory.mktemp("good")
    for folder in ("assets", "data", "factsheets"):
        shutil.copytree(ROOT / folder, root / folder)
    with _cwd(root):
        result = CliRunner().invoke(main, BUILD)
    assert result.exit_code == 0, result.output
    return root


@pytest.fixture
def project(template: Path, tmp_path: Path) -> Iterator[Path]:
    root = tmp_path / "project"
    shutil.copytree(template, root)
    with _cwd(root):
        yield root


class _cwd:
    def __init__(self, path: Path) -> None:
        self.path, self.old = path, Path.cwd()

    def __enter__(self) -> None:
        os.chdir(self.path)

    def __exit__(self, *exc: object) -> None:
        os.chdir(self.old)


def edit(path: str, old: str, new: str) -> Callable[[Path], None]:
    def apply(root: Path) -> None:
        file = root / path
        text = file.read_text()
        assert old in text, f"{old!r} not in {path}"
        file.write_text(text.replace(old, new, 1))

    return apply


def remove(path: str) -> Callable[[Path], None]:
    return lambda root: (root / path).unlink()


CASES = [
    pytest.param(
        remove(SPEC),
        66,
        "Error: factsheets/2021.yaml: file 'factsheets/2021.yaml' does not exist",
        id="missing-spec",
    ),
    pytest.param(
        edit(SPEC, "  title: IOM and", "  title: [IOM and"),
        65,
        "Error: factsheets/2021.yaml:10:11: YAML syntax error: ",
        id="yaml-syntax",
    ),
    pytest.param(
        edit(SPEC, "  subtitle:", "  subtitel:"),
        65,
        "Error: factsheets/2021.yaml:10:3: document.subtitel: unknown key 'subtitel' "
        "(did you mean 'subtitle'?)",
        id="unknown-key",
    ),
    pytest.param(
        edit(SPEC, '      - heading: "Human', '      - headng: "Human'),
        65,
        "unknown block kind 'headng' (did you mean 'heading'?)",
        id="unknown-block-kind",
    ),
    pytest.param(
        remove("data/ldc_shares.csv"),
        66,
        "data.ldc.file: data file 'data/ldc_shares.csv' does not exist",
        id="missing-data-file",
    ),
    pytest.param(
        edit(
            SPEC,
            '          y: share\n          title: "{{ born',
            '          y: shrae\n          title: "{{ born',
        ),
        65,
        "pages[0].blocks[5].chart.y: unknown column 'shrae' in data/south_born_share.csv "
        "(columns: region, year, share; did you mean 'share'?)",
        id="missing-column",
    ),
    pytest.param(
        edit(
            SPEC,
            "    column: share\n    format: {style: percent}\n  south_share_2017",
            "    column: shares\n    format: {style: percent}\n  south_share_2017",
        ),
        65,
        "figures.south_share_2000: unknown column 'shares'",
        id="figure-column",
    ),
    pytest.param(
        remove("assets/photos/evening-glow.jpg"),
        66,
        "pages[0].blocks[0].hero: image file 'assets/photos/evening-glow.jpg' does not exist",
        id="missing-image",
    ),
    pytest.param(
        remove("assets/fonts/lato/Lato-Bold.ttf"),
        66,
        "assets/themes/un-blue.yaml:19:11: fonts.sans.bold: "
        "file 'assets/fonts/lato/Lato-Bold.ttf' does not exist",
        id="missing-font",
    ),
    pytest.param(
        edit(SPEC, "theme: un-blue", "theme: un-blu"),
        66,
        "theme 'un-blu' not found in assets/themes/ (did you mean 'un-blue'?)",
        id="missing-theme",
    ),
    pytest.param(
        edit(SPEC, "{{ offices }} offices", "{{ ofices }} offices"),
        65,
        "unknown name 'ofices' in template (did you mean 'offices'?)",
        id="template-name",
    ),
    pytest.param(
        edit(SPEC, "height: 36mm", "height: 136mm"),
        65,
        "content overflows page 2 by",
        id="overflow",
    ),
    pytest.param(
        edit(SPEC, "  pages: 2", "  pages: 1"),
        65,
        "the factsheet needs 2 pages but its budget is 1",
        id="page-budget",
    ),
    pytest.param(
        edit(SPEC, '{{ region }}", year: 2000}', '{{ region }}", year: 2001}'),
        65,
        "figures.south_share_2000:",
        id="figure-no-rows",
    ),
    pytest.param(
        edit(SPEC, "https://www.iom.int/global-compact-migration", "javascript:alert(1)"),
        65,
        "link target 'javascript:alert(1)' is not allowed",
        id="bad-link",
    ),
]


@pytest.mark.parametrize(("mutate", "code", "message"), CASES)
def test_bad_input_is_reported_and_nothing_is_lost(
    project: Path, mutate: Callable[[Path], None], code: int, message: str
) -> None:
    output = project / "output" / "2021.pdf"
    before = output.read_bytes()
    mutate(project)
    result = CliRunner().invoke(main, BUILD)
    assert result.exit_code == code, result.output
    assert message in result.stderr
    assert result.stderr.startswith("Error: ")
    assert "Traceback" not in result.output
    assert output.read_bytes() == before
    assert sorted(p.name for p in output.parent.iterdir()) == ["2021.manifest.json", "2021.pdf"]


def test_overflow_names_block_page_and_amount(project: Path) -> None:
    edit(SPEC, "height: 36mm", "height: 136mm")(project)
    result = CliRunner().invoke(main, BUILD)
    line = result.stderr.strip().splitlines()[0]
    assert line.startswith("Error: factsheets/2021.yaml:")
    assert "pages[1].blocks[" in line
    assert "overflows page 2 by" in line and "pt (" in line and " mm)" in line


def test_several_problems_are_reported_together(project: Path) -> None:
    edit(SPEC, "  subtitle:", "  subtitel:")(project)
    edit(SPEC, "  page_size: A4", "  page_size: A5")(project)
    result = CliRunner().invoke(main, BUILD)
    lines = result.stderr.strip().splitlines()
    assert lines[-1] == "2 problems found."
    assert "subtitel" in lines[0] and "A5" in lines[1]  # sorted by line


def test_success_prints_a_summary(project: Path) -> None:
    result = CliRunner().invoke(main, [*BUILD, "--force"])
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[0].startswith("built       output/2021.pdf  (region=Global; 2 pages, ")
    assert lines[-1].startswith("1 built, 0 up to date, 0 failed, 0 warnings in ")
    again = CliRunner().invoke(main, BUILD)
    assert again.stdout.splitlines()[0] == "up to date  output/2021.pdf  (region=Global)"


def test_debug_shows_the_traceback(project: Path) -> None:
    remove("data/ldc_shares.csv")(project)
    result = CliRunner().invoke(main, [*BUILD, "--debug"])
    assert result.exit_code != 0
    assert "data file 'data/ldc_shares.csv' does not exist" in result.output
