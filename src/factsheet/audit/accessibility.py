"""The PDF/UA-1 checks: tagging, language, title, tab order, marked content against the
structure tree, alt text, heading levels, tables, links and structure types. Each
function takes what it needs and returns findings; :func:`check` runs them all."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from factsheet.audit.content import PageScan
from factsheet.audit.findings import Finding, finding
from factsheet.audit.structure import (
    STANDARD_TYPES,
    Element,
    Tree,
    name_of,
    parent_tree,
    text_of,
)

if TYPE_CHECKING:
    import pikepdf

# A BCP 47 tag in shape: a 2-3 letter language (or i-/x- forms), then subtags.
_LANG = re.compile(r"^(?:[A-Za-z]{2,3}|[ix])(?:-[A-Za-z0-9]{1,8})*$")
_HEADING = re.compile(r"^H([1-6])$")


def check(
    pdf: pikepdf.Pdf, tree: Tree, scans: list[PageScan], title: str | None
) -> Iterator[Finding]:
    yield from tagged(pdf)
    yield from language(pdf)
    yield from document_title(pdf, title)
    yield from tabs(pdf)
    if "/StructTreeRoot" not in pdf.Root:
        for number, scan in enumerate(scans, 1):
            yield from untagged_content(number, scan)
        return
    for problem, page in tree.problems:
        yield finding("UA-MCID", problem, page)
    entries = parent_tree(pdf)  # read once: both the content and the links need it
    yield from marked_content(pdf, tree, scans, entries)
    yield from alt_text(tree.elements)
    yield from headings(tree.elements)
    yield from tables(tree.elements)
    yield from links(pdf, tree, entries)
    yield from roles(tree)


def tagged(pdf: pikepdf.Pdf) -> Iterator[Finding]:
    import pikepdf

    if "/StructTreeRoot" not in pdf.Root:
        yield finding("UA-TAGGED", "there is no structure tree (/StructTreeRoot)")
    mark_info = pdf.Root.get("/MarkInfo")
    marked = mark_info.get("/Marked") if isinstance(mark_info, pikepdf.Dictionary) else None
    if not (isinstance(marked, bool) and marked):
        yield finding("UA-TAGGED", "/MarkInfo <</Marked true>> is missing from the catalog")


def language(pdf: pikepdf.Pdf) -> Iterator[Finding]:
    lang = text_of(pdf.Root.get("/Lang"))
    if not lang or not lang.strip():
        yield finding("UA-LANG", "the catalog has no /Lang")
    elif not _LANG.match(lang):
        yield finding("UA-LANG", f"/Lang '{lang}' is not a language tag such as 'en' or 'fr-CH'")


def document_title(pdf: pikepdf.Pdf, title: str | None) -> Iterator[Finding]:
    import pikepdf

    prefs = pdf.Root.get("/ViewerPreferences")
    shown = prefs.get("/DisplayDocTitle") if isinstance(prefs, pikepdf.Dictionary) else None
    if not (isinstance(shown, bool) and shown):
        yield finding("UA-TITLE", "/ViewerPreferences <</DisplayDocTitle true>> is missing")
    if not title or not title.strip():
        yield finding("UA-TITLE", "the XMP metadata has no title (dc:title)")


def tabs(pdf: pikepdf.Pdf) -> Iterator[Finding]:
    import pikepdf

    for number, page in enumerate(pdf.pages, 1):
        if page.obj.get("/Tabs") != pikepdf.Name.S:
            yield finding("UA-TABS", "the page has no /Tabs /S", number)


def untagged_content(number: int, scan: PageScan) -> Iterator[Finding]:
    if scan.untagged:
        # No count in the message: pages whose first stray operator is the same are
        # then reported together ("pages 1-36"), not one line per page.
        others = " and other painting operators" if scan.untagged > 1 else ""
        yield finding("UA-CONTENT", f"{scan.first_untagged}{others} outside marked content", number)
    for message in dict.fromkeys(scan.nesting):
        yield finding("UA-ARTIFACT", message, number)


def marked_content(
    pdf: pikepdf.Pdf, tree: Tree, scans: list[PageScan], entries: dict[int, Any]
) -> Iterator[Finding]:
    named: dict[tuple[int, int], list[Element]] = {}
    for element in tree.elements:
        for where in element.mcids:
            named.setdefault(where, []).append(element)
    for number, scan in enumerate(scans, 1):
        yield from untagged_content(number, scan)
        if scan.unbalanced:
            yield finding("UA-MCID", "BDC/BMC and EMC operators do not pair up", number)
        page = pdf.pages[number - 1].obj
        key = page.get("/StructParents")
        row = entries.get(int(key)) if isinstance(key, int) else None
        if scan.mcids and row is None:
            yield finding(
                "UA-MCID",
                "the page has tagged content but no /StructParents entry in the ParentTree",
                number,
            )
        orphans = [mcid for mcid in sorted(scan.mcids) if (number, mcid) not in named]
        if orphans:
            listed = ", ".join(str(mcid) for mcid in orphans)
            many = "s" if len(orphans) > 1 else ""
            yield finding("UA-MCID", f"no structure element names MCID{many} {listed}", number)
        for mcid, count in sorted(scan.mcids.items()):
            owners = named.get((number, mcid), [])
            if count > 1:
                yield finding("UA-MCID", f"MCID {mcid} is used by {count} sequences", number)
            if not owners:
                continue
            if len(owners) > 1:
                roles = ", ".join(e.role for e in owners)
                yield finding(
                    "UA-MCID", f"MCID {mcid} is named by {len(owners)} elements ({roles})", number
                )
            elif row is not None and not _parent_entry_is(row, mcid, owners[0]):
                yield finding(
                    "UA-MCID",
                    f"the ParentTree does not lead MCID {mcid} to its {owners[0].role} element",
                    number,
                )
    for (page_number, mcid), owners in sorted(named.items()):
        scanned = scans[page_number - 1] if 0 < page_number <= len(scans) else None
        if scanned is not None and mcid not in scanned.mcids:
            role = owners[0].role
            yield finding(
                "UA-MCID", f"a {role} element names MCID {mcid}, which the page lacks", page_number
            )


def _parent_entry_is(row: Any, mcid: int, element: Element) -> bool:
    import pikepdf

    if not isinstance(row, pikepdf.Array) or mcid >= len(row):
        return False
    entry = row[mcid]
    return isinstance(entry, pikepdf.Dictionary) and entry.objgen == element.objgen


def alt_text(elements: list[Element]) -> Iterator[Finding]:
    for element in elements:
        if element.role not in ("Figure", "Formula"):
            continue
        if not (element.alt or "").strip() and not (element.actual_text or "").strip():
            page = element.pages[0] if element.pages else None
            yield finding("UA-ALT", f"a {element.role} has no /Alt or /ActualText", page)


def headings(elements: list[Element]) -> Iterator[Finding]:
    previous = 0
    numbered = plain = None
    for element in elements:
        page = element.pages[0] if element.pages else None
        if element.role == "H":
            plain = plain or element
            continue
        match = _HEADING.match(element.role)
        if not match:
            continue
        numbered = numbered or element
        level = int(match.group(1))
        if previous == 0 and level != 1:
            yield finding("UA-HEADINGS", f"the first heading is {element.role}, not H1", page)
        elif previous and level > previous + 1:
            yield finding("UA-HEADINGS", f"H{previous} is followed by {element.role}", page)
        previous = level
    if numbered is not None and plain is not None:
        page = plain.pages[0] if plain.pages else None
        yield finding("UA-HEADINGS", "the document mixes H with numbered headings (H1-H6)", page)


_ROW_PARENTS = {"Table", "THead", "TBody", "TFoot"}


def tables(elements: list[Element]) -> Iterator[Finding]:
    for element in elements:
        page = element.pages[0] if element.pages else _first_page(element)
        parent = element.parent.role if element.parent else "the root"
        if element.role == "TH" and element.scope not in ("Row", "Column", "Both"):
            yield finding("UA-TABLE-SCOPE", "a TH has no Table attribute with /Scope", page)
        if element.role == "TR" and parent not in _ROW_PARENTS:
            yield finding("UA-TABLE", f"a TR lies under {parent}", page)
        if element.role in ("TH", "TD") and parent != "TR":
            yield finding("UA-TABLE", f"a {element.role} lies under {parent}, not TR", page)


def _first_page(element: Element) -> int | None:
    for child in element.children:
        page = child.pages[0] if child.pages else _first_page(child)
        if page is not None:
            return page
    return None


def links(pdf: pikepdf.Pdf, tree: Tree, entries: dict[int, Any]) -> Iterator[Finding]:
    import pikepdf

    owners = {objgen: e for e in tree.elements for objgen in e.annotations}
    for number, page in enumerate(pdf.pages, 1):
        annots = page.obj.get("/Annots")
        for annot in annots if isinstance(annots, pikepdf.Array) else []:
            if not isinstance(annot, pikepdf.Dictionary) or annot.get("/Subtype") != "/Link":
                continue
            if not (text_of(annot.get("/Contents")) or "").strip():
                yield finding("UA-LINK", "a link annotation has no /Contents", number)
            key = annot.get("/StructParent")
            if not isinstance(key, int):
                yield finding("UA-LINK", "a link annotation has no /StructParent", number)
                continue
            entry = entries.get(int(key))
            owner = owners.get(annot.objgen)
            if not isinstance(entry, pikepdf.Dictionary) or name_of(entry.get("/S")) is None:
                yield finding(
                    "UA-LINK", f"/StructParent {key} leads to no structure element", number
                )
            elif owner is None or owner.objgen != entry.objgen:
                yield finding("UA-LINK", "the link's structure element has no OBJR to it", number)
            elif owner.role != "Link":
                yield finding(
                    "UA-LINK", f"the annotation belongs to a {owner.role}, not a Link", number
                )


def roles(tree: Tree) -> Iterator[Finding]:
    for tag, target in sorted(tree.role_map.items()):
        if tag in STANDARD_TYPES and tag != target:
            yield finding("UA-ROLES", f"the RoleMap remaps the standard type {tag} to {target}")
    reported: set[str] = set()
    for element in tree.elements:
        if element.role not in STANDARD_TYPES and element.tag not in reported:
            reported.add(element.tag)
            page = element.pages[0] if element.pages else None
            yield finding(
                "UA-ROLES", f"/{element.tag} is not a standard type and maps to none", page
            )
