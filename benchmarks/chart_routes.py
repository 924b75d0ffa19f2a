"""Time the ways a matplotlib chart can reach a ReportLab PDF page.

Draws the same bar chart and line chart (each 85 mm x 55 mm, titles, axis labels and
tick labels in Lato) onto one A4 page by each route, and prints the median time per
route over N runs and the resulting PDF's size. Building the matplotlib figures is not
timed; drawing, rasterising or serialising, embedding and writing the PDF are.

Routes:
  rlbackend   factsheet.charts.rlbackend.draw_figure: vectors, real Lato text
  png-200dpi  fig.savefig(format="png", dpi=200) placed with canvas.drawImage
  svg-paths   fig.savefig(format="svg") (text as outlines) converted by svglib
  svg-text    the same with svg.fonttype "none", svglib mapping Lato to our TTF

Run: python benchmarks/chart_routes.py [--runs N] [--out DIR]
"""

from __future__ import annotations

import argparse
import io
import re
import statistics
import time
from collections.abc import Callable
from pathlib import Path

import matplotlib as mpl
import numpy as np
from matplotlib import font_manager
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties, weight_dict
from reportlab.lib.pagesizes import A4
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

from factsheet.charts.rlbackend import draw_figure

FONTS = Path(__file__).resolve().parents[1] / "assets" / "fonts" / "lato"
MM = 72 / 25.4
CHART_W, CHART_H = 85 * MM, 55 * MM
# Where the two charts go on the page (lower-left corners, points).
PLACES = [(20 * MM, 200 * MM), (110 * MM, 200 * MM)]
Route = Callable[[Canvas, Figure, float, float], None]


def setup_fonts() -> None:
    for name, file in [("Lato", "Lato-Regular.ttf"), ("Lato-Bold", "Lato-Bold.ttf")]:
        pdfmetrics.registerFont(TTFont(name, str(FONTS / file)))
        # matplotlib's own backends (PNG, SVG) must find Lato too, for a fair match.
        font_manager.fontManager.addfont(str(FONTS / file))


def lato(prop: FontProperties) -> str:
    weight = prop.get_weight()
    number = weight if isinstance(weight, int) else weight_dict.get(weight, 400)
    return "Lato-Bold" if number >= 600 else "Lato"


def bar_chart() -> Figure:
    fig = Figure(figsize=(CHART_W / 72, CHART_H / 72), dpi=72, layout="constrained")
    ax = fig.add_subplot()
    ax.bar(["Equity", "Bonds", "Property", "Cash"], [54.2, 28.7, 11.3, 5.8], color="#1f5f8b")
    ax.set_title("Asset allocation", fontweight="bold")
    ax.set_xlabel("Asset class")
    ax.set_ylabel("Weight (%)")
    return fig


def line_chart() -> Figure:
    fig = Figure(figsize=(CHART_W / 72, CHART_H / 72), dpi=72, layout="constrained")
    ax = fig.add_subplot()
    months = np.arange(60)
    rng = np.random.default_rng(7)
    fund = 100 * np.cumprod(1 + rng.normal(0.006, 0.03, months.size))
    index = 100 * np.cumprod(1 + rng.normal(0.005, 0.025, months.size))
    ax.plot(months, fund, color="#1f5f8b", linewidth=1.4, label="Fund")
    ax.plot(months, index, color="#c8553d", linewidth=1.0, linestyle="--", label="Index")
    ax.set_title("Growth of 100", fontweight="bold")
    ax.set_xlabel("Months")
    ax.set_ylabel("Value")
    ax.legend(loc="upper left", frameon=False)
    ax.grid(True, linewidth=0.4, alpha=0.5)
    return fig


def build_figures() -> list[Figure]:
    with mpl.rc_context({"font.family": "Lato", "font.size": 8}):
        return [bar_chart(), line_chart()]


def route_rlbackend(canvas: Canvas, fig: Figure, x: float, y: float) -> None:
    draw_figure(canvas, fig, x, y, lato)


def route_png(canvas: Canvas, fig: Figure, x: float, y: float) -> None:
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=200)
    buf.seek(0)
    canvas.drawImage(ImageReader(buf), x, y, CHART_W, CHART_H)


def svg_route(text_as_text: bool) -> Route | None:
    try:
        from reportlab.graphics import renderPDF
        from svglib.fonts import register_font
        from svglib.svglib import svg2rlg
    except ImportError:
        return None
    register_font("Lato", str(FONTS / "Lato-Regular.ttf"), rlgFontName="Lato")
    # matplotlib writes bold as font-weight 700, which svglib does not equate with "bold".
    for weight in ["bold", "700"]:
        register_font("Lato", str(FONTS / "Lato-Bold.ttf"), weight=weight, rlgFontName="Lato-Bold")
    fonttype = "none" if text_as_text else "path"

    def route(canvas: Canvas, fig: Figure, x: float, y: float) -> None:
        buf = io.BytesIO()
        with mpl.rc_context({"svg.fonttype": fonttype}):
            fig.savefig(buf, format="svg")
        buf.seek(0)
        drawing = svg2rlg(buf)
        renderPDF.draw(drawing, canvas, x, y)

    return route


def render_page(route: Route, figures: list[Figure]) -> bytes:
    buf = io.BytesIO()
    canvas = Canvas(buf, pagesize=A4, initialFontName="Lato")
    for fig, (x, y) in zip(figures, PLACES, strict=True):
        route(canvas, fig, x, y)
    canvas.showPage()
    canvas.save()
    return buf.getvalue()


def time_route(route: Route, runs: int) -> tuple[float, bytes]:
    render_page(route, build_figures())  # warm caches (fonts, imports) untimed
    times = []
    pdf = b""
    for _ in range(runs):
        figures = build_figures()
        start = time.perf_counter()
        pdf = render_page(route, figures)
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times), pdf


def fonts_in(pdf: bytes) -> str:
    names = sorted({m.decode() for m in re.findall(rb"/BaseFont /(?:[A-Z]{6}\+)?([\w-]+)", pdf)})
    return ", ".join(names) or "none"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15, help="timed runs per route")
    parser.add_argument("--out", type=Path, help="also write each route's PDF here")
    args = parser.parse_args()
    setup_fonts()
    routes: dict[str, Route | None] = {
        "rlbackend": route_rlbackend,
        "png-200dpi": route_png,
        "svg-paths": svg_route(text_as_text=False),
        "svg-text": svg_route(text_as_text=True),
    }
    print(f"two charts of {85} x {55} mm on one page, median of {args.runs} runs")
    print(f"{'route':<12} {'ms':>8} {'PDF KiB':>9}  fonts in PDF")
    for name, route in routes.items():
        if route is None:
            print(f"{name:<12} {'skipped: svglib is not installed':>30}")
            continue
        ms, pdf = time_route(route, args.runs)
        print(f"{name:<12} {ms:8.1f} {len(pdf) / 1024:9.1f}  {fonts_in(pdf)}")
        if args.out:
            args.out.mkdir(parents=True, exist_ok=True)
            (args.out / f"{name}.pdf").write_bytes(pdf)


if __name__ == "__main__":
    main()
