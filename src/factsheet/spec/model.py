"""The spec's typed, frozen model (format v1). Every field has one docstring, so the
model is its own reference: ``factsheet schema`` and ``docs/spec.md`` are generated from
it. Nothing here reads files or computes values; this module only says what a valid
spec looks like. Text fields hold templates that :mod:`factsheet.text` renders later.
Block kinds live in :mod:`factsheet.spec.blocks`, data sources and figures in
:mod:`factsheet.spec.data` and editions in :mod:`factsheet.spec.editions`; all are
re-exported here."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any, Literal

from pydantic import Field, ValidationInfo, field_validator

from factsheet.spec.base import (
    Condition,
    FilterValue,
    Format,
    Model,
    Range,
    Scalar,
    Where,
)
from factsheet.spec.blocks import (
    BLOCK_KINDS,
    Block,
    BlockBase,
    Break,
    Callout,
    Chart,
    Contact,
    DataTable,
    Heading,
    Hero,
    Image,
    KeyFigures,
    Paragraph,
    Quote,
    Spacer,
    Span,
    TitleBand,
)
from factsheet.spec.data import (
    Aggregate,
    Arithmetic,
    ColumnType,
    FigureSpec,
    Join,
    Rank,
    Source,
    Summary,
    Top,
)
from factsheet.spec.editions import Editions

DEFAULT_LANGUAGE = "en"  # a spec's `document.language` when it names none

__all__ = [
    "BLOCK_KINDS",
    "DEFAULT_LANGUAGE",
    "Aggregate",
    "Arithmetic",
    "Block",
    "BlockBase",
    "Break",
    "Callout",
    "Chart",
    "ColumnType",
    "Condition",
    "Contact",
    "DataTable",
    "Document",
    "Editions",
    "FigureSpec",
    "FilterValue",
    "Format",
    "Heading",
    "Hero",
    "Image",
    "Join",
    "KeyFigures",
    "Model",
    "Page",
    "Paragraph",
    "Quote",
    "Range",
    "Rank",
    "Scalar",
    "Source",
    "Spacer",
    "Span",
    "Spec",
    "Summary",
    "TitleBand",
    "Top",
    "Where",
]

# --- document ---------------------------------------------------------------------


class PdfOptions(Model):
    """What kind of PDF to write. Both are on by default; turn them off only for a
    draft, as public bodies must publish accessible documents."""

    tagged: bool = True
    """Write a tagged PDF (PDF/UA-1): headings, paragraphs, lists, tables, figures with
    their alt text and links in reading order for screen readers, and page furniture
    marked as such. When on, every photo and image needs `alt` text (off, a missing
    one is a warning). Tagged or not, heading levels may not skip: a level-2 heading
    needs a level-1 heading before it."""
    standard: Literal["pdf/a-2b", "none"] = "pdf/a-2b"
    """`pdf/a-2b` writes an archival PDF (PDF/A-2b: fonts embedded, an sRGB colour
    profile, metadata that declares the standard); `none` writes a plain PDF."""


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
    language: str = Field(DEFAULT_LANGUAGE, pattern=r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$")
    """Language of the text as a BCP 47 tag, for example `en`, `fr`, `es-AR`, `ar` or
    `zh`. Numbers and dates are written the language's way, from the Unicode CLDR
    (decimal mark, digit grouping, percent sign, compact forms, month names); a tag
    CLDR does not know is an error rather than English formats in its text."""
    year: int | None = Field(None, ge=1900, le=2200)
    """Year the factsheet covers; available to templates as `{{ year }}`."""
    date: dt.date | None = None
    """Publication date (YYYY-MM-DD). Stored as the PDF's dates, so builds are reproducible.
    Defaults to 1 January of `year`."""
    date_format: Literal["short", "medium", "long", "full"] = "long"
    """How `{{ date }}` prints the publication date in templates, in the document's
    language: `long` (the default) is `15 December 2021`, `15 décembre 2021`,
    `15 декабря 2021 г.` or `2021年12月15日`; `medium` is `15 Dec 2021`; `short` is
    `15/12/2021` (in the language's order); `full` adds the weekday. `{{ date }}` needs
    `date` to be set: a factsheet never prints a date it was not given."""
    digits: Literal["latin", "native"] = "latin"
    """The digits numbers and dates are written in. `latin` (the default) writes 0-9
    in every language. `native` writes the language's own digits where it has them,
    with the decimal mark, grouping and percent sign that go with them: Arabic-Indic
    digits in Arabic (`٧٢٫٥٪` for 72.5%), Devanagari in Hindi, Chinese numerals
    (〇一二三) in Chinese. A language whose own digits are 0-9 (English, French,
    Spanish, Russian) writes 0-9 either way. To give only the Arabic edition its own
    digits, set `digits: native` in that edition's override."""
    output: str | None = None
    """Where to write the PDF, relative to the project. Default: `output/<spec name>.pdf`."""
    page_size: Literal["A4", "Letter"] = "A4"
    """Paper size."""
    pdf: PdfOptions = PdfOptions()
    """Accessibility and archiving: see `PdfOptions`. Example: `pdf: {tagged: false,
    standard: none}` for a plain, untagged draft."""
    pages: int = Field(2, ge=1, le=40)
    """Page budget: the most pages the factsheet may have. The pages themselves come
    from the entries under `pages` and their `page_break` blocks; content never runs on
    to a new page by itself, so raising the budget alone never fixes an overflow. More
    pages than the budget is an error, never a silent extra page."""

    @field_validator("language")
    @classmethod
    def _known_language(cls, value: str) -> str:
        """Checked here so that every stage may rely on it (scripts, direction, number
        formats, catalogs): an unknown tag is an error at its own line."""
        from factsheet.errors import SpecError
        from factsheet.language import language

        try:
            language(value)
        except SpecError as exc:
            raise ValueError(f"{exc.message}: {exc.hint}" if exc.hint else exc.message) from None
        return value

    @property
    def publication_date(self) -> dt.date:
        if self.date is not None:
            return self.date
        return dt.date(self.year or 2000, 1, 1)


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
    extends: str | None = None
    """A base spec this one builds on, as a path from this file's folder (`2021.yaml`).
    Everything the base says holds unless this spec says otherwise: mappings such as
    `document`, `data` and `figures` are merged key by key (`null` removes a key), a
    list replaces the base's list, and `blocks` changes the base's blocks by id. See
    docs/reuse.md."""
    document: Document
    """Title, metadata, paper size and page budget."""
    theme: str = Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")
    """Brand kit: the name of a file in `assets/themes/` (without `.yaml`)."""
    data: dict[str, Source] = {}
    """Named data sources: files, and sources derived from them."""
    figures: dict[str, FigureSpec] = {}
    """Named figures computed from the data, printed in text with `{{ name }}`."""
    variables: dict[str, str] = {}
    """Template variables: `place: the Americas` makes `{{ place }}` print "the
    Americas". Each is a template itself and sees `year`, the edition keys and the
    variables above it. Edition `variables` and overrides add to them and change them.
    See docs/templates.md."""
    pages: tuple[Page, ...] = Field(min_length=1)
    """The pages, in order."""
    blocks: dict[str, dict[str, Any] | None] = {}
    """With `extends`: changes to the base spec's blocks, by block `id`. `trends: {text:
    …}` changes fields of the block `trends`; `trends: null` removes it; a new id with
    `after: <id>` (or `before: <id>`) and one block kind adds a block, such as
    `outlook: {after: trends, paragraph: "…"}`."""
    editions: Editions | None = None
    """Build many factsheets from this spec: per region, year or language."""

    @field_validator("figures", "variables")
    @classmethod
    def _template_names(cls, value: dict[str, Any], info: ValidationInfo) -> dict[str, Any]:
        what = "figure" if info.field_name == "figures" else "variable"
        for name in value:
            if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", name):
                raise ValueError(
                    f"{what} name '{name}' must be letters, digits and underscores "
                    "(it is used as {{ name }} in text)"
                )
        return value
