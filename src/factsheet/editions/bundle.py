"""One PDF for a donor report: every edition built, in matrix order, each under an
outline entry of its own with the edition's own bookmarks nested beneath it."""

from __future__ import annotations

import io
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from factsheet.editions.batch import FAILED, Outcome
from factsheet.errors import OutputError
from factsheet.output import write_atomic


def write_bundle(path: Path, outcomes: Sequence[Outcome]) -> int:
    """Merge the PDFs of every edition that did not fail; return the page count."""
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter()
    for outcome in outcomes:
        if outcome.status == FAILED or not outcome.job.output.is_file():
            continue
        reader = PdfReader(outcome.job.output)
        start = len(writer.pages)
        writer.append(reader, import_outline=False)
        title = _title(reader, outcome)
        parent = writer.add_outline_item(title=title, page_number=start)
        _copy_outline(reader, writer, reader.outline, parent, start)
    if not writer.pages:
        raise OutputError("no edition was built, so there is nothing to bundle")
    writer.add_metadata({"/Title": "Factsheets", "/Creator": "factsheet"})
    buffer = io.BytesIO()
    writer.write(buffer)
    write_atomic(path, buffer.getvalue())
    return len(writer.pages)


def _title(reader: Any, outcome: Outcome) -> str:
    keys = outcome.entry.get("keys") or {}
    label = " · ".join(str(v) for v in keys.values()) if keys else outcome.job.label
    title = reader.metadata.title if reader.metadata else None
    return f"{label}: {title}" if title and keys else (title or label)


def _copy_outline(reader: Any, writer: Any, items: list[Any], parent: Any, start: int) -> None:
    """Copy an outline (pypdf gives children as a list after their parent)."""
    last = parent
    for item in items:
        if isinstance(item, list):
            _copy_outline(reader, writer, item, last, start)
            continue
        page = reader.get_destination_page_number(item)
        last = writer.add_outline_item(title=item.title, page_number=start + page, parent=parent)
