"""The image block: a raster picture (downsampled for print) or an SVG drawing, scaled
to its width, with an optional caption underneath."""

from __future__ import annotations

from typing import Any

from reportlab.platypus import Flowable

from factsheet.blocks.base import BlockContext, Built, FieldWarning, register
from factsheet.images import Prepared, Vector, image_size, load_svg, prepare_photo
from factsheet.layout.roles import DECORATION, Node, Tag
from factsheet.spec.model import Image


class SvgFlowable(Flowable):  # type: ignore[misc]
    """A vector drawing scaled to a width."""

    def __init__(self, drawing: Vector, scale: float) -> None:
        super().__init__()
        self.drawing = drawing
        self.scale = scale
        self.width = drawing.width * scale
        self.height = drawing.height * scale

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        return self.width, self.height

    def draw(self) -> None:
        self.canv.saveState()
        self.canv.scale(self.scale, self.scale)
        self.drawing.draw(self.canv)
        self.canv.restoreState()


class Picture(Flowable):  # type: ignore[misc]
    """A prepared raster image at a fixed size."""

    def __init__(self, photo: Prepared, width: float, height: float) -> None:
        super().__init__()
        self.photo = photo
        self.width = width
        self.height = height

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        return self.width, self.height

    def draw(self) -> None:
        self.canv.drawImage(self.photo.reader(), 0, 0, self.width, self.height)


@register("image")
def build_image(block: Image, ctx: BlockContext) -> Built:
    path = ctx.asset(block.file, "image")
    width = min(block.width or ctx.width, ctx.width)
    picture: Any
    refused: tuple[str, ...] = ()
    if path.suffix.lower() == ".svg":
        font = ctx.theme.font(ctx.theme.theme.styles.body.font)
        drawing = load_svg(path, font, ctx.root)
        picture = SvgFlowable(drawing, width / drawing.width)
        refused = tuple(FieldWarning(text, ("file",)) for text in drawing.warnings)
    else:
        pixels = image_size(path)
        height = width * pixels[1] / pixels[0]
        picture = Picture(prepare_photo(path, (width, height), root=ctx.root), width, height)
    picture.hAlign = "LEFT"
    flowables: list[Any] = [picture]
    if block.caption:
        flowables += ctx.paragraphs(block.caption, "small", spaceBefore=3)
    picture.alt_text = ctx.alt(block.alt, "image")
    warnings = refused + (() if picture.alt_text else ("the image has no `alt` text",))
    tags = figure_tags(picture.alt_text, len(flowables) - 1)
    return Built(tuple(flowables), keep_together=True, files=(path,), warnings=warnings, tags=tags)


def figure_tags(alt: str, captions: int) -> tuple[Tag, ...]:
    """A picture's Figure and its caption paragraphs, grouped so that a reader hears
    the alt text and then the caption (a Figure's own content is replaced by its alt
    text, so the caption sits beside it, not in it). Untagged, a picture with no alt
    text is drawn as an artifact."""
    if not alt:
        return (DECORATION, *(Node("P") for _ in range(captions)))
    group = Node("Div")
    caption = Node("Caption", group)
    return (Node("Figure", group, alt=alt), *(Node("P", caption) for _ in range(captions)))
