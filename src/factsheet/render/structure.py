"""The structure tree, added to a saved PDF. ReportLab writes pages and marked content
but no tagged-PDF objects, so this pass (one pikepdf open and save) turns the tagger's
:class:`~factsheet.render.tagger.Log` into what PDF/UA-1 asks for: a StructTreeRoot
with one Document element, the ParentTree that maps every page's MCIDs and every link
annotation back to their elements, `/StructParents` and `/Tabs /S` on each page,
`/StructParent`, `/Contents` and the Print flag on each link, `/MarkInfo` and the
viewer preference that shows the title. :mod:`factsheet.render.archive` then adds what
PDF/A-2b needs and saves the file deterministically."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from factsheet.render.tagger import Annotation, Content, Element, Log

if TYPE_CHECKING:
    import pikepdf

PRINT = 4  # the annotation flag that makes it print (PDF/A requires it)


def add_structure(pdf: pikepdf.Pdf, log: Log) -> None:
    """Write the logged structure into `pdf` (opened from ReportLab's bytes)."""
    from pikepdf import Array, Dictionary, Name

    pages = [page.obj for page in pdf.pages]
    if len(pages) != len(log.owners):
        raise RuntimeError(f"{len(log.owners)} pages tagged, {len(pages)} in the file")
    objects: dict[int, pikepdf.Object] = {}
    links = _annotations(pages, log)
    root = Dictionary(Type=Name.StructTreeRoot)
    root_ref = pdf.make_indirect(root)
    document = _write(pdf, log.root, root_ref, pages, links, objects)
    root.K = document
    nums = Array()
    for index, (page, owners) in enumerate(zip(pages, log.owners, strict=True)):
        page.StructParents = index
        page.Tabs = Name.S
        nums.append(index)
        nums.append(Array([objects[id(owner)] for owner in owners]))
    key = len(pages)
    for page, elements in zip(pages, log.annotations, strict=True):
        annots = page.get("/Annots", Array())
        for annot, element in zip(annots, elements, strict=True):
            annot.F = PRINT
            if element is None:
                continue
            annot.StructParent = key
            nums.append(key)
            nums.append(objects[id(element)])
            key += 1
    root.ParentTree = pdf.make_indirect(Dictionary(Nums=nums))
    root.ParentTreeNextKey = key
    pdf.Root.StructTreeRoot = root_ref
    pdf.Root.MarkInfo = Dictionary(Marked=True)
    preferences = pdf.Root.get("/ViewerPreferences", Dictionary())
    preferences.DisplayDocTitle = True
    pdf.Root.ViewerPreferences = preferences


def _annotations(pages: list[Any], log: Log) -> dict[tuple[int, int], Any]:
    """Each logged annotation's object; /Contents given to links that have none."""
    from pikepdf import Array, String

    found: dict[tuple[int, int], Any] = {}
    for number, (page, logged) in enumerate(zip(pages, log.annotations, strict=True)):
        annots = page.get("/Annots", Array())
        if len(annots) != len(logged):
            raise RuntimeError(
                f"page {number + 1}: {len(logged)} annotations logged, {len(annots)} in the file"
            )
        for index, annot in enumerate(annots):
            found[number, index] = annot
            if annot.get("/Subtype") == "/Link" and not str(annot.get("/Contents", "")).strip():
                annot.Contents = String(_describe(annot))
    return found


def _describe(annot: Any) -> str:
    """What a link leads to, for its /Contents: an address or a place in the file."""
    action = annot.get("/A")
    if action is not None and "/URI" in action:
        uri = str(action.URI)
        return uri.removeprefix("mailto:")
    return str(annot.get("/Dest", ""))


def _write(
    pdf: pikepdf.Pdf,
    element: Element,
    parent: Any,
    pages: list[Any],
    annotations: dict[tuple[int, int], Any],
    objects: dict[int, Any],
) -> Any:
    """One element and its kids as StructElem objects; `objects` maps each logged
    element to its object, for the ParentTree."""
    from pikepdf import Array, Dictionary, Name, String

    node = element.node
    struct = Dictionary(Type=Name.StructElem, S=Name("/" + node.role), P=parent)
    ref = pdf.make_indirect(struct)
    objects[id(element)] = ref
    first = next((k.page for k in element.kids if isinstance(k, Content)), None)
    if first is not None:
        struct.Pg = pages[first]
    if node.alt:
        struct.Alt = String(node.alt)
    if element.lang:
        struct.Lang = String(element.lang)
    if node.scope:
        struct.A = Dictionary(O=Name.Table, Scope=Name("/" + node.scope))
    kids = Array()
    for kid in element.kids:
        if isinstance(kid, Content):
            if kid.page == first:
                kids.append(kid.mcid)
            else:
                kids.append(Dictionary(Type=Name.MCR, Pg=pages[kid.page], MCID=kid.mcid))
        elif isinstance(kid, Annotation):
            annot = annotations[kid.page, kid.index]
            kids.append(Dictionary(Type=Name.OBJR, Obj=annot, Pg=pages[kid.page]))
        else:
            kids.append(_write(pdf, kid, ref, pages, annotations, objects))
    # One kid stands alone (as most checkers expect of a one-line heading); more go in
    # an array.
    struct.K = kids[0] if len(kids) == 1 else kids
    return ref
