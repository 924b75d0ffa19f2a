"""A chart drawn once and replayed anywhere. :class:`RecordingCanvas` stands in for a
ReportLab canvas while matplotlib draws a figure through
:mod:`factsheet.charts.rlbackend`, keeping each drawing call; :class:`Recording` then
replays those calls on a real canvas at any position. Drawing becomes a build-time
step: the figure can be reused for the next chart at once, and an unchanged chart is
replayed in every edition without being drawn again."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from reportlab.pdfgen.pathobject import PDFPathObject

if TYPE_CHECKING:  # replaying a stored recording must not import matplotlib
    from matplotlib.figure import Figure

    from factsheet.charts.rlbackend import FontResolver

Op = tuple[str, tuple[Any, ...], dict[str, Any]]

# The canvas methods the renderer calls; anything else is a programming error and fails
# loudly (AttributeError) instead of being silently dropped from the chart.
_RECORDED = frozenset(
    [
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

    def beginPath(self) -> PDFPathObject:
        return PDFPathObject()

    def __getattr__(self, name: str) -> Callable[..., None]:
        if name not in _RECORDED:
            raise AttributeError(f"RecordingCanvas does not record '{name}'")

        def record(*args: Any, **kwargs: Any) -> None:
            self.ops.append((name, args, kwargs))

        return record


@dataclass(frozen=True)
class Recording:
    """A figure's drawing calls, replayable on any ReportLab canvas."""

    ops: tuple[Op, ...]
    width: float
    height: float

    def replay(self, canvas: Any, x: float = 0.0, y: float = 0.0) -> None:
        canvas.saveState()
        canvas.translate(x, y)
        for name, args, kwargs in self.ops:
            getattr(canvas, name)(*args, **kwargs)
        canvas.restoreState()

    def to_json(self) -> bytes | None:
        """The recording as JSON, for the build cache; None if it holds an image
        (kept out of the cache: images are rare in charts and costly to store)."""
        ops = []
        for name, args, kwargs in self.ops:
            if name == "drawImage":
                return None
            ops.append([name, [_plain(a) for a in args], kwargs])
        return json.dumps({"w": self.width, "h": self.height, "ops": ops}).encode()

    @classmethod
    def from_json(cls, data: bytes) -> Recording:
        """A recording stored by :meth:`to_json`. Only the recorded canvas methods are
        accepted: a damaged or foreign entry raises ValueError, never calls anything."""
        stored = json.loads(data)
        ops: list[Op] = []
        for name, args, kwargs in stored["ops"]:
            if name not in _RECORDED or not isinstance(kwargs, dict):
                raise ValueError(f"not a recorded drawing call: {name!r}")
            ops.append((name, tuple(_object(a) for a in args), kwargs))
        return cls(tuple(ops), float(stored["w"]), float(stored["h"]))


def _plain(arg: Any) -> Any:
    if isinstance(arg, PDFPathObject):
        return {"path": arg.getCode()}
    if isinstance(arg, tuple | list):
        return [_plain(a) for a in arg]
    return arg


def _object(arg: Any) -> Any:
    if isinstance(arg, dict):
        return PDFPathObject(code=[str(arg["path"])])
    return arg


def record_figure(fig: Figure, fonts: FontResolver) -> Recording:
    """Draw `fig` into a recording."""
    from factsheet.charts.rlbackend import draw_figure

    canvas = RecordingCanvas()
    draw_figure(canvas, fig, 0.0, 0.0, fonts)
    width, height = (float(v) * 72 for v in fig.get_size_inches())
    return Recording(tuple(canvas.ops), width, height)
