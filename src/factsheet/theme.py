"""The brand kit: colours, fonts, logo, page geometry and the style of every block kind,
read from `assets/themes/<name>.yaml` so all of one organisation's factsheets share one
look (its schema is :mod:`factsheet.theme_model`'s). Fonts are TrueType files
registered with ReportLab once per process (never a base-14 substitute; see
:mod:`factsheet.fonts`); a missing font is an error, never a silent replacement."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from factsheet.errors import (
    ErrorGroup,
    FactsheetError,
    MissingInputError,
    SpecError,
    did_you_mean,
)
from factsheet.fonts import register_ttf
from factsheet.location import Location
from factsheet.paths import existing_file, resolve_inside
from factsheet.spec.loader import SourceMap, load_yaml
from factsheet.spec.validate import validate
from factsheet.theme_model import FACES, FontFamily, TextStyle, Theme, colour_table_problems


@dataclass(frozen=True, eq=False)  # identity hashing: one instance per theme and process
class LoadedTheme:
    """A validated theme, where it came from, and the ReportLab font names it registered."""

    theme: Theme
    path: Path
    assets: Path
    source_map: SourceMap
    font_names: dict[tuple[str, str], str]  # (family, face) -> registered name
    logo_path: Path | None

    def font(self, family: str, bold: bool = False, italic: bool = False) -> str:
        face = {
            (False, False): "regular",
            (True, False): "bold",
            (False, True): "italic",
            (True, True): "bold_italic",
        }[(bold, italic)]
        return self.font_names[(family, face)]

    def style_font(self, style: TextStyle) -> str:
        return self.font(style.font, style.bold, style.italic)

    def chain(self, script: str, font_name: str) -> tuple[str, ...]:
        """The registered fonts tried, in order, for text in `script` whose style sets
        it in `font_name`: the script's families in the same face, then `font_name`.
        Just `(font_name,)` for a script the theme gives no chain."""
        families = self.theme.scripts.get(script, ())
        if not families:
            return (font_name,)
        for family in families:
            if (family, "regular") not in self.font_names:  # a chain's family, first used
                _register_family(self.theme, family, self.assets, self.source_map, self.font_names)
        return _chain(self, script, font_name)

    def family_of(self, font_name: str) -> str:
        """The family a registered font name belongs to (the first declared)."""
        return next((fam for (fam, _), name in self.font_names.items() if name == font_name), "")

    def files(self) -> list[Path]:
        """Every file the theme reads: for incremental builds and provenance."""
        fonts = {self.assets / f for fam in self.theme.fonts.values() for f in _faces(fam) if f}
        extra = [self.logo_path] if self.logo_path else []
        return [self.path, *sorted(fonts), *extra]


@lru_cache(maxsize=512)
def _chain(theme: LoadedTheme, script: str, font_name: str) -> tuple[str, ...]:
    families = theme.theme.scripts[script]
    # The face of `font_name`: regular first, so a family whose italic is its regular
    # file chains regular faces.
    face = next((f for f in FACES for fam in theme.theme.fonts if
                 theme.font_names.get((fam, f)) == font_name), "regular")  # fmt: skip
    names = [theme.font_names[(family, face)] for family in families]
    return tuple(dict.fromkeys([*names, font_name]))


def _faces(family: FontFamily) -> tuple[str | None, ...]:
    return (family.regular, family.bold, family.italic, family.bold_italic)


def load_theme(name: str, root: Path) -> LoadedTheme:
    """Load `assets/themes/<name>.yaml` and register its fonts (once per process). The
    theme is confined to the project like every other input: a link leading out of it
    is refused, and nothing from the file it points at is read."""
    try:
        path = resolve_inside(root, f"assets/themes/{name}.yaml")
    except ValueError as exc:
        raise SpecError(str(exc), hint="keep the theme file inside the project") from None
    if not path.is_file():
        folder = root / "assets" / "themes"
        themes = sorted(p.stem for p in folder.glob("*.yaml"))
        hint = did_you_mean(name, themes) or f"themes: {', '.join(themes) or 'none'}"
        raise MissingInputError(f"theme '{name}' not found in assets/themes/", hint=hint)
    stat = path.stat()
    return _load_theme_cached(path, root.resolve(), stat.st_mtime_ns, stat.st_size)


@lru_cache(maxsize=8)
def _load_theme_cached(path: Path, root: Path, _mtime: int, _size: int) -> LoadedTheme:
    loaded = load_yaml(path)
    try:
        theme = validate(Theme, loaded.data, loaded.source_map)
    except FactsheetError as exc:
        raise _with_colour_problems(exc, loaded.data, loaded.source_map) from None
    problems = [
        SpecError(message, loaded.source_map.locate(where), hint)
        for where, message, hint in theme.problems()
    ]
    if problems:
        raise problems[0] if len(problems) == 1 else ErrorGroup(problems)
    assets = root / "assets"
    names = _register_fonts(theme, assets, loaded.source_map)
    logo = None
    if theme.logo:
        logo = _asset(theme.logo, assets, loaded.source_map.locate(("logo",)), "logo file")
    return LoadedTheme(theme, path, assets, loaded.source_map, names, logo)


def _with_colour_problems(
    error: FactsheetError, data: object, source_map: SourceMap
) -> FactsheetError:
    """`error` (the theme is not valid) together with every problem of its `colours`
    table: a colour of the wrong type must not hide the bad values of the others, which
    `Theme.problems` finds only in a valid theme. A colour's own problem replaces
    pydantic's for it, so that each colour is reported once, in the same words."""
    colours = data.get("colours") if isinstance(data, dict) else None
    if not isinstance(colours, dict):
        return error
    extra = [
        SpecError(message, source_map.locate(where), hint)
        for where, message, hint in colour_table_problems(colours)
    ]
    ours = {e.location.key_path for e in extra if e.location is not None}
    errors = error.errors if isinstance(error, ErrorGroup) else [error]
    kept = [e for e in errors if e.location is None or e.location.key_path not in ours]
    problems = [*kept, *extra]
    return problems[0] if len(problems) == 1 else ErrorGroup(problems)


def _asset(relative: str, assets: Path, where: Location, kind: str) -> Path:
    try:
        return existing_file(assets, relative, f"file 'assets/{relative}'", kind)
    except FactsheetError as exc:
        raise exc.located(where) from None


def _chain_only(theme: Theme) -> set[str]:
    """Families named only in `scripts` chains: registered when an edition in one of
    those scripts first asks (parsing a CJK font takes a quarter of a second, which an
    English build need not pay). Their files are checked to exist when the theme loads."""
    used = {style.font for _, style in theme.styles} | {"sans", "display"}
    chained = {family for families in theme.scripts.values() for family in families}
    return chained - used


def _register_fonts(
    theme: Theme, assets: Path, source_map: SourceMap
) -> dict[tuple[str, str], str]:
    names: dict[tuple[str, str], str] = {}
    lazy = _chain_only(theme)
    for family in theme.fonts:
        if family in lazy:
            for face in FACES:
                relative = getattr(theme.fonts[family], face)
                if relative:
                    _asset(
                        relative, assets, source_map.locate(("fonts", family, face)), "font file"
                    )
        else:
            _register_family(theme, family, assets, source_map, names)
    return names


def _register_family(
    theme: Theme,
    family: str,
    assets: Path,
    source_map: SourceMap,
    names: dict[tuple[str, str], str],
) -> None:
    from reportlab.lib.fonts import addMapping

    faces = theme.fonts[family]
    files = {
        "regular": faces.regular,
        "bold": faces.bold or faces.regular,
        "italic": faces.italic or faces.regular,
        "bold_italic": faces.bold_italic or faces.bold or faces.regular,
    }
    for face, relative in files.items():
        where = source_map.locate(("fonts", family, face))
        names[(family, face)] = register_ttf(_asset(relative, assets, where, "font file"), where)
    for (bold, italic), face in {
        (0, 0): "regular",
        (1, 0): "bold",
        (0, 1): "italic",
        (1, 1): "bold_italic",
    }.items():
        addMapping(names[(family, "regular")], bold, italic, names[(family, face)])
