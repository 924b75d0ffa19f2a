"""The build cache: a build from the cache gives the same bytes as one without it, skips
matplotlib and parsing data files, notices every changed input, survives damaged or unwritable
entries, never runs what it reads, and is pruned least recently used first."""

from __future__ import annotations

import json
import math
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from factsheet import cache
from factsheet.data.rows import Rows, cell_key
from factsheet.data.sources import decode_table, encode_table
from factsheet.render.recording import Recording
from tests.projects import make_project

ROOT = Path(__file__).resolve().parents[1]

SPEC = """\
document: {title: Cache test, author: Test Org, year: 2024, pages: 1}
theme: un-blue
data:
  numbers: {file: data/numbers.csv}
figures:
  total: {source: numbers, column: value, aggregate: sum}
pages:
  - blocks:
      - heading: "Total {{ total }}"
      - paragraph: "{{ 'Internationally comparable, disaggregated information. ' * 12 }}"
      - chart: {type: bar, source: numbers, x: label, y: value, height: 40mm,
                title: Values}
"""

# A new process each time: what the cache is for. Prints the exit code, and whether
# matplotlib and the data file parser (imported only to parse a file) were imported,
# and pandas (never: files are read without it). Charts are drawn in this process, not
# by the chart helper (charts.sidecar), so that importing matplotlib shows a chart drawn.
SCRIPT = """\
import sys
import factsheet.charts.sidecar as sidecar
sidecar.worthwhile = lambda: False
from factsheet.cli import main
try:
    main(['build', 'factsheets/cache.yaml', '--force', '--jobs', '1'])
except SystemExit as done:
    print(done.code, 'matplotlib' in sys.modules, 'factsheet.data.parsing' in sys.modules,
          'pandas' in sys.modules)
"""


@pytest.fixture
def project(tmp_path: Path) -> Path:
    data = {"numbers.csv": "label,value\nA,1\nB,2\nC,3\n"}
    return make_project(tmp_path / "project", data, {"cache.yaml": SPEC})


def build(project: Path, cache_dir: Path | None) -> tuple[bytes, list[str]]:
    env = dict(os.environ)
    if cache_dir is None:
        env["FACTSHEET_CACHE"] = "off"
    else:
        env["FACTSHEET_CACHE_DIR"] = str(cache_dir)
    run = subprocess.run(
        [sys.executable, "-c", SCRIPT], cwd=project, capture_output=True, text=True, env=env
    )
    assert run.returncode == 0, run.stderr
    *flags, pandas = run.stdout.split()[-4:]
    assert pandas == "False"  # not even for a file that is parsed
    return (project / "output" / "cache.pdf").read_bytes(), flags


def test_a_cached_build_is_byte_identical_and_skips_matplotlib_and_parsing(
    project: Path, tmp_path: Path
) -> None:
    store = tmp_path / "store"
    uncached, flags = build(project, None)
    assert flags == ["0", "True", "True"]
    first, flags = build(project, store)
    assert first == uncached
    assert flags == ["0", "True", "True"]  # empty cache: everything made
    kinds = {p.name for p in store.iterdir() if p.is_dir()}
    assert {"charts", "tables", "hyphenation"} <= kinds
    second, flags = build(project, store)
    assert second == uncached
    assert flags == ["0", "False", "False"]  # neither the chart nor the table made again


def test_changed_inputs_are_never_served_from_the_cache(project: Path, tmp_path: Path) -> None:
    store = tmp_path / "store"
    before, _ = build(project, store)
    (project / "data" / "numbers.csv").write_text("label,value\nA,1\nB,2\nC,30\n")
    after, flags = build(project, store)
    assert flags[1:] == ["True", "True"]  # the table and its chart are made again
    assert after == build(project, None)[0]
    assert after != before


def test_damaged_entries_are_ignored(project: Path, tmp_path: Path) -> None:
    store = tmp_path / "store"
    good, _ = build(project, store)
    for entry in store.glob("*/*"):
        entry.write_bytes(b"\x00garbage")
    again, flags = build(project, store)
    assert again == good
    assert flags[1:] == ["True", "True"]


def test_an_unusable_cache_only_costs_time(project: Path, tmp_path: Path) -> None:
    store = tmp_path / "store"
    store.write_text("a file where the cache folder should be")  # fails even for root
    built, _ = build(project, store)
    assert built == build(project, None)[0]


def test_store_writes_atomically_and_reads_back(tmp_path: Path) -> None:
    store = cache.Store(tmp_path / "c")
    key = cache.key("charts", "some chart")
    assert store.read("charts", key) is None
    store.write("charts", key, b"data")
    assert store.read("charts", key) == b"data"
    assert (tmp_path / "c" / "CACHEDIR.TAG").read_text().startswith("Signature: 8a477f59")
    assert (tmp_path / "c" / ".gitignore").read_text() == "*\n"
    assert not list((tmp_path / "c" / "charts").glob(".tmp-*"))


def test_prune_removes_least_recently_used_first_and_only_its_own(tmp_path: Path) -> None:
    store = cache.Store(tmp_path / "c")
    keys = [cache.key("charts", n) for n in ("old", "mid", "new")]
    for i, key in enumerate(keys):
        store.write("charts", key, b"x" * 100)
        os.utime(tmp_path / "c" / "charts" / key, (1000 + i, 1000 + i))
    foreign = [tmp_path / "c" / "notes.txt", tmp_path / "c" / "charts" / "mine.txt"]
    for path in foreign:
        path.write_bytes(b"y" * 1000)
        os.utime(path, (1, 1))  # older than every entry
    store.read("charts", keys[0])  # reading makes it recent
    assert store.prune(max_bytes=200) == 1
    assert sorted(p.name for p in (tmp_path / "c" / "charts").glob("[0-9a-f]*")) == sorted(
        [keys[0], keys[2]]
    )
    assert all(path.exists() for path in foreign)


def test_keys_change_with_every_part() -> None:
    assert cache.key("chart", 1, "a") == cache.key("chart", 1, "a")
    assert cache.key("chart", 1, "a") != cache.key("chart", 1, "b")
    assert cache.key("chart", 1, "a") != cache.key("table", 1, "a")
    assert cache.key("chart", "ab", "c") != cache.key("chart", "a", "bc")


def test_caching_can_be_turned_off(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("FACTSHEET_CACHE", "off")
    assert cache.store_for(tmp_path) is None
    monkeypatch.delenv("FACTSHEET_CACHE")
    monkeypatch.delenv("FACTSHEET_CACHE_DIR", raising=False)
    found = cache.store_for(tmp_path)
    assert found is not None and found.folder == tmp_path / ".factsheet-cache"


def test_tables_round_trip_exactly() -> None:
    rows = Rows.of(
        {
            "name": np.array(["Namibia", "", "Ça\x00va"], dtype=object),
            "n": [1.5, math.nan, 1e300],
            "day": np.array(["2020-02-29", "NaT", "1999-12-31"], dtype="datetime64[ns]"),
        },
        [0, 3, 4],
    )
    types = {"name": "text", "n": "number", "day": "date"}
    back, back_types = decode_table(encode_table(rows, types))  # type: ignore[arg-type]
    assert back_types == types
    assert back.lines() == rows.lines()
    for name in rows.names:
        assert list(map(cell_key, back[name])) == list(map(cell_key, rows[name]))
        assert back[name].dtype == rows[name].dtype


def test_recordings_round_trip_and_refuse_other_calls() -> None:
    from reportlab.pdfgen.pathobject import PDFPathObject

    path = PDFPathObject()
    path.moveTo(0, 0)
    path.lineTo(10, 5.5)
    recording = Recording(
        (
            ("setFillColorRGB", (0.1, 0.2, 0.3), {}),
            ("drawPath", (path,), {"stroke": 0, "fill": 1}),
            ("setDash", ((1, 2), 0), {}),
            ("drawString", (1.0, 2.0, "Zoë"), {}),
        ),
        120.0,
        80.0,
    )
    stored = recording.to_json()
    assert stored is not None
    back = Recording.from_json(stored)
    assert (back.width, back.height) == (120.0, 80.0)
    assert back.ops[1][1][0].getCode() == path.getCode()
    assert back.ops[3] == ("drawString", (1.0, 2.0, "Zoë"), {})
    forged = json.dumps({"w": 1, "h": 1, "ops": [["showPage", [], {}]]}).encode()
    with pytest.raises(ValueError, match="not a recorded drawing call"):
        Recording.from_json(forged)
    with_image = Recording((("drawImage", (object(), 0, 0), {}),), 1.0, 1.0)
    assert with_image.to_json() is None


def test_svg_recordings_carry_colours_fill_rules_and_fonts(tmp_path: Path) -> None:
    from reportlab.lib.colors import Color

    from factsheet.images import load_svg
    from factsheet.render.recording import RecordingCanvas
    from factsheet.theme import load_theme

    load_theme("un-blue", ROOT)  # registers Lato-Regular, which the text uses
    svg = tmp_path / "logo.svg"
    svg.write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" width="40" height="20">'
        '<path d="M0 0 L10 10 L0 10 Z" fill="#0033a0" fill-rule="evenodd" opacity="0.5"/>'
        '<text x="2" y="15" font-size="6">Hi</text></svg>'
    )
    vector = load_svg(svg, "Lato-Regular", tmp_path)
    assert (vector.width, vector.height) == (30.0, 15.0)  # 40 x 20 px in points
    assert vector.recording is not None
    names = [name for name, _, _ in vector.recording.ops]
    assert "_fillMode" in names and "drawPath" in names and "setFont" in names
    stored = vector.recording.to_json()
    assert stored is not None
    back = Recording.from_json(stored)
    colours = [a[0] for n, a, _ in back.ops if n == "setFillColor"]
    assert any(type(c) is Color and c.hexval() == "0x0033a0" for c in colours)
    assert [n for n, _, _ in back.ops] == names
    store = cache.store_for(tmp_path)
    assert (
        store is not None
        and store.read("svg", cache.key("svg", cache.file_digest(svg), "Lato-Regular")) == stored
    )

    canvas = RecordingCanvas()
    with pytest.raises(AttributeError):
        canvas.setFont(canvas._fontname, 9)  # the font of a canvas it does not know
    with pytest.raises(AttributeError):
        canvas._colour = "red"  # state it could not replay


def test_no_cache_option_neither_reads_nor_writes(
    project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from click.testing import CliRunner

    from factsheet.cli import main

    store = tmp_path / "store"
    monkeypatch.setenv("FACTSHEET_CACHE_DIR", str(store))
    monkeypatch.setenv("FACTSHEET_CACHE", "on")  # restored after the test
    monkeypatch.chdir(project)
    result = CliRunner().invoke(main, ["build", "factsheets/cache.yaml", "--no-cache"])
    assert result.exit_code == 0, result.output
    assert not store.exists()
    assert (project / "output" / "cache.pdf").is_file()
