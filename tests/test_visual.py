"""Visual regression: every page of the demo, rendered to pixels with pypdfium2 and
compared with committed golden PNGs within a tolerance. On failure the actual, expected
and difference images are saved in tests/visual_failures/ (gitignored).

Regenerate the goldens, on purpose only, with:

    FACTSHEET_UPDATE_GOLDENS=1 make test
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pypdfium2 as pdfium
import pytest
from PIL import Image, ImageChops

from factsheet.build import render

ROOT = Path(__file__).resolve().parents[1]
GOLDENS = Path(__file__).parent / "goldens"
FAILURES = Path(__file__).parent / "visual_failures"
DPI = 60
CHANNEL_TOLERANCE = 40  # a pixel differs when a channel moves by more than this
MAX_DIFFERENT = 0.002  # fraction of pixels allowed to differ (anti-aliasing noise)
UPDATE = os.environ.get("FACTSHEET_UPDATE_GOLDENS") == "1"


def rasterise(pdf: bytes) -> list[Image.Image]:
    document = pdfium.PdfDocument(pdf)
    try:
        return [page.render(scale=DPI / 72).to_pil().convert("RGB") for page in document]
    finally:
        document.close()


def different_fraction(actual: Image.Image, expected: Image.Image) -> tuple[float, Image.Image]:
    diff = ImageChops.difference(actual, expected)
    mask = diff.convert("L").point(lambda v: 255 if v > CHANNEL_TOLERANCE else 0)
    changed = mask.histogram()[255]
    return changed / (actual.width * actual.height), mask


@pytest.fixture(scope="module")
def pages(tmp_path_factory: pytest.TempPathFactory) -> list[Image.Image]:
    root = tmp_path_factory.mktemp("visual")
    for folder in ("assets", "data", "factsheets"):
        shutil.copytree(ROOT / folder, root / folder)
    return rasterise(render(root / "factsheets" / "2021.yaml").pdf)


@pytest.mark.parametrize("number", [1, 2])
def test_page_matches_golden(pages: list[Image.Image], number: int) -> None:
    actual = pages[number - 1]
    golden = GOLDENS / f"2021-page-{number}.png"
    if UPDATE:
        GOLDENS.mkdir(exist_ok=True)
        actual.save(golden, optimize=True)
    if not golden.exists():
        pytest.fail(f"no golden image {golden.name}; create it with FACTSHEET_UPDATE_GOLDENS=1")
    expected = Image.open(golden).convert("RGB")
    assert actual.size == expected.size, "page size changed"
    fraction, mask = different_fraction(actual, expected)
    if fraction > MAX_DIFFERENT:
        FAILURES.mkdir(exist_ok=True)
        actual.save(FAILURES / f"2021-page-{number}-actual.png")
        expected.save(FAILURES / f"2021-page-{number}-expected.png")
        mask.save(FAILURES / f"2021-page-{number}-diff.png")
        pytest.fail(
            f"page {number} differs from its golden in {fraction:.2%} of pixels; "
            f"see {FAILURES.relative_to(ROOT)}/"
        )


def test_comparison_detects_a_change(pages: list[Image.Image]) -> None:
    """The tolerance is loose enough for noise but catches a moved block."""
    page = pages[0]
    shifted = ImageChops.offset(page, 0, 6)
    fraction, _ = different_fraction(shifted, page)
    assert fraction > MAX_DIFFERENT
    assert different_fraction(page, page)[0] == 0
