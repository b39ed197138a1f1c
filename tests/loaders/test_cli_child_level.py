"""Through the command line: 903, CIN census and caseload files in, every measure out for every month end."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pandas as pd

from loaders.synthetic import generate
from metrics.catalogue import load_catalogue

ROOT = Path(__file__).resolve().parents[2]
# In-year 903 extracts are taken to run to the last complete month before the load (their CSVs
# carry no extraction date), so the data ends there, as it would for an LA loading its extract.
END = (pd.Timestamp.today().normalize().replace(day=1) - pd.Timedelta(days=1)).date()
REPORTED_ONLY = {"sw_turnover_rate", "sw_agency_rate", "sw_vacancy_rate"}  # workforce census figures
# how many months of history a measure needs before its first value (placements_3plus: 12 months,
# long_term_stability: 30 months, rolling 12 months: a full year of events)
LOOK_BACK = {"placements_3plus": 11, "long_term_stability": 29}


def _run(module: str, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run(
        [sys.executable, "-m", module, *args], cwd=ROOT, env=env, capture_output=True, text=True,
        timeout=300,
    )


def test_ingest_child_level_files_then_export_lists_every_measure_for_every_month_end(
    tmp_path: Path,
) -> None:
    report = generate(tmp_path / "files", las=1, years=3, seed=7, children_looked_after=120, end=END)
    db, out = tmp_path / "store.duckdb", tmp_path / "kpis.csv"
    files = [str(p) for p in [report.population_file, *report.las[0].files]]

    loaded = _run("loaders", "ingest", *files, "--db", str(db), "--la", "929")
    assert loaded.returncode == 0, loaded.stdout[-2000:] + loaded.stderr[-2000:]
    exported = _run("metrics", "export", "--db", str(db), "--out", str(out))
    assert exported.returncode == 0, exported.stderr

    kpis = pd.read_csv(out, dtype={"la_code": str})
    kpis["period_end"] = pd.to_datetime(kpis["period_end"])
    assert set(kpis["la_code"]) == {"929"}
    computed = {i.id for i in load_catalogue()} - REPORTED_ONLY
    assert computed <= set(kpis["indicator_id"]), sorted(computed - set(kpis["indicator_id"]))

    last = pd.Timestamp(END)
    for indicator in sorted(computed):
        rows = kpis[kpis["indicator_id"] == indicator]
        for period_type, group in rows.groupby("period_type"):
            months = pd.DatetimeIndex(sorted(group["period_end"].unique()))
            expected = pd.date_range(months[0], last, freq="ME")
            assert list(months) == list(expected), (indicator, period_type, "gap or missing months")
            assert months[-1] == last, (indicator, period_type, months[-1])
        # the first month end with a value is as early as the measure's look-back allows
        first_month = pd.Timestamp(report.first_day) + pd.offsets.MonthEnd(0)
        earliest = first_month + pd.offsets.MonthEnd(LOOK_BACK.get(indicator, 0))
        assert rows["period_end"].min() <= earliest + pd.offsets.MonthEnd(12), indicator
