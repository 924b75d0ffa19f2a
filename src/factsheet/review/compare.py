"""`factsheet diff`: the current editions against the approved set. Editions are
matched by label (their keys); one only in the spec now is added, one only in the
approved set is removed. For an edition in both, the figures are compared from the two
manifests (printed text and value, with the new value's source), the charts by their
alt text, and, when the PDFs' hashes differ, every page is rendered afresh from both
PDFs and compared pixel by pixel (:mod:`.pixels`) and word by word (the text layer,
page by page). An edition whose PDF is byte-identical to the approved one is unchanged
without rendering anything. Pure comparison: nothing here writes."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from fnmatch import fnmatchcase
from pathlib import Path
from typing import TYPE_CHECKING, Any

from factsheet.editions.expanded import editions_of
from factsheet.errors import MissingInputError, SpecError
from factsheet.location import Location, display_path
from factsheet.review import pixels
from factsheet.review.approve import MANIFEST, read_index, read_json
from factsheet.review.editions import Reviewed, SpecEditions
from factsheet.review.pages import render_pages
from factsheet.review.words import WordChange, page_texts, rtl_blocks, word_changes

if TYPE_CHECKING:
    from PIL import Image

UNCHANGED, CHANGED, ADDED, REMOVED = "unchanged", "changed", "added", "removed"


@dataclass(frozen=True)
class PageDiff:
    number: int
    status: str
    pixels: pixels.PixelDiff | None = None
    old: Image.Image | None = field(default=None, repr=False, compare=False)
    new: Image.Image | None = field(default=None, repr=False, compare=False)


@dataclass(frozen=True)
class FigureDiff:
    """A figure (or a chart's alt text) whose printed text or value changed."""

    name: str
    old_text: str | None
    new_text: str | None
    old_value: Any = None
    new_value: Any = None
    source: str = ""
    """Where the new value comes from: `data/x.csv lines 4, 7` (file lines)."""


@dataclass
class EditionDiff:
    label: str
    status: str
    pages: list[PageDiff] = field(default_factory=list)
    figures: list[FigureDiff] = field(default_factory=list)
    charts: list[FigureDiff] = field(default_factory=list)
    words: list[WordChange] = field(default_factory=list)
    old_pdf: Path | None = None
    new_pdf: Path | None = None
    rtl_blocks: int = 0
    """Blocks of right-to-left text whose words were not compared."""

    @property
    def changed_pages(self) -> list[PageDiff]:
        return [p for p in self.pages if p.status != UNCHANGED]


@dataclass
class SpecDiff:
    spec: Path
    approved: Path
    editions: list[EditionDiff]


def compare_spec(
    spec: SpecEditions, folder: Path, patterns: Mapping[str, list[str]], tolerance: int
) -> SpecDiff:
    """Compare `spec`'s chosen (built, current) editions with the approved set in
    `folder`; MissingInputError when there is none."""
    index = read_index(folder)
    if not index:
        raise MissingInputError(
            f"no approved set for this spec in {display_path(folder)}/",
            Location(spec.spec),
            hint=f"approve the current PDFs first: factsheet approve {display_path(spec.spec)}"
            " (or name another folder with --against)",
        )
    approved: dict[str, Any] = index.get("editions", {})
    if not (folder / MANIFEST).exists():  # without it, no figure would be compared
        raise MissingInputError(
            f"the approved set in {display_path(folder)}/ has no {MANIFEST}",
            Location(folder / MANIFEST),
            hint=f"approve the spec again: factsheet approve {display_path(spec.spec)}",
        )
    old_manifest: dict[str, Any] = read_json(folder / MANIFEST).get("editions", {})
    diffs = []
    for reviewed in spec.editions:
        entry = approved.get(reviewed.label)
        if entry is None:
            diffs.append(EditionDiff(reviewed.label, ADDED, new_pdf=reviewed.edition.output))
            continue
        old_record = old_manifest.get(reviewed.label, {})
        diffs.append(_edition(reviewed, folder, entry, old_record, tolerance))
    labels = {e.label for e in editions_of(spec.spec)}
    for label, entry in approved.items():
        if label not in labels and _matches(entry.get("keys", {}), patterns):
            old_pdf = approved_file(folder, entry.get("pdf"))
            diffs.append(EditionDiff(label, REMOVED, old_pdf=old_pdf))
    return SpecDiff(spec.spec, folder, diffs)


def approved_file(folder: Path, name: object) -> Path:
    """A file an approved set's index names: a plain name in the set's own folder
    (the index is committed, so it is input like any other)."""
    from factsheet.paths import resolve_inside
    from factsheet.review.approve import INDEX

    try:
        if not isinstance(name, str) or "/" in name or "\\" in name:
            raise ValueError(f"'{name}' is not a file name")
        return resolve_inside(folder, name)
    except ValueError as exc:
        raise SpecError(
            f"{exc}", Location(folder / INDEX), hint="approve the spec again to rewrite it"
        ) from None


def _matches(keys: Mapping[str, str], patterns: Mapping[str, list[str]]) -> bool:
    return all(
        any(fnmatchcase(str(keys.get(k, "")), g) for g in globs) for k, globs in patterns.items()
    )


def _edition(
    reviewed: Reviewed,
    folder: Path,
    approved: Mapping[str, Any],
    old_record: Mapping[str, Any],
    tolerance: int,
) -> EditionDiff:
    new = reviewed.entry or {}
    old_pdf, new_pdf = approved_file(folder, approved.get("pdf")), reviewed.edition.output
    diff = EditionDiff(reviewed.label, UNCHANGED, old_pdf=old_pdf, new_pdf=new_pdf)
    diff.figures = figure_changes(old_record.get("figures", {}), new.get("figures", {}))
    diff.charts = chart_changes(old_record.get("charts", {}), new.get("charts", {}))
    if approved.get("pdf_sha256") != new.get("pdf_sha256"):
        if not old_pdf.is_file():
            raise MissingInputError(
                f"the approved PDF of edition {reviewed.label} is missing: {old_pdf}",
                hint="approve the edition again: factsheet approve SPEC",
            )
        diff.pages = page_changes(old_pdf, new_pdf, tolerance)
        old_text, new_text = page_texts(old_pdf), page_texts(new_pdf)
        diff.words = word_changes(old_text, new_text)
        diff.rtl_blocks = rtl_blocks(new_text)
    else:
        diff.pages = [PageDiff(n, UNCHANGED) for n in range(1, int(new.get("pages", 0)) + 1)]
    if diff.changed_pages or diff.figures or diff.charts or diff.words:
        diff.status = CHANGED
    return diff


def page_changes(old_pdf: Path, new_pdf: Path, tolerance: int) -> list[PageDiff]:
    old_pages, new_pages = render_pages(old_pdf), render_pages(new_pdf)
    found = []
    for number in range(1, max(len(old_pages), len(new_pages)) + 1):
        old = old_pages[number - 1] if number <= len(old_pages) else None
        new = new_pages[number - 1] if number <= len(new_pages) else None
        if old is None or new is None:
            found.append(PageDiff(number, ADDED if old is None else REMOVED, None, old, new))
            continue
        result = pixels.compare(old, new, tolerance)
        status = CHANGED if result.changed else UNCHANGED
        found.append(PageDiff(number, status, result, old, new))
    return found


def figure_changes(old: Mapping[str, Any], new: Mapping[str, Any]) -> list[FigureDiff]:
    """Figures whose printed text or value differs, and those only on one side."""
    found = []
    for name in [*old, *(n for n in new if n not in old)]:
        before, after = old.get(name) or {}, new.get(name) or {}
        if before.get("text") == after.get("text") and before.get("value") == after.get("value"):
            continue
        found.append(
            FigureDiff(
                name,
                before.get("text") if name in old else None,
                after.get("text") if name in new else None,
                before.get("value"),
                after.get("value"),
                _source(after.get("provenance") or before.get("provenance") or {}),
            )
        )
    return found


def chart_changes(old: Mapping[str, Any], new: Mapping[str, Any]) -> list[FigureDiff]:
    """Charts whose alt text (which says what they show) differs."""
    found = []
    for name in [*old, *(n for n in new if n not in old)]:
        before, after = old.get(name) or {}, new.get(name) or {}
        if before.get("alt") != after.get("alt"):
            source = _source({"source": after.get("source"), "rows": after.get("rows", [])})
            found.append(FigureDiff(name, before.get("alt"), after.get("alt"), source=source))
    return found


def _source(provenance: Mapping[str, Any]) -> str:
    source = str(provenance.get("source") or "")
    rows = provenance.get("rows") or []
    if source and rows:
        shown = ", ".join(str(r) for r in rows[:6]) + (", …" if len(rows) > 6 else "")
        return f"{source} line{'s' if len(rows) > 1 else ''} {shown}"
    return source
