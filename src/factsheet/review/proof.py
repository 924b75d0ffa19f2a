"""`factsheet proof`: one sheet (or a few) for sign-off. Every edition's pages are
drawn as thumbnails in matrix order under a label naming the edition's keys, with its
page count and input digest; an edition built with warnings has an amber frame and
says how many. Each spec's section names the spec, when its PDFs were built and a
digest of its editions' inputs, and the sheet says when it was made. The sheet is set
in the first spec's theme fonts and tagged like every factsheet PDF (PDF/UA-1 and
PDF/A-2b through the same tagger, structure and archive code): headings and labels are
text, each thumbnail is a Figure whose alt text names its edition and page, frames
and page numbers are artifacts. `-o proof.png` writes the sheet as PNG (one file per
sheet: `proof.png`, `proof-2.png`, …).

The sheet's own words, dates, /Lang and reading direction are those of one language
(:mod:`factsheet.review.proof_words`); a sheet read right to left is the left-to-right
layout mirrored (:func:`factsheet.review.sheet.mirrored`), and every line is set as
factsheet pages set theirs (:mod:`factsheet.review.sheet_text`)."""

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
from factsheet.review.proof_labels import check_glyphs, edition_language, label_language
from factsheet.review.proof_words import SheetLanguage
from factsheet.review.sheet_text import LRM, Align, Typesetter, first_strong_rtl
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


def make_proof(
    specs: Sequence[SpecEditions], theme: LoadedTheme, now: dt.datetime, words: SheetLanguage
) -> bytes:
    """The proof sheet as a tagged PDF, its own words in `words`' language."""
    from reportlab import rl_config
    from reportlab.pdfgen.canvas import Canvas

    from factsheet.security import pin_reportlab_settings

    pin_reportlab_settings()
    rl_config.useA85 = 0
    fonts = fonts_of(theme)
    setter = Typesetter(theme, words.facts.script, words.rtl)
    check_glyphs(specs, setter, fonts, words, theme)
    cards = [[_card(r) for r in spec.editions] for spec in specs]
    layout = sheet.best_layout([[c for c, _ in section] for section in cards])
    sheets = sheet.mirrored(layout, words.rtl)
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=sheet.PAGE, invariant=1, pageCompression=1,
                    lang=words.tag, initialFontName=fonts.regular,
                    initialFontSize=9)  # fmt: skip
    title = words.words.title.format(specs=setter.ltr(", ".join(s.spec.name for s in specs)))
    _set_metadata(canvas, title.replace(LRM, ""), words.words.subject, now.date())
    annotations = Annotations(canvas)
    tagger = Tagger(canvas, annotations)
    heading = Node("H1")  # nodes without a parent sit under the tagger's Document
    sections = [Node("Sect") for _ in specs]
    for number, placed in enumerate(sheets, start=1):
        draw = _Drawing(canvas, fonts, setter, words)
        if number == 1:
            draw.title(heading, title, _summary(specs, now, words, setter))
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
    _standards(canvas, title.replace(LRM, ""), tagger, annotations, now.date(), words)
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


def _summary(
    specs: Sequence[SpecEditions], now: dt.datetime, words: SheetLanguage, setter: Typesetter
) -> str:
    editions = [r for spec in specs for r in spec.editions]
    pages = sum(int((r.entry or {}).get("pages", 0)) for r in editions)
    warned = sum(1 for r in editions if r.warnings)
    said = words.words
    parts = [words.count(said.editions, len(editions)), words.count(said.pages, pages)]
    if warned:
        parts.append(words.count(said.warned, warned))
    parts.append(said.made.format(when=words.when(now), version=setter.ltr(__version__)))
    return " · ".join(parts)


def spec_digest(spec: SpecEditions) -> str:
    """One digest for a spec's editions: sha256 over each edition's label and input
    digest, in matrix order (the first 16 hex digits)."""
    digest = hashlib.sha256()
    for reviewed in spec.editions:
        inputs = (reviewed.entry or {}).get("inputs_sha256", "")
        digest.update(f"{reviewed.label}\t{inputs}\n".encode())
    return digest.hexdigest()[:16]


def built_at(spec: SpecEditions) -> dt.datetime | None:
    """When the spec's newest PDF was written, in UTC (None: none was)."""
    times = [r.edition.output.stat().st_mtime for r in spec.editions if r.edition.output.is_file()]
    if not times:
        return None
    return dt.datetime.fromtimestamp(max(times), dt.UTC).replace(second=0, microsecond=0)


class _Drawing:
    """Draws one sheet's parts on the canvas, each inside its tag, lines starting at
    the left on a sheet read left to right and at the right on one read right to left."""

    def __init__(self, canvas: Any, fonts: Fonts, setter: Typesetter, words: SheetLanguage) -> None:
        self.canvas = canvas
        self.fonts = fonts
        self.setter = setter
        self.words = words
        self.rtl = words.rtl

    def start(self, left: float, width: float) -> float:
        return left + width if self.rtl else left

    def end(self, left: float, width: float) -> float:
        return left if self.rtl else left + width

    def text(self, tag: Node | Artifact, x: float, y: float, text: str, font: str,
             size: float, colour: str, align: Align = "start") -> float:  # fmt: skip
        from reportlab.lib.colors import HexColor

        with marked(self.canvas, tag):
            self.canvas.setFillColor(HexColor(colour))
            return self.setter.draw(self.canvas, text, x, y, font, size, align)

    def title(self, heading: Node, title: str, summary: str) -> None:
        top, x = sheet.PAGE[1] - sheet.MARGIN, self.start(sheet.MARGIN, sheet.content_width())
        self.text(heading, x, top - 16, title, self.fonts.bold, 16, self.fonts.accent)
        self.text(Node("P"), x, top - 31, summary, self.fonts.regular, 8.5, self.fonts.muted)

    def running_title(self, title: str) -> None:
        top, x = sheet.PAGE[1] - sheet.MARGIN, self.start(sheet.MARGIN, sheet.content_width())
        self.text(Artifact("Pagination", "Header"), x, top - 9, title, self.fonts.bold, 8.5,
                  self.fonts.muted)  # fmt: skip

    def section(self, item: sheet.Placed, section: Node, spec: SpecEditions) -> None:
        from reportlab.lib.colors import HexColor

        from factsheet.location import display_path

        base = item.top - 14
        self.text(section.child("H2"), self.start(item.x, item.width), base,
                  self.setter.ltr(display_path(spec.spec)), self.fonts.bold, 11.5,
                  self.fonts.text)  # fmt: skip
        said, when = self.words.words, built_at(spec)
        built = said.not_built if when is None else said.built.format(when=self.words.when(when))
        details = f"{built} · {said.digest.format(digest=self.setter.ltr(spec_digest(spec)))}"
        self.text(section.child("P"), self.end(item.x, item.width), base, details,
                  self.fonts.regular, 8, self.fonts.muted, align="end")  # fmt: skip
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
        y = item.top - sheet.LABEL - item.thumb
        pages = len(images)
        lefts = sheet.thumbnail_lefts(item, self.rtl)
        for number, (image, x, width) in enumerate(
            zip(images, lefts, item.widths, strict=True), start=1
        ):
            alt = self.words.words.alt.format(label=reviewed.label, n=number, pages=pages)
            self._thumbnail(group.child("Figure", alt=alt), image, x, y, width, item.thumb, warned)

    def _label(self, item: sheet.Placed, group: Node, reviewed: Reviewed, warned: int) -> None:
        from factsheet.security import escape_controls

        text, font = escape_controls(reviewed.label), self.fonts.bold
        rtl = first_strong_rtl(text)  # labels are `key=value`: keys are Latin
        for size in (8.0, 7.0, 6.0, 5.2):
            lines = self.setter.wrap(text, font, size, item.width, rtl)
            if len(lines) <= 2 or size == 5.2:
                break
        lang = label_language(text, edition_language(reviewed), self.words.facts.script)
        x, y = self.start(item.x, item.width), item.top - size
        with marked(self.canvas, group.child("H3", lang=lang)):
            for line in lines:
                self.canvas.setFillColor(self._colour(self.fonts.text))
                self.setter.draw(self.canvas, line, x, y, font, size, rtl=rtl)
                y -= size * 1.2
        entry, said = reviewed.entry or {}, self.words.words
        pages = int(entry.get("pages", 0))
        inputs = said.inputs.format(digest=self.setter.ltr(str(entry.get("inputs_sha256", ""))[:8]))
        details = f"{self.words.count(said.pages, pages)} · {inputs}"
        base = y + size * 1.2 - size * 0.2 - 9  # under the last line's descenders
        self.text(group.child("P"), x, base, details, self.fonts.regular, 6.5, self.fonts.muted)
        if warned:
            self._badge(group, item, base, warned)

    @staticmethod
    def _colour(colour: str) -> Any:
        from reportlab.lib.colors import HexColor

        return HexColor(colour)

    def _badge(self, group: Node, item: sheet.Placed, base: float, count: int) -> None:
        from reportlab.lib.colors import HexColor

        text = self.words.count(self.words.words.warnings, count)
        width = self.setter.width(text, self.fonts.bold, 6.5) + 10
        left = item.x if self.rtl else item.x + item.width - width
        with marked(self.canvas, Artifact()):
            self.canvas.setFillColor(HexColor(AMBER_FILL))
            self.canvas.setStrokeColor(HexColor(AMBER))
            self.canvas.setLineWidth(0.6)
            self.canvas.roundRect(left, base - 3, width, 11, 5.5, stroke=1, fill=1)
        self.text(group.child("P"), self.end(left + 5, width - 10), base, text, self.fonts.bold,
                  6.5, AMBER, align="end")  # fmt: skip

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
        text = self.words.words.sheet.format(n=number, total=total)
        self.text(Artifact("Pagination", "Footer"), self.end(sheet.MARGIN, sheet.content_width()),
                  sheet.MARGIN, text, self.fonts.regular, 6.5, self.fonts.muted,
                  align="end")  # fmt: skip


def _set_metadata(canvas: Any, title: str, subject: str, date: dt.date) -> None:
    import calendar
    import time

    canvas.setTitle(title)
    canvas.setAuthor(f"factsheet {__version__}")
    canvas.setSubject(subject)
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
               date: dt.date, words: SheetLanguage) -> None:  # fmt: skip
    from factsheet.render import archive
    from factsheet.render.pdf import CREATOR, PRODUCER, Metadata
    from factsheet.render.structure import add_structure

    add_structure(canvas._doc, tagger.end_document(), annotations)
    archive.add_archival(canvas._doc, annotations)
    meta = Metadata(title, f"factsheet {__version__}", words.words.subject, (), words.tag, date)
    archive.add_metadata(canvas._doc, archive.xmp(meta, PRODUCER, CREATOR, True, True))


def png_sheets(pdf: bytes, target: Path) -> list[tuple[Path, bytes]]:
    """The proof's sheets as PNGs: `target` for the first, `stem-2.png`… after it."""
    from factsheet.review.pages import png_bytes, render_pages

    images = render_pages(pdf, scale=2.0)
    return [
        (target if n == 1 else target.with_name(f"{target.stem}-{n}{target.suffix}"), png_bytes(i))
        for n, i in enumerate(images, start=1)
    ]
