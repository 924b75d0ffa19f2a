"""The chart helper (charts.sidecar): a first build draws its charts in a helper
process that imported matplotlib meanwhile. What it makes is what a build without the
helper makes, byte for byte; a chart the helper cannot draw, or a helper that died, is
drawn by the build itself; the helper serves only its own process, is stopped before
a process pool forks its workers, and ends with the command. Each build runs in a new
process, as the command does (this test process has matplotlib imported already)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from factsheet.charts import sidecar
from tests.projects import ROOT

pytestmark = pytest.mark.skipif(sys.platform != "linux", reason="the helper is forked on Linux")

SCRIPT = """\
import json, os, sys
import factsheet.charts.sidecar as sidecar
import factsheet.charts.job as job

mode, args = sys.argv[1], sys.argv[2:]
parent = os.getpid()
if mode == "without":
    sidecar.worthwhile = lambda: False
elif mode == "killed":
    start = sidecar.start
    def killed():
        start()
        os.kill(sidecar._helper.pid, 9)
    sidecar.start = killed
elif mode == "refused":  # the helper fails every chart; this process draws them
    draw = job.draw_job
    def refuse(chart):
        if os.getpid() != parent:
            raise ValueError("not in the helper")
        return draw(chart)
    job.draw_job = refuse
elif mode in ("spied", "unprepared"):  # what the helper is told to prepare, or it fails
    prepare = job.prepare
    def spy(preparation):
        if mode == "unprepared":
            raise OSError("no fonts today")
        prepare(preparation)
        with open(os.environ["SPY"], "a") as out:
            out.write(json.dumps([preparation.fonts, preparation.locales]) + "\\n")
    job.prepare = spy
elif mode == "ordered":  # when charts are sent to the helper, and when collected
    import factsheet.blocks.chart_drawing as drawing
    def logged(name, call):
        def log(*args):
            with open(os.environ["SPY"], "a") as out:
                out.write(name + "\\n")
            return call(*args)
        return log
    sidecar.submit = logged("submit", sidecar.submit)
    drawing.recording = logged("recording", drawing.recording)
elif mode == "interrupted":  # Ctrl-C while this process waits for a chart
    receive = sidecar._receive
    def interrupted(pipe):
        if os.getpid() == parent:
            raise KeyboardInterrupt
        return receive(pipe)
    sidecar._receive = interrupted
from factsheet.cli import main
helper = []
real_start = sidecar.start
def remember():
    real_start()
    helper.append(sidecar._helper)
sidecar.start = remember
try:
    main(args)
except SystemExit as done:
    code = done.code
found = helper[0] if helper and helper[0] is not None else None
alive = None
if found is not None:
    try:
        alive = os.waitpid(found.pid, os.WNOHANG) == (0, 0)
    except ChildProcessError:
        alive = False
print(json.dumps({
    "code": code,
    "matplotlib": "matplotlib" in sys.modules,
    "started": found is not None,
    "used": found.used if found else False,
    "running": sidecar.running(),
    "alive": alive,
}))
"""

PDF = Path("output/2021/en/global.pdf")
ONE = ["--edition=region=Global", "--edition=language=en"]


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the demo project, without its outputs."""
    project = tmp_path_factory.mktemp("helper") / "demo"
    for folder in ("assets", "data", "factsheets", "translations"):
        shutil.copytree(ROOT / folder, project / folder)
    return project


def build(
    project: Path, mode: str, *args: str, spec: str = "factsheets/2021.yaml", spy: str = ""
) -> dict[str, object]:
    """`factsheet build` of a demo spec in a new process, with an empty cache; what the
    process saw of the helper."""
    for pdf in (project / "output").rglob("*.pdf"):
        pdf.unlink()
    cache = project / f"cache-{mode}"
    shutil.rmtree(cache, ignore_errors=True)
    command = [sys.executable, "-c", SCRIPT, mode, "build", spec, "--force"]
    run = subprocess.run(
        [*command, *args], cwd=project, capture_output=True, text=True,
        env={**os.environ, "FACTSHEET_CACHE_DIR": str(cache), "SPY": spy}, timeout=300,
    )  # fmt: skip
    assert run.returncode == 0, run.stderr
    seen: dict[str, object] = json.loads(run.stdout.splitlines()[-1])
    seen["stderr"] = run.stderr
    return seen


def pdfs(project: Path) -> dict[str, bytes]:
    found = sorted((project / "output").rglob("*.pdf"))
    return {p.relative_to(project).as_posix(): p.read_bytes() for p in found}


@pytest.fixture(scope="module")
def without(demo: Path) -> dict[str, bytes]:
    """The PDFs of a build of the English and Arabic Global editions, no helper."""
    seen = build(demo, "without", "--edition=region=Global", "--jobs=1")
    assert seen["code"] == 0 and seen["started"] is False and seen["matplotlib"] is True
    made = pdfs(demo)
    assert PDF.as_posix() in made and "output/2021/ar/global.pdf" in made
    return made


needs_two_cpus = pytest.mark.skipif(
    len(os.sched_getaffinity(0)) < 2, reason="the helper needs a second CPU"
)


@needs_two_cpus
def test_the_helper_draws_every_chart_and_the_pdfs_are_the_same(
    demo: Path, without: dict[str, bytes]
) -> None:
    seen = build(demo, "with", "--edition=region=Global", "--jobs=1")
    assert seen["code"] == 0
    assert seen["started"] is True and seen["used"] is True
    assert seen["matplotlib"] is False  # every chart, in every language, was the helper's
    assert seen["running"] is True and seen["alive"] is True  # until the process ends
    assert pdfs(demo) == without


@needs_two_cpus
def test_every_chart_kind_and_map_drawn_by_the_helper_is_the_same(demo: Path) -> None:
    spec = "factsheets/showcase.yaml"  # bars, lines, areas, dots, donuts, sparklines, maps
    alone = build(demo, "without", "--jobs=1", spec=spec)
    assert alone["code"] == 0 and alone["matplotlib"] is True
    made = pdfs(demo)
    seen = build(demo, "with", "--jobs=1", spec=spec)
    assert seen["code"] == 0 and seen["used"] is True and seen["matplotlib"] is False
    assert pdfs(demo) == made and made


@needs_two_cpus
@pytest.mark.parametrize("mode", ["killed", "refused"])
def test_charts_the_helper_cannot_draw_are_drawn_here(
    demo: Path, without: dict[str, bytes], mode: str
) -> None:
    seen = build(demo, mode, "--edition=region=Global", "--jobs=1")
    assert seen["code"] == 0 and seen["started"] is True
    assert seen["used"] is False and seen["matplotlib"] is True
    assert seen["running"] is (mode == "refused")  # a dead helper is let go
    assert pdfs(demo) == without


@needs_two_cpus
def test_the_helper_prepares_each_languages_fonts_and_numbers_before_the_first_chart(
    demo: Path, without: dict[str, bytes], tmp_path: Path
) -> None:
    spy = tmp_path / "prepared.jsonl"
    seen = build(demo, "spied", "--edition=region=Global", "--jobs=1", spy=str(spy))
    assert seen["code"] == 0 and seen["used"] is True and seen["matplotlib"] is False
    [(fonts, locales)] = [json.loads(line) for line in spy.read_text().splitlines()]
    names = {name for name, _ in fonts}
    # The chart text's faces, and the Arabic edition's chain (its fonts, by script).
    assert {"Lato-Regular", "Lato-Bold", "Lato-Italic"} <= names
    assert {"NotoSansArabic-Regular", "NotoSansArabic-Bold"} <= names
    assert all(Path(file).is_file() and Path(file).stem == name for name, file in fonts)
    assert {"en", "ar"} <= set(locales)  # Babel's identifiers, one per language
    assert pdfs(demo) == without


@needs_two_cpus
def test_every_chart_is_sent_to_the_helper_before_the_first_is_needed(
    demo: Path, without: dict[str, bytes], tmp_path: Path
) -> None:
    spy = tmp_path / "order.txt"
    seen = build(demo, "ordered", *ONE, "--jobs=1", spy=str(spy))
    assert seen["code"] == 0 and seen["used"] is True and seen["matplotlib"] is False
    assert spy.read_text().split() == ["submit"] * 3 + ["recording"] * 3
    assert pdfs(demo)[PDF.as_posix()] == without[PDF.as_posix()]


HELPER_SCRIPT = """\
import json, pickle, sys
import factsheet.build
import factsheet.charts.sidecar as sidecar

jobs, room = pickle.load(open(sys.argv[1], "rb")), int(sys.argv[2])
if room:
    sidecar._room = lambda pipe: room
sidecar.start()
tickets = [sidecar.submit(job) for job in jobs]
drawn = [sidecar.collect(t) for t in reversed(tickets)][::-1]
print(json.dumps({
    "tickets": tickets,
    "drawn": [r.to_json().decode() if r is not None else None for r in drawn],
    "again": sidecar.collect(tickets[0]) is not None,
    "matplotlib": "matplotlib" in sys.modules,
}))
"""


@needs_two_cpus
@pytest.mark.parametrize("room", [0, 4096])  # the pipe's own, or a page
def test_charts_sent_ahead_come_back_to_their_tickets_in_any_order(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, room: int
) -> None:
    """More jobs than the job pipe holds, none collected until all are sent, then
    collected last first: no deadlock, and each ticket gets its own chart's drawing."""
    import pickle

    jobs = _demo_jobs(monkeypatch) * 40  # 120 jobs, far more than 64 KiB of them
    assert sum(len(pickle.dumps(job)) for job in jobs) > 3 * 65536
    (tmp_path / "jobs.pkl").write_bytes(pickle.dumps(jobs))
    run = subprocess.run(
        [sys.executable, "-c", HELPER_SCRIPT, str(tmp_path / "jobs.pkl"), str(room)],
        capture_output=True, text=True, timeout=300, cwd=ROOT,
    )  # fmt: skip
    assert run.returncode == 0, run.stderr
    seen = json.loads(run.stdout)
    assert seen["tickets"] == list(range(len(jobs)))
    assert seen["matplotlib"] is False and seen["again"] is False  # collected once
    from factsheet.charts.job import draw_job

    expected = [draw_job(job).to_json().decode() for job in jobs[:3]] * 40
    assert seen["drawn"] == expected


def _demo_jobs(monkeypatch: pytest.MonkeyPatch) -> list[object]:
    """The chart jobs of the demo's first edition, drawn in this process."""
    from factsheet.blocks import chart as chart_block
    from factsheet.blocks import chart_drawing
    from factsheet.build import render

    jobs = []
    make = chart_drawing.chart_job

    def keep(*args: object) -> object:
        jobs.append(make(*args))  # type: ignore[arg-type]
        return jobs[-1]

    chart_block.clear_cache()
    monkeypatch.setattr(chart_drawing, "chart_job", keep)
    monkeypatch.setenv("FACTSHEET_CACHE", "off")
    render(ROOT / "factsheets" / "2021.yaml")
    chart_block.clear_cache()
    return jobs


@needs_two_cpus
def test_a_helper_that_cannot_prepare_still_draws_every_chart(
    demo: Path, without: dict[str, bytes]
) -> None:
    seen = build(demo, "unprepared", "--edition=region=Global", "--jobs=1")
    assert seen["code"] == 0 and seen["used"] is True and seen["matplotlib"] is False
    assert pdfs(demo) == without


def test_a_preparation_skips_a_language_the_theme_cannot_set() -> None:
    from factsheet.blocks.chart_look import preparation
    from factsheet.theme import load_theme

    theme = load_theme("un-blue", ROOT)
    english = preparation(theme, ["en"])
    assert {name for name, _ in english.fonts} >= {"Lato-Regular", "Lato-Bold"}
    assert english.locales == ("en",)
    assert preparation(theme, ["en", "tlh"]) == english  # Klingon: no CLDR data
    chained = preparation(theme, ["zh"])
    assert "DroidSansFallbackFull" in {name for name, _ in chained.fonts}
    assert chained.locales == ("zh",)


@needs_two_cpus
def test_an_interrupted_exchange_stops_the_helper(demo: Path) -> None:
    command = [sys.executable, "-c", SCRIPT, "interrupted", "build", "factsheets/2021.yaml"]
    run = subprocess.run(
        [*command, "--force", *ONE], cwd=demo, capture_output=True, text=True,
        env={**os.environ, "FACTSHEET_CACHE_DIR": str(demo / "cache-interrupted")}, timeout=300,
    )  # fmt: skip
    seen = json.loads(run.stdout.splitlines()[-1])
    assert seen["code"] == 130 and "Interrupted" in run.stderr
    # Out of step with its pipe, the helper is ended at once, not left to a later chart.
    assert seen["started"] is True and seen["running"] is False and seen["alive"] is False


@needs_two_cpus
def test_a_process_pool_starts_after_the_helper_stops_with_matplotlib_ready(
    demo: Path, without: dict[str, bytes]
) -> None:
    seen = build(demo, "with", "--edition=region=Global", "--jobs=2")
    assert seen["code"] == 0
    assert seen["used"] is True  # the first edition, built before the pool
    assert seen["running"] is False and seen["alive"] is False
    assert seen["matplotlib"] is True  # imported before the workers were forked
    assert pdfs(demo) == without


def test_no_helper_where_it_cannot_help() -> None:
    # This process has matplotlib imported (and pytest may run threads): nothing to hide.
    import matplotlib  # noqa: F401

    assert sidecar.worthwhile() is False
    sidecar.start()
    assert sidecar.running() is False
    assert sidecar.stop() is False


def test_a_job_is_plain_data_that_draws_the_same_chart_twice(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The job crosses a pipe as a pickle: it and its recording survive the trip."""
    import pickle

    from factsheet.charts.job import draw_job

    jobs = _demo_jobs(monkeypatch)
    assert len(jobs) == 3
    for job in jobs:
        again = pickle.loads(pickle.dumps(job))
        assert again == job
        drawn = pickle.loads(pickle.dumps(draw_job(again)))
        assert drawn.to_json() == draw_job(job).to_json() is not None  # paths compared too
