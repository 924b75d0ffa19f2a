"""Small ReportLab flowables the block kinds share: a box that stacks content inside a
background and a rule, and a heading paragraph that adds itself to the PDF outline.
They only measure and draw; what goes inside them is decided by the block modules."""

from __future__ import annotations

from typing import Any

from reportlab.lib.colors import HexColor
from reportlab.platypus import Flowable

from factsheet.layout.paragraph import Para


class Box(Flowable):  # type: ignore[misc]
    """Content stacked top to bottom inside padding, over an optional background and
    with an optional rule on the leading (left) side. Never split."""

    def __init__(
        self,
        content: list[Any],
        padding: float,
        background: str | None = None,
        rule: str | None = None,
        rule_width: float = 0.0,
        gap: float = 2.0,
    ) -> None:
        super().__init__()
        self.content = content
        self.padding = padding
        self.background = background
        self.rule = rule
        self.rule_width = rule_width if rule else 0.0
        self.gap = gap
        self._sizes: list[tuple[float, float]] = []

    def _inner_width(self, width: float) -> float:
        return width - 2 * self.padding - self.rule_width

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        inner = self._inner_width(avail_width)
        self._sizes = [item.wrap(inner, 1e6) for item in self.content]
        spaces = sum(self._space_before(i) for i in range(len(self.content)))
        self.width = avail_width
        self.height = sum(h for _, h in self._sizes) + spaces + 2 * self.padding
        return self.width, self.height

    def _space_before(self, index: int) -> float:
        if index == 0:
            return 0.0
        item = self.content[index]
        return max(
            self.gap, float(item.getSpaceBefore()), float(self.content[index - 1].getSpaceAfter())
        )

    def draw(self) -> None:
        canvas = self.canv
        if self.background:
            canvas.setFillColor(HexColor(self.background))
            canvas.rect(0, 0, self.width, self.height, stroke=0, fill=1)
        if self.rule:
            canvas.setFillColor(HexColor(self.rule))
            canvas.rect(0, 0, self.rule_width, self.height, stroke=0, fill=1)
        x = self.rule_width + self.padding
        y = self.height - self.padding
        for index, (item, (_, height)) in enumerate(zip(self.content, self._sizes, strict=True)):
            y -= self._space_before(index) + height
            item.drawOn(canvas, x, y)


class OutlineHeading(Para):
    """A heading that registers a bookmark and an outline entry where it is drawn."""

    def __init__(self, markup: str, style: Any, title: str, key: str, level: int) -> None:
        super().__init__(markup, style)
        self.outline_title = title
        self.outline_key = key
        self.outline_level = level

    def draw(self) -> None:
        canvas = self.canv
        canvas.bookmarkHorizontal(self.outline_key, 0, self.height + 2)
        canvas.addOutlineEntry(
            self.outline_title, self.outline_key, self.outline_level - 1, closed=False
        )
        super().draw()


class Filled(Flowable):  # type: ignore[misc]
    """A fixed-height flowable that fills its frame's width: photos, bands, charts."""

    def __init__(self, height: float) -> None:
        super().__init__()
        self.height = height

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        self.width = avail_width
        return self.width, self.height
