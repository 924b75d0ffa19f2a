"""What the fit reports tell: an overflow says what helps (content never runs on to a
new page by itself, so the budget only matters when a page is added), the page budget
error says which page entry makes which pages, and a page left with a large empty band
across its width is a warning located at its page entry."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from factsheet.build import render
from factsheet.cli import main
from factsheet.errors import LayoutError
from factsheet.layout.geometry import largest_gap
from tests.projects import make_project

WORDS = "Migration shapes development and development shapes migration. "


def spec(pages: int, *entries: str) -> str:
    text = f"document: {{title: Fit, author: Test Org, pages: {pages}}}\ntheme: un-blue\npages:\n"
    return text + "".join(entries)


def page(*blocks: str, columns: int = 1) -> str:
    return f"  - columns: {columns}\n    blocks:\n" + "".join(f"      - {b}\n" for b in blocks)


def text(words: int, fit: str = "error") -> str:
    return f'paragraph: {{fit: {fit}, text: "{WORDS * words}"}}'


FULL = text(95)  # fills a one-column A4 page to within a few lines
LONG = text(140)  # overflows it


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return make_project(tmp_path / "p")


def write(project: Path, content: str) -> Path:
    path = project / "factsheets" / "fit.yaml"
    path.write_text(content)
    return path


# --- the overflow's hint ------------------------------------------------------------


def test_an_overflow_on_a_full_budget_says_a_new_page_needs_a_larger_one(project: Path) -> None:
    with pytest.raises(LayoutError) as caught:
        render(write(project, spec(1, page(LONG))))
    error = caught.value
    assert error.message.startswith("content overflows page 1 by ")
    assert "content never runs on to a new page by itself" in error.hint
    assert "`page_break`" in error.hint and "a new entry under `pages`" in error.hint
    assert error.hint.endswith("; a new page needs `document.pages: 2`")


def test_an_overflow_with_room_in_the_budget_says_so(project: Path) -> None:
    with pytest.raises(LayoutError) as caught:
        render(write(project, spec(3, page(LONG))))
    # Raising the budget alone would not help: the page must be split.
    assert caught.value.hint.endswith("; `document.pages: 3` leaves room for 2 more pages")


def test_an_overflow_after_shrinking_says_the_shrink_was_tried(project: Path) -> None:
    with pytest.raises(LayoutError) as caught:
        render(write(project, spec(1, page(text(200, "shrink")))))
    assert caught.value.message.endswith(
        ", even with this page's `fit: shrink` blocks at their smallest size"
    )


def test_moving_blocks_to_a_new_page_within_the_budget_fixes_it(project: Path) -> None:
    """What the hint says works: a page break, with the budget raised to match."""
    with pytest.raises(LayoutError):
        render(write(project, spec(2, page(FULL, "heading: More", FULL))))
    rendered = render(write(project, spec(2, page(FULL, "page_break: {}", "heading: More", FULL))))
    assert len(rendered.layout.pages) == 2


def test_the_budget_error_says_which_entry_makes_which_pages(project: Path) -> None:
    content = spec(2, page(FULL), page(FULL, "page_break: {}", FULL))
    with pytest.raises(LayoutError) as caught:
        render(write(project, content))
    error = caught.value
    assert error.message == (
        "the factsheet needs 3 pages but its budget is 2: pages[0] makes page 1, "
        "pages[1] makes pages 2\u20133 (page breaks)"
    )
    assert error.hint == "remove a page entry or a page break, or raise `document.pages` to 3"
    assert error.location is not None and error.location.key_path == ("document", "pages")


# --- empty bands ----------------------------------------------------------------------


def warnings_of(project: Path, content: str) -> list[str]:
    return [str(w) for w in render(write(project, content)).content.warnings]


def test_a_full_page_has_no_warning(project: Path) -> None:
    assert warnings_of(project, spec(1, page("heading: Fitting text", FULL))) == []


def test_a_page_with_a_large_empty_band_is_a_warning_at_its_entry(project: Path) -> None:
    content = spec(2, page("heading: Full", FULL), page("heading: Short", text(20)))
    (warning,) = warnings_of(project, content)
    # The second page entry starts on line 8 of the spec.
    assert "/factsheets/fit.yaml:8:5: pages[1]: page 2 has an empty band " in warning
    assert "% of the page) across its width, below the paragraph pages[1].blocks[1], " in warning
    assert "down to the bottom margin" in warning
    assert "move blocks here from another page" in warning


def test_the_band_is_measured_across_every_column(project: Path) -> None:
    """Two columns, one full: no band runs across the page, but the empty column is a
    warning of its own (a new-user trial left half a page white without a word)."""
    one = spec(1, page("heading: Left", text(60), columns=2))
    (warning,) = warnings_of(project, one)
    assert "column 2 of page 1 is empty below the paragraph pages[0].blocks[1]" in warning
    assert "`column_break`" in warning
    both = spec(1, page("heading: Left", text(48), "column_break: {}", text(48), columns=2))
    assert warnings_of(project, both) == []
    # Only a little text in each column leaves the lower part of the page empty.
    two = spec(1, page("heading: Left", text(20), "column_break: {}", text(20), columns=2))
    (warning,) = warnings_of(project, two)
    assert "page 1 has an empty band" in warning


def test_the_band_names_the_page_made_by_a_page_break(project: Path) -> None:
    content = spec(2, page("heading: Full", FULL, "page_break: {}", "heading: Short", text(10)))
    (warning,) = warnings_of(project, content)
    assert ": pages[0]: page 2 has an empty band " in warning


def test_a_band_between_blocks_names_both(project: Path) -> None:
    content = spec(
        1,
        page(
            "heading: Top", text(30), "spacer: 80mm", text(30), "contact: {name: Org, span: page}"
        ),
    )
    assert warnings_of(project, content) == []  # a spacer is space asked for
    content = content.replace("      - spacer: 80mm\n", "").replace(text(30), text(10), 1)
    (warning,) = warnings_of(project, content)
    assert "between the paragraph pages[0].blocks[2] and the contact pages[0].blocks[3]" in warning


def test_check_reports_the_band_and_strict_fails_on_it(project: Path) -> None:
    write(project, spec(1, page("heading: Short", text(20))))
    old = Path.cwd()
    os.chdir(project)
    try:
        checked = CliRunner().invoke(main, ["check", "factsheets/fit.yaml"])
        strict = CliRunner().invoke(main, ["check", "--strict", "factsheets/fit.yaml"])
    finally:
        os.chdir(old)
    assert checked.exit_code == 0
    assert checked.stderr.startswith("Warning: factsheets/fit.yaml:4:5: pages[0]: page 1 has ")
    assert strict.exit_code == 65
    assert strict.stderr.startswith("Error: factsheets/fit.yaml:4:5: pages[0]: page 1 has ")


@pytest.mark.parametrize(
    ("spans", "gap"),
    [
        ([], (0.0, 100.0)),
        ([(0.0, 100.0)], (0.0, 0.0)),
        ([(80.0, 100.0)], (0.0, 80.0)),
        ([(0.0, 10.0), (80.0, 100.0)], (10.0, 80.0)),
        ([(0.0, 10.0), (60.0, 100.0), (5.0, 50.0)], (50.0, 60.0)),  # overlapping spans
        ([(-20.0, 5.0), (90.0, 140.0)], (5.0, 90.0)),  # clipped to the area
        ([(40.0, 45.0), (42.0, 70.0)], (0.0, 40.0)),
    ],
)
def test_largest_gap(spans: list[tuple[float, float]], gap: tuple[float, float]) -> None:
    assert largest_gap(spans, 0.0, 100.0) == gap
