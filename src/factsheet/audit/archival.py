"""The PDF/A-2b checks: embedded fonts, empty /Trans, printable annotations, the output
intent, the PDF/A and PDF/UA identification in XMP, and pikepdf's own PDF/A-2b validator
(`pikepdf.pdfa.check`), whose violations become `PDFA-CHECK` findings. That validator
rejects every XMP extension schema by design; the findings caused by a pdfaExtension
schema that declares exactly the pdfuaid namespace (which PDF/A requires of a PDF/UA
file) are dropped, and so are those one of our own rules reports better."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import TYPE_CHECKING

from factsheet.audit.content import PageScan, scan_fonts
from factsheet.audit.findings import Finding, finding
from factsheet.audit.xmp import EXTENSION_NAMESPACES, PDFUAID, Xmp

if TYPE_CHECKING:
    import pikepdf

# Annotation flags (ISO 32000-1 Table 165).
INVISIBLE, HIDDEN, PRINT, NO_VIEW, TOGGLE_NO_VIEW = 1, 2, 4, 32, 256
# pikepdf validator findings one of our rules reports too, with the page and a fix: a
# finding is dropped only when that rule of ours fired on the same file.
COVERED: tuple[tuple[str, str, str], ...] = (
    # (validator rule id or prefix, message or "" for any, our rule)
    ("ISO_19005_2:6.2.11.4.1-", "", "PDFA-FONTS"),
    ("ISO_19005_2:6.3.2-", "", "PDFA-ANNOT-PRINT"),
    ("ISO_19005_2:6.2.4.3-", "", "PDFA-OUTPUT-INTENT"),
    ("pikepdf:output-intent", "", "PDFA-OUTPUT-INTENT"),
    ("ISO_19005_2:6.6.4-", "", "PDFA-CLAIM"),
    ("pikepdf:schema-Page", "unrecognized key(s) /Trans are not checked", "PDFA-TRANS"),
    ("ISO_19005_2:6.6.2.3.1-1", "XMP property pdfuaid:part is not permitted", "PDFA-PDFUAID"),
)
_EXTENSION_FINDING = re.compile(
    r"XMP namespace \w+=(?P<ns>\S+) is not permitted|XMP property (?P<prop>[\w]+):\w+ is not"
    r" permitted"
)


def check(pdf: pikepdf.Pdf, scans: list[PageScan], xmp: Xmp) -> list[Finding]:
    found = list(fonts(pdf, scans))  # first: it scans annotation appearances into `scans`
    rgb = any(scan.rgb for scan in scans)
    found += [
        *transitions(pdf),
        *annotation_flags(pdf),
        *output_intent(pdf, rgb),
        *identification(xmp),
    ]
    return found + list(validator(pdf, xmp, {f.rule for f in found}))


def fonts(pdf: pikepdf.Pdf, scans: list[PageScan]) -> Iterator[Finding]:
    for number, scan in enumerate(scans, 1):
        for stream in _appearances(pdf.pages[number - 1]):
            scan_fonts(stream, scan)
        for font, name in scan.fonts.values():
            if not embedded(font):
                yield finding(
                    "PDFA-FONTS", f"the font {name} shows text but is not embedded", number
                )


def embedded(font: pikepdf.Dictionary) -> bool:
    import pikepdf

    subtype = font.get("/Subtype")
    if subtype == pikepdf.Name.Type3:
        return True
    if subtype == pikepdf.Name.Type0:
        descendants = font.get("/DescendantFonts")
        if not isinstance(descendants, pikepdf.Array) or not len(descendants):
            return False
        descendant = descendants[0]
        if not isinstance(descendant, pikepdf.Dictionary):
            return False
        font = descendant
    descriptor = font.get("/FontDescriptor")
    if not isinstance(descriptor, pikepdf.Dictionary):
        return False
    return any(
        isinstance(descriptor.get(key), pikepdf.Stream)
        for key in ("/FontFile", "/FontFile2", "/FontFile3")
    )


def _appearances(page: pikepdf.Page) -> Iterator[pikepdf.Stream]:
    """Every appearance stream of the page's annotations (/AP /N, /R, /D, each a stream
    or a dictionary of states)."""
    import pikepdf

    annots = page.obj.get("/Annots")
    for annot in annots if isinstance(annots, pikepdf.Array) else []:
        ap = annot.get("/AP") if isinstance(annot, pikepdf.Dictionary) else None
        if not isinstance(ap, pikepdf.Dictionary):
            continue
        for key in ("/N", "/R", "/D"):
            value = ap.get(key)
            if isinstance(value, pikepdf.Stream):
                yield value
            elif isinstance(value, pikepdf.Dictionary):
                yield from (s for s in value.values() if isinstance(s, pikepdf.Stream))


def transitions(pdf: pikepdf.Pdf) -> Iterator[Finding]:
    import pikepdf

    for number, page in enumerate(pdf.pages, 1):
        trans = page.obj.get("/Trans")
        if isinstance(trans, pikepdf.Dictionary) and not len(trans.keys()):
            yield finding("PDFA-TRANS", "the page has /Trans << >>", number)


def annotation_flags(pdf: pikepdf.Pdf) -> Iterator[Finding]:
    import pikepdf

    for number, page in enumerate(pdf.pages, 1):
        annots = page.obj.get("/Annots")
        for annot in annots if isinstance(annots, pikepdf.Array) else []:
            if not isinstance(annot, pikepdf.Dictionary):
                continue
            kind = str(annot.get("/Subtype", "/?"))[1:]
            if kind == "Popup":
                continue
            raw = annot.get("/F")
            flags = int(raw) if isinstance(raw, int) else 0
            if not flags & PRINT:
                yield finding(
                    "PDFA-ANNOT-PRINT", f"a {kind} annotation lacks the Print flag", number
                )
            hidden = [n for bit, n in _HIDING if flags & bit]
            if hidden:
                yield finding(
                    "PDFA-ANNOT-PRINT", f"a {kind} annotation is {', '.join(hidden)}", number
                )


_HIDING = (
    (INVISIBLE, "Invisible"),
    (HIDDEN, "Hidden"),
    (NO_VIEW, "NoView"),
    (TOGGLE_NO_VIEW, "ToggleNoView"),
)


def output_intent(pdf: pikepdf.Pdf, rgb: bool) -> Iterator[Finding]:
    import pikepdf

    intents = pdf.Root.get("/OutputIntents")
    pdfa = [
        intent
        for intent in (intents if isinstance(intents, pikepdf.Array) else [])
        if isinstance(intent, pikepdf.Dictionary) and intent.get("/S") == pikepdf.Name.GTS_PDFA1
    ]
    if not pdfa:
        yield finding("PDFA-OUTPUT-INTENT", "there is no /OutputIntents entry with /S /GTS_PDFA1")
        return
    profile = pdfa[0].get("/DestOutputProfile")
    if not isinstance(profile, pikepdf.Stream):
        yield finding("PDFA-OUTPUT-INTENT", "the PDF/A output intent has no DestOutputProfile")
        return
    space = _icc_space(profile)
    if rgb and space != "RGB":
        yield finding(
            "PDFA-OUTPUT-INTENT",
            f"the file paints in DeviceRGB but the output profile is {space or 'unreadable'}",
        )


def _icc_space(profile: pikepdf.Stream) -> str | None:
    """The colour space of an ICC profile's header ('RGB', 'CMYK', 'GRAY')."""
    import pikepdf

    try:
        header = profile.read_bytes()[:20]
    except pikepdf.PdfError:
        return None
    return header[16:20].decode("latin-1").strip() or None if len(header) == 20 else None


def identification(xmp: Xmp) -> Iterator[Finding]:
    if xmp.error:
        yield finding("PDFA-CLAIM", f"the XMP metadata cannot be read: {xmp.error}")
        return
    if xmp.pdfa_part is None:
        yield finding(
            "PDFA-CLAIM",
            "the file does not claim PDF/A (no pdfaid:part); it was checked as PDF/A-2b",
            severity="warning",
        )
    elif xmp.pdfa_part != "2" or (xmp.pdfa_conformance or "").upper() not in ("B", "U", "A"):
        claim = f"{xmp.pdfa_part}{(xmp.pdfa_conformance or '?').lower()}"
        yield finding("PDFA-CLAIM", f"the file claims PDF/A-{claim}, not PDF/A-2b")
    if xmp.pdfua_part is None:
        yield finding("PDFA-PDFUAID", "the XMP has no pdfuaid:part (PDF/UA is not declared)")
        return
    if xmp.pdfua_part != "1":
        yield finding("PDFA-PDFUAID", f"pdfuaid:part is {xmp.pdfua_part!r}, not 1")
    if xmp.pdfa_part is not None and not _declares_pdfuaid(xmp):
        yield finding(
            "PDFA-PDFUAID",
            "pdfuaid:part is not declared by a pdfaExtension schema (PDF/A requires one)",
        )


def _declares_pdfuaid(xmp: Xmp) -> bool:
    return any(
        schema.namespace == PDFUAID and schema.prefix == "pdfuaid" and "part" in schema.properties
        for schema in xmp.schemas
    )


def validator(pdf: pikepdf.Pdf, xmp: Xmp, ours: set[str]) -> Iterator[Finding]:
    """pikepdf's verdict on the file as it would be saved, less what `ours` (the rules
    that fired) already say and what the pdfuaid extension schema causes."""
    import logging

    import pikepdf.pdfa

    # fontTools, reading embedded fonts for the validator, logs each font whose
    # creation date is the epoch (as ReportLab's subsets have): noise in a report.
    head = logging.getLogger("fontTools.ttLib.tables._h_e_a_d")
    level = head.level
    head.setLevel(logging.ERROR)
    try:
        report = pikepdf.pdfa.check(pdf, "2b")
    finally:
        head.setLevel(level)
    only_pdfuaid = bool(xmp.schemas) and all(s.namespace == PDFUAID for s in xmp.schemas)
    for item in report.findings:
        if _covered(item.rule, item.message, ours) or (
            only_pdfuaid and _from_pdfuaid_schema(item.message, xmp)
        ):
            continue
        if item.kind == "violation":
            yield finding("PDFA-CHECK", f"{item.rule} at {item.where}: {item.message}")
        else:
            yield finding(
                "PDFA-CHECK",
                f"not checked: {item.rule} at {item.where}: {item.message}",
                severity="warning",
            )


def _covered(rule: str, message: str, ours: set[str]) -> bool:
    return any(
        rule.startswith(prefix) and (not text or message.strip() == text) and our in ours
        for prefix, text, our in COVERED
    )


def _from_pdfuaid_schema(message: str, xmp: Xmp) -> bool:
    """Whether a validator message is about the extension schema itself (its namespaces,
    the schemas property) or about the pdfuaid property it declares."""
    match = _EXTENSION_FINDING.fullmatch(message.strip())
    if match is None:
        return False
    if match.group("ns") is not None:
        return match.group("ns") in EXTENSION_NAMESPACES
    namespace = xmp.prefixes.get(match.group("prop"))
    return namespace == PDFUAID or namespace in EXTENSION_NAMESPACES
