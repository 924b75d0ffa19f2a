"""End to end: build the demo factsheet and check the PDF a user gets, with pypdf."""

from __future__ import annotations

import re
import shutil
import stat
from pathlib import Path

import pypdf
import pytest

from factsheet.build import build, render

ROOT = Path(__file__).resolve().parents[1]
A4 = (595.28, 841.89)


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the demo project, so tests never touch the real output folder."""
    root = tmp_path_factory.mktemp("project")
    for folder in ("assets", "data", "factsheets", "translations"):
        shutil.copytree(ROOT / folder, root / folder)
    return root


@pytest.fixture(scope="module")
def built(project: Path) -> Path:
    result = build(project / "factsheets" / "2021.yaml")
    assert result.output == project / "output" / "2021" / "en" / "global.pdf"
    return result.output


@pytest.fixture(scope="module")
def reader(built: Path) -> pypdf.PdfReader:
    return pypdf.PdfReader(built)


def page_text(reader: pypdf.PdfReader) -> str:
    return "\n".join(page.extract_text() for page in reader.pages)


def test_two_a4_pages(reader: pypdf.PdfReader) -> None:
    assert len(reader.pages) == 2
    for page in reader.pages:
        box = page.mediabox
        assert (float(box.width), float(box.height)) == pytest.approx(A4, abs=0.1)


def test_headings_and_figures_in_reading_order(reader: pypdf.PdfReader) -> None:
    text = re.sub(r"\s+", " ", page_text(reader))
    expected = [
        "IOM and South–South and Triangular Cooperation",
        "Human mobility in the Global South",
        "67%",
        "72%",
        "37%",
        "South–South and triangular cooperation at IOM",
        "António Vitorino",
        "490 offices",
        "Operational support in 2021",
        "At regional level",
        "At country level",
        "485",
        "43rd",
        "180",
        "migration4development@iom.int",
    ]
    positions = [text.find(item) for item in expected]
    missing = [item for item, pos in zip(expected, positions, strict=True) if pos < 0]
    assert not missing, f"not found in the PDF text: {missing}"
    assert positions == sorted(positions), "headings and figures are out of reading order"


def test_links_are_clickable(reader: pypdf.PdfReader) -> None:
    uris = set()
    for page in reader.pages:
        for annot in page.get("/Annots") or []:
            action = annot.get_object().get("/A")
            if action is not None and "/URI" in action:
                uris.add(action["/URI"])
    assert "mailto:migration4development@iom.int" in uris
    assert "https://www.iom.int" in uris
    assert "https://www.iom.int/global-compact-migration" in uris
    assert all(u.startswith(("https://", "http://", "mailto:")) for u in uris)


def _fonts(reader: pypdf.PdfReader) -> dict[str, pypdf.generic.DictionaryObject]:
    fonts: dict[str, pypdf.generic.DictionaryObject] = {}

    def collect(resources: pypdf.generic.DictionaryObject) -> None:
        for font in (resources.get("/Font") or {}).values():
            font = font.get_object()
            fonts[str(font["/BaseFont"])] = font
        for xobject in (resources.get("/XObject") or {}).values():
            xobject = xobject.get_object()
            if "/Resources" in xobject:
                collect(xobject["/Resources"].get_object())

    for page in reader.pages:
        collect(page["/Resources"].get_object())
    return fonts


def test_every_font_is_embedded_and_subset(reader: pypdf.PdfReader) -> None:
    fonts = _fonts(reader)
    assert fonts, "no fonts found"
    for name, font in fonts.items():
        assert "Helvetica" not in name and "Times" not in name and "Courier" not in name
        assert re.match(r"^/[A-Z]{6}\+", name), f"{name} is not a subset"
        descendant = (
            font["/DescendantFonts"][0].get_object() if "/DescendantFonts" in font else font
        )
        descriptor = descendant["/FontDescriptor"].get_object()
        assert "/FontFile2" in descriptor, f"{name} is not embedded"
    assert any("Lato" in name for name in fonts)


def test_metadata(reader: pypdf.PdfReader) -> None:
    info = reader.metadata
    assert info is not None
    assert info.title == "IOM and South–South and Triangular Cooperation"
    assert info.author == "International Organization for Migration"
    assert "South–South" in (info.subject or "")
    assert "triangular cooperation" in str(info.get("/Keywords"))
    assert str(info.get("/Creator", "")).startswith("factsheet ")
    assert str(info.get("/CreationDate", "")).startswith("D:20211215")
    assert reader.trailer["/Root"]["/Lang"] == "en"


def test_outline_follows_headings(reader: pypdf.PdfReader) -> None:
    def titles(items: list[object]) -> list[str]:
        out: list[str] = []
        for item in items:
            out.extend(titles(item) if isinstance(item, list) else [item.title])  # type: ignore[attr-defined]
        return out

    outline = titles(reader.outline)
    assert outline[:3] == [
        "Human mobility in the Global South",
        "South–South and triangular cooperation at IOM",
        "Operational support in 2021",
    ]
    assert "At regional level" in outline


def test_two_builds_are_byte_identical(project: Path, built: Path) -> None:
    first = built.read_bytes()
    second = render(project / "factsheets" / "2021.yaml").pdf
    assert first == second


def test_written_atomically_with_mode_0644(built: Path) -> None:
    assert stat.S_IMODE(built.stat().st_mode) == 0o644
    assert not [p for p in built.parent.iterdir() if p.name.endswith(".tmp")]


def test_photo_is_downsampled_and_file_is_small(built: Path, reader: pypdf.PdfReader) -> None:
    widths = []
    for page in reader.pages:
        for image in page.images:
            widths.append(image.image.width)
    assert widths, "the hero photo is missing"
    # 210 mm at 200 ppi is 1654 px; the source photo is 2560 px wide.
    assert max(widths) <= 1700
    assert built.stat().st_size < 700_000


def test_every_block_is_placed_and_traceable(project: Path) -> None:
    rendered = render(project / "factsheets" / "2021.yaml")
    placed = {p.key_path[:4] for page in rendered.layout.pages for p in page.placements}
    spec = rendered.loaded.spec
    for p, page in enumerate(spec.pages):
        for b, block in enumerate(page.blocks):
            assert ("pages", p, "blocks", b) in placed, (
                f"block {b} ({block.kind}) of page {p} not placed"
            )
