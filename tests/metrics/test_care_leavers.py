"""Care leaver measures: hand-computed cases for the cohort, each code group and the periods.

OC3 rows are written as the loader stores them (birthday within the collection year, age on it);
collection year 2024 covers April 2023 to March 2024.
"""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from metrics import care_leavers
from tests.metrics.test_placements import LA, make_store


def leaver(child: str, birthday: str, age: int = 18, in_touch: str = "YES", activ: str = "F1",
           accom: str = "B1", year: int = 2024) -> dict[str, object]:
    day = date.fromisoformat(birthday)
    return {"la_code": LA, "child": child, "dob": day.replace(year=day.year - age),
            "in_touch": in_touch, "activ": activ, "accom": accom, "collection_year": year,
            "birthday": day, "age_at_birthday": age}


def rows(leavers: list[dict[str, object]], years: tuple[int, ...] = (2024,)) -> pd.DataFrame:
    store = make_store(oc3=leavers, oc3_years=years)
    return care_leavers.compute(store)


def value(result: pd.DataFrame, indicator_id: str, period_type: str = "rolling_12m",
          period_end: date = date(2024, 3, 31)) -> tuple[float, float]:
    found = result[(result["indicator_id"] == indicator_id) & (result["period_type"] == period_type)
                   & (result["period_end"] == period_end)]
    assert len(found) == 1
    return found.iloc[0]["numerator"], found.iloc[0]["denominator"]


def test_died_and_returned_home_are_left_out_of_the_cohort() -> None:
    codes = ["YES", "NO", "DIED", "REFU", "NREQ", "RHOM"]
    result = rows([leaver(str(i), "2023-06-15", in_touch=code) for i, code in enumerate(codes)])
    assert value(result, "care_leavers_in_touch_17_18", "ytd") == (1, 4)


@pytest.mark.parametrize(
    ("accom", "suitable"),
    [("B1", 1), ("V1", 1), ("Z1", 1), ("C2", 0), ("0", 0), ("", 0), ("01", 0), ("S1", 0), ("X1", 0)],
)
def test_accommodation_ending_in_1_is_suitable(accom: str, suitable: int) -> None:
    result = rows([leaver("a", "2023-06-15", accom=accom)])
    assert value(result, "care_leavers_suitable_accommodation_17_18") == (suitable, 1)


def test_abroad_deported_and_residence_not_known_leave_the_accommodation_cohort_only() -> None:
    # B1 suitable, S1 invalid (unsuitable), C2 unsuitable, G1 abroad, H2 deported, R0 not known:
    # the accommodation cohort is B1, S1, C2 = 3 with 1 suitable; in touch still counts all 6
    codes = ["B1", "S1", "C2", "G1", "H2", "R0"]
    result = rows([leaver(str(i), "2023-06-15", accom=code) for i, code in enumerate(codes)])
    assert value(result, "care_leavers_suitable_accommodation_17_18") == (1, 3)
    assert value(result, "care_leavers_in_touch_17_18") == (6, 6)


def test_a_cohort_all_abroad_has_no_accommodation_value() -> None:
    result = rows([leaver("a", "2023-06-15", accom="G1")])
    found = result[(result["indicator_id"] == "care_leavers_suitable_accommodation_17_18")
                   & (result["period_type"] == "rolling_12m")
                   & (result["period_end"] == date(2024, 3, 31))]
    assert found.iloc[0]["status"] == "x" and pd.isna(found.iloc[0]["value"])


@pytest.mark.parametrize(
    ("activ", "eet"),
    [("F1", 1), ("P1", 1), ("F2", 1), ("P2", 1), ("F4", 1), ("P4", 1), ("F5", 1), ("P5", 1),
     ("G4", 0), ("G5", 0), ("G6", 0), ("0", 0), ("F3", 0)],
)
def test_activity_codes_eet_neet_and_not_known(activ: str, eet: int) -> None:
    result = rows([leaver("a", "2023-06-15", activ=activ)])
    assert value(result, "care_leavers_eet_17_18") == (eet, 1)


@pytest.mark.parametrize(("age", "group"), [(17, "17_18"), (18, "17_18"), (19, "19_21"), (21, "19_21")])
def test_age_group_by_age_at_birthday(age: int, group: str) -> None:
    result = rows([leaver("a", "2023-06-15", age=age)])
    other = "19_21" if group == "17_18" else "17_18"
    assert value(result, f"care_leavers_in_touch_{group}") == (1, 1)
    assert value(result, f"care_leavers_in_touch_{other}") == (0, 0)


def test_record_counts_in_the_month_of_the_birthday() -> None:
    result = rows([leaver("a", "2023-06-15")])
    may, june, july = date(2023, 5, 31), date(2023, 6, 30), date(2023, 7, 31)
    indicator = "care_leavers_in_touch_17_18"
    assert value(result, indicator, "month", may) == (0, 0)
    assert value(result, indicator, "month", june) == (1, 1)
    assert value(result, indicator, "month", july) == (0, 0)
    assert value(result, indicator, "ytd", may) == (0, 0)
    assert value(result, indicator, "ytd", july) == (1, 1)


def test_zero_cohort_is_missing_not_zero() -> None:
    result = rows([leaver("a", "2023-06-15")])
    found = result[(result["indicator_id"] == "care_leavers_eet_17_18")
                   & (result["period_type"] == "month") & (result["period_end"] == date(2023, 5, 31))]
    assert found.iloc[0]["status"] == "x" and pd.isna(found.iloc[0]["value"])


def test_ytd_restarts_in_april_and_rolling_spans_years() -> None:
    leavers = [leaver("a", "2023-06-15", year=2024), leaver("b", "2024-05-20", year=2025)]
    result = rows(leavers, years=(2024, 2025))
    indicator = "care_leavers_in_touch_17_18"
    assert value(result, indicator, "ytd", date(2024, 5, 31)) == (1, 1)
    assert value(result, indicator, "rolling_12m", date(2024, 5, 31)) == (2, 2)
    assert value(result, indicator, "rolling_12m", date(2024, 6, 30)) == (1, 1)


def test_rolling_12m_needs_twelve_covered_months() -> None:
    result = rows([leaver("a", "2023-06-15")])
    rolling = result[result["period_type"] == "rolling_12m"]
    assert set(rolling["period_end"]) == {date(2024, 3, 31)}
    assert set(result.loc[result["period_type"] == "month", "period_end"]) == {
        pd.Timestamp(2023, m, 1).to_period("M").to_timestamp("M").date() for m in range(4, 13)
    } | {pd.Timestamp(2024, m, 1).to_period("M").to_timestamp("M").date() for m in range(1, 4)}


def test_six_indicators_three_period_types() -> None:
    result = rows([leaver("a", "2023-06-15")])
    assert result["indicator_id"].nunique() == 6
    assert set(result["period_type"]) == {"month", "ytd", "rolling_12m"}
    assert set(result["source"]) == {"SSDA903"}


def test_recompute_scope_limits_month_ends_without_changing_values() -> None:
    store = make_store(oc3=[leaver("a", "2023-06-15"), leaver("b", "2024-02-03", age=20)], oc3_years=(2024,))
    everything = care_leavers.compute(store)
    store.execute("insert into recompute_scope (la_code, from_date) values (?, ?)", [LA, date(2024, 2, 1)])
    scoped = care_leavers.compute(store)
    assert set(scoped["period_end"]) == {date(2024, 2, 29), date(2024, 3, 31)}
    expected = everything[everything["period_end"] >= date(2024, 2, 1)]
    key = ["indicator_id", "period_type", "period_end"]
    pd.testing.assert_frame_equal(scoped.sort_values(key).reset_index(drop=True),
                                  expected.sort_values(key).reset_index(drop=True))
