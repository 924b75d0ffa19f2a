"""`factsheet proof`: one sheet (or a few) for sign-off. Every edition's pages are
drawn as thumbnails in matrix order under a label naming the edition's keys, with its
page count and input digest; an edition built with warnings has an amber frame and
says how many. Each spec's section names the spec, when its PDFs were built and a
digest of its editions' inputs, and the sheet says when it was made. The sheet is set
in the first spec's theme fonts and tagged like every factsheet PDF (PDF/UA-1 and
PDF/A-2b through the same tagger, structure and archive code): headings and labels are
text, each thumbnail is a Figure whose alt text names its edition and page, frames
and page numbers are artifacts. `-o proof.png` writes the sheet as PNG (one file per
sheet: `proof.png`, `proof-2.png`, …)."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from factsheet import __version__
from factsheet.layout.roles import Artifact, Node
from factsheet.render.tagger import Annotations, Tagger, marked
from factsheet.review import sheet
from factsheet.review.editions import Reviewed, SpecEditions
from factsheet.theme import LoadedTheme

AMBER, AMBER_FILL = "#B45309", "#FEF3C7"
FRAME, SHADOW = "#C3CAD3", "#E4E8ED"
RESOLUTION = 2.5  # thumbnail pixels per point: crisp when the sheet is zoomed in


@dataclass(frozen=True)
class Fonts:
    regular: str
    bold: str
    text: str  # colours, #rrggbb
    muted: str
    accent: str


def fonts_of(theme: LoadedTheme) -> Fonts:
    styles = theme.theme.styles
    return Fonts(
        theme.style_font(styles.body),
        theme.font(styles.body.font, bold=True),
        theme.theme.colour(styles.body.colour),
        theme.theme.colour(styles.footer.colour),
        theme.theme.colour(styles.heading1.colour),
    )


def make_proof(specs: Sequence[SpecEditions], theme: LoadedTheme, now: dt.datetime) -> bytes:
    """The proof sheet as a tagged PDF."""
    from reportlab import rl_config
    from reportlab.pdfgen.canvas import Canvas

    from factsheet.security import pin_reportlab_settings

    pin_reportlab_settings()
    rl_config.useA85 = 0
    fonts = fonts_of(theme)
    cards = [[_card(r) for r in spec.editions] for spec in specs]
    sheets = sheet.best_layout([[c for c, _ in section] for section in cards])
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=sheet.PAGE, invariant=1, pageCompression=1, lang="en",
                    initialFontName=fonts.regular, initialFontSize=9)  # fmt: skip
    title = "Proof: " + ", ".join(spec.spec.name for spec in specs)
    _set_metadata(canvas, title, now.date())
    annotations = Annotations(canvas)
    tagger = Tagger(canvas, annotations)
    heading = Node("H1")  # nodes without a parent sit under the tagger's Document
    sections = [Node("Sect") for _ in specs]
    for number, placed in enumerate(sheets, start=1):
        draw = _Drawing(canvas, fonts)
        if number == 1:
            draw.title(heading, title, _summary(specs, now))
        else:
            draw.running_title(title)
        for item in placed:
            spec, section = specs[item.section], sections[item.section]
            if item.card is None:
                draw.section(item, section, spec)
            else:
                reviewed = spec.editions[item.card]
                draw.card(item, section, reviewed, cards[item.section][item.card][1])
        draw.page_number(number, len(sheets))
        tagger.show_page()
        annotations.show_page()
        canvas.showPage()
    annotations.end_document()
    _standards(canvas, title, tagger, annotations, now.date())
    canvas.save()
    return buffer.getvalue()


def _card(reviewed: Reviewed) -> tuple[sheet.Card, list[Any]]:
    """An edition's card and its page thumbnails (PIL images)."""
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(str(reviewed.edition.output))
    try:
        sizes, images = [], []
        for index in range(len(document)):
            page = document[index]
            width, height = page.get_size()
            sizes.append((width, height))
            scale = RESOLUTION * sheet.HEIGHTS[0] / height
            images.append(page.render(scale=scale).to_pil().convert("RGB"))
            page.close()
    finally:
        document.close()
    return sheet.Card(tuple(sizes)), images


def _summary(specs: Sequence[SpecEditions], now: dt.datetime) -> str:
    editions = [r for spec in specs for r in spec.editions]
    pages = sum(int((r.entry or {}).get("pages", 0)) for r in editions)
    warned = sum(1 for r in editions if r.warnings)
    parts = [f"{len(editions)} edition{'s' if len(editions) != 1 else ''}", f"{pages} pages"]
    if warned:
        parts.append(f"{warned} with warnings")
    parts.append(f"made {now:%Y-%m-%d %H:%M} UTC with factsheet {__version__}")
    return " · ".join(parts)


def spec_digest(spec: SpecEditions) -> str:
    """One digest for a spec's editions: sha256 over each edition's label and input
    digest, in matrix order (the first 16 hex digits)."""
    digest = hashlib.sha256()
    for reviewed in spec.editions:
        inputs = (reviewed.entry or {}).get("inputs_sha256", "")
        digest.update(f"{reviewed.label}\t{inputs}\n".encode())
    return digest.hexdigest()[:16]


def built_at(spec: SpecEditions) -> str:
    """When the spec's newest PDF was written, in UTC."""
    times = [r.edition.output.stat().st_mtime for r in spec.editions if r.edition.output.is_file()]
    if not times:
        return "not built"
    return f"{dt.datetime.fromtimestamp(max(times), dt.UTC):%Y-%m-%d %H:%M} UTC"


class _Drawing:
    """Draws one sheet's parts on the canvas, each inside its tag."""

    def __init__(self, canvas: Any, fonts: Fonts) -> None:
        self.canvas = canvas
        self.fonts = fonts

    def text(self, tag: Node | Artifact, x: float, y: float, text: str, font: str,
             size: float, colour: str, right: bool = False) -> None:  # fmt: skip
        from reportlab.lib.colors import HexColor

        with marked(self.canvas, tag):
            self.canvas.setFont(font, size)
            self.canvas.setFillColor(HexColor(colour))
            (self.canvas.drawRightString if right else self.canvas.drawString)(x, y, text)

    def title(self, heading: Node, title: str, summary: str) -> None:
        top = sheet.PAGE[1] - sheet.MARGIN
        self.text(heading, sheet.MARGIN, top - 16, title, self.fonts.bold, 16, self.fonts.accent)
        self.text(Node("P"), sheet.MARGIN, top - 31, summary, self.fonts.regular,
                  8.5, self.fonts.muted)  # fmt: skip

    def running_title(self, title: str) -> None:
        top = sheet.PAGE[1] - sheet.MARGIN
        self.text(Artifact("Pagination", "Header"), sheet.MARGIN, top - 9, title,
                  self.fonts.bold, 8.5, self.fonts.muted)  # fmt: skip

    def section(self, item: sheet.Placed, section: Node, spec: SpecEditions) -> None:
        from reportlab.lib.colors import HexColor

        from factsheet.location import display_path

        base = item.top - 14
        self.text(section.child("H2"), item.x, base, display_path(spec.spec), self.fonts.bold,
                  11.5, self.fonts.text)  # fmt: skip
        details = f"built {built_at(spec)} · input digest {spec_digest(spec)}"
        self.text(section.child("P"), item.x + item.width, base, details, self.fonts.regular,
                  8, self.fonts.muted, right=True)  # fmt: skip
        with marked(self.canvas, Artifact()):
            self.canvas.setStrokeColor(HexColor(FRAME))
            self.canvas.setLineWidth(0.6)
            self.canvas.line(item.x, base - 6, item.x + item.width, base - 6)

    def card(
        self, item: sheet.Placed, section: Node, reviewed: Reviewed, images: list[Any]
    ) -> None:
        group = section.child("Div")
        warned = len(reviewed.warnings)
        self._label(item, group, reviewed, warned)
        x, y = item.x, item.top - sheet.LABEL - item.thumb
        pages = len(images)
        for number, (image, width) in enumerate(zip(images, item.widths, strict=True), start=1):
            alt = f"Edition {reviewed.label}: page {number} of {pages}"
            self._thumbnail(group.child("Figure", alt=alt), image, x, y, width, item.thumb, warned)
            x += width + sheet.GAP_PAGES

    def _label(self, item: sheet.Placed, group: Node, reviewed: Reviewed, warned: int) -> None:
        from reportlab.lib.styles import ParagraphStyle
        from reportlab.platypus import Paragraph

        from factsheet.security import escape_controls

        text = escape_controls(reviewed.label).replace("&", "&amp;").replace("<", "&lt;")
        for size in (8.0, 7.0, 6.0, 5.2):
            style = ParagraphStyle("label", fontName=self.fonts.bold, fontSize=size,
                                   leading=size * 1.2, textColor=self.fonts.text)  # fmt: skip
            para = Paragraph(text, style)
            _, height = para.wrap(item.width, 100)
            if height <= 2 * size * 1.2 + 0.1:
                break
        with marked(self.canvas, group.child("H3")):
            para.drawOn(self.canvas, item.x, item.top - height)
        entry = reviewed.entry or {}
        pages = int(entry.get("pages", 0))
        inputs = str(entry.get("inputs_sha256", ""))[:8]
        details = f"{pages} page{'s' if pages != 1 else ''} · inputs {inputs}"
        base = item.top - height - 9
        self.text(group.child("P"), item.x, base, details, self.fonts.regular, 6.5,
                  self.fonts.muted)  # fmt: skip
        if warned:
            self._badge(group, item.x + item.width, base, warned)

    def _badge(self, group: Node, right: float, base: float, count: int) -> None:
        from reportlab.lib.colors import HexColor
        from reportlab.pdfbase.pdfmetrics import stringWidth

        text = f"{count} warning{'s' if count != 1 else ''}"
        width = stringWidth(text, self.fonts.bold, 6.5) + 10
        with marked(self.canvas, Artifact()):
            self.canvas.setFillColor(HexColor(AMBER_FILL))
            self.canvas.setStrokeColor(HexColor(AMBER))
            self.canvas.setLineWidth(0.6)
            self.canvas.roundRect(right - width, base - 3, width, 11, 5.5, stroke=1, fill=1)
        self.text(group.child("P"), right - 5, base, text, self.fonts.bold, 6.5, AMBER, right=True)

    def _thumbnail(self, figure: Node, image: Any, x: float, y: float, width: float,
                   height: float, warned: int) -> None:  # fmt: skip
        from reportlab.lib.colors import HexColor
        from reportlab.lib.utils import ImageReader

        with marked(self.canvas, Artifact()):
            self.canvas.setFillColor(HexColor(SHADOW))
            self.canvas.rect(x + 1.5, y - 1.5, width, height, stroke=0, fill=1)
        with marked(self.canvas, figure):
            self.canvas.drawImage(ImageReader(image), x, y, width, height)
        with marked(self.canvas, Artifact()):
            self.canvas.setStrokeColor(HexColor(AMBER if warned else FRAME))
            self.canvas.setLineWidth(1.6 if warned else 0.5)
            self.canvas.rect(x, y, width, height, stroke=1, fill=0)

    def page_number(self, number: int, total: int) -> None:
        text = f"factsheet proof · sheet {number} of {total}"
        self.text(Artifact("Pagination", "Footer"), sheet.PAGE[0] - sheet.MARGIN, sheet.MARGIN,
                  text, self.fonts.regular, 6.5, self.fonts.muted, right=True)  # fmt: skip


def _set_metadata(canvas: Any, title: str, date: dt.date) -> None:
    import calendar
    import time

    canvas.setTitle(title)
    canvas.setAuthor(f"factsheet {__version__}")
    canvas.setSubject("Proof sheet for sign-off")
    canvas.setCreator(f"factsheet {__version__}")
    canvas.setProducer(f"factsheet {__version__} (ReportLab)")
    canvas.setViewerPreference("DisplayDocTitle", "true")
    # The document's date, as an edition's: the same in the Info dictionary and the XMP.
    stamp = canvas._doc._timeStamp
    epoch = calendar.timegm(date.timetuple())
    stamp.t = epoch
    stamp.lt = time.gmtime(epoch)
    stamp.YMDhms = tuple(stamp.lt)[:6]


def _standards(canvas: Any, title: str, tagger: Tagger, annotations: Annotations,
               date: dt.date) -> None:  # fmt: skip
    from factsheet.render import archive
    from factsheet.render.pdf import CREATOR, PRODUCER, Metadata
    from factsheet.render.structure import add_structure

    add_structure(canvas._doc, tagger.end_document(), annotations)
    archive.add_archival(canvas._doc, annotations)
    meta = Metadata(title, f"factsheet {__version__}", "Proof sheet for sign-off", (), "en", date)
    archive.add_metadata(canvas._doc, archive.xmp(meta, PRODUCER, CREATOR, True, True))


def png_sheets(pdf: bytes, target: Path) -> list[tuple[Path, bytes]]:
    """The proof's sheets as PNGs: `target` for the first, `stem-2.png`… after it."""
    from factsheet.review.pages import png_bytes, render_pages

    images = render_pages(pdf, scale=2.0)
    return [
        (target if n == 1 else target.with_name(f"{target.stem}-{n}{target.suffix}"), png_bytes(i))
        for n, i in enumerate(images, start=1)
    ]
