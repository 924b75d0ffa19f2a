"""Where everything goes on a proof sheet, computed before anything is drawn: pure
geometry on numbers. Sheets are A4 landscape. Each spec is a section (its heading,
then its editions); each edition is a card (its label, then its pages side by side as
thumbnails), and cards flow left to right, top to bottom, in matrix order. The
thumbnails are as large as lets every card fit on one sheet (:data:`HEIGHTS`, largest
first); when even the smallest does not, cards flow on to as few further sheets as
they need, with the largest thumbnails that keep to that number. A card too wide for
the sheet (an edition of many pages) gets smaller thumbnails of its own."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

PAGE = (841.89, 595.28)  # A4 landscape, points
MARGIN = 30.0
TITLE = 46.0  # the sheet's title and summary lines, first sheet
TITLE_AGAIN = 22.0  # the running title on later sheets
FOOTER = 20.0
SECTION = 30.0  # a spec's heading line and rule
LABEL = 32.0  # an edition's label (two lines at most) and its details line
GAP_X = 18.0  # between cards
GAP_PAGES = 5.0  # between the pages of one card
GAP_Y = 14.0  # between rows of cards
GAP_SECTION = 8.0  # after a spec's last row
HEIGHTS = (230.0, 210.0, 195.0, 180.0, 170.0, 160.0, 150.0, 140.0, 130.0, 120.0, 110.0, 100.0)


@dataclass(frozen=True)
class Card:
    """An edition to place: its pages' sizes in points."""

    pages: tuple[tuple[float, float], ...]


@dataclass(frozen=True)
class Placed:
    """A heading (`card` None) or a card at (x, top) on a sheet; `thumb` is the height
    of the card's thumbnails and `widths` each one's width."""

    section: int
    card: int | None
    x: float
    top: float
    width: float
    thumb: float = 0.0
    widths: tuple[float, ...] = ()


def content_width() -> float:
    return PAGE[0] - 2 * MARGIN


def card_size(card: Card, height: float) -> tuple[float, tuple[float, ...]]:
    """The thumbnail height a card gets (at most `height`, less if it would not fit
    across the sheet) and each thumbnail's width."""
    ratios = [w / h for w, h in card.pages] or [1 / 1.414]
    gaps = GAP_PAGES * (len(ratios) - 1)
    height = min(height, (content_width() - gaps) / sum(ratios))
    return height, tuple(r * height for r in ratios)


def lay_out(sections: Sequence[Sequence[Card]], height: float) -> list[list[Placed]]:
    """Every heading and card, sheet by sheet, with thumbnails at most `height` high."""
    left, right, bottom = MARGIN, PAGE[0] - MARGIN, MARGIN + FOOTER
    sheets: list[list[Placed]] = [[]]
    y = PAGE[1] - MARGIN - TITLE

    def new_sheet() -> float:
        sheets.append([])
        return PAGE[1] - MARGIN - TITLE_AGAIN

    for s, cards in enumerate(sections):
        first = card_size(cards[0], height)[0] if cards else 0.0
        if sheets[-1] and y - SECTION - LABEL - first < bottom:
            y = new_sheet()
        sheets[-1].append(Placed(s, None, left, y, right - left))
        y -= SECTION
        x, row = left, 0.0
        for c, card in enumerate(cards):
            thumb, widths = card_size(card, height)
            width = sum(widths) + GAP_PAGES * (len(widths) - 1)
            if x > left and x + width > right:
                y, x, row = y - row - GAP_Y, left, 0.0
            if y - LABEL - thumb < bottom and sheets[-1]:
                y, x, row = new_sheet(), left, 0.0
            sheets[-1].append(Placed(s, c, x, y, width, thumb, widths))
            x += width + GAP_X
            row = max(row, LABEL + thumb)
        y -= row + GAP_Y + GAP_SECTION
    return sheets


def best_layout(sections: Sequence[Sequence[Card]]) -> list[list[Placed]]:
    """As few sheets as the smallest thumbnails need, with the largest thumbnails that
    still fit on that many sheets."""
    layouts = [lay_out(sections, height) for height in HEIGHTS]
    fewest = min(len(sheets) for sheets in layouts)
    return next(sheets for sheets in layouts if len(sheets) == fewest)


def mirrored(sheets: list[list[Placed]], rtl: bool) -> list[list[Placed]]:
    """The sheets as a right-to-left reader reads them (`rtl`): every heading and card
    mirrored across the sheet, so matrix order runs from the right; unchanged if not."""
    if not rtl:
        return sheets
    return [[replace(p, x=PAGE[0] - p.x - p.width) for p in placed] for placed in sheets]


def thumbnail_lefts(item: Placed, rtl: bool) -> list[float]:
    """The left edge of each of a card's thumbnails, in page order: from the card's
    left end, or, read right to left, from its right end (page 1 at the right)."""
    lefts, x = [], item.x
    for width in item.widths:
        lefts.append(x)
        x += width + GAP_PAGES
    if rtl:  # the same slots, counted from the other end
        right = item.x + item.width
        return [
            right - (left - item.x) - width for left, width in zip(lefts, item.widths, strict=True)
        ]
    return lefts
