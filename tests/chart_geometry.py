"""Reading a chart's recording back as geometry: the box of every piece of text it
draws, in figure points, from the recorded canvas calls (translate, rotate, setFont,
drawString) and ReportLab's font metrics, so tests can check that no two labels touch
and that nothing leaves the figure."""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from reportlab.pdfbase.pdfmetrics import getAscentDescent, stringWidth

from factsheet.render.recording import Recording

Matrix = tuple[float, float, float, float, float, float]
IDENTITY: Matrix = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)


@dataclass(frozen=True)
class TextBox:
    text: str
    font: str
    left: float
    bottom: float
    right: float
    top: float

    def overlaps(self, other: TextBox, slack: float = 0.25) -> bool:
        return (
            self.left < other.right - slack
            and other.left < self.right - slack
            and self.bottom < other.top - slack
            and other.bottom < self.top - slack
        )

    def inside(self, width: float, height: float, slack: float = 0.25) -> bool:
        return (
            self.left >= -slack
            and self.bottom >= -slack
            and self.right <= width + slack
            and self.top <= height + slack
        )


def _times(m: Matrix, n: Matrix) -> Matrix:
    """m · n, matrices as PDF writes them ([a b c d e f])."""
    a, b, c, d, e, f = m
    p, q, r, s, t, u = n
    return (
        p * a + q * c,
        p * b + q * d,
        r * a + s * c,
        r * b + s * d,
        t * a + u * c + e,
        t * b + u * d + f,
    )


def _apply(m: Matrix, x: float, y: float) -> tuple[float, float]:
    a, b, c, d, e, f = m
    return a * x + c * y + e, b * x + d * y + f


def text_boxes(recording: Recording) -> list[TextBox]:
    """Every string the recording draws, as an axis-aligned box in figure points (the
    font's ascent to its descent, its advance width across)."""
    return list(_boxes(recording.ops))


def _boxes(ops: Any) -> Iterator[TextBox]:
    stack: list[tuple[Matrix, tuple[str, float] | None]] = []
    matrix, font = IDENTITY, None
    for name, args, _ in ops:
        if name == "saveState":
            stack.append((matrix, font))
        elif name == "restoreState":
            matrix, font = stack.pop()
        elif name == "translate":
            matrix = _times(matrix, (1, 0, 0, 1, float(args[0]), float(args[1])))
        elif name == "rotate":
            angle = math.radians(float(args[0]))
            cos, sin = math.cos(angle), math.sin(angle)
            matrix = _times(matrix, (cos, sin, -sin, cos, 0, 0))
        elif name == "transform":
            matrix = _times(matrix, tuple(float(v) for v in args))  # type: ignore[arg-type]
        elif name == "setFont":
            font = (str(args[0]), float(args[1]))
        elif name == "drawString" and font is not None:
            x, y, text = float(args[0]), float(args[1]), str(args[2])
            width = stringWidth(text, *font)
            ascent, descent = getAscentDescent(*font)
            corners = [
                _apply(matrix, x + dx, y + dy) for dx in (0, width) for dy in (descent, ascent)
            ]
            xs, ys = [p[0] for p in corners], [p[1] for p in corners]
            yield TextBox(text, font[0], min(xs), min(ys), max(xs), max(ys))


def overlapping(boxes: list[TextBox]) -> list[tuple[TextBox, TextBox]]:
    """Every pair of text boxes that overlap."""
    return [
        (one, two) for n, one in enumerate(boxes) for two in boxes[n + 1 :] if one.overlaps(two)
    ]


def recordings(rendered: Any) -> list[Recording]:
    """The chart recordings placed on a rendered factsheet's pages, in reading order."""
    found: list[Recording] = []

    def walk(flowable: Any) -> None:
        recording = getattr(flowable, "recording", None)
        if isinstance(recording, Recording) and flowable.__class__.__name__ == "FigureFlowable":
            found.append(recording)
        for child in getattr(flowable, "content", None) or ():
            walk(child)

    for page in rendered.layout.pages:
        for placement in page.placements:
            walk(placement.flowable)
    return found


@dataclass(frozen=True)
class Drawn:
    """A path a recording draws: its points in figure points (before any transform, as
    matplotlib's backend gives them), whether it is filled or stroked, and the colour
    and line width it is painted with."""

    points: tuple[tuple[float, float], ...]
    fill: str | None
    stroke: str | None
    width: float

    @property
    def box(self) -> tuple[float, float, float, float]:
        xs, ys = [p[0] for p in self.points], [p[1] for p in self.points]
        return min(xs), min(ys), max(xs), max(ys)


def _hex(args: Any) -> str:
    return "#" + "".join(f"{round(float(a) * 255):02X}" for a in args)


def drawn_paths(recording: Recording) -> list[Drawn]:
    """Every path the recording fills or strokes (clipping paths left out)."""
    found: list[Drawn] = []
    stack: list[tuple[str, str, float]] = []
    fill, stroke, width = "#000000", "#000000", 1.0
    for name, args, options in recording.ops:
        if name == "saveState":
            stack.append((fill, stroke, width))
        elif name == "restoreState":
            fill, stroke, width = stack.pop()
        elif name == "setFillColorRGB":
            fill = _hex(args)
        elif name == "setStrokeColorRGB":
            stroke = _hex(args)
        elif name == "setLineWidth":
            width = float(args[0])
        elif name == "drawPath":
            numbers = [float(t) for t in args[0].getCode().split() if _is_number(t)]
            points = tuple(zip(numbers[0::2], numbers[1::2], strict=False))
            found.append(
                Drawn(
                    points,
                    fill if options.get("fill") else None,
                    stroke if options.get("stroke") else None,
                    width,
                )
            )
    return found


def text_colours(recording: Recording) -> dict[str, str]:
    """The fill colour each string is drawn in (the last one, for a repeated string)."""
    found: dict[str, str] = {}
    stack: list[str] = []
    fill = "#000000"
    for name, args, _ in recording.ops:
        if name == "saveState":
            stack.append(fill)
        elif name == "restoreState":
            fill = stack.pop()
        elif name == "setFillColorRGB":
            fill = _hex(args)
        elif name == "drawString":
            found[str(args[2])] = fill
    return found


def _is_number(token: str) -> bool:
    try:
        float(token)
    except ValueError:
        return False
    return True
