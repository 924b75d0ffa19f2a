"""Rows that name a total of other rows ("Global", "World", "Total", "All regions",
"Toutes les régions", "Mundo" …). Adding such a row to the others counts them twice, so
table totals and the whole of a `share` refuse it unless the spec says which rows are
totals (`aggregate_rows`)."""

from __future__ import annotations

import re
from collections.abc import Mapping

from factsheet.data.rows import Rows

# A cell that names a total of other rows, in English, French or Spanish: "Global",
# "World", "Total", "All regions", "Regional total", "Toutes les régions", "Mundo" …
AGGREGATE_NAME = re.compile(
    r"(?:global|world|totals?|grand total|sub-?totals?|overall|all|monde|mundo|mundial|"
    r"ensemble|tous|toutes|todos|todas|sous-totaux|sous-total|total g[ée]n[ée]ral)"
    r"|(?:all|total|tous|toutes|todos|todas)\s.+"
    r"|.+\s(?:totals?|total g[ée]n[ée]ral|overall)",
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
