"""The pages' data functions without a browser: the export CSV is the CLI's, suppression applies."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from loaders.store import Reader
from metrics.export import export_frame, to_csv_bytes
from pages.components import data
from tests.pages.store_builder import LA, build_small_store


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_small_store(tmp_path_factory.mktemp("data") / "dashboard.duckdb")


def test_export_csv_is_exactly_the_cli_format(store: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CSC_DB", str(store))
    view = data.export_view(LA, ["repeat_cp_plans"], None, None, "ytd", "2025", None)
    expected = export_frame(Reader(store), LA, indicators=["repeat_cp_plans"], period_type="ytd")
    assert view.csv == to_csv_bytes(expected)
    assert view.file_name == "kpis-929-ytd.csv"


def test_suppressed_export_csv_has_c_and_no_small_counts(
    store: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CSC_DB", str(store))
    view = data.export_view(LA, ["repeat_cp_plans"], None, None, "month", "2025", 5)
    rows = list(csv.DictReader(io.StringIO(view.csv.decode("utf-8-sig"))))
    assert [r["numerator"] for r in rows] == ["c", "5", "c", "6", "c", "c"]  # counts whole
    assert all(r["status"] == "c" for r in rows if r["numerator"] == "c")
    assert view.suppressed_cells == 8  # four numerators and their four percentages
    assert view.file_name.endswith("suppressed-below-5.csv")


def test_store_status_names_the_la_and_reads_the_demo_flag(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    demo = build_small_store(tmp_path / "demo.duckdb", demo=True, with_plan=False)
    monkeypatch.setenv("CSC_DB", str(demo))
    status = data.store_status()
    assert status.exists and status.is_demo and status.default_la == LA
    assert ("929", "Northumberland (929)") in status.la_options
    monkeypatch.setenv("CSC_DB", str(tmp_path / "absent.duckdb"))
    assert not data.store_status().exists
