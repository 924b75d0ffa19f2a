"""What a tagged PDF asks of the spec, found by `check` and `build` before anything is
drawn (a heading level skipped, a photo with no alt text), and what turning tagging or
archiving off writes instead. Rebuilds of a tagged, archival PDF are byte-identical."""

from __future__ import annotations

import os
from pathlib import Path

import pikepdf
import pytest
from click.testing import CliRunner

from factsheet.audit import structure_elements
from factsheet.cli import main
from tests.projects import make_project
from tests.tagged_text import read_tree

SPEC = """\
document: {title: Tagged, author: Test Org, year: 2024, pages: 1}
theme: un-blue
pages:
  - blocks:
      - title_band: {}
      - heading: A section
      - paragraph: Some words about it.
      - heading: {text: A subsection, level: 2}
      - paragraph: More words.
"""


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return make_project(tmp_path, specs={"tagged.yaml": SPEC})


def run(project: Path, *args: str) -> tuple[int, str]:
    cwd = os.getcwd()
    os.chdir(project)
    try:
        result = CliRunner().invoke(main, list(args))
    finally:
        os.chdir(cwd)
    return result.exit_code, result.output


def write(project: Path, spec: str) -> None:
    (project / "factsheets" / "tagged.yaml").write_text(spec)


@pytest.mark.parametrize("command", ["check", "build"])
def test_a_subsection_straight_after_the_title_is_an_error(project: Path, command: str) -> None:
    write(project, SPEC.replace("      - heading: A section\n", ""))
    code, output = run(project, command, "factsheets/tagged.yaml")
    assert code == 65, output
    assert (
        "factsheets/tagged.yaml:7:46: pages[0].blocks[2].heading.level: this heading (H3) "
        "skips a level: the heading before it is an H1 (make it `level: 1` (H2)"
    ) in output
    assert not (project / "output" / "tagged.pdf").exists()


def test_a_subsection_before_any_section_is_an_error(project: Path) -> None:
    spec = SPEC.replace("      - title_band: {}\n", "").replace("      - heading: A section\n", "")
    write(project, spec)
    code, output = run(project, "check", "factsheets/tagged.yaml")
    assert code == 65, output
    assert (
        "pages[0].blocks[1].heading.level: the first heading is an H2, but headings must "
        "start at H1 (make it `level: 1`, or put a `title_band` block before it"
    ) in output


def test_with_no_title_band_sections_are_the_top_headings(project: Path) -> None:
    write(project, SPEC.replace("      - title_band: {}\n", ""))
    code, output = run(project, "build", "factsheets/tagged.yaml")
    assert code == 0, output
    with pikepdf.open(project / "output" / "tagged.pdf") as pdf:
        roles = [e.role for e in structure_elements(pdf)]
    assert [r for r in roles if r.startswith("H")] == ["H1", "H2"]


def test_untagged_pdf_has_no_tags_and_claims_nothing(project: Path) -> None:
    spec = SPEC.replace("      - title_band: {}\n", "").replace(
        "pages: 1}", "pages: 1, pdf: {tagged: false, standard: none}}"
    )
    write(project, spec)
    code, output = run(project, "build", "factsheets/tagged.yaml")
    assert code == 0, output
    with pikepdf.open(project / "output" / "tagged.pdf") as pdf:
        assert "/StructTreeRoot" not in pdf.Root
        assert "/MarkInfo" not in pdf.Root
        assert "/OutputIntents" not in pdf.Root
        assert "/Metadata" not in pdf.Root


def test_a_skipped_level_is_a_located_error_untagged_too(project: Path) -> None:
    """The bookmarks nest by heading level as well: ReportLab cannot skip one either."""
    spec = SPEC.replace("      - heading: A section\n", "").replace(
        "pages: 1}", "pages: 1, pdf: {tagged: false, standard: none}}"
    )
    write(project, spec)
    code, output = run(project, "build", "factsheets/tagged.yaml")
    assert code == 65, output
    assert "pages[0].blocks[2].heading.level: this heading (H3) skips a level" in output


def test_archival_without_tags_claims_only_pdf_a(project: Path) -> None:
    write(project, SPEC.replace("pages: 1}", "pages: 1, pdf: {tagged: false}}"))
    code, output = run(project, "build", "factsheets/tagged.yaml")
    assert code == 0, output
    with pikepdf.open(project / "output" / "tagged.pdf") as pdf:
        assert "/StructTreeRoot" not in pdf.Root
        packet = pdf.Root.Metadata.read_bytes().decode()
        assert "<pdfaid:part>2</pdfaid:part>" in packet
        assert "pdfuaid:part" not in packet and "pdfaExtension" not in packet
        assert "/OutputIntents" in pdf.Root


def test_tagged_archival_pdf_declares_both_and_rebuilds_identically(project: Path) -> None:
    code, output = run(project, "build", "factsheets/tagged.yaml")
    assert code == 0, output
    first = (project / "output" / "tagged.pdf").read_bytes()
    code, output = run(project, "build", "--force", "factsheets/tagged.yaml")
    assert code == 0, output
    assert (project / "output" / "tagged.pdf").read_bytes() == first
    with pikepdf.open(project / "output" / "tagged.pdf") as pdf:
        packet = pdf.Root.Metadata.read_bytes().decode()
        assert "<pdfuaid:part>1</pdfuaid:part>" in packet
        assert "<pdfaid:conformance>B</pdfaid:conformance>" in packet
        assert '<dc:title><rdf:Alt><rdf:li xml:lang="x-default">Tagged</rdf:li>' in packet
        assert "2024-01-01T00:00:00+00:00" in packet
        assert pdf.Root.ViewerPreferences.DisplayDocTitle is True
        assert str(pdf.Root.Lang) == "en"
        assert all(page.Tabs == "/S" for page in pdf.pages)
        assert all("/Trans" not in page.obj for page in pdf.pages)
        assert pdf.docinfo.Producer == pikepdf.String("factsheet 0.1.0 (ReportLab)")


def test_a_block_in_another_language_is_marked_so(project: Path) -> None:
    write(project, SPEC + "      - quote: {text: Migrar es un derecho., language: es}\n")
    code, output = run(project, "build", "factsheets/tagged.yaml")
    assert code == 0, output
    with pikepdf.open(project / "output" / "tagged.pdf") as pdf:
        langs = {}
        stack = [pdf.Root.StructTreeRoot.K]
        while stack:
            node = stack.pop()
            if isinstance(node, pikepdf.Array):
                stack.extend(node)
            elif isinstance(node, pikepdf.Dictionary) and node.get("/Type") == "/StructElem":
                langs[str(node.S)] = langs.get(str(node.S), set()) | {str(node.get("/Lang", ""))}
                stack.append(node.get("/K"))
        assert langs["/BlockQuote"] == {"es"}
        assert langs["/H2"] == {""} and str(pdf.Root.Lang) == "en"


LONG = """\
document: {title: Split, author: Test Org, year: 2024, pages: 1}
theme: un-blue
data:
  rows: {file: data/rows.csv}
pages:
  - blocks:
      - title_band: {}
      - heading: Rows
      - table:
          source: rows
          columns: [{column: name, header: Name}, {column: value, header: Value}]
      - paragraph: "{{ words }}"
variables:
  words: "{{ 'Word after word, the paragraph runs on. ' * 40 }}"
"""


def test_split_table_and_paragraph_keep_one_element_each(tmp_path: Path) -> None:
    rows = "name,value\n" + "".join(f"Row {n},{n}\n" for n in range(60))
    project = make_project(tmp_path, {"rows.csv": rows}, {"tagged.yaml": LONG})
    code, output = run(project, "build", "factsheets/tagged.yaml")
    assert code == 0, output
    with pikepdf.open(project / "output" / "tagged.pdf") as pdf:
        elements = structure_elements(pdf)
        content = pdf.pages[0].Contents.read_bytes()
    roles = [e.role for e in elements]
    assert roles.count("Table") == 1 and roles.count("TH") == 2  # the header, read once
    assert roles.count("TR") == 61
    # The table went on in the second column under a repeated header, drawn as an
    # artifact: two header rows are painted, one is content.
    assert content.count(b"/TH <<") == 2


def test_a_paragraph_split_across_columns_is_one_element(tmp_path: Path) -> None:
    spec = LONG.replace("* 40", "* 110").replace(
        "      - table:\n          source: rows\n"
        "          columns: [{column: name, header: Name}, {column: value, header: Value}]\n",
        "",
    )
    project = make_project(tmp_path, {"rows.csv": "name,value\n"}, {"tagged.yaml": spec})
    code, output = run(project, "build", "factsheets/tagged.yaml")
    assert code == 0, output
    with pikepdf.open(project / "output" / "tagged.pdf") as pdf:
        paragraphs = [e for e in structure_elements(pdf) if e.role == "P"]
    assert len(paragraphs) == 1 and len(paragraphs[0].mcids) == 2, paragraphs
    read = [r for r in read_tree(project / "output" / "tagged.pdf") if r.role == "P"]
    assert read[0].text == ("Word after word, the paragraph runs on. " * 110).strip()


def test_a_document_language_cldr_does_not_know_is_a_located_error(project: Path) -> None:
    write(project, SPEC.replace("year: 2024,", "year: 2024, language: qq,"))
    code, output = run(project, "check", "factsheets/tagged.yaml")
    assert code == 65, output
    assert (
        "factsheets/tagged.yaml:1:67: document.language: 'qq' is not a language factsheet knows"
    ) in output
    assert output.count("is not a language factsheet knows") == 1
