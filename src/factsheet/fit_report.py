"""The `factsheet fit` command's work, and the room translators have: every edition of
each spec measured (see :mod:`factsheet.fit`), then one table per spec (blocks down,
editions across, the tightest edition flagged) or one JSON document, and the exit code.
:func:`rooms` and :func:`room_for` give, per translatable key path, how many more
characters fit in the tightest edition, for the catalogs' translator notes."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import click

from factsheet.errors import ErrorGroup, FactsheetError
from factsheet.fit import MM, BlockFit, EditionFit, measure_plan
from factsheet.location import KeyPath, format_key_path
from factsheet.security import escape_controls

JSON_VERSION = 1
_WIDE = 400


def measure_spec(spec: Path, patterns: Mapping[str, list[str]] | None = None) -> list[EditionFit]:
    """Every edition of `spec` (those `patterns` select) measured; an edition that
    cannot be laid out for another reason than overflow carries its error. A spec that
    cannot be read raises."""
    from factsheet.build import plan_edition
    from factsheet.editions.expand import select
    from factsheet.editions.expanded import editions_of

    editions = editions_of(spec)
    fits = []
    for edition in select(editions, patterns) if patterns else editions:
        try:
            fits.append(measure_plan(plan_edition(edition)))
        except FactsheetError as error:
            language = str(edition.keys.get("language", ""))
            fits.append(EditionFit(edition.label, dict(edition.keys), language, error=error))
    return fits


@dataclass(frozen=True)
class Tightest:
    """A block in the edition where it has the least room."""

    block: BlockFit
    edition: str  # its label


def tightest(fits: Sequence[EditionFit]) -> dict[str, Tightest]:
    """Per block key path, the edition with the highest fill (the first on a tie)."""
    found: dict[str, Tightest] = {}
    for edition in fits:  # failed editions have no blocks
        for block in edition.blocks:
            best = found.get(block.key_path)
            if best is None or block.room.fill > best.block.room.fill + 1e-9:
                found[block.key_path] = Tightest(block, edition.label)
    return found


def rooms(
    spec: Path, patterns: Mapping[str, list[str]] | None = None, language: str | None = None
) -> dict[str, Tightest]:
    """Per block key path (`pages[0].blocks[3]`), its tightest edition's measure, for
    :func:`room_for`: among every edition, those `patterns` select, or (with `language`)
    those whose `document.language` it is. Editions that fail are left out; raises if
    the spec cannot be read."""
    fits = measure_spec(spec, patterns)
    return tightest([f for f in fits if language is None or f.language == language])


# The texts of a fixed box that its room is about; others in the block (a chart's axis
# and category labels, say) have no room measured.
_BOX_TEXTS = {"chart": {"title", "subtitle", "note"}, "hero": {"caption", "credit"}}


def room_for(found: Mapping[str, Tightest], path: KeyPath | str) -> int | None:
    """How many more characters fit for the text at `path` (a key path such as
    ("pages", 0, "blocks", 3, "paragraph", "text") or its string), in the edition where
    its block is tightest; negative when it overflows there (characters to cut); None
    when it is not a block's text or has no measure (a document field, a table cell,
    a chart's axis label, a block no edition laid out)."""
    text = path if isinstance(path, str) else format_key_path(path)
    parts = text.split(".")
    if len(parts) < 2 or not parts[0].startswith("pages[") or not parts[1].startswith("blocks["):
        return None
    tight = found.get(".".join(parts[:2]))
    if tight is None:
        return None
    fields = _BOX_TEXTS.get(tight.block.kind) if tight.block.frame == "box" else None
    if fields is not None and (len(parts) < 4 or parts[3].split("[")[0] not in fields):
        return None
    return tight.block.spare_chars


def run_fit(specs: Sequence[Path], patterns: Mapping[str, list[str]], as_json: bool) -> int:
    """Measure and print; the exit code: the worst error's, else 1 for an overflow."""
    from factsheet.layout import hyphens

    worst, overflow = 0, False
    documents = []
    for spec in specs:
        try:
            fits = measure_spec(spec, patterns)
        except FactsheetError as exc:
            _errors(exc)
            worst = max(worst, exc.exit_code)
            documents.append({"spec": _shown(spec), "error": str(exc), "editions": []})
            continue
        for fit in fits:
            if fit.error is not None:
                click.echo(escape_controls(f"{fit.label}: not measured:"), err=True)
                _errors(fit.error)
                worst = max(worst, fit.error.exit_code)
            overflow = overflow or fit.overflows
        documents.append(spec_document(spec, fits))
        if not as_json:
            show_table(spec, fits)
    hyphens.save_all()
    code = worst or (1 if overflow else 0)
    if as_json:
        document = {"version": JSON_VERSION, "fits": code == 0, "specs": documents}
        click.echo(json.dumps(document, indent=2, ensure_ascii=True))
    return code


def _shown(path: Path) -> str:
    from factsheet.report import shown

    return shown(path)


def _errors(exc: FactsheetError) -> None:
    for problem in exc.errors if isinstance(exc, ErrorGroup) else [exc]:
        click.echo(escape_controls(f"Error: {problem}"), err=True)


def spec_document(spec: Path, fits: Sequence[EditionFit]) -> dict[str, Any]:
    """The JSON of one spec (documented in docs/fit.md)."""
    tight = tightest(fits)
    return {
        "spec": _shown(spec),
        "editions": [edition_document(fit) for fit in fits],
        "tightest": [
            {"key_path": path, "edition": t.edition, **block_numbers(t.block)}
            for path, t in tight.items()
        ],
    }


def edition_document(fit: EditionFit) -> dict[str, Any]:
    if fit.error is not None:
        return {"label": fit.label, "keys": dict(fit.keys), "error": str(fit.error)}
    return {
        "label": fit.label,
        "keys": dict(fit.keys),
        "language": fit.language,
        "fits": not fit.overflows,
        "pages_needed": fit.pages_needed,
        "page_budget": fit.budget,
        "shrunk": list(fit.shrunk),
        "pages": [
            {
                "key_path": p.key_path,
                "page": p.number,
                "columns": p.columns,
                "capacity_pt": _round(p.room.capacity),
                "spare_pt": _round(p.room.spare),
                "spare_mm": _round(p.room.spare * MM),
                "fill": round(p.room.fill, 4),
            }
            for p in fit.pages
        ],
        "blocks": [
            {
                "key_path": b.key_path,
                "id": b.block_id if b.block_id != b.key_path else None,
                "kind": b.kind,
                "page": b.page,
                "frame": b.frame,
                "height_pt": _round(b.height),
                "lines": b.text.lines if b.text else None,
                "leading_pt": _round(b.text.leading) if b.text else None,
                "chars_per_line": _round(b.text.per_line) if b.text else None,
                "spilled": b.spilled,
                **block_numbers(b),
            }
            for b in fit.blocks
        ],
    }


def block_numbers(block: BlockFit) -> dict[str, Any]:
    return {
        "fill": round(block.room.fill, 4),
        "capacity_pt": _round(block.room.capacity),
        "spare_pt": _round(block.room.spare),
        "spare_mm": _round(block.room.spare * MM),
        "spare_lines": block.spare_lines,
        "spare_chars": block.spare_chars,
    }


def _round(value: float) -> float:
    return round(value, 1)


def cell(block: BlockFit) -> str:
    """`87%`, or `+4.2 mm / 2 lines` for an overflow."""
    room = block.room
    if room.spare >= 0:
        return f"{int(room.fill * 100)}%"
    over = f"+{-room.spare * MM:.1f} mm"
    lines = block.spare_lines
    return f"{over} / {-lines} line{'s' if lines != -1 else ''}" if lines else over


def show_table(spec: Path, fits: Sequence[EditionFit]) -> None:
    """One table: a row per block, a column per edition, then the tightest edition."""
    from rich.console import Console
    from rich.markup import escape
    from rich.table import Table

    console = Console(highlight=False)
    if not console.is_terminal:  # a log or a pipe: no columns cut to 80 characters
        console = Console(highlight=False, width=_WIDE)
    measured = [f for f in fits if f.error is None]
    tight = tightest(measured)
    table = Table(title=escape(escape_controls(_shown(spec))), title_justify="left")
    table.add_column("block")
    table.add_column("kind")
    for fit in measured:
        table.add_column(escape(escape_controls(fit.label)), justify="right")
    table.add_column("tightest: room")
    for path, best in tight.items():
        row = [escape(path), best.block.kind]
        for fit in measured:
            own = next((b for b in fit.blocks if b.key_path == path), None)
            row.append(_styled(own, own is best.block) if own else "-")
        row.append(escape(escape_controls(f"{best.edition}: {_room_text(best.block)}")))
        table.add_row(*row)
    console.print(table)
    for fit in fits:
        for line in _notes(fit):
            click.echo(escape_controls(line))


def _styled(block: BlockFit, tightest_here: bool) -> str:
    text = cell(block)
    if block.room.spare < 0:
        return f"[bold red]{text}[/]"
    if block.room.fill > 0.95:
        return f"[yellow]{text}[/]" + (" *" if tightest_here else "")
    return text + (" *" if tightest_here else "")


def _room_text(block: BlockFit) -> str:
    chars = block.spare_chars
    if block.room.spare < 0:
        return f"cut {-chars} characters" if chars is not None else "overflows"
    if chars is None:
        return f"{block.room.spare * MM:.0f} mm"
    return f"{chars} more characters"


def _notes(fit: EditionFit) -> list[str]:
    """Below the table: an edition's error, overflowing pages, page budget."""
    if fit.error is not None:
        return []  # printed as an error
    notes = []
    for page in fit.pages:
        if page.room.spare < 0:
            start = next((b for b in fit.blocks if b.page == page.number and b.spilled), None)
            at = f", from {start.key_path} ({start.kind})" if start else ""
            notes.append(
                f"{fit.label}: page {page.number} ({page.key_path}) overflows by "
                f"{-page.room.spare:.0f}pt ({-page.room.spare * MM:.1f} mm){at}"
            )
    if fit.pages_needed > fit.budget:
        notes.append(
            f"{fit.label}: needs {fit.pages_needed} pages but `document.pages` is {fit.budget}"
        )
    return notes
