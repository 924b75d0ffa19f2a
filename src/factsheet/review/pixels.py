"""Pixel differences between two renderings of a page, and where they are. A pixel
has changed when any of its red, green or blue values differs by more than the
tolerance (0-255; `factsheet diff --tolerance`, default :data:`TOLERANCE`); a page has
changed when any pixel has. Changed pixels are grouped into regions: the page is cut
into cells of :data:`CELL` pixels, cells with a change that lie within :data:`JOIN`
cells of each other form one region (a changed number and its neighbour's changed
digit are one change, not two), and each region is its cells' bounding box. Pure
functions on images; the outlines are drawn on copies."""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np
    from PIL import Image

TOLERANCE = 16
"""Largest difference in a colour channel (of 255) that does not count as a change:
above anti-aliasing noise, far below any change of text, number or bar."""
CELL = 8
JOIN = 3
OUTLINE = (214, 39, 40)  # a strong red that reads on the blue-and-white pages
FADE = 0.55  # how much a page fades behind its outlined regions


@dataclass(frozen=True)
class Box:
    """A changed region in pixels: left, top, right, bottom (exclusive)."""

    left: int
    top: int
    right: int
    bottom: int


@dataclass(frozen=True)
class PixelDiff:
    changed: int
    """Pixels that differ beyond the tolerance."""
    total: int
    boxes: tuple[Box, ...]

    @property
    def share(self) -> float:
        return self.changed / self.total if self.total else 0.0


def compare(old: Image.Image, new: Image.Image, tolerance: int = TOLERANCE) -> PixelDiff:
    """How `new` differs from `old`; pages of different sizes differ everywhere."""
    import numpy as np

    if old.size != new.size:
        width, height = new.size
        return PixelDiff(width * height, width * height, (Box(0, 0, width, height),))
    a = np.asarray(old.convert("RGB"), dtype=np.int16)
    b = np.asarray(new.convert("RGB"), dtype=np.int16)
    mask = np.abs(a - b).max(axis=2) > tolerance
    changed = int(mask.sum())
    boxes = regions(mask) if changed else ()
    return PixelDiff(changed, int(mask.size), boxes)


def regions(mask: np.ndarray) -> tuple[Box, ...]:
    """The changed regions of a boolean mask, top to bottom, left to right."""
    import numpy as np

    height, width = mask.shape
    rows, cols = -(-height // CELL), -(-width // CELL)
    padded = np.zeros((rows * CELL, cols * CELL), dtype=bool)
    padded[:height, :width] = mask
    grid: np.ndarray = np.asarray(padded.reshape(rows, CELL, cols, CELL).any(axis=(1, 3)))
    seen = np.zeros_like(grid)
    boxes = []
    for row, col in zip(*np.nonzero(grid), strict=True):
        if not seen[row, col]:
            top, left, bottom, right = _component(grid, seen, int(row), int(col))
            boxes.append(
                Box(left * CELL, top * CELL, min(right * CELL, width), min(bottom * CELL, height))
            )
    return tuple(sorted(boxes, key=lambda b: (b.top, b.left)))


def _component(grid: np.ndarray, seen: np.ndarray, row: int, col: int) -> tuple[int, ...]:
    """The cell bounds (top, left, bottom, right) of the changed cells reachable from
    (row, col) in steps of at most JOIN cells; marks them seen."""
    rows, cols = grid.shape
    queue = deque([(row, col)])
    seen[row, col] = True
    top, left, bottom, right = row, col, row + 1, col + 1
    while queue:
        r, c = queue.popleft()
        top, left, bottom, right = min(top, r), min(left, c), max(bottom, r + 1), max(right, c + 1)
        r0, r1 = max(r - JOIN, 0), min(r + JOIN + 1, rows)
        c0, c1 = max(c - JOIN, 0), min(c + JOIN + 1, cols)
        window = grid[r0:r1, c0:c1] & ~seen[r0:r1, c0:c1]
        for dr, dc in zip(*window.nonzero(), strict=True):
            seen[r0 + dr, c0 + dc] = True
            queue.append((int(r0 + dr), int(c0 + dc)))
    return top, left, bottom, right


def outlined(image: Image.Image, boxes: tuple[Box, ...]) -> Image.Image:
    """A copy of `image`, faded except inside `boxes`, with each box outlined."""
    from PIL import Image, ImageDraw

    pad, line = 4, 3
    faded = Image.blend(image.convert("RGB"), Image.new("RGB", image.size, "white"), FADE)
    for box in boxes:
        area = (box.left, box.top, box.right, box.bottom)
        faded.paste(image.crop(area), area[:2])
    draw = ImageDraw.Draw(faded)
    width, height = image.size
    for box in boxes:
        frame = (
            max(box.left - pad, 0),
            max(box.top - pad, 0),
            min(box.right + pad, width - 1),
            min(box.bottom + pad, height - 1),
        )
        draw.rectangle(frame, outline=OUTLINE, width=line)
    return faded
