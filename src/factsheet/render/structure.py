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

from reportlab.pdfbase.pdfdoc import PDFDictionary, PDFName, PDFObject, PDFString

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
    tree = _ParentTree()
    for index, (page, owners) in enumerate(zip(pages, log.owners, strict=True)):
        page_keys(page, StructParents=index, Tabs=PDFName("S"))
        tree.entries.append((index, [writer.refs[id(owner)] for owner in owners]))
    key = len(pages)
    for proxies, elements in zip(annotations.pages, log.annotations, strict=True):
        for proxy, element in zip(proxies, elements, strict=True):
            if element is None:
                continue
            proxy.extra["StructParent"] = key
            if element.node.alt and proxy.get("Subtype") == "/Link":
                proxy.extra.setdefault("Contents", PDFString(element.node.alt))
            tree.entries.append((key, writer.refs[id(element)]))
            key += 1
    root["ParentTree"] = doc.Reference(tree)
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


class _StructElem(PDFObject):  # type: ignore[misc]
    """A structure element written straight to bytes. A factsheet has hundreds; going
    through ReportLab's generic dictionaries (a name object and a sort per key) would
    cost more than all the rest of tagging."""

    def __init__(self, role: str, parent: Any) -> None:
        self.head = b"<< /Type /StructElem /S /" + role.encode("ascii")
        self.parent = parent
        self.page: Any = None
        self.strings: list[tuple[bytes, str]] = []  # (key, text) such as Alt
        self.attributes = b""
        self.kids: list[Any] = []

    def format(self, document: Any) -> bytes:
        out = [self.head, b" /P ", self.parent.format(document)]
        if self.page is not None:
            out += [b" /Pg ", self.page.format(document)]
        for key, text in self.strings:
            out += [key, bytes(PDFString(text).format(document))]
        out.append(self.attributes)
        kids = [str(k).encode() if isinstance(k, int) else k.format(document) for k in self.kids]
        out += [b" /K ", kids[0]] if len(kids) == 1 else [b" /K [", b" ".join(kids), b"]"]
        out.append(b" >>")
        return b"".join(out)


class _ParentTree(PDFObject):  # type: ignore[misc]
    """The ParentTree's one leaf: page keys to arrays of elements, link keys to one."""

    def __init__(self) -> None:
        self.entries: list[tuple[int, Any]] = []

    def format(self, document: Any) -> bytes:
        out = [b"<< /Nums ["]
        for key, value in self.entries:
            if isinstance(value, list):
                refs = b" ".join(ref.format(document) for ref in value)
                out.append(b"\n%d [%s]" % (key, refs))
            else:
                out.append(b"\n%d %s" % (key, value.format(document)))
        out.append(b" ] >>")
        return b"".join(out)


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
        struct = _StructElem(node.role, parent)
        ref = self.refs[id(element)] = self.doc.Reference(struct)
        first = next((k.page for k in element.kids if isinstance(k, Content)), None)
        if first is not None:
            struct.page = self.pages[first]
        if node.alt:
            struct.strings.append((b" /Alt ", node.alt))
        if element.lang:
            struct.strings.append((b" /Lang ", element.lang))
        if node.scope:
            struct.attributes = b" /A << /O /Table /Scope /%s >>" % node.scope.encode("ascii")
        struct.kids = [self._kid(kid, first, ref) for kid in element.kids]
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
