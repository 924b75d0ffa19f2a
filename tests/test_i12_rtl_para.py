"""Issue 12, right to left: paragraphs. Lines are broken with shaped widths (they fill
the frame and never pass it), drawn right-aligned or justified, one font per fragment
(`<font name=...>` markup, as the fonts part of issue 12 will write it), and a split
paragraph justifies the last line of its first part like ReportLab does."""

from __future__ import annotations

import io
import itertools
from pathlib import Path

import pytest
from reportlab.lib.enums import TA_JUSTIFY, TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from factsheet.layout import rtl_draw
from factsheet.layout.paragraph import Para

ROOT = Path(__file__).resolve().parents[1]
SENTENCE = (
    "قالت المنظمة الدولية للهجرة (IOM 2021) إن 72% من المهاجرين وفقاً لتقرير Ahmed Ali "
    "حصلوا على 3.5 مليون دولار من المساعدات في العام الماضي. "
)


def _fonts() -> None:
    for name, path in (
        ("P-Arabic", "assets/fonts/noto-arabic/NotoSansArabic-Regular.ttf"),
        ("P-Lato", "assets/fonts/lato/Lato-Regular.ttf"),
    ):
        try:
            pdfmetrics.getFont(name)
        except KeyError:
            pdfmetrics.registerFont(TTFont(name, str(ROOT / path)))


def _markup(text: str) -> str:
    """Arabic runs (and the spaces between them) in Noto Sans Arabic, the rest in Lato."""
    out = ""
    for arabic, chars in itertools.groupby(text, lambda c: "\u0600" <= c <= "\u06ff" or c == " "):
        out += f'<font name="{"P-Arabic" if arabic else "P-Lato"}">{"".join(chars)}</font>'
    return out


def _style(alignment: int) -> ParagraphStyle:
    _fonts()
    style = ParagraphStyle("rtl", fontName="P-Arabic", fontSize=10, leading=15)
    style.alignment = alignment
    style.rtl = 1
    return style


def test_lines_fill_the_width_once_shaped_and_never_pass_it() -> None:
    para = Para(_markup(SENTENCE * 4), _style(TA_JUSTIFY))
    para.wrap(200, 1e6)
    shaped = [rtl_draw.line_width(para.blPara, line) for line in para.blPara.lines]
    assert max(shaped) <= 200.01
    # Broken with ReportLab's unshaped widths the lines would stop short (joined
    # Arabic letters are narrower): they fill the frame here.
    assert sum(shaped[:-1]) / len(shaped[:-1]) > 188
    plain = Para(_markup(SENTENCE * 4), _style(TA_JUSTIFY))
    lines = super(Para, plain).breakLines([200, 200])
    unshaped = [rtl_draw.line_width(lines, line) for line in lines.lines]
    assert len(shaped) < len(unshaped)


def _char_boxes(pdf: bytes) -> list[tuple[float, float, float, float]]:
    import pypdfium2

    page = pypdfium2.PdfDocument(pdf)[0]
    text = page.get_textpage()
    return [
        text.get_charbox(i) for i in range(text.count_chars()) if text.get_text_range(i, 1).strip()
    ]


def _draw(parts: list[Para], width: float) -> bytes:
    from reportlab.pdfgen.canvas import Canvas

    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=(600, 800))
    y = 780.0
    for part in parts:
        _, height = part.wrap(width, 1e6)
        y -= height
        part.drawOn(canvas, 100, y)
        y -= 40
    canvas.save()
    return buffer.getvalue()


@pytest.mark.parametrize("alignment", [TA_RIGHT, TA_JUSTIFY])
def test_lines_end_at_the_right_edge(alignment: int) -> None:
    para = Para(_markup(SENTENCE * 2), _style(alignment))
    boxes = _char_boxes(_draw([para], 200))
    rights = {}
    for _left, bottom, right, _ in boxes:
        line = round(bottom / 15)
        rights[line] = max(rights.get(line, 0.0), right)
    assert len(rights) >= 3
    assert all(r == pytest.approx(300, abs=1.0) for r in rights.values())


def test_a_split_paragraph_justifies_the_last_line_of_its_first_part() -> None:
    para = Para(_markup(SENTENCE * 4), _style(TA_JUSTIFY))
    para.wrap(200, 1e6)
    first, rest = para.split(200, 60)
    assert isinstance(first, Para) and isinstance(rest, Para)
    boxes = _char_boxes(_draw([first], 200))
    bottom_line = min(b[1] for b in boxes)
    last = [b for b in boxes if abs(b[1] - bottom_line) < 5]
    assert min(b[0] for b in last) == pytest.approx(100, abs=1.5)  # spread to the left edge
    assert max(b[2] for b in last) == pytest.approx(300, abs=1.5)


def test_left_to_right_paragraphs_are_left_alone() -> None:
    _fonts()
    style = ParagraphStyle("ltr", fontName="P-Lato", fontSize=10, leading=15)
    para = Para("Migration is largely a South-South story. " * 5, style)
    para.wrap(200, 1e6)
    assert not para.rtl
    assert para.blPara.kind == 0
