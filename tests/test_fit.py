"""Fit policies: a block marked `fit: shrink` is set smaller, never below its theme's
smallest size, before an overflow is reported; `fit: error` (the default) reports it."""

from __future__ import annotations

from pathlib import Path

import pytest

from factsheet.build import render
from factsheet.errors import LayoutError
from tests.projects import make_project

ROOT = Path(__file__).resolve().parents[1]
WORDS = "Migration shapes development and development shapes migration. "


def spec(words: int, fit: str) -> str:
    text = WORDS * words
    return f"""\
document: {{title: Fit, author: Test Org, pages: 1}}
theme: un-blue
pages:
  - columns: 1
    blocks:
      - heading: Fitting text
      - paragraph: {{fit: {fit}, text: "{text}"}}
"""


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return make_project(tmp_path / "p")


def write(project: Path, words: int, fit: str) -> Path:
    path = project / "factsheets" / "fit.yaml"
    path.write_text(spec(words, fit))
    return path


def body_size(rendered: object) -> float:
    placements = rendered.layout.pages[0].placements  # type: ignore[attr-defined]
    return min(p.flowable.style.fontSize for p in placements if p.kind == "paragraph")


def test_text_that_fits_keeps_its_size(project: Path) -> None:
    rendered = render(write(project, 100, "shrink"))
    assert body_size(rendered) == pytest.approx(8.8)


def test_a_small_overflow_shrinks_the_block(project: Path) -> None:
    with pytest.raises(LayoutError, match="overflows page 1"):
        render(write(project, 130, "error"))
    rendered = render(write(project, 130, "shrink"))
    assert len(rendered.layout.pages) == 1
    assert 8.8 * 0.8 - 1e-6 <= body_size(rendered) < 8.8


def test_never_below_the_smallest_size(project: Path) -> None:
    with pytest.raises(LayoutError, match="overflows page 1") as caught:
        render(write(project, 200, "shrink"))
    assert "fit.yaml:7:" in str(caught.value)
