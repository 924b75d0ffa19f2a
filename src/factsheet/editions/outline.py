"""The bundle's outline: one entry per edition, at its first page, with the edition's
own bookmarks nested beneath it, each still pointing at its own place on its page
(the destination's page is mapped to the bundle's copy; the view it asks for is kept).
Open and closed entries stay as the edition had them; the editions' entries are open."""

from __future__ import annotations

import itertools
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pikepdf


class Outline:
    """One entry per edition at its first page, its own bookmarks beneath it."""

    def __init__(self, pdf: pikepdf.Pdf) -> None:
        from pikepdf import Dictionary, Name

        self.pdf = pdf
        self.root = pdf.make_indirect(Dictionary(Type=Name.Outlines))
        self.items: list[Any] = []

    def add(self, source: pikepdf.Pdf, title: str, pages: list[Any]) -> None:
        from pikepdf import Array, Dictionary, Name, String

        item = self.pdf.make_indirect(
            Dictionary(Title=String(title), Parent=self.root, Dest=Array([pages[0], Name.Fit]))
        )
        index = {page.objgen: n for n, page in enumerate(p.obj for p in source.pages)}
        outlines = source.Root.get("/Outlines")
        first = outlines.get("/First") if outlines is not None else None
        kids = self._copy(first, item, index, pages, source)
        _link(item, kids)
        item.Count = _visible(kids)
        self.items.append(item)

    def _copy(
        self, first: Any, parent: Any, index: dict[Any, int], pages: list[Any], source: Any
    ) -> list[Any]:
        from pikepdf import Array, Dictionary, String

        copies = []
        node = first
        while node is not None:
            dest = _destination(node, source)
            copy = self.pdf.make_indirect(Dictionary(Title=String(str(node.Title)), Parent=parent))
            if dest is not None and dest[0].objgen in index:
                rest = list(dest)[1:]  # a fit type and numbers: direct objects
                copy.Dest = Array([pages[index[dest[0].objgen]], *rest])
            kids = self._copy(node.get("/First"), copy, index, pages, source)
            _link(copy, kids)
            if kids:
                open_ = int(node.get("/Count", 0)) > 0
                copy.Count = _visible(kids) if open_ else -len(kids)
            copies.append(copy)
            node = node.get("/Next")
        return copies

    def finish(self) -> None:
        _link(self.root, self.items)
        self.root.Count = _visible(self.items)
        self.pdf.Root.Outlines = self.root


def _destination(node: Any, source: Any) -> Any:
    """An outline item's explicit destination (an array whose first item is a page),
    from /Dest or a GoTo action, looking names up in the source's named destinations."""
    from pikepdf import Array, Dictionary

    dest = node.get("/Dest")
    action = node.get("/A")
    if dest is None and action is not None and action.get("/S") == "/GoTo":
        dest = action.get("/D")
    if dest is not None and not isinstance(dest, Array):
        dest = _named(source, dest)
    if isinstance(dest, Dictionary):
        dest = dest.get("/D")
    return dest if isinstance(dest, Array) and len(dest) > 0 else None


def _named(source: Any, name: Any) -> Any:
    from pikepdf import NameTree

    names = source.Root.get("/Names")
    if names is not None and "/Dests" in names:
        tree = NameTree(names.Dests)
        if str(name) in tree:
            return tree[str(name)]
    old = source.Root.get("/Dests")  # PDF 1.1's dictionary of names
    return old.get("/" + str(name).lstrip("/")) if old is not None else None


def _link(parent: Any, kids: list[Any]) -> None:
    if not kids:
        return
    parent.First, parent.Last = kids[0], kids[-1]
    for before, after in itertools.pairwise(kids):
        before.Next, after.Prev = after, before


def _visible(kids: list[Any]) -> int:
    """Items shown under a parent that is open: its kids, and theirs when open."""
    return sum(1 + max(int(kid.get("/Count", 0)), 0) for kid in kids)
