"""The spec's typed, frozen model (format v1). Every field has one docstring, so the
model is its own reference: ``factsheet schema`` and ``docs/spec.md`` are generated from
it. Nothing here reads files or computes values; this module only says what a valid
spec looks like. Text fields hold templates that :mod:`factsheet.text` renders later."""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, model_validator

from factsheet.spec.units import Dimension, mm

Scalar = str | int | float | bool


class Model(BaseModel):
    """Shared configuration: frozen, unknown keys refused, docstrings become descriptions."""

    model_config = ConfigDict(
        frozen=True, extra="forbid", use_attribute_docstrings=True, populate_by_name=True
    )

    @model_validator(mode="before")
    @classmethod
    def _numbers_as_written(cls, data: Any) -> Any:
        """A number written where text is expected keeps its text exactly (`1.10`)."""
        if not isinstance(data, dict):
            return data
        fixed = dict(data)
        for name, info in cls.model_fields.items():
            key = info.alias or name
            raw = getattr(fixed.get(key), "raw", None)
            if raw is not None and info.annotation in (str, str | None):
                fixed[key] = raw
        return fixed


def _shorthand(field: str) -> Any:
    """Accept ``kind: "text"`` as shorthand for ``kind: {field: "text"}``."""

    def expand(value: Any) -> Any:
        return {field: value} if isinstance(value, str | int | float) else value

    return BeforeValidator(expand)


# --- document ---------------------------------------------------------------------


class Document(Model):
    """What the factsheet is: its title and the metadata stored in the PDF."""

    title: str
    """Main title, printed in the title band and stored as the PDF title."""
    subtitle: str = ""
    """Line printed under the title."""
    author: str
    """Organisation or author, stored as the PDF author and printed in the footer."""
    subject: str = ""
    """One-sentence summary, stored as the PDF subject."""
    keywords: tuple[str, ...] = ()
    """Keywords stored in the PDF metadata."""
    language: str = Field("en", pattern=r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$")
    """Language of the text as a BCP 47 tag, for example `en`, `fr` or `ar-EG`."""
    year: int | None = Field(None, ge=1900, le=2200)
    """Year the factsheet covers; available to templates as `{{ year }}`."""
    date: dt.date | None = None
    """Publication date (YYYY-MM-DD). Stored as the PDF's dates, so builds are reproducible.
    Defaults to 1 January of `year`."""
    output: str | None = None
    """Where to write the PDF, relative to the project. Default: `output/<spec name>.pdf`."""
    page_size: Literal["A4", "Letter"] = "A4"
    """Paper size."""
    pages: int = Field(2, ge=1, le=40)
    """Page budget: content that needs more pages is an error, never a silent extra page."""

    @property
    def publication_date(self) -> dt.date:
        if self.date is not None:
            return self.date
        return dt.date(self.year or 2000, 1, 1)


# --- data and figures -------------------------------------------------------------

ColumnType = Literal["text", "number", "integer", "date"]


class Source(Model):
    """A table read from a CSV or XLSX file."""

    file: str
    """Path of the file, relative to the project (`data/migrants.csv`)."""
    sheet: str | None = None
    """Worksheet to read from an XLSX file. Default: the first sheet."""
    columns: dict[str, ColumnType] = {}
    """Declared column types. Undeclared columns are numbers when every cell is a number,
    otherwise text. Text cells such as `NA` stay text, never missing values."""


class Range(Model):
    """An inclusive range filter: rows whose value lies between `min` and `max`."""

    min: float | None = None
    """Lowest value kept."""
    max: float | None = None
    """Highest value kept."""


FilterValue = Scalar | list[Scalar] | Range
Where = dict[str, FilterValue]


class Format(Model):
    """How a number is printed."""

    style: Literal["number", "percent", "compact"] = "number"
    """`number` prints 1,234; `percent` prints a fraction as a percentage (0.72 → 72%);
    `compact` prints 1.2M or 45K."""
    decimals: int = Field(0, ge=0, le=6)
    """Digits after the decimal point."""
    prefix: str = ""
    """Text printed before the number, such as `US$`."""
    suffix: str = ""
    """Text printed after the number, such as ` people`."""
    sign: bool = False
    """Print a `+` before positive numbers (useful for changes)."""


Aggregate = Literal["value", "sum", "mean", "min", "max", "count", "share", "change"]


class FigureSpec(Model):
    """A named number computed from a data source, printed with `{{ name }}`."""

    source: str
    """Name of a source declared under `data`."""
    where: Where = {}
    """Row filters: `column: value` (equality), `column: [a, b]` (membership) or
    `column: {min: 1, max: 9}` (range). All filters must hold."""
    column: str | None = None
    """Column holding the values. Not needed for `count`."""
    aggregate: Aggregate = "value"
    """`value` (exactly one row), `sum`, `mean`, `min`, `max`, `count`, `share` (the selected
    rows' sum as a fraction of the sum over `of`), or `change` (from row `from` to row `to`)."""
    of: Where = {}
    """For `share`: filters for the total the share is taken of. Default: every row."""
    from_: Where | None = Field(None, alias="from")
    """For `change`: filters selecting the earlier row."""
    to: Where | None = None
    """For `change`: filters selecting the later row."""
    relative: bool = False
    """For `change`: give the change as a fraction of the earlier value."""
    format: Format = Format()
    """How the figure is printed."""

    @model_validator(mode="after")
    def _check_shape(self) -> FigureSpec:
        if self.aggregate != "count" and self.column is None:
            raise ValueError(f"aggregate '{self.aggregate}' needs a 'column'")
        if self.aggregate == "change" and (self.from_ is None or self.to is None):
            raise ValueError("aggregate 'change' needs both 'from' and 'to' row filters")
        return self


# --- blocks -----------------------------------------------------------------------

Span = Literal["column", "page", "bleed"]


class BlockBase(Model):
    """Options every block accepts."""

    id: str | None = Field(None, pattern=r"^[A-Za-z][A-Za-z0-9_-]*$")
    """A name for the block, used in error messages and by edition overrides."""
    span: Span | None = None
    """`column` flows in the page's columns; `page` spans the text width; `bleed` runs
    to the paper's edges. Full-width blocks go at the start or end of a page."""


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


class Chart(BlockBase):
    """A chart drawn from a data source."""

    type: Literal["bar", "hbar", "line"]
    """`bar` (vertical bars), `hbar` (horizontal bars) or `line`."""
    source: str
    """Name of a source declared under `data`."""
    x: str
    """Column of categories (bars) or of the horizontal axis (lines)."""
    y: str
    """Column of values."""
    where: Where = {}
    """Row filters, as for figures."""
    title: str = ""
    """Chart title."""
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
    """An x value drawn in the accent colour."""
    height: Annotated[Dimension, Field(ge=mm(15))] = mm(48)
    """Height of the chart, including its title and note (at least 15mm)."""


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
    heading: Annotated[Heading | None, _shorthand("text")] = None
    """Section heading."""
    paragraph: Annotated[Paragraph | None, _shorthand("text")] = None
    """Body text."""
    quote: Annotated[Quote | None, _shorthand("text")] = None
    """Pull quote."""
    callout: Annotated[Callout | None, _shorthand("text")] = None
    """Highlighted statistic box."""
    chart: Chart | None = None
    """Chart from data."""
    image: Annotated[Image | None, _shorthand("file")] = None
    """Picture or logo."""
    contact: Contact | None = None
    """Contact details."""
    spacer: Annotated[Spacer | None, _shorthand("height")] = None
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
            names = ", ".join(map(str, data)) or "nothing"
            raise ValueError(
                f"a block names exactly one kind, got {names}; "
                "start a new list item (`- `) for each block"
            )
        return data

    @property
    def kind(self) -> str:
        return next(k for k in BLOCK_KINDS if getattr(self, k) is not None)

    @property
    def body(self) -> BlockBase:
        value: BlockBase = getattr(self, self.kind)
        return value


# --- pages and the spec -----------------------------------------------------------


class Page(Model):
    """One page: a template and its blocks in reading order."""

    template: Literal["cover", "body"] = "body"
    """`cover` (photo and title band on top, columns below) or `body` (columns)."""
    columns: Literal[1, 2] = 2
    """Number of text columns."""
    blocks: tuple[Block, ...] = Field(min_length=1)
    """The page's blocks, in reading order."""


class Spec(Model):
    """A factsheet spec (format v1)."""

    version: Literal[1] = 1
    """Spec format version."""
    document: Document
    """Title, metadata, paper size and page budget."""
    theme: str = Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")
    """Brand kit: the name of a file in `assets/themes/` (without `.yaml`)."""
    data: dict[str, Source] = {}
    """Named data sources."""
    figures: dict[str, FigureSpec] = {}
    """Named figures computed from the data, printed in text with `{{ name }}`."""
    pages: tuple[Page, ...] = Field(min_length=1)
    """The pages, in order."""

    @model_validator(mode="after")
    def _check_names(self) -> Spec:
        for name in self.figures:
            if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", name):
                raise ValueError(f"figure name '{name}' must be letters, digits and underscores")
        return self
