"""The demo store: built once through the real ingest, fails loudly when a loader is missing."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from loaders import demo
from loaders.demo import DEMO_FILES, DemoError, DemoFile, build_demo
from loaders.store import Reader
from metrics.caseload import caseload_month_ends
from metrics.kpis import kpi_table

TODAY = date(2025, 5, 14)


def small_demo(tmp_path: Path, shared_data: Path | None = None) -> tuple[Path, object]:
    db = tmp_path / "demo.duckdb"
    report = build_demo(
        db, today=TODAY, folder=tmp_path / "files", shared_data=shared_data, years=2, children_looked_after=90
    )
    return db, report


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("demo")
    db, report = small_demo(folder)
    assert report.ok, report.messages[:5]  # type: ignore[attr-defined]
    return db


def test_demo_without_published_data(built: Path) -> None:
    store = Reader(built)
    settings = dict(store.query("select key, value from settings").values.tolist())
    assert settings["demo"] == "synthetic" and settings["la_code"] == "929"
    kinds = set(store.query("select distinct kind from load_log where outcome = 'loaded'")["kind"])
    expected = {kind for f in DEMO_FILES if not f.needs_shared_data for kind in f.kinds}
    assert {
        "ons_population",
        "ssda903",
        "cin_census",
        "caseload_list",
        "performance_workbook",
        "targets",
    } <= expected
    assert kinds == expected  # every file of every builder was loaded
    workforce = store.query(
        "select indicator_id, count(*) as n, max(period_end) as last from kpi "
        "where indicator_id like 'sw_%' group by 1 order by 1"
    )
    assert workforce["indicator_id"].tolist() == ["sw_agency_rate", "sw_turnover_rate", "sw_vacancy_rate"]
    assert (workforce["n"] >= 20).all()
    assert str(workforce["last"].iloc[0])[:10] == "2025-04-30"
    targets = store.query(
        "select count(distinct indicator_id) as n, min(year_end) as first, "
        "max(year_end) as last from targets where la_code = '929'"
    ).iloc[0]
    assert targets["n"] >= 15 and (targets["first"], targets["last"]) == (2024, 2027)
    assert caseload_month_ends(store, "929")[-1] == date(2025, 4, 30)
    assert store.query("select count(*) as n from benchmark_summary")["n"].iloc[0] == 0


def test_targets_give_a_mix_of_rag(built: Path) -> None:
    table = kpi_table(Reader(built), "929")
    colours = set(table["rag"].dropna())
    assert colours == {"green", "amber", "red"}


@pytest.mark.shared_data
def test_demo_with_published_benchmarks(tmp_path: Path, shared_data: Path) -> None:
    subset = tmp_path / "shared"
    (subset / "benchmarks" / "ees").mkdir(parents=True)
    (subset / "statistical_neighbours").mkdir()
    name = "csww_indicators_2017_to_2025.csv"
    (subset / "benchmarks" / "ees" / name).symlink_to(shared_data / "benchmarks" / "ees" / name)
    for sn in demo.SN_FILES:
        (subset / "statistical_neighbours" / sn).symlink_to(shared_data / "statistical_neighbours" / sn)
    db, report = small_demo(tmp_path, shared_data=subset)
    assert report.ok, report.messages[:5]  # type: ignore[attr-defined]
    summary = Reader(db).query(
        "select * from benchmark_summary where la_code = '929' and indicator_id = 'caseload_average'"
    )
    assert not summary.empty
    assert summary["england"].notna().any()


def test_existing_store_is_kept_unless_forced(built: Path, tmp_path: Path) -> None:
    before = built.stat().st_mtime_ns
    report = build_demo(built, today=TODAY, folder=tmp_path / "files", shared_data=None)
    assert report.ok and report.files == []
    assert built.stat().st_mtime_ns == before
    assert not (tmp_path / "files").exists()


def test_a_missing_loader_fails_loudly(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(demo, "kinds", lambda: ["ssda903", "cin_census"])
    with pytest.raises(DemoError, match="caseload_list"):
        small_demo(tmp_path)
    assert not (tmp_path / "demo.duckdb").exists()


def test_every_demo_file_kind_is_registered(monkeypatch: pytest.MonkeyPatch) -> None:
    demo.check_loaders(DEMO_FILES)
    extra = DemoFile("improvement plan", ("no_such_kind",), lambda context: [])
    with pytest.raises(DemoError, match="no_such_kind"):
        demo.check_loaders([*DEMO_FILES, extra])
