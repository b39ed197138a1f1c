"""The store gateway: all-or-nothing writes, readers that follow swaps, KPI history."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from loaders.base import IngestContext, record_kpis
from loaders.store import Reader, StoreMissing, write_session


def _kpis(value: float) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "la_code": ["929"],
            "indicator_id": ["repeat_cp_plans"],
            "period_end": [date(2024, 9, 30)],
            "period_type": ["month"],
            "numerator": [3.0],
            "denominator": [37.0],
            "value": [value],
            "status": [""],
        }
    )


def _record(db: Path, value: float, version: int) -> int:
    with write_session(db) as writer:
        context = IngestContext(batch_id=f"b{version}", version=version, today=date(2024, 11, 1))
        return record_kpis(
            writer, _kpis(value), origin="reported", source="performance workbook",
            source_file="book.xlsx", context=context,
        )


def test_reader_on_missing_store_says_nothing_is_loaded(db_path: Path) -> None:
    with pytest.raises(StoreMissing, match="No data loaded yet"):
        Reader(db_path).query("select 1")


def test_failed_write_session_leaves_live_file_untouched(db_path: Path) -> None:
    _record(db_path, 8.1, 1)
    before = db_path.read_bytes()
    with pytest.raises(RuntimeError), write_session(db_path) as writer:
        writer.execute("delete from kpi_history")
        raise RuntimeError("crash part way")
    assert db_path.read_bytes() == before
    assert list(db_path.parent.glob(".*.loading*")) == []


def test_same_value_twice_changes_nothing_and_revision_keeps_history(db_path: Path) -> None:
    assert _record(db_path, 8.1, 1) == 1
    assert _record(db_path, 8.1, 2) == 0
    assert _record(db_path, 8.3, 3) == 1
    reader = Reader(db_path)
    current = reader.query("select value from kpi")
    history = reader.query("select value, version from kpi_history order by version")
    assert current["value"].tolist() == [8.3]
    assert history["value"].tolist() == [8.1, 8.3]


def test_reader_follows_a_swapped_file(db_path: Path) -> None:
    _record(db_path, 8.1, 1)
    reader = Reader(db_path)
    assert reader.query("select value from kpi")["value"].tolist() == [8.1]
    _record(db_path, 9.0, 2)
    assert reader.query("select value from kpi")["value"].tolist() == [9.0]


def test_computed_value_is_preferred_to_reported(db_path: Path) -> None:
    _record(db_path, 8.1, 1)
    with write_session(db_path) as writer:
        context = IngestContext(batch_id="b2", version=2, today=date(2024, 11, 1))
        record_kpis(writer, _kpis(7.9), origin="computed", source="CIN census",
                    source_file=None, context=context)
    _record(db_path, 8.2, 3)
    current = Reader(db_path).query("select value, origin from kpi")
    assert current.to_dict("records") == [{"value": 7.9, "origin": "computed"}]


def test_readers_share_one_connection_per_version_and_close_the_old_one(db_path: Path) -> None:
    from loaders import store

    _record(db_path, 8.1, version=1)
    reader = Reader(db_path)
    reader.query("select 1")
    first = store._HELD[str(db_path)]
    reader.query("select 2")
    assert store._HELD[str(db_path)] is first  # the second query reused the open file
    _record(db_path, 9.0, version=2)
    assert reader.query("select value from kpi")["value"].tolist() == [9.0]
    assert store._HELD[str(db_path)] is not first and first.retired
    with pytest.raises(duckdb.ConnectionException):
        first.con.execute("select 1")  # closed, so the replaced file is not held open


def test_a_query_running_on_a_replaced_file_keeps_its_connection_until_it_ends(db_path: Path) -> None:
    from loaders import store

    _record(db_path, 8.1, version=1)
    with store._shared_cursor(db_path) as running:
        _record(db_path, 9.0, version=2)
        # a query meanwhile sees the new file, though the old one is still open for the running query
        assert Reader(db_path).query("select value from kpi")["value"].tolist() == [9.0]
        assert running.execute("select value from kpi").fetchall() == [(8.1,)]
    assert Reader(db_path).query("select value from kpi")["value"].tolist() == [9.0]
    assert not store._RETIRED
