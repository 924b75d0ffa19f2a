"""Silent rendering faults (issue 10): text drawn past its frame, glyphs that vanish,
empty cells charted as zeros, right-to-left text drawn backwards, and SVG references
refused without a word. Each case printed a wrong PDF with exit 0 and no warning."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pypdfium2
import pytest
from click.testing import CliRunner

from factsheet.build import render
from factsheet.cli import main
from factsheet.layout.pages import page_frame, span_width
from factsheet.layout.paragraph import Para
from factsheet.layout.styles import paragraph_style
from factsheet.theme import load_theme
from tests.projects import make_project

URL = (
    "https://www.example.org/reports/2021/south-south-cooperation/annex-statistics/"
    "migration_flows_by_region_and_corridor.pdf?download=true&lang=en"
)
BREAK_AFTER = "/.-?&=_"


def run(project: Path, *args: str) -> tuple[int, str, str]:
    old = Path.cwd()
    os.chdir(project)
    try:
        result = CliRunner().invoke(main, list(args))
    finally:
        os.chdir(old)
    return result.exit_code, result.stdout, result.stderr


def one_page(blocks: str, title: str = "Checked", columns: int = 2) -> str:
    return (
        f'document: {{title: "{title}", author: Test Org, year: 2024, pages: 1}}\n'
        "theme: un-blue\n"
        f"pages:\n  - columns: {columns}\n    blocks:\n{blocks}"
    )


# --- long words -------------------------------------------------------------------------


def char_boxes(pdf: bytes, above: float = 0.0) -> list[tuple[str, float, float]]:
    """(character, left, right) of every character drawn on page 1 above `above`."""
    page = pypdfium2.PdfDocument(pdf)[0]
    text = page.get_textpage()
    out = []
    for i in range(text.count_chars()):
        char = text.get_text_range(i, 1)
        if char.strip():
            left, bottom, right, _ = text.get_charbox(i)
            if bottom > above:
                out.append((char, left, right))
    return out


def test_a_long_url_breaks_inside_its_column(tmp_path: Path) -> None:
    blocks = (
        f'      - paragraph: "Read the annex at {URL} today."\n'
        f'      - paragraph: "Or follow [{URL}]({URL}) instead."\n'
        f"      - contact: {{name: Test Org, website: '{URL}'}}\n"
    )
    project = make_project(tmp_path / "p", specs={"url.yaml": one_page(blocks)})
    rendered = render(project / "factsheets" / "url.yaml")
    theme = load_theme("un-blue", project)
    frame = page_frame(theme, "A4", 2)
    right_edge = frame.content.x + span_width(frame, "column")
    drawn = char_boxes(rendered.pdf, above=frame.content.y)
    assert sum(c == "?" for c, _, _ in drawn) == 3  # every URL was drawn
    past = [(c, round(r - right_edge, 1)) for c, _, r in drawn if r > right_edge + 0.5]
    assert past == []  # before: the URLs ran across the gap into the right column


@pytest.mark.parametrize("justified", [True, False])
def test_long_words_break_after_slashes_and_dots(justified: bool) -> None:
    theme = load_theme("un-blue", Path(__file__).resolve().parents[1])
    style = paragraph_style(theme, "body" if justified else "contact", "en")
    escaped = URL.replace("&", "&amp;")
    for markup in (f"See {escaped} now.", f'See <a href="{escaped}">{escaped}</a> now.'):
        para = Para(markup, style)
        para.wrap(150, 1e6)
        lines = ["".join(w.text for w in line.words) for line in para.blPara.lines]
        assert "".join(lines).replace(" ", "") == f"See{URL}now."
        assert all(line.extraSpace >= -0.01 for line in para.blPara.lines), lines
        assert len(lines) >= 4
        for line in lines[:-1]:  # a break inside the URL follows a break character
            tail = line.split()[-1]
            if tail in URL and not URL.endswith(tail):
                assert tail[-1] in BREAK_AFTER, lines


# --- glyphs and right-to-left text ------------------------------------------------------

GLYPHS = """\
document: {title: "Migration 移民", author: Test Org, year: 2024, pages: 1}
theme: un-blue
pages:
  - blocks:
      - hero: {image: assets/photos/evening-glow.jpg, height: 60mm, caption: "Dusk 🌅",
               credit: "Photo 写真", alt: A photo}
      - title_band: {kicker: "Kicker ★"}
      - paragraph: "Plain text."
"""


@pytest.mark.parametrize("command", ["check", "build"])
def test_every_drawn_text_goes_through_the_glyph_check(tmp_path: Path, command: str) -> None:
    project = make_project(tmp_path / "p", specs={"glyphs.yaml": GLYPHS})
    code, _, err = run(project, command, "factsheets/glyphs.yaml")
    assert code == 65, err
    assert "Traceback" not in err
    lines = err.splitlines()
    for expected in (
        "factsheets/glyphs.yaml:1:19: document.title: the page footer: the character '移' "
        "(U+79FB, cjk unified ideograph-79fb, CJK Unified Ideographs block) is in none of the "
        "fonts tried: sans (Lato-Regular)",
        "factsheets/glyphs.yaml:5:15: pages[0].blocks[0].hero: the character '🌅' (U+1F305, "
        "sunrise, Miscellaneous Symbols and Pictographs block) is in none of the fonts tried: "
        "sans (Lato-Regular)",
        "pages[0].blocks[0].hero: the character '写' (U+5199",
        "pages[0].blocks[1].title_band: the character '★' (U+2605, black star, Miscellaneous "
        "Symbols block) is in none of the fonts tried: sans (Lato-Bold)",
        "pages[0].blocks[1].title_band: the character '移' (U+79FB, cjk unified "
        "ideograph-79fb, CJK Unified Ideographs block) is in none of the fonts tried: "
        "display (Lato-Black)",
    ):
        assert any(expected in line for line in lines), (expected, err)
    assert "(use another character, or list a font family that has it in the theme's " in err
    assert not (project / "output" / "glyphs.pdf").exists()


DEJAVU = Path("/usr/share/fonts/truetype/dejavu")


@pytest.mark.skipif(not (DEJAVU / "DejaVuSans.ttf").exists(), reason="needs DejaVu Sans")
def test_right_to_left_text_is_an_error_even_with_a_font_that_has_it(tmp_path: Path) -> None:
    spec = """\
document: {title: "Cities", author: Test Org, year: 2024, pages: 1}
theme: dejavu
data:
  cities: {file: data/cities.csv}
pages:
  - blocks:
      - paragraph: "Shalom שלום here."
      - chart: {type: bar, source: cities, x: city, y: people, title: People}
"""
    data = {"cities.csv": "city,people\nParis,10\nعمان,4\n"}
    project = make_project(tmp_path / "p", data, {"rtl.yaml": spec})
    fonts = project / "assets" / "fonts" / "dejavu"
    fonts.mkdir()
    for name in ("DejaVuSans.ttf", "DejaVuSans-Bold.ttf", "DejaVuSans-Oblique.ttf"):
        (fonts / name).write_bytes((DEJAVU / name).read_bytes())
    theme = (project / "assets" / "themes" / "un-blue.yaml").read_text()
    for old, new in (("Lato-Bold", "DejaVuSans-Bold"), ("Lato-Italic", "DejaVuSans-Oblique")):
        theme = theme.replace(f"fonts/lato/{old}.ttf", f"fonts/dejavu/{new}.ttf")
    theme = re.sub(r"fonts/lato/Lato-\w+\.ttf", "fonts/dejavu/DejaVuSans.ttf", theme)
    (project / "assets" / "themes" / "dejavu.yaml").write_text(theme)
    code, _, err = run(project, "build", "factsheets/rtl.yaml")
    assert code == 65, err
    tail = (
        "in a document written left to right: factsheet sets right-to-left text only in a "
        "right-to-left document, with the page mirrored (here it would be drawn backwards, "
        "its letters unjoined) (for a factsheet in this script, set `document.language` to "
        "its language (such as ar) and give the theme a font chain for it (`scripts:`); "
        "otherwise write this text in a left-to-right script)"
    )
    assert err.splitlines()[:2] == [
        "Error: factsheets/rtl.yaml:7:20: pages[0].blocks[0].paragraph: 'Shalom שלום here.' "
        f"is right-to-left text (hebrew, U+05E9) {tail}",
        "Error: factsheets/rtl.yaml:8:16: pages[0].blocks[1].chart: 'عمان' is right-to-left "
        f"text (arabic, U+0639) {tail}",
    ]
    assert not (project / "output" / "rtl.pdf").exists()
