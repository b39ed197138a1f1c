"""Any LA through its published figures: the selector, ?la=, the published-only pages and export.

Two stores: the small store (tests/pages/store_builder.py), where 840 has published values but no
records of its own, so every figure asserted is one set there by hand; and a store holding only the
shipped published benchmarks (data/published/), as a fresh clone gives, for 830 and the CLI export.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from loaders.base import la_name
from loaders.ingest import ingest
from loaders.published import BENCHMARKS_FILE, NEIGHBOURS_FILE
from metrics.__main__ import main as metrics_main
from metrics.compute import recompute
from tests.pages.support import APP, no_errors

NOTE = "has no records of its own in this store"


@pytest.fixture(scope="module")
def published_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("published") / "dashboard.duckdb"
    report = ingest([BENCHMARKS_FILE, NEIGHBOURS_FILE], db=db, derive=recompute)  # as the CLI does
    assert report.ok, report.messages
    return db


def _app(store: Path, monkeypatch: pytest.MonkeyPatch, la: str) -> AppTest:
    monkeypatch.setenv("CSC_DB", str(store))
    at = AppTest.from_file(APP, default_timeout=30)
    at.query_params["la"] = la
    return at


def frame_with(at: AppTest, *columns: str) -> pd.DataFrame:
    """The first table on screen with all of `columns` (AppTest does not expose dataframe keys)."""
    for element in at.dataframe:
        if set(columns) <= set(element.value.columns):
            return element.value
    raise AssertionError(f"no table with columns {columns}")


def test_selector_lists_published_only_las_and_honours_la(
    small_store: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    at = _app(small_store, monkeypatch, "840")
    at.run()
    no_errors(at)
    selector = at.sidebar.selectbox[0]
    # 929 has its own records; 840 and 201 only published values in the small store
    assert {f"{la_name(c)} ({c})" for c in ("929", "840", "201")} <= set(selector.options)
    assert selector.value == "840"  # ?la=840 is honoured, not replaced by the store's own LA
    assert any(NOTE in i.value for i in at.info)


def test_published_only_overview_shows_the_las_published_values(
    small_store: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    at = _app(small_store, monkeypatch, "840")
    at.run()
    no_errors(at)
    assert any(NOTE in i.value and "(840)" in i.value for i in at.info)
    card = at.dataframe[0].value.set_index("Indicator")
    repeat = card.loc["Repeat CP plans"]
    assert repeat["Published year"] == "2023/24"
    assert repeat["LA value"] == "10.0%"  # 840's published value in the small store
    assert repeat["England"] == "23.6%"
    assert repeat["Rank (1 = best)"] == "1 of 23"  # lowest of 23 values, lower is better
    assert repeat["Quartile (A = best)"] == "A"


def test_published_only_neighbours_has_the_region_table_and_rank_history(
    published_store: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    at = _app(published_store, monkeypatch, "830")
    at.query_params["indicator"] = "repeat_cp_plans"
    at.switch_page("pages/neighbours.py").run()
    no_errors(at)
    shipped = pd.read_parquet(BENCHMARKS_FILE)
    region = frame_with(at, "Area")
    assert region["Area"].iloc[0] == la_name("830")
    assert region["Area"].iloc[-2] == "East Midlands" and region["Area"].iloc[-1] == "England"
    assert la_name("855") in set(region["Area"])  # Leicestershire, also East Midlands
    england = shipped[(shipped["indicator_id"] == "repeat_cp_plans") & (shipped["area_code"] == "E92000001")]
    latest = int(england["year"].max())
    value = england.loc[england["year"] == latest, "value"].iloc[0]
    column = f"{latest - 1}/{latest % 100:02d}"
    assert region[column].iloc[-1] == f"{value:.1f}%"
    ranks = frame_with(at, "Published year", "Rank (1 = best)")
    assert column in set(ranks["Published year"])
    assert ranks["Rank (1 = best)"].str.fullmatch(r"\d+ of \d+|–").all()
    assert ranks["Quartile (A = best)"].isin(["A", "B", "C", "D", "–"]).all()


def test_published_only_store_overview_for_830(
    published_store: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    at = _app(published_store, monkeypatch, "830")
    at.run()
    no_errors(at)
    assert at.sidebar.selectbox[0].value == "830"
    assert any(NOTE in i.value and "(830)" in i.value for i in at.info)
    shown = pd.concat([d.value for d in at.dataframe if "LA value" in d.value.columns])
    assert len(shown) >= 10
    assert (shown["LA value"] != "–").sum() >= 10


def test_data_page_lists_the_published_sources(
    published_store: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    at = _app(published_store, monkeypatch, "830")
    at.switch_page("pages/data.py").run()
    no_errors(at)
    sources = frame_with(at, "Source", "Release", "File", "Years")
    assert {"File", "Indicators", "Years"} <= set(sources.columns)
    assert "sn_model_2025_wide.csv" in " ".join(sources["File"])
    assert sources["Years"].str.contains("to").any()


def test_cli_export_of_a_published_only_la(
    published_store: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "855.csv"
    assert metrics_main(["export", "--db", str(published_store), "--la", "855", "--out", str(out)]) == 0
    assert "published figures only" in capsys.readouterr().out
    rows = pd.read_csv(out)
    assert len(rows) > 100
    assert set(rows["la_code"].astype(str)) == {"855"}
    for column in (
        "year",
        "value",
        "sn_mean",
        "sn_median",
        "region",
        "england",
        "quartile",
        "rank",
        "rank_of",
    ):
        assert column in rows.columns
    assert not rows.duplicated(["indicator_id", "year"]).any()  # one row per indicator and year
    shipped = pd.read_parquet(BENCHMARKS_FILE)
    england = shipped[(shipped["area_code"] == "E92000001") & (shipped["indicator_id"] == "repeat_cp_plans")]
    mine = rows[rows["indicator_id"] == "repeat_cp_plans"].set_index("year")
    for year, value in england.set_index("year")["value"].items():
        assert mine.loc[year, "england"] == pytest.approx(value, abs=0.05)
    assert rows["region_name"].dropna().eq("East Midlands").all()
    assert rows["rank"].notna().any() and rows["quartile"].isin(["A", "B", "C", "D"]).any()
