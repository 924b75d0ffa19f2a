"""Rows that name a total of other rows ("Global", "World", "Total", "All regions",
"Toutes les régions", "Mundo", "Итого", "المجموع", "合计" …). Adding such a row to the
others counts them twice, so table totals and the whole of a `share` refuse it unless
the spec says which rows are totals (`aggregate_rows`)."""

from __future__ import annotations

import re
from collections.abc import Mapping

from factsheet.data.rows import Rows

# A cell that names a total of other rows, in the six UN languages: "Global", "World",
# "Total", "All regions", "Regional total"; "Toutes les régions", "Mundo"; "Всего",
# "Итого", "Весь мир"; "المجموع", "الإجمالي", "جميع المناطق"; "合计", "全球", "所有地区" …
_WORDS = (
    r"global|world|totals?|grand total|sub-?totals?|overall|all"
    r"|monde|ensemble|tous|toutes|sous-totaux|sous-total|total g[ée]n[ée]ral"
    r"|mundo|mundial|todos|todas|subtotal(?:es)?"
    r"|всего|итого|итог|общий итог|мир|весь мир|все"
    r"|المجموع|مجموع|المجموع الكلي|المجموع الفرعي|الإجمالي|إجمالي|العالم|الكل"
    r"|合计|合計|总计|總計|小计|小計|总数|總數|全球|世界|全部|所有"
)
_BEFORE = r"all|total|tous|toutes|todos|todas|все|всего|итого|جميع|كل|إجمالي|مجموع"
_AFTER = r"totals?|total g[ée]n[ée]ral|overall|всего|итого|الإجمالي|المجموع"
AGGREGATE_NAME = re.compile(
    rf"(?:{_WORDS})"
    rf"|(?:{_BEFORE})\s.+"
    rf"|.+\s(?:{_AFTER})"
    # Chinese writes no spaces: 所有地区 (all regions), 亚洲合计 (Asia total).
    r"|(?:所有|全部).+|.+(?:合计|合計|总计|總計|小计|小計)",
    re.IGNORECASE,
)


def named_total(rows: Rows, types: Mapping[str, str]) -> tuple[str, str, int] | None:
    """Among several rows, the first whose cell reads as a total of the others, as
    (column, cell, position); only text columns that tell the rows apart are read."""
    if len(rows) < 2:
        return None
    for column, kind in types.items():
        if kind != "text":
            continue
        cells = rows[column].tolist()
        if len({str(cell) for cell in cells}) < 2:
            continue
        for position, cell in enumerate(cells):
            if isinstance(cell, str) and AGGREGATE_NAME.fullmatch(cell.strip()):
                return column, cell, position
    return None
