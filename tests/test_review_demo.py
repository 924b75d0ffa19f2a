"""The review loop on a copy of the demo (its global English edition, to stay fast):
a proof that passes the audit, an approval, then one value changed in a data file:
`diff` exits 1 and names the edition, the page, the figure's old and new value and
the changed words."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from factsheet.audit import audit_pdf
from tests.review_project import run

ROOT = Path(__file__).resolve().parents[1]
SPEC = "factsheets/2021.yaml"
ONE = ("--edition", "region=Global", "--edition", "language=en")


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    project = tmp_path_factory.mktemp("review-demo") / "demo"
    for folder in ("assets", "data", "factsheets", "translations"):
        shutil.copytree(ROOT / folder, project / folder)
    result = run(project, "build", SPEC, *ONE)
    assert result.exit_code == 0, result.output
    return project


def test_a_proof_of_the_demo_passes_the_audit(demo: Path) -> None:
    result = run(demo, "proof", SPEC, *ONE, "-o", "output/proof.pdf")
    assert result.exit_code == 0, result.output
    assert audit_pdf(demo / "output" / "proof.pdf") == []


def test_diff_finds_a_changed_value_in_the_demo_data(demo: Path) -> None:
    assert run(demo, "approve", SPEC, *ONE).exit_code == 0
    assert run(demo, "diff", SPEC, *ONE).exit_code == 0
    data = demo / "data" / "iom_2021.csv"
    text = data.read_text()
    assert "Global,officials_trained,485\n" in text
    data.write_text(
        text.replace("Global,officials_trained,485\n", "Global,officials_trained,512\n")
    )
    result = run(demo, "diff", SPEC, *ONE, "--html", "output/diff.html")
    assert result.exit_code == 1, result.output
    lines = result.stdout.splitlines()
    assert lines[1] == "  changed    region=Global, language=en: page 2, 1 figure, 2 word changes"
    assert "               figure officials_trained: '485' → '512'" in lines
    assert (
        "               page 2: …and technical assistance to [-485-]{+512+} officials, "
        "building migration management…"
    ) in lines
    page = (demo / "output" / "diff.html").read_text()
    assert "data/iom_2021.csv line 4" in page
    assert "<b>Page 2</b>" in page and "<b>Page 1</b>" not in page
