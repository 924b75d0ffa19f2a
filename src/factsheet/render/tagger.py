"""Marked content, written while drawing. A :class:`Tagger` rides on the canvas; each
flowable is drawn inside ``with marked(canvas, tag)``, which writes
``/P <</MCID 3>> BDC … EMC`` for content or ``/Artifact … BDC … EMC`` for decoration,
and logs which structure node owns each MCID on each page. Marked content never nests
in the file: opening a tag inside another closes the outer sequence first and reopens
it (with a fresh MCID) afterwards, so a chart's tick labels can be artifacts inside its
Figure. Link annotations made while a node is open become Link elements of that node.
The log (:class:`Log`) is all that :mod:`factsheet.render.structure` needs to add the
structure tree to ReportLab's document before it is written; :class:`Annotations` keeps
every annotation so that keys can still be added to it then."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from reportlab.pdfbase.pdfdoc import DummyDoc, PDFDictionary, PDFObject

from factsheet.layout import spoken
from factsheet.layout.roles import Artifact, Node, Tag

ATTRIBUTE = "factsheet_tagger"


@dataclass(frozen=True)
class Content:
    """One marked-content sequence of a node: page index and MCID."""

    page: int
    mcid: int


@dataclass(frozen=True)
class Annotation:
    """The `index`-th annotation ReportLab added to page `page`."""

    page: int
    index: int


@dataclass
class Element:
    """A structure element as logged: a node, its kids in reading order."""

    node: Node
    kids: list[Element | Content | Annotation] = field(default_factory=list)
    lang: str | None = None  # the language of the block it came from, if not the document's


@dataclass
class Log:
    """What the renderer marked: the document element and every page's MCID owners."""

    root: Element = field(default_factory=lambda: Element(Node("Document")))
    owners: list[list[Element]] = field(default_factory=list)  # per page, indexed by MCID
    annotations: list[list[Element | None]] = field(default_factory=list)  # per page


class AnnotationProxy(PDFObject):  # type: ignore[misc]
    """An annotation as ReportLab made it, with keys added after the fact (its
    structure parent, the Print flag), written in its place."""

    def __init__(self, inner: Any) -> None:
        self.inner = inner
        self.extra: dict[str, Any] = {}

    def _dictionary(self) -> Any:
        return self.inner if isinstance(self.inner, PDFDictionary) else self.inner.Dict()

    def get(self, key: str) -> str:
        """A key ReportLab set, as written (`/Link` for a name)."""
        value = self._dictionary().dict.get(key)
        if isinstance(value, PDFObject):
            return bytes(value.format(DummyDoc())).decode("latin-1")
        return str(value)  # ReportLab's names are plain strings ("/Link")

    def format(self, document: Any) -> bytes:
        merged = PDFDictionary({**self._dictionary().dict, **self.extra})
        return bytes(merged.format(document))


class Annotations:
    """Every annotation ReportLab adds to a page, kept (as proxies) per page so that the
    structure and archival passes can add keys to them before the file is written."""

    def __init__(self, canvas: Any) -> None:
        self.pages: list[list[AnnotationProxy]] = [[]]
        self.added: Callable[[], None] | None = None  # told of each one (by the tagger)
        add = canvas._addAnnotation

        def add_annotation(annotation: Any, name: Any = None, addtopage: int = 1) -> Any:
            proxy = AnnotationProxy(annotation)
            if addtopage:
                self.pages[-1].append(proxy)
                if self.added is not None:
                    self.added()
            return add(proxy, name, addtopage)

        canvas._addAnnotation = add_annotation

    def show_page(self) -> None:
        self.pages.append([])

    def end_document(self) -> None:
        self.pages.pop()  # the page started by the last showPage, never drawn


class Tagger:
    """Writes marked-content operators onto `canvas` and logs them."""

    def __init__(self, canvas: Any, annotations: Annotations) -> None:
        self.canvas = canvas
        self.log = Log()
        self.page = 0
        self._open: list[Tag] = []  # the tags entered, innermost last
        self._elements: dict[int, Element] = {}  # id(node) -> its element
        self._drawn: set[int] = set()  # ids of repeating nodes already drawn once
        self.paragraph: Any = None  # the paragraph being drawn, for its links' text
        self.language: str | None = None  # of the block being drawn, if not the document's
        self._url = ""
        self._new_page()
        setattr(canvas, ATTRIBUTE, self)
        annotations.added = self._annotation
        link = canvas.linkURL

        def link_url(url: str, *args: Any, **kwargs: Any) -> Any:
            self._url = url
            try:
                return link(url, *args, **kwargs)
            finally:
                self._url = ""

        canvas.linkURL = link_url

    def _new_page(self) -> None:
        self.log.owners.append([])
        self.log.annotations.append([])

    def show_page(self) -> None:
        """Before the canvas starts a new page: no sequence may run across it."""
        if self._open:
            raise RuntimeError("marked content left open at the end of a page")
        self.page += 1
        self._new_page()

    def end_document(self) -> Log:
        """The log, once the last page is shown (which started a page never drawn)."""
        if self._open:
            raise RuntimeError("marked content left open at the end of the document")
        self.log.owners.pop()  # the page started by the last showPage, never drawn
        self.log.annotations.pop()
        return self.log

    @contextmanager
    def marked(self, tag: Tag) -> Iterator[None]:
        """Everything drawn inside belongs to `tag`."""
        self.enter(tag)
        try:
            yield
        finally:
            self.leave()

    def enter(self, tag: Tag) -> None:
        """Start marking with `tag` (pausing what is open); :meth:`leave` ends it."""
        if self._open:
            self._end()
        tag = self._once(tag)
        self._open.append(tag)
        self._begin(tag)

    def leave(self) -> None:
        self._end()
        self._open.pop()
        if self._open:
            self._begin(self._open[-1])

    @contextmanager
    def artifact(self) -> Iterator[None]:
        """Decoration drawn inside whatever is open (a chart's labels inside its Figure)."""
        with self.marked(Artifact()):
            yield

    def reserve(self, nodes: list[Node]) -> None:
        """Put `nodes` in the tree now, in this order, whatever order their content is
        drawn in: a row of tiles drawn left to right but read from the right."""
        for node in nodes:
            self._element(node)

    def _once(self, tag: Tag) -> Tag:
        if isinstance(tag, Node) and tag.repeats:
            if id(tag) in self._drawn:
                return Artifact("Pagination")
            self._drawn.add(id(tag))
        return tag

    def _begin(self, tag: Tag) -> None:
        if isinstance(tag, Artifact):
            properties = f"/Type /{tag.type}"
            if tag.subtype:
                properties += f" /Subtype /{tag.subtype}"
            self.canvas.addLiteral(f"/Artifact <<{properties}>> BDC")
            return
        element = self._element(tag)
        owners = self.log.owners[self.page]
        mcid = len(owners)
        owners.append(element)
        element.kids.append(Content(self.page, mcid))
        self.canvas.addLiteral(f"/{tag.role} <</MCID {mcid}>> BDC")

    def _end(self) -> None:
        self.canvas.addLiteral("EMC")

    def _element(self, node: Node) -> Element:
        """The node's element, put in the tree (with its ancestors) when first met."""
        element = self._elements.get(id(node))
        if element is None:
            element = self._elements[id(node)] = Element(node, lang=node.lang or self.language)
            parent = self.log.root if node.parent is None else self._element(node.parent)
            parent.kids.append(element)
        return element

    def _annotation(self) -> None:
        """An annotation added now: a Link element under the open node, if any."""
        owner = next((t for t in reversed(self._open) if isinstance(t, Node)), None)
        annotations = self.log.annotations[self.page]
        index = len(annotations)
        if owner is None:
            annotations.append(None)
            return
        link = Element(Node("Link", owner, alt=self._link_text()))
        link.kids.append(Annotation(self.page, index))
        self._element(owner).kids.append(link)
        annotations.append(link)

    def _link_text(self) -> str | None:
        """The words a link is set on, in the paragraph being drawn."""
        lines = getattr(getattr(self.paragraph, "blPara", None), "lines", None) or []
        pieces = []
        for line in lines:  # broken into lines, the words are in each line's fragments
            words = [
                word.text
                for word in getattr(line, "words", None) or ()
                if any(url == self._url for _, url in getattr(word, "link", None) or ())
            ]
            pieces.append("".join(words).strip())
        text = spoken.spoken([p for p in pieces if p], self.paragraph.source) or ""
        return text or self._url.removeprefix("mailto:") or None


def tagger_of(canvas: Any) -> Tagger | None:
    return getattr(canvas, ATTRIBUTE, None) if hasattr(canvas, "addLiteral") else None


@contextmanager
def marked(canvas: Any, tag: Tag) -> Iterator[None]:
    """Mark what is drawn inside on a tagged canvas; a no-op on any other canvas."""
    tagger = tagger_of(canvas)
    if tagger is None:
        yield
        return
    with tagger.marked(tag):
        yield
