"""Geometry as pure functions on numbers, in PDF points with the origin at the bottom
left. Nothing here imports ReportLab or draws: page and column rectangles, photo crop
boxes and target pixel sizes are computed first, then handed to the drawing code."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

PAPER_SIZES: dict[str, tuple[float, float]] = {
    "A4": (595.2756, 841.8898),
    "Letter": (612.0, 792.0),
}


@dataclass(frozen=True)
class Rect:
    x: float
    y: float
    width: float
    height: float

    @property
    def top(self) -> float:
        return self.y + self.height

    @property
    def right(self) -> float:
        return self.x + self.width


@dataclass(frozen=True)
class Margins:
    top: float
    bottom: float
    left: float
    right: float


def content_rect(paper: tuple[float, float], margins: Margins) -> Rect:
    """The area inside the margins."""
    width, height = paper
    return Rect(
        margins.left,
        margins.bottom,
        width - margins.left - margins.right,
        height - margins.top - margins.bottom,
    )


def split_columns(area: Rect, count: int, gap: float, rtl: bool = False) -> tuple[Rect, ...]:
    """`count` equal columns across `area`, separated by `gap`, in reading order: the
    first is the leftmost, or the rightmost when the page reads right to left."""
    width = (area.width - gap * (count - 1)) / count
    columns = tuple(
        Rect(area.x + i * (width + gap), area.y, width, area.height) for i in range(count)
    )
    return columns[::-1] if rtl else columns


def mirrored_x(x: float, width: float, within: Rect) -> float:
    """The left edge of a box `width` wide at `x`, reflected across `within`'s centre
    line: the same distance from the right edge as it had from the left."""
    return within.x + within.right - x - width


def largest_gap(
    spans: Iterable[tuple[float, float]], low: float, high: float
) -> tuple[float, float]:
    """The tallest stretch of [low, high] that no (bottom, top) span covers, as
    (bottom, top); (low, low) when there is none."""
    best = (low, low)
    reached = high  # everything above this is covered (or outside)
    for bottom, top in sorted(spans, key=lambda span: -span[1]):
        top, bottom = min(top, high), max(bottom, low)
        if top < bottom:
            continue  # wholly outside
        if reached - top > best[1] - best[0]:
            best = (top, reached)
        reached = min(reached, bottom)
    if reached - low > best[1] - best[0]:
        best = (low, reached)
    return best


def crop_box(
    image: tuple[int, int], frame: tuple[float, float], focus: tuple[float, float]
) -> tuple[int, int, int, int]:
    """The largest box of the frame's aspect ratio inside `image`, centred on `focus`
    (fractions from the top left) as far as the image's edges allow. Returns
    (left, top, right, bottom) in pixels, as Pillow's `crop` takes them."""
    img_w, img_h = image
    frame_w, frame_h = frame
    aspect = frame_w / frame_h
    if img_w / img_h > aspect:
        box_w, box_h = round(img_h * aspect), img_h
    else:
        box_w, box_h = img_w, round(img_w / aspect)
    left = _clamp(round(focus[0] * img_w - box_w / 2), 0, img_w - box_w)
    top = _clamp(round(focus[1] * img_h - box_h / 2), 0, img_h - box_h)
    return left, top, left + box_w, top + box_h


def target_pixels(
    printed: tuple[float, float], available: tuple[int, int], ppi: float
) -> tuple[int, int]:
    """Pixel size for an image printed at `printed` points: `ppi` at that size, never
    upsampled beyond the pixels `available`."""
    want_w = max(1, round(printed[0] / 72 * ppi))
    want_h = max(1, round(printed[1] / 72 * ppi))
    scale = min(1.0, available[0] / want_w, available[1] / want_h)
    return max(1, round(want_w * scale)), max(1, round(want_h * scale))


def _clamp(value: int, low: int, high: int) -> int:
    return max(low, min(high, value))
