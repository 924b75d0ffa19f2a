"""Bounded runs: nothing one spec does can hang or exhaust a machine. The pool never
starts more workers than the CPUs can use, workers die with their parent, each edition
has a time limit (inline and in workers), templates have a work budget, and tables,
matrices and XLSX files have size caps, each a located error."""

from __future__ import annotations

import io
import os
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from factsheet.cli import main
from factsheet.errors import FactsheetError
from factsheet.text import Templates
from tests.projects import make_project

EXE = Path(sys.executable).with_name("factsheet")
REGIONS = ["North", "South", "East", "West"]
DATA = "region,people\n" + "".join(f"{r},{n}\n" for n, r in enumerate(REGIONS, 1))

SPEC = """\
document:
  title: "Report for {{ region }}"
  author: Test Org
  year: 2024
  pages: 1
theme: un-blue
data:
  regions: {file: data/regions.csv}
figures:
  people: {source: regions, where: {region: "{{ region }}"}, column: people}
pages:
  - blocks:
      - heading: "People in {{ region }}"
      - paragraph: {id: intro, text: "{{ region }} counts {{ people }} people."}
editions:
  matrix:
    region: {source: regions, column: region}
  output: "output/{region}.pdf"
"""

RUNAWAY = "{% for i in range(99999) %}{% for j in range(99999) %}x{% endfor %}{% endfor %}"
OVERRIDE = f"""\
  overrides:
    - when: {{region: West}}
      blocks:
        intro: {{text: "{RUNAWAY}"}}
"""


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return make_project(tmp_path / "project", {"regions.csv": DATA}, {"report.yaml": SPEC})


def run(project: Path, *args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(EXE), *args], cwd=project, capture_output=True, text=True, timeout=timeout
    )


def invoke(project: Path, *args: str) -> tuple[int, str]:
    old = Path.cwd()
    os.chdir(project)
    try:
        result = CliRunner().invoke(main, list(args))
    finally:
        os.chdir(old)
    return result.exit_code, result.output


# --- the template budget and the time limit -------------------------------------------


@pytest.mark.parametrize("command", ["build", "check"])
@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_runaway_template_in_one_edition_does_not_hang_the_others(
    project: Path, command: str, jobs: str
) -> None:
    """The issue's nested loop in one edition's override hung build and check for good;
    now it fails at its spec line and the other editions are reported."""
    spec = project / "factsheets" / "report.yaml"
    spec.write_text(SPEC + OVERRIDE)
    started = time.monotonic()
    result = run(project, command, "factsheets/report.yaml", "--jobs", jobs, timeout=90)
    assert time.monotonic() - started < 60
    assert result.returncode == 65, result.stderr
    assert "Traceback" not in result.stderr
    line = next(n for n, text in enumerate(spec.read_text().splitlines(), 1) if "range(" in text)
    assert f"report.yaml:{line}:" in result.stderr
    assert "template does too much work: over 250,000 loop steps" in result.stderr
    assert "[edition region=West]" in result.stderr
    done = "built" if command == "build" else "ok"
    for region in ("North", "South", "East"):
        assert f"output/{region.lower()}.pdf" in result.stdout
    assert result.stdout.count(done) >= 3
    assert "1 failed" in result.stdout
    if command == "build":
        assert {p.name for p in (project / "output").glob("*.pdf")} == {
            "north.pdf", "south.pdf", "east.pdf"
        }  # fmt: skip


@pytest.mark.parametrize(
    "template",
    [
        RUNAWAY,
        "{% for i in range(99999) %}{% for j in range(99999) %}{% endfor %}{% endfor %}",
        "{% macro f(n) %}{% if n %}{{ f(n-1) }}{{ f(n-1) }}{% endif %}{% endmacro %}{{ f(40) }}",
    ],
)
def test_loop_steps_and_calls_are_bounded(template: str) -> None:
    started = time.perf_counter()
    with pytest.raises(FactsheetError, match="too much work: over 250,000 loop steps"):
        Templates({}).render(template)
    assert time.perf_counter() - started < 20


@pytest.mark.parametrize(
    "template",
    [
        "{% for i in range(2000) %}{{ 'x' * 1000 }}{% endfor %}",  # produced
        "{% set ns = namespace(s='x') %}{% for i in range(40) %}"
        "{% set ns.s = ns.s ~ ns.s %}{% endfor %}",  # built by joining
        "{% set ns = namespace(s='x') %}{% for i in range(40) %}"
        "{% set ns.s = ns.s + ns.s %}{% endfor %}",
        "{% set ns = namespace(s='xx') %}{% for i in range(40) %}"
        "{% set ns.s = ns.s|replace('x', ns.s) %}{% endfor %}",
    ],
)
def test_text_a_template_makes_is_bounded(template: str) -> None:
    with pytest.raises(FactsheetError, match="over 1,000,000 characters"):
        Templates({}).render(template)


@pytest.mark.parametrize(
    "template",
    ["{{ 'x'.center(10**9) }}", "{{ '{:>1000000000}'.format(1) }}", "{{ '%1000000000s' % 1 }}"],
)
def test_one_call_cannot_make_a_huge_text(template: str) -> None:
    started = time.perf_counter()
    with pytest.raises(FactsheetError, match="not allowed in a template: the"):
        Templates({}).render(template)
    assert time.perf_counter() - started < 5  # no gigabyte was allocated


def test_ordinary_templates_are_unchanged() -> None:
    templates = Templates({"items": [3, 1, 2], "name": "Asia"})
    text = (
        "{% for i in items|sort if i > 1 %}{{ loop.index }}:{{ i }}/{{ loop.length }}"
        "{% if not loop.last %}, {% endif %}{% else %}none{% endfor %} "
        "{{ name ~ '!' }} {{ 1 + 2 }} {{ '%d' % 7 }} {{ '{} x'.format(name) }} "
        "{{ name|replace('A', 'a') }} {{ 'ab' * 2 }} {{ range(3)|list|length }}"
        "{% filter upper %} hi{% endfilter %}"
    )
    assert templates.render(text) == "1:2/2, 2:3/2 Asia\\! 3 7 Asia x asia abab 3 HI"


SLOW = """\
import signal, sys
from factsheet.editions import batch

real = batch._run


def slow(job, started):
    if "West" in job.label:
        if sys.argv[1] == "stubborn":  # deaf to the timer: only a kill stops it
            signal.signal(signal.SIGALRM, signal.SIG_IGN)
        while True:
            pass
    return real(job, started)


batch._run = slow
from factsheet.cli import main

main(sys.argv[2:])
"""


@pytest.mark.parametrize(
    ("how", "jobs", "first"),
    [
        ("python", "1", False),  # all inline, in the main process
        ("python", "1", True),  # the first edition, before any worker exists
        ("python", "3", False),  # in a worker
        ("stubborn", "3", False),  # in a worker that ignores the timer: killed
    ],
)
def test_an_edition_over_its_time_limit_fails_and_the_others_finish(
    project: Path, how: str, jobs: str, first: bool
) -> None:
    regions = ["West", "North", "South", "East"] if first else REGIONS
    (project / "data" / "regions.csv").write_text(
        "region,people\n" + "".join(f"{r},{n}\n" for n, r in enumerate(regions, 1))
    )
    script = project / "slow.py"
    script.write_text(SLOW)
    args = [how, "build", "factsheets/report.yaml", "--jobs", jobs, "--timeout", "4"]
    started = time.monotonic()
    result = subprocess.run(
        [sys.executable, str(script), *args],
        cwd=project,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert time.monotonic() - started < 60
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    assert "factsheets/report.yaml: the edition took over 4 s, its time limit" in result.stderr
    assert "--timeout SECONDS" in result.stderr
    assert "[edition region=West]" in result.stderr
    if how == "stubborn":
        assert "its worker was stopped" in result.stderr
    assert {p.name for p in (project / "output").glob("*.pdf")} == {
        "north.pdf", "south.pdf", "east.pdf"
    }  # fmt: skip
    assert not list((project / "output").glob(".*.tmp"))
    assert "3 built, 0 up to date, 1 failed" in result.stdout


def test_timeout_option_is_documented_and_validated(project: Path) -> None:
    code, output = invoke(project, "build", "--help")
    assert code == 0 and "--timeout SECONDS" in output and "FACTSHEET_TIMEOUT" in output
    code, output = invoke(project, "check", "factsheets/report.yaml", "--timeout", "-1")
    assert code == 2 and "--timeout" in output


# --- workers ---------------------------------------------------------------------------


def test_jobs_is_capped_at_what_the_machine_can_use(project: Path) -> None:
    from factsheet.editions.limits import max_workers

    result = run(project, "check", "factsheets/report.yaml", "--jobs", "100000")
    assert result.returncode == 0, result.stderr
    assert f"running at most {max_workers()} at once" in result.stderr
    assert "4 editions checked: 4 passed, 0 failed" in result.stdout


def test_the_pool_never_starts_more_workers_than_needed(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Four editions with --jobs 50: one is built first in the main process, so three
    workers at most, however many were asked for (and never over twice the CPUs)."""
    import concurrent.futures

    from factsheet.editions import limits

    sizes: list[int] = []
    real = concurrent.futures.ProcessPoolExecutor

    def recording(workers: int, *args: object, **kwargs: object) -> object:
        sizes.append(workers)
        return real(workers, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(concurrent.futures, "ProcessPoolExecutor", recording)
    monkeypatch.setattr(limits, "available_cpus", lambda: 8)
    code, output = invoke(project, "check", "factsheets/report.yaml", "--jobs", "50")
    assert code == 0, output
    assert sizes == [3]
    monkeypatch.setattr(limits, "available_cpus", lambda: 1)
    code, output = invoke(project, "check", "factsheets/report.yaml", "--jobs", "50")
    assert code == 0, output
    assert sizes == [3, 2]


def _children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(entry.name))
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"  # a zombie has ended; only its parent's reaper is missing


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_workers_die_with_their_parent(project: Path) -> None:
    """`kill -9` of a build left every worker running, for good (5,671 orphans held
    24 GB in the issue)."""
    rows = "".join(f"R{n:03d},{n}\n" for n in range(300))
    (project / "data" / "regions.csv").write_text("region,people\n" + rows)
    process = subprocess.Popen(
        [str(EXE), "build", "factsheets/report.yaml", "--jobs", "3"],
        cwd=project,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 60
    workers: list[int] = []
    while len(workers) < 3 and time.monotonic() < deadline:
        time.sleep(0.1)
        workers = _children(process.pid)
    assert len(workers) >= 3, "the build never started its workers"
    time.sleep(0.5)
    os.kill(process.pid, signal.SIGKILL)
    process.wait(timeout=10)
    deadline = time.monotonic() + 10
    while any(_alive(w) for w in workers) and time.monotonic() < deadline:
        time.sleep(0.1)
    survivors = [w for w in workers if _alive(w)]
    for pid in survivors:  # leave nothing behind, even when the test fails
        os.kill(pid, signal.SIGKILL)
    assert not survivors


# --- size caps -------------------------------------------------------------------------

TABLE_SPEC = """\
document: {title: Rows, author: Test Org, year: 2024, pages: 2}
theme: un-blue
data:
  rows: {file: data/rows.csv}
pages:
  - blocks:
      - table:
          id: big
          source: rows
          columns: [{column: name}, {column: value}]
"""


def test_a_table_may_not_lay_out_unbounded_rows(tmp_path: Path) -> None:
    """20,000 rows took 44 s to lay out, with no way to stop it."""
    rows = "".join(f"name {n},{n}\n" for n in range(20_000))
    project = make_project(
        tmp_path / "p", {"rows.csv": "name,value\n" + rows}, {"t.yaml": TABLE_SPEC}
    )
    started = time.monotonic()
    result = run(project, "check", "factsheets/t.yaml")
    assert time.monotonic() - started < 30
    assert result.returncode == 65, result.stderr
    assert "Traceback" not in result.stderr
    assert "t.yaml:8:11: pages[0].blocks[0].table: the table would show 20,000 rows" in (
        result.stderr
    )
    assert "over the limit of 500 rows" in result.stderr
    assert "`max_rows`" in result.stderr and "`top`" in result.stderr


MATRIX_SPEC = """\
document: {title: "M {{ a }}", author: Test Org, year: 2024, pages: 1}
theme: un-blue
pages:
  - blocks:
      - heading: "{{ a }} {{ b }} {{ c }}"
editions:
  matrix:
    a: [%s]
    b: [%s]
    c: [%s]
  output: "output/{a}-{b}-{c}.pdf"
"""


@pytest.mark.parametrize("command", ["build", "check", "list"])
def test_a_matrix_too_large_is_refused_before_it_is_built(tmp_path: Path, command: str) -> None:
    """A 3M-edition matrix ended in a SystemError traceback."""
    values = ", ".join(str(n) for n in range(150))
    spec = MATRIX_SPEC % (values, values, values)
    project = make_project(tmp_path / "p", {}, {"m.yaml": spec})
    started = time.monotonic()
    result = run(project, command, "factsheets/m.yaml")
    assert time.monotonic() - started < 30
    assert result.returncode == 65, result.stderr
    assert "Traceback" not in result.stderr
    assert (
        "m.yaml:7:3: editions.matrix: the editions matrix makes 3,375,000 editions "
        "(150 a × 150 b × 150 c), over the limit of 10,000"
    ) in result.stderr
    assert not (project / "output").exists() or not any((project / "output").iterdir())


def test_a_matrix_at_the_limit_expands(tmp_path: Path) -> None:
    from factsheet.editions.expand import load_editions
    from factsheet.editions.matrix import MAX_EDITIONS

    assert MAX_EDITIONS == 10_000
    values = ", ".join(str(n) for n in range(100))
    spec = MATRIX_SPEC % (values, values, "x")
    project = make_project(tmp_path / "p", {}, {"m.yaml": spec})
    assert len(load_editions(project / "factsheets" / "m.yaml")) == 10_000


XLSX_SPEC = """\
document: {title: Book, author: Test Org, year: 2024, pages: 1}
theme: un-blue
data:
  book: {file: data/book.xlsx}
pages:
  - blocks:
      - table: {source: book, columns: [{column: name}]}
"""


def _bomb(unpacked: int) -> bytes:
    """A small XLSX-shaped zip holding one member of `unpacked` zero bytes."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as member:
            chunk = b"\0" * (1 << 20)
            for _ in range(unpacked >> 20):
                member.write(chunk)
    return buffer.getvalue()


def test_an_xlsx_that_unpacks_to_too_much_is_refused(tmp_path: Path) -> None:
    """A 2 MB workbook that expands to 2 GB took 2.2 GB of memory, then "internal
    error: MemoryError"."""
    project = make_project(tmp_path / "p", {}, {"x.yaml": XLSX_SPEC})
    bomb = _bomb(1 << 30)  # 1 GiB unpacked, about 1 MB packed
    assert len(bomb) < 2 << 20
    (project / "data" / "book.xlsx").write_bytes(bomb)
    result = run(project, "check", "factsheets/x.yaml", timeout=60)
    assert result.returncode == 65, result.stderr
    assert "Traceback" not in result.stderr
    assert "data file 'data/book.xlsx' unpacks to 1,024 MB, over the 400 MB limit" in (
        result.stderr
    )
    assert "book.xlsx" in result.stderr.split(":")[1]


def test_a_real_workbook_still_reads(tmp_path: Path) -> None:
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["name"])
    for n in range(5):
        sheet.append([f"row {n}"])
    project = make_project(tmp_path / "p", {}, {"x.yaml": XLSX_SPEC})
    book.save(project / "data" / "book.xlsx")
    result = run(project, "check", "factsheets/x.yaml")
    assert result.returncode == 0, result.stderr


def test_limits_are_documented() -> None:
    text = (Path(__file__).resolve().parents[1] / "docs" / "limits.md").read_text()
    for needle in ("--jobs", "--timeout", "FACTSHEET_TIMEOUT", "250,000", "1,000,000",
                   "500 rows", "10,000", "400 MB", "50 MB"):  # fmt: skip
        assert needle in text, needle


def test_an_edition_stopped_inside_a_block_is_located_at_that_block(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """When the time runs out while a block is built, the error names its spec line."""
    from factsheet.blocks import base
    from factsheet.editions.batch import FAILED, Job, run_job
    from factsheet.editions.expand import load_editions

    spec = project / "factsheets" / "report.yaml"
    edition = load_editions(spec)[0]

    def stuck(block: object, ctx: object) -> object:
        while True:
            pass

    monkeypatch.setitem(base.REGISTRY, "paragraph", stuck)
    job = Job(spec, 0, edition.label, edition.output, check_only=True, timeout=1)
    outcome = run_job(job)
    assert outcome.status == FAILED and outcome.exit_code == 1
    line = next(n for n, t in enumerate(spec.read_text().splitlines(), 1) if "paragraph" in t)
    assert outcome.error.startswith(f"{spec}:{line}:") or f"report.yaml:{line}:" in outcome.error
    assert "pages[0].blocks[1].paragraph: the edition took over 1 s" in outcome.error


# --- sizes predicted before a text is built ---------------------------------------------
BIG_TEXT = "template does too much work: builds a text or list of over 1,000,000 characters"


@pytest.mark.parametrize(
    "template",
    [
        '{{ ("x"*99999)|replace("x", "x"*9999) }}',
        '{{ ("x"*99999)|replace("x","x"*99999) }}',
        '{{ ("x"*99999).replace("x", "x"*9999) }}',
        '{{ (range(99999)|list)|join("x"*9999) }}',
        '{{ ("x"*9999).join("y"*99999) }}',  # the str method
        '{{ ("\t"*99999).expandtabs(999000) }}',
        '{{ ("x"*99999).translate({120: "y"*99999}) }}',
        '{{ ([("x"*99999)]*100000)|string }}',  # a small list of one long text
        '{{ ([("x"*99999)]*100000)|upper }}',
        '{{ [("x"*99999)]*100000 }}',
        '{{ [("x"*99999)]*100000 ~ "" }}',
        '{{ "%s" % ([("x"*99999)]*100,) }}',
        '{% set ns = namespace(f="") %}{% for i in range(1000) %}{% set ns.f = ns.f ~ "{:999999}"'
        " %}{% endfor %}{{ ns.f.format(*range(1000)) }}",
        '{% set ns = namespace(f="") %}{% for i in range(1000) %}{% set ns.f = ns.f ~ "%999999s"'
        ' %}{% endfor %}{{ ns.f % (("a",) * 1000) }}',
    ],
)
def test_a_huge_text_is_refused_before_it_is_built(template: str) -> None:
    """Each of these allocated gigabytes (or all memory) before its size was checked."""
    pytest.importorskip("resource")  # the child runs with at most 1 GB of memory
    code = (
        "import resource, sys\n"
        "resource.setrlimit(resource.RLIMIT_AS, (1_000_000_000, 1_000_000_000))\n"
        "from factsheet.text import Templates\n"
        "try:\n    Templates({}).render(sys.argv[1])\n"
        "except Exception as exc:\n    print(exc)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code, template], capture_output=True, text=True, timeout=60
    )
    assert f"line 1 of the text: {BIG_TEXT}" in done.stdout, done.stdout + done.stderr


@pytest.mark.parametrize(
    ("template", "expected"),
    [
        ('{{ "1e999"|float|int }}', "'1e999' is too large: it is not a finite number"),
        ("{{ 1e999 }}", "the number is too large: inf is not a finite number"),
        ("{{ 1e308 / 1e-308 }}", "the number is too large: inf is not a finite number"),
        ("{{ (10 ** 1000) ** 1000 }}", "the number would be too large"),
    ],
)
def test_a_number_too_large_is_a_clear_template_error(template: str, expected: str) -> None:
    with pytest.raises(FactsheetError) as caught:
        Templates({}).render(template)
    assert expected in str(caught.value)
    assert "name 'inf'" not in str(caught.value)


def test_an_error_without_a_message_still_says_what_happened() -> None:
    from factsheet import text

    assert text._reason(MemoryError()) == "ran out of memory"
    assert text._reason(ZeroDivisionError()) == "zero division error"
    assert text._reason(ValueError("bad")) == "bad"


def test_ordinary_text_methods_and_formats_still_work() -> None:
    templates = Templates({"items": ["a", "b"], "n": 3})
    text = (
        "{{ items|join(', ') }} {{ '-'.join(items) }} {{ 'a\tb'.expandtabs(4) }} "
        "{{ 'abc'.replace('b', 'xx') }} {{ '%d of %s' % (n, 'x') }} {{ '{:>4}'.format(n) }} "
        "{{ items|string }} {{ 2 ** 10 }} {{ '1.5'|float }} {{ '7'|int }}"
    )
    assert templates.render(text) == (
        "a\\, b a\\-b a   b axxc 3 of x    3 \\[\\'a\\'\\, \\'b\\'\\] 1024 1\\.5 7"
    )
