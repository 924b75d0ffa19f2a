"""Nothing lost when the disk says no: a full disk (a file-size limit) and a read-only
output folder give clean errors, the previous PDF stays byte-identical, and no
temporary file is left behind. Permissions are tested as an unprivileged user, since
root may write anywhere (and CI runs as root)."""

from __future__ import annotations

import os
import resource
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from tests.projects import make_project

ROOT = Path(__file__).resolve().parents[1]
EXE = Path(sys.executable).with_name("factsheet")
SPEC = """\
document: {title: Disk test, author: Test Org, year: 2024, pages: 1}
theme: un-blue
pages:
  - blocks:
      - hero: {image: assets/photos/evening-glow.jpg, alt: Boats, height: 60mm}
      - paragraph: "{{ note }}"
editions:
  matrix: {note: [first]}
  output: output/disk.pdf
"""


@pytest.fixture
def project(tmp_path: Path) -> Path:
    root = make_project(tmp_path / "p", specs={"disk.yaml": SPEC})
    build = subprocess.run(
        [str(EXE), "build", "factsheets/disk.yaml"], cwd=root, capture_output=True, text=True
    )
    assert build.returncode == 0, build.stderr
    return root


def _changed(project: Path) -> None:
    spec = project / "factsheets" / "disk.yaml"
    spec.write_text(SPEC.replace("[first]", "[second]"))


def _leftovers(project: Path) -> list[str]:
    return sorted(p.name for p in (project / "output").iterdir() if p.name.endswith(".tmp"))


def test_full_disk_gives_a_clean_error_and_keeps_the_old_pdf(project: Path) -> None:
    before = (project / "output" / "disk.pdf").read_bytes()
    _changed(project)

    def small_disk() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (50_000, 50_000))

    run = subprocess.run(
        [str(EXE), "build", "factsheets/disk.yaml", "--jobs", "1"],
        cwd=project,
        capture_output=True,
        text=True,
        preexec_fn=small_disk,
    )
    assert run.returncode == 74, run.stderr
    assert "Error: output/disk.pdf: cannot write file: File too large" in run.stderr
    assert "Traceback" not in run.stderr
    assert (project / "output" / "disk.pdf").read_bytes() == before
    assert _leftovers(project) == []


def _as_nobody() -> list[str] | None:
    """A command prefix that runs as `nobody`, if this machine allows it."""
    if os.geteuid() != 0 or not shutil.which("setpriv"):
        return None
    prefix = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"]
    probe = subprocess.run([*prefix, sys.executable, "-c", "import factsheet"], capture_output=True)
    return prefix if probe.returncode == 0 else None


def test_read_only_output_folder_as_an_unprivileged_user(project: Path) -> None:
    prefix = _as_nobody()
    if prefix is None:
        pytest.skip("needs root to switch to an unprivileged user who can run the venv")
    # pytest's own temporary folders are private to root: use a folder nobody can reach.
    home = Path(tempfile.mkdtemp(prefix="factsheet-nobody-"))
    try:
        _nobody_run(prefix, project, home)
    finally:
        shutil.rmtree(home, ignore_errors=True)


def _nobody_run(prefix: list[str], source: Path, home: Path) -> None:
    root = home / "p"
    shutil.copytree(source, root)
    for path in [home, *home.rglob("*")]:
        os.chown(path, 65534, 65534)
    home.chmod(0o755)
    env = {**os.environ, "HOME": str(home), "MPLCONFIGDIR": str(home / "mpl")}

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [*prefix, str(EXE), *args, "factsheets/disk.yaml"],
            cwd=root,
            capture_output=True,
            text=True,
            env=env,
        )

    output = root / "output"
    before = (output / "disk.pdf").read_bytes()
    _changed(root)
    output.chmod(0o555)  # read-only, even for its owner
    try:
        built, checked = run("build"), run("check")
    finally:
        output.chmod(0o755)
    assert built.returncode == 74, built.stderr
    assert "Error: output/disk.pdf: cannot write to folder" in built.stderr
    assert "Traceback" not in built.stderr
    assert checked.returncode == 74 and "cannot write to folder" in checked.stderr
    assert (output / "disk.pdf").read_bytes() == before
    assert _leftovers(root) == []
    (root / "factsheets" / "disk.yaml").chmod(0o000)
    unreadable = run("build")
    assert unreadable.returncode == 66
    assert unreadable.stderr.startswith("Error: factsheets/disk.yaml: cannot read file: ")
