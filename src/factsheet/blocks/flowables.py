"""Small ReportLab flowables the block kinds share: a box that stacks content inside a
background and a rule, and a heading paragraph that adds itself to the PDF outline.
They only measure and draw; what goes inside them is decided by the block modules."""

from __future__ import annotations

from typing import Any

from reportlab.lib.colors import HexColor
from reportlab.platypus import Flowable, Table

from factsheet.layout.paragraph import Para
from factsheet.layout.roles import BACKGROUND, DECORATION, Node, Tag
from factsheet.render.tagger import marked, tagger_of


class Box(Flowable):  # type: ignore[misc]
    """Content stacked top to bottom inside padding, over an optional background and
    with an optional rule on the leading side (the left, or the right when `rtl`).
    Never split. Each item is drawn with its tag (`tags`, one per item); the
    background and rule are artifacts."""

    marks_own_content = True

    def __init__(
        self,
        content: list[Any],
        tags: list[Tag],
        padding: float,
        background: str | None = None,
        rule: str | None = None,
        rule_width: float = 0.0,
        gap: float = 2.0,
        rtl: bool = False,
    ) -> None:
        super().__init__()
        self.rtl = rtl  # the rule on the right, the reading side's start
        if len(tags) != len(content):
            raise ValueError(f"{len(tags)} tags for {len(content)} items in a box")
        self.content = content
        self.tags = tags
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
        if self.background or self.rule:
            with marked(canvas, BACKGROUND):
                if self.background:
                    canvas.setFillColor(HexColor(self.background))
                    canvas.rect(0, 0, self.width, self.height, stroke=0, fill=1)
                if self.rule:
                    canvas.setFillColor(HexColor(self.rule))
                    left = self.width - self.rule_width if self.rtl else 0.0
                    canvas.rect(left, 0, self.rule_width, self.height, stroke=0, fill=1)
        x = self.padding if self.rtl else self.rule_width + self.padding
        y = self.height - self.padding
        drawn = zip(self.content, self.tags, self._sizes, strict=True)
        for index, (item, tag, (_, height)) in enumerate(drawn):
            y -= self._space_before(index) + height
            if getattr(item, "marks_own_content", False):
                item.drawOn(canvas, x, y)
                continue
            with marked(canvas, tag):
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


class TaggedTable(Table):  # type: ignore[misc]
    """A ReportLab table whose cells are drawn with their tags (`cell_tags[row][col]`,
    rows as built); backgrounds and rules are artifacts. Pieces of a split table keep
    the rows they came from, so a cell is the same node in whichever piece it lands."""

    marks_own_content = True

    def __init__(self, data: Any, *args: Any, **kwargs: Any) -> None:
        kwargs["renderCB"] = _mark_cells
        super().__init__(data, *args, **kwargs)
        self.cell_tags: list[list[Tag]] = []
        self.rows = list(range(len(data)))  # the built row each of this piece's rows is
        self.reading_order: list[Node] = []  # cells' nodes when not read left to right

    def draw(self) -> None:
        tagger = tagger_of(self.canv)
        if tagger is not None and self.reading_order:
            tagger.reserve(self.reading_order)
        super().draw()

    def split(self, availWidth: float, availHeight: float) -> list[Any]:
        parts: list[Any] = super().split(availWidth, availHeight)
        if len(parts) == 2:
            first, rest = parts
            cut = len(first._cellvalues)
            repeated = len(rest._cellvalues) - (len(self.rows) - cut)
            first.rows = self.rows[:cut]
            rest.rows = self.rows[:repeated] + self.rows[cut:]
            for part in parts:
                part.cell_tags = self.cell_tags
                part.reading_order = self.reading_order
        return parts


def _mark_cells(table: TaggedTable, event: str, *args: Any) -> None:
    """ReportLab's table drawing callback: each cell inside its tag."""
    tagger = tagger_of(table.canv)
    if tagger is None:
        return
    if event in ("startBG", "startLines"):
        tagger.enter(BACKGROUND if event == "startBG" else DECORATION)
    elif event == "startCell":
        row, column = args[0], args[1]
        tagger.enter(table.cell_tags[table.rows[row]][column])
    elif event in ("endBG", "endLines", "endCell"):
        tagger.leave()
