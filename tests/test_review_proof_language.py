"""The proof sheet in the six UN languages: `--language` (or the specs' own language)
chooses its words, dates, /Lang and reading direction; an Arabic sheet reads from the
right; edition labels holding Arabic or Chinese key values are set as factsheet pages
set such text (the theme's Arabic or Chinese font, shaped, with the logical text
beside the glyphs), and one in a script no font of the theme has is refused."""

from __future__ import annotations

import shutil
from pathlib import Path

import pikepdf
import pypdfium2 as pdfium
import pytest

from factsheet.audit import audit_pdf
from tests.projects import make_project
from tests.review_project import run

ROOT = Path(__file__).resolve().parents[1]
SPEC = "factsheets/2021.yaml"
GLOBAL = ("--edition", "region=Global")
FOUR = (*GLOBAL, *(f"--edition=language={tag}" for tag in ("en", "fr", "ar", "zh")))
PAGE_WIDTH, MARGIN = 841.89, 30.0


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    project = tmp_path_factory.mktemp("proof-language") / "demo"
    for folder in ("assets", "data", "factsheets", "translations"):
        shutil.copytree(ROOT / folder, project / folder)
    result = run(project, "build", SPEC, *FOUR)
    assert result.exit_code == 0, result.output
    return project


def _proof(project: Path, name: str, *args: str, spec: str = SPEC) -> Path:
    result = run(project, "proof", spec, *args, "-o", f"output/{name}.pdf")
    assert result.exit_code == 0, result.output
    path = project / "output" / f"{name}.pdf"
    assert audit_pdf(path) == []
    return path


def _text(path: Path) -> str:
    document = pdfium.PdfDocument(str(path))
    try:
        return str(document[0].get_textpage().get_text_range())
    finally:
        document.close()


def _lang(path: Path) -> str:
    with pikepdf.open(path) as pdf:
        return str(pdf.Root.Lang)


def _actual_texts(path: Path) -> list[str]:
    """The /ActualText of every span on the first page, as the file writes it (PDFium
    reorders right-to-left ActualText once more when it extracts it)."""
    with pikepdf.open(path) as pdf:
        return [
            str(operands[1].ActualText)
            for operands, operator in pikepdf.parse_content_stream(pdf.pages[0])
            if str(operator) == "BDC"
            and isinstance(operands[1], pikepdf.Dictionary)
            and "/ActualText" in operands[1]
        ]


def _fonts(path: Path) -> set[str]:
    with pikepdf.open(path) as pdf:
        fonts = pdf.pages[0].Resources.Font
        return {str(fonts[name].BaseFont).split("+")[-1] for name in fonts}


def _images(path: Path) -> list[tuple[float, float, float, float]]:
    """Each thumbnail's (left, bottom, right, top), in the order drawn (matrix order,
    each edition's pages in order)."""
    document = pdfium.PdfDocument(str(path))
    try:
        page = document[0]
        return [
            tuple(obj.get_bounds())
            for obj in page.get_objects()
            if obj.type == pdfium.raw.FPDF_PAGEOBJ_IMAGE
        ]
    finally:
        document.close()


def _structure(path: Path) -> list[tuple[str, str | None]]:
    """(role, /Lang) of every structure element, in tree order."""
    found: list[tuple[str, str | None]] = []
    with pikepdf.open(path) as pdf:
        stack = [pdf.Root.StructTreeRoot.K]
        while stack:
            node = stack.pop()
            if isinstance(node, pikepdf.Array):
                stack.extend(reversed(list(node)))
            elif isinstance(node, pikepdf.Dictionary) and "/S" in node:
                found.append((str(node.S)[1:], str(node.Lang) if "/Lang" in node else None))
                if "/K" in node:
                    stack.append(node.K)
    return found


# --- the sheet's own words ---------------------------------------------------------


def test_a_french_proof_speaks_french(demo: Path) -> None:
    path = _proof(demo, "proof-fr", *FOUR, "--language", "fr")
    text = _text(path).replace("\u00a0", " ")  # PDFium reads a no-break space as a space
    assert _lang(path) == "fr"
    assert "Épreuve : 2021.yaml" in text
    assert "4 éditions · 8 pages · créée le " in text
    assert "décembre" in text or "janvier" in text or " 20" in text  # a French date
    assert "empreinte des entrées " in text and "2 pages · entrées " in text
    assert "épreuve factsheet · feuille 1 sur 1" in text
    for english in ("Proof:", "editions", "input digest", "sheet 1 of 1", "inputs "):
        assert english not in text


def test_an_arabic_proof_reads_from_the_right_in_arabic(demo: Path) -> None:
    path = _proof(demo, "proof-ar", *FOUR, "--language", "ar")
    assert _lang(path) == "ar"
    spoken = _actual_texts(path)
    assert "بروفة للاعتماد: 2021.yaml" in spoken  # the title, its file name kept whole
    assert any(s.startswith("4 إصدارات · 8 صفحات · أُنشئت في ") for s in spoken)
    assert "بروفة factsheet · الورقة 1 من 1" in spoken
    # Shaped: the Arabic words are drawn in the theme's Arabic font, and read back.
    assert "NotoSansArabic-Bold" in _fonts(path)
    assert "للاعتماد" in _text(path)
    # Matrix order from the right: the first edition's first page is the rightmost
    # thumbnail, its second page to its left.
    images = _images(path)
    first, second = images[0], images[1]
    assert first[2] == pytest.approx(PAGE_WIDTH - MARGIN, abs=0.5)
    assert second[2] < first[0]
    assert max(image[2] for image in images) == first[2]
    # The spec's path reads as written (kept left to right inside the Arabic line).
    assert "factsheets/2021.yaml" in spoken


def test_a_chinese_proof_speaks_chinese_in_the_chinese_font(demo: Path) -> None:
    path = _proof(demo, "proof-zh", *FOUR, "--language", "zh")
    text = _text(path)
    assert _lang(path) == "zh"
    assert "校样：2021.yaml" in text
    assert "4 个版本 · 8 页 · 由 factsheet " in text and "年" in text and "月" in text
    assert "factsheet 校样 · 第 1 张，共 1 张" in text
    assert "DroidSansFallback" in _fonts(path)
    with pikepdf.open(path) as pdf:
        subject = str(pdf.docinfo.Subject)
    assert subject == "供审批的校样"


def test_the_proof_speaks_the_language_its_specs_are_written_in(tmp_path: Path) -> None:
    from tests.review_project import DATA, SPEC

    french = SPEC.replace("  author: Test Org\n", "  author: Test Org\n  language: fr\n")
    project = make_project(tmp_path / "p", {"regions.csv": DATA}, {"report.yaml": french})
    path = _proof(project, "proof", spec="factsheets/report.yaml")
    assert _lang(path) == "fr"
    assert "4 éditions" in _text(path)
    # Specs written in two languages: the sheet's words need one, said with --language.
    english = SPEC.replace("{region}.pdf", "en-{region}.pdf")
    (project / "factsheets" / "english.yaml").write_text(english)
    result = run(project, "proof", "factsheets/report.yaml", "factsheets/english.yaml",
                 "-o", "output/both.pdf")  # fmt: skip
    assert result.exit_code == 2, result.output
    assert "the specs are written in fr and en" in result.stderr
    assert "--language" in result.stderr
    result = run(project, "proof", "factsheets/report.yaml", "factsheets/english.yaml",
                 "--language", "en", "-o", "output/both.pdf")  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "8 editions" in _text(project / "output" / "both.pdf")


@pytest.mark.parametrize(
    ("given", "hint"),
    [("arr", "did you mean 'ar'?"), ("French", "did you mean 'fr'?"), ("de", "")],
)
def test_an_unknown_language_is_refused_with_a_did_you_mean(
    demo: Path, given: str, hint: str
) -> None:
    result = run(demo, "proof", SPEC, *FOUR, "--language", given, "-o", "output/x.pdf")
    assert result.exit_code == 2, result.output
    assert f"--language {given}: the proof sheet has its words in ar, en, es, fr, ru, zh" in (
        result.stderr
    )
    assert hint in result.stderr
    assert not (demo / "output" / "x.pdf").exists()


def test_chinese_in_traditional_script_is_refused(demo: Path) -> None:
    result = run(demo, "proof", SPEC, *FOUR, "--language", "zh-Hant", "-o", "output/x.pdf")
    assert result.exit_code == 2, result.output
    assert "written in the Hans script, not Hant" in result.stderr


def test_every_language_has_every_plural_form_cldr_asks_for() -> None:
    from babel import Locale

    from factsheet.review.proof_words import CATALOG

    assert sorted(CATALOG) == ["ar", "en", "es", "fr", "ru", "zh"]
    for tag, words in CATALOG.items():
        forms = {*Locale.parse(tag).plural_form.tags, "other"}
        for phrase in (words.editions, words.pages, words.warned, words.warnings):
            assert set(phrase) == forms, (tag, phrase)
    ar = CATALOG["ar"]
    assert [ar.count(ar.pages, n, "ar") for n in (1, 2, 3, 11, 100)] == [
        "صفحة واحدة", "صفحتان", "3 صفحات", "11 صفحة", "100 صفحة",
    ]  # fmt: skip
    ru = CATALOG["ru"]
    assert [ru.count(ru.editions, n, "ru") for n in (1, 3, 5, 21)] == [
        "1 выпуск", "3 выпуска", "5 выпусков", "21 выпуск",
    ]  # fmt: skip


# --- edition labels in other scripts ---------------------------------------------

LABELS_SPEC = """\
document:
  title: "Report for {{ region }}"
  author: Test Org
  year: 2024
  pages: 1
theme: un-blue
data:
  regions: {file: data/regions.csv}
figures:
  people: {source: regions, where: {region: "{{ region }}"}, column: people}
pages:
  - blocks:
      - heading: "{{ region }}"
      - paragraph: "{{ people }}"
editions:
  matrix:
    region: [North, الشرق الأوسط, 中东]
  overrides:
    - when: {region: الشرق الأوسط}
      document: {language: ar}
      output: output/mena.pdf
    - when: {region: 中东}
      document: {language: zh}
      output: output/china.pdf
  output: "output/{region}.pdf"
"""
LABELS_DATA = "region,people\nNorth,1111\nالشرق الأوسط,2222\n中东,3333\n"


@pytest.fixture(scope="module")
def labels(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("proof-labels") / "p"
    return make_project(root, {"regions.csv": LABELS_DATA}, {"report.yaml": LABELS_SPEC})


def test_arabic_and_chinese_labels_are_shaped_in_their_fonts(labels: Path) -> None:
    path = _proof(labels, "proof", spec="factsheets/report.yaml")
    # The Arabic label is written as glyphs set by HarfBuzz in the theme's Arabic
    # face, with its words as written beside them; PDFium reads both words back.
    assert "region=الشرق الأوسط" in _actual_texts(path)
    text = _text(path)
    assert "الشرق" in text and "الأوسط" in text
    assert "region=中东" in text
    assert {"NotoSansArabic-Bold", "DroidSansFallback", "Lato-Bold"} <= _fonts(path)
    # The Arabic edition's label says it is Arabic; the Chinese one, Chinese.
    langs = [lang for role, lang in _structure(path) if role == "H3"]
    assert langs == [None, "ar", "zh"]


def test_an_arabic_label_on_an_arabic_sheet_keeps_its_key_first(labels: Path) -> None:
    path = _proof(labels, "proof-ar", "--language", "ar", spec="factsheets/report.yaml")
    assert "region=الشرق الأوسط" in _actual_texts(path)
    assert "region=中东" in _text(path)


def test_a_label_no_font_of_the_theme_can_print_is_a_located_error(tmp_path: Path) -> None:
    # The factsheets never print the region: they build, and only the proof would.
    spec = LABELS_SPEC.replace('      - heading: "{{ region }}"\n', "      - heading: Report\n")
    spec = spec.replace('title: "Report for {{ region }}"', "title: Report")
    spec = spec.split("  overrides:")[0].replace("[North, الشرق الأوسط, 中东]", "[North, ไทย]")
    spec += "  output: output/{region}.pdf\n"
    data = "region,people\nNorth,1111\nไทย,2222\n"
    project = make_project(tmp_path / "p", {"regions.csv": data}, {"report.yaml": spec})
    assert run(project, "build", "factsheets/report.yaml").exit_code == 0
    result = run(project, "proof", "factsheets/report.yaml", "-o", "output/proof.pdf")
    assert result.exit_code == 65, result.output
    assert "factsheets/report.yaml:17:13: editions.matrix.region: " in result.stderr
    assert "edition region=ไทย: the proof cannot print region 'ไทย'" in result.stderr
    assert "'ไ' (U+0E44)" in result.stderr and "theme 'un-blue'" in result.stderr
    assert not (project / "output" / "proof.pdf").exists()


def test_an_arabic_sheet_with_a_theme_that_has_no_arabic_font_is_refused(tmp_path: Path) -> None:
    from tests.review_project import review_project

    project = review_project(tmp_path / "p")
    theme = project / "assets" / "themes" / "un-blue.yaml"
    text = theme.read_text()
    assert "  Arab: [arabic]\n" in text
    theme.write_text(text.replace("  Arab: [arabic]\n", ""))
    result = run(project, "proof", "factsheets/report.yaml", "--language", "ar",
                 "-o", "output/proof.pdf")  # fmt: skip
    assert result.exit_code == 65, result.output
    assert (
        "the proof sheet's words in 'ar' need '" in result.stderr
        and "'ب' (U+0628)" in result.stderr
    )
    assert "or choose another --language" in result.stderr
    assert not (project / "output" / "proof.pdf").exists()
