"""The preview page in a real browser: Debian's Chromium driven by Playwright (its own
browser download does not work on these machines). `factsheet preview` runs as a
process on a small project; the tests edit its files on disk and watch the page
follow. Without Chromium they are skipped with one line, unless
FACTSHEET_BROWSER_TESTS=1 makes them mandatory (CI sets it)."""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.review_project import SPEC_PATH, review_project, set_people

REQUIRED = os.environ.get("FACTSHEET_BROWSER_TESTS") == "1"
CHROMIUM = os.environ.get("FACTSHEET_CHROMIUM") or shutil.which("chromium")
try:
    from playwright.sync_api import Page, sync_playwright
except ImportError:  # pragma: no cover - the test extras bring it
    sync_playwright = None  # type: ignore[assignment]

if not CHROMIUM or sync_playwright is None:
    if REQUIRED:
        raise RuntimeError("FACTSHEET_BROWSER_TESTS=1 but Chromium or Playwright is missing")
    pytest.skip(
        "preview browser tests: no Chromium here (apt-get install chromium; "
        "FACTSHEET_BROWSER_TESTS=1 makes them mandatory)",
        allow_module_level=True,
    )


@pytest.fixture(scope="module")
def chromium_browser() -> Iterator[Any]:
    assert sync_playwright is not None
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM)
        yield launched
        launched.close()


@pytest.fixture
def preview(tmp_path: Path) -> Iterator[tuple[Path, str]]:
    project = review_project(tmp_path)
    process = subprocess.Popen(
        [sys.executable, "-m", "factsheet", "preview", SPEC_PATH, "--port", "0", "-j", "1"],
        cwd=project,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert process.stdout is not None
    line = process.stdout.readline()
    found = re.search(r"http://127\.0\.0\.1:\d+/", line)
    assert found, line
    yield project, found.group(0)
    process.send_signal(signal.SIGINT)
    _, err = process.communicate(timeout=20)
    assert process.returncode in (0, 130) and "Traceback" not in err


@pytest.fixture
def preview_page(chromium_browser: Any, preview: tuple[Path, str]) -> Iterator[Page]:
    context = chromium_browser.new_context(viewport={"width": 1300, "height": 900})
    opened = context.new_page()
    opened.goto(preview[1])
    opened.wait_for_selector("article.edition .sheet img", timeout=60_000)
    yield opened
    context.close()


def _card(page: Page, region: str) -> Any:
    return page.locator(f'article.edition[data-label="region={region}"]')


def _image_loaded(page: Page, selector: str) -> None:
    page.wait_for_function(
        "s => { const i = document.querySelector(s); return i && i.complete "
        "&& i.naturalWidth > 0; }",
        arg=selector,
        timeout=30_000,
    )


def test_the_page_lists_every_edition_with_its_pages(preview_page: Page) -> None:
    page = preview_page
    cards = page.locator("article.edition")
    cards.first.wait_for()
    page.wait_for_function("document.querySelectorAll('article.edition').length === 4")
    assert _card(page, "North").get_attribute("data-status") == "warnings"
    assert "empty band" in _card(page, "North").locator("section.warnings").inner_text()
    assert "region North" in _card(page, "North").locator(".keys").inner_text()
    selector = 'article[data-label="region=North"] .sheet img'
    _image_loaded(page, selector)
    width = page.evaluate(f"document.querySelector('{selector}').naturalWidth")
    assert width > 1000  # rendered at 2 pixels per point: crisp on a HiDPI screen


def test_a_saved_data_change_updates_the_page_by_itself(
    preview_page: Page, preview: tuple[Path, str]
) -> None:
    page = preview_page
    project, _ = preview
    south = _card(page, "South").locator(".sheet img")
    before = south.get_attribute("src")
    north = _card(page, "North").locator(".sheet img").get_attribute("src")
    set_people(project, "South", 2468)
    page.wait_for_function(
        "src => { const i = document.querySelector("
        "'article[data-label=\"region=South\"] .sheet img'); return i && i.src && "
        "!i.src.endsWith(src); }",
        arg=before,
        timeout=30_000,
    )
    assert _card(page, "North").locator(".sheet img").get_attribute("src") == north
    _image_loaded(page, 'article[data-label="region=South"] .sheet img')


def test_a_broken_spec_shows_the_error_and_greys_the_last_pages(
    preview_page: Page, preview: tuple[Path, str]
) -> None:
    page = preview_page
    project, _ = preview
    src = _card(page, "North").locator(".sheet img").get_attribute("src")
    spec = project / SPEC_PATH
    spec.write_text(spec.read_text().replace("  author:", "  autor:"))
    page.wait_for_selector('article[data-label="region=North"].stale', timeout=30_000)
    card = _card(page, "North")
    panel = card.locator(".problems")
    problem = panel.locator(".problem", has_text="unknown key 'autor'")
    assert problem.locator(".where").inner_text() == "factsheets/report.yaml:3:3"
    assert problem.locator(".hint").inner_text() == "did you mean 'author'?"
    assert "  autor: Test Org" in problem.locator(".here").inner_text()
    assert card.locator(".sheet img").get_attribute("src") == src  # last good pages
    grey = page.evaluate(
        "getComputedStyle(document.querySelector('article.stale .sheet img')).filter"
    )
    assert "grayscale" in grey
    spec.write_text(spec.read_text().replace("  autor:", "  author:"))
    page.wait_for_selector('article[data-label="region=North"]:not(.stale)', timeout=30_000)
    assert card.locator(".problems").count() == 0


def test_clicking_a_number_shows_its_provenance(preview_page: Page) -> None:
    page = preview_page
    state = page.evaluate("fetch('/state').then(r => r.json())")
    north = next(e for e in state["editions"] if e["label"] == "region=North")
    box = next(b for b in north["boxes"] if b["figures"] == ["people"])
    width, height = north["sizes"][box["page"] - 1]
    selector = 'article[data-label="region=North"] .sheet img'
    _image_loaded(page, selector)
    image = page.locator(selector).nth(box["page"] - 1)
    frame = image.bounding_box()
    assert frame is not None
    x = frame["x"] + (box["x0"] + box["x1"]) / 2 / width * frame["width"]
    y = frame["y"] + (box["top"] + box["bottom"]) / 2 / height * frame["height"]
    page.mouse.click(x, y)
    panel = page.locator("#prov")
    panel.wait_for(state="visible")
    text = panel.inner_text()
    for expected in ("people", "1,111", "data/regions.csv", "region = North", "file lines"):
        assert expected in text
    page.mouse.click(frame["x"] + 4, frame["y"] + 4)  # the blank margin
    panel.wait_for(state="hidden")


def test_clicking_a_chart_label_shows_that_value_not_the_figure(preview_page: Page) -> None:
    # The chart's label prints "1,111" as the figure `people` does in the sentence:
    # each click names its own.
    page = preview_page
    state = page.evaluate("fetch('/state').then(r => r.json())")
    north = next(e for e in state["editions"] if e["label"] == "region=North")
    box = next(b for b in north["boxes"] if b["kind"] == "value")
    width, height = north["sizes"][box["page"] - 1]
    selector = 'article[data-label="region=North"] .sheet img'
    _image_loaded(page, selector)
    frame = page.locator(selector).nth(box["page"] - 1).bounding_box()
    assert frame is not None
    x = frame["x"] + (box["x0"] + box["x1"]) / 2 / width * frame["width"]
    y = frame["y"] + (box["top"] + box["bottom"]) / 2 / height * frame["height"]
    page.mouse.click(x, y)
    panel = page.locator("#prov")
    panel.wait_for(state="visible")
    text = panel.inner_text()
    for expected in ("chart", "category", "North", "1,111", "data/regions.csv"):
        assert expected in text
    assert "figure" not in text


def test_path_traversal_is_404(preview_page: Page, preview: tuple[Path, str]) -> None:
    page = preview_page
    _, url = preview
    for path in ("pdf/..%2F..%2Fetc%2Fpasswd", "pdf/%2e%2e/%2e%2e/etc/passwd",
                 "assets/..%2F..%2Fpyproject.toml", "data/regions.csv"):  # fmt: skip
        response = page.request.get(url + path)
        assert response.status == 404, path
        assert b"root:" not in response.body()


def test_the_page_escapes_what_the_spec_says(preview_page: Page, preview: tuple[Path, str]) -> None:
    page = preview_page
    project, _ = preview
    spec = project / SPEC_PATH
    spec.write_text(
        spec.read_text().replace("  author: Test Org", "  <img src=x onerror=alert(1)>: 1")
    )
    page.wait_for_selector("article.stale", timeout=30_000)
    time.sleep(0.2)
    assert page.locator(".problems img").count() == 0
    assert "<img src=x onerror=alert(1)>" in page.locator(".problems").first.inner_text()


def test_the_page_passes_an_accessibility_check(
    preview_page: Page, preview: tuple[Path, str]
) -> None:
    """axe-core's rules (shipped in the test extras' wheel, no network) find nothing on
    the page as built, with a number's provenance open, and with the error panel."""
    from axe_playwright_python.sync_playwright import Axe

    page = preview_page
    axe = Axe()
    results = axe.run(page)
    assert results.violations_count == 0, results.generate_report()
    test_clicking_a_number_shows_its_provenance(page)  # opens and closes the panel
    page.locator('article[data-label="region=North"] .sheet img').first.click()
    spec = preview[0] / SPEC_PATH
    spec.write_text(spec.read_text().replace("  author:", "  autor:"))
    page.wait_for_selector("article.stale", timeout=30_000)
    results = axe.run(page)
    assert results.violations_count == 0, results.generate_report()
