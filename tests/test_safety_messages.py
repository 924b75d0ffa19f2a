"""Every failure is a message, and messages are safe: a damaged font, deep YAML, control
characters, a theme linked out of the project, a `reportlab_settings.py` in the project,
repeated errors across editions, pydantic's own wording, bad number cells, impossible
page geometry, bad colours, a spec that is not UTF-8 or not a file. Each case goes
through the CLI and asserts the exit code, a located one-line message, and no
traceback."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from click.testing import CliRunner

from factsheet.cli import main
from factsheet.report import PlainReporter, _editions
from tests.projects import ROOT, make_project

SPEC = """\
document: {title: Checked, author: Test Org, year: 2024, pages: 1}
theme: un-blue
data:
  numbers: {file: data/numbers.csv}
figures:
  total: {source: numbers, column: value, aggregate: sum}
pages:
  - blocks:
      - heading: Totals
      - paragraph: "The total is {{ total }}."
"""
THEME = ROOT / "assets" / "themes" / "un-blue.yaml"


@pytest.fixture
def project(tmp_path: Path) -> Iterator[Path]:
    root = make_project(tmp_path / "p", {"numbers.csv": "label,value\na,1\nb,2\n"})
    old = Path.cwd()
    os.chdir(root)
    try:
        yield root
    finally:
        os.chdir(old)


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.output  # standard output and error, interleaved


def spec(root: Path, text: str = SPEC, name: str = "s.yaml") -> str:
    (root / "factsheets" / name).write_text(text)
    return f"factsheets/{name}"


def theme(root: Path, name: str, old: str, new: str) -> str:
    text = THEME.read_text()
    assert old in text
    (root / "assets" / "themes" / f"{name}.yaml").write_text(text.replace(old, new, 1))
    return spec(root, SPEC.replace("theme: un-blue", f"theme: {name}"), f"{name}.yaml")


def clean(output: str) -> None:
    assert "Traceback" not in output
    assert "\x1b" not in output and "\x07" not in output and "\u202e" not in output


# --- 1. damaged fonts -----------------------------------------------------------------

LIGHT = ROOT / "assets" / "fonts" / "lato" / "Lato-Light.ttf"


@pytest.mark.parametrize(
    ("content", "why"),
    [
        (lambda: LIGHT.read_bytes()[:2000], "cut short"),
        (lambda: LIGHT.read_bytes()[:600_000], "runs past the end of the file"),
        (lambda: b"", "the file is empty"),
        (lambda: bytes(range(256)) * 20, "does not start as a font file does"),
    ],
    ids=["truncated-2k", "truncated-tail", "zero-bytes", "random-bytes"],
)
def test_a_damaged_font_is_an_error_at_the_themes_line(
    project: Path, content: Any, why: str, request: pytest.FixtureRequest
) -> None:
    stem = "Bad" + re.sub(r"\W", "", request.node.callspec.id)  # fonts register by stem
    (project / "assets" / "fonts" / f"{stem}.ttf").write_bytes(content())
    path = theme(project, "broken", "fonts/lato/Lato-Light.ttf", f"fonts/{stem}.ttf")
    for command in ("check", "build"):
        code, out = run(command, path)
        clean(out)
        assert code == 65, out
        assert (
            f"Error: assets/themes/broken.yaml:25:14: fonts.light.regular: font file "
            f"'{stem}.ttf' is damaged or not a TrueType font" in out
        )
        assert why in out


# --- 2. deep nesting --------------------------------------------------------------------


@pytest.mark.parametrize(
    "deep",
    [
        "extra: " + "[" * 500 + "]" * 500 + "\n",
        "extra:\n" + "".join("  " * (i + 1) + "k:\n" for i in range(500)) + "  " * 501 + "1\n",
    ],
    ids=["flow", "block"],
)
def test_deep_nesting_is_a_located_error_in_build_check_and_list(project: Path, deep: str) -> None:
    path = spec(project, SPEC + deep)
    for command in ("build", "check", "list"):
        code, out = run(command, path)
        clean(out)
        assert code == 65, out
        assert re.search(r"factsheets/s\.yaml:(11|75):\d+: the YAML nests more than 64", out), out


def test_deep_nesting_in_a_theme_is_located(project: Path) -> None:
    path = theme(project, "deep", "name: UN blue", "name: UN blue\nx: " + "[" * 300 + "]" * 300)
    code, out = run("check", path)
    clean(out)
    assert code == 65
    assert "assets/themes/deep.yaml:5:" in out and "nests more than 64 levels" in out


# --- 3. control characters --------------------------------------------------------------


@pytest.mark.parametrize(
    ("written", "code_point"),
    [("\\e[31m", "U+001B"), ("\\a", "U+0007"), ("\\0", "U+0000"), ("\\u202e", "U+202E"),
     ("\\u2066", "U+2066"), ("\\x85", "U+0085")],
)  # fmt: skip
def test_control_characters_in_spec_text_are_refused_where_written(
    project: Path, written: str, code_point: str
) -> None:
    text = SPEC.replace("title: Checked", f'title: "Che{written}cked"')
    for command in ("build", "check", "list"):
        code, out = run(command, spec(project, text))
        clean(out)
        assert code == 65
        assert (
            "factsheets/s.yaml:1:19: document.title: the text holds the control character "
            f"{code_point}" in out
        )
    assert not (project / "output").exists()


def test_a_raw_bidi_override_is_pointed_at_exactly(project: Path) -> None:
    text = SPEC.replace(
        "      - heading: Totals", "      - heading: |\n          ok\n          ab\u202ecd"
    )
    code, out = run("check", spec(project, text))
    clean(out)
    assert code == 65
    assert "factsheets/s.yaml:11:13: pages[0].blocks[0].heading: the text holds the control " in out


def test_control_characters_in_data_are_refused_with_their_line(project: Path) -> None:
    (project / "data" / "numbers.csv").write_text("label,value\na,1\nb\x1b]0;pwn\x07,2\n")
    code, out = run("build", spec(project))
    clean(out)
    assert code == 65
    assert "Error: data/numbers.csv:3: column 'label': the cell holds the control character " in out


def test_every_line_the_cli_prints_shows_control_characters_escaped(project: Path) -> None:
    # A file name is not refused anywhere: it reaches progress lines and errors as is.
    name = "a\x1b[2J\u202eb.yaml"
    path = spec(project, SPEC.replace("{{ total }}", "{{ nope }}"), name)
    for command in ("build", "check", "list"):
        code, out = run(command, path)
        clean(out)
        assert "a\\x1b[2J\\u202eb" in out
    code, out = run("build", "factsheets/missing\x07.yaml")
    clean(out)
    assert code == 66 and "missing\\x07.yaml" in out
    code, out = run("build", "--edition", "x\x1b", path)
    clean(out)
    assert code == 2


def test_escape_controls_keeps_text_and_escapes_controls() -> None:
    from factsheet.security import escape_controls

    assert escape_controls("plain, café — 地图\tand\nmore") == "plain, café — 地图\tand\nmore"
    assert escape_controls("a\x1b[31mb\x07\x00\x9b\u202e\u2069\r\u2028") == (
        "a\\x1b[31mb\\x07\\x00\\x9b\\u202e\\u2069\\x0d\\u2028"
    )


def test_the_plain_reporter_escapes_what_it_prints(capsys: pytest.CaptureFixture[str]) -> None:
    reporter = PlainReporter(sys.stdout, sys.stderr)
    reporter.out.write("built x\x1b[2J\n")
    assert capsys.readouterr().out == "built x\\x1b[2J\n"


# --- 4. a theme linked out of the project -------------------------------------------------


def test_a_theme_linked_outside_the_project_is_refused_unread(
    project: Path, tmp_path: Path
) -> None:
    outside = tmp_path / "secret.yaml"
    outside.write_text("name: SECRET-VALUE\ncolours: {primary: SECRET-COLOUR}\nfonts: {}\n")
    (project / "assets" / "themes" / "linked.yaml").symlink_to(outside)
    code, out = run("check", spec(project, SPEC.replace("un-blue", "linked")))
    clean(out)
    assert code == 65
    assert "factsheets/s.yaml:2:8: theme: path 'assets/themes/linked.yaml' leads outside" in out
    assert "SECRET" not in out


# --- 5. nothing from the project is imported ---------------------------------------------

MARKER_MODULE = "import pathlib\npathlib.Path('IMPORTED').write_text('x')\n"


@pytest.mark.parametrize("how", ["python -m factsheet", "console script"])
def test_a_reportlab_settings_file_in_the_project_is_never_imported(
    project: Path, how: str
) -> None:
    spec(project)
    (project / "reportlab_settings.py").write_text(MARKER_MODULE)
    import factsheet

    source = str(Path(factsheet.__file__).resolve().parents[1])  # the code under test
    if how == "python -m factsheet":  # `-m` puts the working directory first on the path
        command = [sys.executable, "-m", "factsheet", "build", "factsheets/s.yaml"]
        env = {**os.environ, "PYTHONPATH": source}
    else:  # a user's PYTHONPATH may name the working directory
        script = Path(sys.executable).with_name("factsheet")
        if not script.exists():
            pytest.skip("the console script is not installed next to this Python")
        command = [str(script), "build", "factsheets/s.yaml"]
        env = {**os.environ, "PYTHONPATH": os.pathsep.join((source, "."))}
    result = subprocess.run(command, cwd=project, env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert (project / "output" / "s.pdf").exists()
    assert not (project / "IMPORTED").exists()


# --- 6. one line per problem, however many editions ----------------------------------------


def _outcome(label: str) -> Any:
    return SimpleNamespace(job=SimpleNamespace(label=label, spec_path=Path("s.yaml")))


def test_an_error_in_most_of_10000_editions_is_one_short_line() -> None:
    outcomes = [_outcome(f"n=e{i}") for i in range(10_000)]
    per_spec = {Path("s.yaml"): 10_000}
    assert _editions(outcomes, per_spec) == "  [all 10,000 editions]"
    some = _editions(outcomes[:9_999], per_spec)
    assert some == "  [9,999 of 10,000 editions: n=e0; n=e1; n=e2; n=e3; n=e4; …]"
    assert _editions(outcomes[:3], per_spec) == "  [editions n=e0; n=e1; n=e2]"


# --- 7. pydantic's wording never reaches the user ------------------------------------------

JARGON = re.compile(
    r"union\[|instance of|list\[|dict\[|tuple\[|Input should|type=|For further information"
    r"|function-|model_type|NoneType|pydantic"
)
WRONG: list[Any] = [[[1]], {"zz": {"yy": 1}}, [{"a": 1}], 3.5, True, None, "text"]


def _paths(node: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    yield path
    items = (
        node.items()
        if isinstance(node, dict)
        else enumerate(node)
        if isinstance(node, list)
        else ()
    )
    for key, value in items:
        yield from _paths(value, (*path, key))


def _replaced(data: Any, path: tuple[Any, ...], value: Any) -> Any:
    if not path:
        return value
    copy = dict(data) if isinstance(data, dict) else list(data)
    copy[path[0]] = _replaced(data[path[0]], path[1:], value)
    return copy


@pytest.mark.parametrize("name", ["2021.yaml", "showcase.yaml"])
def test_no_pydantic_wording_for_a_wrong_type_anywhere(name: str) -> None:
    from factsheet.errors import ErrorGroup, FactsheetError
    from factsheet.spec.editions import Editions
    from factsheet.spec.loader import load_yaml
    from factsheet.spec.model import Spec
    from factsheet.spec.validate import validate

    loaded = load_yaml(ROOT / "factsheets" / name)
    leaks = set()
    sections: list[tuple[Any, Any, tuple[str, ...]]] = [
        (Spec, {k: v for k, v in loaded.data.items() if k != "editions"}, ())
    ]
    if "editions" in loaded.data:
        sections.append((Editions, loaded.data["editions"], ("editions",)))
    for model, data, prefix in sections:
        for path in list(_paths(data))[1:]:
            for wrong in WRONG:
                try:
                    validate(model, _replaced(data, path, wrong), loaded.source_map, prefix)
                except FactsheetError as exc:
                    for problem in exc.errors if isinstance(exc, ErrorGroup) else [exc]:
                        if JARGON.search(str(problem)):
                            leaks.add(str(problem))
    assert sorted(leaks) == []


# --- 8. number columns --------------------------------------------------------------------


def test_a_header_only_csv_says_it_has_no_data_rows(project: Path) -> None:
    (project / "data" / "numbers.csv").write_text("label,value\n")
    code, out = run("check", spec(project))
    clean(out)
    assert code == 65
    assert "figures.total: data/numbers.csv has no data rows, only a header" in out


def test_a_text_cell_in_a_weight_column_is_named_with_its_line(project: Path) -> None:
    (project / "data" / "numbers.csv").write_text("label,value,w\na,1,1\nb,2,x\n")
    text = SPEC.replace(
        "  numbers: {file: data/numbers.csv}\n",
        "  numbers: {file: data/numbers.csv}\n"
        "  d: {from: numbers, aggregate: {m: {mean: value, weight: w}}}\n",
    ).replace("{source: numbers, column: value, aggregate: sum}", "{source: d, column: m}")
    code, out = run("check", spec(project, text))
    clean(out)
    assert code == 65
    assert "data.d.aggregate.m.weight: column 'w' holds text, not numbers (data/numbers.csv " in out
    assert "line 3: 'x')" in out


# --- 9 and 10. theme geometry and colours ----------------------------------------------------


@pytest.mark.parametrize(
    ("old", "new", "where"),
    [
        ("  margin_left: 15mm", "  margin_left: 170mm", "page.margin_left: the left and right"),
        ("  margin_top: 14mm", "  margin_top: 280mm", "page.margin_top: the top and bottom"),
        ("  column_gap: 7mm", "  column_gap: 150mm", "page.column_gap: a column gap of 150 mm"),
        ("padding: 4.5mm}", "padding: 60mm}", "blocks.callout.padding: a padding of 60 mm"),
    ],
)
def test_theme_geometry_that_leaves_no_room_is_an_error_at_the_themes_line(
    project: Path, old: str, new: str, where: str
) -> None:
    path = theme(project, "wide", old, new)
    code, out = run("build", path)
    clean(out)
    assert code == 65, out
    line = next(n for n, text in enumerate(THEME.read_text().splitlines(), 1) if old in text)
    assert re.search(rf"Error: assets/themes/wide\.yaml:{line}:\d+: {re.escape(where)}", out), out
    assert "overflows" not in out


def test_every_bad_colour_is_reported_at_its_own_line(project: Path) -> None:
    text = (
        THEME.read_text()
        .replace('tint: "#E9F0F9"', 'tint: "#E9F0F"')
        .replace('muted: "#5B6B7D"', "muted: blue")
        .replace('rule: "#C8D5E6"', 'rule: "#GGGGGG"')
    )
    (project / "assets" / "themes" / "colours.yaml").write_text(text)
    code, out = run("check", spec(project, SPEC.replace("un-blue", "colours")))
    clean(out)
    assert code == 65
    for line, name in ((9, "tint"), (11, "muted"), (12, "rule")):
        assert f"assets/themes/colours.yaml:{line}:" in out
        assert f"colours.{name}: colour '{name}' must be written #rrggbb" in out


# --- 11. small things -------------------------------------------------------------------------


def test_a_spec_that_is_not_utf8_names_its_byte_and_line(project: Path) -> None:
    (project / "factsheets" / "latin.yaml").write_bytes(SPEC.encode().replace(b"Totals", b"T\xe9"))
    code, out = run("check", "factsheets/latin.yaml")
    clean(out)
    assert code == 65
    offset = SPEC.index("Totals") + 1
    assert f"factsheets/latin.yaml:9:19: the file is not UTF-8 text: byte {offset} (0xE9)" in out


def test_a_theme_that_is_not_utf8_is_located(project: Path) -> None:
    data = THEME.read_bytes().replace(b"UN blue", b"UN bl\xfcue", 1)
    (project / "assets" / "themes" / "latin.yaml").write_bytes(data)
    code, out = run("check", spec(project, SPEC.replace("un-blue", "latin")))
    clean(out)
    assert code == 65
    assert "assets/themes/latin.yaml:4:12: the file is not UTF-8 text: byte " in out


@pytest.mark.parametrize(("given", "what"), [("/dev/null", "a device"), ("factsheets", "a folder")])
def test_a_spec_that_is_not_a_regular_file_says_so(project: Path, given: str, what: str) -> None:
    for command in ("build", "check", "list"):
        code, out = run(command, given)
        clean(out)
        assert code == 66
        assert f"this is not a regular file (it is {what}" in out
        assert "does not exist" not in out


@pytest.mark.parametrize(
    ("tagged", "what"),
    [("!!python/tuple [1, 2]", "list"), ("!!python/object:os.system {}", "mapping"),
     ("!!set {a: null}", "mapping")],
)  # fmt: skip
def test_a_python_tag_on_a_list_or_mapping_is_an_error(
    project: Path, tagged: str, what: str
) -> None:
    code, out = run("check", spec(project, SPEC + f"extra: {tagged}\n"))
    clean(out)
    assert code == 65
    assert "factsheets/s.yaml:11:8: extra: the YAML tag '" in out
    assert f"is not allowed on a {what}" in out


# --- 12. found by a red-team run -----------------------------------------------------------


def test_a_colour_of_the_wrong_type_does_not_hide_the_other_bad_colours(project: Path) -> None:
    text = (
        THEME.read_text()
        .replace('primary: "#0033A0"', 'primary: "#0033AZ"')
        .replace('accent: "#5B9BD5"', "accent: blue")
        .replace('tint: "#E9F0F9"', 'tint: "#E9F"')
        .replace('muted: "#5B6B7D"', "muted: 12")
        .replace('rule: "#C8D5E6"', "rule: #C8D5E6")  # unquoted: a YAML comment
    )
    (project / "assets" / "themes" / "mixed.yaml").write_text(text)
    code, out = run("check", spec(project, SPEC.replace("un-blue", "mixed")))
    clean(out)
    assert code == 65
    for line, name, got in (
        (7, "primary", "'#0033AZ'"),
        (8, "accent", "'blue'"),
        (9, "tint", "'#E9F'"),
        (11, "muted", "the number 12"),
        (12, "rule", "nothing"),
    ):
        assert re.search(
            rf"Error: assets/themes/mixed\.yaml:{line}:\d+: colours\.{name}: colour '{name}' "
            rf"must be written #rrggbb, got {re.escape(got)}",
            out,
        ), out
    assert 'write it in quotes, such as "#0033A0"' in out  # for the number and the comment
    assert "must be text" not in out  # each colour once, in the same words
    assert "5 problems found." in out


@pytest.mark.parametrize(
    ("content", "line", "where"),
    [
        (b"label,value\na,1\nA\x00B,2\n", 3, "column 'label': the cell"),
        (b"label,value\na,1\nb,2\x00\n", 3, "column 'value': the cell"),
        (b'label,value\n"a\x00",1\n', 2, "the cell"),
        (b"lab\x00el,value\na,1\n", 1, "a column name"),
    ],
    ids=["label", "value", "quoted", "header"],
)
def test_a_nul_byte_in_a_csv_is_located_like_other_control_characters(
    project: Path, content: bytes, line: int, where: str
) -> None:
    (project / "data" / "numbers.csv").write_bytes(content)
    code, out = run("check", spec(project))
    clean(out)
    assert code == 65
    assert (
        f"Error: data/numbers.csv:{line}: {where} holds the control character U+0000 (a NUL byte)"
        in out
    ), out
    assert "not a text file" not in out


def test_a_csv_full_of_nul_bytes_is_not_a_text_file_with_a_line(project: Path) -> None:
    (project / "data" / "numbers.csv").write_bytes("label,value\na,1\n".encode("utf-16-le"))
    code, out = run("check", spec(project))
    clean(out)
    assert code == 65
    assert (
        "Error: data/numbers.csv:1: data file 'data/numbers.csv' is not a text file: it is full "
        "of NUL bytes (U+0000), the first on line 1 (save it as 'CSV UTF-8')" in out
    )


def test_a_font_path_that_is_a_folder_says_so(project: Path) -> None:
    path = theme(project, "folder", "fonts/lato/Lato-Light.ttf", "fonts/lato")
    code, out = run("check", path)
    clean(out)
    assert code == 66
    assert (
        "Error: assets/themes/folder.yaml:25:14: fonts.light.regular: path 'fonts/lato' is a "
        "folder, not a font file (name a file inside it, such as 'fonts/lato/" in out
    )
    assert "does not exist" not in out


def test_an_image_path_that_is_a_folder_says_so(project: Path) -> None:
    text = SPEC.replace("      - heading: Totals\n", "      - image: {file: assets/logos}\n")
    code, out = run("check", spec(project, text))
    clean(out)
    assert code == 66
    assert "pages[0].blocks[0].image: path 'assets/logos' is a folder, not an image file" in out
    assert "does not exist" not in out


EDITIONS = """\
editions:
  matrix: {part: [a, b, c, d, e, f]}
  output: "output/{part}.pdf"
  overrides:
    - when: {part: f}
      document: {pages: 0}
"""


def test_the_summary_counts_every_edition_and_how_each_ended(project: Path) -> None:
    path = spec(project, SPEC + EDITIONS)
    code, out = run("check", "--jobs", "1", path)
    clean(out)
    assert code == 65
    assert re.search(r"^6 editions checked: 5 passed, 1 failed, \d+ warnings in ", out, re.M), out
    code, out = run("build", "--jobs", "1", path)
    assert code == 65
    assert re.search(r"^6 editions: 5 built, 0 up to date, 1 failed, \d+ warnings in ", out, re.M)
    code, out = run("build", "--jobs", "1", path)
    assert re.search(r"^6 editions: 0 built, 5 up to date, 1 failed, \d+ warnings in ", out, re.M)


def test_the_summary_says_edition_for_one(project: Path) -> None:
    code, out = run("check", spec(project))
    assert code == 0
    assert re.search(r"^1 edition checked: 1 passed, 0 failed, \d+ warnings? in ", out, re.M), out


def test_a_long_list_without_aliases_is_not_blamed_on_aliases(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from factsheet.spec import loader

    monkeypatch.setattr(loader, "MAX_NODES", 1_000)  # the real limit, 200,000, is slow to hit
    code, out = run("check", spec(project, SPEC + "extra:\n" + "- 1\n" * 2_000))
    clean(out)
    assert code == 65
    assert "the file holds over 1,000 values, the limit for a spec or theme" in out
    assert "alias" not in out


def test_aliases_that_multiply_are_still_named(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from factsheet.spec import loader

    monkeypatch.setattr(loader, "MAX_NODES", 1_000)
    laughs = "a: &a [1, 1, 1, 1, 1, 1, 1, 1, 1, 1]\n" + "".join(
        f"{n}: &{n} [{', '.join([f'*{p}'] * 10)}]\n" for p, n in zip("abc", "bcd", strict=True)
    )
    code, out = run("check", spec(project, SPEC + "extra:\n" + "".join(
        "  " + line for line in laughs.splitlines(keepends=True)
    )))  # fmt: skip
    clean(out)
    assert code == 65
    assert "the YAML expands to over 1,000 values through its aliases (`*name`)" in out


def test_every_size_limit_in_the_code_is_in_the_table_of_limits() -> None:
    from factsheet.data.reshape import MAX_ROWS
    from factsheet.images import MAX_PIXELS
    from factsheet.output import MAX_NAME_BYTES
    from factsheet.spec.loader import MAX_BYTES, MAX_DEPTH, MAX_NODES

    text = (ROOT / "docs" / "limits.md").read_text()
    table = text.split("\n## ", 1)[0]
    for needle in (
        f"| {MAX_BYTES // 1_000_000} MB ({MAX_BYTES:,} bytes) |",
        f"| {MAX_NODES:,} |",
        f"| {MAX_DEPTH} levels |",
        f"| {MAX_ROWS:,} |",
        f"| {MAX_PIXELS:,} ",
        f"| {MAX_NAME_BYTES} bytes",
        "| Size of a font file | 30 MB |",
        "| Size of an SVG file | 5 MB |",
    ):
        assert needle in table, needle
