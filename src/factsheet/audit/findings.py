"""What the audit can find: the :class:`Finding` every check returns, and the catalogue
of rules (a stable id, its category and severity, a one-line title, why it matters and
how to fix it, and the clause of ISO 14289-1 (PDF/UA-1), the Matterhorn Protocol or ISO
19005-2 (PDF/A-2) it comes from). docs/accessibility.md describes the same rules."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Severity = Literal["error", "warning"]
Category = Literal["accessibility", "archival"]


@dataclass(frozen=True)
class Finding:
    """One problem found in a PDF: `page` is 1-based, None for the whole document."""

    rule: str
    severity: Severity
    category: Category
    message: str
    page: int | None
    hint: str


@dataclass(frozen=True)
class Rule:
    id: str
    category: Category
    title: str
    hint: str
    clause: str
    severity: Severity = "error"

    def finding(
        self, message: str, page: int | None = None, severity: Severity | None = None
    ) -> Finding:
        return Finding(self.id, severity or self.severity, self.category, message, page, self.hint)


_A: Category = "accessibility"
_P: Category = "archival"

RULES: dict[str, Rule] = {
    rule.id: rule
    for rule in (
        Rule(
            "UA-TAGGED",
            _A,
            "the document is not tagged",
            "without a structure tree a screen reader reads the text in drawing order, with "
            "no headings, tables or alt text; make the PDF with a tool that writes tagged PDF "
            "(for a factsheet: remove `tagged: false` under `document.pdf` in its spec)",
            "ISO 14289-1 7.1; Matterhorn 01-005, 06-001",
        ),
        Rule(
            "UA-LANG",
            _A,
            "the document has no valid language",
            "a screen reader needs /Lang on the catalog (a language tag such as 'en' or "
            "'fr-CH') to pronounce the text",
            "ISO 14289-1 7.2; Matterhorn 11-006",
        ),
        Rule(
            "UA-TITLE",
            _A,
            "the document title is not shown or not set",
            "set a title in the XMP metadata (dc:title) and /ViewerPreferences "
            "<</DisplayDocTitle true>> so readers announce the title, not the file name",
            "ISO 14289-1 7.1; Matterhorn 06-003, 07-001, 07-002",
        ),
        Rule(
            "UA-TABS",
            _A,
            "a page has no /Tabs /S",
            "with /Tabs /S, keyboard users reach links and fields in the structure's order",
            "ISO 14289-1 7.18.3; Matterhorn 28-008, 28-009",
        ),
        Rule(
            "UA-CONTENT",
            _A,
            "content is painted outside marked content",
            "every text, path and image must be tagged (an MCID the structure tree names) or "
            "marked as an /Artifact, or a reader skips or garbles it",
            "ISO 14289-1 7.1; Matterhorn 01-005",
        ),
        Rule(
            "UA-ARTIFACT",
            _A,
            "artifacts and tagged content are nested in each other",
            "an /Artifact sequence may not lie inside tagged content, nor tagged content "
            "inside an artifact: close one before opening the other",
            "ISO 14289-1 7.1; Matterhorn 01-003, 01-004",
        ),
        Rule(
            "UA-MCID",
            _A,
            "marked content and the structure tree do not match",
            "each MCID on a page must be named by exactly one structure element (and by the "
            "ParentTree), and each MCID the tree names must exist on its page",
            "ISO 32000-1 14.7.4; ISO 14289-1 7.1",
        ),
        Rule(
            "UA-ALT",
            _A,
            "a figure or formula has no alternative text",
            "give every Figure and Formula a non-empty /Alt (or /ActualText) that says what "
            "it shows; decorative pictures are artifacts instead",
            "ISO 14289-1 7.3, 7.7; Matterhorn 13-004, 17-002",
        ),
        Rule(
            "UA-HEADINGS",
            _A,
            "heading levels skip or mix",
            "the first heading is H1 and each next heading is at most one level deeper; do "
            "not mix H with H1-H6",
            "ISO 14289-1 7.4; Matterhorn 14-002, 14-003, 14-007",
        ),
        Rule(
            "UA-TABLE-SCOPE",
            _A,
            "a table header cell has no scope",
            "give each TH an attribute dictionary <</O /Table /Scope /Column>> (or /Row, "
            "/Both) so a reader can announce the header with each cell",
            "ISO 14289-1 7.5; Matterhorn 15-003",
        ),
        Rule(
            "UA-TABLE",
            _A,
            "a table is not structured as a table",
            "TR belongs under Table, THead, TBody or TFoot, and TH and TD under TR",
            "ISO 32000-1 14.8.4.3.4 (Table 337); Matterhorn 09-004",
        ),
        Rule(
            "UA-LINK",
            _A,
            "a link is not joined to the structure or has no description",
            "each /Link annotation needs /Contents, and a /StructParent whose ParentTree entry "
            "is a Link element holding an OBJR that points back at the annotation",
            "ISO 14289-1 7.18.1, 7.18.5; Matterhorn 28-004, 28-011",
        ),
        Rule(
            "UA-ROLES",
            _A,
            "a structure type is not standard",
            "use the standard PDF 1.7 types, or map your own through the RoleMap to one; a "
            "standard type may not itself be remapped",
            "ISO 14289-1 7.1; Matterhorn 02-001, 02-003, 02-004",
        ),
        Rule(
            "PDFA-FONTS",
            _P,
            "a font is not embedded",
            "embed every font that shows text (Type 3 fonts excepted), including those in "
            "form XObjects and annotation appearances, so the file looks the same everywhere",
            "ISO 19005-2 6.2.11.4.1; ISO 14289-1 7.21.4.1",
        ),
        Rule(
            "PDFA-TRANS",
            _P,
            "a page has an empty /Trans dictionary",
            "remove the page's empty /Trans (a transition with no style); PDF/A validators "
            "reject it",
            "ISO 19005-2 6.1.13, 6.10",
        ),
        Rule(
            "PDFA-ANNOT-PRINT",
            _P,
            "an annotation is not printable",
            "set the Print flag (/F 4) on every annotation but Popup, and not Hidden, "
            "Invisible or NoView",
            "ISO 19005-2 6.3.2",
        ),
        Rule(
            "PDFA-OUTPUT-INTENT",
            _P,
            "no PDF/A output intent",
            "add an /OutputIntents entry with /S /GTS_PDFA1 and an ICC DestOutputProfile "
            "(an RGB profile such as sRGB when the file uses DeviceRGB)",
            "ISO 19005-2 6.2.3, 6.2.4.3",
        ),
        Rule(
            "PDFA-CLAIM",
            _P,
            "the metadata does not declare PDF/A-2b",
            "the XMP must hold pdfaid:part 2 and pdfaid:conformance B (or U or A)",
            "ISO 19005-2 6.6.4",
        ),
        Rule(
            "PDFA-PDFUAID",
            _P,
            "PDF/UA is not declared, or not in a PDF/A-valid way",
            "the XMP must hold pdfuaid:part 1, and a pdfaExtension schema that declares the "
            "pdfuaid namespace (http://www.aiim.org/pdfua/ns/id/) and its 'part' property",
            "ISO 14289-1 5, 7.1; ISO 19005-2 6.6.2.3; Matterhorn 06-002",
        ),
        Rule(
            "PDFA-CHECK",
            _P,
            "pikepdf's PDF/A-2b validator rejects a construct",
            "the message names the veraPDF rule (ISO_19005_2:clause-test) and the object; "
            "'not checked' findings are constructs the validator cannot vouch for",
            "ISO 19005-2 (veraPDF rule profile)",
        ),
        Rule(
            "AUDIT-READ",
            _P,
            "part of the file could not be read",
            "the file is damaged where the message says; the checks that needed it did not run",
            "ISO 32000-1 7",
        ),
    )
}


def finding(
    rule: str, message: str, page: int | None = None, severity: Severity | None = None
) -> Finding:
    """A finding of catalogue rule `rule`."""
    return RULES[rule].finding(message, page, severity)
