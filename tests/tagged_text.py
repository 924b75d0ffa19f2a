"""Reading a tagged PDF back as a screen reader would: the structure tree in order,
with the text each element marks (found through PDFium, which honours /ActualText)
and each Figure's alt text. Tests compare this with the spec's own text."""

from __future__ import annotations

import ctypes
from dataclasses import dataclass, field
from pathlib import Path

import pikepdf
import pypdfium2 as pdfium
import pypdfium2.raw as raw


@dataclass
class Read:
    role: str
    text: str
    alt: str | None
    depth: int
    kids: list[Read] = field(default_factory=list)


def marked_text(path: Path) -> dict[tuple[int, int], str]:
    """The text of every marked-content sequence: (page index, MCID) -> text."""
    document = pdfium.PdfDocument(str(path))
    found: dict[tuple[int, int], str] = {}
    for index in range(len(document)):
        page = document[index]
        textpage = page.get_textpage()
        for obj in page.get_objects(max_depth=3):
            if obj.type != raw.FPDF_PAGEOBJ_TEXT:
                continue
            mcid = raw.FPDFPageObj_GetMarkedContentID(obj.raw)
            if mcid < 0:
                continue
            size = raw.FPDFTextObj_GetText(obj.raw, textpage.raw, None, 0)
            buffer = (ctypes.c_ushort * (size // 2))()
            raw.FPDFTextObj_GetText(obj.raw, textpage.raw, buffer, size)
            text = bytes(buffer)[: size - 2].decode("utf-16-le")
            key = (index, mcid)
            found[key] = found.get(key, "") + text
    return found


def read_tree(path: Path) -> list[Read]:
    """Every structure element in tree order (depth first), with its own text."""
    texts = marked_text(path)
    with pikepdf.open(path) as pdf:
        pages = {page.objgen: n for n, page in enumerate(pdf.pages)}
        out: list[Read] = []
        _walk(pdf.Root.StructTreeRoot.K, None, 0, pages, texts, out)
        return out


def _walk(node, page, depth, pages, texts, out) -> None:  # type: ignore[no-untyped-def]
    if isinstance(node, pikepdf.Array):
        for kid in node:
            _walk(kid, page, depth, pages, texts, out)
        return
    if not isinstance(node, pikepdf.Dictionary) or node.get("/Type") in ("/MCR", "/OBJR"):
        return
    own_page = pages[node.Pg.objgen] if "/Pg" in node else page
    alt = str(node.Alt) if "/Alt" in node else None
    read = Read(str(node.S)[1:], "", alt, depth)
    out.append(read)
    kids = node.get("/K")
    items = list(kids) if isinstance(kids, pikepdf.Array) else [kids]
    for kid in items:
        if isinstance(kid, int):
            read.text += texts.get((own_page, kid), "")
        elif isinstance(kid, pikepdf.Dictionary) and kid.get("/Type") == "/MCR":
            read.text += texts.get((pages[kid.Pg.objgen], int(kid.MCID)), "")
        else:
            _walk(kid, own_page, depth + 1, pages, texts, out)
