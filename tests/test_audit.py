"""`factsheet.audit`: the fixture page passes every rule and pdfua, and each way of
breaking it is caught by exactly the rule that names it."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pikepdf
import pytest
from pikepdf import Dictionary, Name, Stream, String

from factsheet.audit import RULES, audit_pdf, structure_elements
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


def _artifact_in_tagged(pdf: pikepdf.Pdf) -> None:
    pdf.pages[0].contents_add(
        Stream(pdf, b"/P <</MCID 6>> BDC /Artifact BMC 0 0 m 5 5 l S EMC EMC"), prepend=False
    )
    p = find(pdf, "P")
    p.K = pikepdf.Array([1, 6])
    pdf.Root.StructTreeRoot.ParentTree.Nums[1].append(p)


def _orphan_mcid(pdf: pikepdf.Pdf) -> None:
    pdf.pages[0].contents_add(
        Stream(pdf, b"/Span <</MCID 9>> BDC 0 0 m 5 5 l S EMC"), prepend=False
    )


def _no_lang(pdf: pikepdf.Pdf) -> None:
    del pdf.Root.Lang


def _no_display_title(pdf: pikepdf.Pdf) -> None:
    del pdf.Root.ViewerPreferences


def _no_tabs(pdf: pikepdf.Pdf) -> None:
    del pdf.pages[0].Tabs


def _untagged(pdf: pikepdf.Pdf) -> None:
    del pdf.Root.MarkInfo


def _td_under_table(pdf: pikepdf.Pdf) -> None:
    table, td = find(pdf, "Table"), find(pdf, "TD")
    find(pdf, "TR").K = pikepdf.Array([find(pdf, "TH")])
    table.K.append(td)
    td.P = table


def _unknown_role(pdf: pikepdf.Pdf) -> None:
    find(pdf, "P").S = Name("/Blurb")


def _hidden_annotation(pdf: pikepdf.Pdf) -> None:
    pdf.pages[0].Annots[0].F = 4 | 2


def _no_output_intent(pdf: pikepdf.Pdf) -> None:
    del pdf.Root.OutputIntents


MORE_BREAKAGES: dict[str, Callable[[pikepdf.Pdf], None]] = {
    "UA-ARTIFACT": _artifact_in_tagged,
    "UA-MCID": _orphan_mcid,
    "UA-LANG": _no_lang,
    "UA-TITLE": _no_display_title,
    "UA-TABS": _no_tabs,
    "UA-TAGGED": _untagged,
    "UA-TABLE": _td_under_table,
    "UA-ROLES": _unknown_role,
    "PDFA-ANNOT-PRINT": _hidden_annotation,
    "PDFA-OUTPUT-INTENT": _no_output_intent,
}


@pytest.mark.parametrize("rule", MORE_BREAKAGES)
def test_more_breakages_fire_their_rule_and_no_other(rule: str) -> None:
    pdf = tagged_pdf()
    MORE_BREAKAGES[rule](pdf)
    assert rules_of(pdf) == {rule}


def test_every_rule_has_a_test_that_fires_it() -> None:
    tested = set(BREAKAGES) | set(MORE_BREAKAGES)
    tested |= {"PDFA-CLAIM", "PDFA-PDFUAID", "PDFA-CHECK", "AUDIT-READ"}  # tested below
    assert tested == set(RULES)


def test_a_figure_with_actual_text_needs_no_alt() -> None:
    pdf = tagged_pdf()
    figure = find(pdf, "Figure")
    del figure.Alt
    figure.ActualText = String("A blue square")
    assert rules_of(pdf) == set()


def test_a_heading_mix_and_a_first_heading_below_h1_are_caught() -> None:
    pdf = tagged_pdf()
    find(pdf, "H1").S = Name.H2
    find(pdf, "P").S = Name.H
    messages = {f.message for f in audit_pdf(to_bytes(pdf)) if f.rule == "UA-HEADINGS"}
    assert messages == {
        "the first heading is H2, not H1",
        "the document mixes H with numbered headings (H1-H6)",
    }


def test_a_link_whose_structure_element_lacks_the_objr_is_caught() -> None:
    pdf = tagged_pdf()
    find(pdf, "Link").K = pikepdf.Array([5])
    findings = audit_pdf(to_bytes(pdf))
    assert [(f.rule, f.message) for f in findings] == [
        ("UA-LINK", "the link's structure element has no OBJR to it")
    ]


def test_a_file_not_claiming_pdfa_gets_a_warning_and_a_wrong_claim_an_error() -> None:
    pdf = tagged_pdf()
    xmp = pdf.Root.Metadata.read_bytes()
    pdf.Root.Metadata.write(xmp.replace(b"<pdfaid:part>2</pdfaid:part>", b""))
    found = {(f.rule, f.severity) for f in audit_pdf(to_bytes(pdf))}
    assert ("PDFA-CLAIM", "warning") in found
    pdf.Root.Metadata.write(xmp.replace(b"<pdfaid:part>2<", b"<pdfaid:part>1<"))
    claims = [f for f in audit_pdf(to_bytes(pdf)) if f.rule == "PDFA-CLAIM"]
    assert [(f.severity, f.message) for f in claims] == [
        ("error", "the file claims PDF/A-1b, not PDF/A-2b")
    ]


def test_pdfuaid_without_its_extension_schema_is_caught() -> None:
    pdf = tagged_pdf()
    xmp = pdf.Root.Metadata.read_bytes()
    start, end = xmp.index(b"<pdfaExtension:schemas>"), xmp.index(b"</pdfaExtension:schemas>")
    xmp = xmp[:start] + xmp[end + len(b"</pdfaExtension:schemas>") :]
    for prefix in (b"pdfaExtension", b"pdfaSchema", b"pdfaProperty"):
        xmp = re.sub(rb"xmlns:" + prefix + rb'="[^"]*"', b"", xmp)
    pdf.Root.Metadata.write(xmp)
    assert rules_of(pdf) == {"PDFA-PDFUAID"}


def test_an_extension_schema_for_another_namespace_is_not_excused() -> None:
    pdf = tagged_pdf()
    xmp = pdf.Root.Metadata.read_bytes().replace(
        b"</rdf:Bag>",
        b"<rdf:li rdf:parseType='Resource'><pdfaSchema:schema>x</pdfaSchema:schema>"
        b"<pdfaSchema:namespaceURI>http://example.org/x/</pdfaSchema:namespaceURI>"
        b"<pdfaSchema:prefix>x</pdfaSchema:prefix></rdf:li></rdf:Bag>",
    )
    pdf.Root.Metadata.write(xmp)
    checks = [f.message for f in audit_pdf(to_bytes(pdf)) if f.rule == "PDFA-CHECK"]
    assert any("pdfuaid:part is not permitted" in m for m in checks), checks


def test_pikepdf_violations_become_findings() -> None:
    pdf = tagged_pdf()
    del pdf.Root.Metadata
    checks = [f for f in audit_pdf(to_bytes(pdf)) if f.rule == "PDFA-CHECK"]
    assert [f.message for f in checks] == [
        "ISO_19005_2:6.6.2.1-1 at catalog: the catalog has no /Metadata stream"
    ]
    assert checks[0].severity == "error" and checks[0].category == "archival"


def test_an_unreadable_page_is_a_finding_not_a_crash() -> None:
    pdf = tagged_pdf()
    pdf.pages[0].Contents = Stream(pdf, b"BT (unterminated")
    rules = {f.rule for f in audit_pdf(to_bytes(pdf))}
    assert "AUDIT-READ" in rules or "UA-MCID" in rules


def test_a_cycle_in_the_structure_tree_is_cut() -> None:
    pdf = tagged_pdf()
    table = find(pdf, "Table")
    find(pdf, "TR").K.append(table)
    elements = structure_elements(pdf)
    assert [e.role for e in elements].count("Table") == 1
    assert "UA-MCID" in rules_of(pdf)


def test_an_annotation_that_toggles_out_of_view_is_caught() -> None:
    """ToggleNoView (bit 9) hides an annotation as surely as NoView does; PDF/A-2
    forbids it too."""
    pdf = tagged_pdf()
    pdf.pages[0].Annots[0].F = 4 | 256
    assert rules_of(pdf) == {"PDFA-ANNOT-PRINT"}
    messages = [f.message for f in audit_pdf(pdf) if f.rule == "PDFA-ANNOT-PRINT"]
    assert messages == ["a Link annotation is ToggleNoView"]
