"""The words of a factsheet's pages, block by block, and how they changed. Words are
read from each tagged block (marked-content sequence) of the PDF in drawing order,
which is reading order: the text of a page's artifacts (page numbers, a chart's tick
labels) is not compared; charts are compared by their alt text instead. Chinese and
Japanese characters are compared one by one (their text has no spaces). Right-to-left
text is left out: the PDF's text layer holds its lines in visual order, so its words
would read backwards (a changed 485 would show as 584); the page images still show
such a change, and the count of blocks left out is reported. A change is shown with a
few words of its own block either side."""

from __future__ import annotations

import ctypes
import difflib
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

CONTEXT = 4  # words shown either side of a change
_CJK = "\u2e80-\u9fff\uf900-\ufaff\u3040-\u30ff\uff00-\uffef"  # Han, kana, full-width forms
_TOKEN = re.compile(f"[{_CJK}]|[^\\s{_CJK}]+")


@dataclass(frozen=True)
class Token:
    text: str
    block: int
    space: bool
    """Whitespace before it in the PDF (none between Chinese characters)."""


@dataclass
class PageText:
    tokens: list[Token] = field(default_factory=list)
    rtl_blocks: int = 0
    """Blocks of right-to-left text left out."""


@dataclass(frozen=True)
class WordChange:
    page: int
    before: str
    removed: str
    added: str
    after: str


def page_texts(pdf: Path | bytes) -> list[PageText]:
    """Each page's words, block by block, in drawing order."""
    from factsheet.review.pages import open_pdf

    document = open_pdf(pdf)
    try:
        pages = []
        for index in range(len(document)):
            page = document[index]
            pages.append(_page_text(page))
            page.close()
        return pages
    finally:
        document.close()


def _page_text(page: object) -> PageText:
    import pypdfium2.raw as raw

    textpage = page.get_textpage()  # type: ignore[attr-defined]
    blocks: dict[int, str] = {}
    for obj in page.get_objects(max_depth=3):  # type: ignore[attr-defined]
        if obj.type != raw.FPDF_PAGEOBJ_TEXT:
            continue
        mcid = raw.FPDFPageObj_GetMarkedContentID(obj.raw)
        if mcid < 0:
            continue  # an artifact
        size = raw.FPDFTextObj_GetText(obj.raw, textpage.raw, None, 0)
        buffer = (ctypes.c_ushort * (size // 2))()
        raw.FPDFTextObj_GetText(obj.raw, textpage.raw, buffer, size)
        text = bytes(buffer)[: max(size - 2, 0)].decode("utf-16-le", errors="replace")
        blocks[mcid] = blocks.get(mcid, "") + " " + text
    found = PageText()
    for number, (_, text) in enumerate(blocks.items()):
        if _right_to_left(text):
            found.rtl_blocks += 1
            continue
        found.tokens += tokens(text, number)
    return found


def tokens(text: str, block: int) -> list[Token]:
    """`text` cut into words (Chinese and Japanese characters one by one)."""
    text = text.replace("\x02", "-").replace("\ufffe", "-")
    return [
        Token(m.group(), block, m.start() == 0 or text[m.start() - 1].isspace())
        for m in _TOKEN.finditer(text)
    ]


def _right_to_left(text: str) -> bool:
    return any(unicodedata.bidirectional(c) in ("R", "AL") for c in text)


def joined(tokens: Sequence[Token]) -> str:
    out = ""
    for n, token in enumerate(tokens):
        out += (" " if n and token.space else "") + token.text
    return out


def word_changes(old: Sequence[PageText], new: Sequence[PageText]) -> list[WordChange]:
    """Page by page, each run of removed and added words, with up to CONTEXT words of
    the same block either side."""
    found = []
    for number in range(1, max(len(old), len(new)) + 1):
        a = old[number - 1].tokens if number <= len(old) else []
        b = new[number - 1].tokens if number <= len(new) else []
        matcher = difflib.SequenceMatcher(None, [t.text for t in a], [t.text for t in b],
                                          autojunk=False)  # fmt: skip
        for op, i1, i2, j1, j2 in matcher.get_opcodes():
            if op == "equal":
                continue
            found.append(
                WordChange(
                    number,
                    joined(_before(a, i1, i2)),
                    joined(a[i1:i2]),
                    joined(b[j1:j2]),
                    joined(_after(a, i1, i2)),
                )
            )
    return found


def _before(a: Sequence[Token], i1: int, i2: int) -> list[Token]:
    """Up to CONTEXT approved words before a change, from the block it starts in."""
    if i1 == 0 or (i2 > i1 and a[i1].block != a[i1 - 1].block):
        return []
    block = a[i1 - 1].block
    out = [t for t in a[max(i1 - CONTEXT, 0) : i1]]
    while out and out[0].block != block:
        out.pop(0)
    return out


def _after(a: Sequence[Token], i1: int, i2: int) -> list[Token]:
    """Up to CONTEXT approved words after a change, from the block it ends in."""
    if i2 >= len(a) or (i2 > i1 and a[i2].block != a[i2 - 1].block):
        return []
    block = a[i2].block
    out = []
    for token in a[i2 : i2 + CONTEXT]:
        if token.block != block:
            break
        out.append(token)
    return out


def rtl_blocks(pages: Sequence[PageText]) -> int:
    return sum(page.rtl_blocks for page in pages)
