"""A row that names a total of the others is found by its words in the six UN
languages, and a row that only starts like one is not."""

from __future__ import annotations

import pytest

from factsheet.data.aggregate_names import AGGREGATE_NAME

TOTALS = [
    "Global", "World", "Total", "All regions", "Regional total", "Subtotal",
    "Toutes les régions", "Total général", "Monde",
    "Mundo", "Todas las regiones", "Subtotales",
    "Всего", "Итого", "Весь мир", "Все регионы", "Итого по региону", "Европа всего",
    "المجموع", "الإجمالي", "جميع المناطق", "المجموع الكلي", "إجمالي أفريقيا",
    "合计", "总计", "總計", "全球", "世界", "所有地区", "亚洲合计",
]  # fmt: skip
REGIONS = [
    "Africa", "Totalitarian states", "Allemagne", "Mundial de fútbol 2022",
    "Африка", "Мировой банк", "Всеволожск",
    "أفريقيا", "آسيا",
    "非洲", "亚洲", "世界银行",
]  # fmt: skip


@pytest.mark.parametrize("cell", TOTALS)
def test_a_total_reads_as_one(cell: str) -> None:
    assert AGGREGATE_NAME.fullmatch(cell)


@pytest.mark.parametrize("cell", REGIONS)
def test_a_region_does_not(cell: str) -> None:
    assert not AGGREGATE_NAME.fullmatch(cell)
