"""The review commands' pure parts: changed regions found in a pixel mask, words cut
and compared block by block, and the proof sheet's geometry."""

from __future__ import annotations

import numpy as np
from PIL import Image

from factsheet.review import pixels, sheet
from factsheet.review.words import PageText, Token, joined, tokens, word_changes


def test_changed_pixels_near_each_other_are_one_region_far_apart_two() -> None:
    old = Image.new("RGB", (200, 100), "white")
    new = old.copy()
    for x, y in ((10, 10), (20, 12), (150, 80)):  # two close together, one far off
        new.putpixel((x, y), (0, 0, 0))
    result = pixels.compare(old, new)
    assert result.changed == 3
    assert result.boxes == (pixels.Box(8, 8, 24, 16), pixels.Box(144, 80, 152, 88))


def test_the_tolerance_is_per_colour_channel() -> None:
    old = Image.new("RGB", (16, 16), (100, 100, 100))
    new = Image.new("RGB", (16, 16), (100, 116, 100))  # green 16 higher
    assert pixels.compare(old, new, tolerance=16).changed == 0
    assert pixels.compare(old, new, tolerance=15).changed == 256


def test_pages_of_different_sizes_differ_everywhere() -> None:
    result = pixels.compare(Image.new("RGB", (10, 20)), Image.new("RGB", (20, 10)))
    assert result.share == 1.0 and result.boxes == (pixels.Box(0, 0, 20, 10),)


def test_outlines_are_drawn_on_a_copy() -> None:
    image = Image.new("RGB", (100, 100), "white")
    marked = pixels.outlined(image, (pixels.Box(40, 40, 60, 60),))
    assert image.getpixel((36, 50)) == (255, 255, 255)
    assert marked.getpixel((36, 50)) == pixels.OUTLINE
    assert np.asarray(marked).shape == (100, 100, 3)


def test_chinese_is_compared_character_by_character() -> None:
    cut = tokens("中心为485名官员 and more", 0)
    assert [t.text for t in cut] == ["中", "心", "为", "485", "名", "官", "员", "and", "more"]
    assert joined(cut) == "中心为485名官员 and more"


def _page(*blocks: str) -> PageText:
    return PageText([t for n, text in enumerate(blocks) for t in tokens(text, n)])


def test_a_word_change_shows_words_of_its_own_block_only() -> None:
    old = _page("Heading one", "We trained 485 officials in Africa this year.")
    new = _page("Heading one", "We trained 512 officials in Africa this year.")
    [change] = word_changes([old], [new])
    assert (change.page, change.before, change.removed, change.added, change.after) == (
        1,
        "We trained",
        "485",
        "512",
        "officials in Africa this",
    )
    [inserted] = word_changes([_page("a b", "c d")], [_page("a b", "c new d")])
    assert (inserted.before, inserted.added, inserted.after) == ("c", "new", "d")


def test_a_page_only_on_one_side_is_all_removed_or_added() -> None:
    [change] = word_changes([_page("x"), _page("gone page")], [_page("x")])
    assert (change.page, change.removed, change.added) == (2, "gone page", "")
    assert Token("a", 0, True) == tokens("a", 0)[0]


def test_the_proof_sheet_keeps_every_card_on_its_sheet_in_order() -> None:
    a4 = (595.28, 841.89)
    cards = [[sheet.Card((a4, a4)) for _ in range(30)], [sheet.Card((a4,) * 14)]]
    sheets = sheet.best_layout(cards)
    assert len(sheets) > 1  # 31 editions do not fit on one sheet at a readable size
    assert len(sheets) == len(sheet.lay_out(cards, sheet.HEIGHTS[-1]))  # but on no more
    placed = [p for s in sheets for p in s if p.card is not None]
    assert [(p.section, p.card) for p in placed] == [(0, n) for n in range(30)] + [(1, 0)]
    for items in sheets:
        for p in items:
            assert p.x >= sheet.MARGIN and p.x + p.width <= sheet.PAGE[0] - sheet.MARGIN + 0.01
            bottom = p.top - (sheet.LABEL + p.thumb if p.card is not None else sheet.SECTION)
            assert bottom >= sheet.MARGIN + sheet.FOOTER - 0.01
    wide = placed[-1]  # fourteen pages: smaller thumbnails, so the card fits across
    assert (
        wide.thumb < min(p.thumb for p in placed[:-1])
        and wide.width <= sheet.content_width() + 0.01
    )


def test_a_small_proof_is_one_sheet_with_large_thumbnails() -> None:
    a4 = (595.28, 841.89)
    sheets = sheet.best_layout([[sheet.Card((a4,)) for _ in range(4)]])
    assert len(sheets) == 1
    assert {p.thumb for p in sheets[0] if p.card is not None} == {sheet.HEIGHTS[0]}
