"""Issue 12, right to left, at the speed of left to right: lines are broken in one pass
by ReportLab's breaker measuring each word shaped (so they are as full as shaped text
allows), and runs are written as one `TJ` array each (layout.shown) that puts every
glyph where ReportLab's glyph-by-glyph output puts it."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from reportlab.lib.enums import TA_JUSTIFY, TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import paragraph as rl_paragraph

from factsheet.layout import bidi, rtl_draw
from factsheet.layout.paragraph import Para

ROOT = Path(__file__).resolve().parents[1]
FONTS = {
    "S-Arabic": "assets/fonts/noto-arabic/NotoSansArabic-Regular.ttf",
    "S-Naskh": "assets/fonts/noto-arabic/NotoNaskhArabic-Regular.ttf",
    "S-Lato": "assets/fonts/lato/Lato-Regular.ttf",
}
TEXT = (
    "يتحمل الجنوب أيضاً معظم عبء النزوح. فأقل البلدان نمواً يعيش فيها نحو "
    '<font name="S-Lato">14%</font> من سكان العالم، لكنها تستضيف '
    '<font name="S-Lato">53%</font> من جميع النازحين داخلياً، وقّعت المنظمة مذكرة تفاهم. '
)


def _fonts() -> None:
    for name, path in FONTS.items():
        try:
            pdfmetrics.getFont(name)
        except KeyError:
            pdfmetrics.registerFont(TTFont(name, str(ROOT / path)))


def _style(alignment: int) -> ParagraphStyle:
    _fonts()
    style = ParagraphStyle("rtl-speed", fontName="S-Arabic", fontSize=10, leading=15)
    style.alignment = alignment
    style.rtl = 1
    return style


def _words(lines: object, line: object) -> list[tuple[str, str, float]]:
    """A broken line's words as (text, font, size), in logical order."""
    pieces = rtl_draw.line_pieces(lines, line)
    return [(text, font, size) for text, _, font, size in pieces]


@pytest.mark.parametrize("alignment", [TA_RIGHT, TA_JUSTIFY])
@pytest.mark.parametrize("width", [150.0, 200.0, 260.0])
def test_every_line_is_as_full_as_shaped_words_allow(alignment: int, width: float) -> None:
    """No line could have taken the next line's first word; none passes the width."""
    para = Para(TEXT * 3, _style(alignment))
    para.wrap(width, 1e6)
    lines = para.blPara
    assert len(lines.lines) >= 3
    shaped = [rtl_draw.line_width(lines, line) for line in lines.lines]
    assert max(shaped) <= width + 1e-6
    for after, used in zip(lines.lines[1:], shaped, strict=False):
        text, font, size = _words(lines, after)[0]
        first = text.split(" ")[0] if text.strip() else text
        room_needed = bidi.measure([(" " + first, None, font, size)])
        assert used + room_needed > width, "the next word would have fitted this line"
    # ReportLab's own measure is back in place for every other paragraph.
    assert rl_paragraph.stringWidth is pdfmetrics.stringWidth


def test_reportlabs_measure_comes_back_when_breaking_fails() -> None:
    para = Para(TEXT, _style(TA_RIGHT))

    def broken(width: object) -> object:
        assert rl_paragraph.stringWidth is not pdfmetrics.stringWidth
        raise RuntimeError("breaker failed")

    with pytest.raises(RuntimeError):
        rtl_draw.break_lines(para, broken, 200)
    assert rl_paragraph.stringWidth is pdfmetrics.stringWidth
    assert para.style.spaceShrinkage == pytest.approx(0.05)  # the style is its own again


def _render(draw: object) -> object:
    import pypdfium2

    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=(500, 60))
    text = canvas.beginText(10, 20)
    draw(text)  # type: ignore[operator]
    canvas.drawText(text)
    canvas.save()
    page = pypdfium2.PdfDocument(buffer.getvalue())[0]
    return page.render(scale=4).to_pil().convert("L")


@pytest.mark.parametrize(
    ("text", "font", "rtl"),
    [
        ("وقّعت المنظمة مذكرة تفاهمٍ للعمل معاً", "S-Naskh", True),  # marks over letters
        ("يتحمل الجنوب أيضاً معظم عبء النزوح", "S-Arabic", True),
        ("AVAWAY To, Ty. Wa", "S-Lato", False),  # kerning
    ],
)
def test_a_run_is_drawn_where_reportlab_draws_it(text: str, font: str, rtl: bool) -> None:
    from PIL import ImageChops

    from factsheet.layout import shown

    _fonts()
    glyphs = bidi.shape_words(text, font, 18.0, rtl)
    assert glyphs.moves  # something to place: offsets, kerning

    def reportlab(t: object) -> None:
        t.setFont(font, 18)  # type: ignore[attr-defined]
        t.textOut(glyphs.text)  # type: ignore[attr-defined]

    def ours(t: object) -> None:
        t.setFont(font, 18)  # type: ignore[attr-defined]
        shown.show(t, glyphs)

    assert ImageChops.difference(_render(reportlab), _render(ours)).getbbox() is None


def test_justifying_moves_only_what_follows_each_space() -> None:
    import pypdfium2

    from factsheet.layout import shown

    _fonts()
    glyphs = bidi.shape_words("AV Wa To", "S-Lato", 20.0, False)
    boxes = {}
    for extra in (0.0, 3.0):
        buffer = io.BytesIO()
        canvas = Canvas(buffer, pagesize=(300, 60))
        text = canvas.beginText(10, 20)
        text.setFont("S-Lato", 20)
        shown.show(text, glyphs, extra)
        canvas.drawText(text)
        canvas.save()
        page = pypdfium2.PdfDocument(buffer.getvalue())[0].get_textpage()
        boxes[extra] = [page.get_charbox(i)[0] for i in range(page.count_chars())]
    shifts = [b - a for a, b in zip(boxes[0.0], boxes[3.0], strict=True)]
    assert shifts == pytest.approx([0, 0, 0, 3, 3, 3, 6, 6], abs=0.05)


def test_a_raised_mark_is_set_with_the_rise_and_the_rise_ends_with_it() -> None:
    from factsheet.layout import shown

    moves = [bidi.Move(1, 10.0, -10.0, 200.0)]
    written, owed = shown.operators(b"abc", moves, 10.0, lambda b: b.decode(), 5.0)
    assert written == "[-5 (a)] TJ 2 Ts [-10 (b)] TJ 0 Ts [10 (c)] TJ"
    assert owed == 0.0
    # A move after the last glyph is owed to the next chunk of the run.
    assert shown.operators(b"ab", [bidi.Move(1, 0.0, 7.0)], 10.0, bytes.decode) == (
        "(ab) Tj",
        7.0,
    )
