"""`factsheet watch` and `preview` without a browser: errors taken apart for the page,
the watcher rebuilding only what a save affects (and
re-expanding a matrix drawn from data), the server's routes (path traversal is 404),
and `factsheet watch` as a process that stops cleanly on Ctrl-C."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

import pytest

from factsheet.editions.run import Options
from factsheet.preview import state
from factsheet.preview.run import page_state
from factsheet.preview.server import Hub, Images, Server, make_app
from factsheet.preview.watch import Watcher, counts
from tests.review_project import SPEC_PATH, review_project, set_people


def test_a_located_error_is_taken_apart_with_the_lines_around_it(tmp_path: Path) -> None:
    spec = tmp_path / "s.yaml"
    spec.write_text("a: 1\nb: 2\ndocument:\n  subtitel: x\nc: 3\nd: 4\ne: 5\n")
    text = "s.yaml:4:3: document.subtitel: unknown key 'subtitel' (did you mean 'subtitle'?)"
    problem = state.parse_problem(text, [tmp_path], cwd=tmp_path)
    assert (problem["file"], problem["line"], problem["col"]) == ("s.yaml", 4, 3)
    assert problem["message"] == "document.subtitel: unknown key 'subtitel'"
    assert problem["hint"] == "did you mean 'subtitle'?"
    assert problem["context"] == [
        [2, "b: 2", False],
        [3, "document:", False],
        [4, "  subtitel: x", True],
        [5, "c: 3", False],
        [6, "d: 4", False],
    ]


def test_an_error_naming_a_file_outside_the_project_shows_no_lines(tmp_path: Path) -> None:
    outside = tmp_path / "secret.yaml"
    outside.write_text("password: x\n")
    project = tmp_path / "project"
    project.mkdir()
    problem = state.parse_problem("../secret.yaml:1:1: bad", [project], cwd=project)
    assert problem["line"] == 1 and problem["context"] == []


def test_an_unlocated_error_keeps_its_text() -> None:
    problem = state.parse_problem("internal error: boom", [Path("/nowhere")])
    assert problem["file"] == "" and problem["message"] == "internal error: boom"


def _watcher(project: Path, lines: list[str]) -> Watcher:
    os.chdir(project)
    return Watcher([project / SPEC_PATH], Options(workers=1), lines.append, lines.append)


def test_a_data_save_rebuilds_only_the_edition_it_changes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    project = review_project(tmp_path)
    lines: list[str] = []
    watcher = _watcher(project, lines)
    assert counts(watcher.build().summary) == {"built": 4, "up_to_date": 0, "failed": 0}
    data = project / "data" / "regions.csv"
    assert watcher.relevant(data)
    assert not watcher.relevant(project / "output" / "north.pdf")
    assert not watcher.relevant(project / "notes.txt")  # not read by the build
    set_people(project, "South", 2345)
    round_ = watcher.build([data])
    assert counts(round_.summary) == {"built": 1, "up_to_date": 3, "failed": 0}
    built = [line for line in lines if line.startswith("built")]
    assert len(built) == 5 and "south.pdf" in built[-1]
    assert not any(line.startswith("up to date") for line in lines)


def test_a_new_value_in_a_data_drawn_matrix_makes_a_new_edition(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    project = review_project(tmp_path)
    watcher = _watcher(project, [])
    watcher.build()
    data = project / "data" / "regions.csv"
    data.write_text(data.read_text() + "Central,5555,0.55\n")
    round_ = watcher.build([data])
    assert counts(round_.summary) == {"built": 1, "up_to_date": 4, "failed": 0}
    assert (project / "output" / "central.pdf").is_file()


def test_a_broken_spec_keeps_the_last_good_pages_greyed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    project = review_project(tmp_path)
    watcher = _watcher(project, [])
    first, pdfs = page_state(watcher, watcher.build(), [])
    assert [e["status"] for e in first["editions"]] == ["warnings"] * 4  # an empty band
    assert all(e["pdf_sha256"] in pdfs and e["pages"] == 1 for e in first["editions"])
    spec = project / SPEC_PATH
    spec.write_text(spec.read_text().replace("  author:", "  autor:"))
    second, kept = page_state(watcher, watcher.build([spec]), first["editions"], pdfs)
    assert [e["status"] for e in second["editions"]] == ["failed"] * 4
    assert all(e["stale"] for e in second["editions"])
    north = second["editions"][0]
    assert north["pdf_sha256"] == first["editions"][0]["pdf_sha256"] in kept
    error = next(e for e in north["errors"] if "autor" in e["message"])
    assert (error["file"], error["line"], error["col"]) == (SPEC_PATH, 3, 3)
    assert error["hint"] == "did you mean 'author'?"
    assert [n for n, _, here in error["context"] if here] == [3]


def test_the_page_state_has_each_figures_box(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    project = review_project(tmp_path)
    watcher = _watcher(project, [])
    page, _ = page_state(watcher, watcher.build(), [])
    north = page["editions"][0]
    people = [b for b in north["boxes"] if b["figures"] == ["people"]]
    # In the sentence; the chart's value label, printing the same text, is the chart's.
    assert len(people) == 1 and people[0]["page"] == 1
    assert [b["block"] for b in north["boxes"] if b["kind"] == "chart"] == ["chart"]
    (label,) = [b for b in north["boxes"] if b["kind"] == "value"]
    assert ["printed", "1,111"] in label["details"] and ["category", "North"] in label["details"]
    width, height = north["sizes"][0]
    for box in north["boxes"]:
        assert 0 < box["x0"] < box["x1"] < width and 0 < box["top"] < box["bottom"] < height
    assert people[0]["bottom"] - people[0]["top"] < 20  # one line of text, not a block
    assert ["source", "data/regions.csv"] in people[0]["details"]
    # Values as the file writes them (1111, not 1111.0); rows as the file's lines.
    assert ["value", "1111"] in people[0]["details"]
    assert ["file lines", "2"] in people[0]["details"]


def _get(url: str) -> tuple[int, bytes, str]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.read(), response.headers["Content-Type"]
    except urllib.error.HTTPError as error:
        return error.code, b"", ""


@pytest.fixture
def served(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Any:
    monkeypatch.chdir(tmp_path)
    project = review_project(tmp_path)
    watcher = _watcher(project, [])
    hub = Hub()
    page, pdfs = page_state(watcher, watcher.build(), [])
    hub.publish(page, pdfs)
    server = Server(make_app(hub, Images()), 0)
    server.start()
    for _ in range(100):
        if server.server.started:
            break
        time.sleep(0.05)
    yield server.url, page
    hub.close()
    server.stop()


def test_the_server_serves_the_page_state_images_and_pdfs(served: Any) -> None:
    url, page = served
    status, body, kind = _get(url)
    assert status == 200 and kind.startswith("text/html") and b"/assets/preview.js" in body
    status, body, _ = _get(url + "state")
    assert json.loads(body)["editions"][0]["label"] == "region=North"
    sha = page["editions"][0]["pdf_sha256"]
    status, body, kind = _get(f"{url}page/{sha}/1.jpg")
    assert status == 200 and kind == "image/jpeg" and body.startswith(b"\xff\xd8\xff")
    assert _get(f"{url}page/{sha}/2.jpg")[0] == 404  # a one-page edition
    assert _get(f"{url}png/{sha}/1.png")[0] == 404  # no other name serves it
    status, body, kind = _get(f"{url}pdf/{sha}.pdf")
    assert status == 200 and body.startswith(b"%PDF")


@pytest.mark.parametrize(
    "path",
    [
        "pdf/../../etc/passwd",
        "pdf/..%2F..%2Fetc%2Fpasswd",
        "pdf/%2e%2e/%2e%2e/etc/passwd",
        "pdf/..%252F..%252Fetc%252Fpasswd",
        "page/../../../etc/passwd",
        "assets/..%2F..%2Fpyproject.toml",
        "assets/preview.py",
        "pdf/" + "0" * 64 + ".pdf",
        "output/north.pdf",
        "data/regions.csv",
    ],
)
def test_anything_but_the_outputs_and_the_assets_is_404(served: Any, path: str) -> None:
    url, _ = served
    import http.client

    host, port = url.removeprefix("http://").strip("/").split(":")
    connection = http.client.HTTPConnection(host, int(port), timeout=10)
    connection.request("GET", "/" + path)  # sent as written: no client normalising
    response = connection.getresponse()
    assert response.status == 404
    assert b"root:" not in response.read()


def test_watch_rebuilds_on_save_and_stops_cleanly_on_ctrl_c(tmp_path: Path) -> None:
    project = review_project(tmp_path)
    process = subprocess.Popen(
        [sys.executable, "-m", "factsheet", "watch", SPEC_PATH, "-j", "1"],
        cwd=project,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert process.stdout is not None
    seen = _until(process, "watching")
    assert sum(line.startswith("built") for line in seen) == 4
    set_people(project, "East", 3456)
    seen = _until(process, "editions:")
    assert [line.split()[1] for line in seen if line.startswith("built")] == ["output/east.pdf"]
    spec = project / SPEC_PATH
    spec.write_text(spec.read_text().replace("  author:", "  autor:"))
    seen = _until(process, "editions:")
    assert "4 editions: 0 built, 0 up to date, 4 failed" in seen[-1]  # and still running
    process.send_signal(signal.SIGINT)
    _, err = process.communicate(timeout=20)
    assert process.returncode in (0, 130)
    assert "Traceback" not in err and "did you mean 'author'?" in err


def _until(process: subprocess.Popen[str], marker: str, seconds: float = 60) -> list[str]:
    """The lines the process prints up to the first one containing `marker`."""
    assert process.stdout is not None
    lines: list[str] = []
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        line = process.stdout.readline()
        if not line:
            break
        lines.append(line.rstrip("\n"))
        if marker in line:
            return lines
    raise AssertionError(f"no line with {marker!r} in {lines}")


def test_a_port_in_use_is_a_usage_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import socket

    from tests.review_project import run

    monkeypatch.chdir(tmp_path)
    project = review_project(tmp_path)
    taken = socket.socket()
    taken.bind(("127.0.0.1", 0))
    taken.listen(1)
    port = taken.getsockname()[1]
    try:
        result = run(project, "preview", SPEC_PATH, "--port", str(port))
    finally:
        taken.close()
    assert result.exit_code == 2
    assert f"--port {port}: cannot listen on 127.0.0.1:{port}" in result.output
    assert not (project / "output").exists()  # nothing was built


def test_a_rounds_first_editions_are_rendered_as_soon_as_each_is_built(tmp_path: Path) -> None:
    """The preview's warmer hears of each PDF as the build writes it (not when the
    round ends) and renders the pages of at most four editions a round."""
    from types import SimpleNamespace

    from factsheet.editions.batch import BUILT, UP_TO_DATE, Outcome
    from factsheet.preview.run import Warmer
    from factsheet.preview.watch import QuietReporter

    warmed: list[list[tuple[str, int, Path]]] = []
    warmer = Warmer(SimpleNamespace(warm=warmed.append))  # type: ignore[arg-type]
    heard: list[str] = []
    reporter = QuietReporter(heard.append, heard.append, warmer.built)

    def outcome(n: int, status: str = BUILT) -> Outcome:
        job = SimpleNamespace(label=f"e{n}", output=tmp_path / f"e{n}.pdf")
        entry = {"pdf_sha256": f"{n:064x}"}
        return Outcome(job, status, pages=2, entry=entry)  # type: ignore[arg-type]

    reporter.progress(outcome(0, UP_TO_DATE), [])
    assert warmed == []  # an unchanged edition is not rendered again
    for n in range(1, 7):
        reporter.progress(outcome(n), [])
        assert len(warmed) == min(n, Warmer.EDITIONS)  # at once, before the round ends
    assert warmed[0] == [
        (f"{1:064x}", 1, tmp_path / "e1.pdf"),
        (f"{1:064x}", 2, tmp_path / "e1.pdf"),
    ]
    warmer.count = 0  # the next round
    reporter.progress(outcome(9), [])
    assert warmed[-1][0][0] == f"{9:064x}"


def test_pdfium_is_used_by_one_thread_at_a_time(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """PDFium crashes when two threads call it at once, even for two documents: page
    images (server threads, the warmer) and page sizes (the builder's thread) both
    wait for `review.pages.PDFIUM`."""
    import hashlib
    import threading

    from factsheet.preview import run
    from factsheet.preview.run import page_sizes
    from factsheet.review.pages import PDFIUM

    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(run, "_SIZES", {})  # sizes another test read for the same PDF
    project = review_project(tmp_path)
    watcher = _watcher(project, [])
    watcher.build()
    pdf = next((project / "output").rglob("*.pdf"))
    sha = hashlib.sha256(pdf.read_bytes()).hexdigest()
    done: list[object] = []
    with PDFIUM:
        threads = [
            threading.Thread(target=lambda: done.append(page_sizes(sha, pdf))),
            threading.Thread(target=lambda: done.append(Images().image(sha, 1, pdf))),
        ]
        for thread in threads:
            thread.start()
        time.sleep(0.3)
        assert done == []  # both wait while another thread uses PDFium
    for thread in threads:
        thread.join(timeout=30)
    assert len(done) == 2 and all(done)
