"""Visual regression: every page of the demo (its English global edition, and its
Arabic and Chinese ones: right to left, shaped, and set in other fonts), rendered to
pixels with pypdfium2 and compared with committed golden PNGs within a tolerance. On
failure the actual, expected and difference images are saved in tests/visual_failures/
(gitignored).

Regenerate the goldens, on purpose only, with:

    FACTSHEET_UPDATE_GOLDENS=1 make test
"""

from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image, ImageChops

from factsheet.build import render, render_edition
from factsheet.editions.expand import load_editions
from tests.pictures import MAX_DIFFERENT, assert_matches_golden, different_fraction, rasterise

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    import shutil

    root = tmp_path_factory.mktemp("visual")
    for folder in ("assets", "data", "factsheets", "translations"):
        shutil.copytree(ROOT / folder, root / folder)
    return root


@pytest.fixture(scope="module")
def pages(project: Path) -> list[Image.Image]:
    return rasterise(render(project / "factsheets" / "2021.yaml").pdf)


@pytest.mark.parametrize("number", [1, 2])
def test_page_matches_golden(pages: list[Image.Image], number: int) -> None:
    assert_matches_golden(pages[number - 1], f"2021-page-{number}")


@pytest.mark.parametrize("language", ["ar", "zh"])
def test_other_scripts_match_golden(project: Path, language: str) -> None:
    """The global edition in Arabic (mirrored, joined, bidi order) and Chinese (CJK
    font, breaks between characters), from the demo's catalogs."""
    editions = load_editions(project / "factsheets" / "2021.yaml")
    wanted = {"region": "Global", "language": language}
    edition = next(e for e in editions if dict(e.keys) == wanted)
    for number, page in enumerate(rasterise(render_edition(edition).pdf), start=1):
        assert_matches_golden(page, f"2021-{language}-page-{number}")


def test_comparison_detects_a_change(pages: list[Image.Image]) -> None:
    """The tolerance is loose enough for noise but catches a moved block."""
    page = pages[0]
    shifted = ImageChops.offset(page, 0, 6)
    fraction, _ = different_fraction(shifted, page)
    assert fraction > MAX_DIFFERENT
    assert different_fraction(page, page)[0] == 0
