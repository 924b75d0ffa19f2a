"""Every block kind, built from a small spec and laid out: what lands where, and what
text reaches the PDF."""

from __future__ import annotations

import io
import shutil
import textwrap
from pathlib import Path

import pypdf
import pytest
from PIL import Image

from factsheet.build import Rendered, render
from factsheet.errors import LayoutError, SpecError
from tests.projects import make_project

ROOT = Path(__file__).resolve().parents[1]

SPEC = """\
document:
  title: Every block
  author: Test Org
  year: 2024
  pages: 3
theme: un-blue
data:
  series: {file: data/series.csv}
figures:
  latest: {source: series, where: {year: 2023}, column: value,
           format: {style: compact, decimals: 1}}
  growth: {source: series, column: value, aggregate: change, from: {year: 2020}, to: {year: 2023},
           relative: true, format: {style: percent, sign: true}}
pages:
  - template: cover
    blocks:
      - hero: {image: assets/photos/photo.png, caption: A caption, credit: A credit, height: 60mm,
               alt: A test photo}
      - title_band: {kicker: KICKER}
      - heading: First heading
      - paragraph: "Latest value {{ latest }}, growth {{ growth }} since 2020."
      - chart: {type: line, source: series, x: year, y: value, title: Line chart title,
                format: {style: compact, decimals: 1}, height: 45mm}
      - column_break:
      - image: {file: assets/logos/emblem-blue.svg, width: 20mm, caption: An SVG logo,
                alt: The emblem}
      - image: {file: assets/photos/photo.png, width: 40mm, caption: A raster image,
                alt: A photo}
      - spacer: 10mm
      - quote: {text: A quotation, attribution: Someone}
  - blocks:
      - callout: {number: "{{ latest }}", label: the label, text: Callout text}
      - page_break:
      - paragraph: Closing words.
      - contact: {name: Org, email: someone@example.org, website: https://example.org, span: page}
"""


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    series = "year,value\n2020,1000000\n2021,1200000\n2022,1250000\n2023,1500000\n"
    root = make_project(
        tmp_path_factory.mktemp("blocks"), {"series.csv": series}, {"blocks.yaml": SPEC}
    )
    Image.new("RGB", (800, 400), (200, 30, 30)).save(root / "assets" / "photos" / "photo.png")
    return root


@pytest.fixture(scope="module")
def rendered(project: Path) -> Rendered:
    return render(project / "factsheets" / "blocks.yaml")


def test_every_kind_is_placed_in_reading_order(rendered: Rendered) -> None:
    kinds = [[p.kind for p in page.placements] for page in rendered.layout.pages]
    assert kinds[0] == [
        "hero", "title_band", "heading", "paragraph", "chart", "image", "image", "image",
        "image", "spacer", "quote",
    ]  # fmt: skip
    assert kinds[1] == ["callout"]
    assert kinds[2] == ["paragraph", "contact"]


def test_column_break_moves_to_second_column(rendered: Rendered) -> None:
    page = rendered.layout.pages[0]
    regions = {p.kind: p.region for p in page.placements if p.kind in ("chart", "quote")}
    assert regions == {"chart": "column 1", "quote": "column 2"}


def test_bleed_blocks_span_the_paper(rendered: Rendered) -> None:
    hero = rendered.layout.pages[0].placements[0]
    assert (hero.x, hero.width) == (0, pytest.approx(595.2756))
    assert hero.y + hero.height == pytest.approx(841.8898)
    band = rendered.layout.pages[0].placements[1]
    assert band.y + band.height == pytest.approx(hero.y)


def test_contact_spans_the_text_width_at_the_foot(rendered: Rendered) -> None:
    contact = rendered.layout.pages[2].placements[-1]
    content = rendered.layout.pages[2]
    assert contact.region == "tail"
    assert contact.width == pytest.approx(595.2756 - 2 * 15 * 72 / 25.4, abs=0.01)
    assert content.number == 3


def test_text_reaches_the_pdf(rendered: Rendered) -> None:
    reader = pypdf.PdfReader(io.BytesIO(rendered.pdf))
    text = " ".join(page.extract_text() for page in reader.pages)
    for expected in (
        "Latest value 1.5M, growth +50% since 2020.",
        "Line chart title",
        "An SVG logo",
        "A raster image",
        "A quotation",
        "Callout text",
        "someone@example.org",
        "KICKER",
        "2021",  # a tick label of the line chart, as real text
    ):
        assert expected in text, expected
    assert len(reader.pages) == 3


def test_svg_image_draws_no_base14_font(rendered: Rendered) -> None:
    assert b"Helvetica" not in rendered.pdf


def _spec_with(project: Path, tmp_path: Path, old: str, new: str) -> Path:
    root = tmp_path / "p"
    shutil.copytree(project, root)
    path = root / "factsheets" / "blocks.yaml"
    path.write_text(path.read_text().replace(old, new))
    return path


def test_full_width_block_in_the_middle_is_refused(project: Path, tmp_path: Path) -> None:
    path = _spec_with(
        project, tmp_path, "      - column_break:\n", "      - quote: {span: page, text: Wide}\n"
    )
    with pytest.raises(LayoutError, match="'page'-wide quote must come at the start or the end"):
        render(path)


def test_page_budget_counts_page_breaks(project: Path, tmp_path: Path) -> None:
    path = _spec_with(project, tmp_path, "  pages: 3", "  pages: 2")
    with pytest.raises(LayoutError, match="needs 3 pages but its budget is 2"):
        render(path)


def test_image_outside_the_project_is_refused(project: Path, tmp_path: Path) -> None:
    path = _spec_with(project, tmp_path, "file: assets/logos/emblem-blue.svg", "file: ../x.svg")
    with pytest.raises(SpecError, match=r"must not contain '\.\.'"):
        render(path)


def test_markdown_in_spec_cannot_inject_markup(project: Path, tmp_path: Path) -> None:
    path = _spec_with(
        project, tmp_path, "Callout text", '<font color=red>x</font> <img src="y"/> &amp;'
    )
    reader = pypdf.PdfReader(io.BytesIO(render(path).pdf))
    text = reader.pages[1].extract_text()
    assert '<font color=red>x</font> <img src="y"/> &amp;' in textwrap.dedent(text)
