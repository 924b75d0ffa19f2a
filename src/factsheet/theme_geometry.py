"""The page geometry a theme sets, checked when the theme loads: margins, the column
gap, box paddings and the logo must leave room for content on every paper size a spec
may choose (2 columns on the narrowest, the shortest page). A theme that fails here
would otherwise surface as a block that "overflows" by an absurd amount, pointing at
the spec instead of at the theme's line."""

from __future__ import annotations

from typing import TYPE_CHECKING

from factsheet.layout.geometry import PAPER_SIZES
from factsheet.location import KeyPath
from factsheet.spec.units import mm

if TYPE_CHECKING:
    from factsheet.theme_model import Theme

MIN_CONTENT = mm(50)  # the least width or height of the content area
MIN_COLUMN = mm(20)  # the least width of one of two columns
Problem = tuple[KeyPath, str, str]


def geometry_problems(theme: Theme) -> list[Problem]:
    """(key path, message, hint) for each length of the theme that leaves no room."""
    page = theme.page
    narrow = min(PAPER_SIZES.items(), key=lambda item: item[1][0])
    short = min(PAPER_SIZES.items(), key=lambda item: item[1][1])
    width, height = narrow[1][0], short[1][1]
    found: list[Problem] = []
    across = width - page.margin_left - page.margin_right
    down = height - page.margin_top - page.margin_bottom
    sides = (
        ("left and right", "margin_left", "margin_right", across, narrow[0], width, "wide"),
        ("top and bottom", "margin_top", "margin_bottom", down, short[0], height, "tall"),
    )
    for pair, first, second, room, paper, length, measure in sides:
        one, other = getattr(page, first), getattr(page, second)
        if room < MIN_CONTENT:
            found.append(
                _too_much(
                    ("page", first if one >= other else second),
                    f"the {pair} margins ({_mm(one + other)} together) leave "
                    f"{_mm(max(room, 0))} of {_a(paper)} page ({_mm(length)} {measure}) "
                    "for content",
                    f"at least {_mm(MIN_CONTENT)}",
                )
            )
    if found:
        return found
    column = (across - page.column_gap) / 2
    if column < MIN_COLUMN:
        found.append(
            _too_much(
                ("page", "column_gap"),
                f"a column gap of {_mm(page.column_gap)} leaves two columns "
                f"{_mm(max(column, 0))} wide each on {_a(narrow[0])} page",
                f"at least {_mm(MIN_COLUMN)} each",
            )
        )
        return found
    for kind, box in theme.blocks:
        if 2 * box.padding + box.rule_width >= column:
            found.append(
                _too_much(
                    ("blocks", kind, "padding"),
                    f"a padding of {_mm(box.padding)} on each side leaves no room inside "
                    f"a column {_mm(column)} wide",
                    "room for text",
                )
            )
    if page.logo_height >= down:
        found.append(
            _too_much(
                ("page", "logo_height"),
                f"a logo {_mm(page.logo_height)} tall is taller than the content area of "
                f"{_a(short[0])} page ({_mm(down)})",
                "room for the title band",
            )
        )
    return found


def _too_much(path: KeyPath, message: str, room: str) -> Problem:
    return (path, message, f"make it smaller, so as to leave {room}")


def _a(paper: str) -> str:
    return f"an {paper}" if paper[:1] in "AEIOU" else f"a {paper}"


def _mm(points: float) -> str:
    return f"{points / mm(1):.0f} mm"
