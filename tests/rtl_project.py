"""A small Arabic project for the right-to-left tests: two columns, a heading, a
paragraph with a link, a Latin acronym, `(IOM 2021)` and `72%`, a quote, a callout,
key figures and an hbar chart. Until the fonts part of issue 12 gives Arabic its own
font chain, its theme sets everything in DejaVu Sans (a system font with Arabic and
Latin); tests that use it skip when the font is absent."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.projects import ROOT, make_project

DEJAVU = Path("/usr/share/fonts/truetype/dejavu")

DATA = """measure,share
السكان,0.14
النازحون داخليا,0.72
"""

SPEC = """version: 1
document:
  title: المنظمة الدولية للهجرة والتعاون
  author: IOM
  language: ar
  year: 2021
  date: 2021-12-15
  page_size: A4
  pages: 1
theme: rtl-test
data:
  ldc:
    file: data/ldc.csv
    columns: {measure: text, share: number}
pages:
  - template: body
    columns: 2
    blocks:
      - title_band:
          kicker: "صحيفة وقائع · 2021"
      - heading: التنقل البشري في بلدان الجنوب
      - paragraph: |
          قالت المنظمة الدولية للهجرة (IOM 2021) إن 72% من المهاجرين في بلدان الجنوب
          ولدوا في الجنوب، وفقاً لتقرير [مكتب الأمم المتحدة](https://www.unsouthsouth.org)
          (UNOSSC) الذي صدر في العام الماضي، وبلغ المتوسط 3.5 مليون مهاجر.
      - quote:
          text: الهجرة تمس مجالات كثيرة من السياسة العامة، ولذلك تحتاج الحكومات إلى التعاون.
          attribution: أنطونيو فيتورينو، المدير العام
      - callout:
          number: "485"
          label: موظفا تدربوا في 2021
          text: قدم مركز ACBC التدريب والمساعدة التقنية للموظفين في أفريقيا.
      - key_figures:
          tiles:
            - {number: "72%", label: ولدوا في الجنوب}
            - {number: "3.5", label: مليون مهاجر}
      - chart:
          type: hbar
          source: ldc
          x: measure
          y: share
          title: نسبة أقل البلدان نموا
          format: {style: percent}
          height: 30mm
      - table:
          source: ldc
          title: النسب حسب الفئة
          highlight: {measure: النازحون داخليا}
          columns:
            - {column: measure, header: الفئة}
            - {column: share, header: النسبة, format: {style: percent}}
"""


def arabic_project(root: Path) -> Path:
    """The project, with its theme; skips the test when DejaVu Sans is absent."""
    if not (DEJAVU / "DejaVuSans.ttf").exists():
        pytest.skip("DejaVu Sans (system font) is absent")
    project = make_project(root, {"ldc.csv": DATA}, {"ar.yaml": SPEC})
    fonts = project / "assets/fonts/dejavu"
    fonts.mkdir()
    for name in ("DejaVuSans", "DejaVuSans-Bold", "DejaVuSans-Oblique", "DejaVuSans-BoldOblique"):
        shutil.copy(DEJAVU / f"{name}.ttf", fonts / f"{name}.ttf")
    theme = (ROOT / "assets/themes/un-blue.yaml").read_text()
    for lato, dejavu in (
        ("Lato-Regular", "DejaVuSans"),
        ("Lato-BoldItalic", "DejaVuSans-Bold"),
        ("Lato-Bold", "DejaVuSans-Bold"),
        ("Lato-Italic", "DejaVuSans"),
        ("Lato-Black", "DejaVuSans-Bold"),
        ("Lato-Light", "DejaVuSans"),
    ):
        theme = theme.replace(f"lato/{lato}.ttf", f"dejavu/{dejavu}.ttf")
    (project / "assets/themes/rtl-test.yaml").write_text(theme)
    return project
