"""Where an edition's PDF goes, checked against the others': two editions of a spec
may not write one file, nor may a spec that `extends` another write its base's PDFs.
Each error is located at the spec line that sets the paths (see
:func:`output_location`); :mod:`factsheet.editions.owners` checks the files other
specs of a project own."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from factsheet.errors import ErrorGroup, FactsheetError, SpecError
from factsheet.location import Location, display_path
from factsheet.spec.loader import LoadedYaml, SourceMap

if TYPE_CHECKING:
    from factsheet.editions.expand import Edition


def check_collisions(editions: list[Edition], source_map: SourceMap) -> None:
    """Two editions of one spec that would write the same PDF: an error at the spec's
    `editions.output`, with the keys the path should name."""
    seen: dict[Path, Edition] = {}
    problems: list[FactsheetError] = []
    for edition in editions:
        other = seen.setdefault(edition.output, edition)
        if other is not edition:
            problems.append(
                SpecError(
                    f"editions '{other.label}' and '{edition.label}' would both write "
                    f"'{edition.output.relative_to(edition.root)}'",
                    source_map.locate(("editions", "output")),
                    hint="put every key in the output template, e.g. output/"
                    + "/".join(f"{{{key}}}" for key in edition.keys)
                    + ".pdf",
                )
            )
    if problems:
        raise problems[0] if len(problems) == 1 else ErrorGroup(problems)


def check_base_outputs(editions: list[Edition], loaded: LoadedYaml) -> list[Edition]:
    """A spec that `extends` another must not write its base's PDFs (it would replace
    last year's factsheets with this year's): outputs need this spec's own paths. Each
    edition that would is given the error, one per spec line that sets such paths."""
    from factsheet.editions.expand import load_editions

    base = loaded.files[1]
    try:
        taken = {e.output for e in load_editions(base)}
    except FactsheetError:
        return editions  # the base's own problems are the base's to report
    clashing: dict[Location, list[Edition]] = {}
    for edition in editions:
        if edition.output in taken:
            clashing.setdefault(output_location(edition), []).append(edition)
    errors: dict[str, FactsheetError] = {}
    for at, group in clashing.items():
        error = SpecError(
            f"{output_files(group)} would be written by {display_path(group[0].spec_path)} "
            f"and by its base spec {display_path(base)} too: the new factsheets would "
            "replace the base's",
            at,
            _own_outputs_hint(group[0], loaded.data),
        )
        errors.update({e.label: error for e in group})
    return [
        replace(e, problems=(*e.problems, errors[e.label])) if e.label in errors else e
        for e in editions
    ]


def _own_outputs_hint(edition: Edition, data: Any) -> str:
    """How a spec that extends another gets output paths of its own."""
    written: Any = data
    for part in edition.output_at or ():
        if isinstance(written, list) and isinstance(part, int) and part < len(written):
            written = written[part]
        else:
            written = written.get(part) if isinstance(written, dict) else None
    dated = isinstance(written, str) and "year" in written
    if edition.output_at is not None and "overrides" in edition.output_at:
        own = "give this spec its own `editions.overrides` (a list replaces the base's)"
        other = "set this spec's own `document.year`" if dated else "use `{{ year }}` there"
        return f"this path is set by an override: {other}, or {own}"
    if dated:
        return "set this spec's own `document.year`, or give it its own `editions.output`"
    return (
        "give this spec its own `editions.output` (or `document.output`), or use "
        "`{{ year }}` in the base's output paths"
    )


def output_location(edition: Edition) -> Location:
    """The spec line that sets the edition's output path (the spec's `document` when
    the default applies)."""
    if edition.output_at is not None:
        return edition.source_map.locate(edition.output_at)
    if ("document",) in edition.source_map.keys:
        return edition.source_map.locate(("document",), at_key=True)
    return Location(edition.spec_path)


def output_files(editions: list[Edition], shown: int = 3) -> str:
    """`output/2021/africa.pdf, output/2021/asia.pdf and 2 more`."""
    names = [display_path(e.output) for e in editions]
    text = ", ".join(names[:shown])
    if len(names) > shown:
        text += f" and {len(names) - shown} more"
    return text
