"""Pictures for visual tests: pages rendered to pixels with pypdfium2 (bundled fonts, so
the same on every machine) and compared with a committed golden PNG within a tolerance.
On failure the actual, expected and difference images are saved in
tests/visual_failures/ (gitignored).

Regenerate the goldens, on purpose only, with:

    FACTSHEET_UPDATE_GOLDENS=1 make test
"""

from __future__ import annotations

import os
from pathlib import Path

import pypdfium2 as pdfium
import pytest
from PIL import Image, ImageChops

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


def assert_matches_golden(actual: Image.Image, name: str) -> None:
    """`actual` is within tolerance of `goldens/<name>.png` (written first when the
    goldens are being regenerated); on failure, the three images are kept to look at."""
    golden = GOLDENS / f"{name}.png"
    if UPDATE:
        GOLDENS.mkdir(exist_ok=True)
        actual.save(golden, optimize=True)
    if not golden.exists():
        pytest.fail(f"no golden image {golden.name}; create it with FACTSHEET_UPDATE_GOLDENS=1")
    expected = Image.open(golden).convert("RGB")
    assert actual.size == expected.size, f"{name}: the picture's size changed"
    fraction, mask = different_fraction(actual, expected)
    if fraction > MAX_DIFFERENT:
        FAILURES.mkdir(exist_ok=True)
        actual.save(FAILURES / f"{name}-actual.png")
        expected.save(FAILURES / f"{name}-expected.png")
        mask.save(FAILURES / f"{name}-diff.png")
        pytest.fail(
            f"{name} differs from its golden in {fraction:.2%} of pixels; "
            f"see tests/{FAILURES.name}/"
        )
