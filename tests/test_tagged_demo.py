"""The demo factsheets as a screen reader meets them: the structure tree read back from
the PDF (through PDFium for the text and pikepdf for the tree) follows the spec's own
text in spec order, every Figure speaks, headings never skip, table headers have a
scope, links are tagged, nothing is painted outside marked content, and the PDF/UA
and PDF/A checkers on the index find nothing."""

from __future__ import annotations

import io
import itertools
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pikepdf
import pytest

from factsheet.build import render_edition
from factsheet.editions.expand import load_editions
from factsheet.text import render_plain
from tests.tagged_text import read_tree

ROOT = Path(__file__).resolve().parents[1]
PAINT = {"Tj", "TJ", "'", '"', "S", "s", "f", "F", "f*", "B", "B*", "b", "b*", "sh", "Do", "BI"}
# Block fields whose text the reader must meet, in the order a block shows them.
TEXT_FIELDS = {
    "hero": ("caption", "credit"),
    "title_band": ("kicker", "title", "subtitle"),
    "heading": ("text",),
    "paragraph": ("text",),
    "quote": ("text", "attribution", "context"),
    "callout": ("number", "label", "text"),
    "contact": ("intro",),
    "image": ("caption",),
    "chart": ("title",),
    "table": ("title",),
}
DEMOS = [
    ("2021.yaml", 0),
    ("2021.yaml", 3),
    ("gapminder.yaml", 0),
    ("showcase.yaml", 0),
]


def _normal(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


@pytest.fixture(scope="module", params=DEMOS, ids=lambda d: f"{d[0]}[{d[1]}]")
def built(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Any:
    name, index = request.param
    edition = load_editions(ROOT / "factsheets" / name)[index]
    rendered = render_edition(edition)
    path = tmp_path_factory.mktemp("tagged") / "demo.pdf"
    path.write_bytes(rendered.pdf)
    return rendered, path


def _spec_texts(rendered: Any) -> Iterator[str]:
    """The text of every block, in spec order, rendered for this edition."""
    templates = rendered.content.templates
    document = rendered.loaded.spec.document
    for page in rendered.loaded.spec.pages:
        for block in page.blocks:
            body = block.body
            for name in TEXT_FIELDS.get(block.kind, ()):
                value = getattr(body, name, None)
                if value is None and block.kind == "title_band" and name != "kicker":
                    value = getattr(document, name)
                if value:
                    for part in str(value).split("\n\n"):
                        yield _normal(render_plain(part, templates))


def test_tree_text_follows_the_spec_in_order(built: Any) -> None:
    rendered, path = built
    elements = [r for r in read_tree(path) if r.text]
    texts = [_normal(r.text) for r in elements]
    position = 0
    for expected in _spec_texts(rendered):
        found = next((i for i in range(position, len(texts)) if texts[i] == expected), None)
        assert found is not None, f"not found in reading order after #{position}: {expected!r}"
        position = found + 1


def test_groups_hold_no_text_and_figures_speak_by_alt_text(built: Any) -> None:
    """Text sits in paragraphs, headings and cells; a chart's labels are not read."""
    _, path = built
    for read in read_tree(path):
        if read.role in ("Document", "Div", "Sect", "BlockQuote", "L", "LI", "Table", "TR"):
            assert read.text == "", read
        if read.role == "Figure":
            assert read.alt and read.alt.strip(), "a Figure without alt text"
            assert read.text == "", f"a chart's labels are read as content: {read.text!r}"


def test_headings_never_skip_and_start_at_h1(built: Any) -> None:
    _, path = built
    levels = [int(r.role[1]) for r in read_tree(path) if re.fullmatch(r"H[1-6]", r.role)]
    assert levels and levels[0] == 1
    assert all(b <= a + 1 for a, b in itertools.pairwise(levels)), levels


def test_nothing_is_painted_outside_marked_content(built: Any) -> None:
    _, path = built
    with pikepdf.open(path) as pdf:
        for number, page in enumerate(pdf.pages, 1):
            depth = 0
            for _, operator in pikepdf.parse_content_stream(page):
                op = str(operator)
                if op in ("BDC", "BMC"):
                    depth += 1
                elif op == "EMC":
                    depth -= 1
                else:
                    assert depth > 0 or op not in PAINT, f"page {number}: {op} outside"
            assert depth == 0


def test_links_are_tagged_with_their_words(built: Any) -> None:
    _, path = built
    with pikepdf.open(path) as pdf:
        nums = list(pdf.Root.StructTreeRoot.ParentTree.Nums)
        parents = dict(zip(nums[::2], nums[1::2], strict=True))
        for page in pdf.pages:
            for annot in page.get("/Annots", []):
                element = parents[int(annot.StructParent)]
                assert element.S == "/Link"
                assert str(annot.Contents).strip() and str(element.Alt) == str(annot.Contents)
                objr = element.K
                assert objr.Type == "/OBJR" and objr.Obj.objgen == annot.objgen
                assert int(annot.F) & 4


def test_checkers_find_nothing(built: Any) -> None:
    pdfua = pytest.importorskip("pdfua")
    del pdfua
    import subprocess
    import sys

    _, path = built
    done = subprocess.run(
        [sys.executable, "-m", "pdfua", "check", str(path)], capture_output=True, text=True
    )
    assert done.returncode == 0, done.stdout
    assert "skip" not in done.stdout, done.stdout
    import pikepdf.pdfa

    with pikepdf.open(path) as pdf:
        report = pikepdf.pdfa.check(pdf, "2b")
    # The validator refuses every XMP extension schema by design; PDF/A requires one
    # for the pdfuaid namespace a PDF/UA file must declare. Nothing else may be found.
    others = [
        f
        for f in report.findings
        if "pdfua" not in str(f)
        and "pdfaExtension" not in str(f)
        and "pdfaSchema" not in str(f)
        and "pdfaProperty" not in str(f)
    ]
    assert others == []


def test_outloud_finds_no_errors(built: Any) -> None:
    """outloud (a test-only extra) may leave "review" items: see docs/accessibility.md."""
    pytest.importorskip("outloud")
    import subprocess
    import sys

    _, path = built
    outloud = Path(sys.executable).with_name("outloud")
    done = subprocess.run([str(outloud), "-q", str(path)], capture_output=True, text=True)
    assert " 0 error(s)" in done.stdout, done.stdout
    assert done.returncode == 0, done.stdout


def test_audit_passes(built: Any) -> None:
    from factsheet.audit import audit_pdf

    _, path = built
    assert [f for f in audit_pdf(path) if f.severity == "error"] == []


def test_links_are_named_by_the_words_they_are_set_on() -> None:
    edition = load_editions(ROOT / "factsheets" / "2021.yaml")[0]
    pdf = render_edition(edition).pdf
    with pikepdf.open(io.BytesIO(pdf)) as document:
        contents = {str(a.Contents) for page in document.pages for a in page.get("/Annots", [])}
    assert "International Migration Review Forum" in contents  # the words, not the address
    assert "Global Compact for Safe, Orderly and Regular Migration" in contents  # over 2 lines
    assert "migration4development@iom.int" in contents
