"""The generated spec reference and JSON Schema match the model they document."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def test_docs_are_up_to_date(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    spec = importlib.util.spec_from_file_location("gen_docs", ROOT / "scripts" / "gen_docs.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    monkeypatch.setattr(module, "DOCS", tmp_path)
    module.main()
    for name in ("spec.md", "theme.md", "spec.schema.json"):
        fresh = (tmp_path / name).read_text()
        committed = (ROOT / "docs" / name).read_text()
        assert fresh == committed, f"docs/{name} is stale: run scripts/gen_docs.py"


def test_schema_describes_fields() -> None:
    schema = json.loads((ROOT / "docs" / "spec.schema.json").read_text())
    title = schema["$defs"]["Document"]["properties"]["title"]
    assert title["description"].startswith("Main title")
    assert "additionalProperties" in schema["$defs"]["Document"]
