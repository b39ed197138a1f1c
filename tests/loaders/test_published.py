"""The shipped published benchmarks: present, small, both SN models, attributed; rebuilt the same."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from loaders.ingest import ingest
from loaders.published import (
    ATTRIBUTION_FILE,
    BENCHMARKS_FILE,
    NEIGHBOURS_FILE,
    PER_10K_BUILT,
    build,
)
from loaders.registry import detect_kind
from loaders.store import Reader
from metrics.catalogue import load_catalogue

MAX_BYTES = 3 * 1024 * 1024


def test_committed_files_are_present_small_and_attributed() -> None:
    for path in (BENCHMARKS_FILE, NEIGHBOURS_FILE, ATTRIBUTION_FILE):
        assert path.is_file(), f"{path} is missing"
    assert BENCHMARKS_FILE.stat().st_size + NEIGHBOURS_FILE.stat().st_size < MAX_BYTES
    text = ATTRIBUTION_FILE.read_text(encoding="utf-8")
    assert "Crown copyright" in text and "Open Government Licence v3.0" in text
    assert "sn_model_2025_wide.csv" in text and "bds_long_0.parquet" in text


def test_committed_benchmarks_cover_every_area_and_both_models() -> None:
    values = pd.read_parquet(BENCHMARKS_FILE)
    assert set(values["indicator_id"]) == {i.id for i in load_catalogue() if i.ees or i.lait_code}
    latest = values[values["year"] == 2024]
    areas = latest.groupby("geographic_level")["area_code"].unique()
    assert list(areas["National"]) == ["E92000001"]
    assert {f"E1200000{k}" for k in range(1, 10)} <= set(areas["Regional"])
    assert len(areas["Local authority"]) >= 150
    assert values["year"].min() <= 2016 and values["year"].max() == 2025
    groups = pd.read_parquet(NEIGHBOURS_FILE)
    counts = groups.groupby("model")["la_code"].nunique().to_dict()
    assert counts == {"2021": 156, "2025": 153}
    bands = {"Extremely close", "Very close", "Close", "Somewhat close", "Not close"}
    assert set(groups["closeness"]) <= bands


def test_committed_files_load_as_kind_published(tmp_path: Path) -> None:
    assert detect_kind(BENCHMARKS_FILE).kind == "published"
    assert detect_kind(NEIGHBOURS_FILE).kind == "published"
    db = tmp_path / "store.duckdb"
    report = ingest([BENCHMARKS_FILE, NEIGHBOURS_FILE], db=db)
    assert report.ok, report.messages
    store = Reader(db)
    assert store.query("select count(*) as n from benchmark_values")["n"].iloc[0] == len(
        pd.read_parquet(BENCHMARKS_FILE)
    )
    again = ingest([BENCHMARKS_FILE], db=db)
    assert again.ok and again.files[0].outcome == "unchanged"


@pytest.mark.shared_data
def test_build_from_the_originals_matches_the_committed_files(tmp_path: Path, shared_data: Path) -> None:
    built, neighbours = build(shared_data, tmp_path)
    fresh = pd.read_parquet(built)
    committed = pd.read_parquet(BENCHMARKS_FILE)
    pd.testing.assert_frame_equal(fresh, committed)
    pd.testing.assert_frame_equal(pd.read_parquet(neighbours), pd.read_parquet(NEIGHBOURS_FILE))
    assert (tmp_path / ATTRIBUTION_FILE.name).read_text() == ATTRIBUTION_FILE.read_text()
    # a published EES figure kept as published: England's re-referral rate 2024 (c1 file)
    c1 = pd.read_csv(
        shared_data / "benchmarks" / "ees" / "c1_children_in_need_referrals_and_rereferrals_2013_to_2025.csv",
        dtype=str,
        encoding="utf-8-sig",
    )
    source = load_catalogue().get("re_referrals").ees
    assert source is not None
    england = c1[(c1["geographic_level"] == "National") & (c1["time_period"] == "2024")]
    for column, wanted in source.filters.items():
        england = england[england[column] == wanted]
    assert len(england) == 1
    row = fresh[(fresh["indicator_id"] == "re_referrals") & (fresh["year"] == 2024)]
    assert float(row[row["area_code"] == "E92000001"]["value"].iloc[0]) == pytest.approx(
        float(england[source.value].iloc[0])
    )
    assert (fresh["method"] == PER_10K_BUILT).any()
