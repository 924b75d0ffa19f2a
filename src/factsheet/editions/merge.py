"""The bundle's PDF: the editions' PDFs merged with pikepdf into one file that is as
tagged and archival as its parts. Pages are appended in edition order; each edition's
structure tree is copied after its pages (so its page references land on the copies)
and becomes one `/Part` under the bundle's `/Document`, titled like its outline entry
and with its own `/Lang` when that differs from the bundle's. ParentTree keys, page
`/StructParents` and link `/StructParent` are shifted by the keys of the editions
before. The outline has one entry per edition with the edition's own bookmarks, at
their own places, nested beneath it. The catalog and XMP claim only what every part
is: PDF/UA-1 when every edition is tagged and claims it, PDF/A-2b when every edition
does; the file is saved deterministically, so the same editions give the same bytes."""

from __future__ import annotations

import contextlib
import datetime as dt
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any
from xml.etree import ElementTree

from factsheet import __version__
from factsheet.editions.outline import Outline
from factsheet.errors import OutputError
from factsheet.location import display_path

if TYPE_CHECKING:
    import pikepdf

CREATOR = f"factsheet {__version__}"
PRODUCER = f"factsheet {__version__} (pikepdf)"
TITLE = "Factsheets"

_PDFAID = "{http://www.aiim.org/pdfa/ns/id/}"
_PDFUAID = "{http://www.aiim.org/pdfua/ns/id/}"
_DATE = re.compile(r"D:(\d{4})(\d{2})(\d{2})")
# What a structure tree root of ours may hold; anything else is not merged here.
_TREE_KEYS = {"/Type", "/K", "/ParentTree", "/ParentTreeNextKey", "/RoleMap", "/ClassMap"}


@dataclass(frozen=True)
class Part:
    """One edition to bundle: its PDF, its label (its keys' values, or its name) and
    whether the label is made of keys (then it is put before the edition's title)."""

    path: Path
    label: str
    keyed: bool


@dataclass(frozen=True)
class Facts:
    """What an edition's PDF says about itself."""

    title: str
    author: str
    keywords: tuple[str, ...]
    date: dt.date | None
    language: str
    tagged: bool  # a structure tree, and /MarkInfo says the content is marked
    accessible: bool  # tagged, and its XMP claims PDF/UA-1
    archival: bool  # its XMP claims PDF/A-2b, and it has an output intent


@dataclass(frozen=True)
class Merged:
    """The bundle's bytes, its page count, and the standards it claims."""

    data: bytes
    pages: int
    tagged: bool
    accessible: bool
    archival: bool
    not_accessible: tuple[str, ...] = ()
    """Labels of the editions that are not tagged PDF/UA-1 (so neither is the bundle)."""
    not_archival: tuple[str, ...] = ()
    """Labels of the editions that are not PDF/A-2b (so neither is the bundle)."""

    def note(self) -> str:
        """Why the bundle claims less than a default build would, or ''."""
        why = []
        if self.not_accessible:
            why.append(f"not PDF/UA-1: {_listed(self.not_accessible)} not tagged")
        if self.not_archival:
            why.append(f"not PDF/A-2b: {_listed(self.not_archival)} not archival")
        return "; ".join(why)


def _listed(labels: tuple[str, ...]) -> str:
    named = ", ".join(f"'{label}'" for label in labels)
    return f"edition {named} is" if len(labels) == 1 else f"editions {named} are"


def merge(parts: Sequence[Part]) -> Merged:
    """One PDF of every part, in order (see the module's docstring)."""
    import pikepdf

    with contextlib.ExitStack() as stack:
        # Copied objects are read from their source when the bundle is saved: keep
        # every source open until then.
        sources = [stack.enter_context(_open(part.path)) for part in parts]
        facts = [facts_of(source) for source in sources]
        tagged = all(f.tagged for f in facts)
        bundle = pikepdf.new()
        language = facts[0].language
        titles = [_outline_title(part, fact) for part, fact in zip(parts, facts, strict=True)]
        tree = _Tree(bundle) if tagged else None
        outline = Outline(bundle)
        for source, fact, title in zip(sources, facts, titles, strict=True):
            start = len(bundle.pages)
            bundle.pages.extend(source.pages)
            pages = [page.obj for page in bundle.pages[start:]]
            outline.add(source, title, pages)
            if tree is not None:
                lang = fact.language if fact.language != language else ""
                tree.add(source, pages, title, lang)
            else:
                _unlink_structure(pages)
        accessible = tagged and all(f.accessible for f in facts)
        archival = all(f.archival for f in facts)
        _finish_catalog(bundle, facts, tree, outline, accessible, archival)
        from factsheet.render import archive

        return Merged(
            archive.save(bundle),
            len(bundle.pages),
            tagged,
            accessible,
            archival,
            tuple(p.label for p, f in zip(parts, facts, strict=True) if not f.accessible),
            tuple(p.label for p, f in zip(parts, facts, strict=True) if not f.archival),
        )


@contextlib.contextmanager
def _open(path: Path) -> Iterator[pikepdf.Pdf]:
    import pikepdf

    try:
        pdf = pikepdf.open(path)
    except (pikepdf.PdfError, OSError) as error:
        raise OutputError(
            f"cannot bundle {display_path(path)}: it is not a readable PDF ({error})",
            hint="build that edition again with --force, then bundle",
        ) from None
    with pdf:
        yield pdf


def facts_of(pdf: pikepdf.Pdf) -> Facts:
    """The metadata and the claims of `pdf` (an edition's PDF, or any other)."""
    info = pdf.trailer.get("/Info")

    def text(key: str) -> str:
        value = info.get(key) if info is not None else None
        return str(value) if value is not None else ""

    xmp = _xmp(pdf)
    found = _DATE.match(text("/CreationDate"))
    date = dt.date(*(int(g) for g in found.groups())) if found else None
    marked = pdf.Root.get("/MarkInfo")
    tagged = "/StructTreeRoot" in pdf.Root and bool(marked and marked.get("/Marked"))
    archival = _claim(xmp, _PDFAID, "part") == "2" and _claim(xmp, _PDFAID, "conformance") == "B"
    return Facts(
        title=text("/Title"),
        author=text("/Author"),
        keywords=tuple(k.strip() for k in text("/Keywords").split(",") if k.strip()),
        date=date,
        language=str(pdf.Root.get("/Lang", "")),
        tagged=tagged,
        accessible=tagged and _claim(xmp, _PDFUAID, "part") == "1",
        archival=archival and len(pdf.Root.get("/OutputIntents", ())) > 0,
    )


def _xmp(pdf: pikepdf.Pdf) -> ElementTree.Element | None:
    metadata = pdf.Root.get("/Metadata")
    if metadata is None:
        return None
    try:
        return ElementTree.fromstring(metadata.read_bytes())
    except ElementTree.ParseError:
        return None  # unreadable metadata claims nothing


def _claim(xmp: ElementTree.Element | None, namespace: str, name: str) -> str:
    """A property of the XMP, written as an element or as an attribute."""
    if xmp is None:
        return ""
    for description in xmp.iter("{http://www.w3.org/1999/02/22-rdf-syntax-ns#}Description"):
        if namespace + name in description.attrib:
            return description.attrib[namespace + name].strip()
        element = description.find(namespace + name)
        if element is not None and element.text:
            return element.text.strip()
    return ""


def _outline_title(part: Part, facts: Facts) -> str:
    if facts.title and part.keyed:
        return f"{part.label}: {facts.title}"
    return facts.title or part.label


class _Tree:
    """The bundle's structure tree, built one edition at a time."""

    def __init__(self, pdf: pikepdf.Pdf) -> None:
        from pikepdf import Array, Dictionary, Name

        self.pdf = pdf
        self.root = pdf.make_indirect(Dictionary(Type=Name.StructTreeRoot))
        self.document = pdf.make_indirect(
            Dictionary(Type=Name.StructElem, S=Name.Document, P=self.root)
        )
        self.root.K = self.document
        self.parts = Array()
        self.nums = Array()
        self.next_key = 0
        self.role_map: dict[str, Any] = {}
        self.class_map: dict[str, Any] = {}

    def add(self, source: pikepdf.Pdf, pages: list[Any], title: str, lang: str) -> None:
        """The edition's tree as a Part, after its pages are in the bundle."""
        from pikepdf import String

        copied = self.pdf.copy_foreign(source.Root.StructTreeRoot)
        unknown = set(copied.keys()) - _TREE_KEYS
        if unknown:
            raise OutputError(
                f"the bundle cannot merge {sorted(unknown)} of an edition's structure tree",
                hint="bundle editions that factsheet built; this one was changed since",
            )
        part = _as_part(self.pdf, copied, self.document)
        part.T = String(title)
        if lang and "/Lang" not in part:
            part.Lang = String(lang)
        self.parts.append(part)
        offset = self.next_key
        entries = sorted(_number_tree(copied.get("/ParentTree")), key=lambda e: e[0])
        for key, value in entries:
            self.nums.append(key + offset)
            self.nums.append(value)
        for page in pages:
            if "/StructParents" in page:
                page.StructParents = int(page.StructParents) + offset
            for annot in page.get("/Annots", ()):
                if "/StructParent" in annot:
                    annot.StructParent = int(annot.StructParent) + offset
        last = entries[-1][0] + 1 if entries else 0
        self.next_key = offset + max(int(copied.get("/ParentTreeNextKey", 0)), last)
        _merge_map(self.role_map, copied.get("/RoleMap"), "RoleMap")
        _merge_map(self.class_map, copied.get("/ClassMap"), "ClassMap")

    def finish(self) -> None:
        from pikepdf import Dictionary

        self.document.K = self.parts
        self.root.ParentTree = self.pdf.make_indirect(Dictionary(Nums=self.nums))
        self.root.ParentTreeNextKey = self.next_key
        if self.role_map:
            self.root.RoleMap = Dictionary(self.role_map)
        if self.class_map:
            self.root.ClassMap = Dictionary(self.class_map)
        self.pdf.Root.StructTreeRoot = self.root


def _as_part(pdf: pikepdf.Pdf, copied: Any, document: Any) -> Any:
    """The element that holds the edition's tree in the bundle: its Document element
    renamed, or a new Part over its top elements when it has no single Document."""
    from pikepdf import Array, Dictionary, Name

    top = copied.get("/K")
    kids = [top] if isinstance(top, Dictionary) else list(top or ())
    if len(kids) == 1 and kids[0].get("/S") == Name.Document:
        part = kids[0]
    else:
        part = pdf.make_indirect(Dictionary(Type=Name.StructElem, K=Array(kids)))
        for kid in kids:
            kid.P = part
    part.S = Name.Part
    part.P = document
    return part


def _number_tree(node: Any) -> Iterator[tuple[int, Any]]:
    """The (key, value) pairs of a number tree."""
    if node is None:
        return
    nums = node.get("/Nums")
    for index in range(0, len(nums) if nums is not None else 0, 2):
        yield int(nums[index]), nums[index + 1]
    for kid in node.get("/Kids", ()):
        yield from _number_tree(kid)


def _merge_map(merged: dict[str, Any], found: Any, what: str) -> None:
    for key, value in (found or {}).items():
        if key in merged and merged[key].unparse(resolved=True) != value.unparse(resolved=True):
            raise OutputError(
                f"the editions map the structure type {key} differently in their {what}, "
                "so one bundle cannot hold both",
                hint="bundle these editions separately",
            )
        merged[key] = value


def _unlink_structure(pages: list[Any]) -> None:
    """Without a structure tree, its keys on pages and links would point at nothing."""
    for page in pages:
        if "/StructParents" in page:
            del page.StructParents
        for annot in page.get("/Annots", ()):
            if "/StructParent" in annot:
                del annot.StructParent


def _finish_catalog(
    pdf: pikepdf.Pdf,
    facts: Sequence[Facts],
    tree: _Tree | None,
    outline: Outline,
    accessible: bool,
    archival: bool,
) -> None:
    """Structure, outline, language, preferences, output intent and metadata."""
    from pikepdf import Dictionary, Name, String

    from factsheet.render import archive
    from factsheet.render.pdf import Metadata

    outline.finish()
    pdf.Root.PageMode = Name.UseOutlines
    if tree is not None:
        tree.finish()
        pdf.Root.MarkInfo = Dictionary(Marked=True)
    language = facts[0].language
    if language:
        pdf.Root.Lang = String(language)
    pdf.Root.ViewerPreferences = Dictionary(DisplayDocTitle=True)
    if archival:
        archive.make_archival(pdf)
    meta = Metadata(
        title=TITLE,
        author=_common(f.author for f in facts),
        subject="",
        keywords=tuple(dict.fromkeys(k for f in facts for k in f.keywords)),
        language=language,
        date=max((f.date for f in facts if f.date is not None), default=dt.date(2000, 1, 1)),
    )
    archive.set_metadata(pdf, archive.xmp(meta, PRODUCER, CREATOR, archival, accessible))
    stamp = f"D:{meta.date:%Y%m%d}000000+00'00'"
    info = Dictionary(
        Title=String(meta.title),
        Author=String(meta.author),
        Creator=String(CREATOR),
        Producer=String(PRODUCER),
        CreationDate=String(stamp),
        ModDate=String(stamp),
    )
    if meta.keywords:
        info.Keywords = String(", ".join(meta.keywords))
    pdf.trailer.Info = pdf.make_indirect(info)


def _common(values: Iterator[str] | Any) -> str:
    """The editions' author, or each distinct one in order when they differ."""
    return "; ".join(dict.fromkeys(v for v in values if v))
