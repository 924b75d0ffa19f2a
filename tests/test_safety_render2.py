"""Silent rendering faults, second part (issue 10): empty cells in charts and maps are
an explicit choice (`missing: error | skip | zero`), a chart's alt text is never empty
or a title with an empty list, and the references an SVG makes to other files that are
refused (web addresses, absolute paths, files outside the SVG's folder, missing files)
are located warnings, kept on a build-cache hit, and errors under `--strict`. Each test
fails on the code before (b963a8e)."""

from __future__ import annotations

import json
import logging
import math
import os
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

from factsheet.build import render
from factsheet.charts.pivot import chart_data
from factsheet.cli import main
from factsheet.data.rows import Rows
from factsheet.errors import FactsheetError
from factsheet.spec.model import Chart
from tests.projects import make_project

LIFE = """\
country,year,life
Ghana,2010,60.6
Kenya,2010,
Nigeria,2010,50.9
Senegal,2010,
"""


def chart_spec(chart: str, title: str = "Life") -> str:
    return (
        "document: {title: Charts, author: Test Org, pages: 1}\n"
        "theme: un-blue\n"
        "data: {rows: {file: data/rows.csv}}\n"
        "pages:\n  - blocks:\n"
        f"      - chart: {{id: life, source: rows, title: {title}, {chart}}}\n"
    )


def project(tmp_path: Path, chart: str, data: str = LIFE, title: str = "Life") -> Path:
    root = make_project(tmp_path / "p", {"rows.csv": data}, {"c.yaml": chart_spec(chart, title)})
    return root / "factsheets" / "c.yaml"


def failure(spec: Path) -> str:
    with pytest.raises(FactsheetError) as caught:
        render(spec)
    return str(caught.value)


def alt_texts(spec: Path) -> list[str]:
    rendered = render(spec)
    return [
        text
        for page in rendered.content.pages
        for item in page
        for f in item.flowables
        if (text := getattr(f, "alt_text", ""))
    ]


# --- missing values in charts --------------------------------------------------------


def test_empty_cell_is_an_error_naming_the_file_line_and_the_choices(tmp_path: Path) -> None:
    message = failure(project(tmp_path, "type: bar, x: country, y: life"))
    assert "the chart's row at line 3 of data/rows.csv has an empty 'life' cell" in message
    assert "(and 1 more rows with empty cells)" in message
    assert "`missing: skip`" in message and "`missing: zero`" in message


def test_skip_leaves_the_rows_out(tmp_path: Path) -> None:
    (alt,) = alt_texts(project(tmp_path, "type: bar, x: country, y: life, missing: skip"))
    assert alt == "Life (Ghana: 61; Nigeria: 51)"


def test_zero_draws_an_empty_value_as_0(tmp_path: Path) -> None:
    spec = project(tmp_path, "type: bar, x: country, y: life, missing: zero")
    (alt,) = alt_texts(spec)
    assert alt == "Life (Ghana: 61; Kenya: 0; Nigeria: 51; Senegal: 0)"


def test_zero_fills_only_values_not_categories(tmp_path: Path) -> None:
    data = "country,year,life\nGhana,2010,60.6\n,2010,50.9\n"
    message = failure(project(tmp_path, "type: bar, x: country, y: life, missing: zero", data))
    assert "line 3 of data/rows.csv has an empty 'country' cell" in message
    assert "`missing: zero` fills in only the value column 'life'" in message


def test_all_empty_with_skip_is_a_located_error_not_a_chart_without_marks(tmp_path: Path) -> None:
    data = "country,year,life\nGhana,2000,57.0\nGhana,2010,\nKenya,2010,\n"
    chart = "type: bar, x: country, y: life, missing: skip, where: {year: 2010}"
    message = failure(project(tmp_path, chart, data))
    assert "pages[0].blocks[0].chart" in message
    assert "every row the chart selects from data/rows.csv has an empty cell" in message
    assert "lines 3, 4" in message


def test_the_old_empty_option_says_to_write_missing(tmp_path: Path) -> None:
    message = failure(project(tmp_path, "type: bar, x: country, y: life, empty: skip"))
    assert "unknown key 'empty'" in message
    assert "`missing: skip`" in message


def test_the_manifest_lists_the_rows_skipped_or_counted_as_zero(tmp_path: Path) -> None:
    spec = project(tmp_path, "type: bar, x: country, y: life, missing: zero")
    old = Path.cwd()
    os.chdir(spec.parents[1])
    try:
        result = CliRunner().invoke(main, ["build", "factsheets/c.yaml"])
    finally:
        os.chdir(old)
    assert result.exit_code == 0, result.output
    manifest = json.loads((spec.parents[1] / "output" / "c.manifest.json").read_text())
    (edition,) = manifest["editions"].values()
    assert edition["charts"]["life"]["missing"] == {"rule": "zero", "rows": [3, 5]}


def test_chart_data_zero_and_skip() -> None:
    rows = Rows.of(
        {"x": np.array(["a", "b", "c"], dtype=object), "y": np.array([1.0, math.nan, 3.0])},
        range(3),
    )
    chart = Chart(type="bar", source="s", x="x", y="y", missing="zero")
    assert chart_data(chart, rows).values == ((1.0, 0.0, 3.0),)
    skipped = chart_data(chart.model_copy(update={"missing": "skip"}), rows)
    assert skipped.categories == ("a", "c")


# --- alt text ------------------------------------------------------------------------


def test_blank_alt_text_falls_back_to_the_description(tmp_path: Path) -> None:
    spec = project(tmp_path, 'type: bar, x: country, y: life, missing: skip, alt: "  "')
    assert alt_texts(spec) == ["Life (Ghana: 61; Nigeria: 51)"]


def test_a_chart_with_no_value_has_no_degenerate_alt_text() -> None:
    from factsheet.blocks import chart as chart_block
    from factsheet.charts.plot import ChartData

    class Ctx:
        locale = None
        units = None  # as BlockContext: no source declares a unit
        key_path = ("pages", 0, "blocks", 0, "chart")

    chart = Chart(type="bar", source="s", x="x", y="y")
    empty = ChartData(("a", "b"), ("",), ((math.nan, math.nan),))
    with pytest.raises(FactsheetError, match="the chart has no value to draw"):
        chart_block._alt("Values", empty, chart, Ctx())  # type: ignore[arg-type]


# --- maps ----------------------------------------------------------------------------

MAP = "type: map, x: country, y: life, height: 80mm"


def test_a_map_country_with_an_empty_value_is_an_error_by_default(tmp_path: Path) -> None:
    message = failure(project(tmp_path, MAP))
    assert "line 3 of data/rows.csv has an empty 'life' cell" in message


def test_a_map_skips_a_country_with_an_empty_value_or_key(tmp_path: Path) -> None:
    data = LIFE + ",2010,44.0\n"  # a row with no country at all
    (alt,) = alt_texts(project(tmp_path, MAP + ", missing: skip", data))
    assert alt == "Life (Ghana: 61; Nigeria: 51)"


def test_a_map_counts_an_empty_value_as_zero_when_asked(tmp_path: Path) -> None:
    (alt,) = alt_texts(project(tmp_path, MAP + ", missing: zero"))
    assert "Kenya: 0" in alt and "Senegal: 0" in alt


# --- references an SVG refuses -------------------------------------------------------

PNG_1PX = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010802000000907753de"
    "0000000c4944415408d763f8cfc000000301010018dd8db00000000049454e44ae426082"
)

SVG = """<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink"
     width="40" height="20" viewBox="0 0 40 20">
  <!-- <image href="commented-out.png"/> is not a reference -->
  <rect width="40" height="20" fill="#0A5" style="fill: url(#none)"/>
  <image x="0" y="0" width="10" height="10" xlink:href="http://example.org/badge.png"/>
  <image x="10" y="0" width="10" height="10" href="/etc/hostname"/>
  <image x="20" y="0" width="10" height="10" xlink:href="../outside.png"/>
  <image x="30" y="0" width="10" height="10" xlink:href="missing.png"/>
  <image x="0" y="10" width="10" height="10" xlink:href="dot.png"/>
  <use xlink:href="#none"/>
</svg>
"""

IMAGE_SPEC = """\
document: {title: Pictures, author: Test Org, pages: 1}
theme: un-blue
pages:
  - blocks:
      - paragraph: A picture.
      - image:
          file: assets/logos/badge.svg
          alt: A badge
"""


def svg_project(tmp_path: Path) -> Path:
    root = make_project(tmp_path / "p", {}, {"i.yaml": IMAGE_SPEC})
    (root / "assets" / "logos" / "badge.svg").write_text(SVG)
    (root / "assets" / "logos" / "dot.png").write_bytes(PNG_1PX)
    (root / "assets" / "outside.png").write_bytes(PNG_1PX)
    return root / "factsheets" / "i.yaml"


def svg_warnings(spec: Path) -> list[str]:
    return [str(w) for w in render(spec).content.warnings if "SVG" in str(w)]


EXPECTED = [
    ("http://example.org/badge.png", "a web address: nothing is downloaded"),
    ("/etc/hostname", "an absolute path"),
    ("../outside.png", "outside the SVG's folder"),
    ("missing.png", "no such file in the SVG's folder"),
]


def test_each_refused_reference_is_a_warning_at_the_image_line(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    spec = svg_project(tmp_path)
    with caplog.at_level(logging.WARNING):
        warnings = svg_warnings(spec)
    assert len(warnings) == len(EXPECTED), warnings
    for (reference, why), warning in zip(EXPECTED, warnings, strict=True):
        assert warning.startswith(f"{spec}:7:17: pages[0].blocks[1].image.file: "), warning
        assert f"the SVG 'assets/logos/badge.svg' refers to '{reference}' ({why}" in warning
        assert "left out of the picture" in warning
    assert "copy the file into the SVG's folder" in warnings[1]
    assert not any("Refusing" in r.getMessage() for r in caplog.records)  # not on stderr


def test_the_warnings_survive_a_build_cache_hit(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from factsheet import images

    spec = svg_project(tmp_path)
    svg = spec.parents[1] / "assets" / "logos" / "badge.svg"
    drawn = '  <image x="0" y="10" width="10" height="10" xlink:href="dot.png"/>\n'
    svg.write_text(SVG.replace(drawn, ""))  # no picture file drawn: the recording is stored
    first = svg_warnings(spec)
    images._load_vector.cache_clear()  # as a new process: only the disk cache is left

    def parse_again(*_: object) -> None:
        raise AssertionError("the SVG was parsed again instead of taken from the cache")

    monkeypatch.setattr(images, "_vector", parse_again)
    assert svg_warnings(spec) == first and len(first) == 4


def test_a_referenced_file_that_appears_is_drawn(tmp_path: Path) -> None:
    from factsheet import images

    spec = svg_project(tmp_path)
    assert len(svg_warnings(spec)) == 4
    (spec.parents[1] / "assets" / "logos" / "missing.png").write_bytes(PNG_1PX)
    images._load_vector.cache_clear()
    assert len(svg_warnings(spec)) == 3  # and not the cached picture without it


def test_an_svg_that_embeds_a_picture_is_drawn_not_a_traceback(tmp_path: Path) -> None:
    """The embedded picture was written inline into the page, which failed on binary
    data with a TypeError traceback."""
    from pypdf import PdfReader

    spec = svg_project(tmp_path)
    pdf = render(spec).pdf
    (spec.parent / "out.pdf").write_bytes(pdf)
    page = PdfReader(spec.parent / "out.pdf").pages[0]
    assert len(page.images) == 1  # dot.png, drawn once, as an image object


def test_refused_references_fail_a_strict_build(tmp_path: Path) -> None:
    spec = svg_project(tmp_path)
    old = Path.cwd()
    os.chdir(spec.parents[1])
    try:
        result = CliRunner().invoke(main, ["build", "--strict", "factsheets/i.yaml"])
    finally:
        os.chdir(old)
    assert result.exit_code != 0
    assert "factsheets/i.yaml:7:17" in result.output + result.stderr
    assert "http://example.org/badge.png" in result.output + result.stderr
    assert "Traceback" not in result.output + result.stderr


def test_a_theme_logo_reference_is_a_warning_at_the_theme_logo_line(tmp_path: Path) -> None:
    spec = svg_project(tmp_path)
    root = spec.parents[1]
    theme = root / "assets" / "themes" / "un-blue.yaml"
    theme.write_text(theme.read_text().replace("logos/emblem-white.svg", "logos/badge.svg"))
    (root / "factsheets" / "i.yaml").write_text(
        IMAGE_SPEC.replace("      - paragraph: A picture.\n", "      - title_band:\n")
    )
    warnings = svg_warnings(spec)
    logo = [w for w in warnings if w.startswith(f"{theme}:59:")]
    assert len(logo) == 4, warnings


@pytest.mark.parametrize(
    ("body", "detail"),
    [
        ('<image href="#nope" width="5" height="5"/>', "cannot draw the SVG 'badge.svg'"),
        (
            '<image xlink:href="data:image/png;base64,AAAA" width="5" height="5"/>',
            "cannot draw the SVG 'badge.svg'",
        ),
        ('<rect width="5" height="1e400"/>', "too large to be a number in a PDF"),
    ],
)
def test_an_svg_svglib_cannot_draw_is_a_located_error(
    tmp_path: Path, body: str, detail: str
) -> None:
    """svglib or ReportLab failed on these with a TypeError, an UnidentifiedImageError or
    a ValueError from C code: an internal error where the user needs the file named."""
    spec = svg_project(tmp_path)
    (spec.parents[1] / "assets" / "logos" / "badge.svg").write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink"'
        f' width="10" height="10">{body}</svg>'
    )
    with pytest.raises(FactsheetError) as caught:
        render(spec)
    message = str(caught.value)
    assert message.startswith(f"{spec}:7:11: pages[0].blocks[1].image: "), message
    assert detail in message


def test_what_svglib_cannot_draw_is_a_located_warning_never_a_raw_line(tmp_path: Path) -> None:
    """svglib logged "Can't handle color: …" straight to the terminal, unlocated, with
    the file's own characters (a C1 escape, a bidi override) in it, and the build said
    0 warnings."""
    import subprocess
    import sys

    spec = svg_project(tmp_path)
    (spec.parents[1] / "assets" / "logos" / "badge.svg").write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">'
        '<rect width="5" height="5" fill="\u009b31m\u202ered"/></svg>'
    )
    command = [sys.executable, "-m", "factsheet", "build", str(spec.relative_to(spec.parents[1]))]
    for again in ([], ["--force"]):  # the second build finds the picture in the cache
        done = subprocess.run(
            [*command, *again], cwd=spec.parents[1], capture_output=True, text=True
        )
        assert done.returncode == 0, done.stderr
        assert "\u009b" not in done.stderr and "\u202e" not in done.stderr
        warning = next(line for line in done.stderr.splitlines() if "SVG reader" in line)
        assert warning.startswith("Warning: factsheets/i.yaml:7:17: pages[0].blocks[1].image.file:")
        assert "Can't handle color: \\x9b31m\\u202ered" in warning
        assert "0 warnings" not in done.stdout
    strict = subprocess.run([*command, "--strict", "--force"], cwd=spec.parents[1],
                            capture_output=True, text=True)  # fmt: skip
    assert strict.returncode == 65, strict.stderr
