"""Small throw-away projects for tests: the repository's assets (theme, fonts, logo,
photo) plus the data files and specs a test writes."""

from __future__ import annotations

import shutil
import typing
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from pydantic import BaseModel

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


def model_classes(root: type[BaseModel]) -> list[type[BaseModel]]:
    """`root` and every model class its fields use, at any depth."""
    seen: list[type[BaseModel]] = []

    def visit(annotation: Any) -> None:
        is_model = isinstance(annotation, type) and issubclass(annotation, BaseModel)
        if is_model and annotation not in seen:
            seen.append(annotation)
            for info in annotation.model_fields.values():
                visit(info.annotation)
        for arg in typing.get_args(annotation):
            visit(arg)

    visit(root)
    return seen
