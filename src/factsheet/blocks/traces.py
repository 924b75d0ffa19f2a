"""What a table or a chart printed, for the manifest: each table cell and total cell,
and each chart value label, with its value, its printed text and the data rows it came
from (file lines, or for a derived source the lines of each file behind it). A block
keeps a trace of references to what it already computed; the JSON record is made only
when the manifest is written, so a build that writes no manifest pays nothing."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from factsheet.blocks.table_totals import Total
from factsheet.data.rows import Rows, is_missing
from factsheet.data.sources import Table as Source


def plain_value(value: Any) -> Any:
    """A cell as JSON: a number (None when empty), a date or text as text."""
    if isinstance(value, bool | np.bool_):
        return bool(value)
    if isinstance(value, int | np.integer):
        return int(value)
    if isinstance(value, float | np.floating):
        return None if is_missing(value) else float(value)
    if isinstance(value, np.datetime64):
        return None if np.isnat(value) else str(value.astype("datetime64[D]"))
    return None if value is None else str(value)


def rows_record(source: Source, rows: Rows) -> dict[str, Any]:
    """`{"rows": [lines]}` for a file's rows, `{"derived_from": {file: [lines]}}` for a
    derived source's."""
    if not source.is_derived:
        return {"rows": list(rows.lines())}
    found = source.origins(rows)
    return {"derived_from": {t.display_path: list(lines) for t, lines in found.items()}}


@dataclass(frozen=True)
class TableTrace:
    """A table block's printed cells: the rows shown, their cells' texts, the total."""

    source: Source
    rows: Rows
    columns: tuple[str, ...]
    texts: Sequence[Sequence[str]]  # one list of cell texts per row shown
    total: Total | None

    def record(self) -> dict[str, Any]:
        body = []
        for n in range(len(self.rows)):
            row = self.rows.take([n])
            cells = [
                {"column": c, "value": plain_value(self.rows[c][n]), "text": self.texts[n][i]}
                for i, c in enumerate(self.columns)
            ]
            body.append({**rows_record(self.source, row), "cells": cells})
        record: dict[str, Any] = {"source": self.source.source_label, "body": body}
        if self.total is not None:
            record["total"] = self._total(self.total)
        return record

    def _total(self, total: Total) -> dict[str, Any]:
        cells = []
        for cell in total.cells:
            entry: dict[str, Any] = {"column": cell.column, "combine": cell.combine}
            entry.update(value=cell.value, text=cell.text)
            if cell.weight is not None:
                entry["weight"] = cell.weight
            cells.append(entry)
        record = {"label": total.label, "of": total.of, **rows_record(self.source, total.rows)}
        if len(total.left_out):
            record["aggregate_rows"] = rows_record(self.source, total.left_out)
        return {**record, "cells": cells}


@dataclass(frozen=True)
class LabelTrace:
    """A chart's values by series and category, each with the text `fmt` prints for it
    (its value label, legend entry or alt text), and the rows each value came from
    (`rows_of(series, category)`, as :func:`rows_record` gives them)."""

    series: Sequence[str]
    categories: Sequence[str]
    values: Sequence[Sequence[float]]
    fmt: Callable[[float], str]
    rows_of: Callable[[int, int], dict[str, Any]] | None  # a value's rows_record

    def record(self) -> list[dict[str, Any]]:
        labels = []
        for s, name in enumerate(self.series):
            for c, category in enumerate(self.categories):
                value = self.values[s][c]
                if value != value:
                    continue
                entry: dict[str, Any] = {"category": category}
                if len(self.series) > 1:
                    entry["series"] = name
                entry.update(value=float(value), text=self.fmt(value))
                if self.rows_of is not None:
                    entry.update(self.rows_of(s, c))
                labels.append(entry)
        return labels
