"""`factsheet.audit`: the fixture page passes every rule and pdfua, and each way of
breaking it is caught by exactly the rule that names it."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pikepdf
import pytest
from pikepdf import Dictionary, Name, Stream

from factsheet.audit import audit_pdf, structure_elements
from tests.pdf_fixtures import find, tagged_pdf, to_bytes


def rules_of(pdf: pikepdf.Pdf) -> set[str]:
    """The rules the audit fires on `pdf` as it would be saved (reopened from bytes)."""
    return {f.rule for f in audit_pdf(to_bytes(pdf))}


def test_fixture_passes_every_rule() -> None:
    assert audit_pdf(to_bytes(tagged_pdf())) == []


def test_fixture_passes_pdfua(tmp_path: Path) -> None:
    pdfua = pytest.importorskip("pdfua")
    path = tmp_path / "fixture.pdf"
    path.write_bytes(to_bytes(tagged_pdf()))
    report = pdfua.validate(str(path))
    errors = [f for f in report.findings if f.severity >= pdfua.Severity.ERROR]
    assert errors == [], [f.message for f in errors]
    assert report.exit_code == 0


def test_structure_elements_follow_the_tree_in_reading_order() -> None:
    elements = structure_elements(tagged_pdf())
    assert [(e.role, e.depth) for e in elements] == [
        ("Document", 0),
        ("H1", 1),
        ("P", 1),
        ("Figure", 1),
        ("Table", 1),
        ("TR", 2),
        ("TH", 3),
        ("TD", 3),
        ("Link", 1),
    ]
    figure = elements[3]
    assert (figure.alt, figure.pages, figure.mcids) == ("A blue square", (1,), ((1, 2),))
    assert elements[6].scope == "Column"
    assert [c.role for c in elements[4].children] == ["TR"]
    assert len(elements[8].annotations) == 1


def test_role_map_gives_the_role_and_keeps_the_tag() -> None:
    pdf = tagged_pdf()
    find(pdf, "P").S = Name("/Paragraph")
    pdf.Root.StructTreeRoot.RoleMap = Dictionary(Paragraph=Name.P)
    element = structure_elements(pdf)[2]
    assert (element.role, element.tag) == ("P", "Paragraph")
    assert rules_of(pdf) == set()


def _untagged_rule(pdf: pikepdf.Pdf) -> None:
    pdf.pages[0].contents_add(Stream(pdf, b"0 0 m 10 10 l S"), prepend=False)


def _remove_alt(pdf: pikepdf.Pdf) -> None:
    del find(pdf, "Figure").Alt


def _h3_after_h1(pdf: pikepdf.Pdf) -> None:
    find(pdf, "P").S = Name.H3


def _th_without_scope(pdf: pikepdf.Pdf) -> None:
    del find(pdf, "TH").A


def _link_without_struct_parent(pdf: pikepdf.Pdf) -> None:
    del pdf.pages[0].Annots[0].StructParent


def _empty_trans(pdf: pikepdf.Pdf) -> None:
    pdf.pages[0].Trans = Dictionary()


def _unembedded_helvetica(pdf: pikepdf.Pdf) -> None:
    page = pdf.pages[0]
    page.Resources.Font.Helv = Dictionary(
        Type=Name.Font, Subtype=Name.Type1, BaseFont=Name.Helvetica
    )
    page.contents_add(
        Stream(pdf, b"/Artifact BMC BT /Helv 9 Tf 30 20 Td (page 1) Tj ET EMC"), prepend=False
    )


BREAKAGES: dict[str, Callable[[pikepdf.Pdf], None]] = {
    "UA-CONTENT": _untagged_rule,
    "UA-ALT": _remove_alt,
    "UA-HEADINGS": _h3_after_h1,
    "UA-TABLE-SCOPE": _th_without_scope,
    "UA-LINK": _link_without_struct_parent,
    "PDFA-TRANS": _empty_trans,
    "PDFA-FONTS": _unembedded_helvetica,
}


@pytest.mark.parametrize("rule", BREAKAGES)
def test_each_breakage_fires_its_rule_and_no_other(rule: str) -> None:
    pdf = tagged_pdf()
    BREAKAGES[rule](pdf)
    assert rules_of(pdf) == {rule}
