"""A tagged factsheet broken three ways (a Figure's alt text removed, the footer drawn
as a heading, the footer rule drawn outside marked content): `factsheet audit` names
each, and so do the checkers on the index where their rules cover it. The unbroken
factsheet passes all of them, so each failure here is the break's doing."""

from __future__ import annotations

import io
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pikepdf
import pytest

from factsheet.audit import audit_pdf
from factsheet.build import render
from factsheet.layout.roles import Node
from factsheet.render import pdf as renderer

SPEC = Path(__file__).resolve().parents[1] / "factsheets" / "2021.yaml"


def rules(pdf: bytes) -> set[str]:
    return {f.rule for f in audit_pdf(pdf) if f.severity == "error"}


def pdfua_codes(tmp_path: Path, pdf: bytes) -> str:
    path = tmp_path / "broken.pdf"
    path.write_bytes(pdf)
    done = subprocess.run(
        [sys.executable, "-m", "pdfua", "check", str(path)], capture_output=True, text=True
    )
    return done.stdout


def outloud_codes(tmp_path: Path, pdf: bytes) -> str:
    """outloud's report (a test-only extra: it pulls in AGPL PyMuPDF)."""
    pytest.importorskip("outloud")
    path = tmp_path / "broken.pdf"
    path.write_bytes(pdf)
    outloud = Path(sys.executable).with_name("outloud")
    done = subprocess.run([str(outloud), str(path)], capture_output=True, text=True)
    return done.stdout


@pytest.fixture(scope="module")
def sound() -> bytes:
    return render(SPEC).pdf


def test_the_sound_factsheet_passes(sound: bytes, tmp_path: Path) -> None:
    assert rules(sound) == set()
    assert "result: PASS" in pdfua_codes(tmp_path, sound)


def test_a_figure_without_alt_text_is_caught(sound: bytes, tmp_path: Path) -> None:
    with pikepdf.open(io.BytesIO(sound)) as pdf:
        for element in _elements(pdf.Root.StructTreeRoot.K):
            if element.S == "/Figure":
                del element.Alt
                break
        buffer = io.BytesIO()
        pdf.save(buffer)
    broken = buffer.getvalue()
    assert rules(broken) == {"UA-ALT"}
    assert "[ERROR] UA-13-004" in pdfua_codes(tmp_path, broken)  # figure alternative
    assert "ERROR   FIG-001" in outloud_codes(tmp_path, broken)


@contextmanager
def _footer_as(tag: Any) -> Iterator[None]:
    saved = renderer.FOOTER
    renderer.FOOTER = tag
    try:
        yield
    finally:
        renderer.FOOTER = saved


def test_a_heading_in_the_footer_is_caught(tmp_path: Path) -> None:
    with _footer_as(Node("H2")):
        broken = render(SPEC).pdf
    assert rules(broken) == {"UA-HEADINGS"}
    assert "ERROR   HDG-002" in outloud_codes(tmp_path, broken)  # pdfua has no such rule


def test_an_untagged_rule_is_caught(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    @contextmanager
    def unmarked(canvas: Any, tag: Any) -> Iterator[None]:
        yield

    drawn = renderer.marked

    def footer_unmarked(canvas: Any, tag: Any) -> Any:
        return unmarked(canvas, tag) if tag is renderer.FOOTER else drawn(canvas, tag)

    monkeypatch.setattr(renderer, "marked", footer_unmarked)
    broken = render(SPEC).pdf
    assert rules(broken) == {"UA-CONTENT"}
    assert "[ERROR] UA-01-003" in pdfua_codes(tmp_path, broken)
    assert "ERROR   TAG-001" in outloud_codes(tmp_path, broken)


def _elements(node: Any) -> Iterator[Any]:
    if isinstance(node, pikepdf.Array):
        for kid in node:
            yield from _elements(kid)
    elif isinstance(node, pikepdf.Dictionary) and node.get("/Type") == "/StructElem":
        yield node
        yield from _elements(node.get("/K"))
