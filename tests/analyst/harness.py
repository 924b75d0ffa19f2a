"""The analyst-expectations harness (issue 14): a case is a few input rows, a spec
fragment and the text an analyst expects to read (or the error they expect to get).
Cases build a throw-away project in memory and read back what a reader would see: a
figure's printed text, or every word on the page as the PDF's text layer gives it."""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path

import pytest

from factsheet.build import Rendered, render
from factsheet.errors import FactsheetError
from tests.projects import make_project


def spec_text(body: str, language: str = "en", source: str = "rows.csv") -> str:
    """A one-page spec in `language` reading `data/<source>` as `rows`, with `body`
    (YAML: `figures:`, `pages:` …) appended. Without `pages:` it gets one page that
    prints nothing but the title."""
    pages = (
        "" if re.search(r"^pages:", body, re.M) else "pages:\n  - blocks:\n      - paragraph: x\n"
    )
    return (
        f"document: {{title: Analyst, author: Test Org, pages: 1, language: {language}}}\n"
        "theme: un-blue\n"
        f"data: {{rows: {{file: data/{source}}}}}\n"
        f"{body.rstrip()}\n{pages}"
    )


def render_case(
    tmp_path: Path,
    rows: str,
    body: str,
    language: str = "en",
    files: Mapping[str, str] | None = None,
) -> Rendered:
    """The case's project rendered in memory (nothing written)."""
    data = {"rows.csv": rows, **(files or {})}
    root = make_project(tmp_path / "p", data, {"case.yaml": spec_text(body, language)})
    return render(root / "factsheets" / "case.yaml")


def figure_text(tmp_path: Path, rows: str, body: str, name: str, language: str = "en") -> str:
    """The text figure `name` prints."""
    return render_case(tmp_path, rows, body, language).content.figures[name].text


def page_words(rendered: Rendered) -> str:
    """Every word on every page, from the PDF's text layer, whitespace made single."""
    import pypdfium2

    document = pypdfium2.PdfDocument(rendered.pdf)
    texts = [page.get_textpage().get_text_range() for page in document]
    return " ".join(" ".join(texts).split())


def error_text(
    tmp_path: Path,
    rows: str,
    body: str,
    language: str = "en",
    files: Mapping[str, str] | None = None,
) -> str:
    """The message of the error the case must raise (fails the test if it builds)."""
    with pytest.raises(FactsheetError) as caught:
        render_case(tmp_path, rows, body, language, files)
    return str(caught.value)


def drawn_lines(rendered: Rendered) -> list[str]:
    """Every line of every paragraph as it was broken on the pages, in drawing order
    (paragraphs inside tables, tiles and boxes too). A tagged PDF's text layer gives
    the words as written, not where lines break: this reads the layout itself."""
    from factsheet.layout.paragraph import Para

    lines: list[str] = []
    seen: set[int] = set()

    def walk(item: object) -> None:
        if id(item) in seen:
            return
        seen.add(id(item))
        if isinstance(item, Para):
            bl = item.blPara
            if bl.kind == 0:
                lines.extend(" ".join(words) for _, words in bl.lines)
            else:
                lines.extend("".join(getattr(w, "text", "") for w in ln.words) for ln in bl.lines)
        elif isinstance(item, list | tuple):
            for part in item:
                walk(part)
        else:
            for name in ("content", "_cellvalues"):
                walk(getattr(item, name, ()))

    for page in rendered.layout.pages:
        for placement in page.placements:
            walk(placement.flowable)
    return lines
