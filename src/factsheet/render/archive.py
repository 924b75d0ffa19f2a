"""What makes a tagged PDF archival (PDF/A-2b) and says so: XMP metadata that mirrors
the document information and declares PDF/A-2b and PDF/UA-1 (the latter through the
extension schema PDF/A asks for any namespace it does not predefine), an sRGB output
intent (the ICC profile pikepdf ships), and none of the empty `/Trans` dictionaries
ReportLab writes on every page. The XMP is written here, from a fixed template, so a
rebuild is byte-identical: dates are the document's own, the producer is pinned, and
the file identifier is derived from the content."""

from __future__ import annotations

import functools
import importlib.util
import io
import zlib
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pikepdf

    from factsheet.render.pdf import Metadata
    from factsheet.render.tagger import Annotations

UA_NAMESPACE = "http://www.aiim.org/pdfua/ns/id/"
PRINT = 4  # the annotation flag that makes it print
# Invisible, Hidden, NoView and ToggleNoView: PDF/A forbids them on any annotation.
HIDDEN_OR_NO_VIEW = 1 | 2 | 32 | 256
# The output intent's names, the same in editions (ReportLab) and bundles (pikepdf).
CONDITION = "sRGB"
CONDITION_INFO = "sRGB IEC61966-2.1"

_XMP = """<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/">
 <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
  <rdf:Description rdf:about=""
    xmlns:dc="http://purl.org/dc/elements/1.1/"
    xmlns:xmp="http://ns.adobe.com/xap/1.0/"
    xmlns:pdf="http://ns.adobe.com/pdf/1.3/"{namespaces}>
   <dc:format>application/pdf</dc:format>
   <dc:title><rdf:Alt><rdf:li xml:lang="x-default">{title}</rdf:li></rdf:Alt></dc:title>
   <dc:creator><rdf:Seq><rdf:li>{author}</rdf:li></rdf:Seq></dc:creator>
   <dc:description><rdf:Alt><rdf:li xml:lang="x-default">{subject}</rdf:li></rdf:Alt>
   </dc:description>
   <dc:language><rdf:Bag><rdf:li>{language}</rdf:li></rdf:Bag></dc:language>
   <pdf:Keywords>{keywords}</pdf:Keywords>
   <pdf:Producer>{producer}</pdf:Producer>
   <xmp:CreatorTool>{creator}</xmp:CreatorTool>
   <xmp:CreateDate>{date}</xmp:CreateDate>
   <xmp:ModifyDate>{date}</xmp:ModifyDate>
   <xmp:MetadataDate>{date}</xmp:MetadataDate>
{claims}  </rdf:Description>
 </rdf:RDF>
</x:xmpmeta>
<?xpacket end="w"?>"""

_PDFA = "   <pdfaid:part>2</pdfaid:part>\n   <pdfaid:conformance>B</pdfaid:conformance>\n"
_PDFUA = "   <pdfuaid:part>1</pdfuaid:part>\n"
_EXTENSION = """   <pdfaExtension:schemas><rdf:Bag><rdf:li rdf:parseType="Resource">
    <pdfaSchema:schema>PDF/UA Universal Accessibility Schema</pdfaSchema:schema>
    <pdfaSchema:namespaceURI>{ua}</pdfaSchema:namespaceURI>
    <pdfaSchema:prefix>pdfuaid</pdfaSchema:prefix>
    <pdfaSchema:property><rdf:Seq><rdf:li rdf:parseType="Resource">
     <pdfaProperty:name>part</pdfaProperty:name>
     <pdfaProperty:valueType>Integer</pdfaProperty:valueType>
     <pdfaProperty:category>internal</pdfaProperty:category>
     <pdfaProperty:description>The part of ISO 14289 (PDF/UA) the file conforms to
     </pdfaProperty:description>
    </rdf:li></rdf:Seq></pdfaSchema:property>
   </rdf:li></rdf:Bag></pdfaExtension:schemas>
""".replace("{ua}", UA_NAMESPACE)


def escape(text: str) -> str:
    """`text` as XML character data (what xml.sax.saxutils.escape does, without its
    import of urllib, http and ssl: a sixth of a build's imports)."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


# PDF/A's validators reject a namespace it does not predefine unless an extension
# schema describes it, even when no property uses it: declare only what is used.
_NAMESPACES = {
    "pdfaid": "http://www.aiim.org/pdfa/ns/id/",
    "pdfuaid": UA_NAMESPACE,
    "pdfaExtension": "http://www.aiim.org/pdfa/ns/extension/",
    "pdfaSchema": "http://www.aiim.org/pdfa/ns/schema#",
    "pdfaProperty": "http://www.aiim.org/pdfa/ns/property#",
}


def xmp(meta: Metadata, producer: str, creator: str, archival: bool, tagged: bool) -> bytes:
    """The XMP packet: the document information again, and the standards claimed (with
    only the namespaces those claims use)."""
    used = (["pdfaid"] if archival else []) + (["pdfuaid"] if tagged else [])
    claims = (_PDFA if archival else "") + (_PDFUA if tagged else "")
    if archival and tagged:
        claims += _EXTENSION
        used += ["pdfaExtension", "pdfaSchema", "pdfaProperty"]
    namespaces = "".join(f'\n    xmlns:{name}="{_NAMESPACES[name]}"' for name in used)
    text = _XMP.format(
        namespaces=namespaces,
        title=escape(meta.title),
        author=escape(meta.author),
        subject=escape(meta.subject),
        language=escape(meta.language),
        keywords=escape(", ".join(meta.keywords)),
        producer=escape(producer),
        creator=escape(creator),
        date=meta.date.isoformat() + "T00:00:00+00:00",
        claims=claims,
    )
    return text.encode("utf-8")


def add_archival(doc: Any, annotations: Annotations) -> None:
    """In ReportLab's document before it is saved: the sRGB output intent, no empty
    page transitions, every annotation printed."""
    from reportlab.pdfbase.pdfdoc import PDFArray, PDFDictionary, PDFName, PDFStream, PDFString

    for page in doc.Pages.pages:
        page.Trans = None
    for proxies in annotations.pages:
        for proxy in proxies:
            proxy.extra["F"] = PRINT  # ReportLab sets no other flag
    # Compressed once per process: the same profile goes into every edition.
    compressed = PDFDictionary({"N": 3, "Filter": PDFName("FlateDecode")})
    profile = PDFStream(compressed, _srgb_compressed(), filters=[])
    intent = PDFDictionary(
        {
            "Type": PDFName("OutputIntent"),
            "S": PDFName("GTS_PDFA1"),
            "OutputConditionIdentifier": PDFString(CONDITION),
            "Info": PDFString(CONDITION_INFO),
            "DestOutputProfile": doc.Reference(profile),
        }
    )
    catalog = doc.Catalog
    if "OutputIntents" not in catalog.__NoDefault__:
        catalog.__NoDefault__ = [*catalog.__NoDefault__, "OutputIntents"]
    catalog.OutputIntents = PDFArray([intent])


def add_metadata(doc: Any, packet: bytes) -> None:
    """The XMP packet as the catalog's metadata stream (never compressed: archives
    read it without a PDF library)."""
    from reportlab.pdfbase.pdfdoc import PDFDictionary, PDFName, PDFStream

    stream = PDFStream(
        PDFDictionary({"Type": PDFName("Metadata"), "Subtype": PDFName("XML")}),
        packet,
        filters=[],
    )
    doc.Catalog.Metadata = stream


def make_archival(pdf: pikepdf.Pdf) -> None:
    """The sRGB output intent, no empty page transitions, and every annotation printed
    (PDF/A asks for the Print flag whether or not the file is tagged)."""
    from pikepdf import Array, Dictionary, Name, String

    for page in pdf.pages:
        transition = page.obj.get("/Trans")
        if transition is not None and len(transition.keys()) == 0:
            del page.obj.Trans
        for annot in page.obj.get("/Annots", ()):
            annot.F = (int(annot.get("/F", 0)) | PRINT) & ~HIDDEN_OR_NO_VIEW
    profile = pdf.make_stream(_srgb(), N=3)
    intent = Dictionary(
        Type=Name.OutputIntent,
        S=Name.GTS_PDFA1,
        OutputConditionIdentifier=String(CONDITION),
        Info=String(CONDITION_INFO),
        DestOutputProfile=profile,
    )
    pdf.Root.OutputIntents = Array([intent])


def set_metadata(pdf: pikepdf.Pdf, packet: bytes) -> None:
    from pikepdf import Name

    pdf.Root.Metadata = pdf.make_stream(packet, Type=Name.Metadata, Subtype=Name.XML)


def save(pdf: pikepdf.Pdf) -> bytes:
    """The file's bytes (a bundle's), the same for the same document: the identifier is
    derived from the content, and nothing stamps the time. Streams are copied as the
    editions have them (ReportLab compressed them); compressing the object streams as
    well made the bundle step three times slower for a file a seventh smaller."""
    from pikepdf import ObjectStreamMode, StreamDecodeLevel

    buffer = io.BytesIO()
    pdf.save(
        buffer,
        deterministic_id=True,
        object_stream_mode=ObjectStreamMode.generate,
        compress_streams=False,
        stream_decode_level=StreamDecodeLevel.none,
        min_version="1.7",
        fix_metadata_version=False,
    )
    return buffer.getvalue()


@functools.cache
def _srgb_compressed() -> bytes:
    return zlib.compress(_srgb())


@functools.cache
def _srgb() -> bytes:
    """The sRGB profile pikepdf ships (from icc-profiles-free, zlib licence), found
    without importing pikepdf, which an edition's build does not otherwise need."""
    spec = importlib.util.find_spec("pikepdf")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("pikepdf is not installed: reinstall factsheet")
    folder = Path(next(iter(spec.submodule_search_locations)))
    return (folder / "pdfa" / "data" / "sRGB.icc").read_bytes()
