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
