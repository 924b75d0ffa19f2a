"""The cover: a full-bleed hero photo with its caption and credit set over a dark band,
and the title band with kicker, title, subtitle and the theme's logo. Both are fixed
frames; their text is measured here so nothing is ever clipped."""

from __future__ import annotations

from typing import Any

from reportlab.lib.colors import HexColor
from reportlab.platypus import Paragraph

from factsheet.blocks.base import BlockContext, Built, FieldWarning, register
from factsheet.blocks.flowables import Filled
from factsheet.blocks.media import figure_tags
from factsheet.errors import LayoutError
from factsheet.images import LOW_PPI, Prepared, load_svg, prepare_photo
from factsheet.layout.roles import BACKGROUND, DECORATION, Node, Tag, each
from factsheet.layout.styles import is_rtl
from factsheet.render.tagger import marked
from factsheet.spec.model import Hero, TitleBand


class HeroFlowable(Filled):
    """A photo filling its frame, with an optional caption band across its foot. The
    photo is drawn with the first of `tags`, each caption paragraph with the next."""

    marks_own_content = True

    def __init__(
        self,
        photo: Prepared,
        height: float,
        caption: list[Paragraph],
        band: str,
        pad: float,
        inset: float,
        tags: tuple[Tag, ...],
    ) -> None:
        super().__init__(height)
        self.tags = tags
        self.photo = photo
        self.caption = caption
        self.band = band
        self.pad = pad
        self.inset = inset

    def caption_height(self, width: float) -> float:
        inner = width - 2 * self.inset
        heights = [p.wrap(inner, 1e6)[1] for p in self.caption]
        return sum(heights) + 2 * self.pad if heights else 0.0

    def draw(self) -> None:
        canvas = self.canv
        with marked(canvas, self.tags[0]):
            canvas.drawImage(self.photo.reader(), 0, 0, self.width, self.height)
        band_height = self.caption_height(self.width)
        if not band_height:
            return
        with marked(canvas, BACKGROUND):
            canvas.saveState()
            canvas.setFillColor(HexColor(self.band), alpha=0.72)
            canvas.rect(0, 0, self.width, band_height, stroke=0, fill=1)
            canvas.restoreState()
        y = band_height - self.pad
        for paragraph, tag in zip(self.caption, self.tags[1:], strict=True):
            _, height = paragraph.wrap(self.width - 2 * self.inset, 1e6)
            y -= height
            with marked(canvas, tag):
                paragraph.drawOn(canvas, self.inset, y)


@register("hero", span="bleed")
def build_hero(block: Hero, ctx: BlockContext) -> Built:
    path = ctx.asset(block.image, "image")
    photo = prepare_photo(path, (ctx.width, block.height), block.focus, ctx.root)
    style = ctx.theme.theme.blocks.hero_caption
    caption: list[Paragraph] = []
    if block.caption:
        caption += ctx.paragraphs(block.caption, "caption")
    if block.credit:
        caption += ctx.paragraphs(block.credit, "credit", spaceBefore=1)
    alt = ctx.alt(block.alt, "photo")
    tags = figure_tags(alt, len(caption))
    flowable = HeroFlowable(
        photo,
        block.height,
        caption,
        ctx.colour(style.background or "#000000"),
        style.padding,
        ctx.inset,
        tags,
    )
    if flowable.caption_height(ctx.width) > block.height / 2:
        raise LayoutError(
            "the photo caption covers more than half of the photo",
            hint="shorten the caption or credit",
        )
    flowable.alt_text = alt
    warnings = _hero_warnings(block, photo)
    return Built((flowable,), keep_together=True, files=(path,), warnings=warnings, tags=(None,))


def _hero_warnings(block: Hero, photo: Prepared) -> tuple[str, ...]:
    warnings = []
    if not block.alt.strip():
        warnings.append("the photo has no `alt` text for readers who cannot see it")
    if photo.ppi < LOW_PPI:
        warnings.append(
            f"the photo prints at only {photo.ppi:.0f} ppi at this size "
            f"(aim for {LOW_PPI} or more); use a larger image or a smaller frame"
        )
    return tuple(warnings)


class BandFlowable(Filled):
    """A coloured band: text stacked on the left (each paragraph drawn with its tag),
    the logo on the right (an artifact: the publisher is named in the metadata); the
    other way round on a page read right to left (`rtl`)."""

    marks_own_content = True

    def __init__(
        self,
        text: list[Paragraph],
        tags: list[Tag],
        logo: Any,
        logo_height: float,
        colour: str,
        pad: float,
        inset: float,
        rtl: bool = False,
    ) -> None:
        super().__init__(0.0)
        self.rtl = rtl
        self.text = text
        self.tags = tags
        self.logo = logo
        self.logo_height = logo_height
        self.colour = colour
        self.pad = pad
        self.inset = inset

    def _logo_width(self) -> float:
        if self.logo is None:
            return 0.0
        return float(self.logo.width) * self.logo_height / float(self.logo.height)

    def _logo_room(self) -> float:
        return self._logo_width() + (self.pad if self.logo else 0.0)

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        self.width = avail_width
        text_width = (
            avail_width - 2 * self.inset - self._logo_width() - (self.pad if self.logo else 0)
        )
        heights = [p.wrap(text_width, 1e6)[1] + p.getSpaceBefore() for p in self.text]
        self.height = max(sum(heights), self.logo_height if self.logo else 0.0) + 2 * self.pad
        return self.width, self.height

    def draw(self) -> None:
        canvas = self.canv
        with marked(canvas, BACKGROUND):
            canvas.setFillColor(HexColor(self.colour))
            canvas.rect(0, 0, self.width, self.height, stroke=0, fill=1)
        y = self.height - self.pad
        x = self.inset + (self._logo_room() if self.rtl else 0.0)
        for paragraph, tag in zip(self.text, self.tags, strict=True):
            y -= paragraph.height + paragraph.getSpaceBefore()
            with marked(canvas, tag):
                paragraph.drawOn(canvas, x, y)
        if self.logo is not None:
            with marked(canvas, DECORATION):
                self._draw_logo(canvas)

    def _draw_logo(self, canvas: Any) -> None:
        scale = self.logo_height / float(self.logo.height)
        canvas.saveState()
        canvas.translate(
            self.inset if self.rtl else self.width - self.inset - self._logo_width(),
            self.height - self.pad - self.logo_height,
        )
        canvas.scale(scale, scale)
        self.logo.draw(canvas)
        canvas.restoreState()


@register("title_band", span="bleed")
def build_title_band(block: TitleBand, ctx: BlockContext) -> Built:
    text: list[Paragraph] = []
    tags: list[Tag] = []
    if block.kicker:
        text += ctx.paragraphs(block.kicker, "kicker")
        tags += each(text, "P")
    title = block.title if block.title is not None else ctx.document.title
    titles = ctx.paragraphs(title, "title", spaceBefore=2 if text else 0)
    heading = Node("H1")  # the document's one H1, however many lines it takes
    text += titles
    tags += [heading] * len(titles)
    subtitle = block.subtitle if block.subtitle is not None else ctx.document.subtitle
    if subtitle:
        subtitles = ctx.paragraphs(subtitle, "subtitle", spaceBefore=4)
        text += subtitles
        tags += each(subtitles, "P")
    theme = ctx.theme
    font = theme.font(theme.theme.styles.body.font)
    svg = theme.logo_path if theme.logo_path and theme.logo_path.suffix == ".svg" else None
    logo = load_svg(svg, font, ctx.root) if svg else None
    style = theme.theme.blocks.title_band
    band = BandFlowable(
        text,
        tags,
        logo,
        theme.theme.page.logo_height,
        ctx.colour(style.background or "primary"),
        style.padding,
        ctx.inset,
        is_rtl(ctx.document.language),
    )
    # The logo's refused references are the theme's to fix: shown at its `logo` line.
    at = theme.source_map.locate(("logo",))
    warnings = tuple(FieldWarning(text, location=at) for text in logo.warnings) if logo else ()
    return Built((band,), keep_together=True, warnings=warnings, tags=(None,))
