"""The image block: a raster picture (downsampled for print) or an SVG drawing, scaled
to its width, with an optional caption underneath."""

from __future__ import annotations

from typing import Any

from reportlab.graphics.shapes import Drawing
from reportlab.platypus import Image as RLImage

from factsheet.blocks.base import BlockContext, Built, register
from factsheet.images import image_size, load_svg, prepare_photo
from factsheet.spec.model import Image


@register("image")
def build_image(block: Image, ctx: BlockContext) -> Built:
    path = ctx.asset(block.file, "image")
    width = min(block.width or ctx.width, ctx.width)
    picture: Any
    if path.suffix.lower() == ".svg":
        drawing = load_svg(path)
        scale = width / float(drawing.width)
        picture = Drawing(width, float(drawing.height) * scale)
        picture.add(drawing)  # type: ignore[no-untyped-call]
        picture.scale(scale, scale)
    else:
        pixels = image_size(path)
        height = width * pixels[1] / pixels[0]
        photo = prepare_photo(path, (width, height))
        picture = RLImage(photo.reader(), width=width, height=height)
    picture.hAlign = "LEFT"
    flowables: list[Any] = [picture]
    if block.caption:
        flowables += ctx.paragraphs(block.caption, "small", spaceBefore=3)
    picture.alt_text = ctx.plain(block.alt)
    return Built(tuple(flowables), keep_together=True, files=(path,))
