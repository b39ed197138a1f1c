"""Acceptance: the ingest and export command lines end to end on a workbook and a targets file."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import date, datetime
from pathlib import Path

import pandas as pd
import pytest

from loaders.__main__ import main as loaders_main
from loaders.store import Reader
from metrics.export import EXPORT_COLUMNS
from tests.conftest import ROOT, assert_same_store, store_snapshot
from tests.loaders.workbook_files import Fmt, months, write_csv, write_xlsx

APR23 = datetime(2023, 4, 1)


def _book(
    path: Path, may_repeat_cp: float = 0.10, note: str = "Notes: June re-referrals not yet validated"
) -> Path:
    return write_xlsx(
        path,
        {
            "Performance": [
                ["Monthly performance book 2023/24"],
                [],
                ["Indicator", "Polarity", *months(APR23, 3)],
                ["Repeat CP plans", "", *(Fmt(v, "0.0%") for v in (0.081, may_repeat_cp, 0.12))],
                ["Re-referrals", "", "25%", "23%", "n/a"],
                ["Visits on time", "High", "91%", "88%", "c"],
                [note],
            ]
        },
    )


def _targets(path: Path) -> Path:
    return write_csv(
        path,
        [
            ["Indicator", "Year", "Target", "Tolerance"],
            ["Repeat CP plans", "2023/24", "9", ""],
            ["re_referrals", "2023/24", "22.5", ""],
            ["Visits on time", "2023/24", "90", "2.5"],
        ],
    )


def _run(module: str, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run(
        [sys.executable, "-m", module, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )


def test_cli_ingest_then_export_gives_targets_and_rag(tmp_path: Path) -> None:
    db = tmp_path / "store.duckdb"
    book, targets = _book(tmp_path / "book.xlsx"), _targets(tmp_path / "targets.csv")
    loaded = _run("loaders", "ingest", str(book), str(targets), "--db", str(db), "--la", "929")
    assert loaded.returncode == 0, loaded.stdout + loaded.stderr
    assert "loaded  book.xlsx  (performance_workbook, 8 rows)" in loaded.stdout
    assert "loaded  targets.csv  (targets, 3 rows)" in loaded.stdout

    out = tmp_path / "export" / "kpis.csv"
    exported = _run("metrics", "export", "--db", str(db), "--out", str(out))
    assert exported.returncode == 0, exported.stdout + exported.stderr
    table = pd.read_csv(out, encoding="utf-8-sig", dtype={"la_code": str}, keep_default_na=False)
    assert list(table.columns) == EXPORT_COLUMNS
    assert set(table["la_code"]) == {"929"}
    rows = {(r.indicator_id, r.period_end): r for r in table.itertuples()}
    # repeat CP plans: Low polarity, target 9, catalogue tolerance 2
    assert rows[("repeat_cp_plans", "2023-04-30")].rag == "green"
    assert rows[("repeat_cp_plans", "2023-05-31")].rag == "amber"
    assert rows[("repeat_cp_plans", "2023-06-30")].rag == "red"
    assert float(rows[("repeat_cp_plans", "2023-04-30")].value) == 8.1
    assert float(rows[("repeat_cp_plans", "2023-04-30")].target) == 9.0
    # re-referrals: Low, target 22.5, tolerance 2
    assert rows[("re_referrals", "2023-04-30")].rag == "red"
    assert rows[("re_referrals", "2023-05-31")].rag == "amber"
    # a local indicator with its polarity from the workbook and tolerance from the targets file
    visits = "local:visits on time"
    assert rows[(visits, "2023-04-30")].rag == "green"
    assert rows[(visits, "2023-05-31")].rag == "amber"
    assert rows[(visits, "2023-06-30")].status == "c"
    assert rows[(visits, "2023-06-30")].rag == ""
    assert rows[(visits, "2023-04-30")].indicator_name == "Visits on time"
    assert set(table["origin"]) == {"reported"}
    assert len(table) == 8


def test_cli_refuses_a_bad_file_with_exit_1_and_changes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "store.duckdb"
    assert loaders_main(["ingest", str(_book(tmp_path / "book.xlsx")), "--db", str(db), "--la", "929"]) == 0
    before = store_snapshot(db)
    bad = write_xlsx(
        tmp_path / "bad.xlsx", {"KPIs": [["Indicator", *months(APR23, 2)], ["Re-referrals", "lots", 20]]}
    )
    capsys.readouterr()
    assert loaders_main(["ingest", str(bad), "--db", str(db)]) == 1
    err = capsys.readouterr().err
    assert "Nothing was loaded (1 problem(s))" in err
    assert "bad.xlsx: sheet 'KPIs', cell B2: cannot read this cell (found 'lots'" in err
    assert_same_store(before, store_snapshot(db))


def test_loading_the_same_file_twice_changes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "store.duckdb"
    book, targets = _book(tmp_path / "book.xlsx"), _targets(tmp_path / "targets.csv")
    assert loaders_main(["ingest", str(book), str(targets), "--db", str(db), "--la", "929"]) == 0
    before = store_snapshot(db)
    capsys.readouterr()
    assert loaders_main(["ingest", str(book), str(targets), "--db", str(db), "--la", "929"]) == 0
    assert "unchanged  book.xlsx" in capsys.readouterr().out
    after = store_snapshot(db)
    before.pop("settings"), after.pop("settings")  # the ingest counter moves on
    assert_same_store(before, after)
    # the same figures under another file name add no new KPI versions either
    copy = _book(tmp_path / "book copy.xlsx", note="Notes: re-issued with the same figures")
    assert copy.read_bytes() != book.read_bytes()
    assert loaders_main(["ingest", str(copy), "--db", str(db)]) == 0
    history = Reader(db).query("select count(*) as n from kpi_history")["n"].iloc[0]
    assert history == len(before["kpi_history"])


def test_a_revised_figure_supersedes_and_history_keeps_the_old(tmp_path: Path) -> None:
    db = tmp_path / "store.duckdb"
    assert (
        loaders_main(["ingest", str(_book(tmp_path / "v1.xlsx", 0.10)), "--db", str(db), "--la", "929"]) == 0
    )
    assert loaders_main(["ingest", str(_book(tmp_path / "v2.xlsx", 0.11)), "--db", str(db)]) == 0
    reader = Reader(db)
    current = reader.query(
        "select value, source_file from kpi where indicator_id = ? and period_end = ?",
        ["repeat_cp_plans", date(2023, 5, 31)],
    )
    assert current.to_dict("records") == [{"value": 11.0, "source_file": "v2.xlsx"}]
    history = reader.query(
        "select value, source_file, version from kpi_history "
        "where indicator_id = ? and period_end = ? order by version",
        ["repeat_cp_plans", date(2023, 5, 31)],
    )
    assert history[["value", "source_file"]].to_dict("records") == [
        {"value": 10.0, "source_file": "v1.xlsx"},
        {"value": 11.0, "source_file": "v2.xlsx"},
    ]
    assert history["version"].is_monotonic_increasing
    unchanged = reader.query(
        "select count(*) as n from kpi_history where indicator_id = ? and period_end = ?",
        ["repeat_cp_plans", date(2023, 4, 30)],
    )
    assert unchanged["n"].iloc[0] == 1
