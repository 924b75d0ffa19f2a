"""Bad input through the CLI: a one-line located error, a meaningful exit code, no
traceback, and the previous good PDF left byte-identical."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from factsheet.cli import main

ROOT = Path(__file__).resolve().parents[1]
SPEC = "factsheets/2021.yaml"
# The global edition is the subject here; other editions have their own tests.
BUILD = ["build", "--edition", "region=Global", "--edition", "language=en", SPEC]


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A demo project with a good build in output/, copied for each case."""
    root = tmp_path_factory.mktemp("good")
    for folder in ("assets", "data", "factsheets", "translations"):
        shutil.copytree(ROOT / folder, root / folder)
    with _cwd(root):
        result = CliRunner().invoke(main, BUILD)
    assert result.exit_code == 0, result.output
    return root


@pytest.fixture
def project(template: Path, tmp_path: Path) -> Iterator[Path]:
    root = tmp_path / "project"
    shutil.copytree(template, root)
    with _cwd(root):
        yield root


class _cwd:
    def __init__(self, path: Path) -> None:
        self.path, self.old = path, Path.cwd()

    def __enter__(self) -> None:
        os.chdir(self.path)

    def __exit__(self, *exc: object) -> None:
        os.chdir(self.old)


def edit(path: str, old: str, new: str) -> Callable[[Path], None]:
    def apply(root: Path) -> None:
        file = root / path
        text = file.read_text()
        assert old in text, f"{old!r} not in {path}"
        file.write_text(text.replace(old, new, 1))

    return apply


def remove(path: str) -> Callable[[Path], None]:
    return lambda root: (root / path).unlink()


CASES = [
    pytest.param(
        remove(SPEC),
        66,
        "Error: factsheets/2021.yaml: file 'factsheets/2021.yaml' does not exist",
        id="missing-spec",
    ),
    pytest.param(
        edit(SPEC, "  title: IOM and", "  title: [IOM and"),
        65,
        "Error: factsheets/2021.yaml:10:11: the `[…]` that opens on line 9 is not closed",
        id="yaml-syntax",
    ),
    pytest.param(
        edit(SPEC, "  subtitle:", "  subtitel:"),
        65,
        "Error: factsheets/2021.yaml:10:3: document.subtitel: unknown key 'subtitel' "
        "(did you mean 'subtitle'?)",
        id="unknown-key",
    ),
    pytest.param(
        edit(SPEC, '      - heading: "Human', '      - headng: "Human'),
        65,
        "unknown block kind 'headng' (did you mean 'heading'?)",
        id="unknown-block-kind",
    ),
    pytest.param(
        remove("data/ldc_shares.csv"),
        66,
        "data.ldc.file: data file 'data/ldc_shares.csv' does not exist",
        id="missing-data-file",
    ),
    pytest.param(
        edit(
            SPEC,
            '          y: share\n          title: "{{ born',
            '          y: shrae\n          title: "{{ born',
        ),
        65,
        "pages[0].blocks[5].chart.y: unknown column 'shrae' in data/south_born_share.csv "
        "(columns: region, year, share; did you mean 'share'?)",
        id="missing-column",
    ),
    pytest.param(
        edit(
            SPEC,
            "    column: share\n    format: {style: percent}\n  south_share_2017",
            "    column: shares\n    format: {style: percent}\n  south_share_2017",
        ),
        65,
        "2021.yaml:38:13: figures.south_share_2000.column: unknown column 'shares'",
        id="figure-column",
    ),
    pytest.param(
        remove("assets/photos/evening-glow.jpg"),
        66,
        "pages[0].blocks[0].hero: image file 'assets/photos/evening-glow.jpg' does not exist",
        id="missing-image",
    ),
    pytest.param(
        remove("assets/fonts/lato/Lato-Bold.ttf"),
        66,
        "assets/themes/un-blue.yaml:19:11: fonts.sans.bold: "
        "file 'assets/fonts/lato/Lato-Bold.ttf' does not exist",
        id="missing-font",
    ),
    pytest.param(
        edit(SPEC, "theme: un-blue", "theme: un-blu"),
        66,
        "theme 'un-blu' not found in assets/themes/ (did you mean 'un-blue'?)",
        id="missing-theme",
    ),
    pytest.param(
        edit(SPEC, "{{ offices }} offices", "{{ ofices }} offices"),
        65,
        "unknown name 'ofices' in template (did you mean 'offices'?)",
        id="template-name",
    ),
    pytest.param(
        edit(SPEC, "height: 36mm", "height: 136mm"),
        65,
        "content overflows page 2 by",
        id="overflow",
    ),
    pytest.param(
        edit(SPEC, "  pages: 2", "  pages: 1"),
        65,
        "the factsheet needs 2 pages but its budget is 1",
        id="page-budget",
    ),
    pytest.param(
        edit(SPEC, '{{ region }}", year: 2000}', '{{ region }}", year: 2001}'),
        65,
        "figures.south_share_2000:",
        id="figure-no-rows",
    ),
    pytest.param(
        edit(SPEC, "https://www.iom.int/global-compact-migration", "javascript:alert(1)"),
        65,
        "link target 'javascript:alert(1)' is not allowed",
        id="bad-link",
    ),
    pytest.param(
        edit(
            SPEC,
            "  author: International Organization for Migration\n",
            "  author: International Organization for Migration\n  author: IOM\n",
        ),
        65,
        "factsheets/2021.yaml:12:3: document.author: duplicate key 'author' (first given on line 11)",
        id="duplicate-key",
    ),
    pytest.param(
        edit(SPEC, "  pages: 2\n", "  pages: two\n"),
        65,
        "factsheets/2021.yaml:18:10: document.pages: `pages` must be a whole number; got the text 'two'",
        id="wrong-type",
    ),
    pytest.param(
        edit(SPEC, "  pages: 2\n", "  pages: 0\n"),
        65,
        "factsheets/2021.yaml:18:10: document.pages: `pages` must be at least 1",
        id="out-of-range",
    ),
    pytest.param(
        edit(SPEC, "  page_size: A4\n", "  page_size: A5\n"),
        65,
        "factsheets/2021.yaml:17:14: document.page_size: 'A5' is not one of 'A4' or 'Letter'",
        id="literal",
    ),
    pytest.param(
        edit(SPEC, "  author: International Organization for Migration\n", ""),
        65,
        "factsheets/2021.yaml:9:3: document: missing required key 'author'",
        id="missing-key",
    ),
    pytest.param(
        edit(SPEC, "figures:\n", "figurs:\n"),
        65,
        "factsheets/2021.yaml:34:1: figurs: unknown key 'figurs' (did you mean 'figures'?)",
        id="unknown-top-key",
    ),
    pytest.param(
        edit("assets/themes/un-blue.yaml", "  body: {size: 8.8,", "  body: {size: 200,"),
        65,
        "assets/themes/un-blue.yaml:62:16: styles.body.size: `size` must be at most 120",
        id="theme-font-size",
    ),
    pytest.param(
        edit("assets/themes/un-blue.yaml", '  primary: "#0033A0"', '  primary: "#0033A"'),
        65,
        "assets/themes/un-blue.yaml:7:12: colours.primary: colour 'primary' must be written #rrggbb, got '#0033A'",
        id="theme-bad-colour",
    ),
    pytest.param(
        edit(
            "assets/themes/un-blue.yaml",
            "  heading1: {bold: true, size: 11.5, leading: 14, colour: primary,",
            "  heading1: {bold: true, size: 11.5, leading: 14, colour: primry,",
        ),
        65,
        "assets/themes/un-blue.yaml:65:59: styles.heading1.colour: unknown colour 'primry' (did you mean 'primary'?)",
        id="theme-unknown-colour",
    ),
    pytest.param(
        edit(
            SPEC,
            "  south_share_2000:\n    source: south_born\n",
            "  south_share_2000:\n    aggregate: summ\n    source: south_born\n",
        ),
        65,
        "factsheets/2021.yaml:36:16: figures.south_share_2000.aggregate: 'summ' is not one of 'value', 'sum', 'mean', 'median', 'quantile', 'min', 'max', 'count', 'count_distinct', 'share' or 'change' (did you mean 'sum'?)",
        id="aggregate-literal",
    ),
    pytest.param(
        edit(
            SPEC,
            '  offices:\n    source: iom\n    where: {region: "{{ region }}", indicator: offices}\n    column: value\n',
            '  offices:\n    source: iom\n    where: {region: "{{ region }}", indicator: offices}\n    aggregate: sum\n',
        ),
        65,
        "factsheets/2021.yaml:74:5: figures.offices: aggregate 'sum' needs a 'column'",
        id="aggregate-needs-column",
    ),
    pytest.param(
        edit(
            SPEC,
            '    where: {region: "{{ region }}", indicator: offices}\n',
            '    where: {region: "{{ region }}"}\n',
        ),
        65,
        "factsheets/2021.yaml:74:5: figures.offices: figure 'offices' selects 11 rows (lines 2, 3, 4, 5, 6, …), but aggregate 'value' needs exactly one (add a filter on 'indicator' to `where` (values here: 'offices', 'countries_with_offices', 'officials_trained', 'iscm_events', 'iscms_holding_events'); or combine the rows: `aggregate: sum`, or `mean` (with `weight: <column>` for a weighted mean, such as a population column), `median`, `min` or `max`)",
        id="several-rows",
    ),
    pytest.param(
        edit(SPEC, "  offices:\n    source: iom\n", "  offices:\n    source: iomm\n"),
        65,
        "factsheets/2021.yaml:74:13: figures.offices.source: unknown data source 'iomm' (did you mean 'iom'?)",
        id="unknown-figure-source",
    ),
    pytest.param(
        edit(SPEC, "          type: bar\n", "          type: pie\n"),
        65,
        "factsheets/2021.yaml:134:17: pages[0].blocks[5].chart.type: 'pie' is not one of 'bar', 'hbar', 'line', 'area', 'donut', 'dot', 'sparkline' or 'map'",
        id="chart-type",
    ),
    pytest.param(
        edit(SPEC, "          x: year\n", "          x: yeer\n"),
        65,
        "factsheets/2021.yaml:137:14: pages[0].blocks[5].chart.x: unknown column 'yeer' in data/south_born_share.csv (columns: region, year, share; did you mean 'year'?)",
        id="chart-x-column",
    ),
    pytest.param(
        edit(
            SPEC,
            "          x: year\n          y: share\n",
            "          x: year\n          y: region\n",
        ),
        65,
        "factsheets/2021.yaml:138:14: pages[0].blocks[5].chart.y: chart values column 'region' in data/south_born_share.csv holds text, not numbers (line 2: 'Global') (a column is read as numbers only when every cell is a number or empty)",
        id="chart-text-values",
    ),
    pytest.param(
        edit(
            SPEC,
            "          image: assets/photos/evening-glow.jpg\n",
            "          image: ../evening-glow.jpg\n",
        ),
        65,
        "factsheets/2021.yaml:107:11: pages[0].blocks[0].hero: path '../evening-glow.jpg' must not contain '..'",
        id="image-outside",
    ),
    pytest.param(
        edit(
            SPEC,
            '  output: "output/{{ year }}/{language}/{region}.pdf"\n',
            '  output: "/tmp/{region}.pdf"\n',
        ),
        65,
        "factsheets/2021.yaml:286:11: editions.output: path '/tmp/global.pdf' must be relative to the project",
        id="output-absolute",
    ),
    pytest.param(
        edit(
            SPEC,
            '  output: "output/{{ year }}/{language}/{region}.pdf"\n',
            '  output: "output/2021/{region}.txt"\n',
        ),
        65,
        "factsheets/2021.yaml:286:11: editions.output: 'output/2021/{region}.txt' is not a PDF file name (end the path in .pdf)",
        id="output-not-pdf",
    ),
    pytest.param(
        edit(
            SPEC,
            '  output: "output/{{ year }}/{language}/{region}.pdf"\n',
            '  output: "output/2021/all.pdf"\n',
        ),
        65,
        "factsheets/2021.yaml:286:11: editions.output: editions 'region=Global, language=en' and 'region=Global, language=fr' would both write 'output/2021/all.pdf' (put every key in the output template, e.g. output/{region}/{language}.pdf)",
        id="output-collision",
    ),
    pytest.param(
        edit(SPEC, "    - when: {region: Global}\n", "    - when: {regoin: Global}\n"),
        65,
        "factsheets/2021.yaml:278:3: editions: unknown edition key 'regoin' (keys: region, language)",
        id="edition-key",
    ),
    pytest.param(
        edit(
            SPEC,
            "    - when: {region: Global}\n",
            "    - when: {region: Global}\n      blocks: {trend: {text: x}}\n",
        ),
        65,
        "factsheets/2021.yaml:298:16: editions.overrides[0].blocks.trend: override names unknown block id 'trend' (did you mean 'trends'?)",
        id="override-block-id",
    ),
    pytest.param(
        edit("data/iom_2021.csv", "Global,offices,490\n", "Global,offices,n/a\n"),
        65,
        "data/iom_2021.csv:2: column 'value': 'n/a' is not a number (leave the cell empty if the value is missing)",
        id="data-cell",
    ),
    pytest.param(
        edit(SPEC, "**{{ offices }} offices**", "**{{ offices offices**"),
        65,
        "factsheets/2021.yaml:174:20: pages[1].blocks[0].paragraph.text: line 4 of the text: expected token 'end of print statement', got 'offices'",
        id="template-syntax",
    ),
    pytest.param(
        edit(SPEC, "**{{ offices }} offices**", "**{{ ''.__class__.__mro__ }} offices**"),
        65,
        "factsheets/2021.yaml:174:20: pages[1].blocks[0].paragraph.text: not allowed in a template: access to attribute '__class__' of 'str' object is unsafe.",
        id="template-sandbox",
    ),
    pytest.param(
        edit(SPEC, "https://www.un.org/en/migration2022", "file:///etc/passwd"),
        65,
        "factsheets/2021.yaml:153:20: pages[0].blocks[8].paragraph: link target 'file:///etc/passwd' is not allowed; use an http(s) or mailto: address",
        id="link-file",
    ),
    pytest.param(
        edit(SPEC, "          height: 80mm\n", "          height: 88 miles\n"),
        65,
        "factsheets/2021.yaml:109:19: pages[0].blocks[0].hero.height: '88 miles' is not a length; write it like 45mm, 3.5cm, 1in or 12pt",
        id="length",
    ),
    pytest.param(
        edit(SPEC, "          focus: [0.5, 0.62]\n", "          focus: [2, 0.62]\n"),
        65,
        "factsheets/2021.yaml:107:11: pages[0].blocks[0].hero: focus values must lie between 0 and 1",
        id="focus",
    ),
    pytest.param(
        edit(
            SPEC,
            "          email: migration4development@iom.int\n",
            "          email: not-an-address\n",
        ),
        65,
        "factsheets/2021.yaml:270:18: pages[1].blocks[13].contact.email: 'not-an-address' is not an email address (write it like name@example.org)",
        id="email",
    ),
    pytest.param(
        edit(
            SPEC,
            "          website: https://www.iom.int\n",
            "          website: ftp://www.iom.int\n",
        ),
        65,
        "factsheets/2021.yaml:271:20: pages[1].blocks[13].contact.website: 'ftp://www.iom.int' is not a web address (start it with https:// or http://)",
        id="website",
    ),
    pytest.param(
        edit(
            SPEC,
            '      - heading: "Human mobility in {{ place }}"\n',
            '      - heading: "Human mobility in {{ place }}"\n        paragraph: extra\n',
        ),
        65,
        "factsheets/2021.yaml:118:9: pages[0].blocks[2]: a block names exactly one kind, got heading, paragraph; start a new list item (`- `) for each block",
        id="two-kinds",
    ),
    pytest.param(
        edit(SPEC, "  offices:\n    source: iom\n", "  office-count:\n    source: iom\n"),
        65,
        "factsheets/2021.yaml:35:3: figures: figure name 'office-count' must be letters, digits and underscores (it is used as {{ name }} in text)",
        id="figure-name",
    ),
    pytest.param(
        edit(SPEC, "theme: un-blue\n", "theme: ../un-blue\n"),
        65,
        "factsheets/2021.yaml:20:8: theme: '../un-blue' is not a theme name (use a file name from assets/themes/, without .yaml)",
        id="theme-path",
    ),
    pytest.param(
        edit(
            SPEC,
            "Migration and sustainable development shape",
            "Migration 移民 and sustainable development shape",
        ),
        65,
        "factsheets/2021.yaml:119:20: pages[0].blocks[3].paragraph: the character '移' (U+79FB, cjk unified ideograph-79fb, CJK Unified Ideographs block) is in none of the fonts tried: sans (Lato-Regular) (use another character, or list a font family that has it in the theme's `scripts: {Latn: [...]}` (this edition is in script Latn))",
        id="glyph",
    ),
    pytest.param(
        edit(SPEC, "  subtitle:", "\tsubtitle:"),
        65,
        "factsheets/2021.yaml:10:1: a tab character: YAML indents with spaces only (replace it with spaces; most editors can insert spaces when you press Tab)",
        id="tab-indent",
    ),
    pytest.param(
        edit(
            SPEC,
            "    region: [Global, Africa, Americas, Asia and the Pacific, Europe and Central Asia,\n             Middle East and North Africa]\n",
            "    region: {source: iom, column: regoin}\n",
        ),
        65,
        "factsheets/2021.yaml:279:22: editions.matrix.region.source: unknown column 'regoin' in data/iom_2021.csv (columns: region, indicator, value; did you mean 'region'?)",
        id="matrix-column",
    ),
    pytest.param(
        edit(
            SPEC,
            '        kicker_place: ""\n',
            '        kicker_place: "{{ regoin }}"\n',
        ),
        65,
        "factsheets/2021.yaml:300:23: editions.overrides[0].variables.kicker_place: unknown name 'regoin' in template (did you mean 'region'?)",
        id="variable-name",
    ),
]


@pytest.mark.parametrize(("mutate", "code", "message"), CASES)
def test_bad_input_is_reported_and_nothing_is_lost(
    project: Path, mutate: Callable[[Path], None], code: int, message: str
) -> None:
    output = project / "output" / "2021" / "en" / "global.pdf"
    before = output.read_bytes()
    mutate(project)
    result = CliRunner().invoke(main, BUILD)
    assert result.exit_code == code, result.output
    assert message in result.stderr
    assert result.stderr.startswith("Error: ")
    assert "Traceback" not in result.output
    assert output.read_bytes() == before
    assert sorted(p.name for p in output.parent.iterdir()) == ["global.pdf"]
    assert sorted(p.name for p in (project / "output").iterdir()) == ["2021", "2021.manifest.json"]


def test_overflow_names_block_page_and_amount(project: Path) -> None:
    edit(SPEC, "height: 36mm", "height: 136mm")(project)
    result = CliRunner().invoke(main, BUILD)
    line = result.stderr.strip().splitlines()[0]
    assert line.startswith("Error: factsheets/2021.yaml:")
    assert "pages[1].blocks[" in line
    assert "overflows page 2 by" in line and "pt (" in line and " mm)" in line
    # The hint says what helps: the budget is full, so a new page needs a larger one.
    assert "raise `document.pages`" not in line
    assert "`page_break`" in line and "a new page needs `document.pages: 3`" in line
    # README shows this very line.
    readme = (ROOT / "README.md").read_text().splitlines()
    assert line in readme


def test_several_problems_are_reported_together(project: Path) -> None:
    edit(SPEC, "  subtitle:", "  subtitel:")(project)
    edit(SPEC, "  page_size: A4", "  page_size: A5")(project)
    result = CliRunner().invoke(main, BUILD)
    lines = result.stderr.strip().splitlines()
    assert lines[-1] == "2 problems found."
    assert "subtitel" in lines[0] and "A5" in lines[1]  # sorted by line


def test_success_prints_a_summary(project: Path) -> None:
    result = CliRunner().invoke(main, [*BUILD, "--force"])
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    built = "built       output/2021/en/global.pdf  (region=Global, language=en; 2 pages, "
    assert lines[0].startswith(built)
    # No warning: every page of the demo has room to spare (the fit check, docs/fit.md).
    assert lines[-1].startswith("1 edition: 1 built, 0 up to date, 0 failed, 0 warnings in ")
    again = CliRunner().invoke(main, BUILD)
    first = again.stdout.splitlines()[0]
    assert first == "up to date  output/2021/en/global.pdf  (region=Global, language=en)"


def test_the_table_covers_forty_mistakes() -> None:
    assert len(CASES) >= 40


def test_empty_spec_names_what_is_missing(project: Path) -> None:
    (project / SPEC).write_text("")
    result = CliRunner().invoke(main, ["build", SPEC])
    assert result.exit_code == 65
    assert "missing required key 'document'" in result.stderr


def test_edition_filter_matching_nothing_is_a_usage_error(project: Path) -> None:
    result = CliRunner().invoke(main, ["build", "--edition", "region=Nowhere", SPEC])
    assert result.exit_code == 2
    assert result.stderr == (
        "Error: no edition matches --edition region=Nowhere (see `factsheet list SPEC`)\n"
    )


def test_debug_shows_the_traceback(project: Path) -> None:
    remove("data/ldc_shares.csv")(project)
    result = CliRunner().invoke(main, [*BUILD, "--debug"])
    assert result.exit_code != 0
    assert "data file 'data/ldc_shares.csv' does not exist" in result.output
