"""Start-up: what a first build (an empty build cache, one edition, as a newcomer runs
it) leaves out. Each part was measured to cost a noticeable share of a first build:
the process pool's modules, ssl and http (which xml.sax.saxutils brings for one escape
function), pydantic's scan of every installed package for plugins, and the property
tables matplotlib writes into its artists' docstrings, and the cycle collector's runs
during the build and over everything at exit."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.projects import make_project

SPEC = """\
document: {title: Start-up test, author: Test Org, year: 2024, pages: 1}
theme: un-blue
data:
  numbers: {file: data/numbers.csv}
pages:
  - blocks:
      - heading: Values
      - chart: {type: bar, source: numbers, x: label, y: value, height: 40mm,
                title: Values}
"""

SCRIPT = """\
import json, sys
from factsheet.cli import main
try:
    main(['build', 'factsheets/start.yaml', '--force', '--jobs', '1'])
except SystemExit as done:
    import atexit, gc, os
    drawn_here = "matplotlib" in sys.modules
    # Charts are drawn by the chart helper (charts.sidecar), which got matplotlib ready
    # as this does: so that what it imported can be looked at here.
    from factsheet.charts.job import ready_to_draw
    ready_to_draw()
    import matplotlib.lines
    threshold = gc.get_threshold()
    frozen_before = gc.get_freeze_count()
    atexit._run_exitfuncs()
    import pydantic.plugin._loader as plugins
    print(json.dumps({
        "code": done.code,
        "modules": sorted(m for m in ("multiprocessing", "concurrent.futures", "ssl")
                          if m in sys.modules),
        "plugins_env": os.environ.get("PYDANTIC_DISABLE_PLUGINS"),
        "plugins_scanned": plugins._plugins is not None,
        "set_doc": matplotlib.lines.Line2D.set.__doc__,
        "gc_threshold": threshold,
        "drawn_here": drawn_here,
        "frozen": [frozen_before, gc.get_freeze_count()],
    }))
"""


def first_build(tmp_path: Path, **env: str) -> dict[str, object]:
    data = {"numbers.csv": "label,value\nA,1\nB,2\nC,3\n"}
    project = make_project(tmp_path / "project", data, {"start.yaml": SPEC})
    environment = {k: v for k, v in os.environ.items() if k not in ("PYDANTIC_DISABLE_PLUGINS",)}
    environment |= {"FACTSHEET_CACHE_DIR": str(tmp_path / "empty-cache"), **env}
    run = subprocess.run(
        [sys.executable, "-c", SCRIPT], cwd=project, capture_output=True, text=True,
        env=environment,
    )  # fmt: skip
    assert run.returncode == 0, run.stderr
    result: dict[str, object] = json.loads(run.stdout.splitlines()[-1])
    assert result["code"] == 0
    assert (project / "output" / "start.pdf").is_file()
    return result


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    return first_build(tmp_path_factory.mktemp("startup"))


def test_a_one_edition_build_imports_no_process_pool_and_no_ssl(built: dict[str, object]) -> None:
    assert built["modules"] == []


def test_a_build_loads_no_pydantic_plugins(built: dict[str, object]) -> None:
    assert built["plugins_env"] == "__all__"
    assert built["plugins_scanned"] is False


def test_a_users_own_plugin_setting_is_kept(tmp_path: Path) -> None:
    result = first_build(tmp_path, PYDANTIC_DISABLE_PLUGINS="some-plugin")
    assert result["plugins_env"] == "some-plugin"
    assert result["plugins_scanned"] is True


def test_matplotlib_artists_get_no_property_tables(built: dict[str, object]) -> None:
    assert built["drawn_here"] is (len(os.sched_getaffinity(0)) < 2)  # else the helper's
    doc = str(built["set_doc"])
    assert doc.startswith("Set multiple properties at once.")  # the rest of it stays
    assert "agg_filter" not in doc and "antialiased" not in doc


def test_the_collector_runs_seldom_and_not_over_everything_at_exit(
    built: dict[str, object],
) -> None:
    assert built["gc_threshold"] == [50_000, 10, 10]
    before, after = built["frozen"]  # type: ignore[misc]
    assert before == 0 and after > 10_000  # the exit handler froze the run's objects
