"""Reading a PDF's structure tree: :func:`structure_elements` lists every structure
element in reading order (depth first) with its role after the RoleMap, its alternative
texts, language, pages and marked-content ids, and the annotations it owns (OBJR). The
tree comes from the file, which may be hostile: cycles and absurd depths are cut, never
followed, and what could not be read is reported in `Tree.problems`."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pikepdf

_STANDARD = (
    "Document Part Art Sect Div BlockQuote Caption TOC TOCI Index NonStruct Private "
    "P H H1 H2 H3 H4 H5 H6 L LI Lbl LBody Table TR TH TD THead TBody TFoot "
    "Span Quote Note Reference BibEntry Code Link Annot Ruby RB RT RP Warichu WT WP "
    "Figure Formula Form"
)
STANDARD_TYPES = frozenset(_STANDARD.split())  # ISO 32000-1 14.8.4
MAX_DEPTH = 256  # deeper than any real document; a cycle or an attack otherwise


@dataclass(eq=False)
class Element:
    """One structure element. `role` is its type after the RoleMap, `tag` its /S as
    written; `pages` are 1-based; `mcids` are (page, MCID) pairs of its own marked
    content (not its children's); `annotations` the (object, generation) numbers of the
    annotations its OBJR kids name; `scope` the /Scope of a Table attribute, if any."""

    role: str
    tag: str
    alt: str | None
    actual_text: str | None
    lang: str | None
    pages: tuple[int, ...]
    mcids: tuple[tuple[int, int], ...]
    depth: int
    children: list[Element] = field(default_factory=list)
    annotations: tuple[tuple[int, int], ...] = ()
    scope: str | None = None
    objgen: tuple[int, int] = (0, 0)
    parent: Element | None = field(default=None, repr=False)


@dataclass
class Tree:
    """The elements in reading order, and what in the tree could not be read."""

    elements: list[Element]
    problems: list[tuple[str, int | None]] = field(default_factory=list)
    role_map: dict[str, str] = field(default_factory=dict)


def text_of(value: Any) -> str | None:
    import pikepdf

    if isinstance(value, pikepdf.String):
        return str(value)
    return None


def name_of(value: Any) -> str | None:
    import pikepdf

    if isinstance(value, pikepdf.Name):
        return str(value)[1:]
    return None


def page_numbers(pdf: pikepdf.Pdf) -> dict[tuple[int, int], int]:
    """(object, generation) of each page to its 1-based number."""
    return {page.obj.objgen: number for number, page in enumerate(pdf.pages, 1)}


def resolve_role(tag: str, role_map: dict[str, str]) -> str:
    """`tag` followed through the RoleMap until a standard type or a dead end (a cycle
    stops where it would repeat)."""
    seen = {tag}
    role = tag
    while role not in STANDARD_TYPES and role in role_map:
        role = role_map[role]
        if role in seen:
            break
        seen.add(role)
    return role


def structure_elements(pdf: pikepdf.Pdf) -> list[Element]:
    """Every structure element of `pdf` in reading order (depth-first tree order); an
    empty list for an untagged file."""
    return read_tree(pdf).elements


def read_tree(pdf: pikepdf.Pdf) -> Tree:
    import pikepdf

    root = pdf.Root.get("/StructTreeRoot")
    if not isinstance(root, pikepdf.Dictionary):
        return Tree([])
    role_map: dict[str, str] = {}
    raw_map = root.get("/RoleMap")
    if isinstance(raw_map, pikepdf.Dictionary):
        for key, value in raw_map.items():
            target = name_of(value)
            if target is not None:
                role_map[key[1:]] = target
    walker = _Walker(page_numbers(pdf), role_map)
    walker.kids(root.get("/K"), None, 0, None)
    return Tree(walker.elements, walker.problems, role_map)


class _Walker:
    def __init__(self, pages: dict[tuple[int, int], int], role_map: dict[str, str]) -> None:
        self.pages = pages
        self.role_map = role_map
        self.elements: list[Element] = []
        self.problems: list[tuple[str, int | None]] = []
        self.seen: set[tuple[int, int]] = set()

    def page_of(self, node: Any, inherited: int | None) -> int | None:
        import pikepdf

        page = node.get("/Pg") if isinstance(node, pikepdf.Dictionary) else None
        if isinstance(page, pikepdf.Dictionary):
            return self.pages.get(page.objgen, inherited)
        return inherited

    def kids(self, kids: Any, parent: Element | None, depth: int, page: int | None) -> None:
        import pikepdf

        items = list(kids) if isinstance(kids, pikepdf.Array) else [kids]
        for kid in items:
            if kid is None:
                continue
            if isinstance(kid, int) and not isinstance(kid, bool):
                self.content(parent, (page, int(kid)))
            elif isinstance(kid, pikepdf.Dictionary):
                self.dictionary(kid, parent, depth, page)

    def content(self, parent: Element | None, where: tuple[int | None, int]) -> None:
        page, mcid = where
        if parent is None:
            self.problems.append((f"the StructTreeRoot names MCID {mcid} directly", page))
        elif page is None:
            self.problems.append(
                (f"a {parent.role} element names MCID {mcid} but no page (/Pg)", None)
            )
        else:
            parent.mcids += ((page, mcid),)
            if page not in parent.pages:
                parent.pages += (page,)

    def dictionary(
        self, kid: pikepdf.Dictionary, parent: Element | None, depth: int, page: int | None
    ) -> None:
        import pikepdf

        kind = name_of(kid.get("/Type"))
        if kind == "MCR":
            if "/Stm" in kid:
                return  # content of a form XObject: its MCIDs are not the page's
            mcid = kid.get("/MCID")
            if isinstance(mcid, int):
                self.content(parent, (self.page_of(kid, page), int(mcid)))
        elif kind == "OBJR":
            target = kid.get("/Obj")
            if parent is not None and isinstance(target, pikepdf.Object) and target.is_indirect:
                parent.annotations += (target.objgen,)
        elif "/S" in kid:
            self.element(kid, parent, depth, page)

    def element(
        self, node: pikepdf.Dictionary, parent: Element | None, depth: int, page: int | None
    ) -> None:
        objgen = node.objgen
        if objgen != (0, 0) and objgen in self.seen:
            self.problems.append((f"structure element {objgen[0]} is reached twice", page))
            return
        self.seen.add(objgen)
        if depth >= MAX_DEPTH:
            self.problems.append((f"the structure tree is deeper than {MAX_DEPTH}", page))
            return
        tag = name_of(node.get("/S")) or "?"
        page = self.page_of(node, page)
        element = Element(
            role=resolve_role(tag, self.role_map),
            tag=tag,
            alt=text_of(node.get("/Alt")),
            actual_text=text_of(node.get("/ActualText")),
            lang=text_of(node.get("/Lang")),
            pages=(),
            mcids=(),
            depth=depth,
            scope=_table_scope(node.get("/A")),
            objgen=objgen,
            parent=parent,
        )
        self.elements.append(element)
        if parent is not None:
            parent.children.append(element)
        self.kids(node.get("/K"), element, depth + 1, page)


def _table_scope(attributes: Any) -> str | None:
    """The /Scope of a Table attribute dictionary, given directly or in an array (which
    may interleave revision numbers)."""
    import pikepdf

    items = list(attributes) if isinstance(attributes, pikepdf.Array) else [attributes]
    for item in items:
        if isinstance(item, pikepdf.Dictionary) and name_of(item.get("/O")) == "Table":
            scope = name_of(item.get("/Scope"))
            if scope is not None:
                return scope
    return None


def parent_tree(pdf: pikepdf.Pdf) -> dict[int, Any]:
    """The ParentTree as a plain mapping from /StructParents (or /StructParent) keys to
    an array of elements by MCID, or to one element."""
    import pikepdf

    root = pdf.Root.get("/StructTreeRoot")
    tree = root.get("/ParentTree") if isinstance(root, pikepdf.Dictionary) else None
    if not isinstance(tree, pikepdf.Dictionary):
        return {}
    entries: dict[int, Any] = {}
    for key, value in pikepdf.NumberTree(tree, auto_repair=False).items():
        entries[int(key)] = value
    return entries
