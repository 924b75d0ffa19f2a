"""`factsheet audit`: accessibility (PDF/UA-1) and archival (PDF/A-2b) checks on any
PDF, ours or not. :func:`audit_pdf` returns every :class:`Finding` of one file;
:func:`structure_elements` lists its structure tree in reading order. pikepdf is
imported only when a PDF is audited, so `factsheet --help` stays fast."""

from __future__ import annotations

import io
from pathlib import Path
from typing import TYPE_CHECKING

from factsheet.audit.findings import RULES, Finding, Rule
from factsheet.audit.structure import Element, structure_elements

if TYPE_CHECKING:
    import pikepdf

__all__ = ["RULES", "Element", "Finding", "Rule", "audit_pdf", "structure_elements"]


def audit_pdf(source: bytes | Path | pikepdf.Pdf) -> list[Finding]:
    """Every accessibility and archival finding of one PDF, in rule order then page
    order. A path or bytes that is not a readable PDF raises `pikepdf.PdfError`."""
    import pikepdf

    if isinstance(source, pikepdf.Pdf):
        return _audit(source)
    opened = io.BytesIO(source) if isinstance(source, bytes) else source
    with pikepdf.open(opened) as pdf:
        return _audit(pdf)


def _audit(pdf: pikepdf.Pdf) -> list[Finding]:
    import pikepdf

    from factsheet.audit import accessibility, archival
    from factsheet.audit.content import PageScan, scan_page
    from factsheet.audit.findings import finding
    from factsheet.audit.structure import read_tree
    from factsheet.audit.xmp import read_xmp

    findings: list[Finding] = []
    scans: list[PageScan] = []
    for number, page in enumerate(pdf.pages, 1):
        try:
            scans.append(scan_page(page))
        except pikepdf.PdfError as exc:
            findings.append(finding("AUDIT-READ", f"the page's content: {exc}", number))
            scans.append(PageScan())
    xmp = read_xmp(pdf)
    try:
        tree = read_tree(pdf)
        findings += accessibility.check(pdf, tree, scans, xmp.title)
        findings += archival.check(pdf, scans, xmp)
    except pikepdf.PdfError as exc:
        findings.append(finding("AUDIT-READ", str(exc)))
    order = {rule: index for index, rule in enumerate(RULES)}
    return sorted(findings, key=lambda f: (order[f.rule], f.page or 0))
