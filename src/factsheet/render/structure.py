"""The structure tree, added to ReportLab's document before it is saved. ReportLab
writes pages and the marked content the tagger put in them, but no tagged-PDF
objects; this module turns the tagger's :class:`~factsheet.render.tagger.Log` into
what PDF/UA-1 asks for, as ReportLab objects written in the same single pass as the
pages: a StructTreeRoot with one Document element, the ParentTree that maps every
page's MCIDs and every link annotation back to their elements, `/StructParents` and
`/Tabs /S` on each page, `/StructParent` and `/Contents` on each link, and
`/MarkInfo`. (Writing them natively costs a fraction of reopening and rewriting the
file with a PDF library.)"""

from __future__ import annotations

from typing import Any

from reportlab.pdfbase.pdfdoc import PDFArray, PDFDictionary, PDFName, PDFString

from factsheet.render.tagger import Annotation, Annotations, Content, Element, Log


def add_structure(doc: Any, log: Log, annotations: Annotations) -> None:
    """Write the logged structure into `doc`, a ReportLab PDFDocument whose pages are
    all shown but not yet saved."""
    pages = doc.Pages.pages
    if len(pages) != len(log.owners):
        raise RuntimeError(f"{len(log.owners)} pages tagged, {len(pages)} in the file")
    page_refs = [doc.Reference(page) for page in pages]
    root = PDFDictionary({"Type": PDFName("StructTreeRoot")})
    root_ref = doc.Reference(root)
    writer = _Writer(doc, page_refs, annotations)
    root["K"] = writer.write(log.root, root_ref)
    nums: list[Any] = []
    for index, (page, owners) in enumerate(zip(pages, log.owners, strict=True)):
        page_keys(page, StructParents=index, Tabs=PDFName("S"))
        nums += [index, PDFArray([writer.refs[id(owner)] for owner in owners])]
    key = len(pages)
    for proxies, elements in zip(annotations.pages, log.annotations, strict=True):
        for proxy, element in zip(proxies, elements, strict=True):
            if element is None:
                continue
            proxy.extra["StructParent"] = key
            if element.node.alt and proxy.get("Subtype") == "/Link":
                proxy.extra.setdefault("Contents", PDFString(element.node.alt))
            nums += [key, writer.refs[id(element)]]
            key += 1
    root["ParentTree"] = doc.Reference(PDFDictionary({"Nums": PDFArray(nums)}))
    root["ParentTreeNextKey"] = key
    doc.Catalog.StructTreeRoot = root_ref
    doc.Catalog.MarkInfo = PDFDictionary({"Marked": "true"})  # a bare PDF keyword


def page_keys(page: Any, **keys: Any) -> None:
    """Set keys ReportLab's page dictionary has no slot for (it writes only the names
    in its `__NoDefault__` list, so this page gets a longer list of its own)."""
    names = list(type(page).__NoDefault__)
    page.__NoDefault__ = [*names, *(k for k in keys if k not in names)]
    for name, value in keys.items():
        setattr(page, name, value)


class _Writer:
    """StructElem objects for logged elements; `refs` maps each element (by id) to
    its object reference, for the ParentTree."""

    def __init__(self, doc: Any, pages: list[Any], annotations: Annotations) -> None:
        self.doc = doc
        self.pages = pages
        self.annotations = annotations
        self.refs: dict[int, Any] = {}

    def write(self, element: Element, parent: Any) -> Any:
        node = element.node
        struct = PDFDictionary(
            {"Type": PDFName("StructElem"), "S": PDFName(node.role), "P": parent}
        )
        ref = self.refs[id(element)] = self.doc.Reference(struct)
        first = next((k.page for k in element.kids if isinstance(k, Content)), None)
        if first is not None:
            struct["Pg"] = self.pages[first]
        if node.alt:
            struct["Alt"] = PDFString(node.alt)
        if element.lang:
            struct["Lang"] = PDFString(element.lang)
        if node.scope:
            struct["A"] = PDFDictionary({"O": PDFName("Table"), "Scope": PDFName(node.scope)})
        kids = [self._kid(kid, first, ref) for kid in element.kids]
        # One kid stands alone (as most checkers expect of a one-line heading); more go
        # in an array.
        struct["K"] = kids[0] if len(kids) == 1 else PDFArray(kids)
        return ref

    def _kid(self, kid: Element | Content | Annotation, first: int | None, ref: Any) -> Any:
        if isinstance(kid, Content):
            if kid.page == first:
                return kid.mcid
            return PDFDictionary(
                {"Type": PDFName("MCR"), "Pg": self.pages[kid.page], "MCID": kid.mcid}
            )
        if isinstance(kid, Annotation):
            proxy = self.annotations.pages[kid.page][kid.index]
            return PDFDictionary(
                {
                    "Type": PDFName("OBJR"),
                    "Obj": self.doc.Reference(proxy),
                    "Pg": self.pages[kid.page],
                }
            )
        return self.write(kid, ref)
