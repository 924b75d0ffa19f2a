"""Issue 12, right to left: the mirrored page. Geometry on numbers, then a small Arabic
factsheet built whole: columns from the right, text right-aligned, rules on the right,
tiles from the right, mirrored furniture, and the logical text in /ActualText."""

from __future__ import annotations

from pathlib import Path

import pytest

from factsheet.layout.geometry import Rect, mirrored_x, split_columns
from tests.rtl_project import arabic_project

AREA = Rect(40, 50, 500, 700)


def test_columns_read_from_the_right() -> None:
    ltr = split_columns(AREA, 2, 20)
    rtl = split_columns(AREA, 2, 20, rtl=True)
    assert [c.x for c in ltr] == [40, 300]
    assert [c.x for c in rtl] == [300, 40]  # the first column is the right one
    assert rtl[0].right == AREA.right


def test_mirrored_x_reflects_across_the_frame() -> None:
    assert mirrored_x(40, 10, AREA) == 530
    assert mirrored_x(530, 10, AREA) == 40


def test_styles_swap_left_and_right_in_arabic() -> None:
    from reportlab.lib.enums import TA_JUSTIFY, TA_LEFT, TA_RIGHT

    from factsheet.layout.styles import paragraph_style
    from factsheet.theme import load_theme

    theme = load_theme("un-blue", Path(__file__).resolve().parents[1])
    assert paragraph_style(theme, "lead", "en").alignment == TA_LEFT
    assert paragraph_style(theme, "lead", "ar").alignment == TA_RIGHT
    assert paragraph_style(theme, "body", "ar").alignment == TA_JUSTIFY
    assert getattr(paragraph_style(theme, "body", "ar"), "rtl", 0) == 1
    assert not getattr(paragraph_style(theme, "body", "en"), "rtl", 0)


def _content(pdf: bytes) -> str:
    import io

    import pikepdf

    with pikepdf.open(io.BytesIO(pdf)) as document:
        return "\n".join(
            pikepdf.unparse_content_stream(pikepdf.parse_content_stream(page)).decode("latin-1")
            for page in document.pages
        )


def test_arabic_page_mirrors(tmp_path: Path) -> None:
    from factsheet.build import render

    project = arabic_project(tmp_path)
    rendered = render(project / "factsheets/ar.yaml")
    page = rendered.layout.pages[0]
    first = next(p for p in page.placements if p.region.startswith("column"))
    # Reading order starts in the right column.
    assert first.kind == "heading" and first.region == "column 1"
    assert first.x > rendered.layout.paper[0] / 2
    # The paragraph's words as written, for copying and screen readers.
    text = _content(rendered.pdf)
    logical = "قالت المنظمة الدولية للهجرة (IOM 2021) إن 72% من المهاجرين"
    assert logical.encode("utf-16-be").hex().upper() in text.upper()
    assert "/Lang (ar)" in rendered.pdf.decode("latin-1")


def test_arabic_lines_end_at_the_right_edge(tmp_path: Path) -> None:
    import pypdfium2

    from factsheet.build import render

    project = arabic_project(tmp_path)
    rendered = render(project / "factsheets/ar.yaml")
    heading = next(p for p in rendered.layout.pages[0].placements if p.kind == "heading")
    pdf = pypdfium2.PdfDocument(rendered.pdf)
    text = pdf[0].get_textpage()
    height = rendered.layout.paper[1]
    # The heading's glyphs end at its frame's right edge and start well inside it.
    boxes = [
        text.get_charbox(i)
        for i in range(text.count_chars())
        if heading.y <= text.get_charbox(i)[1] <= heading.y + heading.height
        and heading.x - 1 <= text.get_charbox(i)[0]
    ]
    assert boxes
    right = max(b[2] for b in boxes)
    left = min(b[0] for b in boxes)
    assert right == pytest.approx(heading.x + heading.width, abs=1.5)
    assert left > heading.x + 20
    assert height > 0


def _actual_texts(path: Path) -> dict[tuple[int, int], str]:
    """(page, MCID) -> the /ActualText of the spans inside that marked content, as the
    file declares them. (PDFium reorders right-to-left ActualText once more when it
    extracts it, so tests read the file's own words here.)"""
    import pikepdf

    found: dict[tuple[int, int], str] = {}
    with pikepdf.open(path) as pdf:
        for index, page in enumerate(pdf.pages):
            mcid = -1
            for operands, operator in pikepdf.parse_content_stream(page):
                if str(operator) != "BDC" or not isinstance(operands[1], pikepdf.Dictionary):
                    continue
                if "/MCID" in operands[1]:
                    mcid = int(operands[1].MCID)
                elif "/ActualText" in operands[1] and mcid >= 0:
                    key = (index, mcid)
                    found[key] = found.get(key, "") + str(operands[1].ActualText)
    return found


def test_reading_order_and_links_follow_the_logical_text(tmp_path: Path) -> None:
    import pikepdf

    from factsheet.build import build
    from tests.tagged_text import Read, _walk

    project = arabic_project(tmp_path)
    result = build(project / "factsheets/ar.yaml")
    tree: list[Read] = []
    with pikepdf.open(result.output) as pdf:
        pages = {page.objgen: n for n, page in enumerate(pdf.pages)}
        _walk(pdf.Root.StructTreeRoot.K, None, 0, pages, _actual_texts(result.output), tree)
        rects = [
            [float(v) for v in a.Rect]
            for a in pdf.pages[0].Annots
            if "unsouthsouth" in str(a.get("/A", {}).get("/URI", ""))
        ]
    texts = [(r.role, r.text.strip()) for r in tree if r.text.strip()]
    # The band, then the heading that tops the right-hand column, words as written.
    assert texts[0] == ("P", "صحيفة وقائع · 2021")
    assert texts[1] == ("H1", "المنظمة الدولية للهجرة والتعاون")
    assert texts[2] == ("H2", "التنقل البشري في بلدان الجنوب")
    assert texts[3][1].startswith("قالت المنظمة الدولية للهجرة (IOM 2021) إن 72% من")
    # Tiles are read from the right: the first tile first.
    bodies = [r.text for r in tree if r.role == "LBody"]
    assert bodies[0].startswith("72%") and bodies[1].startswith("3.5"), bodies
    # A table's cells too: its first column (on the right) first.
    assert [r.text for r in tree if r.role == "TH"] == ["الفئة", "النسبة"]
    assert [r.text for r in tree if r.role == "TD"][:2] == ["السكان", "14%"]
    links = [r.alt for r in tree if r.role == "Link"]
    assert "مكتب الأمم المتحدة" in links
    # The link's rectangles lie over its words, inside the paragraph's (right) column.
    assert rects
    for left, _, right, _ in rects:
        assert 595.2756 / 2 < left < right <= 595.2756 - 40


def test_hbar_margins_and_notes_mirror() -> None:
    from factsheet.charts.kinds import mirrored_note
    from factsheet.charts.plot import Margins, Note

    note = Note("n", 30, 10, "left", "bottom", leader=(30, 10, 50, 20))
    flipped = mirrored_note(note, 200)
    assert (flipped.x, flipped.align, flipped.leader) == (170, "right", (170, 10, 150, 20))
    assert mirrored_note(Note("c", 100, 0, "center", "bottom"), 200).x == 100
    assert Margins(60, 8, 4, 4)._replace(left=8, right=60) == Margins(8, 60, 4, 4)


def test_title_band_puts_the_logo_on_the_left(tmp_path: Path) -> None:
    import pypdfium2
    import pypdfium2.raw as raw

    from factsheet.build import render

    project = arabic_project(tmp_path)
    rendered = render(project / "factsheets/ar.yaml")
    band = next(p for p in rendered.layout.pages[0].placements if p.kind == "title_band")
    page = pypdfium2.PdfDocument(rendered.pdf)[0]
    texts = [
        obj.get_bounds()
        for obj in page.get_objects(max_depth=4)
        if obj.type == raw.FPDF_PAGEOBJ_TEXT and obj.get_bounds()[1] >= band.y - 1
    ]
    shapes = [
        obj.get_bounds()
        for obj in page.get_objects(max_depth=4)
        if obj.type == raw.FPDF_PAGEOBJ_PATH
        and obj.get_bounds()[1] >= band.y - 1
        and obj.get_bounds()[2] - obj.get_bounds()[0] < 100  # not the band's background
    ]
    width = rendered.layout.paper[0]
    assert texts and shapes
    assert max(t[2] for t in texts) > width * 0.85  # the title ends at the right
    assert max(s[2] for s in shapes) < width * 0.25  # the logo sits at the left


def test_table_columns_run_from_the_right(tmp_path: Path) -> None:
    from factsheet.blocks.table import DataGrid
    from factsheet.build import render

    project = arabic_project(tmp_path)
    placed = [
        p
        for p in render(project / "factsheets/ar.yaml").layout.pages[0].placements
        if isinstance(p.flowable, DataGrid)
    ]
    grid = placed[0].flowable
    header = [next(iter(cell)).markup for cell in grid._cellvalues[0]]
    assert header == ["النسبة", "الفئة"]  # left to right: the first column at the right
    assert grid.rtl
