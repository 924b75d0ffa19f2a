"""How an edition's charts look and what drawing one needs: the theme's chart look in
the edition's language (colours, sizes, faces and their script chains), the faces
matplotlib's font requests are set in, and the registered font files behind them. A
chart's job (:class:`~factsheet.charts.job.ChartJob`) carries these as plain data, and
so does the :class:`~factsheet.charts.job.Preparation` a build sends its chart helper
before the first chart (see :mod:`factsheet.charts.sidecar`)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from factsheet.charts.job import Faces, Preparation, font_files
from factsheet.charts.plot import ChartLook
from factsheet.data.formats import locale_for
from factsheet.errors import FactsheetError
from factsheet.layout.styles import edition_script, is_rtl
from factsheet.theme import LoadedTheme


def font_resolver(
    theme: LoadedTheme, family: str, chains: Mapping[str, tuple[str, ...]] | None = None
) -> Faces:
    """Maps matplotlib's font requests to the theme's registered faces of `family`;
    `chains` gives, per face, the fonts its text is set in run by run (see
    layout.scripts)."""
    return Faces(
        regular=theme.font(family),
        bold=theme.font(family, bold=True),
        italic=theme.font(family, italic=True),
        bold_italic=theme.font(family, bold=True, italic=True),
        chains=tuple((chains or {}).items()),
    )


def chart_look(theme: LoadedTheme, language: str = "") -> ChartLook:
    t = theme.theme
    text = t.styles.chart_text
    script = edition_script(theme, language)
    faces = [
        theme.font(text.font, bold, italic) for bold in (False, True) for italic in (False, True)
    ]
    chains = tuple((face, theme.chain(script, face)) for face in faces) if script else ()
    return ChartLook(
        palette=tuple(t.colour(c) for c in t.chart.palette),
        highlight=t.colour(t.chart.highlight),
        grid=t.colour(t.chart.grid),
        axis=t.colour(t.chart.axis),
        text=t.colour(text.colour),
        label=t.colour(t.styles.chart_title.colour),
        font_size=text.size,
        label_size=text.size,
        font=theme.font(text.font),
        bold_font=theme.font(text.font, bold=True),
        italic_font=theme.font(text.font, italic=True),
        paper=t.colour("paper"),
        chains=tuple((face, chain) for face, chain in chains if len(chain) > 1),
        rtl=is_rtl(language),
    )


def chart_faces(theme: LoadedTheme, look: ChartLook) -> Faces:
    """The faces of the theme's chart text, chained as `look` says."""
    return font_resolver(theme, theme.theme.styles.chart_text.font, dict(look.chains))


def chart_fonts(look: ChartLook, faces: Faces) -> tuple[tuple[str, str], ...]:
    """Every registered font a chart with `look` and `faces` may set text in, with its
    file: what a process that has not registered them needs first."""
    names = {look.font, look.bold_font, look.italic_font}
    names |= {faces.regular, faces.bold, faces.italic, faces.bold_italic}
    names |= {name for _, chain in look.chains for name in chain}
    return font_files(names - {""})


def preparation(theme: LoadedTheme, languages: Iterable[str]) -> Preparation:
    """What the charts of editions in `languages` with `theme` will need first: their
    fonts and their languages' number conventions. A language the theme or Babel
    cannot serve is left out; the edition reports it when it is built."""
    fonts: dict[tuple[str, str], None] = {}
    locales: dict[str, None] = {}
    for language in languages:
        try:
            look = chart_look(theme, language)
            locales[locale_for(language).identifier] = None
        except FactsheetError:
            continue
        fonts.update(dict.fromkeys(chart_fonts(look, chart_faces(theme, look))))
    return Preparation(tuple(fonts), tuple(locales))
