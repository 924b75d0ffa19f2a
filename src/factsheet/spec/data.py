"""The spec's data vocabulary: sources read from files, sources derived from other
sources (unpivoted, filtered, joined, computed, grouped, ranked, sorted, cut), and the named
figures computed from them or from each other. Everything here is a declaration: the
steps have names and fixed meanings, and nothing a spec says is ever run as code.
:mod:`factsheet.data` does the work."""

from __future__ import annotations

from typing import Annotated, Any, Literal, get_args

from pydantic import BeforeValidator, Field, model_validator

from factsheet.spec.base import Format, Model, Reducer, Where, shorthand

ColumnType = Literal["text", "number", "integer", "date"]
DecimalMark = Literal[".", ","]
Thousands = Literal[".", ",", " ", "'", "none"]
Order = Literal["ascending", "descending"]
REDUCER_NAMES: tuple[str, ...] = get_args(Reducer)


def _named(*pairs: tuple[str, object]) -> list[str]:
    return [f"`{name}`" for name, value in pairs if value not in (None, (), {}, [])]


def _names_as_written(value: Any) -> Any:
    """Column names written as YAML numbers (`[1960, 1961]`) keep their text."""
    if isinstance(value, list | tuple):
        return [getattr(item, "raw", item) for item in value]
    return value


class ColumnRange(Model):
    """Columns by position: the column `from`, the column `to`, and every column
    between them in the file."""

    from_: str = Field(alias="from")
    """Name of the first column of the range, such as `"1960"`."""
    to: str
    """Name of the last column of the range, such as `"2013"`."""


class Unpivot(Model):
    """A wide table made long: each unpivoted column of a row becomes a row of its own,
    holding the other columns, the column's name and its cell. A table with one column
    per year becomes one row per year."""

    columns: Annotated[tuple[str, ...] | ColumnRange, BeforeValidator(_names_as_written)]
    """The columns to turn into rows: a list of names (`["2000", "2005"]`), or a range
    `{from: "1960", to: "2013"}` (those two columns and every column between them). They
    must hold the same type of cells (all numbers, say); an entirely empty column fits
    any type and gives empty cells."""
    name: str
    """Name of the new column holding the unpivoted columns' names (`year`, say). It
    holds numbers when every unpivoted column's name is a number (1960), else text."""
    value: str
    """Name of the new column holding the unpivoted cells (`rate`, say). An empty cell
    stays empty: leave such rows out with `where: {rate: {empty: false}}`."""

    @model_validator(mode="after")
    def _distinct(self) -> Unpivot:
        if self.name == self.value:
            raise ValueError("`name` and `value` are two new columns: give them two names")
        if isinstance(self.columns, tuple) and not self.columns:
            raise ValueError(
                'list the columns to unpivot, or give a range: {from: "1960", to: "2013"}'
            )
        return self


class Join(Model):
    """A lookup: every row finds exactly one row of another source whose key equals its
    own, and takes columns from it (country names to codes, say)."""

    source: str
    """Name of the lookup source (declared under `data`)."""
    on: str
    """Column of this source holding the keys."""
    match: str | None = None
    """Column of the lookup source holding the same keys. Default: the column named
    like `on`. Keys are compared as written: text exactly (case and accents count),
    numbers by value."""
    columns: tuple[str, ...] = ()
    """Columns of the lookup source to add. Default: all of them but `match`."""
    unmatched: Literal["error", "drop"] = "error"
    """A key the lookup does not have: `error` (default) stops the build and lists
    every such key; `drop` leaves those rows out and names them in a warning."""


class Arithmetic(Model):
    """A column worked out row by row from two number columns. A row with an empty
    cell in either column gets an empty cell; dividing by zero is an error."""

    ratio: tuple[str, ...] | None = None
    """`[a, b]`: column a divided by column b."""
    product: tuple[str, ...] | None = None
    """`[a, b]`: column a times column b."""
    difference: tuple[str, ...] | None = None
    """`[a, b]`: column a minus column b."""

    @model_validator(mode="after")
    def _one_operation(self) -> Arithmetic:
        given = _named(
            ("ratio", self.ratio), ("product", self.product), ("difference", self.difference)
        )
        if len(given) != 1:
            raise ValueError(
                "write one of `ratio`, `product` or `difference`, such as `{ratio: [gdp, pop]}`"
            )
        if len(self.operands) != 2:
            raise ValueError(f"{given[0]} needs two column names: [a, b]")
        return self

    @property
    def operation(self) -> Literal["ratio", "product", "difference"]:
        if self.ratio is not None:
            return "ratio"
        return "product" if self.product is not None else "difference"

    @property
    def operands(self) -> tuple[str, ...]:
        return self.ratio or self.product or self.difference or ()


class Summary(Model):
    """One column of a group's row: the group's cells reduced by one aggregate, such as
    `{sum: pop}`, `{mean: lifeExp, weight: pop}` or `{quantile: lifeExp, q: 0.9}`.
    `name: sum` is short for `name: {sum: name}`, and `rows: count` counts rows."""

    sum: str | None = None
    """Column to add up."""
    mean: str | None = None
    """Column to average (weighted by `weight` if given)."""
    median: str | None = None
    """Column whose middle value to take (the mean of the two middle values for an even
    count)."""
    min: str | None = None
    """Column whose smallest value to take."""
    max: str | None = None
    """Column whose largest value to take."""
    count: bool | None = None
    """`true`: the number of rows in the group."""
    count_distinct: str | None = None
    """Column whose different values to count."""
    first: str | None = None
    """Column whose cell in the group's first row (in source order) to take."""
    quantile: str | None = None
    """Column whose quantile `q` to take."""
    q: float | None = Field(None, ge=0, le=1)
    """For `quantile`: which one, from 0 to 1 (0.9 is the 90th percentile)."""
    weight: str | None = None
    """For `mean`: a column of weights (population, say) for a weighted mean."""
    missing: Literal["error", "skip"] = "error"
    """An empty cell: `error` (default) names its file line; `skip` leaves it out (a
    group with every cell empty then gets an empty cell)."""

    @model_validator(mode="after")
    def _one_aggregate(self) -> Summary:
        given = [name for name in REDUCER_NAMES if getattr(self, name) is not None]
        if len(given) != 1:
            raise ValueError(
                "write one aggregate and its column, such as `{sum: pop}` "
                f"(aggregates: {', '.join(REDUCER_NAMES)})"
            )
        if self.count is False:
            raise ValueError("write `count: true`, or leave `count` out")
        if (self.q is not None) != (self.quantile is not None):
            raise ValueError("`quantile` and `q` go together: `{quantile: lifeExp, q: 0.9}`")
        if self.weight is not None and self.mean is None:
            raise ValueError("`weight` works with `mean` only")
        return self

    @property
    def how(self) -> Reducer:
        name = next(n for n in REDUCER_NAMES if getattr(self, n) is not None)
        return name  # type: ignore[return-value]

    @property
    def column(self) -> str | None:
        value = getattr(self, self.how)
        return value if isinstance(value, str) else None


class Rank(Model):
    """A new column numbering the rows by a column's value: 1 for the largest (or the
    smallest). Equal values share a rank and the next rank is skipped (1, 2, 2, 4)."""

    by: str
    """Column to rank by (numbers). An empty cell is an error."""
    order: Order = "descending"
    """`descending` (default): rank 1 is the largest value; `ascending`: the smallest."""
    within: tuple[str, ...] = ()
    """Rank separately within each group of these columns (countries within each
    continent, say). Default: all rows together."""
    column: str = "rank"
    """Name of the new column."""


class Top(Model):
    """Keep the first rows after sorting."""

    rows: int = Field(ge=1, le=10000)
    """How many rows to keep."""
    ties: Literal["error", "all", "first"] = "error"
    """When the last row kept ties with the next one on every sort column: `error`
    (default) names both rows; `all` keeps every tied row (so more rows than `rows`);
    `first` keeps the first ones in source order."""


def _sort_shorthand(value: Any) -> Any:
    return {value: "ascending"} if isinstance(value, str) else value


def _summaries_shorthand(value: Any) -> Any:
    """`pop: sum` is `pop: {sum: pop}`; `rows: count` is `rows: {count: true}`."""
    if not isinstance(value, dict):
        return value
    return {
        name: ({"count": True} if spec == "count" else {spec: name})
        if isinstance(spec, str)
        else spec
        for name, spec in value.items()
    }


DERIVED_STEPS = (
    "unpivot", "where", "join", "compute", "group_by", "aggregate", "rank", "sort", "top"
)  # fmt: skip


class Source(Model):
    """A table: read from a CSV or XLSX `file`, or derived `from` another source. A
    derived source applies its steps in this fixed order: `unpivot`, `where`, `join`,
    `compute`, `group_by` with `aggregate`, `rank`, `sort`, `top`. For another order,
    derive a source from a derived source."""

    file: str | None = None
    """Path of the file, relative to the project (`data/migrants.csv`)."""
    sheet: str | None = None
    """Worksheet to read from an XLSX file. Default: the first sheet."""
    columns: dict[str, ColumnType] = {}
    """Declared column types. Undeclared columns are numbers when every cell is a number,
    otherwise text. Text cells such as `NA` stay text, never missing values. Codes stay
    text too: a column is text when a cell keeps a leading zero (`007`), a plus sign
    (`+7`) or a bare exponent (`1e3`, not `1e+3`), or has more digits than a number holds exactly
    (16 or more); declare it `number` to read such cells as numbers."""
    decimal: DecimalMark | None = None
    """The decimal mark of the file's numbers: `"."` (12.5) or `","` (12,5). Default:
    worked out from the file. A file that writes `12,5` or `1.234,5` anywhere uses the
    comma, and then `8.524` is eight thousand five hundred and twenty-four; a file
    whose numbers could be read either way (only `8.524`, in a file separated by
    semicolons or tabs) is refused until this is given. Quote the mark in YAML."""
    thousands: Thousands | None = None
    """The separator between thousands in the file's numbers: `"."` (1.234.567), `","`
    (1,234,567), `" "` (1 234 567, also with no-break spaces), `"'"` (1'234'567) or
    `none`. Default: `"."` when the decimal mark is a comma, `","` when it is a point.
    A number whose groups are not three digits long is refused."""
    units: dict[str, Literal["percent", "fraction"]] = {}
    """The unit of number columns, for figures, table columns and charts printed with
    `style: percent` or `points`: `percent` for percentages as written (72 for 72%),
    `fraction` for fractions (0.72 for 72%, and 1.2 for 120%), such as `{literacy:
    percent}`. A `percent` column prints 72%, not 7,200%, and a table total never adds
    it up unless told (`total: mean` averages it). Without a unit, a percent style on a
    column whose values all lie between 1 and 100 is a warning (an error with
    `--strict`); `fraction` says those values are meant (1.2 is 120%)."""
    from_: str | None = Field(None, alias="from")
    """Derived sources: the source (a file or another derived source) the rows come from."""
    unpivot: Unpivot | None = None
    """Derived sources, step 1: turn columns into rows, such as a table with one column
    per year into one row per year: `{columns: {from: "1960", to: "2013"}, name: year,
    value: rate}`."""
    where: Where = {}
    """Derived sources, step 2: keep only the rows matching these filters (as for
    figures; templates such as `"{{ region }}"` are filled in per edition)."""
    join: Join | None = None
    """Derived sources, step 3: add columns looked up in another source."""
    compute: dict[str, Arithmetic] = {}
    """Derived sources, step 4: new number columns, such as `gdp: {product: [pop,
    gdpPercap]}`."""
    group_by: tuple[str, ...] = ()
    """Derived sources, step 5: one row per combination of these columns' values (in
    order of first appearance), holding these columns and those of `aggregate`. An
    empty cell in a grouping column is an error."""
    aggregate: Annotated[dict[str, Summary], BeforeValidator(_summaries_shorthand)] = {}
    """Derived sources, step 5: the columns of each group's row, by name, such as
    `pop: {sum: pop}`. Without `group_by`, all rows make one group."""
    rank: Rank | None = None
    """Derived sources, step 6: add a column ranking the rows."""
    sort: Annotated[dict[str, Order], BeforeValidator(_sort_shorthand)] = {}
    """Derived sources, step 7: order the rows by these columns, the first deciding,
    such as `{pop: descending, country: ascending}`, or just `pop` (ascending). Equal
    rows keep their order; empty cells go last."""
    top: Annotated[Top | None, shorthand("rows")] = None
    """Derived sources, step 8: keep the first N rows after `sort`: `10`, or
    `{rows: 10, ties: all}`."""

    @model_validator(mode="after")
    def _file_or_derived(self) -> Source:
        if (self.file is None) == (self.from_ is None):
            raise ValueError(
                "a source needs `file` (a CSV or XLSX file) or `from` (the source it is "
                "derived from), and not both"
            )
        steps = _named(*((step, getattr(self, step)) for step in DERIVED_STEPS))
        if self.file is not None and steps:
            raise ValueError(
                f"{', '.join(steps)}: derived-source steps; declare another source with "
                "`from:` this one to use them"
            )
        if self.from_ is not None and (
            self.sheet is not None or self.columns or self.decimal or self.thousands
        ):
            raise ValueError(
                "`sheet` and `columns` describe a file (as do `decimal` and `thousands`); "
                "a derived source's columns follow from its steps"
            )
        if self.decimal is not None and self.decimal == self.thousands:
            raise ValueError(
                f"`decimal` and `thousands` are both '{self.decimal}': a number needs two "
                "different marks"
            )
        if self.top is not None and not self.sort:
            raise ValueError("`top` keeps the first rows after `sort`: add `sort`")
        return self

    @property
    def is_derived(self) -> bool:
        return self.from_ is not None

    @property
    def needs(self) -> tuple[str, ...]:
        """The sources this one is made from (none for a file)."""
        names = [self.from_] if self.from_ else []
        return tuple(names + ([self.join.source] if self.join else []))


# --- figures ----------------------------------------------------------------------

Aggregate = Literal[
    "value",
    "sum",
    "mean",
    "median",
    "quantile",
    "min",
    "max",
    "count",
    "count_distinct",
    "share",
    "change",
]
ARITHMETIC = ("difference", "ratio", "change")
ROW_FIELDS = (
    "source",
    "where",
    "column",
    "aggregate",
    "q",
    "weight",
    "label",
    "ties",
    "of",
    "from_",
    "to",
    "relative",
)


class FigureSpec(Model):
    """A named value printed with `{{ name }}`: computed from a data source's rows, or
    from two other figures (`difference`, `ratio`, `change`)."""

    source: str | None = None
    """Name of a source declared under `data`."""
    where: Where = {}
    """Row filters: `column: value` (equality), `column: [a, b]` (membership),
    `column: {min: 1, max: 9}` (range), `column: {not: x}` or `column: {not: [x, y]}`
    (exclusion), `column: {empty: false}` (the cell is filled in; `true`: it is empty).
    All filters must hold."""
    column: str | None = None
    """Column holding the values. Not needed for `count`."""
    aggregate: Aggregate = "value"
    """`value` (exactly one row), `sum`, `mean` (weighted by `weight` if given),
    `median`, `quantile` (with `q`), `min`, `max`, `count` (rows), `count_distinct`
    (different values of `column`), `share` (the selected rows' sum as a fraction of
    the sum over `of`) or `change` (from row `from` to row `to`). An empty cell in a
    selected row is an error. `count` counts the selected rows: with a `column`, every
    selected row must have that cell filled in (count only filled cells by adding
    `column: {empty: false}` to `where`). Sums, means, medians, quantiles, shares and
    changes are worked out in decimal, as a calculator does (0.7 − 0.015 = 0.685)."""
    q: float | None = Field(None, ge=0, le=1)
    """For `quantile`: which one, from 0 to 1 (0.9 is the 90th percentile). Linear
    between the two nearest values, as Excel's PERCENTILE.INC."""
    weight: str | None = None
    """For `mean`: a column of weights (population, say) for a weighted mean."""
    label: str | None = None
    """For `max`, `min` or `value`: print this column's cell of the row holding the
    value instead of the number, such as the most populous country's name. The figure
    is then text; it cannot take part in `difference`, `ratio` or `change`."""
    ties: Literal["error", "first"] = "error"
    """For `label`: when several rows hold the largest (or smallest) value, `error`
    (default) names them; `first` takes the first in source order."""
    of: Where = {}
    """For `share`: filters for the total the share is taken of. Default: every row.
    A share is a part of its whole: every row `where` selects must be one of the rows
    `of` selects, and no value in either may be negative; otherwise the build fails,
    naming both selections."""
    aggregate_rows: Where | None = None
    """For `share`: rows of the whole that are themselves totals of other rows (a
    `World` row among the regions), as a filter such as `{region: World}`; they are
    left out of the whole. By default a whole of several rows that holds a row whose
    text reads as a total (Global, World, Total, All …) stops the build: its rows would
    be counted twice. `aggregate_rows: {}` says no row of the whole is such a total."""
    from_: Where | None = Field(None, alias="from")
    """For `change`: filters selecting the earlier row."""
    to: Where | None = None
    """For `change`: filters selecting the later row."""
    relative: bool = False
    """For `change`: give the change as a fraction of the earlier value, to print with
    `format: {style: percent}`. From a negative value it is taken relative to its size,
    so its sign is the direction of the change: −10 to −5 is +50%. From 0 it is an
    error. Without `relative`, a change of a share is a difference of percentages:
    print it in points with `format: {style: points}` (72% − 67% is +5 pp)."""
    difference: tuple[str, ...] | None = None
    """`[a, b]`: figure a minus figure b (both figures of this spec, in any order of
    declaration)."""
    ratio: tuple[str, ...] | None = None
    """`[a, b]`: figure a divided by figure b. Dividing by zero is an error."""
    change: tuple[str, ...] | None = None
    """`[before, after]`: the relative change (after − before) ÷ |before|, a fraction to
    print with `format: {style: percent}` (from a negative value, relative to its size:
    −10 to −5 is +50%). For the plain difference use `difference: [after, before]`
    (of two shares, print it with `format: {style: points}`)."""
    unit: Literal["percent", "fraction"] | None = None
    """`percent`: the figure's values are percentages as written (72 for 72%), so
    `style: percent` prints 72% and `style: points` prints a difference of them in
    points; `fraction`: they are fractions (0.72 for 72%, 1.2 for 120%), which
    silences the warning for a column of values between 1 and 100. Default: the unit
    of the source's column (see the source's `units`).
    Not for `share`, `count`, `count_distinct`, `ratio` or a relative change, whose
    results are fractions or counts."""
    format: Format = Format()
    """How the figure is printed (not for `label` figures, which print the cell)."""

    @model_validator(mode="after")
    def _check_shape(self) -> FigureSpec:
        self._check_percent()
        if self.operation is not None:
            return self._check_arithmetic()
        if self.source is None:
            raise ValueError(
                "a figure needs a `source`, or `difference`, `ratio` or `change` of two figures"
            )
        needs_column = self.aggregate != "count"
        if needs_column and self.column is None:
            raise ValueError(f"aggregate '{self.aggregate}' needs a 'column'")
        if self.aggregate == "change" and (self.from_ is None or self.to is None):
            raise ValueError("aggregate 'change' needs both 'from' and 'to' row filters")
        if (self.q is not None) != (self.aggregate == "quantile"):
            raise ValueError("aggregate 'quantile' and `q` go together: `q: 0.9`")
        if self.weight is not None and self.aggregate != "mean":
            raise ValueError("`weight` works with aggregate 'mean' only")
        if self.label is not None:
            if self.aggregate not in ("max", "min", "value"):
                raise ValueError("`label` works with aggregate 'max', 'min' or 'value'")
            if "format" in self.model_fields_set:
                raise ValueError("a `label` figure prints its cell as written: leave out `format`")
        elif "ties" in self.model_fields_set:
            raise ValueError("`ties` works with `label` only")
        return self

    def _check_percent(self) -> None:
        """A difference of two percentages printed as a percentage reads as a relative
        change (72% − 67% printed "+5%" is a 7.5% rise): the spec must say which."""
        plain_change = self.aggregate == "change" and not self.relative
        if self.format.style == "percent" and (plain_change or self.difference is not None):
            what = "`change` without `relative`" if plain_change else "`difference`"
            raise ValueError(
                f"{what} is a difference, which `style: percent` would print as a relative "
                "change (67% to 72% is +5 points, a 7.5% rise): print it in percentage "
                "points with `format: {style: points}`"
                + (
                    ", or set `relative: true` for the relative change"
                    if plain_change
                    else ", or use `change: [before, after]` for the relative change"
                )
            )
        fraction = (
            self.aggregate in ("share", "count", "count_distinct")
            or (self.aggregate == "change" and self.relative)
            or self.ratio is not None
            or self.change is not None
        )
        if self.unit is not None and fraction:
            raise ValueError(
                f"`unit: {self.unit}` is for values written as percentages; this figure is a "
                "fraction or a count: leave out `unit`"
            )

    def _check_arithmetic(self) -> FigureSpec:
        given = _named(*((name, getattr(self, name)) for name in ARITHMETIC))
        if len(given) > 1:
            raise ValueError(f"write one of {', '.join(given)}")
        name = f"`{self.operation}`"  # an empty list `[]` names it too
        rows = [f"`{n.rstrip('_')}`" for n in ROW_FIELDS if n in self.model_fields_set]
        if rows:
            raise ValueError(f"{name} works on two figures: leave out {', '.join(rows)}")
        if len(self.operands) != 2:
            raise ValueError(f"{name} needs two figure names: [a, b]")
        return self

    @property
    def operation(self) -> Literal["difference", "ratio", "change"] | None:
        """The arithmetic this figure does on two others, if any."""
        if self.difference is not None:
            return "difference"
        if self.ratio is not None:
            return "ratio"
        return "change" if self.change is not None else None

    @property
    def operands(self) -> tuple[str, ...]:
        """The figures this one is worked out from (none for a figure of rows)."""
        return self.difference or self.ratio or self.change or ()
