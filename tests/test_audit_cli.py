"""`factsheet audit`: exit codes, the grouped report, the JSON shape, missing and
non-PDF files, and PDF strings with control characters escaped on the terminal."""

from __future__ import annotations

import json
from pathlib import Path

import pikepdf
import pytest
from click.testing import CliRunner
from pikepdf import Name, Stream, String

from factsheet.cli import main
from tests.pdf_fixtures import find, tagged_pdf, to_bytes


def audit(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, ["audit", *args])
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def good(tmp_path: Path) -> Path:
    path = tmp_path / "good.pdf"
    path.write_bytes(to_bytes(tagged_pdf()))
    return path


@pytest.fixture
def bad(tmp_path: Path) -> Path:
    """Two pages, each with two untagged rules, a figure with no alt text, and (on the
    copied page) MCIDs no element names."""
    pdf = tagged_pdf()
    del find(pdf, "Figure").Alt
    pdf.pages.append(pdf.pages[0])
    for page in pdf.pages:
        page.contents_add(Stream(pdf, b"0 0 m 10 10 l S 0 0 m 5 5 l S"), prepend=False)
    path = tmp_path / "bad.pdf"
    path.write_bytes(to_bytes(pdf))
    return path


def test_a_passing_file_exits_0_with_one_line(good: Path) -> None:
    code, out, _ = audit(str(good))
    assert code == 0
    assert out.splitlines() == [f"{good}: passed"]


def test_problems_are_grouped_by_rule_with_pages_and_counts(bad: Path) -> None:
    code, out, _ = audit(str(bad))
    assert code == 1
    lines = out.splitlines()
    assert lines[0] == str(bad)
    content = lines.index(
        "  UA-CONTENT (error, accessibility): content is painted outside marked content"
    )
    assert lines[content + 1].startswith("    hint: every text, path and image must be tagged")
    assert lines[content + 2] == (
        "    - `S` (stroke a path) and other painting operators outside marked content "
        "[pages 1, 2; 2 times]"
    )
    assert "    - no structure element names MCIDs 0, 1, 2, 3, 4, 5 [page 2]" in lines
    assert "  UA-ALT (error, accessibility): a figure or formula has no alternative text" in lines
    assert lines[-1] == f"{bad}: 4 problems (3 rules)"


def test_json_is_one_document_with_stable_keys(good: Path, bad: Path) -> None:
    code, out, _ = audit("--json", str(good), str(bad))
    assert code == 1
    files = json.loads(out)["files"]
    assert [(f["file"], f["passed"]) for f in files] == [(str(good), True), (str(bad), False)]
    assert files[0]["findings"] == []
    alt = next(f for f in files[1]["findings"] if f["rule"] == "UA-ALT")
    assert alt == {
        "rule": "UA-ALT",
        "severity": "error",
        "category": "accessibility",
        "message": "a Figure has no /Alt or /ActualText",
        "pages": [1],
        "count": 1,
        "hint": alt["hint"],
    }
    assert alt["hint"].startswith("give every Figure and Formula a non-empty /Alt")


def test_warnings_fail_only_with_strict(tmp_path: Path) -> None:
    pdf = tagged_pdf()
    xmp = pdf.Root.Metadata.read_bytes()
    pdf.Root.Metadata.write(xmp.replace(b"<pdfaid:part>2</pdfaid:part>", b""))
    path = tmp_path / "unclaimed.pdf"
    path.write_bytes(to_bytes(pdf))
    code, out, _ = audit(str(path))
    assert (code, out.splitlines()[-1]) == (0, f"{path}: passed, 1 warning")
    code, out, _ = audit("--strict", str(path))
    assert (code, out.splitlines()[-1]) == (1, f"{path}: 1 problem (1 rule)")


def test_a_missing_file_exits_66_and_the_others_are_still_audited(
    good: Path, tmp_path: Path
) -> None:
    missing = tmp_path / "nope.pdf"
    code, out, err = audit(str(missing), str(good))
    assert code == 66
    assert err.strip() == f"Error: {missing}: does not exist (check the path)"
    assert out.splitlines() == [f"{good}: passed"]


def test_a_file_that_is_not_a_pdf_exits_65_without_a_traceback(tmp_path: Path) -> None:
    path = tmp_path / "notes.pdf"
    path.write_text("just some text\n")
    code, _, err = audit(str(path))
    assert code == 65
    assert err.startswith(f"Error: {path}: is not a readable PDF (")
    assert err.rstrip().endswith("(audit takes PDF files)")
    assert "Traceback" not in err


def test_a_folder_is_not_a_pdf(tmp_path: Path) -> None:
    code, _, err = audit(str(tmp_path))
    assert (code, err.strip()) == (66, f"Error: {tmp_path}: is a folder, not a PDF file")


def test_control_characters_from_the_pdf_are_escaped(tmp_path: Path) -> None:
    pdf = tagged_pdf()
    pdf.Root.Lang = String("\x1b[2J\u202eevil")
    find(pdf, "P").S = Name("/Bad\x1b[31m")
    pdf.docinfo.Title = String("\x1b]0;owned\x07")
    del find(pdf, "Figure").Alt
    find(pdf, "Figure").ActualText = String("\x1b[5m")
    path = tmp_path / "hostile.pdf"
    path.write_bytes(to_bytes(pdf))
    for args in ([str(path)], ["--json", str(path)]):
        code, out, err = audit(*args)
        assert code == 1
        assert "\x1b" not in out + err and "\u202e" not in out + err and "\x07" not in out
    _, out, _ = audit(str(path))
    assert "/Lang '\\x1b[2J\\u202eevil' is not a language tag" in out
    assert "/Bad\\x1b[31m is not a standard type" in out


def test_outloud_finds_no_errors_in_the_fixture(good: Path) -> None:
    outloud = pytest.importorskip("outloud")
    result = outloud.check(str(good))
    assert result.error is None
    assert (result.verdict, result.errors) == ("pass", 0), result.sorted_findings


def test_the_untagged_original_fails_outloud_and_the_audit(tmp_path: Path) -> None:
    """The checkers agree with the audit on a file that is not tagged."""
    outloud = pytest.importorskip("outloud")
    pdf = tagged_pdf()
    del pdf.Root.StructTreeRoot
    del pdf.Root.MarkInfo
    path = tmp_path / "untagged.pdf"
    path.write_bytes(to_bytes(pdf))
    assert outloud.check(str(path)).errors > 0
    assert audit(str(path))[0] == 1


def test_help_does_not_import_pikepdf() -> None:
    import subprocess
    import sys

    code = (
        "import sys; from click.testing import CliRunner; from factsheet.cli import main; "
        "CliRunner().invoke(main, ['audit', '--help']); print('pikepdf' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
    _ = pikepdf  # the tests themselves use it
