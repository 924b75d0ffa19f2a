"""The reading outline of a laid-out factsheet: its headings in reading order, found in
the tags blocks give their flowables (see :mod:`factsheet.layout.roles`), and the check
a tagged PDF needs of them: levels never skip. The title band's title is the H1 and
then a section heading is an H2 and a subsection an H3 (with no title band, sections
are the H1s), so a subsection straight after the title, or before any section, is an
error located at that heading before anything is drawn."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from factsheet.errors import LayoutError
from factsheet.layout.flow import Layout, Placement
from factsheet.layout.roles import Node
from factsheet.location import Location


def headings(layout: Layout) -> Iterator[tuple[int, Placement]]:
    """(level, placement) for every heading, in reading order, once per node."""
    seen: set[int] = set()
    for page in layout.pages:
        for placement in page.placements:
            for tag in _tags(placement):
                level = _level(tag)
                if level and id(tag) not in seen:
                    seen.add(id(tag))
                    yield level, placement


def skipped_level(layout: Layout) -> LayoutError | None:
    """The first heading that skips a level, if any."""
    previous = 0
    for level, placement in headings(layout):
        if level > previous + 1:
            return _skip_error(level, previous, placement)
        previous = level
    return None


def _skip_error(level: int, previous: int, placement: Placement) -> LayoutError:
    path = placement.key_path
    if placement.kind == "heading":
        path = (*path, "level")
    if previous == 0:
        what = f"the first heading is an H{level}, but headings must start at H1"
        hint = "make it `level: 1`, or put a `title_band` block before it (its title is the H1)"
    else:
        what = f"this heading (H{level}) skips a level: the heading before it is an H{previous}"
        hint = f"make it `level: {previous}` (H{previous + 1}), or add a heading above it"
    hint += ", so that a screen reader's list of headings has no gaps"
    return LayoutError(what, Location(key_path=path), hint=hint)


def _tags(placement: Placement) -> list[Any]:
    if placement.tag is not None:
        return [placement.tag]
    flowable = placement.flowable
    tags = list(getattr(flowable, "tags", None) or [])
    for row in getattr(flowable, "cell_tags", None) or []:
        tags += row
    return tags


def _level(tag: Any) -> int:
    if isinstance(tag, Node) and len(tag.role) == 2 and tag.role[0] == "H":
        return int(tag.role[1])
    return 0
