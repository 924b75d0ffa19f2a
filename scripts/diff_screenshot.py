"""Regenerate docs/diff-report.png, the picture of a `factsheet diff --html` report in
README.md: a copy of the demo is approved, one figure of its data is changed (officials
trained worldwide, 485 → 512), and the report is photographed by headless Chromium.

.venv/bin/python scripts/diff_screenshot.py

Needs Chromium (`apt-get install chromium`); the copy lives in a temporary folder.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TARGET = ROOT / "docs" / "diff-report.png"
EDITION = ("--edition", "region=Global", "--edition", "language=en")


def chromium() -> str:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    sys.exit("Chromium is needed: apt-get install chromium")


def factsheet(project: Path, *args: str) -> subprocess.CompletedProcess[str]:
    command = [str(Path(sys.executable).with_name("factsheet")), *args]
    return subprocess.run(command, cwd=project, capture_output=True, text=True, check=False)


def changed_copy(folder: Path) -> Path:
    """The demo project, approved, then with one figure's row changed."""
    project = folder / "project"
    for name in ("factsheets", "data", "assets", "translations"):
        shutil.copytree(ROOT / name, project / name)
    (project / "output").mkdir()
    for step in (("build", "factsheets/2021.yaml"), ("approve", "factsheets/2021.yaml")):
        done = factsheet(project, *step, *EDITION)
        if done.returncode != 0:
            sys.exit(f"factsheet {' '.join(step)} failed:\n{done.stderr}")
    data = project / "data" / "iom_2021.csv"
    text = data.read_text()
    data.write_text(text.replace("Global,officials_trained,485", "Global,officials_trained,512"))
    return project


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        project = changed_copy(Path(folder))
        report = project / "output" / "diff.html"
        done = factsheet(project, "diff", "factsheets/2021.yaml", *EDITION, "--html", str(report))
        if done.returncode != 1:  # 1: changes found, as this script means to make
            sys.exit(f"factsheet diff gave {done.returncode}:\n{done.stdout}{done.stderr}")
        shot = Path(folder) / "shot.png"
        subprocess.run(
            [chromium(), "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
             f"--screenshot={shot}", "--window-size=1280,1500", report.as_uri()],
            check=True, capture_output=True,
        )  # fmt: skip
        from PIL import Image

        with Image.open(shot) as image:
            image.convert("RGB").save(TARGET, optimize=True)
    print(f"wrote {TARGET.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
