"""Key-figure tiles with realistic numbers: a number is never broken across lines
("US$32,/885", "54.8/years") and never touches its label. Numbers too wide for their
tiles are set smaller, all of a block's at one size, never below the theme's smallest
size; below it the build fails, naming the tile, the width it needs and the width it
has. Checked on the PDF itself: the position of every glyph, read back with pypdfium2.
A golden picture keeps the look of such tiles."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pypdfium2 as pdfium
import pytest

from factsheet.blocks.key_figures import GAP
from factsheet.build import Rendered, render
from factsheet.errors import ErrorGroup, LayoutError
from tests.pictures import assert_matches_golden
from tests.pictures import rasterise as rasterise_pages
from tests.projects import make_project

DATA = """\
country,gdp_per_person,population,life_expectancy,migrants
India,32885,1318683096,54.8,25.4
"""

FIGURES = """\
data:
  c: {file: data/country.csv}
figures:
  gdp: {source: c, column: gdp_per_person, format: {prefix: "US$"}}
  population: {source: c, column: population}
  life: {source: c, column: life_expectancy, format: {decimals: 1, suffix: " years"}}
  migrants: {source: c, column: migrants, format: {decimals: 1, suffix: " M"}}
"""

THREE = """\
      - key_figures:
          span: page
          columns: 3
          tiles:
            - {number: "{{ gdp }}", label: GDP per person at purchasing power parity}
            - {number: "{{ population }}", label: people counted in the census}
            - {number: "{{ life }}", label: life expectancy at birth}
"""

FOUR = """\
      - key_figures:
          span: page
          columns: 4
          tiles:
            - {number: "{{ gdp }}", label: GDP per person at purchasing power parity}
            - {number: "{{ life }}", label: life expectancy at birth}
            - {number: "{{ migrants }}", label: international migrants in 2020}
            - {number: "12", label: regions}
"""

COLUMN = """\
      - key_figures:
          columns: 2
          tiles:
            - {number: "{{ gdp }}", label: GDP per person}
            - {number: "{{ life }}", label: life expectancy at birth}
            - {number: "{{ migrants }}", label: international migrants}
"""

TOO_WIDE = """\
      - key_figures:
          span: page
          columns: 4
          tiles:
            - {number: "{{ gdp }}", label: GDP per person}
            - {number: "{{ life }}", label: life expectancy at birth}
            - {number: "{{ migrants }}", label: international migrants}
            - {number: "{{ population }}", label: people counted in the census}
"""


def spec(*blocks: str, theme: str = "un-blue") -> str:
    header = f"document: {{title: Tiles, author: Test Org, pages: 1}}\ntheme: {theme}\n"
    return header + FIGURES + "pages:\n  - blocks:\n" + "".join(blocks)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return make_project(tmp_path / "p", {"country.csv": DATA})


def rendered(project: Path, text: str) -> Rendered:
    path = project / "factsheets" / "tiles.yaml"
    path.write_text(text)
    return render(path)


# --- where each glyph is ------------------------------------------------------------


@dataclass(frozen=True)
class Run:
    """A piece of text on the page: its glyph boxes (tight) and line boxes (loose)."""

    text: str
    tight: list[tuple[float, float, float, float]]
    loose: list[tuple[float, float, float, float]]

    @property
    def bottom(self) -> float:
        return min(box[1] for box in self.tight)

    @property
    def top(self) -> float:
        return max(box[3] for box in self.tight)

    @property
    def left(self) -> float:
        return min(box[0] for box in self.tight)

    @property
    def right(self) -> float:
        return max(box[2] for box in self.tight)


def runs(pdf: bytes, wanted: str) -> list[Run]:
    """Every occurrence of `wanted` on the first page, in reading order. A number
    broken over two lines is not found: the page text has a line break inside it."""
    document = pdfium.PdfDocument(pdf)
    try:
        page = document[0].get_textpage()
        text = page.get_text_range()
        found, start = [], text.find(wanted)
        while start >= 0:
            indices = [i for i in range(start, start + len(wanted)) if not text[i].isspace()]
            found.append(
                Run(
                    wanted,
                    [page.get_charbox(i) for i in indices],
                    [page.get_charbox(i, loose=True) for i in indices],
                )
            )
            start = text.find(wanted, start + 1)
        return found
    finally:
        document.close()


def tiles(result: Rendered) -> list[tuple[float, float, float, float]]:
    """(left, bottom, right, top) of every tile column of every key-figures block."""
    boxes = []
    for placement in result.layout.pages[0].placements:
        if placement.kind != "key_figures":
            continue
        columns = (len(placement.flowable._colWidths) + 1) // 2
        width = (placement.width - GAP * (columns - 1)) / columns
        for n in range(columns):
            left = placement.x + n * (width + GAP)
            boxes.append((left, placement.y, left + width, placement.y + placement.height))
    return boxes


def number_sizes(result: Rendered, kind_index: int) -> set[float]:
    placements = [p for p in result.layout.pages[0].placements if p.kind == "key_figures"]
    table = placements[kind_index].flowable
    return {p.style.fontSize for p in table.content if p.style.name.startswith("callout_number")}


# --- tests --------------------------------------------------------------------------


NUMBERS = ["US$32,885", "1,318,683,096", "54.8 years", "25.4 M"]
LABELS = {
    "US$32,885": "GDP per person",
    "1,318,683,096": "people counted in the census",
    "54.8 years": "life expectancy at birth",
    "25.4 M": "international migrants",
}


def test_long_numbers_stay_on_one_line_inside_their_tiles(project: Path) -> None:
    result = rendered(project, spec(THREE, FOUR, COLUMN))
    padding = result.theme.theme.blocks.callout.padding
    boxes = tiles(result)
    seen = 0
    for number in NUMBERS:
        for run in runs(result.pdf, number):
            seen += 1
            # One line: every glyph's line box has the same baseline band.
            assert max(b[1] for b in run.loose) - min(b[1] for b in run.loose) < 0.01, number
            # Inside the tile it starts in, within the tile's padding.
            (left, _, right, _), *_ = [
                b for b in boxes if b[0] <= run.left <= b[2] and b[1] <= run.bottom <= b[3]
            ]
            assert run.left >= left + padding - 0.5 and run.right <= right - padding + 0.5
    # Three blocks: the 3-, 4- and 2-column ones show 3 + 3 + 3 of these numbers.
    assert seen == 9


def test_a_number_is_above_its_label_never_touching_it(project: Path) -> None:
    result = rendered(project, spec(THREE, FOUR, COLUMN))
    checked = 0
    for number, label in LABELS.items():
        numbers, labels = runs(result.pdf, number), runs(result.pdf, label)
        assert len(numbers) == len(labels) > 0
        for above, below in zip(numbers, labels, strict=True):
            # The label's glyphs start below the lowest descender of the number ("y").
            assert above.bottom > below.top + 0.5, (number, above.bottom, below.top)
            assert abs(above.left - below.left) < 3  # the same tile
            checked += 1
    assert checked == 9


def test_numbers_of_a_block_shrink_together_and_only_as_needed(project: Path) -> None:
    result = rendered(project, spec(THREE, FOUR, COLUMN))
    style = result.theme.theme.styles.callout_number
    three, four, column = (number_sizes(result, n) for n in range(3))
    assert len(three) == len(four) == len(column) == 1  # one size per block
    assert style.size * 0.6 <= min(three | four | column)
    assert max(three | four | column) < style.size  # each had to shrink a little
    assert min(column) < min(four)  # narrower tiles, smaller numbers


def test_short_numbers_keep_the_theme_size(project: Path) -> None:
    short = FOUR.replace('"{{ gdp }}"', '"98%"').replace('"{{ life }}"', '"54"')
    result = rendered(project, spec(short))
    assert number_sizes(result, 0) == {result.theme.theme.styles.callout_number.size}


def test_a_number_too_wide_even_at_the_smallest_size_is_a_located_error(project: Path) -> None:
    with pytest.raises(LayoutError) as caught:
        rendered(project, spec(TOO_WIDE))
    error = caught.value
    assert not isinstance(error, ErrorGroup)  # only the census count is too wide
    assert error.location is not None and error.location.file is not None
    assert error.location.file.name == "tiles.yaml" and error.location.line == 19
    assert error.location.key_path == ("pages", 0, "blocks", 0, "key_figures", "tiles", 3, "number")
    assert error.message == (
        "the number '1,318,683,096' needs 110pt (39 mm) on one line at 16.8pt, the smallest "
        "size allowed, but its tile has room for 99pt (35 mm)"
    )
    assert "fewer tiles per row" in error.hint and "compact" in error.hint
    assert "span: page" not in error.hint  # it already spans the page


def test_the_theme_sets_the_smallest_size(project: Path) -> None:
    themes = project / "assets" / "themes"
    text = (themes / "un-blue.yaml").read_text()
    old = "callout_number: {font: display, size: 28, leading: 30, colour: primary}"
    assert old in text
    (themes / "small-numbers.yaml").write_text(text.replace(old, old[:-1] + ", min_size: 12}"))
    result = rendered(project, spec(TOO_WIDE, theme="small-numbers"))
    (size,) = number_sizes(result, 0)
    assert 12 <= size < 16.8
    for run in runs(result.pdf, "1,318,683,096"):
        assert max(b[1] for b in run.loose) - min(b[1] for b in run.loose) < 0.01


# --- golden picture -----------------------------------------------------------------

GOLDEN = "tiles-long-numbers"
CROP = 0.45  # the tiles fill the top of the page


def test_tiles_with_long_numbers_match_their_golden(project: Path) -> None:
    page = rasterise_pages(rendered(project, spec(THREE, FOUR, COLUMN)).pdf)[0]
    actual = page.crop((0, 0, page.width, round(page.height * CROP)))
    assert_matches_golden(actual, GOLDEN)


# --- the callout's big number follows the same rule -----------------------------------

CALLOUT = """\
      - callout:
          number: "{{ population }} people"
          text: counted in the census
"""


def callout_sizes(result: Rendered) -> set[float]:
    (box,) = [p.flowable for p in result.layout.pages[0].placements if p.kind == "callout"]
    return {p.style.fontSize for p in box.content if p.style.name.startswith("callout_number")}


def test_a_callout_number_shrinks_to_one_line(project: Path) -> None:
    result = rendered(project, spec(CALLOUT))
    (size,) = callout_sizes(result)
    assert size < result.theme.theme.styles.callout_number.size
    (run,) = runs(result.pdf, "1,318,683,096 people")
    assert max(b[1] for b in run.loose) - min(b[1] for b in run.loose) < 0.01


def test_a_callout_number_too_wide_is_a_located_error(project: Path) -> None:
    text = CALLOUT.replace("people", "people counted in the census of 2011")
    with pytest.raises(LayoutError) as caught:
        rendered(project, spec(text))
    error = caught.value
    assert error.location is not None and error.location.key_path == (
        "pages", 0, "blocks", 0, "callout", "number"
    )  # fmt: skip
    assert "the smallest size allowed, but the box has room for" in error.message
    assert "tiles per row" not in error.hint and "span: page" in error.hint
