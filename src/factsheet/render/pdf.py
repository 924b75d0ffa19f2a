"""The only place that makes a PDF. It draws a finished :class:`~factsheet.layout.flow.Layout`
onto a ReportLab canvas in memory (page furniture first, then every placement in
reading order), sets the metadata, language and outline, and returns the bytes. Output
is deterministic: invariant mode, with the document's own date as its timestamp."""

from __future__ import annotations

import calendar
import datetime as dt
import io
import time
from dataclasses import dataclass
from typing import Any

from reportlab.lib.colors import HexColor
from reportlab.platypus import Paragraph

from factsheet import __version__
from factsheet.layout.flow import Layout, PageLayout
from factsheet.security import pin_reportlab_settings


@dataclass(frozen=True)
class Metadata:
    title: str
    author: str
    subject: str
    keywords: tuple[str, ...]
    language: str
    date: dt.date


@dataclass(frozen=True)
class Furniture:
    """What every page carries besides its blocks: a footer rule, text and page number."""

    footer: tuple[Paragraph, ...]  # one per page
    page_numbers: tuple[Paragraph, ...]  # one per page
    rule_colour: str
    left: float
    right: float
    baseline: float  # y of the footer rule
    initial_font: str


def render_pdf(layout: Layout, meta: Metadata, furniture: Furniture) -> bytes:
    """Draw `layout` and return the PDF's bytes."""
    from reportlab import rl_config
    from reportlab.pdfgen.canvas import Canvas

    pin_reportlab_settings()
    rl_config.useA85 = 0  # ASCII85 costs time and size and buys nothing in a binary file
    buffer = io.BytesIO()
    canvas = Canvas(
        buffer,
        pagesize=layout.paper,
        invariant=1,
        pageCompression=1,
        lang=meta.language,
        initialFontName=furniture.initial_font,
        initialFontSize=9,
    )
    _set_metadata(canvas, meta)
    for page in layout.pages:
        _draw_furniture(canvas, page, furniture)
        for placement in page.placements:
            placement.flowable.drawOn(canvas, placement.x, placement.y)
        canvas.showPage()
    canvas.showOutline()
    canvas.save()
    return buffer.getvalue()


def _set_metadata(canvas: Any, meta: Metadata) -> None:
    canvas.setTitle(meta.title)
    canvas.setAuthor(meta.author)
    canvas.setSubject(meta.subject)
    canvas.setKeywords(", ".join(meta.keywords))
    canvas.setCreator(f"factsheet {__version__}")
    canvas.setProducer(f"factsheet {__version__} (ReportLab)")
    stamp = canvas._doc._timeStamp
    epoch = calendar.timegm(meta.date.timetuple())
    stamp.t = epoch
    stamp.lt = time.gmtime(epoch)
    stamp.YMDhms = tuple(stamp.lt)[:6]


def _draw_furniture(canvas: Any, page: PageLayout, furniture: Furniture) -> None:
    index = page.number - 1
    canvas.saveState()
    canvas.setStrokeColor(HexColor(furniture.rule_colour))
    canvas.setLineWidth(0.5)
    canvas.line(furniture.left, furniture.baseline, furniture.right, furniture.baseline)
    width = furniture.right - furniture.left
    # The number's style is right-aligned, so it sits at the outer edge of the full width.
    number = furniture.page_numbers[index]
    _, number_height = number.wrap(width, 100)
    number.drawOn(canvas, furniture.left, furniture.baseline - 4 - number_height)
    footer = furniture.footer[index]
    _, height = footer.wrap(width * 0.8, 100)
    footer.drawOn(canvas, furniture.left, furniture.baseline - 4 - height)
    canvas.restoreState()
