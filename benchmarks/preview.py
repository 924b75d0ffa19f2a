"""Save-to-picture latency of `factsheet preview`: how long after a text edit is saved
the open page shows the rebuilt edition's new page image.

    .venv/bin/python benchmarks/preview.py [--runs N] [--spec factsheets/2021.yaml]
        [--edition region=Global --edition language=en] [--chromium /usr/bin/chromium]

A copy of the demo project is previewed (one edition by default) in Debian's Chromium
(Playwright); each run changes the document title on disk and times, from just before
the write: the page's state updated (the server-sent event arrived and /state was
read), and the changed page's new PNG loaded and shown. Also printed: the build round
as the server measured it. Median, fastest and slowest of the runs after a warm-up run.
"""

from __future__ import annotations

import argparse
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
TITLE = re.compile(r"^(  title: )(.*)$", re.MULTILINE)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--spec", default="factsheets/2021.yaml")
    parser.add_argument("--edition", action="append", default=None)
    parser.add_argument("--chromium", default=shutil.which("chromium") or "/usr/bin/chromium")
    args = parser.parse_args()
    editions = args.edition or ["region=Global", "language=en"]
    with tempfile.TemporaryDirectory() as folder:
        project = Path(folder)
        for part in ("factsheets", "data", "assets", "translations"):
            if (ROOT / part).is_dir():
                shutil.copytree(ROOT / part, project / part)
        command = [sys.executable, "-m", "factsheet", "preview", args.spec, "--port", "0"]
        command += [f"--edition={e}" for e in editions] + ["-j", "1"]
        server = subprocess.Popen(command, cwd=project, stdout=subprocess.PIPE, text=True)
        try:
            assert server.stdout is not None
            url = re.search(r"http://\S+", server.stdout.readline())
            assert url, "the preview did not start"
            timings = measure(url.group(0), project / args.spec, args.runs, args.chromium)
        finally:
            server.send_signal(signal.SIGINT)
            server.wait(timeout=20)
    report(timings, editions)


def measure(url: str, spec: Path, runs: int, chromium: str) -> list[dict[str, float]]:
    from playwright.sync_api import sync_playwright

    timings = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium)
        page = browser.new_page(viewport={"width": 1300, "height": 900})
        page.goto(url)
        page.wait_for_selector("article.edition .sheet img", timeout=120_000)
        original = spec.read_text(encoding="utf-8")
        for run in range(runs + 1):
            timings.append(one_edit(page, spec, original, run))
        spec.write_text(original, encoding="utf-8")
        browser.close()
    return timings[1:]  # the first run warms the server's caches


def one_edit(page: Any, spec: Path, original: str, run: int) -> dict[str, float]:
    version = int(page.evaluate("document.body.dataset.version || 0"))
    before = page.evaluate("document.querySelector('article.edition .sheet img').src")
    edited = TITLE.sub(lambda m: f"{m[1]}{m[2]} (draft {run + 1})", original, count=1)
    started = time.perf_counter()
    spec.write_text(edited, encoding="utf-8")
    page.wait_for_function(
        "v => document.body.dataset.version > v && document.body.dataset.building === '0'",
        arg=version,
        timeout=60_000,
        polling="raf",
    )
    state = time.perf_counter() - started
    page.wait_for_function(
        "src => { const i = document.querySelector('article.edition .sheet img');"
        " return i.src !== src && i.complete && i.naturalWidth > 0; }",
        arg=before,
        timeout=60_000,
        polling="raf",
    )
    shown = time.perf_counter() - started
    server = float(page.evaluate("fetch('/state').then(r => r.json()).then(s => s.seconds)"))
    return {"state": state, "shown": shown, "build": server}


def report(timings: list[dict[str, float]], editions: list[str]) -> None:
    print(f"preview: save → picture, one edition ({', '.join(editions)}), {len(timings)} runs")
    for key, what in (
        ("build", "build round (server)"),
        ("state", "page state updated  "),
        ("shown", "new page image shown"),
    ):
        values = [t[key] * 1000 for t in timings]
        print(
            f"  {what}  median {statistics.median(values):6.0f} ms"
            f"   fastest {min(values):6.0f} ms   slowest {max(values):6.0f} ms"
        )


if __name__ == "__main__":
    main()
