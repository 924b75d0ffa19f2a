"""A hostile spec gets nowhere: nothing it says is executed, files are confined to the
project and capped in size, and random input never produces a traceback."""

from __future__ import annotations

import ast
import os
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from factsheet.errors import FactsheetError
from factsheet.paths import resolve_inside
from factsheet.spec.loader import load_yaml
from factsheet.spec.model import Spec
from factsheet.spec.validate import validate
from tests.projects import make_project

ROOT = Path(__file__).resolve().parents[1]
SRC = ROOT / "src" / "factsheet"


def test_no_eval_exec_or_pandas_expressions_in_the_code() -> None:
    """Guard: the code never evaluates strings (spec text must never become code)."""
    offenders = []
    for path in SRC.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if not isinstance(node, ast.Call):
                continue
            func = node.func
            builtin = isinstance(func, ast.Name) and func.id in {
                "eval",
                "exec",
                "compile",
                "__import__",
            }
            method = isinstance(func, ast.Attribute) and func.attr in {"eval", "query"}
            if builtin or method:
                offenders.append(f"{path.relative_to(ROOT)}:{node.lineno} {ast.unparse(func)}()")
    assert offenders == []


def test_fifos_and_devices_are_refused(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "pipe.csv")
    with pytest.raises(ValueError, match="is not a regular file"):
        resolve_inside(tmp_path, "pipe.csv")
    (tmp_path / "dev").symlink_to("/dev/zero")
    with pytest.raises(ValueError, match="leads outside the project"):
        resolve_inside(tmp_path, "dev")


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return make_project(tmp_path / "p")


def _spec(project: Path, blocks: str, data: str = "") -> Path:
    path = project / "factsheets" / "s.yaml"
    path.write_text(
        "document: {title: T, author: A}\ntheme: un-blue\n"
        + data
        + "pages:\n  - blocks:\n"
        + blocks
    )
    return path


def test_oversized_data_file_is_refused_without_reading_it(project: Path) -> None:
    from factsheet.build import render

    big = project / "data" / "big.csv"
    with big.open("wb") as handle:
        handle.truncate(51 * 1024 * 1024)  # sparse: no disk is used
    spec = _spec(project, "      - paragraph: x\n", "data:\n  big: {file: data/big.csv}\n")
    with pytest.raises(FactsheetError, match=r"is 51\.0 MB, over the 50 MB limit"):
        render(spec)


def test_decompression_bomb_is_refused(project: Path) -> None:
    from PIL import Image

    from factsheet.build import render

    bomb = project / "assets" / "photos" / "bomb.png"
    Image.new("1", (12_000, 12_000)).save(bomb)  # 144 Mpx in a few kB
    spec = _spec(project, "      - image: {file: assets/photos/bomb.png, alt: x}\n")
    with pytest.raises(FactsheetError, match=r"bomb\.png"):
        render(spec)


def test_oversized_font_is_refused(project: Path) -> None:
    from factsheet.errors import SpecError
    from factsheet.fonts import register_ttf

    font = project / "assets" / "fonts" / "Huge-Regular.ttf"
    with font.open("wb") as handle:
        handle.truncate(31 * 1024 * 1024)
    with pytest.raises(SpecError, match="larger than 30 MB"):
        register_ttf(font)


# --- fuzzing -----------------------------------------------------------------------

scalars = st.one_of(
    st.none(), st.booleans(), st.integers(), st.floats(allow_nan=True), st.text(max_size=20)
)
trees = st.recursive(
    scalars,
    lambda children: st.one_of(
        st.lists(children, max_size=4),
        st.dictionaries(
            st.sampled_from(
                [
                    "document",
                    "title",
                    "author",
                    "pages",
                    "blocks",
                    "theme",
                    "paragraph",
                    "chart",
                    "data",
                    "figures",
                    "editions",
                    "x",
                    "y",
                ]
            ),
            children,
            max_size=5,
        ),
    ),
    max_leaves=20,
)


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(tree=trees)
def test_random_structures_give_located_errors_never_tracebacks(
    tree: object, tmp_path: Path
) -> None:
    path = tmp_path / "fuzz.yaml"
    path.write_text(yaml.safe_dump(tree, allow_unicode=True))
    try:
        loaded = load_yaml(path)
        validate(Spec, loaded.data, loaded.source_map)
    except FactsheetError as exc:
        assert str(exc)
        assert "Traceback" not in str(exc)


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(text=st.text(max_size=200))
def test_random_yaml_text_never_crashes_the_loader(text: str, tmp_path: Path) -> None:
    path = tmp_path / "fuzz.yaml"
    path.write_text(text, encoding="utf-8")
    try:
        load_yaml(path)
    except FactsheetError as exc:
        assert str(exc).startswith(str(path)) or "fuzz.yaml" in str(exc)
