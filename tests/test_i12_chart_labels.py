"""Issue 12, chart labels in other scripts measured as they are drawn: a Chinese
category label is set in the CJK font of its chain, so the room the chart's frame keeps
for it and the width matplotlib places it with are that font's, never the Latin face's
(which has no CJK glyphs and measured "世界人口" at half its width, so the label ran
under its bar and read "世界人"); an Arabic label is measured shaped and reordered, as it
is drawn. Checked on the drawn chart (its recording), not on pixels."""

from __future__ import annotations

from pathlib import Path

import pytest
from matplotlib.font_manager import FontProperties
from reportlab.pdfbase.pdfmetrics import getAscentDescent

from factsheet.build import render
from factsheet.render.recording import Recording
from tests.chart_geometry import TextBox, drawn_paths, overlapping, recordings, text_boxes
from tests.projects import make_project

CJK = "DroidSansFallbackFull"
ARABIC = "NotoSansArabic-Regular"

CHINESE_ROWS = "measure,share\n世界人口,0.14\n境内流离失所者,0.53\nIOM 南南移民,0.37\n"
ARABIC_ROWS = "measure,share\nسكان العالم,0.14\nالنازحون داخلياً,0.53\nمن الجنوب إلى الشمال,0.35\n"


def _chart(tmp_path: Path, lang: str, rows: str, kind: str = "hbar") -> Recording:
    spec = (
        f"document: {{title: Chart, author: IOM, year: 2021, pages: 1, language: {lang}}}\n"
        "theme: un-blue\n"
        "data: {rows: {file: data/rows.csv, columns: {measure: text, share: number}}}\n"
        "pages:\n  - blocks:\n"
        f"      - chart: {{type: {kind}, source: rows, x: measure, y: share, alt: A chart,\n"
        "                 format: {style: percent}, height: 40mm}\n"
    )
    root = make_project(tmp_path / "p", {"rows.csv": rows}, {"c.yaml": spec})
    (recording,) = recordings(render(root / "factsheets" / "c.yaml"))
    return recording


def _baseline(box: TextBox) -> float:
    ascent, descent = getAscentDescent(box.font, 1000)
    return round(box.bottom - (box.top - box.bottom) * descent / (ascent - descent), 1)


def _labels(recording: Recording, texts: list[str]) -> dict[str, TextBox]:
    """Each category label as drawn: its runs (one drawString per font, on one
    baseline) joined into one box."""
    boxes = [b for b in text_boxes(recording) if not b.text.rstrip().endswith("%")]
    found: dict[str, TextBox] = {}
    for text in texts:
        parts = [b for b in boxes if b.text and b.text in text]
        for line in {_baseline(b) for b in parts}:
            mine = sorted((b for b in parts if _baseline(b) == line), key=lambda b: b.left)
            if "".join(b.text for b in mine) == text:
                found[text] = TextBox(
                    text,
                    mine[-1].font,
                    mine[0].left,
                    min(b.bottom for b in mine),
                    mine[-1].right,
                    max(b.top for b in mine),
                )
    return found


def _bars(recording: Recording) -> list[tuple[float, float, float, float]]:
    """The box of every bar, top row first (the figure's and the plot's backgrounds
    are the first two filled paths)."""
    filled = [p.box for p in drawn_paths(recording)[2:] if p.fill]
    return sorted(filled, key=lambda box: -box[1])


def _row_label(recording: Recording, texts: list[str]) -> list[tuple[TextBox, tuple]]:
    labels = _labels(recording, texts)
    by_row = sorted(labels.values(), key=lambda b: -b.bottom)
    bars = _bars(recording)
    assert len(bars) == len(texts)
    return list(zip(by_row, bars, strict=True))


def test_chinese_row_labels_are_drawn_whole_left_of_their_bars(tmp_path: Path) -> None:
    recording = _chart(tmp_path, "zh", CHINESE_ROWS)
    texts = ["世界人口", "境内流离失所者", "IOM 南南移民"]
    pairs = _row_label(recording, texts)
    assert {label.text for label, _ in pairs} == set(texts)  # nothing dropped or cut
    plot_left = min(bar[0] for _, bar in pairs)
    for label, (_left, bottom, _right, top) in pairs:
        assert label.left >= 0, label  # inside the figure
        assert label.right <= plot_left - 1, (label, plot_left)  # clear of the bar
        middle = (label.bottom + label.top) / 2
        assert bottom <= middle <= top, (label, bottom, top)  # on its own row
        assert label.top <= recording.height and label.bottom >= 0
    widest = max(label.right - label.left for label, _ in pairs)
    # The label column is as wide as its widest drawn label (plus the tick padding).
    assert plot_left - widest == pytest.approx(4.0, abs=0.5)


def test_chinese_labels_under_columns_are_centred_on_them(tmp_path: Path) -> None:
    recording = _chart(tmp_path, "zh", CHINESE_ROWS, kind="bar")
    texts = ["世界人口", "境内流离失所者", "IOM 南南移民"]
    labels = sorted(_labels(recording, texts).values(), key=lambda b: b.left)
    bars = sorted(_bars(recording), key=lambda box: box[0])
    for label, (left, _bottom, right, _top) in zip(labels, bars, strict=True):
        assert (label.left + label.right) / 2 == pytest.approx((left + right) / 2, abs=0.5)
        assert label.inside(recording.width, recording.height)


def test_arabic_row_labels_sit_right_of_their_bars_in_the_room_they_take(
    tmp_path: Path,
) -> None:
    recording = _chart(tmp_path, "ar", ARABIC_ROWS)
    texts = [line.split(",")[0] for line in ARABIC_ROWS.splitlines()[1:]]
    boxes = [b for b in text_boxes(recording) if b.font == ARABIC]
    assert len(boxes) == len(texts)  # one shaped run per label
    bars = _bars(recording)
    plot_right = max(bar[2] for bar in bars)
    for label, (_left, bottom, _right, top) in zip(
        sorted(boxes, key=lambda b: -b.bottom), bars, strict=True
    ):
        assert label.left >= plot_right + 1, (label, plot_right)  # clear of the bar
        assert label.right <= recording.width, label  # inside the figure
        assert bottom <= (label.bottom + label.top) / 2 <= top
    # The room kept for the labels is their shaped width, not that of the letters
    # unjoined (which is wider: the plot was narrower than it had to be).
    widest = max(b.right - b.left for b in boxes)
    assert recording.width - plot_right == pytest.approx(widest + 4.0, abs=0.5)


@pytest.mark.parametrize(
    ("lang", "label"),
    [
        ("zh", "世界人口"),
        ("zh", "IOM 南南移民"),
        ("ar", "النازحون داخلياً"),
        ("ar", "IOM (2021) لا"),
        ("en", "Internally displaced people"),
    ],
)
def test_the_frame_and_the_renderer_measure_a_label_alike(lang: str, label: str) -> None:
    """The frame (margins, wrapping) and the renderer (placing the text) measure chart
    text with one function, so the room kept is the room the label is drawn in."""
    from factsheet.blocks.chart_look import chart_look, font_resolver
    from factsheet.charts.plot import Plot
    from factsheet.charts.rlbackend import RLRenderer
    from factsheet.render.recording import RecordingCanvas
    from factsheet.theme import load_theme
    from tests.projects import ROOT

    theme = load_theme("un-blue", ROOT)
    look = chart_look(theme, lang)
    fonts = font_resolver(theme, theme.theme.styles.chart_text.font, dict(look.chains))
    canvas = RecordingCanvas()
    renderer = RLRenderer(canvas, 200, 100, fonts, rtl=look.rtl)  # type: ignore[arg-type]
    prop = FontProperties(size=look.font_size)
    width = renderer.get_text_width_height_descent(label, prop, False)[0]
    framed = Plot(None, None, look, str).width([label])  # type: ignore[arg-type]
    assert width == pytest.approx(framed)
    renderer.draw_text(renderer.new_gc(), 0, 0, label, prop, 0)
    drawn = text_boxes(Recording(tuple(canvas.ops), 200, 100))
    # (A shaped run's extent here counts its marks' advances: close, not exact.)
    extent = max(b.right for b in drawn) - min(b.left for b in drawn)
    assert width == pytest.approx(extent, abs=0.5)
    expected = {"zh": CJK, "ar": ARABIC, "en": "Lato-Regular"}[lang]
    assert expected in {b.font for b in drawn}


def test_chinese_labels_wrap_between_characters_not_before_closing_marks() -> None:
    from factsheet.charts import axes

    def width(text: str) -> float:
        return 7.0 * len(text)

    assert axes.wrap("境内流离失所者（国内）", 30, width) == "境内流离\n失所者\n（国内）"
    # "，" never starts a line, a Latin word is never cut, and a word that does not
    # fit on its own is still refused.
    assert axes.wrap("IOM 南南移民，合作", 30, width) == "IOM\n南南移\n民，合作"
    assert axes.wrap("Internationally 南南", 30, width) is None
    assert axes.wrap("of the Congo", 30, lambda s: 5.0 * len(s)) == "of the\nCongo"


LONG_CHINESE = (
    "measure,share\n最不发达国家的世界人口,0.14\n最不发达国家的境内流离失所者,0.53\n"
    "南南移民占全部国际移民,0.37\n南北移民占全部国际移民,0.35\n"
)


def test_long_chinese_labels_under_columns_wrap_instead_of_turning_upright(
    tmp_path: Path,
) -> None:
    recording = _chart(tmp_path, "zh", LONG_CHINESE, kind="bar")
    texts = [line.split(",")[0] for line in LONG_CHINESE.splitlines()[1:]]
    boxes = [b for b in text_boxes(recording) if b.font == CJK]
    # Read horizontally, each on a few lines under its column, whole and apart.
    assert all(b.right - b.left > b.top - b.bottom for b in boxes)  # not upright
    assert sorted("".join(b.text for b in boxes)) == sorted("".join(texts))  # none cut
    assert len(boxes) > len(texts)
    assert not overlapping(boxes)
    assert all(b.inside(recording.width, recording.height) for b in boxes)
