"""Regenerate docs/preview.png, the README's picture of `factsheet preview`: the demo
previewed from a copy of the project, in Debian's Chromium (Playwright), with the
provenance panel of one key figure open.

    .venv/bin/python scripts/preview_screenshot.py [--chromium /usr/bin/chromium]
"""

from __future__ import annotations

import argparse
import re
import shutil
import signal
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
TARGET = ROOT / "docs" / "preview.png"
SPEC = "factsheets/2021.yaml"
EDITIONS = ["--edition=language=en", "--edition=region=Global", "--edition=region=Africa"]
FIGURE = "officials_trained"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--chromium", default=shutil.which("chromium") or "/usr/bin/chromium")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        project = Path(folder)
        for part in ("factsheets", "data", "assets", "translations"):
            if (ROOT / part).is_dir():
                shutil.copytree(ROOT / part, project / part)
        command = [sys.executable, "-m", "factsheet", "preview", SPEC, "--port", "0", *EDITIONS]
        server = subprocess.Popen(command, cwd=project, stdout=subprocess.PIPE, text=True)
        try:
            assert server.stdout is not None
            url = re.search(r"http://\S+", server.stdout.readline())
            assert url, "the preview did not start"
            shoot(url.group(0), args.chromium)
        finally:
            server.send_signal(signal.SIGINT)
            server.wait(timeout=20)
    print(f"wrote {TARGET.relative_to(ROOT)}")


def shoot(url: str, chromium: str) -> None:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium)
        page = browser.new_page(viewport={"width": 1440, "height": 900})
        page.add_init_script("localStorage.setItem('factsheet-zoom', '55')")
        page.goto(url)
        page.wait_for_function(
            "document.body.dataset.building === '0' && "
            "[...document.querySelectorAll('.sheet img')].every(i => i.complete && "
            "i.naturalWidth > 0)",
            timeout=180_000,
        )
        click_figure(page)
        page.screenshot(path=str(TARGET))
        browser.close()


def click_figure(page: Any) -> None:
    """Click the first edition's printed FIGURE, as a reader would."""
    state = page.evaluate("fetch('/state').then(r => r.json())")
    edition = state["editions"][0]
    box = next(b for b in edition["boxes"] if FIGURE in b["figures"])
    width, height = edition["sizes"][box["page"] - 1]
    image = page.locator("article.edition").first.locator(".sheet img").nth(box["page"] - 1)
    frame = image.bounding_box()
    x = frame["x"] + (box["x0"] + box["x1"]) / 2 / width * frame["width"]
    y = frame["y"] + (box["top"] + box["bottom"]) / 2 / height * frame["height"]
    page.mouse.click(x, y)
    page.locator("#prov").wait_for(state="visible")


if __name__ == "__main__":
    main()
