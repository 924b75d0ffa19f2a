"""A measured chart's drawing: its recording, made once per process (and kept in the
build cache) for the same chart, data, size and look, so editions and rebuilds of an
unchanged chart replay it. A recording is drawn by the command's chart helper when it
has one (see :mod:`factsheet.charts.sidecar`), else in this process. :func:`send_ahead`
gives the helper a chart before its block is built, and the block then collects what
the helper drew meanwhile: a build sends every chart of an edition first."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from factsheet import cache
from factsheet.blocks.chart_checks import formatter, unit_of, whole_of
from factsheet.blocks.chart_look import chart_faces, chart_fonts
from factsheet.charts import sidecar
from factsheet.charts.job import ChartJob, draw_job

if TYPE_CHECKING:
    from factsheet.blocks.base import BlockContext
    from factsheet.blocks.chart import Prepared
    from factsheet.render.recording import Recording

# Keyed by the theme's id, each entry keeps its theme alive: a theme collected
# meanwhile could hand its id to a new theme with other fonts or colours.
_RECORDINGS: dict[tuple[Any, ...], tuple[Recording, object]] = {}
_KEPT = 256
# Charts sent ahead to the helper, by the same key: the helper's ticket for each.
_AHEAD: dict[tuple[Any, ...], tuple[int, object]] = {}


def recording(ready: Prepared, ctx: BlockContext) -> Recording:
    """A chart's drawing, made once per process for the same data, size and style."""
    parts, key = _keys(ready, ctx)
    kept = _RECORDINGS.get(key)
    if kept is not None:
        return kept[0]
    from factsheet.render.recording import Recording

    ahead = _AHEAD.pop(key, None)

    def draw() -> Recording:
        job = chart_job(ready, ctx)
        made = sidecar.collect(ahead[0]) if ahead else sidecar.drawn(job)
        return draw_job(job) if made is None else made

    # The theme's files (fonts above all) decide how labels are set.
    stored = (*parts, *ctx.theme.files())
    made = cache.remembered(
        ctx.root, "charts", stored, draw, Recording.to_json, Recording.from_json
    )
    if len(_RECORDINGS) >= _KEPT:
        _RECORDINGS.pop(next(iter(_RECORDINGS)))
    _RECORDINGS[key] = (made, ctx.theme)
    return made


def send_ahead(ready: Prepared, ctx: BlockContext) -> None:
    """Have the helper draw the chart now, unless it is drawn already (in this process
    or in the build cache) or on its way."""
    parts, key = _keys(ready, ctx)
    if key in _RECORDINGS or key in _AHEAD or not sidecar.running():
        return
    if cache.stored(ctx.root, "charts", (*parts, *ctx.theme.files())):
        return
    ticket = sidecar.submit(chart_job(ready, ctx))
    if ticket is not None:
        _AHEAD[key] = (ticket, ctx.theme)


def chart_job(ready: Prepared, ctx: BlockContext) -> ChartJob:
    """The chart's drawing as plain data, with the files of every font it may use."""
    look = ready.look
    faces = chart_faces(ctx.theme, look)
    fonts = chart_fonts(look, faces)
    whole = whole_of(ready.chart, ctx)
    labels = formatter(ready.chart, ctx)
    chart, data, size, frame = ready.chart, ready.data, ready.size, ready.frame
    return ChartJob(chart, data, size, look, frame, labels, faces, whole, fonts)


def clear() -> None:
    """Forget every recording made or sent ahead."""
    _RECORDINGS.clear()
    _AHEAD.clear()


def _keys(ready: Prepared, ctx: BlockContext) -> tuple[tuple[Any, ...], tuple[Any, ...]]:
    """What the chart's drawing depends on, and its key in this process."""
    chart = ready.chart
    parts: tuple[Any, ...] = (
        chart.model_dump_json(),
        ready.data,
        ready.size,
        ready.look,
        ctx.locale,
        ctx.theme.theme.styles.chart_text.font,
        ready.frame,
        unit_of(chart, ctx),  # values written as percentages print as such
    )
    return parts, (*parts, id(ctx.theme))
