"""Editions: matrix expansion, selection, collisions, overrides, failure isolation,
incremental builds, the manifest's provenance, the bundle, parallel builds that never
mix editions up, and a clean stop on Ctrl-C."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pypdf
import pytest
from click.testing import CliRunner

from factsheet.cli import main
from factsheet.editions.expand import load_editions, select, slug
from factsheet.errors import FactsheetError
from tests.projects import make_project
from tests.review_project import DATA
from tests.review_project import SPEC as REVIEW_SPEC

ROOT = Path(__file__).resolve().parents[1]

# The review commands' project, with an override for one edition.
SPEC = (
    REVIEW_SPEC
    + """\
  overrides:
    - when: {region: West}
      document: {title: "Western report"}
      blocks:
        intro: {text: "The west counts {{ people }} people."}
"""
)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return make_project(tmp_path / "project", {"regions.csv": DATA}, {"report.yaml": SPEC})


def spec_of(project: Path) -> Path:
    return project / "factsheets" / "report.yaml"


def build(project: Path, *args: str) -> tuple[int, str, str]:
    old = Path.cwd()
    os.chdir(project)
    try:
        result = CliRunner().invoke(main, ["build", "factsheets/report.yaml", *args])
    finally:
        os.chdir(old)
    return result.exit_code, result.stdout, result.stderr


def _count(out: str, status: str) -> int:
    """Editions reported with `status` (lines, not the summary)."""
    return sum(1 for line in out.splitlines() if line.startswith(f"{status} "))


def pdf_text(path: Path) -> str:
    return " ".join(page.extract_text() for page in pypdf.PdfReader(path).pages)


# --- expansion ---------------------------------------------------------------------


def test_matrix_from_a_data_column_in_file_order(project: Path) -> None:
    editions = load_editions(spec_of(project))
    assert [e.keys for e in editions] == [{"region": r} for r in ("North", "South", "East", "West")]
    assert [e.output.name for e in editions] == ["north.pdf", "south.pdf", "east.pdf", "west.pdf"]


def test_matrix_product_with_exclusions(project: Path) -> None:
    text = SPEC.replace(
        "    region: {source: regions, column: region}\n",
        "    region: [North, South]\n    language: [en, fr]\n",
    ).replace(
        'output: "output/{region}.pdf"',
        'output: "output/{region}-{language}.pdf"\n  exclude: [{region: South, language: fr}]',
    )
    spec_of(project).write_text(text)
    editions = load_editions(spec_of(project))
    assert [e.label for e in editions] == [
        "region=North, language=en",
        "region=North, language=fr",
        "region=South, language=en",
    ]
    assert editions[1].output.name == "north-fr.pdf"


def test_selection_by_glob_and_slug(project: Path) -> None:
    editions = load_editions(spec_of(project))
    assert [e.keys["region"] for e in select(editions, {"region": ["*th"]})] == ["North", "South"]
    assert [e.keys["region"] for e in select(editions, {"region": ["west"]})] == ["West"]
    assert select(editions, {"region": ["Nowhere"]}) == []


def test_slugs_are_safe_file_names() -> None:
    assert slug("Asia and the Pacific") == "asia-and-the-pacific"
    assert slug("Côte d'Ivoire / ../etc") == "cote-d-ivoire-etc"
    assert slug("***") == "edition"


def test_two_editions_writing_one_file_is_an_error(project: Path) -> None:
    spec_of(project).write_text(
        SPEC.replace('output: "output/{region}.pdf"', 'output: "output/all.pdf"')
    )
    with pytest.raises(FactsheetError) as caught:
        load_editions(spec_of(project))
    message = str(caught.value)
    assert "editions 'region=North' and 'region=South' would both write 'output/all.pdf'" in message
    assert re.search(r"report\.yaml:\d+:\d+: editions\.output", message)


def test_overrides_change_document_and_blocks_of_matching_editions(project: Path) -> None:
    code, _, _ = build(project, "--jobs", "1")
    assert code == 0
    west = pdf_text(project / "output" / "west.pdf")
    north = pdf_text(project / "output" / "north.pdf")
    assert "The west counts 4,444 people." in west
    assert "North counts 1,111 people (11%)." in north
    assert pypdf.PdfReader(project / "output" / "west.pdf").metadata.title == "Western report"
    assert pypdf.PdfReader(project / "output" / "north.pdf").metadata.title == "Report for North"


def test_unknown_block_id_in_an_override_is_located(project: Path) -> None:
    spec_of(project).write_text(SPEC.replace("        intro: {text:", "        intr: {text:"))
    code, _, err = build(project)
    assert code == 65
    assert re.search(
        r"report\.yaml:\d+:\d+: editions\.overrides\[0\]\.blocks\.intr: "
        r"override names unknown block id 'intr' \(did you mean 'intro'\?\)",
        err,
    )


def test_error_in_an_overridden_value_points_at_the_override(project: Path) -> None:
    spec_of(project).write_text(SPEC.replace("The west counts {{ people }}", "{{ peple }}"))
    code, _, err = build(project, "--jobs", "1")
    line = next(n for n, text in enumerate(SPEC.splitlines(), 1) if "The west counts" in text)
    assert code == 65
    assert f"report.yaml:{line}:" in err and "unknown name 'peple'" in err
    assert "[edition region=West]" in err


# --- isolation, incremental builds, provenance ------------------------------------


def test_a_failing_edition_does_not_stop_the_others(project: Path) -> None:
    assert build(project)[0] == 0
    before = (project / "output" / "south.pdf").read_bytes()
    data = project / "data" / "regions.csv"
    data.write_text(DATA.replace("South,2222,0.22", "South,2222,n/a"))
    code, out, err = build(project, "--jobs", "2")
    assert code == 65
    assert (
        "figures.share: column 'share' in data/regions.csv holds text, not numbers "
        "(line 3: 'n/a')" in err
    )
    # Every edition reads the file, so all fail the same way; fix it for the others:
    data.write_text(DATA.replace("South,2222,0.22", "South,,0.22"))
    code, out, err = build(project, "--jobs", "2")
    assert code == 65
    assert "[edition region=South]" in err and "column 'people' is empty" in err
    assert "failed      output/south.pdf" in out
    assert _count(out, "built") == 0 and _count(out, "up to date") == 3  # others unchanged
    assert (project / "output" / "south.pdf").read_bytes() == before


def test_unchanged_editions_are_skipped_and_one_changed_row_rebuilds_one(project: Path) -> None:
    assert build(project)[0] == 0
    code, out, _ = build(project)
    assert code == 0 and _count(out, "up to date") == 4
    data = project / "data" / "regions.csv"
    data.write_text(DATA.replace("East,3333,0.33", "East,3334,0.33"))
    code, out, _ = build(project)
    assert code == 0
    assert [line.split()[1] for line in out.splitlines() if line.startswith("built")] == [
        "output/east.pdf"
    ]
    assert "3,334" in pdf_text(project / "output" / "east.pdf")
    code, out, _ = build(project, "--force")
    assert _count(out, "built") == 4


def test_a_row_only_a_table_shows_rebuilds_its_edition(project: Path) -> None:
    # Found with issue 9: the digest covered the rows of figures and charts only, so an
    # edited row that only a table block printed left a stale PDF "up to date".
    (project / "data" / "other.csv").write_text("name,count\nalpha,1\nbeta,2\n")
    spec = SPEC.replace(
        "  regions: {file: data/regions.csv}\n",
        "  regions: {file: data/regions.csv}\n  other: {file: data/other.csv}\n",
    ).replace(
        '      - heading: "People in {{ region }}"\n',
        '      - heading: "People in {{ region }}"\n'
        "      - table: {source: other, columns: [name, count]}\n",
    )
    spec_of(project).write_text(spec)
    assert build(project)[0] == 0
    (project / "data" / "other.csv").write_text("name,count\nalpha,1\nbeta,7\n")
    code, out, _ = build(project)
    assert code == 0 and _count(out, "built") == 4
    assert "7" in pdf_text(project / "output" / "east.pdf").split()


def test_a_changed_theme_or_spec_rebuilds(project: Path) -> None:
    assert build(project)[0] == 0
    theme = project / "assets" / "themes" / "un-blue.yaml"
    theme.write_text(theme.read_text().replace('primary: "#0033A0"', 'primary: "#0033A1"'))
    assert _count(build(project)[1], "built") == 4
    spec_of(project).write_text(SPEC.replace("height: 40mm", "height: 41mm"))
    assert _count(build(project)[1], "built") == 4


def test_other_code_or_libraries_rebuild(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A PDF made by other code (a fix in the chart renderer, an upgraded ReportLab) is
    not up to date, even before the version number changes."""
    from factsheet.editions import manifest

    assert build(project)[0] == 0
    assert _count(build(project)[1], "up to date") == 4
    monkeypatch.setattr(manifest, "tool_fingerprint", lambda: "other code")
    assert _count(build(project)[1], "built") == 4


def test_a_deleted_or_edited_pdf_is_rebuilt(project: Path) -> None:
    assert build(project)[0] == 0
    (project / "output" / "north.pdf").unlink()
    (project / "output" / "south.pdf").write_bytes(b"not a pdf")
    out = build(project)[1]
    built = sorted(line.split()[1] for line in out.splitlines() if line.startswith("built"))
    assert built == ["output/north.pdf", "output/south.pdf"]


def test_manifest_traces_every_figure_to_its_row(project: Path) -> None:
    assert build(project)[0] == 0
    manifest = json.loads((project / "output" / "report.manifest.json").read_text())
    entry = manifest["editions"]["region=East"]
    assert entry["keys"] == {"region": "East"}
    assert entry["output"] == "output/east.pdf"
    assert entry["pages"] == 1
    # The test page is mostly empty: the manifest keeps the warning that says so.
    assert [w.split(": ", 2)[1:2] for w in entry["warnings"]] == [["pages[0]"]]
    assert "page 1 has an empty band" in entry["warnings"][0]
    people = entry["figures"]["people"]
    assert people["value"] == 3333 and people["text"] == "3,333"
    prov = people["provenance"]
    assert prov["source"] == "data/regions.csv" and prov["column"] == "people"
    assert prov["where"] == {"region": "East"} and prov["aggregate"] == "value"
    line = (project / "data" / "regions.csv").read_text().splitlines()[prov["rows"][0] - 1]
    assert line.startswith("East,3333,")
    assert entry["charts"]["chart"]["rows"] == prov["rows"]
    assert entry["charts"]["chart"]["alt"] == "Chart East (East: 3,333)"
    pdf = (project / "output" / "east.pdf").read_bytes()
    import hashlib

    assert entry["pdf_sha256"] == hashlib.sha256(pdf).hexdigest()


def test_bundle_nests_each_editions_outline(project: Path) -> None:
    code, out, _ = build(project, "--bundle", "output/all.pdf")
    assert code == 0 and "bundled     output/all.pdf" in out
    reader = pypdf.PdfReader(project / "output" / "all.pdf")
    assert len(reader.pages) == 4
    outline = reader.outline
    tops = [item for item in outline if not isinstance(item, list)]
    assert [t.title for t in tops] == [
        "North: Report for North",
        "South: Report for South",
        "East: Report for East",
        "West: Western report",
    ]
    children = [item for item in outline if isinstance(item, list)]
    assert [[c.title for c in group] for group in children] == [
        ["People in North"],
        ["People in South"],
        ["People in East"],
        ["People in West"],
    ]
    assert [reader.get_destination_page_number(t) for t in tops] == [0, 1, 2, 3]


def test_parallel_editions_never_contain_each_others_figures(project: Path) -> None:
    code, _, _ = build(project, "--jobs", "2", "--force")
    assert code == 0
    numbers = {"North": "1,111", "South": "2,222", "East": "3,333", "West": "4,444"}
    for region, own in numbers.items():
        text = pdf_text(project / "output" / f"{slug(region)}.pdf")
        assert own in text
        for other, theirs in numbers.items():
            if other != region:
                assert theirs not in text, f"{region} shows {other}'s figure"
                assert f"Chart {other}" not in text


def test_list_prints_keys_and_outputs(project: Path) -> None:
    old = Path.cwd()
    os.chdir(project)
    try:
        result = CliRunner().invoke(
            main, ["list", "factsheets/report.yaml", "--edition", "region=W*"]
        )
    finally:
        os.chdir(old)
    assert result.exit_code == 0
    assert result.stdout == (
        "factsheets/report.yaml\tregion=West\toutput/west.pdf\n"
        "factsheets/report.yaml\tmanifest\toutput/report.manifest.json\n"
    )


def test_bad_edition_option_is_a_usage_error(project: Path) -> None:
    assert build(project, "--edition", "region")[0] == 2


# --- Ctrl-C ------------------------------------------------------------------------


def test_ctrl_c_stops_cleanly(project: Path) -> None:
    """SIGINT during a parallel build: exit 130, no worker left, no temporary file."""
    regions = "\n".join(f"R{n:03d},{n},0.5" for n in range(199)) + "\nWest,4444,0.44"
    (project / "data" / "regions.csv").write_text("region,people,share\n" + regions + "\n")
    exe = Path(sys.executable).with_name("factsheet")
    process = subprocess.Popen(
        [str(exe), "build", "factsheets/report.yaml", "--jobs", "2"],
        cwd=project,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    deadline = time.monotonic() + 60
    while not any((project / "output").glob("*.pdf")) and time.monotonic() < deadline:
        time.sleep(0.05)
    os.killpg(process.pid, signal.SIGINT)  # as a terminal sends it: to the whole group
    _, err = process.communicate(timeout=60)
    assert process.returncode == 130, err.decode()
    assert "Interrupted" in err.decode()
    assert "Traceback" not in err.decode()
    assert not list((project / "output").glob(".*.tmp"))
    with pytest.raises(ProcessLookupError):
        os.killpg(process.pid, 0)  # nothing of the group survives
    for pdf in (project / "output").glob("*.pdf"):
        assert len(pypdf.PdfReader(pdf).pages) == 1  # every PDF there is complete


def test_a_batch_frees_each_editions_pdf_as_it_goes(tmp_path: Path) -> None:
    """A built PDF document is a web of reference cycles (catalog, outline, pages, font
    subsets). In a batch each edition's is freed once it is written, not whenever
    Python's next full collection comes round: that let a long-running worker grow by
    megabytes per hundred editions."""
    import gc

    from reportlab.pdfgen.canvas import Canvas

    from factsheet.editions.batch import Job, run_jobs
    from factsheet.editions.expanded import editions_of

    data = {p.name: p.read_text() for p in (ROOT / "data").glob("*.csv")}
    demo = (ROOT / "factsheets" / "2021.yaml").read_text()
    root = make_project(tmp_path / "demo", data, {"2021.yaml": demo})
    english = [
        e for e in editions_of(root / "factsheets" / "2021.yaml") if e.keys["language"] == "en"
    ]
    editions = english[:3]  # the project has no catalogs
    jobs = [Job(e.spec_path, e.index, e.label, e.output, True) for e in editions]
    alive: list[int] = []

    def count_documents(outcome: object, running: object) -> None:
        alive.append(sum(isinstance(o, Canvas) for o in gc.get_objects()))

    gc.collect()
    try:
        outcomes = run_jobs(jobs, 1, count_documents)
        assert [o.status for o in outcomes] == ["built"] * 3
        assert alive[1:] == [0, 0]  # the first edition's is freed before the batch goes on
    finally:
        from factsheet.editions import batch

        gc.unfreeze()
        batch._settled = False  # the rest of the test session is not a batch


@pytest.mark.parametrize(("pages", "words"), [(1, "1 page,"), (2, "2 pages,")])
def test_the_built_line_counts_pages_in_english(pages: int, words: str) -> None:
    from factsheet.editions.batch import BUILT, Job, Outcome
    from factsheet.report import outcome_line

    job = Job(Path("factsheets/a.yaml"), 0, "region=North", Path("output/north.pdf"))
    line = outcome_line(Outcome(job, BUILT, seconds=0.1, pages=pages, size=2048))
    assert f"(region=North; {words} 2 KiB, 0.10 s)" in line
