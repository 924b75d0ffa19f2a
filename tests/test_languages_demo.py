"""The demo's global edition in the six UN languages: each one is built from its
catalog, fits its two pages, says its language, and passes every accessibility and
archival rule of `factsheet audit`, right-to-left and Chinese included."""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import pikepdf
import pytest

from factsheet.audit import audit_pdf
from factsheet.build import render_edition
from factsheet.editions.expand import load_editions

ROOT = Path(__file__).resolve().parents[1]
LANGUAGES = ("en", "fr", "es", "ru", "ar", "zh")


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("languages")
    for folder in ("assets", "data", "factsheets", "translations"):
        shutil.copytree(ROOT / folder, root / folder)
    return root


@pytest.mark.parametrize("language", LANGUAGES)
def test_each_language_builds_clean_and_passes_the_audit(project: Path, language: str) -> None:
    editions = load_editions(project / "factsheets" / "2021.yaml")
    wanted = {"region": "Global", "language": language}
    rendered = render_edition(next(e for e in editions if dict(e.keys) == wanted))
    assert len(rendered.layout.pages) == 2
    # Translated, fitting with room to spare, every value in its language: no warning.
    assert [str(w) for w in rendered.content.warnings] == []
    assert [f"{f.rule}: {f.message}" for f in audit_pdf(rendered.pdf)] == []
    with pikepdf.open(io.BytesIO(rendered.pdf)) as pdf:
        assert str(pdf.Root.Lang) == language


def test_native_digits_reach_chart_categories(project: Path, tmp_path: Path) -> None:
    """`document.digits: native` prints years on a chart's axis in Arabic-Indic digits
    too, not only its figures; the highlighted year is still found."""
    import pypdfium2

    root = tmp_path / "native"
    shutil.copytree(project, root)
    spec = root / "factsheets" / "2021.yaml"
    text = spec.read_text()
    arabic = "    - when: {language: ar}\n      blocks:"
    assert arabic in text
    spec.write_text(
        text.replace(
            arabic,
            arabic.replace("      blocks:", "      document: {digits: native}\n      blocks:"),
        )
    )
    editions = load_editions(spec)
    wanted = {"region": "Global", "language": "ar"}
    rendered = render_edition(next(e for e in editions if dict(e.keys) == wanted))
    assert [str(w) for w in rendered.content.warnings] == []  # the highlight matched
    page = pypdfium2.PdfDocument(rendered.pdf)[0].get_textpage().get_text_range()
    assert "\u0662\u0660\u0661\u0667" in page and "\u0662\u0660\u0660\u0660" in page  # ٢٠١٧, ٢٠٠٠
