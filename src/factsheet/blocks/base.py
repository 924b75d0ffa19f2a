"""What every block kind shares: the context a block is built in, the result it
returns, and the registry that maps a kind's name to its builder. A new block kind is
one new module that calls :func:`register`; nothing else in the pipeline changes."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from reportlab.platypus import Paragraph

from factsheet.blocks import printed
from factsheet.data.figures import FigureValue
from factsheet.data.formats import NumberLocale
from factsheet.data.sources import Table
from factsheet.errors import SpecError
from factsheet.layout import scripts
from factsheet.layout.paragraph import shared_para
from factsheet.layout.roles import Placed
from factsheet.layout.styles import paragraph_style
from factsheet.location import KeyPath, Location
from factsheet.paths import existing_file
from factsheet.render.boxes import with_prints
from factsheet.spec.model import BlockBase, Document
from factsheet.text import LinkStyle, Templates, render_markup, render_plain
from factsheet.theme import LoadedTheme

if TYPE_CHECKING:
    from factsheet.translations.names import DataNames

B = TypeVar("B", bound=BlockBase)


@dataclass(frozen=True)
class BlockContext:
    """Everything a block builder may read. Built per edition and page; never mutated."""

    document: Document
    theme: LoadedTheme
    templates: Templates
    root: Path
    tables: Mapping[str, Table]
    figures: Mapping[str, FigureValue]
    locale: NumberLocale
    width: float  # width of the block's frame in points
    key_path: KeyPath
    inset: float = 0.0  # for full-bleed blocks: the page margin their content aligns to
    scale: float = 1.0  # text size factor, below 1 when a `fit: shrink` block is shrunk
    draw: bool = True  # false for `check`: build to measure and check, do not draw charts
    plot_left: float = 0.0  # charts: the plot area's left edge it shares with its neighbours
    titled: bool = False  # a title band gives the factsheet its top heading (H1)
    values: DataNames | None = None
    """Data values translated for the edition's language (see `LoadedSpec.values`)."""
    units: Mapping[str, Mapping[str, str]] | None = None
    """Per source, the units its spec declares for its columns (`percent`, `fraction`)."""

    def shown(self, source: str, column: str, value: str) -> str:
        """A data value of `source`'s `column` as the reader sees it: translated when
        the edition's catalog translates it. Filters and sorting use the value itself."""
        return value if self.values is None else self.values.shown(source, column, value)

    def untranslated(self, source: str, column: str, values: Iterable[str]) -> list[str]:
        """Warnings for the values of `column` shown in the source language."""
        if self.values is None:
            return []
        found = (self.values.warning(source, column, v) for v in dict.fromkeys(values))
        return [w for w in found if w is not None]

    @property
    def tagged(self) -> bool:
        """Whether the PDF is tagged, so that pictures need alt text."""
        return self.document.pdf.tagged

    @property
    def links(self) -> LinkStyle:
        return LinkStyle(colour=self.theme.theme.colour(self.theme.theme.link_colour))

    def paragraphs(self, template: str, role: str, **style_changes: Any) -> list[Paragraph]:
        """Render a text template into one Paragraph per Markdown paragraph."""
        style = paragraph_style(self.theme, role, self.document.language)
        if self.scale != 1.0:
            style_changes = {**self.shrunk(role, style), **style_changes}
        if style_changes:
            from factsheet.layout.styles import variant

            style = variant(style, **style_changes)
        names = printed.figure_names(template, self.figures)
        if not names:
            markups = render_markup(template, self.templates, self.links)
            return [shared_para(scripts.apply(markup, style), style) for markup in markups]
        found = printed.render_marked(template, self.templates, self.figures, names, self.links)
        return [
            with_prints(shared_para(scripts.apply(markup, style), style), prints)
            for markup, prints in found
        ]

    def shrunk(self, role: str, style: Any) -> dict[str, float]:
        """Size and leading scaled down; ShrinkLimit below the smallest size allowed."""
        text_style = getattr(self.theme.theme.styles, role)
        smallest = text_style.min_size or text_style.size * 0.8
        size = round(style.fontSize * self.scale, 2)
        if size < smallest - 1e-6:
            raise ShrinkLimit(role)
        return {"fontSize": size, "leading": round(style.leading * self.scale, 2)}

    def plain(self, template: str) -> str:
        """Render a text template to plain text (bookmarks, alt text, metadata)."""
        return " ".join(render_plain(template, self.templates).split())

    def asset(self, relative: str, what: str) -> Path:
        """A file the spec names, confined to the project and checked to exist."""
        return existing_file(self.root, relative, f"{what} file '{relative}'", f"{what} file")

    def alt(self, template: str, what: str) -> str:
        """A picture's alt text. A tagged PDF needs one for every picture that carries
        meaning, so an empty one is an error there (a warning in an untagged PDF)."""
        text = self.plain(template).strip()
        if not text and self.tagged:
            raise SpecError(
                f"the {what} has no `alt` text, which a tagged PDF needs for readers who "
                "cannot see it",
                Location(key_path=(*self.key_path, "alt")),
                hint="describe what it shows in a sentence, in `alt:`; or, for a draft only, "
                "turn tagging off with `document.pdf.tagged: false`",
            )
        return text

    def colour(self, name: str) -> str:
        return self.theme.theme.colour(name)


class ShrinkLimit(Exception):
    """A `fit: shrink` block cannot get any smaller."""


class FieldWarning(str):
    """A block's warning about one of its fields (`field`, a key path under the block,
    such as `("file",)`), or about another file (`location`, such as the theme's
    `logo` line): it is shown there rather than at the block's first line."""

    field: KeyPath
    location: Location | None

    def __new__(
        cls, text: str, field: KeyPath = (), location: Location | None = None
    ) -> FieldWarning:
        warning = super().__new__(cls, text)
        warning.field = field
        warning.location = location
        return warning


@dataclass(frozen=True)
class Built:
    """A block's flowables and how the layout may treat them."""

    flowables: tuple[Any, ...]
    keep_together: bool = False
    keep_with_next: bool = False
    breaks: str | None = None
    files: tuple[Path, ...] = ()  # files the block read, for provenance and caching
    warnings: tuple[str, ...] = ()  # things worth fixing that do not stop the build
    tags: tuple[Placed, ...] = ()  # one per flowable: what it is to a reader (layout.roles)


Builder = Callable[[Any, BlockContext], Built]
REGISTRY: dict[str, Builder] = {}
DEFAULT_SPAN: dict[str, str] = {}


def register(
    kind: str, span: str = "column"
) -> Callable[[Callable[[B, BlockContext], Built]], Callable[[B, BlockContext], Built]]:
    """Register the builder of a block kind and the span it takes by default."""

    def decorate(builder: Callable[[B, BlockContext], Built]) -> Callable[[B, BlockContext], Built]:
        REGISTRY[kind] = builder
        DEFAULT_SPAN[kind] = span
        return builder

    return decorate
