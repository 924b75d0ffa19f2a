"""The spec front end: the YAML loader and its source map, validation into the model
with located, user-worded errors, lengths, the JSON schema, and the small helpers that
format locations and suggestions."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import pytest

from factsheet.errors import (
    ErrorGroup,
    FactsheetError,
    MissingInputError,
    SpecError,
    did_you_mean,
)
from factsheet.location import Location, format_key_path
from factsheet.spec.docs import json_schema
from factsheet.spec.loader import MAX_BYTES, load_yaml
from factsheet.spec.model import Spec
from factsheet.spec.units import parse_length
from factsheet.spec.validate import load_spec

REPO = Path(__file__).resolve().parents[1]

MINIMAL = """\
document:
  title: T
  author: A
theme: un-blue
pages:
  - blocks:
      - paragraph: x
"""


@pytest.fixture(autouse=True)
def _in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Run inside tmp_path so locations print as short relative paths."""
    monkeypatch.chdir(tmp_path)


def write(tmp_path: Path, text: str, name: str = "spec.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def spec_error(tmp_path: Path, text: str) -> FactsheetError:
    path = write(tmp_path, text)
    with pytest.raises(FactsheetError) as info:
        load_spec(path)
    return info.value


def where(error: FactsheetError) -> tuple[int | None, int | None, tuple[Any, ...]]:
    assert error.location is not None
    return error.location.line, error.location.column, error.location.key_path


# --- loader: values and source map -----------------------------------------------


SOURCE = """\
document:
  title: Hello
  author: Me
list:
  - one
  - two: 2
"""


def test_loader_values_and_source_map(tmp_path: Path) -> None:
    loaded = load_yaml(write(tmp_path, SOURCE))
    assert loaded.data == {
        "document": {"title": "Hello", "author": "Me"},
        "list": ["one", {"two": 2}],
    }
    values = loaded.source_map.values
    keys = loaded.source_map.keys
    assert values[("document", "title")] == (2, 10)
    assert values[("document", "author")] == (3, 11)
    assert values[("document",)] == (2, 3)
    assert values[("list", 0)] == (5, 5)
    assert values[("list", 1)] == (6, 5)
    assert values[("list", 1, "two")] == (6, 10)
    assert keys[("document",)] == (1, 1)
    assert keys[("document", "title")] == (2, 3)
    assert keys[("document", "author")] == (3, 3)
    assert keys[("list",)] == (4, 1)
    assert keys[("list", 1, "two")] == (6, 5)


def test_source_map_locate_falls_back_to_nearest_ancestor(tmp_path: Path) -> None:
    path = write(tmp_path, SOURCE)
    source_map = load_yaml(path).source_map
    at_value = source_map.locate(("document", "title"))
    assert (at_value.line, at_value.column) == (2, 10)
    at_key = source_map.locate(("document", "title"), at_key=True)
    assert (at_key.line, at_key.column) == (2, 3)
    # Not in the file: the nearest ancestor's place, but the full key path.
    missing = source_map.locate(("document", "subtitle", "x"))
    assert (missing.file, missing.line, missing.column) == (path, 2, 3)
    assert missing.key_path == ("document", "subtitle", "x")
    assert str(missing) == "spec.yaml:2:3: document.subtitle.x"


def test_duplicate_key_names_both_lines(tmp_path: Path) -> None:
    path = write(tmp_path, "document:\n  title: A\n  author: B\n  title: C\n")
    with pytest.raises(SpecError) as info:
        load_yaml(path)
    error = info.value
    assert error.message == "duplicate key 'title' (first given on line 2)"
    assert where(error) == (4, 3, ("document", "title"))
    assert (
        str(error) == "spec.yaml:4:3: document.title: duplicate key 'title' (first given on line 2)"
    )


def test_duplicate_key_spelled_as_number_and_text(tmp_path: Path) -> None:
    with pytest.raises(SpecError, match=r"duplicate key '1' \(first given on line 1\)"):
        load_yaml(write(tmp_path, "1: a\n'1': b\n"))


def test_non_text_key_refused(tmp_path: Path) -> None:
    with pytest.raises(SpecError) as info:
        load_yaml(write(tmp_path, "? [a]\n: 1\n"))
    assert info.value.message == "a key must be a name, not a list"
    assert where(info.value)[:2] == (1, 3)


# --- loader: YAML 1.2 typing -------------------------------------------------------


def test_yaml_12_typing(tmp_path: Path) -> None:
    text = "v: [NO, yes, on, off, y, true, False, null, ~, 12, 1.10, 1e3, .5, 0o17, 0x1F]\n"
    values = load_yaml(write(tmp_path, text)).data["v"]
    assert values[:5] == ["NO", "yes", "on", "off", "y"]
    assert all(type(v) is str for v in values[:5])
    assert values[5] is True
    assert values[6] is False
    assert values[7] is None
    assert values[8] is None
    assert values[9] == 12 and isinstance(values[9], int)
    assert values[10] == 1.1 and values[10].raw == "1.10"
    assert values[11] == 1000.0 and values[11].raw == "1e3"
    assert values[12] == 0.5
    # YAML 1.1 octal/hex spellings are plain text under these rules.
    assert values[13:] == ["0o17", "0x1F"]


def test_numbers_remember_their_text(tmp_path: Path) -> None:
    data = load_yaml(write(tmp_path, "a: 1.10\nb: 007\nc: '1.10'\n")).data
    assert data["a"].raw == "1.10"
    assert data["b"].raw == "007"
    assert type(data["c"]) is str  # quoted: plain text, no raw needed


def test_leading_zero_integers_are_decimal(tmp_path: Path) -> None:
    """YAML 1.2's core schema reads `[-+]?[0-9]+` as a decimal integer: `0755` is 755,
    not YAML 1.1's octal 493, and `08` is 8 rather than a crash."""
    data = load_yaml(write(tmp_path, "a: 0755\nb: 08\nc: 09\nd: -010\n")).data
    assert data == {"a": 755, "b": 8, "c": 9, "d": -10}
    assert data["a"].raw == "0755"


def test_bad_explicit_tags_are_spec_errors(tmp_path: Path) -> None:
    for text, column in (("a: !foo bar\n", 4), ("a: !!int x\n", 4), ("a: !!float x\n", 4)):
        with pytest.raises(SpecError) as info:
            load_yaml(write(tmp_path, text))
        assert info.value.message.startswith("cannot read ")
        assert (info.value.location.line, info.value.location.column) == (1, column)  # type: ignore[union-attr]
    with pytest.raises(SpecError, match=r"cannot read 'bar' as YAML tag '!foo'"):
        load_yaml(write(tmp_path, "a: !foo bar\n"))


def test_numbers_written_for_text_fields_keep_their_text(tmp_path: Path) -> None:
    text = (
        "document:\n  title: 1.10\n  subtitle: 0755\n  author: 2021\n"
        "  keywords: [NO, yes, on]\n  pages: 02\n"
        "theme: un-blue\npages:\n  - blocks:\n      - heading: 2.50\n      - paragraph: 1e3\n"
    )
    spec = load_spec(write(tmp_path, text)).spec
    assert spec.document.title == "1.10"
    assert spec.document.subtitle == "0755"
    assert spec.document.author == "2021"
    assert spec.document.keywords == ("NO", "yes", "on")
    assert spec.document.pages == 2
    blocks = spec.pages[0].blocks
    assert blocks[0].heading is not None and blocks[0].heading.text == "2.50"
    assert blocks[1].paragraph is not None and blocks[1].paragraph.text == "1e3"


# --- loader: safety and errors ----------------------------------------------------


BILLION_LAUGHS = """\
a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]
b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]
c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]
d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]
e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d]
f: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e]
g: &g [*f, *f, *f, *f, *f, *f, *f, *f, *f]
h: &h [*g, *g, *g, *g, *g, *g, *g, *g, *g]
i: &i [*h, *h, *h, *h, *h, *h, *h, *h, *h]
"""


def test_alias_bomb_refused_quickly(tmp_path: Path) -> None:
    path = write(tmp_path, BILLION_LAUGHS)
    started = time.perf_counter()
    with pytest.raises(SpecError) as info:
        load_yaml(path)
    assert time.perf_counter() - started < 10
    assert info.value.message == (
        "the YAML expands to over 200,000 values through its aliases (`*name`), the limit "
        "for a spec or theme"
    )
    assert info.value.exit_code == 65
    assert info.value.location is not None and info.value.location.file == path


def test_modest_aliases_still_work(tmp_path: Path) -> None:
    data = load_yaml(write(tmp_path, "a: &x {k: 1}\nb: *x\nc: [*x, *x]\n")).data
    assert data == {"a": {"k": 1}, "b": {"k": 1}, "c": [{"k": 1}, {"k": 1}]}


@pytest.mark.parametrize(
    ("text", "phrase", "line", "column"),
    [
        ("a: b: c\n", "`: ` inside a text", 1, 5),
        ("a: [1, 2\nb: 3\n", "the `[…]` that opens on line 1 is not closed", 2, 2),
        ("a:\n  - x\n - y\n", "does not line up with the keys", 3, 2),
    ],
)
def test_syntax_error_has_line_and_column(
    tmp_path: Path, text: str, phrase: str, line: int, column: int
) -> None:
    # The parser's own wording never reaches the user: each error says, in plain
    # words, what most likely happened on that line, with a fix as its hint.
    with pytest.raises(SpecError) as info:
        load_yaml(write(tmp_path, text))
    assert phrase in info.value.message and info.value.hint
    assert "parsing" not in str(info.value) and "scanning" not in str(info.value)
    assert where(info.value) == (line, column, ())
    assert str(info.value) == f"spec.yaml:{line}:{column}: {info.value.message} ({info.value.hint})"


def test_missing_file(tmp_path: Path) -> None:
    path = tmp_path / "nope.yaml"
    for load in (load_yaml, load_spec):
        with pytest.raises(MissingInputError) as info:
            load(path)
        assert info.value.exit_code == 66
        assert info.value.message == f"file '{path}' does not exist"


def test_empty_and_comment_only_files_are_empty_mappings(tmp_path: Path) -> None:
    assert load_yaml(write(tmp_path, "")).data == {}
    assert load_yaml(write(tmp_path, "# nothing here\n")).data == {}


def test_byte_order_mark_is_ignored(tmp_path: Path) -> None:
    path = tmp_path / "bom.yaml"
    path.write_bytes(b"\xef\xbb\xbfa: 1\n")
    assert load_yaml(path).data == {"a": 1}


def test_oversized_file_refused(tmp_path: Path) -> None:
    path = tmp_path / "big.yaml"
    path.write_bytes(b"#" * (MAX_BYTES + 1))
    with pytest.raises(SpecError, match=r"^big.yaml: file is larger than 2 MB$"):
        load_yaml(path)


# --- validation -------------------------------------------------------------------


def test_minimal_spec_is_valid(tmp_path: Path) -> None:
    loaded = load_spec(write(tmp_path, MINIMAL))
    assert loaded.spec.document.title == "T"
    assert loaded.spec.document.page_size == "A4"
    assert loaded.spec.pages[0].blocks[0].kind == "paragraph"
    assert loaded.name == "spec"
    assert loaded.root == tmp_path.resolve()


def test_project_root_is_parent_of_factsheets_folder(tmp_path: Path) -> None:
    (tmp_path / "factsheets").mkdir()
    loaded = load_spec(write(tmp_path, MINIMAL, "factsheets/x.yaml"))
    assert loaded.root == tmp_path.resolve()
    assert loaded.name == "x"


def test_unknown_key_with_suggestion_at_the_key(tmp_path: Path) -> None:
    error = spec_error(tmp_path, MINIMAL.replace("  author: A\n", "  author: A\n  titel: U\n"))
    assert type(error) is SpecError
    assert error.message == "unknown key 'titel'"
    assert error.hint == "did you mean 'title'?"
    assert where(error) == (4, 3, ("document", "titel"))
    assert (
        str(error) == "spec.yaml:4:3: document.titel: unknown key 'titel' (did you mean 'title'?)"
    )


def test_unknown_key_without_close_match_lists_allowed_keys(tmp_path: Path) -> None:
    error = spec_error(tmp_path, MINIMAL.replace("  - blocks:", "  - zzzzz: 1\n    blocks:"))
    assert error.message == "unknown key 'zzzzz'"
    assert error.hint == "allowed: template, columns, blocks"
    assert where(error) == (6, 5, ("pages", 0, "zzzzz"))


def test_unknown_block_kind(tmp_path: Path) -> None:
    error = spec_error(tmp_path, MINIMAL.replace("paragraph: x", "headng: x"))
    assert error.message == "unknown block kind 'headng'"
    assert error.hint == "did you mean 'heading'?"
    assert where(error) == (7, 9, ("pages", 0, "blocks", 0, "headng"))


def test_block_with_two_kinds_refused(tmp_path: Path) -> None:
    error = spec_error(
        tmp_path, MINIMAL.replace("paragraph: x", "heading: x\n        paragraph: y")
    )
    assert error.message == (
        "a block names exactly one kind, got heading, paragraph; "
        "start a new list item (`- `) for each block"
    )
    assert where(error) == (7, 9, ("pages", 0, "blocks", 0))


def test_block_written_as_bare_text(tmp_path: Path) -> None:
    error = spec_error(tmp_path, MINIMAL.replace("- paragraph: x", "- paragraph"))
    assert error.message == "a block is written as `- kind: ...`, got the text 'paragraph'"
    assert where(error) == (7, 9, ("pages", 0, "blocks", 0))


def test_wrong_literal_lists_allowed_values(tmp_path: Path) -> None:
    error = spec_error(tmp_path, MINIMAL.replace("  author: A\n", "  author: A\n  page_size: A5\n"))
    assert error.message == "'A5' is not one of 'A4' or 'Letter'"
    assert where(error) == (4, 14, ("document", "page_size"))


def test_wrong_literal_with_close_match_suggests_it(tmp_path: Path) -> None:
    error = spec_error(
        tmp_path, MINIMAL.replace("  author: A\n", "  author: A\n  page_size: Leter\n")
    )
    assert error.message == "'Leter' is not one of 'A4' or 'Letter'"
    assert error.hint == "did you mean 'Letter'?"


def test_missing_required_key(tmp_path: Path) -> None:
    error = spec_error(tmp_path, MINIMAL.replace("  author: A\n", ""))
    assert error.message == "missing required key 'author'"
    assert where(error) == (2, 3, ("document",))
    assert str(error) == "spec.yaml:2:3: document: missing required key 'author'"


def test_empty_file_reports_every_missing_top_level_key(tmp_path: Path) -> None:
    error = spec_error(tmp_path, "")
    assert isinstance(error, ErrorGroup)
    assert [e.message for e in error.errors] == [
        "missing required key 'document'",
        "missing required key 'theme'",
        "missing required key 'pages'",
    ]


def test_several_problems_reported_together_sorted_by_line(tmp_path: Path) -> None:
    # `pages` comes first in the file but after `document` in the model, so pydantic
    # reports the document's problems first; the group must re-sort them by line.
    text = """\
pages:
  - columns: 3
    blocks:
      - headng: x
theme: un-blue
document:
  title: T
  author: A
  page_size: A3
  pages: 0
"""
    error = spec_error(tmp_path, text)
    assert isinstance(error, ErrorGroup)
    assert error.exit_code == 65
    assert error.message == "4 problems"
    assert [(e.location.line, e.location.column) for e in error.errors] == [  # type: ignore[union-attr]
        (2, 14),
        (4, 9),
        (9, 14),
        (10, 10),
    ]
    assert str(error).splitlines() == [
        "spec.yaml:2:14: pages[0].columns: 3 is not one of 1 or 2",
        "spec.yaml:4:9: pages[0].blocks[0].headng: unknown block kind 'headng' "
        "(did you mean 'heading'?)",
        "spec.yaml:9:14: document.page_size: 'A3' is not one of 'A4' or 'Letter'",
        "spec.yaml:10:10: document.pages: `pages` must be at least 1",
    ]


def test_unknown_data_sources_in_figures_and_charts(tmp_path: Path) -> None:
    text = """\
document:
  title: T
  author: A
theme: un-blue
pages:
  - blocks:
      - chart: {type: bar, source: migrnts, x: a, y: b}
data:
  migrants: {file: data/m.csv}
figures:
  total: {source: migrant, column: n, aggregate: sum}
"""
    error = spec_error(tmp_path, text)
    assert isinstance(error, ErrorGroup)
    assert [(e.message, e.hint, where(e)) for e in error.errors] == [
        (
            "unknown data source 'migrnts'",
            "did you mean 'migrants'?",
            (7, 36, ("pages", 0, "blocks", 0, "chart", "source")),
        ),
        (
            "unknown data source 'migrant'",
            "did you mean 'migrants'?",
            (11, 19, ("figures", "total", "source")),
        ),
    ]


def test_unknown_data_source_when_none_declared(tmp_path: Path) -> None:
    error = spec_error(
        tmp_path, MINIMAL.replace("paragraph: x", "chart: {type: bar, source: zzz, x: a, y: b}")
    )
    assert type(error) is SpecError
    assert error.message == "unknown data source 'zzz'"
    assert error.hint == "sources: none declared"


def test_unknown_data_source_without_close_match_lists_sources(tmp_path: Path) -> None:
    text = MINIMAL.replace("paragraph: x", "chart: {type: bar, source: zzz, x: a, y: b}")
    text += "data:\n  alpha: {file: a.csv}\n  beta: {file: b.csv}\n"
    error = spec_error(tmp_path, text)
    assert error.hint == "sources: alpha, beta"


def test_model_validator_messages_are_located(tmp_path: Path) -> None:
    text = MINIMAL + "data:\n  s: {file: s.csv}\nfigures:\n  n: {source: s, aggregate: sum}\n"
    error = spec_error(tmp_path, text)
    assert error.message == "aggregate 'sum' needs a 'column'"
    assert where(error) == (11, 6, ("figures", "n"))


# --- lengths ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("written", "points"),
    [
        ("45mm", 45 * 72 / 25.4),
        ("3cm", 3 * 72 / 2.54),
        ("3.5cm", 3.5 * 72 / 2.54),
        ("1in", 72.0),
        ("12pt", 12.0),
        (" 10 mm ", 10 * 72 / 25.4),
        ("12", 12.0),
        (12, 12.0),
        (7.5, 7.5),
        (0, 0.0),
        ("2000pt", 2000.0),
    ],
)
def test_parse_length(written: Any, points: float) -> None:
    assert parse_length(written) == pytest.approx(points, abs=1e-9)


@pytest.mark.parametrize(
    ("written", "message"),
    [
        ("12px", "'12px' is not a length; write it like 45mm, 3.5cm, 1in or 12pt"),
        ("-5mm", "'-5mm' is not a length; write it like 45mm, 3.5cm, 1in or 12pt"),
        ("mm", "'mm' is not a length; write it like 45mm, 3.5cm, 1in or 12pt"),
        (None, "None is not a length; write it like 45mm, 3.5cm, 1in or 12pt"),
        (True, "a length is a number with a unit, such as 45mm"),
        (-1, "length -1 is out of range (0 to 2000pt)"),
        ("71in", "length '71in' is out of range (0 to 2000pt)"),
        (2000.5, "length 2000.5 is out of range (0 to 2000pt)"),
    ],
)
def test_parse_length_refuses(written: Any, message: str) -> None:
    with pytest.raises(ValueError) as info:
        parse_length(written)
    assert str(info.value) == message


def test_lengths_in_a_spec_become_points(tmp_path: Path) -> None:
    text = MINIMAL.replace(
        "      - paragraph: x\n",
        "      - spacer: 45mm\n      - spacer: 1in\n      - spacer: 12\n"
        "      - chart: {type: bar, source: s, x: a, y: b, height: 3cm}\n",
    )
    text += "data:\n  s: {file: s.csv}\n"
    blocks = load_spec(write(tmp_path, text)).spec.pages[0].blocks
    heights = [b.spacer.height for b in blocks[:3] if b.spacer is not None]
    assert heights == pytest.approx([45 * 72 / 25.4, 72.0, 12.0])
    assert blocks[3].chart is not None
    assert blocks[3].chart.height == pytest.approx(3 * 72 / 2.54)


def test_bad_length_in_a_spec_is_located(tmp_path: Path) -> None:
    error = spec_error(tmp_path, MINIMAL.replace("paragraph: x", "spacer: 12px"))
    assert error.message == "'12px' is not a length; write it like 45mm, 3.5cm, 1in or 12pt"
    assert where(error) == (7, 17, ("pages", 0, "blocks", 0, "spacer", "height"))


# --- schema and the demo ----------------------------------------------------------


def test_json_schema_carries_field_docstrings() -> None:
    schema = json_schema(Spec, by_alias=False)
    assert schema["description"] == "A factsheet spec (format v1)."
    title = schema["$defs"]["Document"]["properties"]["title"]
    assert title["description"] == (
        "Main title, printed in the title band and stored as the PDF title."
    )
    assert title["type"] == "string"
    assert schema["properties"]["document"]["description"] == (
        "Title, metadata, paper size and page budget."
    )
    height = schema["$defs"]["Spacer"]["properties"]["height"]
    assert height["description"] == "How much space."
    assert {"type": "number", "minimum": 0} in height["anyOf"]
    assert schema["additionalProperties"] is False


def test_demo_spec_loads() -> None:
    loaded = load_spec(REPO / "factsheets" / "2021.yaml")
    assert len(loaded.spec.pages) == 2
    assert loaded.spec.document.pages == 2
    assert loaded.spec.document.year == 2021
    assert [p.template for p in loaded.spec.pages] == ["cover", "body"]
    assert loaded.spec.pages[0].blocks[0].kind == "hero"
    assert loaded.root == REPO


# --- helpers ----------------------------------------------------------------------


def test_did_you_mean() -> None:
    assert did_you_mean("titel", ["title", "author"]) == "did you mean 'title'?"
    assert did_you_mean("shar", iter(["share", "sum"])) == "did you mean 'share'?"
    assert did_you_mean("zzz", ["title", "author"]) == ""
    assert did_you_mean("title", []) == ""


def test_format_key_path() -> None:
    assert format_key_path(("pages", 1, "blocks", 3, "chart", "y")) == "pages[1].blocks[3].chart.y"
    assert format_key_path(("document",)) == "document"
    assert format_key_path((0, "a")) == "[0].a"
    assert format_key_path(()) == ""


def test_location_str(tmp_path: Path) -> None:
    inside = tmp_path / "spec.yaml"  # cwd is tmp_path: shown relative
    assert str(Location()) == ""
    assert str(Location(inside)) == "spec.yaml"
    assert str(Location(inside, 3)) == "spec.yaml:3"
    assert str(Location(inside, 3, 5)) == "spec.yaml:3:5"
    assert str(Location(inside, None, 5)) == "spec.yaml"
    assert str(Location(inside, 3, 5, ("a", 0, "b"))) == "spec.yaml:3:5: a[0].b"
    assert str(Location(key_path=("pages", 0))) == "pages[0]"
    outside = Path("/elsewhere/x.yaml")
    assert str(Location(outside, 1, 2)) == "/elsewhere/x.yaml:1:2"
    assert Location(inside, 3).with_key_path(("k",)) == Location(inside, 3, None, ("k",))


def test_error_str_and_located(tmp_path: Path) -> None:
    error = SpecError("bad", hint="fix it")
    assert str(error) == "bad (fix it)"
    error.located(Location(key_path=("a",)))
    assert str(error) == "a: bad (fix it)"
    # A location with a file is more precise than one without: it replaces it...
    error.located(Location(tmp_path / "s.yaml", 2, 1, ("a",)))
    assert str(error) == "s.yaml:2:1: a: bad (fix it)"
    # ...but once a file is known, a later location does not override it.
    error.located(Location(tmp_path / "other.yaml", 9, 9))
    assert str(error) == "s.yaml:2:1: a: bad (fix it)"


def test_merge_keys_share_settings_and_local_keys_override(tmp_path: Path) -> None:
    path = write(tmp_path, "base: &b {a: 1, b: 2}\nc:\n  <<: *b\n  b: 3\n")
    assert load_yaml(path).data == {"base": {"a": 1, "b": 2}, "c": {"a": 1, "b": 3}}


def test_duplicate_key_next_to_a_merge_is_still_refused(tmp_path: Path) -> None:
    path = write(tmp_path, "base: &b {a: 1}\nc:\n  <<: *b\n  b: 3\n  b: 4\n")
    with pytest.raises(SpecError, match=r"duplicate key 'b' \(first given on line 4\)"):
        load_yaml(path)
