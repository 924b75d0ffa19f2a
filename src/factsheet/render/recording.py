"""Drawings made once and replayed anywhere. :class:`RecordingCanvas` stands in for a
ReportLab canvas while matplotlib draws a chart (through
:mod:`factsheet.charts.rlbackend`) or ReportLab's graphics renderer draws an SVG,
keeping each drawing call; :class:`Recording` then replays those calls on a real canvas
at any position. Drawing becomes a build-time step: a matplotlib figure can be reused
for the next chart at once, an unchanged drawing is replayed in every edition, and a
recording stored as JSON in the build cache spares the next process from importing
matplotlib or svglib at all."""

from __future__ import annotations

import json
import numbers
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from reportlab.lib.colors import Color
from reportlab.pdfgen.pathobject import PDFPathObject

if TYPE_CHECKING:  # replaying a stored recording must not import matplotlib
    from matplotlib.figure import Figure

    from factsheet.charts.rlbackend import FontResolver

Op = tuple[str, tuple[Any, ...], dict[str, Any]]

_ATTRIBUTES = frozenset(["_fillMode"])  # canvas attributes set, not methods called
_PRINTED = "printed"  # not a drawing call: where a value label was set (see render.boxes)
_NOT_CALLED = _ATTRIBUTES | {_PRINTED}  # replayed otherwise than as a canvas method
_UNSET = object()

# The canvas methods the renderers call. Anything else (a state read such as the current
# font, a text object) fails loudly with AttributeError instead of being silently dropped;
# an SVG that needs it is then drawn directly rather than recorded.
_RECORDED = frozenset(
    [
        "setFillColor",
        "setStrokeColor",
        "setFillOverprint",
        "setStrokeOverprint",
        "setOverprintMask",
        "rect",
        "roundRect",
        "line",
        "circle",
        "ellipse",
        "saveState",
        "restoreState",
        "translate",
        "rotate",
        "scale",
        "transform",
        "setDash",
        "setLineCap",
        "setLineJoin",
        "setLineWidth",
        "setFillAlpha",
        "setStrokeAlpha",
        "setFillColorRGB",
        "setStrokeColorRGB",
        "setFont",
        "drawString",
        "drawPath",
        "clipPath",
        "drawImage",
    ]
)


class RecordingCanvas:
    """Records the drawing calls made on it, in order."""

    def __init__(self) -> None:
        self.ops: list[Op] = []
        # The graphics renderer reads the current font back (when a shape changes only
        # its name or its size): the last one set, or this marker before any is set.
        object.__setattr__(self, "_fontname", _UNSET)
        object.__setattr__(self, "_fontsize", _UNSET)

    def __setattr__(self, name: str, value: Any) -> None:
        # ReportLab's graphics renderer sets the fill rule as an attribute: recorded as
        # a step of its own. Any other attribute would be canvas state we cannot carry.
        if name in _ATTRIBUTES:
            self.ops.append((name, (value,), {}))
        elif name != "ops":
            raise AttributeError(f"RecordingCanvas does not record setting '{name}'")
        object.__setattr__(self, name, value)

    def beginPath(self) -> PDFPathObject:
        return PDFPathObject()

    def printed(self, key: tuple[Any, ...], box: tuple[float, float, float, float]) -> None:
        """Where a value label was set, in the current coordinates (see render.boxes):
        recorded, and handed to the page's recorder when replayed."""
        self.ops.append((_PRINTED, (list(key), list(box)), {}))

    def __getattr__(self, name: str) -> Callable[..., None]:
        if name not in _RECORDED:
            raise AttributeError(f"RecordingCanvas does not record '{name}'")

        def record(*args: Any, **kwargs: Any) -> None:
            if name == "setFont":
                if _UNSET in args[:2]:  # it used the font of whatever canvas it is on
                    raise AttributeError("RecordingCanvas cannot know the current font")
                object.__setattr__(self, "_fontname", args[0])
                object.__setattr__(self, "_fontsize", args[1])
            self.ops.append((name, args, kwargs))

        return record


@dataclass(frozen=True)
class Recording:
    """A figure's drawing calls, replayable on any ReportLab canvas."""

    ops: tuple[Op, ...]
    width: float
    height: float

    def replay(self, canvas: Any, x: float = 0.0, y: float = 0.0) -> None:
        """Draw the recording. On a tagged canvas its text (a chart's ticks and labels)
        is an artifact: the figure's alt text says what they say."""
        from factsheet.render.boxes import recorder_of
        from factsheet.render.tagger import tagger_of

        tagger = tagger_of(canvas)
        recorder = recorder_of(canvas)
        canvas.saveState()
        canvas.translate(x, y)
        for name, args, kwargs in self.ops:
            if name in _NOT_CALLED:
                if name != _PRINTED:
                    setattr(canvas, name, *args)
                elif recorder is not None:
                    key, box = args
                    recorder.add(canvas, tuple(key), (box[0], box[1], box[2], box[3]))
            elif name == "drawString" and tagger is not None:
                with tagger.artifact():
                    canvas.drawString(*args, **kwargs)
            else:
                getattr(canvas, name)(*args, **kwargs)
        canvas.restoreState()

    def to_json(self) -> bytes | None:
        """The recording as JSON, for the build cache; None if it holds something JSON
        cannot carry, such as an image (rare in charts, and costly to store)."""
        try:
            ops = [[name, _plain(args), _plain(kwargs)] for name, args, kwargs in self.ops]
        except _Unstorable:
            return None
        return json.dumps({"w": self.width, "h": self.height, "ops": ops}).encode()

    @classmethod
    def from_json(cls, data: bytes) -> Recording:
        """A recording stored by :meth:`to_json`. Only the recorded canvas methods are
        accepted: a damaged or foreign entry raises ValueError, never calls anything."""
        stored = json.loads(data)
        ops: list[Op] = []
        for name, args, kwargs in stored["ops"]:
            if name not in _RECORDED | _NOT_CALLED or not isinstance(kwargs, dict):
                raise ValueError(f"not a recorded drawing call: {name!r}")
            ops.append(
                (name, tuple(_object(a) for a in args), {k: _object(v) for k, v in kwargs.items()})
            )
        return cls(tuple(ops), float(stored["w"]), float(stored["h"]))


class _Unstorable(Exception):
    pass


def _plain(arg: Any) -> Any:
    if arg is None or type(arg) in (bool, int, float, str):
        return arg
    if isinstance(arg, tuple | list):
        return [_plain(a) for a in arg]
    if isinstance(arg, dict):
        return {str(k): _plain(v) for k, v in arg.items()}
    if type(arg) is PDFPathObject:
        return {"path": arg.getCode()}
    if type(arg) is Color:  # not a subclass: CMYK colours would lose their model
        return {"color": [arg.red, arg.green, arg.blue, arg.alpha]}
    if isinstance(arg, float):  # NumPy floats
        return float(arg)
    if isinstance(arg, numbers.Integral):  # NumPy integers
        return int(arg)
    raise _Unstorable(type(arg).__name__)


def _object(arg: Any) -> Any:
    if isinstance(arg, dict):
        if "path" in arg:
            return PDFPathObject(code=[str(arg["path"])])
        red, green, blue, alpha = (float(v) for v in arg["color"])
        return Color(red, green, blue, alpha)
    if isinstance(arg, list):
        return [_object(a) for a in arg]
    return arg


def record(draw: Callable[[Any], None], width: float, height: float) -> Recording:
    """Record what `draw(canvas)` draws. Raises AttributeError if it needs more than
    drawing calls (see ``_RECORDED``)."""
    canvas = RecordingCanvas()
    draw(canvas)
    return Recording(tuple(canvas.ops), width, height)


def record_figure(fig: Figure, fonts: FontResolver, rtl: bool = False) -> Recording:
    """Draw `fig` into a recording; `rtl`: its labels with right-to-left text are set
    right to left (see charts.rlbackend)."""
    from factsheet.charts.rlbackend import draw_figure

    canvas = RecordingCanvas()
    draw_figure(canvas, fig, 0.0, 0.0, fonts, rtl=rtl)
    width, height = (float(v) * 72 for v in fig.get_size_inches())
    return Recording(tuple(canvas.ops), width, height)
