"""Fuzzing every kind of input file: truncated, bytes flipped, junk rows inserted, re-encoded.

Whatever the damage, an ingest either loads the file or refuses it: not ok (the CLI's exit 1) with
a message naming the file, no traceback and no "stopped unexpectedly", and the store unchanged.
Examples are few (the suite must stay fast inside CI); tests/perf/hostile_benchmark.py measures
memory and time on the large hostile files."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from loaders.ingest import ingest
from tests.conftest import FIXTURES, assert_same_store, store_snapshot
from tests.hostile.files import many_rows_parquet, many_rows_xlsx

TODAY = date(2025, 1, 15)
SOURCES = {
    "ees": FIXTURES / "benchmarks" / "d3_cpps_subsequent_plan_small.csv",
    "neighbours": FIXTURES / "benchmarks" / "sn_model_2025_small.csv",
    "lait": FIXTURES / "benchmarks" / "lait_bds_long_small.csv",
    "ssda903": FIXTURES / "ssda903" / "2024-header.csv",
}
JUNK = st.binary(min_size=1, max_size=40) | st.sampled_from(
    [b"\n,,,,\n", b"\n\x81\x8d\x9d\n", b"\n-7,-400,c,x\n", b"\n" + b"," * 60 + b"\n", b'\n"unclosed,\n']
)


def corrupt(data: bytes, damage: str, where: float, junk: bytes) -> bytes:
    cut = int(len(data) * where)
    if damage == "truncate":
        return data[:cut]
    if damage == "flip":
        return data[:cut] + bytes([data[cut % len(data)] ^ 0xFF]) + data[cut + 1 :]
    if damage == "junk_row":
        line = data.rfind(b"\n", 0, max(cut, 1)) + 1
        return data[:line] + junk + data[line:]
    if damage == "utf16":
        return data.decode("utf-8", errors="replace").encode("utf-16")
    return data.decode("utf-8", errors="replace").encode("cp1252", errors="replace") + b"\x81"


def assert_loaded_or_refused(db: Path, path: Path) -> None:
    before = store_snapshot(db)
    report = ingest([path], db=db, la_code="929", today=TODAY)
    text = "\n".join(report.messages)
    assert "Traceback" not in text and "unexpectedly" not in text, text
    if not report.ok:
        assert report.messages and path.name in text, text
        assert_same_store(before, store_snapshot(db))


@pytest.fixture(scope="module")
def base_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("fuzz") / "store.duckdb"
    assert ingest([SOURCES["ees"]], db=db, today=TODAY).ok
    return db


@pytest.mark.parametrize("kind", sorted(SOURCES))
@settings(max_examples=3, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    damage=st.sampled_from(["truncate", "flip", "junk_row", "utf16", "cp1252"]),
    where=st.floats(0.05, 0.95),
    junk=JUNK,
)
def test_damaged_csvs_load_or_are_refused_cleanly(
    base_store: Path, tmp_path: Path, kind: str, damage: str, where: float, junk: bytes
) -> None:
    source = SOURCES[kind]
    path = tmp_path / source.name
    path.write_bytes(corrupt(source.read_bytes(), damage, where, junk))
    db = tmp_path / "store.duckdb"
    shutil.copy(base_store, db)
    assert_loaded_or_refused(db, path)


@settings(max_examples=4, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    suffix=st.sampled_from([".xlsx", ".parquet"]),
    damage=st.sampled_from(["truncate", "flip"]),
    where=st.floats(0.05, 0.95),
)
def test_damaged_workbooks_and_parquets_are_refused_cleanly(
    base_store: Path, tmp_path: Path, suffix: str, damage: str, where: float
) -> None:
    made = tmp_path / f"made{suffix}"
    (many_rows_xlsx(made, 40) if suffix == ".xlsx" else many_rows_parquet(made, 200))
    path = tmp_path / f"damaged{suffix}"
    path.write_bytes(corrupt(made.read_bytes(), damage, where, b""))
    db = tmp_path / "store.duckdb"
    shutil.copy(base_store, db)
    assert_loaded_or_refused(db, path)
