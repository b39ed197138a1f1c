"""Property tests: the set-based DuckDB measures agree exactly with the plain pandas reference.

Hypothesis generates a few LAs with censuses (full years and an in-year extract), children with
referrals, assessments, section 47 enquiries, CP plans and reviews on dates around year ends,
bank holidays and leap days; both implementations must give the same rows, numerators,
denominators, values and statuses.
"""

from __future__ import annotations

from datetime import date, timedelta

import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from metrics import child_protection, front_door
from metrics.reference import child_protection as child_protection_reference
from metrics.reference import front_door as front_door_reference
from tests.fixtures.cin.builders import REFERENCE, cin_store, returns_frame, table_frame

FIRST_DAY = date(2021, 6, 1)
DAYS = (REFERENCE - FIRST_DAY).days
CENSUS_CHOICES = [
    [date(2023, 3, 31), date(2024, 3, 31)],
    [date(2024, 3, 31)],
    [date(2023, 3, 31), date(2023, 10, 31)],
    [date(2022, 3, 31), date(2024, 3, 31)],
]
CHILDREN = ["A", "B", "C"]
LAS = ["201", "202"]

days = st.integers(min_value=0, max_value=DAYS).map(lambda n: FIRST_DAY + timedelta(days=n))
spans = st.integers(min_value=0, max_value=400)


@st.composite
def cin_tables(draw: st.DrawFn) -> dict[str, pd.DataFrame]:
    censuses = []
    frames: dict[str, list[pd.DataFrame]] = {}
    for la_code in draw(st.lists(st.sampled_from(LAS), min_size=1, max_size=2, unique=True)):
        censuses += [(la_code, reference) for reference in draw(st.sampled_from(CENSUS_CHOICES))]
        referrals, assessments, enquiries, plans, reviews = [], [], [], [], []
        for child in CHILDREN:
            for referral_date in draw(st.lists(days, max_size=3, unique=True)):
                length = draw(st.none() | spans)
                referrals.append(
                    {
                        "child_id": child,
                        "referral_date": referral_date,
                        "closure_date": None if length is None else referral_date + timedelta(days=length),
                        "reason_for_closure": draw(st.sampled_from([None, "RC1", "RC8", "RC9"])),
                        "referral_nfa": draw(st.booleans()),
                        "section47_count": draw(st.integers(0, 1)),
                        "cp_plan_count": draw(st.integers(0, 1)),
                        "transfer_icpc_date": draw(
                            st.none()
                            | st.integers(-3, 30).map(lambda n, d=referral_date: d + timedelta(days=n))
                        ),
                    }
                )
            for start in draw(st.lists(days, max_size=2, unique=True)):
                took = draw(
                    st.none() | st.integers(0, 90) | st.integers(60, 68)
                )  # 45 working days is about 63
                assessments.append(
                    {
                        "child_id": child,
                        "assessment_start_date": start,
                        "assessment_authorisation_date": None
                        if took is None
                        else start + timedelta(days=took),
                    }
                )
            for start in draw(st.lists(days, max_size=2, unique=True)):
                took = draw(
                    st.none() | st.integers(0, 35) | st.integers(19, 24)
                )  # 15 working days is about 21
                enquiries.append(
                    {
                        "child_id": child,
                        "s47_start_date": start,
                        "icpc_date": None if took is None else start + timedelta(days=took),
                    }
                )
            for start in draw(st.lists(days, max_size=3, unique=True)):
                length = draw(st.none() | spans)
                end = None if length is None else start + timedelta(days=length)
                plans.append(
                    {
                        "child_id": child,
                        "plan_start_date": start,
                        "plan_end_date": end,
                        "number_of_previous_plans": draw(st.sampled_from([0, 0, 1, None])),
                    }
                )
                for gap in draw(st.lists(st.integers(0, 250), max_size=3, unique=True)):
                    reviews.append(
                        {
                            "child_id": child,
                            "plan_start_date": start,
                            "review_date": start + timedelta(days=gap),
                        }
                    )
        for table, rows in [
            ("cin_referrals", referrals),
            ("cin_assessments", assessments),
            ("cin_section47", enquiries),
            ("cin_cp_plans", plans),
            ("cin_cp_reviews", reviews),
        ]:
            frames.setdefault(table, []).append(table_frame(table, rows, la_code=la_code))
    built = {"cin_census_returns": returns_frame(censuses)}
    built.update({table: pd.concat(parts, ignore_index=True) for table, parts in frames.items()})
    return built


KEYS = ["la_code", "indicator_id", "period_type", "period_end"]


def comparable(frame: pd.DataFrame) -> pd.DataFrame:
    frame = frame[[*KEYS, "numerator", "denominator", "value", "status"]].copy()
    frame["period_end"] = pd.to_datetime(frame["period_end"]).dt.date
    for column in ("numerator", "denominator", "value"):
        frame[column] = frame[column].astype("float64")
    return frame.sort_values(KEYS).reset_index(drop=True)


SETTINGS = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(cin_tables())
def test_front_door_matches_reference(frames: dict[str, pd.DataFrame]) -> None:
    store = cin_store(frames)
    computed = front_door.compute(store)
    events = computed[computed["indicator_id"] != "cin_rate"]
    pd.testing.assert_frame_equal(comparable(events), comparable(front_door_reference.compute(frames)))
    counts = front_door.children_in_need_counts(store).sort_values(["la_code", "period_end"])
    expected = front_door_reference.children_in_need_counts(frames).sort_values(["la_code", "period_end"])
    assert list(counts["count"]) == list(expected["count"])
    assert list(counts["period_end"]) == list(expected["period_end"])


@SETTINGS
@given(cin_tables())
def test_child_protection_matches_reference(frames: dict[str, pd.DataFrame]) -> None:
    store = cin_store(frames)
    computed = child_protection.compute(store)
    measured = computed[computed["indicator_id"] != "cp_rate"]
    pd.testing.assert_frame_equal(
        comparable(measured), comparable(child_protection_reference.compute(frames))
    )
    snapshots = child_protection.child_protection_snapshots(store).sort_values(["la_code", "period_end"])
    expected = child_protection_reference.child_protection_snapshots(frames).sort_values(
        ["la_code", "period_end"]
    )
    assert list(snapshots["children_on_plan"]) == list(expected["children_on_plan"])
