"""The room a translator has, written as a `#.` note in the catalogs: every edition of
the spec is laid out (see :mod:`factsheet.fit_report`) and each text of a block gets
the room its block has in the edition where it is tightest, since one template serves
every language and that edition is the limit a translation must respect. An edition
that cannot be laid out is left out of the notes with a warning, never an error:
extraction must work on a spec that does not build yet. The notes depend only on the
spec, its data and its catalogs, so the same inputs write the same template."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from factsheet.errors import ErrorGroup, FactsheetError
from factsheet.fit import EditionFit, measure_plan
from factsheet.fit_report import Tightest, room_for, tightest
from factsheet.location import KeyPath, format_key_path
from factsheet.spec.validate import LoadedSpec

_SPACES = re.compile(r"\s+")


@dataclass(frozen=True)
class Rooms:
    """Each block's tightest edition, and why editions were left out."""

    found: Mapping[str, Tightest] = field(default_factory=dict)
    named: bool = True
    """Whether notes name the edition (not for a spec with a single edition)."""
    warnings: tuple[str, ...] = ()


def measure(loaded: LoadedSpec) -> Rooms:
    """Every edition of the spec laid out once; those that fail are named in warnings."""
    try:
        fits = _measure_all(loaded)
    except FactsheetError as exc:
        return Rooms(warnings=(f"no room notes: the editions cannot be read: {_first(exc)}",))
    warnings = tuple(
        f"no room notes for edition '{fit.label}': it cannot be laid out: {_first(fit.error)}"
        for fit in fits
        if fit.error is not None
    )
    measured = [fit for fit in fits if fit.error is None]
    return Rooms(tightest(measured), named=len(fits) > 1, warnings=warnings)


def _measure_all(loaded: LoadedSpec) -> list[EditionFit]:
    """As `factsheet fit` measures, from editions expanded afresh: the process's kept
    editions (see `editions_of`) would not notice a catalog made after this runs, as
    `update --language` does."""
    from factsheet.build import plan_edition
    from factsheet.editions.expand import load_editions
    from factsheet.layout import hyphens

    fits = []
    for edition in load_editions(loaded.path):
        try:
            fits.append(measure_plan(plan_edition(edition)))
        except FactsheetError as error:
            language = str(edition.keys.get("language", ""))
            fits.append(EditionFit(edition.label, dict(edition.keys), language, error=error))
    hyphens.save_all()  # what the layout learnt, kept for builds as `fit` keeps it
    return fits


def _first(error: FactsheetError) -> str:
    problems = error.errors if isinstance(error, ErrorGroup) else [error]
    more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
    return _SPACES.sub(" ", str(problems[0])) + more


def note(rooms: Rooms, path: KeyPath) -> str | None:
    """`room: about 240 more characters fit (tightest: region=Global, language=ru)`,
    `room: about 120 characters too long (tightest: …)`, or None when the text has
    no measured room."""
    chars = room_for(rooms.found, path)
    if chars is None:
        return None
    if chars > 0:
        text = f"room: about {chars} more characters fit"
    elif chars == 0:
        text = "room: the text fills its space, no more characters fit"
    else:
        text = f"room: about {-chars} characters too long"
    if not rooms.named:
        return text
    block = ".".join(format_key_path(path).split(".")[:2])  # as room_for finds it
    return f"{text} (tightest: {_SPACES.sub(' ', rooms.found[block].edition)})"
