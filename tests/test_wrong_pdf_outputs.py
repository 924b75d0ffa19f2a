"""Wrong PDFs with exit 0, section 1 of issue 9: a spec copied for next year kept
`output/2021/...` and silently overwrote last year's PDFs. Now two specs of one
command that write the same file are an error before anything is built, and a PDF
another spec's manifest records is that spec's: building onto it is an error naming
the owner, which `--force` does not override and removing the manifest entry does.
Manifests sit at `<project>/output/<spec name>.manifest.json`."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from factsheet.cli import main
from tests.projects import make_project

DATA = "region,people\nNorth,1111\nSouth,2222\n"

SPEC = """\
document:
  title: "Report {{ year }} for {{ region }}"
  author: Test Org
  year: 2021
  pages: 1
theme: un-blue
data:
  regions: {file: data/regions.csv}
figures:
  people: {source: regions, where: {region: "{{ region }}"}, column: people}
pages:
  - blocks:
      - heading: "People in {{ region }}, {{ year }}"
      - paragraph: "{{ region }} counts {{ people }} people."
editions:
  matrix:
    region: [North, South]
  output: "output/2021/{region}.pdf"
  overrides:
    - when: {region: South}
      output: output/2021-south.pdf
"""

NEXT_YEAR = SPEC.replace("  year: 2021\n", "  year: 2022\n")  # the copy: output unchanged
OUTPUTS = ["output/2021/north.pdf", "output/2021-south.pdf"]


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return make_project(
        tmp_path / "project", {"regions.csv": DATA}, {"2021.yaml": SPEC, "2022.yaml": NEXT_YEAR}
    )


def run(project: Path, *args: str) -> Result:
    old = Path.cwd()
    os.chdir(project)
    try:
        return CliRunner().invoke(main, list(args))
    finally:
        os.chdir(old)


def pdfs(project: Path) -> dict[str, bytes]:
    return {name: (project / name).read_bytes() for name in OUTPUTS}


# --- the case -------------------------------------------------------------


def test_a_copied_spec_does_not_overwrite_last_years_pdfs(project: Path) -> None:
    assert run(project, "build", "factsheets/2021.yaml").exit_code == 0
    before = pdfs(project)
    for force in ([], ["--force"]):
        result = run(project, "build", "factsheets/2022.yaml", *force)
        assert result.exit_code == 65, result.output
        assert pdfs(project) == before, "last year's PDFs were overwritten"
    lines = [line for line in result.stderr.splitlines() if line.startswith("Error")]
    assert lines[0] == (
        "Error: factsheets/2022.yaml:18:11: editions.output: output/2021/north.pdf belongs to "
        "factsheets/2021.yaml, as recorded in output/2021.manifest.json: this spec would "
        "overwrite it (give this spec its own output path (`editions.output`, or an "
        "override's `output`); `--force` does not change this. If factsheets/2021.yaml should "
        "give it up, remove its entry from output/2021.manifest.json (or delete that file) "
        "and build again)  [edition region=North]"
    )
    assert lines[1].startswith(
        "Error: factsheets/2022.yaml:21:15: editions.overrides[0].output: output/2021-south.pdf "
        "belongs to factsheets/2021.yaml"
    )
    assert not (project / "output" / "2022.manifest.json").exists()


def test_two_specs_of_one_command_writing_one_file_build_nothing(project: Path) -> None:
    result = run(project, "build", "factsheets/2021.yaml", "factsheets/2022.yaml")
    assert result.exit_code == 65, result.output
    assert not (project / "output").exists(), "something was built"
    assert (
        "Error: factsheets/2021.yaml:18:11: editions.output: output/2021/north.pdf would also be "
        "written by factsheets/2022.yaml in this command: one would silently replace the other"
    ) in result.stderr
    assert (
        "Error: factsheets/2022.yaml:18:11: editions.output: output/2021/north.pdf would also be "
        "written by factsheets/2021.yaml in this command"
    ) in result.stderr
    # the example path is the spec's own, with every matrix key; none where it writes already
    assert result.stderr.count("for example output/2022/{region}.pdf") == 1
    assert "for example output/2021/" not in result.stderr
    assert "0 built, 0 up to date, 4 failed" in result.stdout  # each edition of both specs


def test_check_finds_both_collisions_and_writes_nothing(project: Path) -> None:
    together = run(project, "check", "factsheets/2021.yaml", "factsheets/2022.yaml")
    assert together.exit_code == 65
    assert "would also be written by factsheets/2022.yaml" in together.stderr
    assert run(project, "build", "factsheets/2021.yaml").exit_code == 0
    alone = run(project, "check", "factsheets/2022.yaml")
    assert alone.exit_code == 65
    assert "belongs to factsheets/2021.yaml" in alone.stderr


def test_other_specs_of_the_command_still_build(project: Path) -> None:
    (project / "factsheets" / "other.yaml").write_text(
        SPEC.replace(
            'output: "output/2021/{region}.pdf"', 'output: "output/other/{region}.pdf"'
        ).replace("      output: output/2021-south.pdf\n", "      output: output/other-south.pdf\n")
    )
    result = run(
        project, "build", "factsheets/2021.yaml", "factsheets/2022.yaml", "factsheets/other.yaml"
    )
    assert result.exit_code == 65
    assert (project / "output" / "other" / "north.pdf").is_file()
    assert not (project / "output" / "2021").exists()


# --- giving a PDF up --------------------------------------------------------------


def test_removing_the_owners_entries_hands_the_pdfs_over(project: Path) -> None:
    assert run(project, "build", "factsheets/2021.yaml").exit_code == 0
    manifest = project / "output" / "2021.manifest.json"
    record = json.loads(manifest.read_text())
    record["editions"] = {}
    manifest.write_text(json.dumps(record))
    result = run(project, "build", "factsheets/2022.yaml")
    assert result.exit_code == 0, result.output
    # Now 2022.yaml owns them, and the old spec is the one refused.
    result = run(project, "build", "factsheets/2021.yaml", "--force")
    assert result.exit_code == 65
    assert "belongs to factsheets/2022.yaml, as recorded in output/2022.manifest.json" in (
        result.stderr
    )


def test_an_owner_that_no_longer_exists_is_named_as_such(project: Path) -> None:
    assert run(project, "build", "factsheets/2021.yaml").exit_code == 0
    (project / "factsheets" / "2021.yaml").unlink()
    result = run(project, "build", "factsheets/2022.yaml")
    assert result.exit_code == 65
    assert "belongs to factsheets/2021.yaml (factsheets/2021.yaml no longer exists)" in (
        result.stderr
    )


# --- ownership is by path, not by file name ------------------------------------------


def test_specs_with_one_name_in_two_projects_keep_their_own_pdfs(project: Path) -> None:
    """factsheets/2021.yaml and factsheets/fr/2021.yaml (a project of its own) both
    write output/2021/north.pdf inside their own project, with their own manifests."""
    french = project / "factsheets" / "fr"
    shutil.copytree(project / "assets", french / "assets")
    shutil.copytree(project / "data", french / "data")
    (french / "2021.yaml").write_text(SPEC.replace("People in", "Population de"))
    for _ in range(2):
        result = run(project, "build", "factsheets/2021.yaml", "factsheets/fr/2021.yaml")
        assert result.exit_code == 0, result.output
    assert "0 built, 4 up to date, 0 failed" in result.stdout
    assert (french / "output" / "2021.manifest.json").is_file()
    assert (project / "output" / "2021.manifest.json").is_file()
    record = json.loads((french / "output" / "2021.manifest.json").read_text())
    assert record["spec"] == "2021.yaml" and record["project"] == ".."


def test_two_specs_of_one_project_with_one_name_cannot_share_a_manifest(project: Path) -> None:
    (project / "2021.yaml").write_text(SPEC.replace("output/2021", "output/top"))
    assert run(project, "build", "factsheets/2021.yaml").exit_code == 0
    result = run(project, "build", "2021.yaml")
    assert result.exit_code == 65
    assert (
        "Error: 2021.yaml: this spec's manifest, output/2021.manifest.json, is also the manifest "
        "of factsheets/2021.yaml: specs of one project need different file names"
    ) in result.stderr
    assert not (project / "output" / "top").exists()


# --- where the manifest is ---------------------------------------------------------


def test_the_manifest_is_in_the_projects_output_folder(project: Path) -> None:
    text = NEXT_YEAR.replace("output/2021", "output/2022")
    (project / "factsheets" / "2022.yaml").write_text(text)
    assert run(project, "build", "factsheets/2022.yaml").exit_code == 0
    manifest = project / "output" / "2022.manifest.json"
    record = json.loads(manifest.read_text())
    assert record["spec"] == "factsheets/2022.yaml" and record["project"] == ".."
    assert {e["output"] for e in record["editions"].values()} == {
        "output/2022/north.pdf",
        "output/2022-south.pdf",
    }
    listed = run(project, "list", "factsheets/2022.yaml").stdout.splitlines()
    assert listed[-1] == "factsheets/2022.yaml\tmanifest\toutput/2022.manifest.json"


def test_a_manifest_kept_beside_the_pdfs_by_an_earlier_version_is_moved(project: Path) -> None:
    """Earlier versions wrote output/2021/2021.manifest.json when every PDF was in
    output/2021/: its editions stay up to date, and it moves to output/."""
    text = SPEC.replace(
        "      output: output/2021-south.pdf\n", "      output: output/2021/s.pdf\n"
    )
    (project / "factsheets" / "2021.yaml").write_text(text)
    assert run(project, "build", "factsheets/2021.yaml").exit_code == 0
    new = project / "output" / "2021.manifest.json"
    old = project / "output" / "2021" / "2021.manifest.json"
    record = json.loads(new.read_text())
    record["spec"] = str((project / "factsheets" / "2021.yaml").resolve())  # as 0.x wrote it
    del record["project"]
    old.write_text(json.dumps(record))
    new.unlink()
    # Its claims hold: another spec may not take these PDFs.
    taken = run(project, "build", "factsheets/2022.yaml")
    assert taken.exit_code == 65
    assert "as recorded in output/2021/2021.manifest.json" in taken.stderr
    # Its own spec finds it: nothing to rebuild, and the manifest moves.
    (project / "output" / "2021" / "north.pdf").touch()  # a touched PDF is not a changed one
    result = run(project, "build", "factsheets/2021.yaml")
    assert result.exit_code == 0 and "2 up to date" in result.stdout
    result = run(project, "build", "factsheets/2021.yaml", "--force")
    assert result.exit_code == 0
    assert new.is_file() and not old.exists()


def test_a_bundle_may_not_replace_an_edition(project: Path) -> None:
    result = run(project, "build", "factsheets/2021.yaml", "--bundle", "output/2021-south.pdf")
    assert result.exit_code == 2
    assert "--bundle output/2021-south.pdf is also the output of edition 'region=South'" in (
        result.stderr
    )
    assert not (project / "output").exists()
