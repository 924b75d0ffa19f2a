"""A matplotlib renderer that paints a `Figure` straight onto a ReportLab canvas: paths
become PDF path operators, images become image XObjects, and text is set as real PDF
text in TrueType fonts registered with `reportlab.pdfbase.pdfmetrics`, measured with the
same metrics so that matplotlib lays out exactly what is drawn. It owns only the
translation from matplotlib's drawing calls to ReportLab; which registered font a
matplotlib family maps to is the caller's `FontResolver`, and building the figure is the
caller's job. Not supported: hatches, Gouraud shading, mathtext (printed literally)."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import Literal, cast

import matplotlib as mpl
import numpy as np
import numpy.typing as npt
from matplotlib.backend_bases import FigureCanvasBase, GraphicsContextBase, RendererBase
from matplotlib.colors import to_rgba
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties
from matplotlib.path import Path
from matplotlib.text import Text
from matplotlib.transforms import Affine2DBase, Transform
from matplotlib.typing import ColorType
from PIL import Image
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import FILL_NON_ZERO, Canvas
from reportlab.pdfgen.pathobject import PDFPathObject

from factsheet.charts.plot import VALUE_GID
from factsheet.layout import bidi
from factsheet.layout.bidi import has_rtl
from factsheet.layout.scripts import drawn_pieces, drawn_width

FontResolver = Callable[[FontProperties], str]
"""Maps a matplotlib font (family, weight, style) to the name of a registered TTFont."""

Segments = list[tuple[np.ndarray, int]]

_JOINS = {"miter": 0, "round": 1, "bevel": 2}
_CAPS = {"butt": 0, "round": 1, "projecting": 2}
# matplotlib's own PDF backend keeps a 1.2 line spacing for multi-line text this way.
_LINE_GAP = 0.2
_DPI = 72.0


def draw_figure(
    canvas: Canvas,
    fig: Figure,
    x: float,
    y: float,
    fonts: FontResolver,
    *,
    image_dpi: float = 150.0,
    rtl: bool = False,
) -> None:
    """Draw `fig` with its lower-left corner at (x, y) in points on the ReportLab canvas.

    The figure's size in inches * 72 is its size in points (the caller sets the size).
    The figure's dpi is set to 72 for the duration of the call, so one display unit is
    one point, and restored afterwards, as is its canvas. Images (imshow) are resampled
    at `image_dpi`. Anything outside the figure's box is clipped away. A canvas made
    without ``initialFontName`` lists base-14 Helvetica on every page by itself, so
    callers wanting a Helvetica-free PDF should create it with their own TTF there.
    With `rtl` (a page read right to left), text holding right-to-left letters is set
    in visual order and shaped, as paragraphs are (see factsheet.layout.bidi).
    """
    original_dpi, original_canvas = fig.dpi, fig.canvas
    width, height = (float(v) * _DPI for v in fig.get_size_inches())
    renderer = RLRenderer(canvas, width, height, fonts, image_dpi=image_dpi, rtl=rtl)
    # Swap the canvas first: changing dpi on a canvas with a GUI manager resizes its
    # window, and ours has none.
    _RLFigureCanvas(fig, renderer)
    try:
        fig.dpi = _DPI
        canvas.saveState()
        try:
            canvas.translate(x, y)
            _clip_to(canvas, _rect_path(canvas, 0.0, 0.0, width, height))
            fig.draw(renderer)
        finally:
            canvas.restoreState()
    finally:
        fig.dpi = original_dpi
        fig.set_canvas(original_canvas)


class _RLFigureCanvas(FigureCanvasBase):
    # Layout engines (constrained/tight) ask the figure's canvas for a renderer to
    # measure text with; handing them ours keeps their measurements in our fonts.
    def __init__(self, figure: Figure, renderer: RLRenderer) -> None:
        self._renderer = renderer
        super().__init__(figure)

    def get_renderer(self) -> RLRenderer:
        return self._renderer


class RLRenderer(RendererBase):
    """Renders matplotlib drawing calls onto a ReportLab canvas, 1 display unit = 1 pt.

    Coordinates are the figure's own (origin lower left, y up); `draw_figure` moves the
    canvas origin to the figure's corner before drawing.
    """

    def __init__(
        self,
        canvas: Canvas,
        width: float,
        height: float,
        fonts: FontResolver,
        *,
        image_dpi: float = 150.0,
        rtl: bool = False,
    ) -> None:
        super().__init__()
        # Text holding right-to-left letters is reordered and shaped (layout.bidi) on
        # a page read right to left; elsewhere it is drawn as given, as before.
        self._bidi = rtl
        self.canvas = canvas
        self.width = width
        self.height = height
        self._fonts = fonts
        # Per face, the fonts its text is set in run by run (a Latin name inside
        # Chinese labels); a resolver without chains sets each text in one font.
        self._chains: Mapping[str, tuple[str, ...]] = dict(getattr(fonts, "chains", None) or {})
        self._image_dpi = image_dpi
        self._font_names: dict[tuple[object, ...], str] = {}

    # --- matplotlib renderer API -------------------------------------------------

    def flipy(self) -> bool:
        return False

    def get_canvas_width_height(self) -> tuple[float, float]:
        return self.width, self.height

    def points_to_pixels(self, points: npt.ArrayLike) -> npt.ArrayLike:
        # draw_figure pins the figure at 72 dpi, so a display unit is a point.
        return points

    def new_gc(self) -> GraphicsContextBase:
        return GraphicsContextBase()

    def option_image_nocomposite(self) -> bool:
        return not bool(mpl.rcParams["image.composite_image"])

    def option_scale_image(self) -> bool:
        return True

    def get_image_magnification(self) -> float:
        return self._image_dpi / _DPI

    def draw_path(
        self,
        gc: GraphicsContextBase,
        path: Path,
        transform: Transform,
        rgbFace: ColorType | None = None,
    ) -> None:
        fill, stroke = self._paint_flags(gc, rgbFace)
        if not (fill or stroke):
            return
        # Like matplotlib's PDF backend: simplify and clip only outlines, since cutting
        # a filled shape at the page edge would change what it encloses.
        clip = None if fill else (0.0, 0.0, self.width, self.height)
        simplify = path.should_simplify and not fill
        segments = path.iter_segments(
            transform, clip=clip, simplify=simplify, curves=True, sketch=gc.get_sketch_params()
        )
        rl_path = _to_rl_path(self.canvas, segments)
        with self._state(gc):
            translucent = self._set_paint(gc, rgbFace, fill, stroke)
            _paint(self.canvas, rl_path, fill, stroke, translucent)

    def draw_markers(
        self,
        gc: GraphicsContextBase,
        marker_path: Path,
        marker_trans: Transform,
        path: Path,
        trans: Transform,
        rgbFace: ColorType | None = None,
    ) -> None:
        # One saved state and one colour set-up for all markers instead of one per
        # marker (the base class calls draw_path for each).
        fill, stroke = self._paint_flags(gc, rgbFace)
        if not (fill or stroke):
            return
        marker: Segments = [
            (verts.copy(), int(code))
            for verts, code in marker_path.iter_segments(marker_trans, simplify=False)
        ]
        with self._state(gc):
            translucent = self._set_paint(gc, rgbFace, fill, stroke)
            for verts, _code in path.iter_segments(trans, simplify=False):
                if not len(verts):
                    continue
                ox, oy = float(verts[-2]), float(verts[-1])
                if not (np.isfinite(ox) and np.isfinite(oy)):
                    continue
                rl_path = _to_rl_path(self.canvas, marker, ox, oy)
                _paint(self.canvas, rl_path, fill, stroke, translucent)

    def draw_image(
        self,
        gc: GraphicsContextBase,
        x: float,
        y: float,
        im: npt.ArrayLike,
        transform: Affine2DBase | None = None,
    ) -> None:
        # matplotlib hands rows bottom-up (display y grows upwards); PDF images run
        # top-down, as matplotlib's own PDF and PS backends also flip.
        pixels = np.asarray(im, dtype=np.uint8)[::-1]
        rows, cols = pixels.shape[:2]
        if rows == 0 or cols == 0:
            return
        reader = ImageReader(_pil_image(pixels))
        with self._state(gc):
            self.canvas.translate(x, y)
            if transform is None:
                scale = self.get_image_magnification()
                w, h = cols / scale, rows / scale
            else:
                # Unresampled data arrives with a transform that maps the unit square
                # onto the image's place; alpha was not composited into it yet.
                self.canvas.transform(*transform.frozen().to_values())
                w = h = 1.0
                if gc.get_alpha() < 1.0:
                    self.canvas.setFillAlpha(gc.get_alpha())
            self.canvas.drawImage(reader, 0, 0, w, h, mask="auto")

    def _pieces(self, s: str, name: str) -> tuple[tuple[str, str], ...]:
        """A label's (font, text) runs: one run, or one per font of its script's chain."""
        return drawn_pieces(s, name, self._chains.get(name, ()))

    def draw_text(
        self,
        gc: GraphicsContextBase,
        x: float,
        y: float,
        s: str,
        prop: FontProperties,
        angle: float,
        ismath: bool | Literal["TeX"] = False,
        mtext: Text | None = None,
    ) -> None:
        # `ismath` is ignored on purpose: labels come from data, so "$5 and $6" is
        # printed as written rather than parsed as mathtext.
        r, g, b, a = gc.get_rgb()
        with self._state(gc):
            self.canvas.setFillColorRGB(r, g, b)
            if a < 1.0:
                self.canvas.setFillAlpha(a)
            self.canvas.translate(x, y)
            if angle:
                self.canvas.rotate(angle)
            name, size = self._font_name(prop), prop.get_size_in_points()
            pieces = self._pieces(s, name)
            gid = mtext.get_gid() if mtext is not None else None
            if self._bidi and has_rtl(s):  # Arabic and the like: set as paragraphs are
                width = _draw_bidi(self.canvas, pieces, size)
            else:
                offset = 0.0
                for font, text in pieces:
                    self.canvas.setFont(font, size)
                    self.canvas.drawString(offset, 0, text)
                    if len(pieces) > 1 or gid:
                        offset += pdfmetrics.stringWidth(text, font, size)
                width = offset
            if gid and gid.startswith(VALUE_GID):  # a value label: where it printed it
                _printed(self.canvas, gid, width, pieces[0][0] if pieces else name, size)

    def draw_tex(
        self,
        gc: GraphicsContextBase,
        x: float,
        y: float,
        s: str,
        prop: FontProperties,
        angle: float,
        *,
        mtext: Text | None = None,
    ) -> None:
        # With usetex on, TeX would set the text as outlines; print it literally too.
        self.draw_text(gc, x, y, s, prop, angle, mtext=mtext)

    def get_text_width_height_descent(
        self, s: str, prop: FontProperties, ismath: bool | Literal["TeX"]
    ) -> tuple[float, float, float]:
        # Typographic ascent/descent rather than ink extents keeps every line of a
        # font at the same height, so tick labels share one baseline.
        name = self._font_name(prop)
        size = prop.get_size_in_points()
        # Measured as draw_text sets it: each run in its own font (a Chinese label
        # in the CJK font, not in the Latin face it was asked in), right-to-left text
        # shaped; the chart's frame measured its margins the same way.
        width = drawn_width(s, name, size, self._chains.get(name, ()), self._bidi)
        ascent, descent = pdfmetrics.getAscentDescent(name, size)
        return float(width), float(ascent - descent), float(-descent)

    def _get_font_height_metrics(self, prop: FontProperties) -> tuple[float, float, float]:
        # Private hook matplotlib's Text layout looks for (its PDF backend uses it);
        # without it the minimum line height comes from whatever font matplotlib's own
        # font manager picks, not from the font we draw with.
        ascent, descent = pdfmetrics.getAscentDescent(
            self._font_name(prop), prop.get_size_in_points()
        )
        return float(ascent), float(-descent), float(ascent - descent) * _LINE_GAP

    # --- helpers ---------------------------------------------------------------

    def _font_name(self, prop: FontProperties) -> str:
        key = (
            tuple(prop.get_family()),
            prop.get_style(),
            prop.get_weight(),
            prop.get_stretch(),
            prop.get_variant(),
        )
        name = self._font_names.get(key)
        if name is None:
            name = self._fonts(prop)
            # Refusing anything but an embedded TrueType font is what guarantees no
            # text ever falls back to base-14 Helvetica.
            try:
                font = pdfmetrics.getFont(name)
            except KeyError as exc:
                raise ValueError(f"font {name!r} is not registered with ReportLab") from exc
            if not isinstance(font, TTFont):
                raise ValueError(f"font {name!r} is not an embedded TrueType font")
            self._font_names[key] = name
        return name

    @contextmanager
    def _state(self, gc: GraphicsContextBase) -> Iterator[None]:
        # Every drawing call gets its own saved state: PDF clips can only shrink within
        # a state, and colours/dashes must not leak into the next artist.
        self.canvas.saveState()
        try:
            rect = gc.get_clip_rectangle()
            if rect is not None:
                x0, y0, w, h = rect.bounds
                _clip_to(self.canvas, _rect_path(self.canvas, x0, y0, w, h))
            clip_path, clip_trans = gc.get_clip_path()
            if clip_path is not None:
                # The stubs say TransformedPath; at run time it is the already
                # transformed Path, with clip_trans still to apply.
                segments = cast(Path, clip_path).iter_segments(clip_trans, curves=True)
                _clip_to(self.canvas, _to_rl_path(self.canvas, segments))
            yield
        finally:
            self.canvas.restoreState()

    def _paint_flags(self, gc: GraphicsContextBase, rgbFace: ColorType | None) -> tuple[bool, bool]:
        fill = rgbFace is not None and _fill_alpha(gc, rgbFace) > 0.0
        stroke = gc.get_linewidth() > 0.0 and gc.get_rgb()[3] > 0.0
        return fill, stroke

    def _set_paint(
        self, gc: GraphicsContextBase, rgbFace: ColorType | None, fill: bool, stroke: bool
    ) -> bool:
        """Set fill and stroke state; return whether either is translucent."""
        fill_alpha = stroke_alpha = 1.0
        if fill and rgbFace is not None:
            fill_alpha = self._set_fill(gc, rgbFace)
        if stroke:
            stroke_alpha = self._set_stroke(gc)
        return min(fill_alpha, stroke_alpha) < 1.0

    def _set_fill(self, gc: GraphicsContextBase, rgbFace: ColorType) -> float:
        r, g, b, _ = to_rgba(rgbFace)
        self.canvas.setFillColorRGB(r, g, b)
        alpha = _fill_alpha(gc, rgbFace)
        if alpha < 1.0:
            self.canvas.setFillAlpha(alpha)
        return alpha

    def _set_stroke(self, gc: GraphicsContextBase) -> float:
        canvas = self.canvas
        r, g, b, alpha = gc.get_rgb()
        canvas.setStrokeColorRGB(r, g, b)
        if alpha < 1.0:
            canvas.setStrokeAlpha(alpha)
        canvas.setLineWidth(gc.get_linewidth())
        canvas.setLineJoin(_JOINS[gc.get_joinstyle()])
        canvas.setLineCap(_CAPS[gc.get_capstyle()])
        offset, dashes = gc.get_dashes()
        if dashes is not None:
            pattern = [float(d) for d in np.atleast_1d(np.asarray(dashes, dtype=float))]
            if any(pattern):
                canvas.setDash(pattern, offset)
        return alpha


def _bidi_pieces(pieces: Sequence[tuple[str, str]], size: float) -> tuple[list[bidi.Placed], float]:
    """A label's (font, text) runs set right to left: shaped runs in visual order, each
    keyed by its font, and the label's width."""
    return bidi.set_line([(text, font, font, size) for font, text in pieces])


def _draw_bidi(canvas: Canvas, pieces: Sequence[tuple[str, str]], size: float) -> float:
    """A label holding right-to-left text, set right to left at the origin: its runs
    in visual order, each shaped in its own font (the width matplotlib measured is the
    same). Returns its width."""
    placed, width = _bidi_pieces(pieces, size)
    for run in placed:  # a shaped string is drawn glyph by glyph as HarfBuzz placed them
        canvas.setFont(str(run.piece), size)
        canvas.drawString(run.x, 0, run.glyphs.text)
    return width


def _printed(canvas: Canvas, gid: str, width: float, font: str, size: float) -> None:
    """Note the box of a value label just set at the origin, for the manifest: in the
    recording (replayed where the chart is placed), or on a canvas drawn directly."""
    from factsheet.render.boxes import recorder_of

    ascent, descent = pdfmetrics.getAscentDescent(font, size)
    box = (0.0, min(float(descent), 0.0), width, min(float(ascent), size))
    key = ("value", *json.loads(gid[len(VALUE_GID) :]))
    printed = getattr(canvas, "printed", None)
    if printed is not None:
        printed(key, box)
        return
    recorder = recorder_of(canvas)
    if recorder is not None:
        recorder.add(canvas, key, box)


def _fill_alpha(gc: GraphicsContextBase, rgbFace: ColorType) -> float:
    # An artist-level alpha overrides the face colour's own, as in matplotlib's backends.
    return gc.get_alpha() if gc.get_forced_alpha() else to_rgba(rgbFace)[3]


def _to_rl_path(
    canvas: Canvas,
    segments: Iterator[tuple[np.ndarray, np.uint8]] | Segments,
    dx: float = 0.0,
    dy: float = 0.0,
) -> PDFPathObject:
    """Convert matplotlib path segments, shifted by (dx, dy), to a ReportLab path."""
    rl_path = canvas.beginPath()
    start = current = (0.0, 0.0)
    for verts, code in segments:
        pts = [float(v) + (dy if i % 2 else dx) for i, v in enumerate(verts)]
        if code == Path.MOVETO:
            rl_path.moveTo(*pts[:2])
            start = current = (pts[0], pts[1])
        elif code == Path.LINETO:
            rl_path.lineTo(*pts[:2])
            current = (pts[0], pts[1])
        elif code == Path.CURVE3:
            # PDF has only cubic Béziers; raise the quadratic's degree exactly.
            (x0, y0), (cx, cy), (x3, y3) = current, pts[:2], pts[2:4]
            rl_path.curveTo(
                x0 + 2 / 3 * (cx - x0),
                y0 + 2 / 3 * (cy - y0),
                x3 + 2 / 3 * (cx - x3),
                y3 + 2 / 3 * (cy - y3),
                x3,
                y3,
            )
            current = (x3, y3)
        elif code == Path.CURVE4:
            rl_path.curveTo(*pts[:6])
            current = (pts[4], pts[5])
        elif code == Path.CLOSEPOLY:
            rl_path.close()
            current = start
    return rl_path


def _rect_path(canvas: Canvas, x: float, y: float, w: float, h: float) -> PDFPathObject:
    rl_path = canvas.beginPath()
    rl_path.rect(x, y, w, h)
    return rl_path


def _paint(
    canvas: Canvas, rl_path: PDFPathObject, fill: bool, stroke: bool, translucent: bool
) -> None:
    # matplotlib fills with the non-zero rule; ReportLab's default is even-odd.
    if fill and stroke and translucent:
        # A single fill-and-stroke operator knocks the stroke out of the fill in PDF,
        # whereas Agg composites them one over the other; paint twice to match Agg.
        canvas.drawPath(rl_path, stroke=0, fill=1, fillMode=FILL_NON_ZERO)
        canvas.drawPath(rl_path, stroke=1, fill=0, fillMode=FILL_NON_ZERO)
    else:
        canvas.drawPath(rl_path, stroke=int(stroke), fill=int(fill), fillMode=FILL_NON_ZERO)


def _clip_to(canvas: Canvas, rl_path: PDFPathObject) -> None:
    canvas.clipPath(rl_path, stroke=0, fill=0, fillMode=FILL_NON_ZERO)


def _pil_image(pixels: np.ndarray) -> Image.Image:
    # An opaque image needs no soft mask; dropping alpha keeps the PDF smaller.
    if pixels.shape[2] == 4 and bool((pixels[:, :, 3] == 255).all()):
        return Image.fromarray(np.ascontiguousarray(pixels[:, :, :3]))
    return Image.fromarray(np.ascontiguousarray(pixels))
