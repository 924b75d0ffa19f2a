"""Random mutations of the demo spec, driven through `factsheet check` and `factsheet
build` in a subprocess under a time and memory limit. Whatever the mutation, the tool
must end with a message and a documented exit code: no traceback, no internal error, no
file written outside `output/` (and the tool's own cache), no temporary file left, and no
process outliving the command.

The examples are derandomized, so CI runs the same set every time. To search further:
`FACTSHEET_FUZZ_EXAMPLES=200 FACTSHEET_FUZZ_RANDOM=1 .venv/bin/python -m pytest
tests/test_fuzz_cli.py` (hypothesis prints the failing mutation, shrunk)."""

from __future__ import annotations

import copy
import hashlib
import os
import resource
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

ROOT = Path(__file__).resolve().parents[1]
SPEC = "factsheets/2021.yaml"
EXAMPLES = int(os.environ.get("FACTSHEET_FUZZ_EXAMPLES", "6"))
TIME_LIMIT = 240  # seconds per command: far above a normal run, far below a hang
MEMORY_LIMIT = 3 * 1024**3  # bytes of address space per process
DOCUMENTED_EXITS = {0, 1, 2, 65, 66, 74}  # see `factsheet --help`; 70 is a bug
TOOL_OWNED = ("output", ".factsheet-cache")

NASTY: list[Any] = [
    "",
    "x" * 3000,
    -1,
    0,
    10**30,
    1e308,
    float("nan"),
    True,
    None,
    [],
    {},
    [[[[[[[[[[1]]]]]]]]]],
    "{{ region }}",
    "{{ 1 / 0 }}",
    "{{ nothing.here }}",
    "{% for i in range(3) %}{{ i }}{% endfor %}",
    "{{ ''.__class__.__mro__ }}",
    "../../etc/passwd",
    "/etc/passwd",
    "output/../../escape.pdf",
    "data/missing.csv",
    "\x1b[31mred\x07",
    "right\u202eleft",
    "nul\x00byte",
    "😀 🇺🇳",
    "移民数据",
    "<b>bold</b><script>alert(1)</script>",
    "https://example.org/" + "very/long/path/" * 20,
    "#zzzzzz",
    "CON",
]


def _paths(tree: Any, prefix: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    """Every key path in a YAML tree, the root excluded."""
    if isinstance(tree, dict):
        items: Any = tree.items()
    elif isinstance(tree, list):
        items = enumerate(tree)
    else:
        return
    for key, value in items:
        yield (*prefix, key)
        yield from _paths(value, (*prefix, key))


def _mutate(tree: Any, path: tuple[Any, ...], action: str, value: Any) -> Any:
    parent = tree
    for key in path[:-1]:
        parent = parent[key]
    key = path[-1]
    if action == "delete":
        del parent[key]
    elif action == "replace":
        parent[key] = copy.deepcopy(value)
    elif action == "wrap":
        parent[key] = [parent[key]]
    elif action == "duplicate" and isinstance(parent, list):
        parent.insert(key, parent[key])
    elif action == "rename" and isinstance(parent, dict):
        parent[f"{key}x"] = parent.pop(key)
    return tree


BASE = yaml.safe_load((ROOT / SPEC).read_text())
PATHS = list(_paths(BASE))
mutations = st.lists(
    st.tuples(
        st.sampled_from(PATHS),
        st.sampled_from(["delete", "replace", "replace", "wrap", "duplicate", "rename"]),
        st.sampled_from(NASTY),
    ),
    min_size=1,
    max_size=3,
)


def _limits() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))


def _snapshot(root: Path) -> dict[str, str]:
    """Hash of every file the tool must not write (outside output/ and its cache)."""
    found = {}
    for path in sorted(root.rglob("*")):
        relative = path.relative_to(root)
        if relative.parts[0] in TOOL_OWNED or not path.is_file() or path.is_symlink():
            continue
        found[str(relative)] = hashlib.sha256(path.read_bytes()).hexdigest()
    return found


def _session_members(session: int) -> list[str]:
    """Processes still alive in a session (the command ran as the leader of its own)."""
    alive = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[3]) == session and fields[0] != "Z":
            alive.append(stat.parent.name)
    return alive


def _run(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "OPENBLAS_NUM_THREADS": "1", "MPLBACKEND": "Agg"}
    process = subprocess.Popen(
        [sys.executable, "-m", "factsheet", *args],
        cwd=root,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
        preexec_fn=_limits,
        start_new_session=True,
    )
    try:
        out, err = process.communicate(timeout=TIME_LIMIT)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, 9)
        process.communicate()
        raise AssertionError(f"`factsheet {' '.join(args)}` ran over {TIME_LIMIT} s") from None
    assert _session_members(process.pid) == [], "a worker outlived the command"
    return subprocess.CompletedProcess(args, process.returncode, out, err)


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("fuzz-template")
    for folder in ("assets", "data", "factsheets", "translations"):
        shutil.copytree(ROOT / folder, root / folder)
    return root


@settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=not os.environ.get("FACTSHEET_FUZZ_RANDOM"),
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(changes=mutations)
def test_mutated_specs_end_in_a_message_and_touch_nothing_else(
    changes: list[tuple[tuple[Any, ...], str, Any]], template: Path, tmp_path_factory: Any
) -> None:
    root = tmp_path_factory.mktemp("fuzz")
    shutil.copytree(template, root, dirs_exist_ok=True)
    tree = yaml.safe_load((root / SPEC).read_text())
    for path, action, value in changes:
        try:
            tree = _mutate(tree, path, action, value)
        except (KeyError, IndexError, TypeError):
            continue  # an earlier change removed or reshaped this path
    (root / SPEC).write_text(yaml.safe_dump(tree, allow_unicode=True, sort_keys=False))
    before = _snapshot(root)
    for command in (["check", SPEC], ["build", "--jobs", "2", SPEC]):
        result = _run(root, *command)
        shown = f"factsheet {' '.join(command)} after {changes!r}:\n{result.stderr[-3000:]}"
        assert result.returncode in DOCUMENTED_EXITS, shown
        assert "Traceback" not in result.stdout + result.stderr, shown
        assert "internal error" not in result.stdout + result.stderr, shown
        assert "\x1b" not in result.stdout + result.stderr, "raw escape reached the terminal"
    assert _snapshot(root) == before, "a file outside output/ was written"
    assert [p for p in root.rglob("*") if p.name.endswith(".tmp")] == []


def test_the_snapshot_sees_a_write_outside_output(tmp_path: Path) -> None:
    """Guard for the guard: a changed input file changes the snapshot."""
    (tmp_path / "data").mkdir()
    (tmp_path / "output").mkdir()
    (tmp_path / "data" / "a.csv").write_text("x\n1\n")
    (tmp_path / "output" / "a.pdf").write_text("pdf")
    before = _snapshot(tmp_path)
    (tmp_path / "output" / "a.pdf").write_text("new pdf")
    assert _snapshot(tmp_path) == before
    (tmp_path / "data" / "a.csv").write_text("x\n2\n")
    assert _snapshot(tmp_path) != before


def test_a_lingering_process_is_seen() -> None:
    """Guard for the guard: a child left running in the session is found."""
    process = subprocess.Popen(["sleep", "30"], start_new_session=True)
    try:
        assert _session_members(process.pid) == [str(process.pid)]
    finally:
        process.kill()
        process.wait()
    assert _session_members(process.pid) == []
