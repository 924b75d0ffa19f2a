"""Defects a red-team pass found after the first hardening round: option values that
reached the timer as nan or infinity, an output path that replaced the spec itself, a
bundle outside the project that replaced another project's PDF, and output paths shown
as the file a link leads to."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from factsheet.cli import main
from tests.projects import make_project

SPEC = """\
document: {{title: T, author: A, output: {output}}}
theme: un-blue
pages:
  - blocks:
      - paragraph: Hello.
"""


@pytest.fixture
def project(tmp_path: Path) -> Iterator[Path]:
    root = make_project(tmp_path / "p")
    old = Path.cwd()
    os.chdir(root)
    try:
        yield root
    finally:
        os.chdir(old)


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def run(*args: str, env: dict[str, str] | None = None) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args), env=env)
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    assert "Traceback" not in result.output
    return result.exit_code, result.output


@pytest.mark.parametrize("value", ["nan", "inf", "1e300", "86400000000"])
def test_a_timeout_that_is_not_a_usable_number_is_a_usage_error(project: Path, value: str) -> None:
    (project / "factsheets" / "s.yaml").write_text(SPEC.format(output="output/s.pdf"))
    code, output = run("check", "factsheets/s.yaml", "--timeout", value)
    assert code == 2, output
    assert "Invalid value for '--timeout'" in output
    code, output = run("check", "factsheets/s.yaml", env={"FACTSHEET_TIMEOUT": value})
    assert code == 2, output


def test_an_output_path_that_is_the_spec_itself_is_refused(project: Path) -> None:
    spec = project / "factsheets" / "s.pdf"
    spec.write_text(SPEC.format(output="factsheets/s.pdf"))
    before = digest(spec)
    code, output = run("build", "factsheets/s.pdf")
    assert code == 65, output
    assert "document.output: the output factsheets/s.pdf is the spec file" in output
    assert digest(spec) == before


def test_an_output_path_that_is_another_specs_file_is_refused(project: Path) -> None:
    (project / "factsheets" / "s.yaml").write_text(SPEC.format(output="factsheets/other.pdf"))
    other = project / "factsheets" / "other.pdf"
    other.write_text(SPEC.format(output="output/other.pdf"))
    before = digest(other)
    code, output = run("build", "factsheets/s.yaml", "factsheets/other.pdf")
    assert code == 65, output
    assert "is the spec file factsheets/other.pdf" in output
    assert digest(other) == before


def test_a_bundle_outside_the_project_never_replaces_another_projects_pdf(
    project: Path, tmp_path: Path
) -> None:
    elsewhere = make_project(tmp_path / "elsewhere")
    (elsewhere / "factsheets" / "e.yaml").write_text(SPEC.format(output="output/e.pdf"))
    os.chdir(elsewhere)
    assert run("build", "factsheets/e.yaml")[0] == 0
    os.chdir(project)
    pdf = elsewhere / "output" / "e.pdf"
    before = digest(pdf)
    (project / "factsheets" / "s.yaml").write_text(SPEC.format(output="output/s.pdf"))
    code, output = run("build", "factsheets/s.yaml", "--bundle", str(pdf), "--bundle-outside")
    assert code == 2, output
    assert "is a PDF of" in output and "e.manifest.json" in output
    assert digest(pdf) == before


def test_an_output_that_is_a_link_is_shown_as_the_link(project: Path) -> None:
    (project / "factsheets" / "s.yaml").write_text(SPEC.format(output="output/s.pdf"))
    (project / "output").mkdir()
    (project / "output" / "s.pdf").symlink_to("../assets/brochure.pdf")
    code, output = run("list", "factsheets/s.yaml")
    assert code == 0
    assert "\toutput/s.pdf" in output
    assert "brochure" not in output
    code, output = run("build", "factsheets/s.yaml")
    assert code == 74, output
    assert "failed      output/s.pdf" in output


def test_a_different_font_under_a_name_in_use_is_an_error_not_a_silent_swap(
    tmp_path: Path,
) -> None:
    """ReportLab knows fonts by name: a second theme's `Regular.ttf` drew as the first."""
    import shutil

    from factsheet.errors import SpecError
    from factsheet.fonts import register_ttf

    fonts = sorted((Path(__file__).resolve().parents[1] / "assets" / "fonts").rglob("*.ttf"))
    first, other = fonts[0], fonts[1]
    register_ttf(first)
    copy = tmp_path / "copy" / first.name
    copy.parent.mkdir()
    shutil.copy(first, copy)
    assert register_ttf(copy) == first.stem  # the same bytes copied: the same font
    impostor = tmp_path / "other" / first.name
    impostor.parent.mkdir()
    shutil.copy(other, impostor)
    with pytest.raises(SpecError, match="has the same name as"):
        register_ttf(impostor)
