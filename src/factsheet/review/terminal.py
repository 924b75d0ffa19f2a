"""What `factsheet diff` prints: per spec, one line per edition (its status and what
changed: pages, figures, words), then the first few figure and word changes indented
beneath it, and a last line counting the editions by status with the tolerance used.
Everything printed from a PDF or a manifest is passed through `escape_controls`."""

from __future__ import annotations

from collections.abc import Sequence

from factsheet.location import display_path
from factsheet.review.compare import ADDED, CHANGED, REMOVED, UNCHANGED, EditionDiff, SpecDiff
from factsheet.security import escape_controls

SHOWN = 3  # changes of each kind listed under an edition; the rest are counted


def lines(diffs: Sequence[SpecDiff], tolerance: int, report: str = "") -> list[str]:
    out: list[str] = []
    counts = dict.fromkeys((CHANGED, ADDED, REMOVED, UNCHANGED), 0)
    for spec in diffs:
        out.append(f"{display_path(spec.spec)} against {display_path(spec.approved)}/")
        for edition in spec.editions:
            counts[edition.status] += 1
            out.append(f"  {edition.status:<10} {edition.label}{_what(edition)}")
            out += [f"               {line}" for line in _details(edition, report)]
    total = sum(counts.values())
    summary = ", ".join(f"{n} {status}" for status, n in counts.items())
    out.append(
        f"{total} edition{'s' if total != 1 else ''} compared: {summary} "
        f"(tolerance {tolerance}/255 per colour channel)"
    )
    return [escape_controls(line) for line in out]


def _what(edition: EditionDiff) -> str:
    if edition.status != CHANGED:
        return ""
    parts = []
    pages = edition.changed_pages
    if pages:
        numbers = ", ".join(str(p.number) for p in pages)
        parts.append(f"page{'s' if len(pages) > 1 else ''} {numbers}")
    if edition.figures:
        parts.append(_count(len(edition.figures), "figure"))
    if edition.charts:
        parts.append(_count(len(edition.charts), "chart"))
    if edition.words:
        parts.append(_count(len(edition.words), "word change"))
    return ": " + ", ".join(parts)


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}{'s' if n != 1 else ''}"


def _details(edition: EditionDiff, report: str) -> list[str]:
    found = []
    for page in edition.changed_pages:
        if page.pixels is not None:
            share = page.pixels.share * 100
            regions = _count(len(page.pixels.boxes), "region")
            found.append(f"page {page.number}: {regions} changed ({share:.2f}% of its pixels)")
        else:
            found.append(f"page {page.number}: {page.status}")
    for figure in edition.figures[:SHOWN]:
        found.append(f"figure {figure.name}: {_text(figure.old_text)} → {_text(figure.new_text)}")
    for chart in edition.charts[:SHOWN]:
        found.append(f"chart {chart.name}: its alt text changed")
    for word in edition.words[:SHOWN]:
        before = f"…{word.before} " if word.before else ""
        after = f" {word.after}…" if word.after else ""
        change = f"[-{word.removed}-]" if word.removed else ""
        change += f"{{+{word.added}+}}" if word.added else ""
        found.append(f"page {word.page}: {before}{change}{after}")
    if edition.rtl_blocks and edition.changed_pages:
        found.append(
            f"words of {_count(edition.rtl_blocks, 'right-to-left block')} not compared "
            "(the PDF holds them in visual order): see the page images"
        )
    hidden = max(len(edition.figures) - SHOWN, 0) + max(len(edition.words) - SHOWN, 0)
    hidden += max(len(edition.charts) - SHOWN, 0)
    if hidden:
        where = f" (see {report})" if report else " (see --html REPORT.html)"
        found.append(f"… and {hidden} more{where}")
    return found


def _text(text: str | None) -> str:
    return "(none)" if text is None else f"'{text}'"


def exit_code(diffs: Sequence[SpecDiff]) -> int:
    """0 when nothing changed, 1 otherwise."""
    changed = any(e.status != UNCHANGED for spec in diffs for e in spec.editions)
    return 1 if changed else 0
