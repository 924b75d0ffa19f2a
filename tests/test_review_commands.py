"""`factsheet proof`, `approve` and `diff` on a small project of four one-page
editions: what each writes and prints, and every bad input as a clear error with no
traceback."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pikepdf
import pypdfium2 as pdfium
import pytest

from factsheet.audit import audit_pdf
from tests.review_project import SPEC_PATH, review_project, run, set_people

LABELS = [f"region={r}" for r in ("North", "South", "East", "West")]


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    project = review_project(tmp_path_factory.mktemp("review") / "built")
    result = run(project, "build", SPEC_PATH)
    assert result.exit_code == 0, result.output
    return project


@pytest.fixture
def project(built: Path, tmp_path: Path) -> Path:
    """A fresh copy of the built project."""
    return Path(shutil.copytree(built, tmp_path / "project", symlinks=True))


@pytest.fixture
def approved(project: Path) -> Path:
    result = run(project, "approve", SPEC_PATH)
    assert result.exit_code == 0, result.output
    return project


def _no_traceback(result: object) -> None:
    assert "Traceback" not in getattr(result, "output", "")
    assert getattr(result, "exception", None) is None or isinstance(
        result.exception,  # type: ignore[attr-defined]
        SystemExit,
    )


# --- proof -------------------------------------------------------------------------


def _alt_texts(path: Path) -> list[str]:
    found = []
    with pikepdf.open(path) as pdf:
        stack = [pdf.Root.StructTreeRoot.K]
        while stack:
            node = stack.pop()
            if isinstance(node, pikepdf.Array):
                stack.extend(reversed(list(node)))
            elif isinstance(node, pikepdf.Dictionary) and "/S" in node:
                if node.S == "/Figure":
                    found.append(str(node.Alt))
                if "/K" in node:
                    stack.append(node.K)
    return found


def test_proof_is_a_tagged_sheet_of_every_edition_that_passes_the_audit(project: Path) -> None:
    result = run(project, "proof", SPEC_PATH, "-o", "output/proof.pdf")
    assert result.exit_code == 0, result.output
    assert "built" not in result.stderr  # every edition was up to date: none rebuilt
    path = project / "output" / "proof.pdf"
    assert audit_pdf(path) == []
    assert _alt_texts(path) == [f"Edition {label}: page 1 of 1" for label in LABELS]
    document = pdfium.PdfDocument(str(path))
    assert len(document) == 1
    text = document[0].get_textpage().get_text_range()
    # Labels are text, in matrix order; every edition carries the empty-band warning.
    positions = [text.index(label) for label in LABELS]
    assert positions == sorted(positions)
    assert text.count("1 warning") == 4
    # The build date in the sheet's language, English by the spec's document language.
    assert "input digest" in text and re.search(r"built [A-Z][a-z]+ \d{1,2}, 20\d\d, ", text)


def test_proof_builds_only_the_editions_that_are_out_of_date(project: Path) -> None:
    set_people(project, "South", 2345)
    result = run(project, "proof", SPEC_PATH, "-o", "output/proof.png")
    assert result.exit_code == 0, result.output
    built_lines = [line for line in result.stderr.splitlines() if line.startswith("built")]
    assert len(built_lines) == 1 and "south.pdf" in built_lines[0]
    from PIL import Image

    with Image.open(project / "output" / "proof.png") as image:
        assert image.size == (1684, 1191)  # A4 landscape at 144 dpi


def test_proof_outside_the_project_is_a_usage_error(project: Path, tmp_path: Path) -> None:
    outside = tmp_path / "elsewhere" / "proof.pdf"
    result = run(project, "proof", SPEC_PATH, "-o", str(outside))
    assert result.exit_code == 2
    assert f"Error: -o {outside}: lies outside the project" in result.stderr
    _no_traceback(result)
    result = run(project, "proof", SPEC_PATH, "-o", "output/proof.jpg")
    assert result.exit_code == 2 and "must end in .pdf or .png" in result.stderr


# --- approve -----------------------------------------------------------------------


def test_approve_records_pdfs_page_images_and_the_manifest(approved: Path) -> None:
    folder = approved / "approved" / "report"
    index = json.loads((folder / "index.json").read_text())
    assert list(index["editions"]) == LABELS
    north = index["editions"]["region=North"]
    assert north["pdf"] == "region-north.pdf" and north["pages"] == ["region-north-1.png"]
    assert (folder / "region-north.pdf").read_bytes() == (
        approved / "output" / "north.pdf"
    ).read_bytes()
    assert (folder / "region-north-1.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    manifest = json.loads((folder / "manifest.json").read_text())
    assert manifest["editions"]["region=North"]["figures"]["people"]["text"] == "1,111"
    before = {p.name: p.read_bytes() for p in folder.iterdir()}
    assert run(approved, "approve", SPEC_PATH).exit_code == 0
    assert {p.name: p.read_bytes() for p in folder.iterdir()} == before  # deterministic


def test_approve_refuses_stale_and_unbuilt_editions_and_names_them(project: Path) -> None:
    set_people(project, "East", 3456)
    result = run(project, "approve", SPEC_PATH)
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        "Error: factsheets/report.yaml: edition region=East cannot be approved: its inputs "
        "(spec, data, theme, images or factsheet itself) changed since (build first: "
        "factsheet build factsheets/report.yaml)"
    ]
    assert not (project / "approved").exists()
    _no_traceback(result)
    fresh = review_project(project.parent / "fresh")
    result = run(fresh, "approve", SPEC_PATH)
    assert result.exit_code == 1
    assert "all 4 editions cannot be approved: not built yet" in result.stderr


def test_approving_some_editions_keeps_the_others(approved: Path) -> None:
    set_people(approved, "North", 1200)
    assert run(approved, "build", SPEC_PATH).exit_code == 0
    result = run(approved, "approve", SPEC_PATH, "--edition", "region=North")
    assert result.exit_code == 0, result.output
    assert result.stdout.count("approved ") == 1
    index = json.loads((approved / "approved" / "report" / "index.json").read_text())
    assert list(index["editions"]) == LABELS
    assert run(approved, "diff", SPEC_PATH).exit_code == 0


def test_approve_into_a_folder_outside_the_project_is_refused(
    project: Path, tmp_path: Path
) -> None:
    result = run(project, "approve", SPEC_PATH, "--into", str(tmp_path))
    assert result.exit_code == 2
    assert f"--into {tmp_path}: lies outside the project" in result.stderr
    _no_traceback(result)


# --- diff --------------------------------------------------------------------------


def test_diff_without_an_approved_set_is_a_located_error(project: Path) -> None:
    result = run(project, "diff", SPEC_PATH)
    assert result.exit_code == 66
    assert result.stderr.splitlines() == [
        "Error: factsheets/report.yaml: no approved set for this spec in approved/report/ "
        "(approve the current PDFs first: factsheet approve factsheets/report.yaml (or name "
        "another folder with --against))"
    ]
    _no_traceback(result)


def test_diff_against_an_unknown_or_outside_folder_is_a_usage_error(
    approved: Path, tmp_path: Path
) -> None:
    result = run(approved, "diff", SPEC_PATH, "--against", "signed-off")
    assert result.exit_code == 2
    assert "Error: --against signed-off: no such folder" in result.stderr
    result = run(approved, "diff", SPEC_PATH, "--against", str(tmp_path))
    assert result.exit_code == 2
    assert "lies outside the project" in result.stderr
    _no_traceback(result)


def test_diff_with_no_change_exits_0(approved: Path) -> None:
    result = run(approved, "diff", SPEC_PATH)
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[-1] == (
        "4 editions compared: 0 changed, 0 added, 0 removed, 4 unchanged "
        "(tolerance 16/255 per colour channel)"
    )


def test_diff_after_a_data_change_names_the_edition_page_figure_and_words(
    approved: Path,
) -> None:
    set_people(approved, "West", 4567)
    result = run(approved, "diff", SPEC_PATH, "--html", "output/diff.html")
    assert result.exit_code == 1, result.output
    lines = result.stdout.splitlines()
    assert "  changed    region=West: page 1, 1 figure, 1 chart, 1 word change" in lines
    assert "               figure people: '4,444' → '4,567'" in lines
    assert "               page 1: …West counts [-4,444-]{+4,567+} people (44%).…" in lines
    assert [line.split()[0] for line in lines[1:5]] == ["unchanged"] * 3 + ["changed"]
    page = (approved / "output" / "diff.html").read_text()
    assert '<td class="old"><span class="printed">4,444</span>' in page
    assert '<td class="new"><span class="printed">4,567</span>' in page
    assert "<del>4,444</del> <ins>4,567</ins>" in page
    images = sorted(p.name for p in (approved / "output" / "diff_files").iterdir())
    assert images == ["report-region-west-p1-approved.png", "report-region-west-p1-now.png"]


def test_the_tolerance_decides_which_pixels_count(approved: Path) -> None:
    set_people(approved, "West", 4567)
    result = run(approved, "diff", SPEC_PATH, "--tolerance", "255")
    assert result.exit_code == 1  # the figure and the words still changed
    assert "region=West: 1 figure, 1 chart, 1 word change" in result.stdout
    assert "(tolerance 255/255 per colour channel)" in result.stdout


def _touch_spec(project: Path) -> None:
    """A process expands a spec once per spec file version (a new process, as each
    command is, reads it afresh); these tests run every command in one process."""
    spec = project / SPEC_PATH
    spec.write_text(spec.read_text() + "\n")


def test_diff_reports_added_and_removed_editions(approved: Path) -> None:
    data = approved / "data" / "regions.csv"
    text = data.read_text().replace("East,3333,0.33\n", "Centre,5555,0.55\n")
    data.write_text(text)
    _touch_spec(approved)  # the matrix comes from the data: expand it again in this process
    result = run(approved, "diff", SPEC_PATH, "--html", "output/diff.html")
    assert result.exit_code == 1, result.output
    assert "  added      region=Centre" in result.stdout.splitlines()
    assert "  removed    region=East" in result.stdout.splitlines()
    page = (approved / "output" / "diff.html").read_text()
    assert "report-region-centre-p1-now.png" in page
    assert "report-region-east-p1-approved.png" in page


def test_the_report_escapes_every_text(approved: Path) -> None:
    data = approved / "data" / "regions.csv"
    data.write_text(data.read_text().replace("South,", '"<b onmouseover=x>South",'))
    _touch_spec(approved)
    result = run(approved, "diff", SPEC_PATH, "--html", "output/diff.html")
    assert result.exit_code == 1, result.output
    page = (approved / "output" / "diff.html").read_text()
    assert "<b onmouseover" not in page
    assert "&lt;b onmouseover=x&gt;South" in page


def test_an_edition_that_fails_to_build_stops_proof_and_diff(approved: Path) -> None:
    data = approved / "data" / "regions.csv"
    data.write_text(data.read_text().replace("North,1111,", "North,many,"))
    result = run(approved, "proof", SPEC_PATH, "-o", "output/proof.pdf")
    assert result.exit_code == 65, result.output
    assert "failed      output/north.pdf" in result.stderr
    assert "Error: the proof was not made: editions failed to build" in result.stderr
    assert not (approved / "output" / "proof.pdf").exists()
    result = run(approved, "diff", SPEC_PATH)
    assert result.exit_code == 65  # an error, never 1 ("changes")
    assert "Error: nothing was compared: editions failed to build" in result.stderr
    _no_traceback(result)


def test_an_approved_index_naming_a_file_outside_its_folder_is_refused(approved: Path) -> None:
    index_path = approved / "approved" / "report" / "index.json"
    index = json.loads(index_path.read_text())
    index["editions"]["region=North"]["pdf"] = "../../output/south.pdf"
    index["editions"]["region=North"]["pdf_sha256"] = "0" * 64  # so that it is read
    index_path.write_text(json.dumps(index))
    result = run(approved, "diff", SPEC_PATH)
    assert result.exit_code == 65
    assert result.stderr.splitlines() == [
        "Error: approved/report/index.json: '../../output/south.pdf' is not a file name "
        "(approve the spec again to rewrite it)"
    ]
    _no_traceback(result)


@pytest.mark.parametrize(
    ("name", "text", "message"),
    [
        ("index.json", "<<<<<<< HEAD\n{}", "approved/report/index.json cannot be read as JSON"),
        ("manifest.json", "[1, 2]", "approved/report/manifest.json holds no JSON object"),
    ],
)
def test_a_damaged_approved_set_is_an_error_never_an_empty_one(
    approved: Path, name: str, text: str, message: str
) -> None:
    """Read as empty, a damaged index would say nothing was approved, and a damaged
    manifest would drop every figure from the comparison."""
    (approved / "approved" / "report" / name).write_text(text)
    result = run(approved, "diff", SPEC_PATH)
    assert result.exit_code == 65, result.output
    assert message in result.stderr
    _no_traceback(result)
