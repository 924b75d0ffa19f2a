"""The only place that makes a PDF. It draws a finished :class:`~factsheet.layout.flow.Layout`
onto a ReportLab canvas in memory (page furniture first, then every placement in
reading order), sets the metadata, language and outline, and returns the bytes. By
default each placement is drawn inside marked content with its block's role (see
:mod:`factsheet.render.tagger`), and the structure tree and what PDF/A-2b asks for are
added to ReportLab's document before it is written (:mod:`factsheet.render.structure`,
:mod:`factsheet.render.archive`).
Output is deterministic: invariant mode, with the document's own date as its timestamp."""

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
from factsheet.layout.flow import Layout, PageLayout, Placement
from factsheet.layout.roles import FOOTER
from factsheet.render.boxes import Recorder
from factsheet.render.tagger import Annotations, Log, Tagger, marked, tagger_of
from factsheet.security import pin_reportlab_settings

CREATOR = f"factsheet {__version__}"
PRODUCER = f"factsheet {__version__} (ReportLab)"


@dataclass(frozen=True)
class Metadata:
    title: str
    author: str
    subject: str
    keywords: tuple[str, ...]
    language: str
    date: dt.date
    tagged: bool = True  # PDF/UA-1: marked content and a structure tree
    archival: bool = True  # PDF/A-2b: output intent, XMP claim, no empty transitions


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
    rtl: bool = False  # the footer text at the right, the page number at the left


def render_pdf(
    layout: Layout, meta: Metadata, furniture: Furniture, recorder: Recorder | None = None
) -> bytes:
    """Draw `layout` and return the PDF's bytes; a `recorder` is given the box of
    every printed figure, table cell and chart as it is drawn (see render.boxes)."""
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
    annotations = Annotations(canvas) if meta.tagged or meta.archival else None
    tagger = Tagger(canvas, annotations) if meta.tagged and annotations else None
    if recorder is not None:
        recorder.attach(canvas)
    for page in layout.pages:
        with marked(canvas, FOOTER):
            _draw_furniture(canvas, page, furniture)
        for placement in page.placements:
            if recorder is not None:
                recorder.page, recorder.block_id = page.number, placement.block_id
            _draw(canvas, placement)
        if tagger is not None:
            tagger.show_page()
        if annotations is not None:
            annotations.show_page()
        canvas.showPage()
    canvas.showOutline()
    if annotations is not None:
        annotations.end_document()
        _standards(canvas._doc, meta, tagger.end_document() if tagger else None, annotations)
    canvas.save()
    return buffer.getvalue()


def _draw(canvas: Any, placement: Placement) -> None:
    """A flowable that holds parts with roles of their own (a box, a table) marks
    them itself; any other is marked whole with its placement's tag."""
    flowable = placement.flowable
    tagger = tagger_of(canvas)
    if tagger is not None:
        tagger.language = placement.language
    if getattr(flowable, "marks_own_content", False):
        flowable.drawOn(canvas, placement.x, placement.y)
        return
    if placement.tag is None:
        raise RuntimeError(f"{placement.kind} {placement.block_id} drew a part with no role")
    with marked(canvas, placement.tag):
        flowable.drawOn(canvas, placement.x, placement.y)


def _standards(doc: Any, meta: Metadata, log: Log | None, annotations: Annotations) -> None:
    """The structure tree and the archival parts, added to ReportLab's document before
    it writes the file."""
    from factsheet.render import archive
    from factsheet.render.structure import add_structure

    if log is not None:
        add_structure(doc, log, annotations)
    if meta.archival:
        archive.add_archival(doc, annotations)
    packet = archive.xmp(meta, PRODUCER, CREATOR, meta.archival, meta.tagged)
    archive.add_metadata(doc, packet)


def _set_metadata(canvas: Any, meta: Metadata) -> None:
    canvas.setTitle(meta.title)
    canvas.setAuthor(meta.author)
    canvas.setSubject(meta.subject)
    canvas.setKeywords(", ".join(meta.keywords))
    canvas.setCreator(CREATOR)
    canvas.setProducer(PRODUCER)
    canvas.setViewerPreference("DisplayDocTitle", "true")
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
    # The number's style is aligned to the line's end, so it sits at the outer edge of
    # the full width: the right, or the left on a page read right to left.
    number = furniture.page_numbers[index]
    _, number_height = number.wrap(width, 100)
    number.drawOn(canvas, furniture.left, furniture.baseline - 4 - number_height)
    footer = furniture.footer[index]
    _, height = footer.wrap(width * 0.8, 100)
    x = furniture.right - width * 0.8 if furniture.rtl else furniture.left
    footer.drawOn(canvas, x, furniture.baseline - 4 - height)
    canvas.restoreState()
