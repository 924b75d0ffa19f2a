"""A table's total row and its cut to `max_rows`: which rows a total adds (those shown
or every row selected, never a row that is itself a total of the others) and how each
column combines them (a sum, a mean, a weighted mean, or nothing). A column whose
values do not add up (shares, rates, averages) is never summed by default, and a cut
that falls between tied rows is never made silently. Leaf checks raise bare messages
at the block's key paths; the block builder reports them."""

from __future__ import annotations

import itertools
import math
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

from factsheet.blocks.base import FieldWarning
from factsheet.data import exact
from factsheet.data.aggregate_names import AGGREGATE_NAME
from factsheet.data.exact import Exact
from factsheet.data.figure_units import shift
from factsheet.data.figures import select_rows
from factsheet.data.formats import format_number
from factsheet.data.rows import Rows, is_missing
from factsheet.data.sources import Table as Source
from factsheet.errors import DataError, ErrorGroup, FactsheetError, SpecError
from factsheet.location import KeyPath, Location
from factsheet.spec.base import Condition, Format
from factsheet.spec.blocks import DataTable, TableColumn

NUMERIC = ("number", "integer")

# Words of a column's name or header that say its values are shares, rates or averages.
_WORDS = (
    "share shares rate rates ratio ratios percent percentage percentages pct proportion "
    "mean average avg median per percap capita index growth "  # English
    "part parts taux pourcentage moyenne médiane mediane indice croissance "  # French
    "tasa tasas cuota porcentaje proporción proporcion promedio media mediana índice "
    "cápita crecimiento "  # Spanish
    "доля доли долю долей процент процента процентов процентная процентный ставка "
    "ставки коэффициент соотношение среднее средний средняя среднего медиана индекс "
    "рост роста темп темпы уровень "  # Russian
    "نسبة النسبة معدل المعدل متوسط المتوسط حصة الحصة مؤشر المؤشر نمو النمو وسيط "
    "الوسيط للفرد"  # Arabic
)
NOT_ADDITIVE = frozenset(_WORDS.split())
# Chinese is written without spaces: these are looked for inside the name.
NOT_ADDITIVE_PARTS = (
    "率", "比例", "比重", "占比", "百分比", "平均", "均值", "中位数", "人均", "指数",
)  # fmt: skip
# Words that say a column's numbers are names (a year, a code), which never add up.
_NAME_WORDS = (
    "year years yr code codes id iso année annee années annees "
    "año ano años anos código codigo códigos codigos "
    "год года годы код кода коды سنة السنة عام العام رمز الرمز"
)
NAMES = frozenset(_NAME_WORDS.split())
NAME_PARTS = ("年份", "年度", "代码", "编码", "编号")
# "par habitant", "por persona", "на душу", "لكل فرد": words that alone mean "by"
# (`Population par région`) or "for each".
NOT_ADDITIVE_PAIRS = (
    frozenset(("par", w) for w in ("habitant", "personne", "tête", "tete", "jour", "an", "mois"))
    | frozenset(("por", w) for w in ("habitante", "persona", "día", "dia", "año", "ano"))
    | frozenset(("на", w) for w in ("душу", "человека", "жителя"))
    | frozenset(("لكل", w) for w in ("فرد", "شخص", "نسمة", "ساكن"))
)
WORD = re.compile(r"[^\W\d_]+")


@dataclass(frozen=True)
class TotalCell:
    """One column's cell of the total row, as the manifest records it."""

    column: str
    combine: str  # sum | mean | none
    value: float | None
    text: str
    weight: str | None = None


@dataclass(frozen=True)
class Total:
    """The total row: its label, the rows it adds and those it leaves out as totals."""

    label: str
    of: str  # shown | selected
    rows: Rows
    left_out: Rows  # aggregate rows: totals themselves, never added again
    cells: tuple[TotalCell, ...]

    def texts(self) -> list[str]:
        return [self.label, *(cell.text for cell in self.cells)]


def cut(
    block: DataTable, source: Source, rows: Rows, at: KeyPath
) -> tuple[Rows, tuple[FieldWarning, ...]]:
    """The sorted rows cut to `max_rows`, with every row tied with the last one shown
    (`ties: include`), or with a warning naming the tie the cut falls in (`warn`)."""
    count = block.max_rows
    if count is None or len(rows) <= count or block.sort is None:
        return rows, ()
    cells = rows[block.sort]
    if not _same(cells[count - 1], cells[count]):
        return rows.head(count), ()
    end = count
    while end < len(rows) and _same(cells[count - 1], cells[end]):
        end += 1
    if block.ties == "include":
        return rows.head(end), ()
    if block.ties == "first":
        return rows.head(count), ()
    start = count - 1
    while start > 0 and _same(cells[start - 1], cells[count - 1]):
        start -= 1
    shown, left = rows.take(range(start, count)), rows.take(range(count, end))
    value = "an empty cell" if is_missing(cells[count - 1]) else f"{_plain(cells[count - 1])}"
    text = (
        f"`max_rows: {count}` cuts between rows tied at {value} in '{block.sort}': "
        f"{source.rows_text(shown)} {'is' if len(shown) == 1 else 'are'} shown and "
        f"{source.rows_text(left)} left out, in the file's order; set `ties: include` to "
        "show every tied row, or `ties: first` to keep the first ones without this warning"
    )
    return rows.head(count), (FieldWarning(text, ("max_rows",)),)


def _same(a: Any, b: Any) -> bool:
    if is_missing(a) or is_missing(b):
        return is_missing(a) and is_missing(b)
    return bool(a == b)


def _plain(value: Any) -> str:
    if isinstance(value, float | np.floating) and float(value).is_integer():
        return str(int(value))
    return str(value)


def total_row(
    block: DataTable,
    source: Source,
    shown: Rows,
    selected: Rows,
    plain: Callable[[str], str],
    render: Callable[[str], str],
    locale: Any,
    at: KeyPath,
    units: Mapping[str, str] | None = None,
) -> Total:
    """The total row of `block`: every column combined as it says, over the rows the
    total adds. Every column's problem is reported together."""
    spec = block.total
    assert spec is not None
    if block.max_rows is not None and spec.of is None:
        raise SpecError(
            f"the total row of a table cut to `max_rows: {block.max_rows}` could add the rows "
            "shown or every row selected",
            Location(key_path=(*at, "total")),
            hint="write `total: {label: …, of: shown}` and say so in the label (`Top 10 "
            "total`), or `of: selected` for the total of every row `where` selects",
        )
    if spec.of is None:
        _no_hidden_rows(block, source, selected, render, at)
    rows = selected if spec.of == "selected" else shown
    rows, left_out = _without_aggregates(block, source, rows, render, (*at, "total"))
    cells: list[TotalCell] = []
    problems: list[FactsheetError] = []
    for number, column in enumerate(block.columns[1:], start=1):
        try:
            header = plain(column.header) if column.header is not None else None
            unit = (units or {}).get(column.column)
            cell = _cell(column, header, unit, source, rows, locale, (*at, "columns", number))
            cells.append(cell)
        except FactsheetError as error:
            problems.append(error)
    if problems:
        raise problems[0] if len(problems) == 1 else ErrorGroup(problems)
    return Total(plain(spec.label), spec.of or "shown", rows, left_out, tuple(cells))


def _no_hidden_rows(
    block: DataTable, source: Source, selected: Rows, render: Callable[[str], str], at: KeyPath
) -> None:
    """A `where` that picks rows by their names (the first column: `region: [Africa,
    Asia]`) or by a threshold on a number the table shows (`value: {min: 100}`) shows
    some of the rows: a total of them must say so (`of: shown`). Leaving out only rows
    that are totals themselves (`region: {not: Global}`) hides nothing, and a filter
    that picks a group (`continent: Africa`, another column) picks the table's rows."""
    names = block.columns[0].column
    numbers = {c.column for c in block.columns if source.types[c.column] in NUMERIC}
    picked = [
        name
        for name, value in block.where.items()
        if name == names or (name in numbers and isinstance(value, Condition) and value.ranged)
    ]
    if not picked:
        return
    looser = {name: value for name, value in block.where.items() if name not in picked}
    hidden = select_rows(source, looser, render)
    hidden = hidden.where(~np.isin(hidden.index, selected.index))
    texts = [c.column for c in block.columns if source.types[c.column] == "text"]
    for position in range(len(hidden)):
        cells = [hidden[column][position] for column in texts]
        if any(isinstance(c, str) and AGGREGATE_NAME.fullmatch(c.strip()) for c in cells):
            continue
        row = hidden.take([position])
        of = "" if source.is_derived else f" of {source.display_path}"
        filters = ", ".join(f"'{name}'" for name in picked)
        raise SpecError(
            f"the table's `where` on {filters} leaves out rows such as "
            f"{source.rows_text(row)}{of}, so its total row adds only some of them",
            Location(key_path=(*at, "total")),
            hint="write `total: {label: …, of: shown}` with a label that says which rows it "
            "adds (`Total of the regions shown`), or filter on a column the table does not "
            "show",
        )


def _without_aggregates(
    block: DataTable, source: Source, rows: Rows, render: Callable[[str], str], at: KeyPath
) -> tuple[Rows, Rows]:
    """The rows the total adds and the aggregate rows it leaves out. Unmarked, a row
    whose text reads as a total stops the build: added, it would count rows twice."""
    spec = block.total
    assert spec is not None
    marked = spec.aggregate_rows
    if marked is not None:
        if not marked:  # `{}`: the spec says no row is a total
            return rows, rows.take([])
        try:
            matches = select_rows(source, marked, render)
        except DataError as error:
            raise error.located(Location(key_path=(*at, "aggregate_rows"))) from None
        mask = np.isin(rows.index, matches.index)
        return rows.where(~mask), rows.where(mask)
    for column in block.columns:
        if source.types[column.column] != "text":
            continue
        cells = rows[column.column]
        for position, cell in enumerate(cells.tolist()):
            if isinstance(cell, str) and AGGREGATE_NAME.fullmatch(cell.strip()):
                raise _aggregate_error(spec.label, column.column, cell, source, rows, position, at)
    return rows, rows.take([])


def _aggregate_error(
    label: str, column: str, cell: str, source: Source, rows: Rows, position: int, at: KeyPath
) -> DataError:
    of = "" if source.is_derived else f" of {source.display_path}"
    return DataError(
        f"the total row would add the row '{cell}' ({source.rows_text(rows.take([position]))}"
        f"{of}), which reads as a total of other rows: they would be counted twice",
        Location(key_path=at),
        hint=f"leave the row out with `where: {{{column}: {{not: {cell}}}}}`, or write "
        f"`total: {{label: {label}, aggregate_rows: {{{column}: {cell}}}}}` so the total "
        f"leaves it out (the row stays in the table); if '{cell}' is a row like the "
        "others, write `aggregate_rows: {}`",
    )


def _cell(
    column: TableColumn,
    header: str | None,
    unit: str | None,
    source: Source,
    rows: Rows,
    locale: Any,
    at: KeyPath,
) -> TotalCell:
    combine = _combine(column, header, unit, source, at)
    if combine == "none":
        return TotalCell(column.column, combine, None, "")
    _no_empty(column.column, source, rows, at)
    values = rows[column.column].astype(float)
    worked: Exact | None  # in decimal, as figures are: what a calculator gives
    if not len(values):
        worked = None
    elif combine == "sum":
        worked = exact.total(values)
    elif column.weight is None:
        worked = exact.mean(values)
    else:
        worked = _weighted(column, source, rows, values, at)
    fmt = column.format or Format()
    power = shift(fmt, unit)  # a mean of percentages prints as a percentage
    text = "\u2013" if worked is None else format_number(worked.scaleb(power), fmt, locale)
    value = None if worked is None else exact.as_float(worked)
    return TotalCell(column.column, combine, value, text, column.weight)


def _combine(
    column: TableColumn, header: str | None, unit: str | None, source: Source, at: KeyPath
) -> str:
    """`sum`, `mean` or `none`: as the column says, or by default `sum` for a column
    of numbers that add up; a column of shares, rates or averages is refused."""
    asked = {True: "sum", False: "none"}.get(column.total, column.total)  # type: ignore[arg-type]
    numeric = source.types[column.column] in NUMERIC
    if asked in ("sum", "mean") and not numeric:
        raise SpecError(
            f"`total: {asked}` on '{column.column}', which holds text",
            Location(key_path=(*at, "total")),
            hint="only a column of numbers can be added up or averaged: set `total: none`",
        )
    if asked is not None:
        return str(asked)
    if not numeric:
        return "none"
    why = not_additive(column, header, unit)
    if why:
        raise SpecError(
            f"the total row would add up '{column.column}', {why}: shares, rates, "
            "averages, years and codes do not add up",
            Location(key_path=at),
            hint="say how the total combines it: `total: mean` (with `weight: <column>` "
            "for a weighted average), `total: none` to leave the cell blank, or `total: "
            "sum` if its values do add up",
        )
    return "sum"


def not_additive(column: TableColumn, header: str | None = None, unit: str | None = None) -> str:
    """Why a column's values look like shares, rates, averages, years or codes, or "".
    `header` is the column's header as printed (its placeholders filled in), `unit` the
    unit its source declares for it."""
    if unit is not None:
        return f"whose source declares it in `units` as a {unit}"
    if column.format is not None and column.format.style == "percent":
        return "whose format is `percent`"
    if column.format is not None and not column.format.grouping:
        return "whose format has `grouping: false` (a year or a code)"
    for name, what in ((column.column, "name"), (header or column.header, "header")):
        if not name:
            continue
        if "%" in name:
            return f"whose {what} '{name}' reads as a percentage"
        # gdpPercap: words split where the case turns, as well as at spaces and marks
        spaced = re.sub(r"(?<=[a-z])(?=[A-Z])", " ", name)
        words = [word.casefold() for word in WORD.findall(spaced)]
        pairs = set(itertools.pairwise(words))
        parts = any(part in name for part in NOT_ADDITIVE_PARTS)
        if NOT_ADDITIVE.intersection(words) or pairs & NOT_ADDITIVE_PAIRS or parts:
            return f"whose {what} '{name}' reads as a share, rate or average"
        if NAMES.intersection(words) or any(part in name for part in NAME_PARTS):
            return f"whose {what} '{name}' reads as a year or a code"
    return ""


def _weighted(
    column: TableColumn, source: Source, rows: Rows, values: np.ndarray, at: KeyPath
) -> Exact:
    weight = str(column.weight)
    if source.types.get(weight) not in NUMERIC:
        raise SpecError(
            f"`weight: {weight}` is not a column of numbers of the table's source",
            Location(key_path=(*at, "weight")),
            hint="name a column of numbers, such as a population",
        )
    _no_empty(weight, source, rows, at, field="weight")
    weights = rows[weight].astype(float)
    whole = math.fsum(weights.tolist())
    if whole == 0 or (weights < 0).any():
        raise DataError(
            f"the weights in '{weight}' of the rows the total adds "
            f"({source.rows_text(rows)}) are {'all zero' if whole == 0 else 'not all positive'}",
            Location(key_path=(*at, "weight")),
            hint="weight by a column of positive numbers, or set `total: mean` without a weight",
        )
    return exact.weighted_mean(values, weights)


def _no_empty(column: str, source: Source, rows: Rows, at: KeyPath, field: str = "total") -> None:
    """A total over a column with empty cells would quietly add up only the others."""
    empty = [n for n, v in enumerate(rows[column].tolist()) if is_missing(v)]
    if empty:
        more = f" (and {len(empty) - 1} more)" if len(empty) > 1 else ""
        of = "" if source.is_derived else f" of {source.display_path}"
        raise DataError(
            f"the total row would add up '{column}' without its empty cell at "
            f"{source.rows_text(rows.take(empty[:1]))}{of}{more}",
            Location(key_path=(*at, field)),
            hint="fill the cell in, leave its row out with `where`, or set `total: false` "
            "on this column",
        )
