"""A minimal tagged PDF/UA-1 and PDF/A-2b page, built in the test process, for the audit
tests to break one way at a time. ReportLab draws the page (an embedded Lato subset, marked
content written with `addLiteral`), then one pikepdf pass adds what ReportLab cannot write:
the structure tree and ParentTree, /StructParents, /Tabs, /MarkInfo, the XMP packet (with
the pdfaExtension schema that declares `pdfuaid`) and the sRGB OutputIntent.

The page holds an H1, a P, a Figure with /Alt, a Table (TR > TH with /Scope, TD), a Link
joined to its annotation, and a decorative rule marked as an Artifact."""

from __future__ import annotations

import io
from pathlib import Path

import pikepdf
from pikepdf import Array, Dictionary, Name, Pdf, Stream, String

ROOT = Path(__file__).resolve().parents[1]
LATO = ROOT / "assets" / "fonts" / "lato" / "Lato-Regular.ttf"
SRGB = Path(pikepdf.__file__).parent / "pdfa" / "data" / "sRGB.icc"
TITLE = "Audit fixture"

# (role, MCID, text or None for a drawing) in reading order; the Link's MCID comes last.
CONTENT = """\
/Artifact <</Type /Layout>> BDC
{rule}
EMC
/H1 <</MCID 0>> BDC
{h1}
EMC
/P <</MCID 1>> BDC
{p}
EMC
/Figure <</MCID 2>> BDC
{figure}
EMC
/TH <</MCID 3>> BDC
{th}
EMC
/TD <</MCID 4>> BDC
{td}
EMC
/Link <</MCID 5>> BDC
{link}
EMC
"""


def _page_bytes() -> bytes:
    """The page as ReportLab writes it: marked content, but no structure."""
    from reportlab.lib.pagesizes import A5
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen.canvas import Canvas

    pdfmetrics.registerFont(TTFont("AuditLato", str(LATO)))
    out = io.BytesIO()
    canvas = Canvas(out, pagesize=A5, invariant=True, lang="en", initialFontName="AuditLato")
    canvas.setTitle(TITLE)
    canvas.setViewerPreference("DisplayDocTitle", "true")
    canvas.setFont("AuditLato", 12)

    def rule() -> None:
        canvas.setStrokeColorRGB(0.2, 0.3, 0.6)
        canvas.line(30, 560, 390, 560)

    def text(x: float, y: float, words: str) -> None:
        canvas.drawString(x, y, words)

    def figure() -> None:
        canvas.setFillColorRGB(0.2, 0.5, 0.8)
        canvas.rect(30, 380, 120, 80, stroke=0, fill=1)

    steps = {
        "rule": rule,
        "h1": lambda: text(30, 530, "Migration in 2021"),
        "p": lambda: text(30, 500, "Officials trained across the region."),
        "figure": figure,
        "th": lambda: text(30, 340, "Year"),
        "td": lambda: text(100, 340, "2021"),
        "link": lambda: text(30, 300, "example.org"),
    }
    for line in CONTENT.splitlines():
        if line.startswith("{"):
            steps[line.strip("{}")]()
        else:
            canvas.addLiteral(line)
    canvas.linkURL("https://example.org/", (28, 296, 100, 312), relative=0, thickness=0)
    canvas.showPage()
    canvas.save()
    return out.getvalue()


def _element(pdf: Pdf, role: str, parent: Dictionary, **extra: object) -> Dictionary:
    element = pdf.make_indirect(
        Dictionary(Type=Name.StructElem, S=Name("/" + role), P=parent, **extra)
    )
    return element


def _xmp(title: str) -> bytes:
    return f"""<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/">
 <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
  <rdf:Description rdf:about=""
    xmlns:dc="http://purl.org/dc/elements/1.1/"
    xmlns:pdfaid="http://www.aiim.org/pdfa/ns/id/"
    xmlns:pdfuaid="http://www.aiim.org/pdfua/ns/id/"
    xmlns:pdfaExtension="http://www.aiim.org/pdfa/ns/extension/"
    xmlns:pdfaSchema="http://www.aiim.org/pdfa/ns/schema#"
    xmlns:pdfaProperty="http://www.aiim.org/pdfa/ns/property#">
   <dc:title><rdf:Alt><rdf:li xml:lang="x-default">{title}</rdf:li></rdf:Alt></dc:title>
   <pdfaid:part>2</pdfaid:part>
   <pdfaid:conformance>B</pdfaid:conformance>
   <pdfuaid:part>1</pdfuaid:part>
   <pdfaExtension:schemas>
    <rdf:Bag>
     <rdf:li rdf:parseType="Resource">
      <pdfaSchema:schema>PDF/UA Universal Accessibility Schema</pdfaSchema:schema>
      <pdfaSchema:namespaceURI>http://www.aiim.org/pdfua/ns/id/</pdfaSchema:namespaceURI>
      <pdfaSchema:prefix>pdfuaid</pdfaSchema:prefix>
      <pdfaSchema:property>
       <rdf:Seq>
        <rdf:li rdf:parseType="Resource">
         <pdfaProperty:name>part</pdfaProperty:name>
         <pdfaProperty:valueType>Integer</pdfaProperty:valueType>
         <pdfaProperty:category>internal</pdfaProperty:category>
         <pdfaProperty:description>Part of ISO 14289</pdfaProperty:description>
        </rdf:li>
       </rdf:Seq>
      </pdfaSchema:property>
     </rdf:li>
    </rdf:Bag>
   </pdfaExtension:schemas>
  </rdf:Description>
 </rdf:RDF>
</x:xmpmeta>
<?xpacket end="w"?>""".encode()


def tagged_pdf() -> Pdf:
    """The fixture page, open for a test to break; it passes every audit rule."""
    pdf = pikepdf.open(io.BytesIO(_page_bytes()))
    page = pdf.pages[0]
    root = pdf.make_indirect(Dictionary(Type=Name.StructTreeRoot))
    document = _element(pdf, "Document", root)
    h1 = _element(pdf, "H1", document, Pg=page.obj, K=0)
    p = _element(pdf, "P", document, Pg=page.obj, K=1)
    figure = _element(pdf, "Figure", document, Pg=page.obj, K=2, Alt=String("A blue square"))
    table = _element(pdf, "Table", document)
    row = _element(pdf, "TR", table)
    scope = Dictionary(O=Name.Table, Scope=Name.Column)
    th = _element(pdf, "TH", row, Pg=page.obj, K=3, A=scope)
    td = _element(pdf, "TD", row, Pg=page.obj, K=4)
    row.K = Array([th, td])
    table.K = Array([row])
    link = _element(pdf, "Link", document, Pg=page.obj)
    annot = page.obj.Annots[0]
    link.K = Array([5, Dictionary(Type=Name.OBJR, Obj=annot, Pg=page.obj)])
    document.K = Array([h1, p, figure, table, link])
    root.K = document
    root.ParentTree = pdf.make_indirect(
        Dictionary(Nums=Array([0, Array([h1, p, figure, th, td, link]), 1, link]))
    )
    root.ParentTreeNextKey = 2
    page.obj.StructParents = 0
    page.obj.Tabs = Name.S
    annot.StructParent = 1
    annot.Contents = String("Example website")
    annot.F = 4
    if "/Trans" in page.obj:
        del page.obj.Trans
    pdf.Root.StructTreeRoot = root
    pdf.Root.MarkInfo = Dictionary(Marked=True)
    pdf.Root.Lang = String("en")
    _archival(pdf)
    return pdf


def _archival(pdf: Pdf) -> None:
    """XMP matching the DocInfo, and the sRGB OutputIntent."""
    metadata = Stream(pdf, _xmp(TITLE))
    metadata.Type = Name.Metadata
    metadata.Subtype = Name.XML
    pdf.Root.Metadata = pdf.make_indirect(metadata)
    for key in list(pdf.docinfo.keys()):
        if key != "/Title":
            del pdf.docinfo[key]
    profile = Stream(pdf, SRGB.read_bytes())
    profile.N = 3
    intent = Dictionary(
        Type=Name.OutputIntent,
        S=Name.GTS_PDFA1,
        OutputConditionIdentifier=String("sRGB"),
        DestOutputProfile=pdf.make_indirect(profile),
    )
    pdf.Root.OutputIntents = Array([intent])


def to_bytes(pdf: Pdf) -> bytes:
    out = io.BytesIO()
    pdf.save(out, deterministic_id=True)
    return out.getvalue()


def find(pdf: Pdf, role: str) -> Dictionary:
    """The first structure element of `role`, depth first."""
    stack = [pdf.Root.StructTreeRoot.K]
    while stack:
        node = stack.pop()
        if isinstance(node, pikepdf.Array):
            stack.extend(reversed(list(node)))
        elif isinstance(node, pikepdf.Dictionary) and "/S" in node:
            if Name("/" + role) == node.S:
                return node
            if "/K" in node:
                stack.append(node.K)
    raise LookupError(role)
