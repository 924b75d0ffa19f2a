"""A spec's whole set of figures: those computed from rows, then those worked out from
two other figures (`difference`, `ratio`, `change`) in dependency order, whatever
order the spec declares them in. An unknown operand, a cycle, a text operand or a
division by zero is a located error; a figure whose operand already failed is left out
without a second error. Every problem is returned, not just the first."""

from __future__ import annotations

import math
from collections.abc import Mapping

from factsheet.data import exact
from factsheet.data.figure_units import PERCENT, printed, relative
from factsheet.data.figures import FigureValue, Provenance, compute_figure
from factsheet.data.filters import Substitute, same
from factsheet.data.formats import NumberLocale
from factsheet.data.sources import Table
from factsheet.errors import DataError, FactsheetError, SpecError, did_you_mean
from factsheet.location import Location
from factsheet.spec.model import FigureSpec


def compute_figures(
    specs: Mapping[str, FigureSpec],
    tables: Mapping[str, Table],
    locale: NumberLocale,
    substitute: Substitute = same,
    failed: frozenset[str] = frozenset(),
    units: Mapping[str, Mapping[str, str]] | None = None,
) -> tuple[dict[str, FigureValue], list[FactsheetError]]:
    """Every figure that can be computed, and every problem (located by key path).
    `failed` names figures the spec declares whose problems are reported already: a
    figure worked out from one of them is left out without a second error. `units`
    are the sources' declared column units (`data: {x: {units: {rate: percent}}}`)."""
    values: dict[str, FigureValue] = {}
    units = units or {}
    problems: list[FactsheetError] = _unknown_unit_columns(units, tables)
    for name, spec in specs.items():
        table = tables.get(spec.source or "")
        if spec.operation is not None or table is None:
            continue  # arithmetic comes next; a failed source is already reported
        own = units.get(spec.source or "", {})
        try:
            values[name] = compute_figure(name, spec, table, locale, substitute, own)
        except FactsheetError as exc:
            problems.append(exc.located(Location(key_path=("figures", name))))
    _Arithmetic(specs, values, problems, locale, failed).run()
    # Keep the spec's order, as the manifest and templates list them.
    return {name: values[name] for name in specs if name in values}, problems


def _unknown_unit_columns(
    units: Mapping[str, Mapping[str, str]], tables: Mapping[str, Table]
) -> list[FactsheetError]:
    problems: list[FactsheetError] = []
    for source, columns in units.items():
        table = tables.get(source)
        for column in columns:
            if table is not None and column not in table.types:
                at = Location(key_path=("data", source, "units", column))
                problems.append(table.unknown_column(column).located(at))
    return problems


class _Arithmetic:
    """Figures of figures, each worked out once its operands are known."""

    def __init__(
        self,
        specs: Mapping[str, FigureSpec],
        values: dict[str, FigureValue],
        problems: list[FactsheetError],
        locale: NumberLocale,
        failed: frozenset[str] = frozenset(),
    ) -> None:
        self.specs = specs
        self.failed = failed
        self.values = values
        self.problems = problems
        self.locale = locale
        self.state: dict[str, str] = {}  # "visiting", "done" or "failed"

    def run(self) -> None:
        for name, spec in self.specs.items():
            if spec.operation is not None:
                self.visit(name, [])

    def visit(self, name: str, trail: list[str]) -> bool:
        """Work out `name` if it needs working out; True when it has a value."""
        spec = self.specs[name]
        if spec.operation is None:
            return name in self.values
        state = self.state.get(name)
        if state == "visiting":
            cycle = [*trail[trail.index(name) :], name]
            self.problems.append(
                SpecError(
                    f"figure '{name}' is worked out from itself: {' → '.join(cycle)}",
                    Location(key_path=("figures", name, spec.operation)),
                    hint="a figure can only use figures that do not use it",
                )
            )
            for member in cycle:
                self.state[member] = "failed"
            return False
        if state is not None:
            return state == "done"
        self.state[name] = "visiting"
        ready = True
        for i, operand in enumerate(spec.operands):
            ready = self.operand(name, spec, i, operand, [*trail, name]) and ready
        if self.state.get(name) == "failed" or not ready:
            self.state[name] = "failed"
            return False
        try:
            self.values[name] = self.work_out(name, spec)
        except FactsheetError as exc:
            self.problems.append(exc.located(Location(key_path=("figures", name))))
            self.state[name] = "failed"
            return False
        self.state[name] = "done"
        return True

    def operand(self, name: str, spec: FigureSpec, i: int, operand: str, trail: list[str]) -> bool:
        assert spec.operation is not None
        at = Location(key_path=("figures", name, spec.operation, i))
        if operand in self.failed:
            return False
        if operand not in self.specs:
            hint = did_you_mean(operand, self.specs) or f"figures: {', '.join(self.specs)}"
            self.problems.append(SpecError(f"unknown figure '{operand}'", at, hint))
            return False
        if not self.visit(operand, trail):
            return False
        if self.values[operand].is_text:
            self.problems.append(
                SpecError(
                    f"figure '{operand}' is text (a `label` figure), so `{spec.operation}` "
                    "cannot use it",
                    at,
                    hint="use a figure of the same rows without `label`",
                )
            )
            return False
        return True

    def work_out(self, name: str, spec: FigureSpec) -> FigureValue:
        first, second = spec.operands
        a, b = self.exact(first), self.exact(second)
        unit = self.unit(name, spec)
        if spec.operation == "difference":
            value = exact.CONTEXT.subtract(a, b)
        elif spec.operation == "ratio":
            if b == 0:
                raise DataError(
                    f"figure '{name}' divides '{first}' by '{second}', which is 0",
                    hint=f"'{second}' prints as {self.values[second].text}",
                )
            value = exact.divide(a, b)
        else:
            if a == 0:
                raise DataError(
                    f"figure '{name}': a relative change from '{first}' to '{second}' is "
                    f"undefined, because '{first}' is 0",
                    hint=f"use `difference: [{second}, {first}]` for the plain difference",
                )
            value = relative(b, a)
        number = exact.as_float(value)
        if not math.isfinite(number):
            raise DataError(f"figure '{name}' is not a number ({number})")
        operands = ((first, self.values[first].value), (second, self.values[second].value))
        provenance = Provenance(operation=spec.operation, operands=operands)
        text = printed(value, spec.format, self.locale, unit)
        return FigureValue(name, number, text, provenance, exact=value, unit=unit)

    def exact(self, name: str) -> exact.Exact:
        figure = self.values[name]
        return figure.exact if figure.exact is not None else exact.exact(figure.value)

    def unit(self, name: str, spec: FigureSpec) -> str | None:
        """The unit of a figure of two figures: a difference keeps theirs (percentages
        minus percentages are points); a ratio or change of them is a fraction. Two
        operands in different units (72 for 72% and 0.67 for 67%) are an error."""
        first, second = (self.values[operand] for operand in spec.operands)
        if (first.unit == PERCENT) != (second.unit == PERCENT):
            words = {
                None: "a plain number or fraction",
                "fraction": "a fraction",
                PERCENT: "written as a percentage",
            }
            raise DataError(
                f"figure '{name}' works with '{first.name}' ({words.get(first.unit)}: "
                f"{first.text}) and '{second.name}' ({words.get(second.unit)}: "
                f"{second.text}), which are not in the same unit",
                hint="give both figures the same `unit` (`unit: percent` on a figure or "
                "the source's column means 72 stands for 72%)",
            )
        if spec.unit is not None:
            return spec.unit
        return first.unit if spec.operation == "difference" else None
