"""Issue 10, "never write where the user didn't mean": `--bundle` never replaces an
input, an edition's PDF, a non-PDF or a file outside the project; nothing is written
through a link or over a read-only file; builds of one project take turns; Ctrl-C keeps
the manifest true; a killed run's temporaries are cleared by the next (and only those);
long and Windows-reserved slugs make safe file names; an `exclude` that leaves nothing
is an error. Each case checks the exit code, a located one-line message, no traceback,
and that the files the user did not mean to change are byte-identical."""

from __future__ import annotations

import fcntl
import json
import os
import shutil
import stat
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from factsheet.cli import main
from factsheet.editions.batch import Outcome
from factsheet.editions.expanded import editions_of
from factsheet.editions.run import Options, build_all
from factsheet.filters import slug
from tests.projects import make_project

EXE = Path(sys.executable).with_name("factsheet")
DATA = "region,people\nNorth,1111\nSouth,2222\nEast,3333\nWest,4444\n"
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
      - hero: {image: assets/photos/evening-glow.jpg, caption: "{{ region }}", alt: A photo}
      - paragraph: "{{ region }} counts {{ people }} people."
editions:
  matrix:
    region: [North, South]
  output: "output/2021/{region}.pdf"
"""


@pytest.fixture
def project(tmp_path: Path) -> Path:
    root = make_project(tmp_path / "project", {"regions.csv": DATA}, {"2021.yaml": SPEC})
    (root / "assets" / "brochure.pdf").write_bytes(b"%PDF-1.4 the user's own brochure")
    return root


def run(project: Path, *args: str) -> Result:
    old = Path.cwd()
    os.chdir(project)
    try:
        return CliRunner().invoke(main, list(args))
    finally:
        os.chdir(old)


def snapshot(root: Path) -> dict[str, bytes]:
    """Every file of the project but its output/ folder and the cache."""
    return {
        str(p.relative_to(root)): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file() and not p.is_symlink() and p.relative_to(root).parts[0] != "output"
        and not p.relative_to(root).parts[0].startswith(".")
    }  # fmt: skip


def one_clean_error(result: Result, code: int, *needles: str) -> str:
    assert result.exit_code == code, result.output
    assert "Traceback" not in result.output
    errors = [line for line in result.stderr.splitlines() if line.startswith("Error: ")]
    assert errors, result.stderr
    for needle in needles:
        assert needle in result.stderr, result.stderr
    return errors[0]


# --- --bundle ----------------------------------------------------------------------

INPUTS = [
    "factsheets/2021.yaml",
    "data/regions.csv",
    "assets/themes/un-blue.yaml",
    "assets/fonts/lato/Lato-Regular.ttf",
    "assets/logos/emblem-white.svg",
    "assets/photos/evening-glow.jpg",
]


@pytest.mark.parametrize("target", INPUTS)
def test_bundle_never_replaces_an_input(project: Path, target: str) -> None:
    before = snapshot(project)
    result = run(project, "build", "factsheets/2021.yaml", "--bundle", target)
    one_clean_error(result, 2, f"--bundle {target}")
    assert snapshot(project) == before
    assert not (project / "output" / "2021").exists(), "built although the command was wrong"


def test_bundle_over_an_image_named_pdf_is_refused_as_an_input(project: Path) -> None:
    photo = project / "assets" / "photos" / "glow.pdf"  # a JPEG, whatever its name
    shutil.copy(project / "assets" / "photos" / "evening-glow.jpg", photo)
    spec = project / "factsheets" / "2021.yaml"
    spec.write_text(SPEC.replace("evening-glow.jpg", "glow.pdf"))
    before = snapshot(project)
    result = run(project, "build", "factsheets/2021.yaml", "--bundle", "assets/photos/glow.pdf")
    one_clean_error(result, 2, "is an image the spec shows (assets/photos/glow.pdf)")
    assert snapshot(project) == before


def test_build_inputs_are_the_files_the_build_reads(project: Path) -> None:
    from factsheet.editions.bundle import build_inputs

    (project / "factsheets" / "base.yaml").write_text(SPEC)
    (project / "factsheets" / "child.yaml").write_text("extends: base.yaml\n")
    inputs = build_inputs(editions_of(project / "factsheets" / "child.yaml"))
    root = project.resolve()
    for relative in ["factsheets/child.yaml", "factsheets/base.yaml", *INPUTS[1:]]:
        assert root / relative in inputs, relative
    assert root / "assets" / "brochure.pdf" not in inputs


@pytest.mark.parametrize(
    ("target", "needle"),
    [
        ("output/all.txt", "its name must end in .pdf"),
        ("../all.pdf", "is outside the project"),
        ("output/2021/north.pdf", "is also the output of edition 'region=North'"),
    ],
)
def test_bundle_paths_that_are_refused(project: Path, target: str, needle: str) -> None:
    result = run(project, "build", "factsheets/2021.yaml", "--bundle", target)
    one_clean_error(result, 2, needle)
    assert not (project / target).exists()


def test_bundle_outside_the_project_when_the_user_says_so(project: Path) -> None:
    result = run(project, "build", "factsheets/2021.yaml", "--bundle", "../all.pdf")
    assert "--bundle-outside" in result.stderr
    result = run(
        project, "build", "factsheets/2021.yaml", "--bundle", "../all.pdf", "--bundle-outside"
    )
    assert result.exit_code == 0, result.output
    assert (project.parent / "all.pdf").read_bytes().startswith(b"%PDF")


def test_bundle_is_never_written_through_a_link(project: Path) -> None:
    (project / "output").mkdir()
    (project / "output" / "all.pdf").symlink_to("../assets/brochure.pdf")
    (project / "output" / "linked").symlink_to("../assets", target_is_directory=True)
    before = snapshot(project)
    for target in ("output/all.pdf", "output/linked/all.pdf"):
        result = run(project, "build", "factsheets/2021.yaml", "--bundle", target)
        one_clean_error(result, 2, "never writes through a link")
    assert snapshot(project) == before
    assert not (project / "assets" / "all.pdf").exists()


def test_bundle_over_another_specs_pdf_is_refused(project: Path) -> None:
    other = SPEC.replace("output/2021/{region}.pdf", "output/other/{region}.pdf")
    (project / "factsheets" / "other.yaml").write_text(other)
    assert run(project, "build", "factsheets/other.yaml").exit_code == 0
    before = (project / "output" / "other" / "north.pdf").read_bytes()
    result = run(project, "build", "factsheets/2021.yaml", "--bundle", "output/other/north.pdf")
    one_clean_error(result, 2, "a PDF of factsheets/other.yaml")
    assert (project / "output" / "other" / "north.pdf").read_bytes() == before


# --- links and read-only files in the output tree ------------------------------------


def test_a_linked_pdf_is_an_error_and_its_target_is_untouched(project: Path) -> None:
    (project / "output" / "2021").mkdir(parents=True)
    (project / "output" / "2021" / "north.pdf").symlink_to("../../assets/brochure.pdf")
    before = snapshot(project)
    result = run(project, "build", "factsheets/2021.yaml")
    line = one_clean_error(result, 74, "is a symbolic link", "never writes through a link")
    assert "output/2021/north.pdf" in line
    assert snapshot(project) == before, "the brochure was overwritten"
    assert (project / "output" / "2021" / "north.pdf").is_symlink()
    assert (project / "output" / "2021" / "south.pdf").read_bytes().startswith(b"%PDF")


def test_a_linked_output_folder_is_an_error(project: Path) -> None:
    (project / "output").mkdir()
    (project / "output" / "2021").symlink_to("../assets", target_is_directory=True)
    before = snapshot(project)
    result = run(project, "build", "factsheets/2021.yaml")
    one_clean_error(result, 74, "the folder 'output/2021' is a symbolic link")
    assert snapshot(project) == before
    assert not (project / "assets" / "north.pdf").exists()
    assert not (project / "assets" / "south.pdf").exists()


def test_a_read_only_pdf_is_not_replaced(project: Path) -> None:
    assert run(project, "build", "factsheets/2021.yaml").exit_code == 0
    north = project / "output" / "2021" / "north.pdf"
    before = north.read_bytes()
    north.chmod(0o444)
    result = run(project, "build", "factsheets/2021.yaml", "--force")
    one_clean_error(result, 74, "output/2021/north.pdf' is read-only", "chmod u+w")
    assert north.read_bytes() == before
    assert stat.S_IMODE(north.stat().st_mode) == 0o444


def test_a_read_only_manifest_is_not_replaced(project: Path) -> None:
    assert run(project, "build", "factsheets/2021.yaml").exit_code == 0
    manifest = project / "output" / "2021.manifest.json"
    before = manifest.read_bytes()
    manifest.chmod(0o444)
    result = run(project, "build", "factsheets/2021.yaml", "--force")
    one_clean_error(result, 74, "2021.manifest.json' is read-only")
    assert manifest.read_bytes() == before
    assert stat.S_IMODE(manifest.stat().st_mode) == 0o444


# --- collisions across specs, and concurrent runs -------------------------------------


def test_one_spec_named_twice_or_through_a_link_is_one_spec(project: Path) -> None:
    (project / "factsheets" / "alias.yaml").symlink_to("2021.yaml")
    copy = SPEC.replace("  year: 2021\n", "  year: 2022\n")
    (project / "factsheets" / "2022.yaml").write_text(copy)
    result = run(
        project, "build", "factsheets/2021.yaml", "./factsheets/../factsheets/2021.yaml",
        "factsheets/alias.yaml", "factsheets/2022.yaml",
    )  # fmt: skip
    assert result.exit_code == 65, result.output
    assert "would also be written by factsheets/2021.yaml in this command" in result.stderr
    assert not (project / "output" / "2021").exists()


def _build(project: Path, spec: str, **env: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [str(EXE), "build", "--jobs", "1", spec],
        cwd=project,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, **env},
    )


def test_concurrent_runs_take_turns_and_the_manifest_agrees(project: Path) -> None:
    many = SPEC.replace("[North, South]", "[North, South, East, West]")
    (project / "factsheets" / "2021.yaml").write_text(many)
    (project / "factsheets" / "2022.yaml").write_text(many.replace("year: 2021", "year: 2022"))
    first, second = _build(project, "factsheets/2021.yaml"), _build(project, "factsheets/2022.yaml")
    results = {spec: (p.wait(timeout=300), p.communicate()[1]) for spec, p in
               (("2021", first), ("2022", second))}  # fmt: skip
    codes = sorted(code for code, _ in results.values())
    assert codes == [0, 65], results
    winner = next(spec for spec, (code, _) in results.items() if code == 0)
    loser = next(spec for spec, (code, _) in results.items() if code != 0)
    assert f"belong to factsheets/{winner}.yaml" in results[loser][1]
    assert "Traceback" not in results[loser][1]
    assert not (project / "output" / f"{loser}.manifest.json").exists()
    manifest = json.loads((project / "output" / f"{winner}.manifest.json").read_text())
    import hashlib

    for entry in manifest["editions"].values():
        pdf = (project / entry["output"]).read_bytes()
        assert hashlib.sha256(pdf).hexdigest() == entry["pdf_sha256"], entry["output"]
        assert f"Report {winner}".encode() in pdf or entry["pages"] == 1


def test_a_second_run_waits_for_the_lock_then_gives_up_clearly(project: Path) -> None:
    fd = os.open(project, os.O_RDONLY)
    fcntl.flock(fd, fcntl.LOCK_EX)
    try:
        process = _build(project, "factsheets/2021.yaml", FACTSHEET_LOCK_TIMEOUT="1")
        _, err = process.communicate(timeout=120)
    finally:
        os.close(fd)
    assert process.returncode == 74, err
    assert "waiting for another factsheet run" in err
    assert "another factsheet run is still building into the project" in err
    assert "Traceback" not in err
    assert not (project / "output").exists()


def test_a_waiting_run_carries_on_when_the_lock_is_released(project: Path) -> None:
    fd = os.open(project, os.O_RDONLY)
    fcntl.flock(fd, fcntl.LOCK_EX)
    try:
        process = _build(project, "factsheets/2021.yaml")
        time.sleep(3)
        assert process.poll() is None, "did not wait"
        assert not (project / "output" / "2021").exists()
    finally:
        os.close(fd)
    _, err = process.communicate(timeout=120)
    assert process.returncode == 0, err
    assert (project / "output" / "2021" / "north.pdf").is_file()


# --- interruption -----------------------------------------------------------------


class _Interrupting:
    """A reporter whose user presses Ctrl-C after `after` editions."""

    def __init__(self, after: int) -> None:
        self.after, self.seen = after, 0

    def __enter__(self) -> _Interrupting:
        return self

    def __exit__(self, *exc: object) -> None:
        pass

    def progress(self, outcome: Outcome, running: Sequence[str]) -> None:
        self.seen += 1
        if self.seen == self.after:
            raise KeyboardInterrupt

    def finish(self, summary: object) -> None:
        pass


@pytest.mark.parametrize("workers", [1, 2])
def test_ctrl_c_records_every_edition_that_finished(project: Path, workers: int) -> None:
    many = SPEC.replace("[North, South]", "[North, South, East, West]")
    spec = project / "factsheets" / "2021.yaml"
    spec.write_text(many)
    with pytest.raises(KeyboardInterrupt):
        build_all([spec], Options(workers=workers), lambda n, c: _Interrupting(after=2))
    manifest = json.loads((project / "output" / "2021.manifest.json").read_text())
    import hashlib

    assert len(manifest["editions"]) >= 2
    for entry in manifest["editions"].values():
        pdf = (project / entry["output"]).read_bytes()
        assert hashlib.sha256(pdf).hexdigest() == entry["pdf_sha256"]
    built = {p.name for p in (project / "output" / "2021").glob("*.pdf")}
    assert {Path(e["output"]).name for e in manifest["editions"].values()} == built


def test_a_killed_runs_temporaries_are_removed_and_only_those(project: Path) -> None:
    dead = subprocess.run(["true"], check=True)
    del dead
    gone = subprocess.Popen(["true"])
    gone.wait()
    alive = subprocess.Popen(["sleep", "60"])
    folder = project / "output" / "2021"
    folder.mkdir(parents=True)
    stale = folder / f".north.pdf.{gone.pid}-abc123_x.tmp"
    live = folder / f".north.pdf.{alive.pid}-def456yz.tmp"
    keep = [live, folder / ".north.pdf.k2j3h4.tmp", folder / "notes.tmp",
            folder / f".other.pdf.{gone.pid}-abc123_x.tmp"]  # fmt: skip
    try:
        for path in [stale, *keep]:
            path.write_bytes(b"partial")
        result = run(project, "build", "factsheets/2021.yaml")
    finally:
        alive.kill()
        alive.wait()
    assert result.exit_code == 0, result.output
    assert not stale.exists(), "a killed run's temporary file was left"
    for path in keep:
        assert path.read_bytes() == b"partial", f"{path.name} is not this build's to remove"


# --- slugs and file names ------------------------------------------------------------


def test_a_300_character_value_makes_a_short_stable_unique_name(project: Path) -> None:
    long_a, long_b = "A" * 299 + "x", "A" * 299 + "y"
    data = DATA + f"{long_a},5\n{long_b},6\n"
    (project / "data" / "regions.csv").write_text(data)
    spec = SPEC.replace("[North, South]", f"[North, {long_a}, {long_b}]")
    (project / "factsheets" / "2021.yaml").write_text(spec)
    for command in ("list", "check", "build"):
        result = run(project, command, "factsheets/2021.yaml")
        assert result.exit_code == 0, f"{command}: {result.output}"
        assert "Traceback" not in result.output
    names = sorted(p.name for p in (project / "output" / "2021").glob("*.pdf"))
    assert len(names) == 3
    assert all(len(name.encode()) <= 255 for name in names)
    assert f"{slug(long_a)}.pdf" in names and f"{slug(long_b)}.pdf" in names
    assert slug(long_a) != slug(long_b) and len(slug(long_a)) <= 80


@pytest.mark.parametrize("value", ["CON", "aux", "Nul", "com1", "LPT9", "prn"])
def test_windows_reserved_values_never_become_file_names(project: Path, value: str) -> None:
    (project / "data" / "regions.csv").write_text(DATA + f"{value},7\n")
    (project / "factsheets" / "2021.yaml").write_text(
        SPEC.replace("[North, South]", f"[North, {value}]")
    )
    result = run(project, "build", "factsheets/2021.yaml")
    assert result.exit_code == 0, result.output
    for path in (project / "output" / "2021").iterdir():
        assert path.name.split(".")[0].upper() not in {"CON", "AUX", "NUL", "COM1", "LPT9", "PRN"}
    assert (project / "output" / "2021" / f"_{value.lower()}.pdf").is_file()


@pytest.mark.parametrize(
    ("output", "needle"),
    [
        ("output/aux.pdf", "the name 'aux.pdf' is reserved for a device on Windows"),
        ("output/Con/{region}.pdf", "the name 'Con' is reserved"),
        ("output/" + "n" * 230 + "-{region}.pdf", "bytes long, over the 200-byte limit"),
    ],
)
def test_unsafe_literal_output_names_are_located_errors(
    project: Path, output: str, needle: str
) -> None:
    spec = SPEC.replace('output: "output/2021/{region}.pdf"', f'output: "{output}"')
    (project / "factsheets" / "2021.yaml").write_text(spec)
    for command in ("list", "check", "build"):
        result = run(project, command, "factsheets/2021.yaml")
        line = one_clean_error(result, 65, needle)
        assert line.startswith("Error: factsheets/2021.yaml:18:11: editions.output: "), line
    assert not (project / "output").exists()


# --- exclude -------------------------------------------------------------------------


def test_an_exclude_that_removes_every_edition_is_an_error(project: Path) -> None:
    spec = SPEC + "  exclude:\n    - {region: [North, South]}\n"
    (project / "factsheets" / "2021.yaml").write_text(spec)
    for command in ("list", "check", "build"):
        result = run(project, command, "factsheets/2021.yaml")
        line = one_clean_error(result, 65, "removes every edition", "nothing to build")
        assert line.startswith("Error: factsheets/2021.yaml:20:5: editions.exclude: "), line
    assert not (project / "output").exists()
