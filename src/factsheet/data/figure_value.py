"""What a computed figure is: its value, its printed text, and its provenance (the
source, filters, column, aggregate and file lines that made it), in the form reports and
the build manifest show. :mod:`factsheet.data.figures` computes them."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from factsheet.data import exact


@dataclass(frozen=True)
class Provenance:
    """Where a figure came from, for reports and for checking a number by hand. The
    manifest shows it in the spec's own words (:meth:`record`)."""

    source: str = ""  # a data file's display path, or a derived source's name
    where: Mapping[str, object] = field(default_factory=dict)  # filters after substitution
    column: str | None = None
    aggregate: str = ""
    rows: tuple[int, ...] = ()  # file lines of the rows used (CSV: index + 2)
    of: Mapping[str, object] | None = None  # share: filters of the total
    of_rows: tuple[int, ...] = ()  # share: file lines of the rows in the total
    from_: Mapping[str, object] | None = None  # change: filters of the earlier row
    to: Mapping[str, object] | None = None  # change: filters of the later row
    weight: str | None = None  # mean: the weight column
    q: float | None = None  # quantile: which one
    label: str | None = None  # text figures: the column printed
    derived_from: Mapping[str, tuple[int, ...]] | None = None  # derived: file -> lines
    operation: str | None = None  # arithmetic: difference, ratio or change
    operands: tuple[tuple[str, float], ...] = ()  # arithmetic: (figure, value) pairs

    def record(self) -> dict[str, Any]:
        """JSON-friendly, keyed as the spec says it (`from`, `difference: [a, b]`)."""
        if self.operation is not None:
            names = [name for name, _ in self.operands]
            return {self.operation: names, "operands": dict(self.operands)}
        record: dict[str, Any] = {}
        for name, value in (
            ("source", self.source),
            ("derived_from", self.derived_from),
            ("where", self.where),
            ("column", self.column),
            ("aggregate", self.aggregate),
            ("weight", self.weight),
            ("q", self.q),
            ("label", self.label),
            ("rows", self.rows),
            ("of", self.of),
            ("of_rows", self.of_rows),
            ("from", self.from_),
            ("to", self.to),
        ):
            if value is None or value == ():
                continue
            record[name] = list(value) if isinstance(value, tuple) else value
        if self.derived_from is not None:
            record["derived_from"] = {k: list(v) for k, v in self.derived_from.items()}
        return record


@dataclass(frozen=True)
class FigureValue:
    """A computed figure: its value, its printed text and its provenance. A text
    figure (``is_text``) prints a cell; its value is the number that chose the row."""

    name: str
    value: float
    text: str
    provenance: Provenance
    is_text: bool = False
    exact: exact.Exact | None = None  # the decimal worked out (`value` is its float)
    unit: str | None = None  # `percent`: the value is written as a percentage (72)
    warnings: tuple[str, ...] = ()  # worth fixing, located at the figure's `format`
