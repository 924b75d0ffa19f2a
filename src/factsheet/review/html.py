"""The report page of `factsheet diff --html REPORT.html`: one self-contained HTML file
(its CSS inline, no script, no web fonts) and its images in `REPORT_files/` beside it.
At the top, counts of changed, added, removed and unchanged editions and links to each
changed one; then per edition its figure changes as a table (approved, now, the
difference, the source rows), its word changes with deletions struck and insertions
marked, and each changed page as approved and now side by side, changed regions
outlined in red on both. Every text from a spec, a PDF or a manifest is escaped."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from html import escape
from pathlib import Path
from typing import Any

from factsheet import __version__
from factsheet.location import display_path
from factsheet.output import write_atomic
from factsheet.review import pixels
from factsheet.review.compare import (
    ADDED,
    CHANGED,
    REMOVED,
    UNCHANGED,
    EditionDiff,
    FigureDiff,
    PageDiff,
    SpecDiff,
)
from factsheet.review.editions import slugs
from factsheet.review.pages import png_bytes, render_pages


def write_report(diffs: Sequence[SpecDiff], path: Path, tolerance: int, root: Path) -> None:
    """Write the report and its images (old images of an earlier report there are
    removed)."""
    folder = path.with_name(f"{path.stem}_files")
    writer = _Writer(folder, root)
    body = [_head(diffs, tolerance), '<main class="wrap">', _contents(diffs)]
    for spec in diffs:
        body.append(writer.spec(spec))
    body.append("</main>")
    body.append(f'<footer class="wrap">Made by factsheet {escape(__version__)}.</footer>')
    title = "Changes since approval: " + ", ".join(spec.spec.name for spec in diffs)
    page = _PAGE.format(title=escape(title), css=_css(), body="\n".join(body))
    if folder.is_dir():
        for old in folder.glob("*.png"):
            if old.name not in writer.written:
                old.unlink(missing_ok=True)
    write_atomic(path, page.encode("utf-8"), root)


_PAGE = """<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<style>
{css}
</style>
</head>
<body>
{body}
</body>
</html>
"""


def _css() -> str:
    from factsheet.review.style import CSS

    return CSS.strip()


def _head(diffs: Sequence[SpecDiff], tolerance: int) -> str:
    counts = dict.fromkeys((CHANGED, ADDED, REMOVED, UNCHANGED), 0)
    for spec in diffs:
        for edition in spec.editions:
            counts[edition.status] += 1
    against = ", ".join(
        f"{display_path(s.spec)} against {display_path(s.approved)}/" for s in diffs
    )
    now = dt.datetime.now(dt.UTC)
    chips = "".join(
        f'<li class="chip {status}"><b>{n}</b> {status}</li>' for status, n in counts.items()
    )
    moved = counts[CHANGED] + counts[ADDED] + counts[REMOVED]
    verdict = "What changed since approval" if moved else "No changes since approval"
    return (
        '<header class="top"><div class="wrap">'
        '<p class="kicker">factsheet diff</p>'
        f"<h1>{verdict}</h1>"
        f'<p class="meta">{escape(against)} · compared {now:%Y-%m-%d %H:%M} UTC · a pixel '
        f"counts as changed when a colour channel differs by more than {tolerance}/255</p>"
        f'<ul class="chips">{chips}</ul></div></header>'
    )


def _contents(diffs: Sequence[SpecDiff]) -> str:
    items = []
    for s, spec in enumerate(diffs):
        for e, edition in enumerate(spec.editions):
            if edition.status != UNCHANGED:
                items.append(
                    f'<li><a href="#{_anchor(s, e)}">{escape(edition.label)}</a>'
                    f' <span class="pill {edition.status}">{edition.status}</span>'
                    f' <span class="what">{escape(_what(edition))}</span></li>'
                )
    if not items:
        return '<p class="calm">Every edition matches its approved version.</p>'
    return f'<nav class="toc"><h2>Editions to review</h2><ol>{"".join(items)}</ol></nav>'


def _what(edition: EditionDiff) -> str:
    parts = []
    pages = edition.changed_pages
    if pages:
        parts.append("page " + ", ".join(str(p.number) for p in pages))
    if edition.figures:
        parts.append(f"{len(edition.figures)} figure{'s' if len(edition.figures) > 1 else ''}")
    if edition.words:
        parts.append(f"{len(edition.words)} word change{'s' if len(edition.words) > 1 else ''}")
    return " · ".join(parts)


def _anchor(spec: int, edition: int) -> str:
    return f"s{spec}-e{edition}"


class _Writer:
    """Writes a spec's sections and the images they show."""

    def __init__(self, folder: Path, root: Path) -> None:
        self.folder = folder
        self.root = root
        self.written: set[str] = set()
        self.spec_index = -1

    def image(self, name: str, image: Any) -> str:
        write_atomic(self.folder / name, png_bytes(image), self.root)
        self.written.add(name)
        return f"{escape(self.folder.name, quote=True)}/{escape(name, quote=True)}"

    def spec(self, spec: SpecDiff) -> str:
        self.spec_index += 1
        names = slugs([e.label for e in spec.editions])
        parts = [f'<section class="spec"><h2>{escape(display_path(spec.spec))}</h2>']
        quiet = []
        for e, edition in enumerate(spec.editions):
            if edition.status == UNCHANGED:
                quiet.append(f"<li>{escape(edition.label)}</li>")
                continue
            prefix = f"{spec.spec.stem}-{names[edition.label]}"
            parts.append(self.edition(edition, _anchor(self.spec_index, e), prefix))
        if quiet:
            parts.append(
                f'<details class="quiet"><summary>{len(quiet)} edition'
                f"{'s' if len(quiet) > 1 else ''} unchanged</summary><ul>{''.join(quiet)}</ul>"
                "</details>"
            )
        parts.append("</section>")
        return "\n".join(parts)

    def edition(self, edition: EditionDiff, anchor: str, prefix: str) -> str:
        out = [
            f'<article class="edition {edition.status}" id="{anchor}"><header>'
            f'<span class="pill {edition.status}">{edition.status}</span>'
            f"<h3>{escape(edition.label)}</h3></header>"
        ]
        if edition.status in (ADDED, REMOVED):
            out.append(self.whole(edition, prefix))
        if edition.figures:
            out.append("<h4>Figures</h4>" + _figures(edition.figures))
        if edition.charts:
            out.append("<h4>Charts</h4>" + _charts(edition.charts))
        if edition.words:
            out.append("<h4>Words</h4>" + _words(edition))
        if edition.rtl_blocks and edition.changed_pages:
            n = edition.rtl_blocks
            out.append(
                f'<p class="note">The words of {n} right-to-left block{"s" if n > 1 else ""} '
                "are not compared: the PDF holds their lines in visual order. The pages "
                "below show any change in them.</p>"
            )
        pages = [self.page(p, prefix) for p in edition.changed_pages]
        if pages:
            out.append("<h4>Pages</h4>" + "".join(pages))
        out.append("</article>")
        return "\n".join(out)

    def whole(self, edition: EditionDiff, prefix: str) -> str:
        """An added or removed edition's pages."""
        pdf = edition.new_pdf if edition.status == ADDED else edition.old_pdf
        if pdf is None or not pdf.is_file():
            return ""
        side = "now" if edition.status == ADDED else "approved"
        cells = []
        for n, image in enumerate(render_pages(pdf), start=1):
            src = self.image(f"{prefix}-p{n}-{side}.png", image)
            alt = escape(f"Page {n} of {edition.label}, {side}", quote=True)
            cells.append(f'<a href="{src}"><img src="{src}" alt="{alt}" loading="lazy"></a>')
        return f'<div class="strip">{"".join(cells)}</div>'

    def page(self, page: PageDiff, prefix: str) -> str:
        boxes = page.pixels.boxes if page.pixels else ()
        sides = []
        for side, image in (("approved", page.old), ("now", page.new)):
            if image is None:
                sides.append(f'<div class="side empty"><p class="label">{side}</p>'
                             "<p>no such page</p></div>")  # fmt: skip
                continue
            shown = pixels.outlined(image, boxes) if boxes else image
            src = self.image(f"{prefix}-p{page.number}-{side}.png", shown)
            alt = escape(f"Page {page.number}, {side}, changed regions outlined", quote=True)
            sides.append(
                f'<div class="side"><p class="label">{side}</p><a href="{src}">'
                f'<img src="{src}" alt="{alt}" loading="lazy"></a></div>'
            )
        if page.pixels is not None:
            n = len(page.pixels.boxes)
            detail = (f"{n} changed region{'s' if n != 1 else ''} · "
                      f"{page.pixels.share * 100:.2f}% of its pixels")  # fmt: skip
        else:
            detail = f"page {page.status}"
        return (
            f'<figure class="pair"><figcaption><b>Page {page.number}</b> · {detail}'
            f'</figcaption><div class="sides">{"".join(sides)}</div></figure>'
        )


def _figures(figures: Sequence[FigureDiff]) -> str:
    rows = []
    for f in figures:
        rows.append(
            f'<tr><th scope="row"><code>{escape(f.name)}</code></th>'
            f'<td class="old">{_cell(f.old_text, f.old_value)}</td>'
            f'<td class="new">{_cell(f.new_text, f.new_value)}</td>'
            f'<td class="delta">{escape(_delta(f.old_value, f.new_value))}</td>'
            f'<td class="source">{escape(f.source)}</td></tr>'
        )
    return (
        '<table class="figures"><thead><tr><th scope="col">Figure</th>'
        '<th scope="col">Approved</th><th scope="col">Now</th><th scope="col">Change</th>'
        f'<th scope="col">Source</th></tr></thead><tbody>{"".join(rows)}</tbody></table>'
    )


def _cell(text: str | None, value: Any) -> str:
    if text is None:
        return '<span class="none">not in this version</span>'
    raw = _raw(value)
    shown = "" if raw in ("", text.replace(",", "")) else f'<span class="raw">{escape(raw)}</span>'
    return f'<span class="printed">{escape(text)}</span>{shown}'


def _raw(value: Any) -> str:
    """The value as recorded, when the printed text rounds or formats it."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _delta(old: Any, new: Any) -> str:
    if isinstance(old, bool) or isinstance(new, bool):
        return ""
    if not isinstance(old, int | float) or not isinstance(new, int | float):
        return ""
    change = new - old
    text = f"{change:+,.6g}"
    if old:
        text += f" ({change / abs(old) * 100:+.1f}%)"
    return text


def _charts(charts: Sequence[FigureDiff]) -> str:
    rows = [
        f'<tr><th scope="row"><code>{escape(c.name)}</code></th>'
        f'<td class="old">{escape(c.old_text or "—")}</td>'
        f'<td class="new">{escape(c.new_text or "—")}</td></tr>'
        for c in charts
    ]
    return (
        '<table class="figures charts"><thead><tr><th scope="col">Chart</th>'
        '<th scope="col">Approved (alt text)</th><th scope="col">Now (alt text)</th>'
        f"</tr></thead><tbody>{''.join(rows)}</tbody></table>"
    )


def _words(edition: EditionDiff) -> str:
    items = []
    for w in edition.words:
        change = f"<del>{escape(w.removed)}</del>" if w.removed else ""
        change += (" " if change else "") + (f"<ins>{escape(w.added)}</ins>" if w.added else "")
        before = f"…{escape(w.before)} " if w.before else ""
        after = f" {escape(w.after)}…" if w.after else ""
        items.append(f'<li><span class="where">p. {w.page}</span> {before}{change}{after}</li>')
    return f'<ul class="words">{"".join(items)}</ul>'
