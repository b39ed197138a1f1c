"""Acceptance: a load killed part way leaves the previous data intact, and readers never see a
half-written store or an error while a load runs."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from datetime import date
from pathlib import Path

from loaders.store import Reader
from tests.conftest import ROOT, assert_same_store, store_snapshot
from tests.loaders.workbook_files import TODAY, base_workbook, load, months, write_csv

CURRENT = "select count(*) as n, sum(value) as total from kpi"


def _big_csv(path: Path, indicators: int) -> Path:
    headers = [f"{m:%b-%y}" for m in months(date(2021, 4, 1), 36)]
    rows = [["Indicator", *headers]]
    rows += [[f"Measure {i}", *(str((i + j) % 97) for j in range(36))] for i in range(indicators)]
    return write_csv(path, rows)


def _wait_for(condition: object, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():  # type: ignore[operator]
            return True
        time.sleep(0.01)
    return False


def test_sigkill_part_way_leaves_previous_data_and_next_ingest_works(tmp_path: Path, db_path: Path) -> None:
    assert load(base_workbook(tmp_path / "existing.xlsx"), db_path).ok
    before_bytes = db_path.read_bytes()
    before = store_snapshot(db_path)
    big = _big_csv(tmp_path / "big.csv", 3000)

    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    process = subprocess.Popen(
        [sys.executable, "-m", "loaders", "ingest", str(big), "--db", str(db_path)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        loading = lambda: any(db_path.parent.glob(f".{db_path.name}.*.loading"))  # noqa: E731
        assert _wait_for(loading, 60), "the load never started writing its private copy"
        time.sleep(0.5)
        assert process.poll() is None, "the load finished before it could be killed; make the input bigger"
        process.send_signal(signal.SIGKILL)
        assert process.wait(timeout=30) == -signal.SIGKILL
    finally:
        if process.poll() is None:
            process.kill()

    assert db_path.read_bytes() == before_bytes
    assert_same_store(before, store_snapshot(db_path))

    revised = base_workbook(tmp_path / "revised.xlsx", value=0.095)
    report = load(revised, db_path)
    assert report.ok, report.messages
    assert not any(db_path.parent.glob(f".{db_path.name}.*.loading*")), "leftover copy not cleaned up"
    value = Reader(db_path).query(
        "select value from kpi where indicator_id = ? and period_end = ?",
        ["repeat_cp_plans", date(2023, 4, 30)],
    )
    assert value["value"].tolist() == [9.5]


def test_reader_in_a_loop_sees_old_or_new_data_never_an_error(tmp_path: Path, db_path: Path) -> None:
    # repeat CP plans for April are 5%, then 6% ... 10%; May (10%), June (12%) and the counts
    # (37 + 41 + 39) stay, so each complete state has 6 values summing to 144 ... 149.
    assert load(base_workbook(tmp_path / "v0.xlsx", value=0.05), db_path).ok
    complete_states = {(6, 144.0 + step) for step in range(6)}
    seen: list[tuple[int, float]] = []
    errors: list[BaseException] = []
    stop = threading.Event()

    def read_in_a_loop() -> None:
        reader = Reader(db_path)
        while not stop.is_set():
            try:
                row = reader.query(CURRENT).iloc[0]
                seen.append((int(row["n"]), float(row["total"])))
            except BaseException as error:  # noqa: BLE001 - any error at all fails the test
                errors.append(error)

    thread = threading.Thread(target=read_in_a_loop)
    thread.start()
    try:
        for step in range(1, 6):
            book = base_workbook(tmp_path / f"v{step}.xlsx", value=(5 + step) / 100)
            report = load(book, db_path, today=TODAY)
            assert report.ok, report.messages
    finally:
        stop.set()
        thread.join(timeout=30)

    assert errors == []
    assert len(seen) > 5
    assert set(seen) <= complete_states
    assert len(set(seen)) >= 2, "the reader never saw a load land"
    final = Reader(db_path).query(CURRENT).iloc[0]
    assert (int(final["n"]), float(final["total"])) == (6, 149.0)
