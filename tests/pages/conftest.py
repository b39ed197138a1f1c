"""Fixtures for the page tests: the small store (tests/pages/store_builder.py) built once a module,
and the app reading it. A module with a store of its own defines its own `app`."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from tests.pages.store_builder import build_small_store
from tests.pages.support import app_on


@pytest.fixture(scope="module")
def small_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_small_store(tmp_path_factory.mktemp("store") / "dashboard.duckdb")


@pytest.fixture
def app(small_store: Path, monkeypatch: pytest.MonkeyPatch) -> AppTest:
    return app_on(small_store, monkeypatch)
