"""A PDF's pages as images, rendered by PDFium (pypdfium2) at a fixed scale (their
words are read by :mod:`.words`). Rendering is
deterministic for one PDFium version, so an unchanged PDF gives identical pixels;
`diff` renders the approved PDF again rather than trusting the approved PNGs, so a
newer PDFium never shows as a change. PNGs are written without timestamps or other
metadata, so approving the same PDF twice writes the same bytes."""

from __future__ import annotations

import io
import threading
from pathlib import Path
from typing import TYPE_CHECKING, Any

from factsheet.errors import SpecError
from factsheet.location import display_path

if TYPE_CHECKING:
    from PIL import Image

SCALE = 1.5
"""Pixels per point of the page images: 108 dpi, an A4 page 893 × 1263 pixels."""

PDFIUM = threading.RLock()
"""Held by every use of PDFium in a process with threads (the preview's): PDFium may
not be called from two threads at once, not even for two documents, or the process
crashes or corrupts memory (pypdfium2's documentation). Documents, pages and bitmaps
are closed or freed before it is released."""


def open_pdf(pdf: Path | bytes) -> Any:
    """A PDFium document; SpecError naming the file when it is not a readable PDF."""
    import pypdfium2 as pdfium

    try:
        return pdfium.PdfDocument(pdf if isinstance(pdf, bytes) else str(pdf))
    except (pdfium.PdfiumError, OSError) as exc:
        name = "the PDF" if isinstance(pdf, bytes) else display_path(pdf)
        raise SpecError(f"cannot read {name}: {exc}", hint="is it a PDF?") from None


def render_pages(pdf: Path | bytes, scale: float = SCALE) -> list[Image.Image]:
    """Every page of `pdf` as an RGB image, `scale` pixels per point."""
    document = open_pdf(pdf)
    try:
        images = []
        for index in range(len(document)):
            page = document[index]
            bitmap = page.render(scale=scale, draw_annots=True)
            images.append(bitmap.to_pil().convert("RGB"))
            page.close()
        return images
    finally:
        document.close()


def png_bytes(image: Image.Image) -> bytes:
    """`image` as PNG bytes with no metadata (the same pixels give the same bytes)."""
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=False, compress_level=6)
    return buffer.getvalue()
