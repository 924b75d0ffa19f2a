"""Shared test set-up: every test, and every `factsheet` process a test starts, uses one
build cache in a temporary folder, so runs never touch the project's own cache."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest


@pytest.fixture(autouse=True, scope="session")
def _cache_folder(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    saved = os.environ.get("FACTSHEET_CACHE_DIR")
    os.environ["FACTSHEET_CACHE_DIR"] = str(tmp_path_factory.mktemp("factsheet-cache"))
    yield
    if saved is None:
        os.environ.pop("FACTSHEET_CACHE_DIR", None)
    else:
        os.environ["FACTSHEET_CACHE_DIR"] = saved
