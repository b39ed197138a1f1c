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


def small_demo(tmp_path: Path) -> tuple[Path, object]:
    db = tmp_path / "demo.duckdb"
    report = build_demo(db, today=TODAY, folder=tmp_path / "files", years=2, children_looked_after=90)
    return db, report


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("demo")
    db, report = small_demo(folder)
    assert report.ok, report.messages[:5]  # type: ignore[attr-defined]
    return db


def test_demo_loads_every_file(built: Path) -> None:
    store = Reader(built)
    settings = dict(store.query("select key, value from settings").values.tolist())
    assert settings["demo"] == "synthetic" and settings["la_code"] == "929"
    kinds = set(store.query("select distinct kind from load_log where outcome = 'loaded'")["kind"])
    expected = {kind for f in DEMO_FILES for kind in f.kinds}
    assert {
        "ons_population",
        "ssda903",
        "cin_census",
        "caseload_list",
        "performance_workbook",
        "targets",
        "published",
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


def test_targets_give_a_mix_of_rag(built: Path) -> None:
    table = kpi_table(Reader(built), "929")
    colours = set(table["rag"].dropna())
    assert colours == {"green", "amber", "red"}


def test_demo_shows_the_shipped_published_benchmarks(built: Path) -> None:
    """Without ../shared/data the demo has both SN models and an SN and England value per indicator."""
    store = Reader(built)
    models = store.query("select model, count(distinct la_code) as n from sn_groups group by 1 order by 1")
    assert models.values.tolist() == [["2021", 156], ["2025", 153]]
    summary = store.query(
        "select indicator_id, count(sn_mean) as sn, count(england) as england from benchmark_summary "
        "where la_code = '929' and sn_model = '2025' group by 1"
    )
    assert len(summary) == 20
    assert (summary["sn"] > 0).all() and (summary["england"] > 0).all()
    las = store.query("select count(distinct la_code) as n from benchmark_summary where la_value is not null")
    assert las["n"].iloc[0] >= 150


def test_existing_store_is_kept_unless_forced(built: Path, tmp_path: Path) -> None:
    before = built.stat().st_mtime_ns
    report = build_demo(built, today=TODAY, folder=tmp_path / "files")
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
