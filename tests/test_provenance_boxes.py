"""Where the build drew each printed figure, table cell and chart (render.boxes), read
from the build result without parsing a PDF, and the preview's click resolution on
them: a key figure's box lies in its tile, table cells in their table and in row
order, a paragraph's figures in reading order on their page, the same text printed
twice resolves to each figure's own provenance, and Arabic (right to left) and Chinese
editions resolve clicks as English does."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from factsheet.build import Rendered, render_edition
from factsheet.editions.expand import load_editions
from factsheet.editions.manifest import (
    charts_record,
    figures_record,
    labels_record,
    manifest_path,
    tables_record,
)
from factsheet.preview.figures import click_targets, hit
from factsheet.render.boxes import DrawnBox, add_boxes
from tests.projects import invoke_in, make_project

ROOT = Path(__file__).resolve().parent.parent


def _render(spec: str, **keys: str) -> Rendered:
    for edition in load_editions(ROOT / "factsheets" / spec):
        if all(dict(edition.keys).get(k) == v for k, v in keys.items()):
            return render_edition(edition)
    raise AssertionError(f"no edition {keys} in {spec}")


@pytest.fixture(scope="module")
def showcase() -> Rendered:
    return _render("showcase.yaml")


@pytest.fixture(scope="module")
def demo() -> dict[str, Rendered]:
    return {
        lang: _render("2021.yaml", region="Global", language=lang) for lang in ("en", "ar", "zh")
    }


def _placement(rendered: Rendered, kind: str) -> Any:
    return next(p for page in rendered.layout.pages for p in page.placements if p.kind == kind)


def _inside(box: DrawnBox, x0: float, y0: float, x1: float, y1: float) -> bool:
    return x0 - 0.5 <= box.x0 < box.x1 <= x1 + 0.5 and y0 - 0.5 <= box.y0 < box.y1 <= y1 + 0.5


def test_each_key_figure_lies_inside_its_own_tile(showcase: Rendered) -> None:
    tiles = _placement(showcase, "key_figures")
    table = tiles.flowable
    spec_tiles = next(
        b.key_figures.tiles
        for page in showcase.loaded.spec.pages
        for b in page.blocks
        if b.key_figures is not None
    )
    boxes = [b for b in showcase.boxes if b.block_id == tiles.block_id]
    numbers = [t.number.strip("{ }") for t in spec_tiles]
    assert [b.key[1] for b in boxes if b.key[1] in numbers] == numbers  # in tile order
    top = tiles.y + tiles.height
    for n, tile in enumerate(spec_tiles):
        left = tiles.x + table._colpositions[2 * n]
        right = tiles.x + table._colpositions[2 * n + 1]
        mine = [b for b in boxes if b.key[1] in (numbers[n], tile.delta)]
        assert len(mine) == (2 if tile.delta else 1)
        for box in mine:
            assert box.page == tiles_page(showcase, tiles.block_id)
            assert _inside(box, left, tiles.y, right, top), (box, left, right)
            assert box.y1 - box.y0 < 40  # the number's line, not the tile


def tiles_page(rendered: Rendered, block_id: str) -> int:
    return next(p.number for p in rendered.layout.pages if block_id in p.blocks())


def test_table_cells_lie_inside_the_table_in_row_order(showcase: Rendered) -> None:
    placed = _placement(showcase, "table")
    table = next(p for p in placed_all(showcase, placed.block_id) if hasattr(p.flowable, "trace"))
    trace = table.flowable.trace
    cells = [b for b in showcase.boxes if b.block_id == placed.block_id and b.key[0] == "cell"]
    totals = [b for b in showcase.boxes if b.block_id == placed.block_id and b.key[0] == "total"]
    assert len(cells) == len(trace.rows) * len(trace.columns)
    assert len(totals) == len(trace.columns) - 1  # the first column holds the label
    for box in cells + totals:
        assert _inside(box, table.x, table.y, table.x + table.width, table.y + table.height)
    rows = sorted({b.key[1] for b in cells})
    tops = [max(b.y1 for b in cells if b.key[1] == r) for r in rows]
    assert tops == sorted(tops, reverse=True)  # row 0 at the top
    assert max(b.y1 for b in totals) < min(b.y0 for b in cells)  # the total below them


def placed_all(rendered: Rendered, block_id: str) -> list[Any]:
    return [p for page in rendered.layout.pages for p in page.placements if p.block_id == block_id]


def test_a_paragraphs_figures_are_on_their_page_in_reading_order(
    demo: dict[str, Rendered],
) -> None:
    boxes = [b for b in demo["en"].boxes if b.block_id == "trends"]
    names = ["south_share_2000", "south_share_2017", "south_south", "south_north"]
    assert [b.key[1] for b in boxes] == names and {b.page for b in boxes} == {1}
    lines = [round(b.y0) for b in boxes]
    assert lines == sorted(lines, reverse=True)  # line by line, down the column
    column = next(p for p in placed_all(demo["en"], "trends"))
    for box in boxes:
        assert _inside(box, column.x, column.y, column.x + column.width, column.y + column.height)
        assert box.y1 - box.y0 < 14  # one line of body text
    second = [b for b in demo["en"].boxes if b.block_id == "operations-title"]
    assert second == []  # a heading with no figure records nothing


def _targets(rendered: Rendered) -> list[dict[str, Any]]:
    """The preview's click targets for a rendered edition, as the manifest keeps them."""
    items = [item for page in rendered.content.pages for item in page]
    entry = {
        "figures": figures_record(rendered.content.data),
        "charts": charts_record(rendered.content.data, None, labels_record(items)),
        "tables": tables_record(items),
    }
    add_boxes(entry, rendered.boxes)
    sizes = [rendered.layout.paper] * len(rendered.layout.pages)
    return click_targets(json.loads(json.dumps(entry)), sizes)


def _centres(target: dict[str, Any]) -> tuple[float, float]:
    return (target["x0"] + target["x1"]) / 2, (target["top"] + target["bottom"]) / 2


@pytest.mark.parametrize("language", ["en", "ar", "zh"])
def test_a_click_on_each_figure_resolves_to_it(demo: dict[str, Rendered], language: str) -> None:
    rendered = demo[language]
    targets = _targets(rendered)
    figures = [t for t in targets if t["kind"] == "figure"]
    drawn = [b for b in rendered.boxes if b.key[0] == "figure"]
    assert len(figures) == len(drawn) >= 14
    for target in figures:
        found = hit(targets, target["page"], *_centres(target))
        assert found is not None and found["figures"] == target["figures"]
        printed = rendered.content.data.figures[target["figures"][0]].text
        assert ["printed", printed] in found["details"]
    chart = next(t for t in targets if t["kind"] == "chart")
    corner = (chart["x0"] + 3, chart["top"] + 3)
    assert hit(targets, chart["page"], *corner) is chart  # the chart's frame
    values = [t for t in targets if t["kind"] == "value" and t["block"] == chart["block"]]
    assert len(values) == 2  # 2000 and 2017, each inside the chart's frame
    for value in values:
        assert chart["x0"] < value["x0"] < value["x1"] < chart["x1"]
        assert chart["top"] < value["top"] < value["bottom"] < chart["bottom"]
        assert hit(targets, value["page"], *_centres(value)) is value  # not the frame
    assert hit(targets, 1, 2.0, 2.0) is None  # the page's corner


def test_a_chart_value_label_is_its_own_not_the_figure_printing_the_same(
    demo: dict[str, Rendered],
) -> None:
    # "37%" is the figure south_south in a paragraph of page 1, and the corridors
    # chart's South–South label on page 2: each box names its own entry.
    rendered = demo["en"]
    figure = [b for b in rendered.boxes if b.key == ("figure", "south_south")]
    label = [b for b in rendered.boxes if b.key[:3] == ("value", "", "South–South")]
    assert [b.page for b in figure] == [1] and [b.page for b in label] == [2]
    assert label[0].block_id == "corridors-chart"
    assert rendered.content.data.figures["south_south"].text == "37%"


def test_right_to_left_figures_sit_where_arabic_reads_them(demo: dict[str, Rendered]) -> None:
    english = {b.key[1]: b for b in demo["en"].boxes if b.block_id == "trends"}
    arabic = {b.key[1]: b for b in demo["ar"].boxes if b.block_id == "trends"}
    assert english.keys() == arabic.keys()
    # The trends paragraph is in the first column: the left one in English, the right
    # one in Arabic; and on a line the figure read first is to the right.
    width = demo["ar"].layout.paper[0]
    assert all(b.x0 > width / 2 for b in arabic.values())
    assert all(b.x1 < width / 2 for b in english.values())
    first, then = arabic["south_share_2000"], arabic["south_share_2017"]
    assert first.y0 > then.y0 or first.x0 > then.x0


SAME = """\
document: {title: Same, author: Test Org, year: 2021, pages: 1}
theme: un-blue
data:
  t: {file: data/t.csv}
figures:
  a: {source: t, where: {k: a}, column: v}
  b: {source: t, where: {k: b}, column: v}
  year: {source: t, where: {k: year}, column: v}
pages:
  - blocks:
      - heading: {id: h, text: "The {{ b }} of them"}
      - paragraph: {id: p, text: "In 2021, {{ a }} here and {{ b }} there, then {{ year }}."}
      - key_figures:
          id: k
          tiles: [{number: "{{ b }}", label: B}, {number: "{{ a }}", label: A}]
"""


@pytest.fixture
def same(tmp_path: Path) -> Iterator[dict[str, Any]]:
    data = "k,v\na,12\nb,12\nyear,2021\n"
    project = make_project(tmp_path, {"t.csv": data}, {"same.yaml": SAME})
    result = invoke_in(project, "build", "factsheets/same.yaml")
    assert result.exit_code == 0, result.output
    manifest = json.loads(manifest_path(project / "factsheets" / "same.yaml").read_text())
    yield next(iter(manifest["editions"].values()))


def test_the_same_text_printed_twice_resolves_to_each_figure(same: dict[str, Any]) -> None:
    a, b = same["figures"]["a"], same["figures"]["b"]
    assert a["text"] == b["text"] == "12"
    assert [x["block"] for x in a["boxes"]] == ["p", "k"]
    assert [x["block"] for x in b["boxes"]] == ["h", "p", "k"]  # in its heading too
    in_text_a, in_text_b = a["boxes"][0], b["boxes"][1]
    assert in_text_a["x1"] < in_text_b["x0"]  # "12 here and 12 there": a first
    tile_b, tile_a = b["boxes"][2], a["boxes"][1]
    assert tile_b["x1"] < tile_a["x0"]  # the tiles: b first
    targets = click_targets(same, [(595.28, 841.89)])
    for name in ("a", "b"):
        for box in same["figures"][name]["boxes"]:
            x, y = (box["x0"] + box["x1"]) / 2, 841.89 - (box["y0"] + box["y1"]) / 2
            found = hit(targets, 1, x, y)
            assert found is not None and found["figures"] == [name]
            assert ["filter", f"k = {name}"] in found["details"]
    # "In 2021, …, then 2021.": the figure is the second 2021, not the first.
    (year,) = same["figures"]["year"]["boxes"]
    assert year["x0"] > in_text_b["x1"] or year["y0"] < in_text_b["y0"]


SPLIT = """\
document: {title: Split, author: Test Org, year: 2021, pages: 1}
theme: un-blue
data:
  t: {file: data/t.csv}
figures:
  a: {source: t, where: {k: a}, column: v}
  b: {source: t, where: {k: b}, column: v}
pages:
  - columns: 2
    blocks:
      - spacer: {height: 200mm}
      - paragraph: {id: p, text: "%s"}
"""


def test_a_paragraph_split_across_columns_keeps_each_figure_in_its_part(tmp_path: Path) -> None:
    words = " ".join(["text"] * 90)
    text = f"{{{{ a }}}} {words} {{{{ a }}}} {words} {{{{ b }}}} {words} {{{{ a }}}}"
    project = make_project(tmp_path, {"t.csv": "k,v\na,12\nb,12\n"}, {"s.yaml": SPLIT % text})
    rendered = render_edition(load_editions(project / "factsheets" / "s.yaml")[0])
    parts = placed_all(rendered, "p")
    assert len({p.region for p in parts}) == 2  # the paragraph runs on into column 2
    boxes = [b for b in rendered.boxes if b.block_id == "p"]
    assert [b.key[1] for b in boxes] == ["a", "a", "b", "a"]
    for box in boxes:  # each inside the part of the paragraph that printed it
        assert any(_inside(box, p.x, p.y, p.x + p.width, p.y + p.height) for p in parts), box
    assert boxes[0].x1 < rendered.layout.paper[0] / 2 < boxes[-1].x0


def test_a_click_on_a_table_cell_shows_that_cell(showcase: Rendered) -> None:
    targets = _targets(showcase)
    cells = [t for t in targets if t["kind"] in ("cell", "total")]
    drawn = [b for b in showcase.boxes if b.key[0] in ("cell", "total")]
    assert len(cells) == len(drawn) > 0  # every box found its cell in the record
    for target in cells:
        assert hit(targets, target["page"], *_centres(target)) is target
    trace = next(
        f.trace for page in showcase.layout.pages for p in page.placements
        for f in [p.flowable] if getattr(f, "trace", None) is not None and p.kind == "table"
    )  # fmt: skip
    first = [dict(t["details"])["printed"] for t in cells[: len(trace.columns)]]
    assert sorted(first) == sorted(trace.texts[0])  # the top row, as printed


@pytest.mark.parametrize(
    ("template", "text"),
    [
        ("abc**{{ a }}**def and **{{ a }}** too", "+5"),  # emphasis beside punctuation
        ("x_{{ a }}_y, _{{ a }}_", "(3)"),
        ("a \\{{ a }} b", "+5"),  # a backslash before the figure
        ("only {{ a }} left, in *{{ a }}*", "7"),  # one character
        ("[see {{ a }}](https://example.org/{{ a }}) or <https://example.org/{{ a }}>", "12"),
        ("{{ a }}^{{ a }}^ ~{{ a }}~ [{{ a }}] `{{ a }}`", "1_000*"),
    ],
)
def test_marking_a_figure_never_changes_what_is_printed(template: str, text: str) -> None:
    from factsheet.blocks.printed import render_marked
    from factsheet.text import LinkStyle, Templates, render_markup

    class Figure:
        pass

    figure = Figure()
    figure.text = text  # type: ignore[attr-defined]
    templates = Templates({"a": text})
    found = render_marked(template, templates, {"a": figure}, ["a"], LinkStyle())
    assert [markup for markup, _ in found] == render_markup(template, templates, LinkStyle())
    for _, prints in found:
        assert all(p.key == ("figure", "a") and p.text == text for p in prints)
    if "](" not in template:  # a figure in a link's address: nothing located, nothing changed
        assert sum(len(p) for _, p in found) >= 1
