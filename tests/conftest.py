"""Shared test fixtures: a temporary store, the shared data folder, and store snapshots."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from loaders.store import Reader

ROOT = Path(__file__).resolve().parent.parent
SHARED_DATA = ROOT.parent / "shared" / "data"
FIXTURES = Path(__file__).resolve().parent / "fixtures"


@pytest.fixture
def shared_data() -> Path:
    """../shared/data, or skip the test with the reason when it is absent."""
    if not SHARED_DATA.is_dir():
        pytest.skip(f"published data folder {SHARED_DATA} is absent")
    return SHARED_DATA


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "store.duckdb"


def store_snapshot(db: Path) -> dict[str, pd.DataFrame]:
    """Every table's full contents except the load log and the audit log (failures are logged
    there by design)."""
    if not db.exists():
        return {}
    reader = Reader(db)
    tables = reader.query(
        "select table_name from information_schema.tables where table_type = 'BASE TABLE' "
        "and table_name not in ('load_log', 'audit_log') order by table_name"
    )["table_name"]
    return {name: reader.query(f"select * from {name}").pipe(_sorted) for name in tables}


def _sorted(frame: pd.DataFrame) -> pd.DataFrame:
    if frame.empty:
        return frame.reset_index(drop=True)
    return frame.sort_values(list(frame.columns)).reset_index(drop=True)


def assert_same_store(before: dict[str, pd.DataFrame], after: dict[str, pd.DataFrame]) -> None:
    assert before.keys() == after.keys()
    for name in before:
        pd.testing.assert_frame_equal(before[name], after[name], obj=f"table {name}")
