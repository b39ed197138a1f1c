"""Caseload metrics, hand-computed: case holders, FTE 0, agency, part time, several lists a month."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from loaders.ingest import ingest
from loaders.store import Reader
from metrics.caseload import (
    BAND_ORDER,
    CaseloadStandard,
    caseload_band,
    caseload_breakdown,
    caseload_distribution,
    caseload_month_ends,
    caseload_trend,
    load_standards,
)
from metrics.compute import recompute
from tests.conftest import FIXTURES

SMALL = FIXTURES / "caseload" / "caseload_list_small.csv"
HEADER = "date,worker_id,team,role,fte,agency,cases,service_area\n"
MARCH = date(2024, 3, 31)


@pytest.fixture
def store(db_path: Path) -> Reader:
    assert ingest([SMALL], db=db_path, la_code="929", derive=recompute).ok
    return Reader(db_path)


def kpi(store: Reader) -> pd.DataFrame:
    return store.query("select * from kpi where indicator_id = 'caseload_average' order by period_end")


def test_standards_default_to_the_seed_figures() -> None:
    assert set(load_standards()) == {
        CaseloadStandard("ASYE", 12, 15),
        CaseloadStandard("Senior Practitioner", 12, 15),
        CaseloadStandard("Social Worker", 18, 20),
    }


def test_average_counts_case_holders_only(store: Reader) -> None:
    # case holders: W001 20/1.0, W002 12/1.0, W003 9/0.5 (agency), W005 18/0.8 (agency),
    # W007 2/1.0 (team manager holding cases); W004 has no cases, W006 has FTE 0.
    row = kpi(store).iloc[0]
    assert row["period_end"].date() == MARCH and row["period_type"] == "snapshot"
    assert row["numerator"] == 61
    assert row["denominator"] == pytest.approx(4.3)
    assert row["value"] == pytest.approx(61 / 4.3)
    assert row["status"] == "" and row["origin"] == "computed"


def test_breakdown_all_and_by_team(store: Reader) -> None:
    everyone = caseload_breakdown(store, "929", MARCH, "all").iloc[0]
    assert (everyone["workers"], everyone["case_holders"], everyone["cases"]) == (7, 5, 61)
    assert (everyone["min_cases"], everyone["max_cases"]) == (2, 20)
    # standards per FTE: W001 20 in 18-20 yes, W002 12 in 12-15 yes, W003 18 not in 12-15, W005 22.5 no
    assert (everyone["workers_with_standard"], everyone["workers_within_standard"]) == (4, 2)
    assert everyone["share_within_standard"] == pytest.approx(50.0)
    teams = caseload_breakdown(store, "929", MARCH, "team").set_index("group_name")
    assert teams.loc["Assessment 1", "average"] == pytest.approx(41 / 2.5)
    assert teams.loc["Children in Care", "average"] == pytest.approx(20 / 1.8)
    assert teams.loc["Children in Care", "share_within_standard"] == pytest.approx(0.0)
    roles = caseload_breakdown(store, "929", MARCH, "role").set_index("group_name")
    assert roles.loc["Team Manager", "case_holders"] == 1
    assert roles.loc["Team Manager", "workers_with_standard"] == 0
    assert pd.isna(roles.loc["Team Manager", "share_within_standard"])
    areas = caseload_breakdown(store, "929", MARCH, "service_area")
    assert areas["group_name"].tolist() == ["Children in Care", "Front Door"]


def test_team_with_nobody_holding_cases_is_missing_not_zero(tmp_path: Path, db_path: Path) -> None:
    path = tmp_path / "list.csv"
    path.write_text(
        HEADER + "31/05/2024,A1,Fostering,Social Worker,1,N,0,\n"
        "31/05/2024,A2,Fostering,Social Worker,0,N,6,\n"
        "31/05/2024,A3,Duty,Social Worker,1,N,10,\n"
    )
    assert ingest([path], db=db_path, la_code="929", derive=recompute).ok
    store = Reader(db_path)
    teams = caseload_breakdown(store, "929", date(2024, 5, 31), "team").set_index("group_name")
    assert teams.loc["Fostering", "case_holders"] == 0
    assert pd.isna(teams.loc["Fostering", "average"])
    assert pd.isna(teams.loc["Fostering", "min_cases"])
    assert teams.loc["Duty", "average"] == 10
    assert caseload_breakdown(store, "929", date(2024, 5, 31), "service_area").empty


def test_no_case_holders_at_all_gives_missing_kpi(tmp_path: Path, db_path: Path) -> None:
    path = tmp_path / "list.csv"
    path.write_text(HEADER + "30/06/2024,A1,Fostering,Social Worker,0,N,4,\n")
    assert ingest([path], db=db_path, la_code="929", derive=recompute).ok
    row = kpi(Reader(db_path)).iloc[0]
    assert pd.isna(row["value"]) and row["status"] == "x" and row["denominator"] == 0


def test_latest_list_in_the_month_wins(tmp_path: Path, db_path: Path) -> None:
    early = tmp_path / "early.csv"
    early.write_text(HEADER + "15/03/2024,A1,Duty,Social Worker,1,N,30,\n")
    late = tmp_path / "late.csv"
    late.write_text(
        HEADER + "28/03/2024,A1,Duty,Social Worker,1,N,12,\n"
        "28/03/2024,A2,Duty,ASYE,0.5,Y,6,\n30/04/2024,A1,Duty,Social Worker,1,N,16,\n"
    )
    assert ingest([early, late], db=db_path, la_code="929", derive=recompute).ok
    store = Reader(db_path)
    rows = kpi(store)
    assert rows["value"].tolist() == pytest.approx([18 / 1.5, 16.0])
    assert caseload_month_ends(store, "929") == [MARCH, date(2024, 4, 30)]
    trend = caseload_trend(store, "929", "role")
    assert trend[["period_end", "group_name"]].values.tolist() == [
        [MARCH, "ASYE"],
        [MARCH, "Social Worker"],
        [date(2024, 4, 30), "Social Worker"],
    ]


def test_distribution_counts_case_holders_per_band_without_ids(store: Reader) -> None:
    dist = caseload_distribution(store, "929", date(2024, 3, 10))
    assert list(dist.columns) == ["role", "caseload_band", "workers", "against_standard"]
    assert dist["workers"].sum() == 5
    as_tuples = {(r, str(b), w, s) for r, b, w, s in dist.itertuples(index=False)}
    assert as_tuples == {
        ("ASYE", "11-15", 1, "within"),
        ("Senior Practitioner", "16-20", 1, "above"),
        ("Social Worker", "16-20", 1, "within"),
        ("Social Worker", "21-25", 1, "above"),
        ("Team Manager", "1-5", 1, None),
    }
    assert "W00" not in dist.to_csv()


def test_bands() -> None:
    assert [caseload_band(v) for v in (0.4, 5, 5.5, 15, 22.5, 30, 30.2, 44)] == [
        "1-5",
        "1-5",
        "6-10",
        "11-15",
        "21-25",
        "26-30",
        "Over 30",
        "Over 30",
    ]
    assert caseload_band(44) in BAND_ORDER and BAND_ORDER[-2:] == ["26-30", "Over 30"]


def test_position_against_a_standard_includes_both_ends() -> None:
    standard = CaseloadStandard(role="Social Worker", low=18, high=20)
    assert [standard.position(v) for v in (17.9, 18, 20, 20.000_000_1, 20.1)] == [
        "below",
        "within",
        "within",
        "within",
        "above",
    ]


def test_functions_without_caseload_data(db_path: Path, tmp_path: Path) -> None:
    other = tmp_path / "x.csv"
    other.write_text(HEADER + "31/01/2024,A1,Duty,Social Worker,1,N,1,\n")
    assert ingest([other], db=db_path, la_code="929").ok  # no derive: no breakdown table yet
    store = Reader(db_path)
    assert caseload_month_ends(store, "929") == []
    assert caseload_breakdown(store, "929", MARCH, "team").empty
    with pytest.raises(ValueError):
        caseload_trend(store, "929", "worker_id")
