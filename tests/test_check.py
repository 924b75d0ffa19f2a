"""`factsheet check`: every check a build makes, writing nothing; warnings and
--strict; glyphs a font lacks; and settings that keep a spec inside its project."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from factsheet.cli import main
from tests.projects import make_project

ROOT = Path(__file__).resolve().parents[1]

SPEC = """\
document: {title: Checked, author: Test Org, year: 2024, pages: 1}
theme: un-blue
data:
  numbers: {file: data/numbers.csv}
figures:
  total: {source: numbers, column: value, aggregate: sum}
  unused: {source: numbers, column: value, aggregate: max}
pages:
  - blocks:
      - heading: Totals
      - paragraph: "The total is {{ total }}."
      - image: {file: assets/logos/emblem-blue.svg, width: 20mm, alt: The emblem}
"""


@pytest.fixture
def project(tmp_path: Path) -> Path:
    data = {"numbers.csv": "label,value\na,1\nb,2\n"}
    return make_project(tmp_path / "p", data, {"check.yaml": SPEC})


def run(project: Path, *args: str) -> tuple[int, str, str]:
    old = Path.cwd()
    os.chdir(project)
    try:
        result = CliRunner().invoke(main, [*args, "factsheets/check.yaml"])
    finally:
        os.chdir(old)
    return result.exit_code, result.stdout, result.stderr


def test_check_writes_nothing_and_reports_warnings(project: Path) -> None:
    code, out, err = run(project, "check")
    assert code == 0
    assert not (project / "output").exists()
    assert out.splitlines()[0] == "ok          output/check.pdf"
    assert out.splitlines()[-1].startswith("1 edition checked: 1 passed, 0 failed, 2 warnings in ")
    assert err == (
        "Warning: factsheets/check.yaml:7:3: figures.unused: figure 'unused' is computed but "
        "no text uses it (print it with {{ unused }} or remove it)\n"
        "Warning: factsheets/check.yaml:9:5: pages[0]: page 1 has an empty band 655pt "
        "(231 mm, 78% of the page) across its width, below the image pages[0].blocks[2], "
        "down to the bottom margin (fill it: more text, a taller chart or photo)\n"
    )


def test_strict_turns_warnings_into_errors(project: Path) -> None:
    code, _, err = run(project, "check", "--strict")
    assert code == 65
    assert err.startswith("Error: factsheets/check.yaml:7:3: figures.unused:")
    code, _, _ = run(project, "build", "--strict")
    assert code == 65
    assert not (project / "output" / "check.pdf").exists()


def test_check_finds_the_same_problems_as_build(project: Path) -> None:
    spec = project / "factsheets" / "check.yaml"
    spec.write_text(SPEC.replace("{{ total }}", "{{ totl }}"))
    code, _, err = run(project, "check")
    assert code == 65
    assert (
        "factsheets/check.yaml:11:20: pages[0].blocks[1].paragraph.text: unknown name 'totl'" in err
    )


def test_missing_alt_text_is_an_error_in_a_tagged_pdf(project: Path) -> None:
    spec = project / "factsheets" / "check.yaml"
    spec.write_text(SPEC.replace(", alt: The emblem", "").replace("  unused:", "  # unused:"))
    code, _, err = run(project, "check")
    assert code == 65
    assert "pages[0].blocks[2].image.alt: the image has no `alt` text, which a tagged PDF" in err


def test_missing_alt_text_is_a_warning_in_an_untagged_pdf(project: Path) -> None:
    spec = project / "factsheets" / "check.yaml"
    untagged = SPEC.replace("pages: 1}", "pages: 1, pdf: {tagged: false}}")
    spec.write_text(untagged.replace(", alt: The emblem", "").replace("  unused:", "  # unused:"))
    code, _, err = run(project, "check")
    assert code == 0
    assert "pages[0].blocks[2].image: the image has no `alt` text" in err


@pytest.mark.parametrize(
    ("text", "char"),
    [
        ("Tokyo 東京", "'東' (U+6771, cjk unified ideograph-6771, CJK Unified"),
        ("Smile 😀", "'😀' (U+1F600"),
    ],
)
def test_glyphs_missing_from_the_font_are_errors(project: Path, text: str, char: str) -> None:
    spec = project / "factsheets" / "check.yaml"
    spec.write_text(SPEC.replace("The total is", text))
    code, _, err = run(project, "check")
    assert code == 65
    assert "pages[0].blocks[1].paragraph: the character '" in err
    assert char in err
    assert "is in none of the fonts tried: sans (Lato-Regular)" in err


def test_covered_accents_and_punctuation_pass(project: Path) -> None:
    spec = project / "factsheets" / "check.yaml"
    spec.write_text(SPEC.replace("The total is", "Côte d’Ivoire – São Tomé, Łódź «€»"))
    code, _, err = run(project, "check")
    assert code == 0, err
    assert "none of the fonts tried" not in err


def test_unwritable_output_folder_is_reported(project: Path) -> None:
    if os.geteuid() == 0:
        pytest.skip("root may write anywhere; covered by the unprivileged test run")
    (project / "output").mkdir()
    (project / "output").chmod(0o500)
    try:
        code, _, err = run(project, "check")
    finally:
        (project / "output").chmod(0o700)
    assert code == 74
    assert "cannot write to folder" in err


def test_reportlab_settings_are_pinned(monkeypatch: pytest.MonkeyPatch) -> None:
    from reportlab import rl_config

    from factsheet.security import pin_reportlab_settings

    monkeypatch.setattr(rl_config, "trustedHosts", ["*"])
    monkeypatch.setattr(rl_config, "toColorCanUse", "rl_safe_eval")
    pin_reportlab_settings()
    assert rl_config.trustedHosts is None
    assert rl_config.trustedSchemes == []
    assert rl_config.toColorCanUse == "rl_extended_literal_eval"


def test_svg_entities_and_outside_references_are_not_followed(tmp_path: Path) -> None:
    from factsheet.images import _load_svg, load_svg

    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET")
    inside = tmp_path / "svg"
    inside.mkdir()
    svg = inside / "evil.svg"
    svg.write_text(
        f'<?xml version="1.0"?>\n<!DOCTYPE svg [<!ENTITY x SYSTEM "file://{secret}">]>\n'
        '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" '
        'width="10" height="10"><text x="1" y="5">&x;</text>'
        '<image xlink:href="../secret.png" width="5" height="5"/></svg>'
    )
    drawing = _load_svg(svg, svg.stat().st_size)
    from reportlab.graphics.shapes import String

    def strings(node: object) -> list[str]:
        found = [node.text] if isinstance(node, String) else []
        for child in getattr(node, "contents", []):
            found += strings(child)
        return found

    assert "TOP-SECRET" not in "".join(strings(drawing))
    vector = load_svg(svg, "Lato-Regular", tmp_path)
    assert vector.recording is not None
    assert "TOP-SECRET" not in repr(vector.recording.ops)


EDITIONS = """\
editions:
  matrix: {part: [a, b]}
  output: "output/{part}.pdf"
"""


def test_check_groups_problems_across_editions_sorted_by_line(project: Path) -> None:
    spec = project / "factsheets" / "check.yaml"
    text = SPEC.replace("Totals", "Totals {{ nope }}").replace("{{ total }}", "{{ totl }}")
    spec.write_text(text + EDITIONS)
    code, out, err = run(project, "check")
    assert code == 65
    lines = err.splitlines()
    assert lines[0].startswith(
        "Error: factsheets/check.yaml:10:18: pages[0].blocks[0].heading.text:"
    )
    assert lines[1].startswith(
        "Error: factsheets/check.yaml:11:20: pages[0].blocks[1].paragraph.text:"
    )
    assert "[editions" not in err  # every edition has them: reported once, as the spec's
    assert lines[-1] == "2 problems found."
    assert out.splitlines()[-1].startswith("2 editions checked: 0 passed, 2 failed")


def test_problems_of_some_editions_name_them(project: Path) -> None:
    spec = project / "factsheets" / "check.yaml"
    spec.write_text(SPEC + EDITIONS.replace("[a, b]", "[a, '東']").replace("{part}", "p-{part}"))
    spec.write_text(spec.read_text().replace("Totals", "Totals {{ part }}"))
    code, _, err = run(project, "check")
    assert code == 65
    assert "[edition part=東]" in err  # one edition: named alone


def test_different_failures_exit_with_one(project: Path) -> None:
    spec = project / "factsheets" / "check.yaml"
    overrides = (
        "  overrides:\n"
        "    - when: {part: a}\n"
        "      document: {pages: 0}\n"  # invalid spec: 65
        "    - when: {part: b}\n"
        "      blocks: {logo: {file: assets/logos/missing.svg}}\n"  # missing input: 66
    )
    text = SPEC.replace("  unused:", "  # unused:").replace(
        "{file: assets", "{id: logo, file: assets"
    )
    spec.write_text(text + EDITIONS + overrides)
    code, _, err = run(project, "build")
    assert code == 1, err
    assert "`pages` must be at least 1" in err and "missing.svg' does not exist" in err


def test_a_build_makes_no_network_connection(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import socket

    from factsheet.build import render

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("network access attempted")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    spec = project / "factsheets" / "check.yaml"
    spec.write_text(SPEC.replace("  unused:", "  # unused:"))
    assert render(spec).pdf.startswith(b"%PDF")


def test_dollar_signs_in_chart_labels_print_as_written(project: Path) -> None:
    import io

    import pypdf

    from factsheet.build import render

    (project / "data" / "money.csv").write_text("label,value\n$5 and $6,1\n$x$,2\n")
    spec = project / "factsheets" / "check.yaml"
    spec.write_text(
        SPEC.replace("  unused:", "  # unused:").replace(
            "  numbers: {file: data/numbers.csv}",
            "  numbers: {file: data/numbers.csv}\n  money: {file: data/money.csv}",
        )
        + "      - chart: {type: bar, source: money, x: label, y: value, height: 40mm}\n"
    )
    text = pypdf.PdfReader(io.BytesIO(render(spec).pdf)).pages[0].extract_text()
    assert "$5 and $6" in text and "$x$" in text


def test_check_neither_draws_charts_nor_imports_matplotlib(project: Path) -> None:
    import subprocess
    import sys

    spec = project / "factsheets" / "check.yaml"
    spec.write_text(
        SPEC.replace("  unused:", "  # unused:")
        + "      - chart: {type: bar, source: numbers, x: label, y: value, height: 40mm}\n"
    )
    script = (
        "import sys\n"
        "from factsheet.cli import main\n"
        "try:\n"
        "    main(['check', 'factsheets/check.yaml'])\n"
        "except SystemExit as done:\n"
        "    print(done.code, 'matplotlib' in sys.modules)\n"
    )
    run = subprocess.run(
        [sys.executable, "-c", script], cwd=project, capture_output=True, text=True
    )
    assert run.stdout.split()[-2:] == ["0", "False"], run.stderr
