"""The block kinds a page is made of, as typed, frozen models with one docstring per
field. A block is written in YAML as one key naming its kind (`- heading: Text`); the
:class:`Block` wrapper checks that exactly one kind is given."""

from __future__ import annotations

import itertools
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BeforeValidator, Field, model_validator

from factsheet.spec.base import Format, Model, Scalar, Where, shorthand
from factsheet.spec.units import Dimension, mm

# --- blocks -----------------------------------------------------------------------

Span = Literal["column", "page", "bleed"]


class BlockBase(Model):
    """Options every block accepts."""

    id: str | None = Field(None, pattern=r"^[A-Za-z][A-Za-z0-9_-]*$")
    """A name for the block, used in error messages and by edition overrides."""
    span: Span | None = None
    """`column` flows in the page's columns; `page` spans the text width; `bleed` runs
    to the paper's edges. Full-width blocks go at the start or end of a page."""
    fit: Literal["error", "shrink"] = "error"
    """What to do when the page overflows: `error` reports it; `shrink` sets this
    block's text smaller, down to the theme's `min_size` (or 80% of its size)."""
    language: str | None = Field(None, pattern=r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$")
    """Language of this block's text when it is not the document's, as a BCP 47 tag:
    `es` for a quote in Spanish in an English factsheet. Stored in the tagged PDF so
    that a screen reader switches voice for it."""


class Hero(BlockBase):
    """The cover photograph, cropped to its frame around a focal point."""

    image: str
    """Photo file, relative to the project (`assets/photos/…`)."""
    caption: str = ""
    """Caption printed over the bottom of the photo."""
    credit: str = ""
    """Photo credit, printed small in the corner."""
    alt: str = ""
    """Description of the photo for readers who cannot see it."""
    height: Annotated[Dimension, Field(ge=mm(20))] = mm(95)
    """Height of the photo frame (at least 20mm)."""
    focus: tuple[float, float] = (0.5, 0.5)
    """Point to keep in view when cropping, as fractions of width and height from the
    top left: `[0.5, 0.5]` is the centre."""

    @model_validator(mode="after")
    def _check_focus(self) -> Hero:
        if not all(0.0 <= f <= 1.0 for f in self.focus):
            raise ValueError("focus values must lie between 0 and 1")
        return self


class TitleBand(BlockBase):
    """The coloured band holding the title, subtitle and logo."""

    title: str | None = None
    """Title; default: the document's title."""
    subtitle: str | None = None
    """Subtitle; default: the document's subtitle."""
    kicker: str = ""
    """Small line above the title, such as a series name or year."""


class Heading(BlockBase):
    """A section heading; it also becomes a PDF bookmark."""

    text: str
    """The heading text (a template; inline Markdown allowed)."""
    level: Literal[1, 2] = 1
    """1 for a section, 2 for a subsection."""


class Paragraph(BlockBase):
    """Body text: one or more paragraphs of inline Markdown, separated by blank lines."""

    text: str
    """The text (a template; **bold**, *italic*, [links](https://…) and 43^rd^)."""
    style: Literal["body", "lead", "small"] = "body"
    """`lead` is an introductory paragraph set slightly larger."""


class Quote(BlockBase):
    """A pull quote set apart from the body text."""

    text: str
    """The quotation, without quotation marks."""
    attribution: str = ""
    """Who said it."""
    context: str = ""
    """Where or when it was said."""


class Callout(BlockBase):
    """A highlighted box, optionally led by a big number."""

    text: str
    """The callout's text (a template)."""
    number: str = ""
    """Big number printed above the text, usually a figure: `{{ officials_trained }}`."""
    label: str = ""
    """Short line printed under the big number."""


class Annotation(Model):
    """A short note pointed at one category of a chart."""

    at: Scalar
    """The category (x value) to point at."""
    text: str
    """The note (a template)."""


def _rising(breaks: str | tuple[float, ...]) -> str | tuple[float, ...]:
    """A map's explicit class breaks: one to six values, each above the one before."""
    if isinstance(breaks, tuple):
        if not 1 <= len(breaks) <= 6:
            raise ValueError(f"breaks lists {len(breaks)} values; give 1 to 6 (2 to 7 classes)")
        if any(b <= a for a, b in itertools.pairwise(breaks)):
            raise ValueError("breaks must go up, each value above the one before")
    return breaks


ChartAggregate = Literal["sum", "mean", "median", "min", "max", "count", "first"]


class Chart(BlockBase):
    """A chart drawn from a data source."""

    type: Literal["bar", "hbar", "line", "area", "donut", "dot", "sparkline", "map"]
    """`bar` (vertical bars), `hbar` (horizontal bars), `line`, `area`, `donut`, `dot`
    (a lollipop), `sparkline` (a small trend line) or `map` (countries shaded by value;
    `x` holds country codes such as `NGA` or `NG`, or names such as `Nigeria`; see
    docs/maps.md)."""
    source: str
    """Name of a source declared under `data`."""
    x: str
    """Column of categories (bars, donut, dots) or of the horizontal axis (lines)."""
    y: str
    """Column of values."""
    series: str | None = None
    """Column naming the series, for several bars per category or several lines."""
    stacked: bool = False
    """Stack the series' bars instead of setting them side by side."""
    where: Where = {}
    """Row filters, as for figures."""
    sort: Literal["data", "ascending", "descending"] | None = None
    """Order of the categories: `descending` (largest value first), `ascending`, or
    `data` (as they come in the data). Default: as in the data. A line, area or
    sparkline whose `x` holds numbers or dates (years) always runs in their order
    (2000, 2010, 2020), whatever the order of the file's rows; sorting it by value is
    an error."""
    top: int | None = Field(None, ge=1, le=100)
    """Keep only the first N categories after sorting: `top: 10` with `sort:
    descending` keeps the ten largest. `top` needs `sort` written out (`sort: data`
    keeps the first N in the data's order), so it never keeps the first N of the file
    when the largest were meant."""
    ties: Literal["error", "include", "first"] = "error"
    """With `top` and a sorted chart: what happens when the cut falls between
    categories of equal value (the 3rd and 4th largest are both 5, with `top: 3`).
    `error` (the default) stops the build and names them; `include` keeps every
    category tied with the last one kept, so the chart shows more than `top`; `first`
    keeps the tied ones that come first in the data."""
    title: str = ""
    """Chart title."""
    subtitle: str = ""
    """Line under the title, such as the unit."""
    x_label: str = ""
    """Label of the x axis."""
    y_label: str = ""
    """Label of the y axis."""
    note: str = ""
    """Source note printed under the chart."""
    alt: str = ""
    """Description of the chart for readers who cannot see it."""
    format: Format = Format()
    """How values are printed on the chart's labels and axis."""
    labels: bool = True
    """Print each value next to its bar or point."""
    highlight: Scalar | None = None
    """A category (or, with `series`, a series) drawn in the theme's highlight colour;
    every other mark takes a colour clearly different from it. A highlight that matches
    nothing the chart shows is a warning."""
    classes: int = Field(5, ge=2, le=7)
    """For maps: the most shades the values are grouped into. A map uses fewer when the
    data has fewer distinct values (two values make two classes, `80` and `81`)."""
    breaks: Annotated[Literal["equal", "quantile"] | tuple[float, ...], AfterValidator(_rising)] = (
        "equal"
    )
    """For maps: how values are grouped into shades. `equal`: classes of one round width
    (such as 10–19, 20–29) from the smallest value to the largest; `quantile`: about as
    many countries in each class; or a list of the values where one class ends and the
    next begins, such as `[10, 50, 100]` (four classes: under 10, 10–49, 50–99, 100 and
    over), to keep the same classes in every edition. See docs/maps.md."""
    region: str | None = None
    """For maps: the part of the world to show: a continent (`Africa`, `South America`),
    a UN region (`Americas`) or subregion (`Western Africa`), as Natural Earth names
    them, or `World`. Default: just wide enough for the countries that have data."""
    small_countries: Literal["warn", "dot"] = "warn"
    """For maps: countries in the data that the map's shapes are too coarse to draw
    (Singapore, Malta, most small island states) are always marked by a dot in their
    class's shade. `warn` (the default) also warns, naming them, so you check that
    each is meant to be there; `dot` says you have, and silences the warning (so
    `check --strict` passes). See docs/maps.md."""
    annotations: tuple[Annotation, ...] = ()
    """Notes pointed at categories: `[{at: 2017, text: "Peak"}]` (bar, hbar, dot, line
    and area charts). Each is set clear of the value labels and inside the chart: above
    the plot with a line down to its category, or beside a horizontal bar's label."""
    height: Annotated[Dimension, Field(ge=mm(15))] = mm(48)
    """Height of the chart, including its title and note (at least 15mm)."""
    aggregate: ChartAggregate | None = None
    """How rows that share an `x` value (and a series) become the one value the chart
    shows: `sum`, `mean`, `median`, `min`, `max`, `count` (how many rows there are) or
    `first` (the first such row in the file). Without it, two such rows are an error
    that names them: a chart never adds rows up, or picks one, by itself."""
    weight: str | None = None
    """With `aggregate: mean`, a column to weight each row by, for a weighted mean (a
    country's population, say)."""
    missing: Literal["error", "skip", "zero"] = "error"
    """What a row with an empty cell does. `error` (the default) stops the build and
    names the row's file line. `skip` leaves rows with an empty `x`, `y`, `series` or
    `weight` cell out of the chart (a line then has a gap, a bar is missing, a map shows
    the country as having no data). `zero` says an empty `y` cell counts as 0: it is
    drawn and labelled as 0, and the manifest lists the rows it filled in; an empty `x`,
    `series` or `weight` cell is still an error. A category with no row at all is always
    a gap, never 0."""

    @model_validator(mode="after")
    def _top_needs_sort(self) -> Chart:
        if self.top is not None and self.sort is None:
            raise ValueError(
                f"`top: {self.top}` keeps the first {self.top} categories after `sort`, "
                "and the chart has no `sort`: add `sort: descending` to keep the largest, "
                "`sort: ascending` for the smallest, or `sort: data` for the first in the "
                "data's order"
            )
        return self


class TableColumn(Model):
    """One column of a data table."""

    column: str
    """Column of the source to show."""
    header: str | None = None
    """Header text; default: the column's name."""
    format: Format | None = None
    """How numbers in this column are printed; default: as numbers, no decimals."""
    align: Literal["left", "right", "centre"] | None = None
    """Alignment; default: numbers right (decimals lined up), text left."""
    width: Dimension | None = None
    """Width; default: shared out by content."""
    total: bool | Literal["sum", "mean", "none"] | None = None
    """What this column prints in the table's total row: `sum` adds the rows up;
    `mean` is their average (with `weight`, a weighted average); `none` leaves the
    cell blank (`true` and `false` mean `sum` and `none`). Default: `sum` for a column
    of counts or amounts. A column whose values do not add up (a share, a rate, a
    percentage or an average: a `percent` format, or a name or header such as
    `share`, `rate`, `%`, `mean`, `per head`; or a year or a code: `grouping: false`,
    or a name or header such as `year` or `code`) is never summed unless you write
    `total: sum`: the build stops and asks which one you mean. An empty cell among the
    rows the total adds is an error rather than a total of the others: fill it in,
    leave its row out with `where`, or set `total: none`."""
    weight: str | None = None
    """With `total: mean`: the column each row's value is weighted by, such as a
    population for life expectancy (the total is the sum of value × weight over the
    sum of the weights). The weight column need not be shown."""

    @model_validator(mode="after")
    def _weight_needs_mean(self) -> TableColumn:
        if self.weight is not None and self.total != "mean":
            raise ValueError(
                f"`weight: {self.weight}` weights the average in the total row: it goes "
                "with `total: mean`"
            )
        return self


class TableTotal(Model):
    """A table's total row: its label, and which rows it adds up."""

    label: str
    """The row's label, printed in the first column: `All regions`. When the total
    adds only some of the rows (a top 10 with `of: shown`), the label must say so:
    `Top 10 total`."""
    of: Literal["shown", "selected"] | None = None
    """Which rows the total adds: `shown`, the rows printed above it; `selected`, every
    row `where` selects, those `max_rows` leaves out included (the total of the whole,
    under a top 10). Required when the table shows only some of its rows: with
    `max_rows`, or with a `where` that picks rows by the names in its first column
    (`region: [Africa, Asia]`) or by a threshold on a number it shows (`value: {min:
    100}`); leaving out rows that are totals themselves (`{not: Global}`) does not
    count. The label then says which rows: `Top 10 total`."""
    aggregate_rows: Where | None = None
    """Rows that are themselves totals of other rows (a `Global`, `World` or `Total`
    row), written as a filter: `{region: Global}`. The total leaves them out, so they
    are never counted twice; they are still shown if `where` selects them. By default
    a row the total would add whose text reads as a total (Global, World, Total, All …,
    and their names in French, Spanish, Russian, Arabic and Chinese) stops the build;
    `aggregate_rows: {}` says the table has no such row."""


class DataTable(BlockBase):
    """A table of rows from a data source."""

    source: str
    """Name of a source declared under `data`."""
    columns: tuple[Annotated[TableColumn, shorthand("column")], ...] = Field(min_length=1)
    """The columns to show, in order: a column name, or `{column, header, format, align}`."""
    where: Where = {}
    """Row filters, as for figures."""
    sort: str | None = None
    """Column to sort the rows by."""
    descending: bool = False
    """Sort from the largest value down."""
    max_rows: int | None = Field(None, ge=1, le=500)
    """Show at most this many rows, after sorting: `max_rows` needs `sort`, so a table
    never shows the first rows of the file when the largest were meant."""
    ties: Literal["warn", "include", "first"] = "warn"
    """What `max_rows` does when it cuts between rows with the same value in the
    `sort` column (two countries tied for 10th place): `warn` shows the first in the
    file's order and warns; `include` shows every tied row, so the table may run past
    `max_rows`; `first` shows the first in the file's order without a warning."""
    total: Annotated[TableTotal, shorthand("label")] | None = None
    """Add a total row: its label (`total: All regions`), or `{label, of,
    aggregate_rows}` to say which rows it adds. Each column says how it is combined
    (its own `total`: `sum`, `mean` or `none`)."""
    highlight: dict[str, Scalar] = {}
    """Highlight the rows where a column has a value: `{region: Africa}`."""
    zebra: bool = True
    """Shade every other row."""
    title: str = ""
    """Table title."""
    note: str = ""
    """Source note printed under the table."""

    @model_validator(mode="after")
    def _cut_needs_sort(self) -> DataTable:
        if self.max_rows is not None and self.sort is None:
            raise ValueError(
                f"`max_rows: {self.max_rows}` keeps the first {self.max_rows} rows after "
                "`sort`, and the table has no `sort`: add `sort` with the column to order "
                "the rows by (and `descending: true` to keep the largest)"
            )
        return self


class Tile(Model):
    """One big-number tile."""

    number: str
    """The big number, usually a figure: `{{ officials_trained }}`. It is never broken
    over two lines: when one number of the block is too wide for its tile, every number
    of the block is set smaller, down to the theme's `callout_number` `min_size` (or 60%
    of its size); a number still too wide is an error giving the width it needs."""
    label: str = ""
    """What the number counts."""
    delta: str | None = Field(None, pattern=r"^[A-Za-z_][A-Za-z0-9_]*$")
    """Name of a figure giving the change, such as one with `aggregate: change`; it is
    printed with an arrow up or down."""
    since: str = ""
    """What the change is measured against, printed after it: `vs 2020`."""


class KeyFigures(BlockBase):
    """A grid of big-number tiles."""

    tiles: tuple[Tile, ...] = Field(min_length=1, max_length=12)
    """The tiles, in reading order."""
    columns: int = Field(3, ge=1, le=6)
    """Tiles per row."""


class Image(BlockBase):
    """A picture or logo (PNG, JPEG or SVG)."""

    file: str
    """Image file, relative to the project."""
    width: Dimension | None = None
    """Width; default: the column width."""
    caption: str = ""
    """Caption printed under the image."""
    alt: str = ""
    """Description of the image for readers who cannot see it."""


class Contact(BlockBase):
    """Who to contact: name, unit, email (a mailto link) and website."""

    intro: str = ""
    """A sentence before the contact details."""
    name: str
    """Organisation or person."""
    unit: str = ""
    """Department or unit."""
    email: str | None = Field(None, pattern=r"^[^@\s<>\"]+@[^@\s<>\"]+\.[A-Za-z]{2,}$")
    """Email address, printed as a mailto link."""
    website: str | None = Field(None, pattern=r"^https?://[^\s<>\"]+$")
    """Website address (http or https), printed as a link."""


class Spacer(BlockBase):
    """Empty vertical space."""

    height: Dimension = mm(6)
    """How much space."""


class Break(BlockBase):
    """Continue in the next column (`column`) or on a new page (`page`)."""

    to: Literal["column", "page"] = "page"
    """Where the following blocks continue."""


BLOCK_KINDS: tuple[str, ...] = (
    "hero",
    "title_band",
    "heading",
    "paragraph",
    "quote",
    "callout",
    "chart",
    "table",
    "key_figures",
    "image",
    "contact",
    "spacer",
    "page_break",
    "column_break",
)


class Block(Model):
    """One block, written as a single key naming its kind: `- heading: "Text"`."""

    hero: Hero | None = None
    """Cover photograph with caption and credit."""
    title_band: Annotated[TitleBand | None, BeforeValidator(lambda v: {} if v is None else v)] = (
        None
    )
    """Coloured band with the title, subtitle and logo."""
    heading: Annotated[Heading | None, shorthand("text")] = None
    """Section heading."""
    paragraph: Annotated[Paragraph | None, shorthand("text")] = None
    """Body text."""
    quote: Annotated[Quote | None, shorthand("text")] = None
    """Pull quote."""
    callout: Annotated[Callout | None, shorthand("text")] = None
    """Highlighted statistic box."""
    chart: Chart | None = None
    """Chart from data."""
    table: DataTable | None = None
    """Table from data."""
    key_figures: KeyFigures | None = None
    """Grid of big-number tiles."""
    image: Annotated[Image | None, shorthand("file")] = None
    """Picture or logo."""
    contact: Contact | None = None
    """Contact details."""
    spacer: Annotated[Spacer | None, shorthand("height")] = None
    """Vertical space."""
    page_break: Annotated[
        Break | None, BeforeValidator(lambda v: {"to": "page"} if v in (None, True) else v)
    ] = None
    """Continue on a new page."""
    column_break: Annotated[
        Break | None, BeforeValidator(lambda v: {"to": "column"} if v in (None, True) else v)
    ] = None
    """Continue in the next column."""

    @model_validator(mode="before")
    @classmethod
    def _one_kind(cls, data: Any) -> Any:
        if isinstance(data, str):
            raise ValueError(f"a block is written as `- kind: ...`, got the text {data!r}")
        if isinstance(data, dict) and len(data) != 1:
            from factsheet.spec.strays import stray_fields  # it reads the block kinds

            stray = stray_fields(data)
            if stray is not None:
                raise ValueError(stray)
            names = ", ".join(map(str, data)) or "nothing"
            raise ValueError(
                f"a block names exactly one kind, got {names}; "
                "start a new list item (`- `) for each block"
            )
        return data

    @property
    def kind(self) -> str:
        # Asked for several times per block and build: the one field that is set.
        fields = self.__dict__
        return next(k for k in BLOCK_KINDS if fields[k] is not None)

    @property
    def body(self) -> BlockBase:
        value: BlockBase = self.__dict__[self.kind]
        return value
