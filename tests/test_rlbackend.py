"""The ReportLab renderer draws real charts as vectors with selectable Lato text, in
the right place: checked on the PDF's objects with pypdf and on its pixels with
pypdfium2."""

from __future__ import annotations

import io
import re
from pathlib import Path

import numpy as np
import pypdfium2 as pdfium
import pytest
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties, weight_dict
from PIL import Image
from pypdf import PageObject, PdfReader
from pypdf.generic import DictionaryObject
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

from factsheet.charts.rlbackend import RLRenderer, draw_figure

FONTS = Path(__file__).resolve().parents[1] / "assets" / "fonts" / "lato"
PAGE = (420.0, 300.0)
SCALE = 2.0  # render at 144 dpi
BAR_RGB = (204, 51, 17)  # "#cc3311"


@pytest.fixture(scope="module", autouse=True)
def _lato() -> None:
    pdfmetrics.registerFont(TTFont("Lato", str(FONTS / "Lato-Regular.ttf")))
    pdfmetrics.registerFont(TTFont("Lato-Bold", str(FONTS / "Lato-Bold.ttf")))


def lato(prop: FontProperties) -> str:
    weight = prop.get_weight()
    number = weight if isinstance(weight, int) else weight_dict.get(weight, 400)
    return "Lato-Bold" if number >= 600 else "Lato"


def bar_chart(title: str = "Asset allocation") -> Figure:
    # A fixed layout, so the bars' place can be worked out by hand below.
    fig = Figure(figsize=(4.0, 3.0), dpi=72)
    fig.subplots_adjust(left=0.2, right=0.95, bottom=0.2, top=0.85)
    ax = fig.add_subplot()
    ax.bar([0, 1, 2], [80, 50, 20], width=0.8, color="#cc3311")
    ax.set_xlim(-0.5, 2.5)
    ax.set_ylim(0, 100)
    ax.set_xticks([0, 1, 2], ["Equity", "Bonds", "Cash"])
    ax.set_title(title, fontweight="bold")
    ax.set_xlabel("Asset class")
    ax.set_ylabel("Weight (%)")
    return fig


def line_chart() -> Figure:
    fig = Figure(figsize=(3.5, 2.5), dpi=72, layout="constrained")
    ax = fig.add_subplot()
    years = np.arange(2018, 2025)
    ax.plot(years, [100, 104, 97, 112, 108, 121, 130], color="#0077bb", marker="o")
    ax.plot(years, [100, 102, 104, 106, 108, 110, 112], color="#009988", linestyle="--")
    ax.set_title("Growth of 100")
    ax.set_xlabel("Year")
    ax.set_ylabel("Value")
    return fig


def render(*placed: tuple[Figure, float, float]) -> bytes:
    buf = io.BytesIO()
    # initialFontName keeps ReportLab from listing Helvetica as the page's start font.
    canvas = Canvas(buf, pagesize=PAGE, initialFontName="Lato")
    for fig, x, y in placed:
        draw_figure(canvas, fig, x, y, lato)
    canvas.showPage()
    canvas.save()
    return buf.getvalue()


def first_page(pdf: bytes) -> PageObject:
    return PdfReader(io.BytesIO(pdf)).pages[0]


def resources(page: PageObject) -> DictionaryObject:
    found = page["/Resources"].get_object()
    assert isinstance(found, DictionaryObject)
    return found


def raster(pdf: bytes) -> Image.Image:
    page = pdfium.PdfDocument(pdf)[0]
    image: Image.Image = page.render(scale=SCALE).to_pil().convert("RGB")
    return image


def pixel(image: Image.Image, x_pt: float, y_pt: float) -> tuple[int, int, int]:
    """The rendered colour at a point given in PDF page coordinates."""
    value = image.getpixel((round(x_pt * SCALE), round((PAGE[1] - y_pt) * SCALE)))
    assert isinstance(value, tuple)
    return (int(value[0]), int(value[1]), int(value[2]))


def close(actual: tuple[int, int, int], expected: tuple[int, int, int]) -> bool:
    return all(abs(a - e) <= 12 for a, e in zip(actual, expected, strict=True))


def test_chart_text_is_real_text() -> None:
    text = first_page(render((bar_chart(), 10, 10))).extract_text()
    for label in ["Asset allocation", "Equity", "Bonds", "Cash", "Weight (%)", "Asset class"]:
        assert label in text
    for tick in ["0", "20", "40", "60", "80", "100"]:
        assert re.search(rf"(?<!\d){tick}(?!\d)", text)


def test_line_chart_text_is_real_text() -> None:
    text = first_page(render((line_chart(), 10, 10))).extract_text()
    for label in ["Growth of 100", "Year", "Value", "2018", "2020", "2022", "2024"]:
        assert label in text


def test_only_lato_is_used() -> None:
    pdf = render((bar_chart(), 0, 0), (line_chart(), 170, 40))
    fonts = resources(first_page(pdf))["/Font"].get_object()
    assert isinstance(fonts, DictionaryObject)
    base_fonts = {str(ref.get_object()["/BaseFont"]) for ref in fonts.values()}
    assert base_fonts
    assert all(re.fullmatch(r"/[A-Z]{6}\+Lato-(Regular|Bold)", name) for name in base_fonts)
    assert any(name.endswith("Lato-Bold") for name in base_fonts)
    assert b"Helvetica" not in pdf


def test_bar_chart_is_vector() -> None:
    page = first_page(render((bar_chart(), 0, 0)))
    contents = page.get_contents()
    assert contents is not None
    ops = set(contents.get_data().decode("latin-1").split())
    assert {"m", "l", "h", "f", "S", "re", "W", "n", "Tj"} <= ops
    assert "/XObject" not in resources(page)


def test_bars_drawn_in_place() -> None:
    x0, y0 = 30.0, 20.0
    image = raster(render((bar_chart(), x0, y0)))

    # Axes box in figure points: x 57.6..273.6, y 43.2..183.6, xlim -0.5..2.5,
    # ylim 0..100; so data (u, v) lands at page (x0 + 57.6 + 72 * (u + 0.5),
    # y0 + 43.2 + 1.404 * v).
    def page_xy(u: float, v: float) -> tuple[float, float]:
        return x0 + 57.6 + 72.0 * (u + 0.5), y0 + 43.2 + 1.404 * v

    for u, height in [(0, 80), (1, 50), (2, 20)]:
        assert close(pixel(image, *page_xy(u, height / 2)), BAR_RGB)
        assert close(pixel(image, *page_xy(u, height - 1)), BAR_RGB)
        assert close(pixel(image, *page_xy(u, height + 1)), (255, 255, 255))
        assert close(pixel(image, *page_xy(u + 0.45, height / 2)), (255, 255, 255))
    # Each bar's sides within a point of where they belong (a bar is 0.8 units wide).
    for u in [0, 1, 2]:
        left, mid = page_xy(u - 0.4, 10)
        right, _ = page_xy(u + 0.4, 10)
        assert close(pixel(image, left + 1, mid), BAR_RGB)
        assert close(pixel(image, left - 1, mid), (255, 255, 255))
        assert close(pixel(image, right - 1, mid), BAR_RGB)
        assert close(pixel(image, right + 1, mid), (255, 255, 255))


def test_dollar_signs_print_literally() -> None:
    pdf = render((bar_chart(title="Paid $5 and $6"), 0, 0))
    assert "Paid $5 and $6" in first_page(pdf).extract_text()


def test_y_label_is_rotated() -> None:
    image = raster(render((bar_chart(), 0, 0)))
    # The y label is alone in the leftmost 30 points of the figure, left of the tick
    # labels; set at 90 degrees its ink is a tall, narrow column.
    left = np.asarray(image.crop((0, 0, round(30 * SCALE), image.height)).convert("L"))
    rows, cols = np.nonzero(left < 128)
    assert rows.size
    assert np.ptp(rows) > 4 * np.ptp(cols)


def test_image_rows_keep_their_order() -> None:
    fig = Figure(figsize=(2.0, 2.0), dpi=72)
    ax = fig.add_axes((0.0, 0.0, 1.0, 1.0))
    ax.set_axis_off()
    ax.imshow(np.array([[[255, 0, 0]], [[0, 0, 255]]], dtype=np.uint8), aspect="auto")
    pdf = render((fig, 0, 0))
    assert "/XObject" in resources(first_page(pdf))
    image = raster(pdf)
    assert close(pixel(image, 72, 108), (255, 0, 0))  # upper row on top
    assert close(pixel(image, 72, 36), (0, 0, 255))


def test_figure_is_left_as_found() -> None:
    fig = bar_chart()
    fig.set_dpi(100)
    canvas_before = fig.canvas
    render((fig, 0, 0))
    assert fig.dpi == 100
    assert fig.canvas is canvas_before


def test_text_is_measured_with_the_drawn_font() -> None:
    canvas = Canvas(io.BytesIO(), initialFontName="Lato")
    renderer = RLRenderer(canvas, 100.0, 100.0, lato)
    prop = FontProperties(size=10, weight="bold")
    width, height, descent = renderer.get_text_width_height_descent("Cash $5", prop, True)
    assert width == pytest.approx(pdfmetrics.stringWidth("Cash $5", "Lato-Bold", 10))
    ascent, font_descent = pdfmetrics.getAscentDescent("Lato-Bold", 10)
    assert (height, descent) == pytest.approx((ascent - font_descent, -font_descent))


def test_base14_fonts_are_refused() -> None:
    with pytest.raises(ValueError, match="TrueType"):
        draw_figure(Canvas(io.BytesIO()), bar_chart(), 0, 0, lambda prop: "Helvetica")
