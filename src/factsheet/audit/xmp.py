"""Reading the XMP packet of a PDF: its title, its PDF/A and PDF/UA identification, and
the pdfaExtension schemas it declares. The packet is hostile input: it is parsed with
entities, DTDs and network access off, and a packet that does not parse reads as absent
(with the reason kept)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pikepdf

RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
DC = "http://purl.org/dc/elements/1.1/"
PDFAID = "http://www.aiim.org/pdfa/ns/id/"
PDFUAID = "http://www.aiim.org/pdfua/ns/id/"
EXTENSION = "http://www.aiim.org/pdfa/ns/extension/"
SCHEMA = "http://www.aiim.org/pdfa/ns/schema#"
PROPERTY = "http://www.aiim.org/pdfa/ns/property#"
TYPE = "http://www.aiim.org/pdfa/ns/type#"
FIELD = "http://www.aiim.org/pdfa/ns/field#"
EXTENSION_NAMESPACES = {EXTENSION, SCHEMA, PROPERTY, TYPE, FIELD}


@dataclass
class Schema:
    """One schema a pdfaExtension bag declares."""

    namespace: str
    prefix: str
    properties: tuple[str, ...]


@dataclass
class Xmp:
    present: bool = False
    error: str = ""
    title: str | None = None
    pdfa_part: str | None = None
    pdfa_conformance: str | None = None
    pdfua_part: str | None = None
    schemas: list[Schema] = field(default_factory=list)
    prefixes: dict[str, str] = field(default_factory=dict)  # prefix -> namespace


def read_xmp(pdf: pikepdf.Pdf) -> Xmp:
    import pikepdf
    from lxml import etree

    stream = pdf.Root.get("/Metadata")
    if not isinstance(stream, pikepdf.Stream):
        return Xmp()
    try:
        data = stream.read_bytes()
        parser = etree.XMLParser(
            resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False
        )
        root = etree.fromstring(data, parser)
    except (pikepdf.PdfError, etree.XMLSyntaxError, ValueError) as exc:
        return Xmp(present=True, error=str(exc))
    if root is None:
        return Xmp(present=True, error="the packet is empty")
    xmp = Xmp(present=True)
    for element in root.iter():
        if isinstance(element.tag, str):
            for prefix, namespace in (element.nsmap or {}).items():
                if prefix:
                    xmp.prefixes.setdefault(prefix, namespace)
    xmp.title = _title(root)
    xmp.pdfa_part = _property(root, PDFAID, "part")
    xmp.pdfa_conformance = _property(root, PDFAID, "conformance")
    xmp.pdfua_part = _property(root, PDFUAID, "part")
    xmp.schemas = _schemas(root)
    return xmp


def _property(root: Any, namespace: str, name: str) -> str | None:
    """A simple property, written as an element or as an attribute of rdf:Description."""
    tag = f"{{{namespace}}}{name}"
    for description in root.iter(f"{{{RDF}}}Description"):
        if tag in description.attrib:
            return str(description.attrib[tag]).strip()
        for child in description:
            if child.tag == tag:
                return (child.text or "").strip()
    return None


def _title(root: Any) -> str | None:
    for element in root.iter(f"{{{DC}}}title"):
        texts = [(li.text or "").strip() for li in element.iter(f"{{{RDF}}}li")]
        return next((t for t in texts if t), "")
    return None


def _schemas(root: Any) -> list[Schema]:
    schemas: list[Schema] = []
    for bag in root.iter(f"{{{EXTENSION}}}schemas"):
        for item in bag.iter(f"{{{RDF}}}li"):
            namespace = _child_text(item, SCHEMA, "namespaceURI")
            if namespace is None:
                continue  # a property or value type item, not a schema
            names = [(name.text or "").strip() for name in item.iter(f"{{{PROPERTY}}}name")]
            schemas.append(
                Schema(namespace, _child_text(item, SCHEMA, "prefix") or "", tuple(names))
            )
    return schemas


def _child_text(item: Any, namespace: str, name: str) -> str | None:
    tag = f"{{{namespace}}}{name}"
    if tag in item.attrib:
        return str(item.attrib[tag]).strip()
    for child in item:
        if child.tag == tag:
            return (child.text or "").strip()
    return None
