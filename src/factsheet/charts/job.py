"""A chart to draw, as plain data: the chart, its values, size, look and measured frame,
how its labels print numbers, and which registered fonts its text is set in (with
their files). Everything a chart's drawing depends on is in the job, so any process
can draw it, this one or a helper (:mod:`factsheet.charts.sidecar`), and both give
the same recording. Drawing imports matplotlib, the first time only."""

from __future__ import annotations

import decimal
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from factsheet.charts.plot import ChartData, ChartLook, Frame
from factsheet.data import exact
from factsheet.data.formats import NumberLocale, compact_step, format_number
from factsheet.spec.base import Format
from factsheet.spec.model import Chart

if TYPE_CHECKING:
    from factsheet.render.recording import Recording

BOLD_WEIGHTS = ("bold", "heavy", "black", "semibold", "demibold")


@dataclass(frozen=True)
class LabelFormat:
    """How a chart's labels, ticks and alt text print a value: in `fmt` and the
    locale's digits, after moving the decimal point `power` places (a source in
    thousands whose format prints units, say; see :func:`figure_units.shift`)."""

    fmt: Format
    locale: NumberLocale
    power: int = 0
    step: int | None = None
    """The compact step every value is written in (an axis's ticks); None: each its own."""

    def __call__(self, value: float) -> str:
        return format_number(self._shifted(value), self.fmt, self.locale, self.step)

    def on_axis(self, ticks: Sequence[float]) -> LabelFormat:
        """This format for an axis's tick labels: compact ones all in the step of the
        largest (0, 0.8K, 1.6K), so that they read alike."""
        shifted = [self._shifted(t) for t in ticks if t == t]
        return replace(self, step=compact_step(shifted, self.fmt, self.locale))

    def _shifted(self, value: float) -> float | decimal.Decimal:
        return exact.exact(value).scaleb(self.power) if self.power and value == value else value


@dataclass(frozen=True)
class Faces:
    """The registered fonts of the chart text's family, one per face: what
    matplotlib's font requests (a weight and a style) are set in, and how each is
    chained to the fonts of the edition's script."""

    regular: str
    bold: str
    italic: str
    bold_italic: str
    chains: tuple[tuple[str, tuple[str, ...]], ...] = ()
    """Per font, the fonts its text is set in run by run, in an edition whose script
    has a font chain in the theme (Arabic, Chinese); empty otherwise."""

    def __call__(self, prop: Any) -> str:
        weight = prop.get_weight()
        bold = weight in BOLD_WEIGHTS or (isinstance(weight, int) and weight >= 600)
        italic = prop.get_style() == "italic"
        if bold:
            return self.bold_italic if italic else self.bold
        return self.italic if italic else self.regular


@dataclass(frozen=True)
class ChartJob:
    """One chart's drawing, with every input it depends on."""

    chart: Chart
    data: ChartData
    size: tuple[float, float]
    look: ChartLook
    frame: Frame
    labels: LabelFormat
    faces: Faces
    whole: float | None = None
    fonts: tuple[tuple[str, str], ...] = ()
    """Each registered font the chart's text may be set in, with its file: a process
    that has not registered them yet does so before drawing."""


def font_files(names: set[str]) -> tuple[tuple[str, str], ...]:
    """The registered TrueType fonts among `names`, each with its file, by name."""
    from reportlab.pdfbase import pdfmetrics

    found = []
    for name in sorted(names):
        face = getattr(pdfmetrics.getFont(name), "face", None)
        filename = getattr(face, "filename", None)
        if isinstance(filename, str):
            found.append((name, filename))
    return tuple(found)


def ready_to_draw() -> None:
    """Import what drawing a chart needs (done by the first chart otherwise):
    matplotlib with every chart kind, the recorder of where value labels are set, and
    Babel's number formats."""
    from factsheet.charts.mpl_import import prepare

    prepare()  # before matplotlib's artists are defined
    import babel.numbers  # noqa: F401

    import factsheet.charts.kinds
    import factsheet.render.boxes  # noqa: F401


@dataclass(frozen=True)
class Preparation:
    """What a build's first charts will need, sent to the chart helper before them
    (see :mod:`factsheet.charts.sidecar`), so that it readies them while it waits
    instead of while the build waits for the first chart."""

    fonts: tuple[tuple[str, str], ...] = ()
    """Registered fonts, with their files, as in :attr:`ChartJob.fonts`."""
    locales: tuple[str, ...] = ()
    """Babel locale identifiers whose number symbols the labels will be written with."""


def prepare(preparation: Preparation) -> None:
    """Everything a first chart does once per process, done ahead: the imports, the
    fonts registered, the locales' number symbols read, and a first figure drawn
    (matplotlib builds much of its machinery on the first axes it makes)."""
    from factsheet.data import cldr

    ready_to_draw()
    _register(preparation.fonts)
    for identifier in preparation.locales:
        cldr.symbols(identifier, "latn")
    if preparation.fonts:
        _first_figure(preparation.fonts[0][0])


def draw_job(job: ChartJob) -> Recording:
    """Draw the chart with matplotlib into a recording."""
    ready_to_draw()
    from factsheet.charts.kinds import chart_recording

    _register(job.fonts)
    return chart_recording(
        job.chart, job.data, job.size, job.look, job.labels, job.faces, job.frame, job.whole
    )


def _register(fonts: tuple[tuple[str, str], ...]) -> None:
    from factsheet.fonts import register_ttf

    for name, filename in fonts:
        if register_ttf(Path(filename)) != name:  # registered under its file's stem
            raise ValueError(f"font file {filename} does not register as {name!r}")


def _first_figure(font: str) -> None:
    """Draw a small bar chart with a title and ticks, and throw it away."""
    from matplotlib.figure import Figure

    from factsheet.render.recording import record_figure

    fig = Figure(figsize=(2, 1), dpi=72)
    ax = fig.add_subplot()
    ax.bar([0, 1], [1.0, 2.0])
    ax.set_xticks([0, 1], ["1", "2"])
    ax.set_title("0")
    record_figure(fig, Faces(font, font, font, font))
