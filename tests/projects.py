"""Small throw-away projects for tests: the repository's assets (theme, fonts, logo,
photo) plus the data files and specs a test writes."""

from __future__ import annotations

import os
import shutil
from collections.abc import Mapping
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]


def make_project(
    root: Path, data: Mapping[str, str] | None = None, specs: Mapping[str, str] | None = None
) -> Path:
    """`root` holding `assets/`, `data/<name>` and `factsheets/<name>` files."""
    shutil.copytree(ROOT / "assets", root / "assets")
    for folder, files in (("data", data or {}), ("factsheets", specs or {})):
        (root / folder).mkdir(parents=True, exist_ok=True)
        for name, text in files.items():
            (root / folder / name).write_text(text)
    return root


def invoke_in(project: Path, *args: str) -> Any:
    """`factsheet ARGS` run in `project`, as a user in that folder runs it (in this
    process: a click `Result` with exit_code, stdout, stderr and output)."""
    from click.testing import CliRunner

    from factsheet.cli import main

    old = Path.cwd()
    os.chdir(project)
    try:
        return CliRunner().invoke(main, list(args))
    finally:
        os.chdir(old)
