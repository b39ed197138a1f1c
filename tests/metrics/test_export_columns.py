"""The export's columns: the published year's figures named as published, with their year; values
to the catalogue's decimals; counts whole (hand-computed on the small published fixture)."""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from loaders import ees, neighbours
from loaders.base import IngestContext, record_kpis
from loaders.store import Reader, write_session
from metrics import benchmarks
from metrics.export import EXPORT_COLUMNS, export_frame, to_csv_bytes
from tests.conftest import FIXTURES

SMALL_D3 = FIXTURES / "benchmarks" / "d3_cpps_subsequent_plan_small.csv"
SMALL_SN = FIXTURES / "benchmarks" / "sn_model_2025_small.csv"
CONTEXT = IngestContext(batch_id="test", version=1, today=date(2025, 6, 1))


@pytest.fixture
def store(db_path: Path) -> Reader:
    """855's published repeat CP plans (2024: 10.0, ranked 1, improved) beside a local rolling
    value 4 of 37 = 10.81% in 2024/25, and a caseload of 161 cases over 9.5 FTE = 16.947."""
    with write_session(db_path) as writer:
        ees.LOADER.load(SMALL_D3, writer, CONTEXT)
        neighbours.LOADER.load(SMALL_SN, writer, CONTEXT)
        record_kpis(
            writer,
            pd.DataFrame(
                {
                    "la_code": ["855", "855"],
                    "indicator_id": ["repeat_cp_plans", "caseload_average"],
                    "period_end": [date(2024, 9, 30), date(2024, 9, 30)],
                    "period_type": ["rolling_12m", "snapshot"],
                    "numerator": [4.0, 161.0],
                    "denominator": [37.0, 9.5],
                    "value": [400 / 37, 161 / 9.5],
                    "status": ["", ""],
                }
            ),
            origin="computed",
            source="CIN census",
            source_file=None,
            context=CONTEXT,
        )
        benchmarks.refresh_benchmark_summary(writer)
    return Reader(db_path)


def csv_rows(frame: pd.DataFrame) -> dict[str, dict[str, str]]:
    text = to_csv_bytes(frame).decode("utf-8-sig").splitlines()
    return {row["indicator_id"]: row for row in csv.DictReader(text)}


def test_the_published_years_standing_is_named_as_published_with_its_year(store: Reader) -> None:
    row = csv_rows(export_frame(store, "855", sn_model="2025"))["repeat_cp_plans"]
    assert row["value"] == "10.8"  # the local rolling 12 months, 4 of 37
    assert (row["published_year"], row["published_value"]) == ("2023/24", "10.0")
    assert (row["published_quartile"], row["published_rank"], row["published_direction"]) == (
        "A", "1", "improved"
    )
    for unmarked in ("benchmark_year", "quartile", "rank", "rank_of", "direction"):
        assert unmarked not in EXPORT_COLUMNS


def test_values_to_the_catalogues_decimals_and_counts_whole(store: Reader) -> None:
    rows = csv_rows(export_frame(store, "855", sn_model="2025"))
    repeat = rows["repeat_cp_plans"]
    assert (repeat["numerator"], repeat["denominator"]) == ("4", "37")  # not "4.0"
    assert repeat["sn_mean"] == "41.4"  # 290 / 7 = 41.43 to 1 decimal place
    assert repeat["sn_count"] == "7" and repeat["published_rank_of"] == "8"
    caseload = rows["caseload_average"]
    assert (caseload["numerator"], caseload["denominator"]) == ("161", "9.5")  # FTE keeps its decimal
    assert caseload["value"] == "16.9"  # 161 / 9.5 = 16.947


def test_suppressed_export_keeps_whole_counts_and_c(store: Reader) -> None:
    row = csv_rows(export_frame(store, "855", sn_model="2025", suppress_below=5))["repeat_cp_plans"]
    assert (row["numerator"], row["status"]) == ("c", "c")
    assert row["published_year"] == "2023/24"
