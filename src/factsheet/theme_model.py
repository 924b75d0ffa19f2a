"""The brand kit's schema: a theme file (`assets/themes/<name>.yaml`) as typed, frozen
models with one docstring per field, so the schema is its own reference (docs/theme.md
is generated from it): colours, font families and each script's font chain, page
geometry, text styles and the style of every block kind, with the checks a theme's
values need (colour names, hex codes, page geometry). Loading a theme and registering
its fonts is :mod:`factsheet.theme`'s."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Literal

from pydantic import Field

from factsheet.errors import did_you_mean
from factsheet.location import KeyPath
from factsheet.spec.model import Model
from factsheet.spec.units import Dimension, mm
from factsheet.theme_geometry import geometry_problems

HEX = re.compile(r"^#[0-9A-Fa-f]{6}$")
REQUIRED_COLOURS = frozenset({"primary", "accent", "tint", "text", "muted", "rule", "paper"})
FACES = ("regular", "bold", "italic", "bold_italic")
SCRIPT_CODE = re.compile(r"^[A-Z][a-z]{3}$")


class FontFamily(Model):
    """TrueType files of one family, relative to `assets/`."""

    regular: str
    """Upright, normal weight."""
    bold: str | None = None
    """Bold face; default: the regular face."""
    italic: str | None = None
    """Italic face; default: the regular face."""
    bold_italic: str | None = None
    """Bold italic face; default: the bold face."""


class TextStyle(Model):
    """How one kind of text is set."""

    font: str = "sans"
    """A family declared under `fonts`."""
    bold: bool = False
    """Use the family's bold face."""
    italic: bool = False
    """Use the family's italic face."""
    size: float = Field(9.0, ge=4, le=120)
    """Font size in points."""
    leading: float | None = Field(None, ge=4, le=150)
    """Distance between baselines in points; default 1.35 × size."""
    colour: str = "text"
    """A colour name from `colours`, or `#rrggbb`."""
    space_before: float = Field(0.0, ge=0, le=100)
    """Space above, in points."""
    space_after: float = Field(0.0, ge=0, le=100)
    """Space below, in points."""
    align: Literal["left", "right", "centre", "justify"] = "left"
    """Horizontal alignment."""
    min_size: float | None = Field(None, ge=4, le=120)
    """Smallest size a `shrink` fit may reduce this text to (default: 80% of `size`).
    For `callout_number`, also the smallest size a key-figure tile's number is set at
    to fit its tile on one line (default: 60% of `size`)."""


class Styles(Model):
    """Text styles, one per role."""

    body: TextStyle = TextStyle()
    """Body paragraphs."""
    lead: TextStyle = TextStyle(size=10.5, leading=14.5)
    """Introductory paragraphs."""
    small: TextStyle = TextStyle(size=7.5)
    """Small print."""
    heading1: TextStyle = TextStyle(bold=True, size=12, colour="primary", space_before=8)
    """Section headings."""
    heading2: TextStyle = TextStyle(bold=True, size=10, colour="primary", space_before=6)
    """Subsection headings."""
    kicker: TextStyle = TextStyle(bold=True, size=8, colour="paper")
    """Small line above the title."""
    title: TextStyle = TextStyle(bold=True, size=24, colour="paper")
    """Title in the title band."""
    subtitle: TextStyle = TextStyle(italic=True, size=13, colour="paper")
    """Subtitle in the title band."""
    caption: TextStyle = TextStyle(size=7, colour="paper")
    """Photo and image captions."""
    credit: TextStyle = TextStyle(size=6, colour="paper")
    """Photo credits."""
    quote: TextStyle = TextStyle(italic=True, size=11, colour="primary")
    """Pull quotes."""
    attribution: TextStyle = TextStyle(size=7.5, colour="muted")
    """Who said a quote."""
    callout_number: TextStyle = TextStyle(bold=True, size=26, colour="primary")
    """The big number of a callout."""
    callout_label: TextStyle = TextStyle(bold=True, size=8, colour="primary")
    """The line under a callout's big number."""
    callout_text: TextStyle = TextStyle(size=8.5)
    """The text of a callout."""
    contact: TextStyle = TextStyle(size=8.5)
    """Contact details."""
    footer: TextStyle = TextStyle(size=7, colour="muted")
    """Page footer."""
    chart_title: TextStyle = TextStyle(bold=True, size=8.5)
    """Chart titles."""
    chart_text: TextStyle = TextStyle(size=7, colour="muted")
    """Chart axis labels, ticks and data labels."""
    chart_note: TextStyle = TextStyle(size=6.5, colour="muted", italic=True)
    """Chart source notes."""
    table_header: TextStyle = TextStyle(bold=True, size=7.5, colour="paper")
    """Table header cells."""
    table_cell: TextStyle = TextStyle(size=7.8)
    """Table body cells."""
    table_total: TextStyle = TextStyle(bold=True, size=7.8)
    """Table total rows."""


class Box(Model):
    """A block's box: background, rule and padding."""

    background: str | None = None
    """Fill colour, or none."""
    rule: str | None = None
    """Colour of the rule (a line on the leading side), or none."""
    rule_width: float = Field(0.0, ge=0, le=20)
    """Width of the rule in points."""
    padding: Dimension = mm(3)
    """Space between the box's edge and its content."""


class BlockStyles(Model):
    """The box of each block kind."""

    title_band: Box = Box(background="primary", padding=mm(7))
    """Title band."""
    quote: Box = Box(rule="accent", rule_width=2.5, padding=mm(4))
    """Pull quote."""
    callout: Box = Box(background="tint", padding=mm(4))
    """Statistic callout."""
    contact: Box = Box(rule="primary", rule_width=1.0, padding=mm(3))
    """Contact block."""
    hero_caption: Box = Box(background="#000000", padding=mm(3))
    """Band behind the photo caption."""
    heading: Box = Box(padding=0)
    """Section headings."""
    table: Box = Box(background="primary", padding=mm(1.5))
    """Data tables: header row background and cell padding."""


class ChartStyle(Model):
    """How charts look."""

    palette: tuple[str, ...] = ("primary", "accent")
    """Series colours, in order."""
    highlight: str = "accent"
    """Colour of a highlighted bar or point."""
    grid: str = "rule"
    """Colour of gridlines."""
    axis: str = "muted"
    """Colour of axis lines and ticks."""


class PageStyle(Model):
    """Page geometry and furniture. The margins, the column gap and the paddings of
    `blocks` are checked when the theme loads: on A4 and on Letter they must leave at
    least 50 mm for content each way, and two columns at least 20 mm wide."""

    margin_top: Dimension = mm(15)
    """Top margin."""
    margin_bottom: Dimension = mm(18)
    """Bottom margin (the footer sits inside it)."""
    margin_left: Dimension = mm(15)
    """Left margin."""
    margin_right: Dimension = mm(15)
    """Right margin."""
    column_gap: Dimension = mm(7)
    """Space between columns."""
    block_gap: Dimension = mm(3.5)
    """Space between consecutive blocks."""
    footer: str = "{{ author }}"
    """Footer text (a template); the page number is added on the outer side."""
    page_number: str = "{{ page }}"
    """Page number (a template with `page` and `pages`)."""
    logo_height: Dimension = mm(11)
    """Height of the logo in the title band."""


class ScriptText(Model):
    """How much larger text is set in one script than the theme's styles say."""

    size: float = Field(1.0, ge=0.5, le=2.0)
    """Factor on every text style's size: Chinese and Arabic letters look smaller than
    Latin ones at the same point size, so factsheets usually set them a little larger
    (`1.1`)."""
    leading: float = Field(1.0, ge=0.5, le=2.5)
    """Factor on every text style's leading (the distance between lines): Chinese
    reads best with more room between lines than Latin text (`1.3`)."""


class Theme(Model):
    """A brand kit."""

    name: str
    """Human-readable name."""
    colours: dict[str, str]
    """Named colours as `#rrggbb`. Name at least `primary`, `accent`, `tint`, `text`,
    `muted`, `rule` and `paper`."""
    fonts: dict[str, FontFamily]
    """Font families by name; styles refer to these names. A font file that is empty,
    cut short or not a TrueType font is an error at its line here."""
    scripts: dict[str, tuple[str, ...]] = {}
    """Font chains per writing system, for editions in other scripts: the key is the
    script's ISO 15924 code (`Arab` for Arabic, `Hans` and `Hant` for simplified and
    traditional Chinese, `Cyrl`, `Latn`), the value the families (from `fonts`) tried in
    order for each character, before the text style's own family, which always ends
    the chain. An edition's script comes from its `document.language` (`ar` is `Arab`,
    `zh` is `Hans`). Each character is set in the first family of the chain that has it,
    so a Latin acronym inside Arabic text keeps the style's Latin font; spaces and
    punctuation stay in the font of the text around them. A script not listed uses the
    style's own family alone. A family named here must give all four faces (`regular`,
    `bold`, `italic`, `bold_italic`): to set its italic upright, name its regular file
    as `italic` too. Example: `scripts: {Arab: [arabic], Hans: [cjk], Hant: [cjk]}`."""
    script_text: dict[str, ScriptText] = {}
    """Text size and leading per script, as factors on every text style, for editions
    in that script (keys as in `scripts`): `{Hans: {size: 1.12, leading: 1.3}}`. Charts
    keep their own sizes. A script not listed is set at the styles' own sizes."""
    logo: str | None = None
    """Logo file (SVG, PNG or JPEG), relative to `assets/`."""
    styles: Styles = Styles()
    """Text styles."""
    blocks: BlockStyles = BlockStyles()
    """Block boxes."""
    chart: ChartStyle = ChartStyle()
    """Chart style."""
    page: PageStyle = PageStyle()
    """Page geometry and furniture."""
    link_colour: str = "primary"
    """Colour of links."""

    def colour(self, name: str) -> str:
        """`#rrggbb` for a colour name or literal (names are checked when loading)."""
        return name if HEX.match(name) else self.colours[name]

    def problems(self) -> list[tuple[KeyPath, str, str]]:
        """(key path, message, hint) for every colour not written #rrggbb, every
        required colour missing, every unknown colour or font family name, and page
        geometry that leaves no room for content."""
        found = colour_table_problems(self.colours)
        for role, style in self.styles:
            found += self._colour_problem(style.colour, ("styles", role, "colour"))
            if style.font not in self.fonts:
                hint = did_you_mean(style.font, self.fonts) or f"fonts: {', '.join(self.fonts)}"
                found.append(
                    (("styles", role, "font"), f"unknown font family '{style.font}'", hint)
                )
        for kind, box in self.blocks:
            for field, colour in (("background", box.background), ("rule", box.rule)):
                if colour is not None:
                    found += self._colour_problem(colour, ("blocks", kind, field))
        for field, colour in (
            ("highlight", self.chart.highlight),
            ("grid", self.chart.grid),
            ("axis", self.chart.axis),
        ):
            found += self._colour_problem(colour, ("chart", field))
        for n, colour in enumerate(self.chart.palette):
            found += self._colour_problem(colour, ("chart", "palette", n))
        found += self._colour_problem(self.link_colour, ("link_colour",))
        return found + self._script_problems() + geometry_problems(self)

    def _script_problems(self) -> list[tuple[KeyPath, str, str]]:
        """Chains naming an unknown family, a key that is not a script code, and chain
        families with a face left to a silent default."""
        found: list[tuple[KeyPath, str, str]] = []
        told: set[str] = set()  # a family in several chains is reported once
        for script in self.script_text:
            if not SCRIPT_CODE.match(script):
                hint = f"did you mean '{script[:1].upper()}{script[1:4].lower()}'?"
                message = f"'{script}' is not an ISO 15924 script code"
                found.append((("script_text", script), message, hint))
        for script, families in self.scripts.items():
            if not SCRIPT_CODE.match(script):
                hint = f"did you mean '{script[:1].upper()}{script[1:4].lower()}'?"
                found.append(
                    (("scripts", script), f"'{script}' is not an ISO 15924 script code", hint)
                )
            for n, family in enumerate(families):
                if family not in self.fonts:
                    hint = did_you_mean(family, self.fonts) or f"fonts: {', '.join(self.fonts)}"
                    message = f"unknown font family '{family}'"
                    found.append((("scripts", script, n), message, hint))
                    continue
                faces = self.fonts[family]
                missing = [face for face in FACES[1:] if getattr(faces, face) is None]
                if missing and family not in told:
                    told.add(family)
                    found.append(
                        (
                            ("fonts", family),
                            f"font family '{family}' is in the `{script}` font chain but "
                            f"does not say which file its {' and '.join(missing)} text uses",
                            f"name a file for {', '.join(f'`{m}`' for m in missing)}: its "
                            "regular file, if that is the only face it has",
                        )
                    )
        return found

    def _colour_problem(self, name: str, path: KeyPath) -> list[tuple[KeyPath, str, str]]:
        if HEX.match(name) or name in self.colours:
            return []
        hint = did_you_mean(name, self.colours) or "use #rrggbb or a name from `colours`"
        return [(path, f"unknown colour '{name}'", hint)]


def colour_table_problems(colours: Mapping[str, object]) -> list[tuple[KeyPath, str, str]]:
    """(key path, message, hint) for every value of the `colours` table that is not
    written #rrggbb, whatever its type, and for the required colours it lacks."""
    found: list[tuple[KeyPath, str, str]] = []
    for name, colour in colours.items():
        if isinstance(colour, str) and HEX.match(colour):
            continue
        got = repr(colour) if isinstance(colour, str) else _yaml_text(colour)
        # Unquoted, `#0033A0` is a YAML comment (an empty value) and `000000` a number.
        hint = (
            "six hexadecimal digits after #, such as #0033A0"
            if isinstance(colour, str)
            else 'write it in quotes, such as "#0033A0": unquoted, YAML reads # as the '
            "start of a comment"
        )
        found.append(
            (
                ("colours", str(name)),
                f"colour '{name}' must be written #rrggbb, got {got}",
                hint,
            )
        )
    missing = REQUIRED_COLOURS - set(colours)
    if missing:
        found.append((("colours",), f"missing colours: {', '.join(sorted(missing))}", ""))
    return found


def _yaml_text(value: object) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return f"the number {getattr(value, 'raw', value)}"
    return "a list" if isinstance(value, list) else "a mapping"
