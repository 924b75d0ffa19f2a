"""Small throw-away projects for tests: the repository's assets (theme, fonts, logo,
photo) plus the data files and specs a test writes."""

from __future__ import annotations

import shutil
from collections.abc import Mapping
from pathlib import Path

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
