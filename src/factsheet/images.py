"""Pictures prepared for print: photos cropped to their frame around a focal point and
downsampled to a target resolution at their printed size, then re-encoded as JPEG so the
PDF stays small; SVG logos parsed into vector drawings, with a warning for every
reference to another file that is not drawn (see :mod:`factsheet.svgrefs`). Results
are cached per process, keyed by file identity and target size, because editions reuse
the same photos."""

from __future__ import annotations

import hashlib
import io
import json
import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path
from typing import Any

from factsheet import cache
from factsheet.errors import SpecError
from factsheet.layout.geometry import crop_box, target_pixels
from factsheet.render.recording import Recording, record
from factsheet.svgrefs import references

PRINT_PPI = 200
LOW_PPI = 150  # below this a photo looks soft in print: worth a warning
MAX_PIXELS = 60_000_000  # refuses decompression bombs long before memory runs out
JPEG_QUALITY = 85


@dataclass(frozen=True)
class Prepared:
    """Encoded JPEG bytes, their pixel size, a digest naming them, and the resolution
    the photo prints at."""

    data: bytes
    size: tuple[int, int]
    digest: bytes
    ppi: float = PRINT_PPI

    def reader(self) -> Any:
        """An ImageReader that ReportLab embeds as the JPEG bytes themselves."""
        from reportlab.lib.utils import ImageReader

        class _Jpeg(ImageReader):  # type: ignore[misc]
            # drawImage names an image by hashing getRGBData(), which decodes the
            # whole photo on every build; the JPEG's own digest names it just as well.
            def getRGBData(self) -> bytes:
                self._dataA = None  # a JPEG has no alpha channel
                return digest

        digest = self.digest
        return _Jpeg(io.BytesIO(self.data))


def prepare_photo(
    path: Path,
    frame: tuple[float, float],
    focus: tuple[float, float] = (0.5, 0.5),
    root: Path | None = None,
) -> Prepared:
    """Crop `path` to the aspect of `frame` (points) and size it for PRINT_PPI. With
    the project `root`, the result is kept in (and taken from) its build cache."""
    stat = path.stat()
    key = (round(frame[0], 2), round(frame[1], 2))
    return _prepare(path, stat.st_mtime_ns, stat.st_size, key, focus, root)


@lru_cache(maxsize=32)
def _prepare(
    path: Path,
    _mtime: int,
    _size: int,
    frame: tuple[float, float],
    focus: tuple[float, float],
    root: Path | None,
) -> Prepared:
    parts = (path, frame, focus, PRINT_PPI, JPEG_QUALITY)
    return cache.remembered(
        root, "photos", parts, lambda: _make(path, frame, focus), _pack, _unpack
    )


def _pack(prepared: Prepared) -> bytes:
    head = json.dumps({"w": prepared.size[0], "h": prepared.size[1], "ppi": prepared.ppi})
    return head.encode() + b"\n" + prepared.data


def _unpack(stored: bytes) -> Prepared:
    head, _, data = stored.partition(b"\n")
    if not data.startswith(b"\xff\xd8"):  # a JPEG starts with its SOI marker
        raise ValueError("not a JPEG")
    meta = json.loads(head)
    size = (int(meta["w"]), int(meta["h"]))
    return Prepared(data, size, hashlib.sha256(data).hexdigest().encode(), float(meta["ppi"]))


def _make(path: Path, frame: tuple[float, float], focus: tuple[float, float]) -> Prepared:
    from PIL import Image, UnidentifiedImageError

    Image.MAX_IMAGE_PIXELS = MAX_PIXELS
    try:
        with Image.open(path) as opened:
            if opened.width * opened.height > MAX_PIXELS:
                raise SpecError(f"image '{path.name}' has more than {MAX_PIXELS:,} pixels")
            picture = _decode(opened, frame, focus)
    except (UnidentifiedImageError, Image.DecompressionBombError, OSError) as exc:
        raise SpecError(f"cannot read image '{path.name}': {exc}") from None
    out = io.BytesIO()
    picture.save(out, "JPEG", quality=JPEG_QUALITY, progressive=False)
    data = out.getvalue()
    ppi = picture.size[0] / (frame[0] / 72)
    return Prepared(data, picture.size, hashlib.sha256(data).hexdigest().encode(), ppi)


def _decode(opened: Any, frame: tuple[float, float], focus: tuple[float, float]) -> Any:
    """Crop and downsample with as few full-size copies as possible: a photo is often
    far larger than its printed size, and editions build many in one worker."""
    from PIL import Image, ImageOps

    box = crop_box(opened.size, frame, focus)
    size = target_pixels(frame, (box[2] - box[0], box[3] - box[1]), PRINT_PPI)
    if opened.format == "JPEG":
        # Let the JPEG decoder scale down by 1/2, 1/4 or 1/8 while it decodes.
        scale = min(opened.width * size[0] / (box[2] - box[0]), opened.width)
        opened.draft("RGB", (int(scale) + 1, int(opened.height * scale / opened.width) + 1))
    image = opened
    if opened.getexif().get(0x0112, 1) != 1:  # an EXIF orientation to undo
        image = ImageOps.exif_transpose(opened)
    if image.mode != "RGB":
        image = image.convert("RGB")
    box = crop_box(image.size, frame, focus)
    return image.resize(size, Image.Resampling.LANCZOS, box=box, reducing_gap=3.0)


def image_size(path: Path) -> tuple[int, int]:
    """Pixel size of a raster image without decoding it; refuses oversized images."""
    from PIL import Image, UnidentifiedImageError

    Image.MAX_IMAGE_PIXELS = MAX_PIXELS
    try:
        with Image.open(path) as image:
            size: tuple[int, int] = image.size
    except (UnidentifiedImageError, Image.DecompressionBombError, OSError) as exc:
        raise SpecError(f"cannot read image '{path.name}': {exc}") from None
    if size[0] * size[1] > MAX_PIXELS:
        raise SpecError(f"image '{path.name}' has more than {MAX_PIXELS:,} pixels")
    return size


@dataclass(frozen=True)
class Vector:
    """An SVG picture ready to draw at its size in points: its drawing calls, recorded
    once (and kept in the build cache), or, for an SVG that needs more than the recorder
    takes, the parsed drawing itself."""

    width: float
    height: float
    recording: Recording | None
    drawing: Any = None
    font: str = ""
    warnings: tuple[str, ...] = ()  # references to other files that are not drawn
    notes: tuple[str, ...] = ()  # what the SVG reader could not draw as written

    def draw(self, canvas: Any, x: float = 0.0, y: float = 0.0) -> None:
        if self.recording is not None:
            self.recording.replay(canvas, x, y)
        else:
            draw_svg(self.drawing, canvas, x, y, self.font)


def load_svg(path: Path, font: str, root: Path | None = None) -> Vector:
    """An SVG file as a :class:`Vector`, its text defaulting to the registered `font`.
    With the project `root`, the recording is kept in (and taken from) its build cache,
    so later processes need neither svglib nor lxml. Its `warnings` name each reference
    to another file that is not drawn; they are worked out from the file's text, on a
    cache hit too."""
    stat = path.stat()
    return _load_vector(path, stat.st_mtime_ns, stat.st_size, font, root)


@lru_cache(maxsize=16)
def _load_vector(path: Path, _mtime: int, size: int, font: str, root: Path | None) -> Vector:
    found = references(path, root, size)
    # The files an SVG draws from are part of its picture: a changed one, or a missing
    # one that appears, is a new recording.
    parts = (path, font, *found.files, *found.refused)
    vector = cache.remembered(
        root,
        "svg",
        parts,
        lambda: _vector(path, size, font),
        # A recording that names picture files by path is not stored: the project may
        # move, and those files are drawn from where they are now.
        # Nor is one with notes: they come from reading the SVG, which a hit would skip.
        lambda vector: (
            vector.recording.to_json()
            if vector.recording and not found.files and not vector.notes
            else None
        ),
        _stored_vector,
    )
    return replace(vector, warnings=found.warnings + vector.notes)


def _vector(path: Path, size: int, font: str) -> Vector:
    # svglib and ReportLab's renderer fail on some SVGs with whatever error their code
    # meets (a TypeError for an `<image href="#id">`, a ValueError for an infinite
    # size): every picture is drawn once here, so that such a file is an error at the
    # spec's line before anything is written.
    try:
        drawing, notes = _read_svg(path, size)
        width, height = float(drawing.width), float(drawing.height)
        try:
            recording = record(lambda c: draw_svg(drawing, c, 0, 0, font), width, height)
        except AttributeError:  # needs canvas state the recorder does not carry
            _trial(lambda canvas: draw_svg(drawing, canvas, 0, 0, font))
            return Vector(width, height, None, drawing, font, notes=_notes(path, notes))
        _trial(lambda canvas: recording.replay(canvas, 0, 0))  # numbers a PDF can hold
    except SpecError:
        raise
    except Exception as exc:
        raise _undrawable(path, exc) from None
    return Vector(width, height, recording, notes=_notes(path, notes))


def _notes(path: Path, notes: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(
        f"the SVG '{path.name}' has something the SVG reader could not draw as written: "
        f"{note[:200]} (open it in a drawing program and save it again as plain SVG, or use "
        "a PNG)"
        for note in notes
    )


def _trial(draw: Callable[[Any], None]) -> None:
    from reportlab.pdfgen.canvas import Canvas

    draw(Canvas(io.BytesIO()))


def _undrawable(path: Path, exc: Exception) -> SpecError:
    detail = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    if "_fp_" in detail:  # ReportLab's number formatter, on inf or nan
        detail = "a size or position in it is too large to be a number in a PDF"
    return SpecError(
        f"cannot draw the SVG '{path.name}': {detail}",
        hint="open it in a drawing program and save it again as plain SVG, or use a PNG",
    )


def _stored_vector(data: bytes) -> Vector:
    recording = Recording.from_json(data)
    return Vector(recording.width, recording.height, recording)


def _load_svg(path: Path, size: int) -> Any:
    """A ReportLab Drawing from an SVG file, parsed without entities or network access."""
    return _read_svg(path, size)[0]


def _read_svg(path: Path, size: int) -> tuple[Any, tuple[str, ...]]:
    """The drawing, and what svglib said it could not draw as written."""
    from lxml import etree
    from svglib.svglib import SvgRenderer

    if size > 5_000_000:
        raise SpecError(f"SVG file '{path.name}' is larger than 5 MB")
    parser = etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        huge_tree=False,
        remove_comments=True,
    )
    try:
        root = etree.parse(str(path), parser).getroot()
    except etree.XMLSyntaxError as exc:
        raise SpecError(f"cannot read SVG '{path.name}': {exc}") from None
    # References to other files may not leave the SVG's own folder. svglib logs the
    # ones it refuses, unlocated, on stderr; `references` reports them as warnings.
    with _svglib_notes() as notes:
        drawing = SvgRenderer(str(path), external_reference_root=str(path.parent)).render(root)
    return drawing, tuple(notes)


class _Notes(logging.Filter):
    """Keeps what svglib logs (a colour or unit it cannot read, a shape it skips)
    instead of letting it reach the terminal raw and unlocated: each becomes a warning
    at the spec line showing the picture. Its refusals of other files are reported
    from the SVG's text already (see :mod:`factsheet.svgrefs`)."""

    def __init__(self) -> None:
        super().__init__()
        self.notes: list[str] = []

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if not message.startswith("Refusing ") and message not in self.notes:
            self.notes.append(message)
        return False


@contextmanager
def _svglib_notes() -> Iterator[list[str]]:
    logger = logging.getLogger("svglib.svglib")
    notes = _Notes()
    logger.addFilter(notes)
    try:
        yield notes.notes
    finally:
        logger.removeFilter(notes)


def draw_svg(drawing: Any, canvas: Any, x: float, y: float, font: str) -> None:
    """Draw an SVG drawing. ReportLab's graphics renderer starts every drawing by
    selecting its default font (base-14 Helvetica), which would then be listed in the
    PDF; point that default at a registered TrueType font for the duration instead."""
    from reportlab.graphics import renderPDF, shapes

    saved = shapes.STATE_DEFAULTS["fontName"]
    shapes.STATE_DEFAULTS["fontName"] = font
    try:
        renderPDF.draw(drawing, _ImagesAsObjects(canvas), x, y)
    finally:
        shapes.STATE_DEFAULTS["fontName"] = saved


class _ImagesAsObjects:
    """A canvas on which the graphics renderer's inline images (the pictures an SVG
    embeds) are drawn as image objects. An inline image is written into the page's
    text stream, which fails on binary image data (the PDF's streams are not ASCII85
    encoded, see :func:`factsheet.render.pdf.render_pdf`); an image object is also
    stored once however often it is drawn."""

    def __init__(self, canvas: Any) -> None:
        object.__setattr__(self, "_canvas", canvas)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._canvas, name)

    def __setattr__(self, name: str, value: Any) -> None:
        setattr(self._canvas, name, value)

    def drawInlineImage(
        self, image: Any, x: float, y: float, width: float, height: float, **_: Any
    ) -> None:
        if not isinstance(image, str):  # a PIL image, from an embedded `data:` picture
            from reportlab.lib.utils import ImageReader

            image = ImageReader(image)
        self._canvas.drawImage(image, x, y, width, height, mask="auto")
