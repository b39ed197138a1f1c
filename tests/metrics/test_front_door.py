"""Front door measures on hand-computed cases: every edge of each definition."""

from __future__ import annotations

from datetime import date

import pandas as pd

from metrics import front_door
from tests.fixtures.cin.builders import cin_store, tables


def rows(frames: dict[str, pd.DataFrame]) -> pd.DataFrame:
    return front_door.compute(cin_store(frames))


def pick(result: pd.DataFrame, indicator: str, period_end: date, period_type: str = "month") -> pd.Series:
    found = result[
        (result["indicator_id"] == indicator)
        & (result["period_end"] == period_end)
        & (result["period_type"] == period_type)
    ]
    assert len(found) == 1, found
    return found.iloc[0]


def referral(child: str, day: date, **extra: object) -> dict[str, object]:
    return {"child_id": child, "referral_date": day, **extra}


def test_re_referral_within_12_months_is_inclusive_of_the_same_date_a_year_before() -> None:
    result = rows(
        tables(
            referrals=[
                referral("A", date(2022, 5, 10), closure_date=date(2022, 6, 1)),
                referral("A", date(2023, 5, 10)),  # previous exactly 12 months before: re-referral
                referral("B", date(2022, 5, 9), closure_date=date(2022, 6, 1)),
                referral("B", date(2023, 5, 10)),  # previous 12 months and a day before: not
                referral("C", date(2023, 5, 20)),  # first referral: not
            ]
        )
    )
    may = pick(result, "re_referrals", date(2023, 5, 31))
    assert (may["numerator"], may["denominator"]) == (1, 3)
    assert may["value"] == 100 / 3
    assert may["source"] == "CIN census"


def test_re_referral_uses_the_latest_previous_referral_and_leap_day_minus_12_months() -> None:
    result = rows(
        tables(
            referrals=[
                referral("A", date(2023, 2, 28), closure_date=date(2023, 3, 1)),
                referral("A", date(2024, 2, 29)),  # 29 Feb 2024 minus 12 months is 28 Feb 2023
                referral("B", date(2020, 1, 1), closure_date=date(2020, 2, 1)),
                referral("B", date(2023, 6, 1), closure_date=date(2023, 7, 1)),
                referral("B", date(2024, 2, 1)),  # previous (1 Jun 2023) within 12 months
            ]
        )
    )
    february = pick(result, "re_referrals", date(2024, 2, 29))
    assert (february["numerator"], february["denominator"]) == (2, 2)
    june = pick(result, "re_referrals", date(2023, 6, 30))
    assert (june["numerator"], june["denominator"]) == (0, 1)


def test_same_child_id_in_another_la_is_another_child() -> None:
    frames = tables(
        censuses=[("201", date(2024, 3, 31)), ("202", date(2024, 3, 31))],
        referrals=[referral("A", date(2023, 5, 10))],
    )
    other = frames["cin_referrals"].assign(la_code="202", referral_date=date(2023, 4, 10))
    frames["cin_referrals"] = pd.concat([frames["cin_referrals"], other], ignore_index=True)
    result = rows(frames)
    assert pick(result[result["la_code"] == "201"], "re_referrals", date(2023, 5, 31))["numerator"] == 0


def assessment(start: date, authorised: date | None) -> dict[str, object]:
    return {"child_id": "A", "assessment_start_date": start, "assessment_authorisation_date": authorised}


def test_assessments_45_working_days_is_on_time_46_is_not_and_counted_when_authorised() -> None:
    # Start Mon 6 Nov 2023: 34 working days to Fri 22 Dec; 25 and 26 Dec are bank holidays, so
    # 27-29 Dec make 37; 1 Jan is a bank holiday, 2-5 Jan make 41; Thu 11 Jan 2024 is the 45th.
    result = rows(
        tables(
            assessments=[
                assessment(date(2023, 11, 6), date(2024, 1, 11)),  # 45 working days
                assessment(date(2023, 11, 6), date(2024, 1, 12)),  # 46
                assessment(date(2023, 11, 6), None),  # not completed: not counted
                assessment(date(2024, 1, 2), date(2024, 1, 2)),  # same day: 0 days
            ]
        )
    )
    january = pick(result, "assessments_45_days", date(2024, 1, 31))
    assert (january["numerator"], january["denominator"]) == (2, 3)
    november = pick(result, "assessments_45_days", date(2023, 11, 30))
    assert (november["numerator"], november["denominator"], november["status"]) == (0, 0, "x")
    assert pd.isna(november["value"])


def test_easter_is_not_a_working_day_for_assessments() -> None:
    # Start Mon 19 Feb 2024; Good Friday 29 Mar and Easter Monday 1 Apr 2024 are bank holidays,
    # so the 45th working day is Wed 24 Apr 2024 (without them it would be Mon 22 Apr).
    result = rows(
        tables(
            censuses=[("201", date(2024, 3, 31)), ("201", date(2025, 3, 31))],
            assessments=[
                assessment(date(2024, 2, 19), date(2024, 4, 24)),
                assessment(date(2024, 2, 19), date(2024, 4, 25)),
            ],
        )
    )
    april = pick(result, "assessments_45_days", date(2024, 4, 30))
    assert (april["numerator"], april["denominator"]) == (1, 2)


def test_ytd_starts_in_april_and_rolling_needs_twelve_covered_months() -> None:
    frames = tables(
        censuses=[("201", date(2023, 3, 31)), ("201", date(2024, 3, 31))],
        referrals=[
            referral("A", date(2023, 3, 15), closure_date=date(2023, 3, 20)),
            referral("A", date(2023, 4, 15)),
            referral("B", date(2022, 4, 1)),
        ],
    )
    result = rows(frames)
    ytd_april = pick(result, "re_referrals", date(2023, 4, 30), "ytd")
    assert (ytd_april["numerator"], ytd_april["denominator"]) == (1, 1)
    ytd_march = pick(result, "re_referrals", date(2023, 3, 31), "ytd")
    assert (ytd_march["numerator"], ytd_march["denominator"]) == (0, 2)
    rolling = pick(result, "re_referrals", date(2023, 4, 30), "rolling_12m")  # May 2022 to Apr 2023
    assert (rolling["numerator"], rolling["denominator"]) == (1, 2)
    first_rolling = result[
        (result["period_type"] == "rolling_12m") & (result["indicator_id"] == "re_referrals")
    ]
    assert first_rolling["period_end"].min() == date(2023, 3, 31)  # April 2022 is the first covered month


def test_months_outside_every_census_year_get_no_rows() -> None:
    result = rows(
        tables(censuses=[("201", date(2023, 10, 31))], referrals=[referral("A", date(2023, 11, 2))])
    )
    months = result[(result["indicator_id"] == "re_referrals") & (result["period_type"] == "month")]
    assert list(months["period_end"]) == [date(2023, m, 30 if m in (4, 6, 9) else 31) for m in range(4, 11)]
    assert result[result["period_type"] == "rolling_12m"].empty


def test_children_in_need_at_month_end() -> None:
    frames = tables(
        referrals=[
            referral("open", date(2023, 4, 3)),
            referral("closed on the month end", date(2023, 4, 3), closure_date=date(2023, 4, 30)),
            referral("closed the day after", date(2023, 4, 3), closure_date=date(2023, 5, 1)),
            referral("nfa", date(2023, 4, 3), referral_nfa=True),
            referral(
                "rc8 assessment only",
                date(2023, 4, 3),
                closure_date=date(2023, 6, 1),
                reason_for_closure="RC8",
            ),
            referral(
                "rc9 with s47",
                date(2023, 4, 3),
                closure_date=date(2023, 6, 1),
                reason_for_closure="RC9",
                section47_count=1,
            ),
            referral("twice", date(2023, 4, 3), closure_date=date(2023, 8, 1)),
            referral("twice", date(2023, 4, 20)),
            referral("starts on month end", date(2023, 4, 30)),
        ]
    )
    counts = front_door.children_in_need_counts(cin_store(frames)).set_index("period_end")["count"]
    assert (
        counts[date(2023, 4, 30)] == 5
    )  # open, closed the day after, rc9 with s47, twice, starts on month end
    assert counts[date(2023, 5, 31)] == 4
    assert counts[date(2023, 6, 30)] == 3


def test_cin_rate_per_10000_and_missing_without_population() -> None:
    store = cin_store(tables(referrals=[referral("A", date(2023, 4, 3)), referral("B", date(2023, 4, 3))]))
    store.execute("insert into population values ('201', 2023, 40000, 'test')")
    result = front_door.compute(store)
    rate = pick(result, "cin_rate", date(2023, 7, 31), "snapshot")
    assert (rate["numerator"], rate["denominator"], rate["value"]) == (2, 40000, 0.5)
    before_estimate = pick(result, "cin_rate", date(2023, 4, 30), "snapshot")  # mid-2023 estimate is 30 June
    assert before_estimate["status"] == "x" and pd.isna(before_estimate["value"])


def test_no_cin_tables_gives_no_rows() -> None:
    import duckdb

    from loaders.store import Writer, ensure_schema

    con = duckdb.connect()
    ensure_schema(con)
    assert front_door.compute(Writer(con=con, path=None)).empty  # type: ignore[arg-type]


def test_ingest_records_computed_cin_kpis(tmp_path, db_path) -> None:  # type: ignore[no-untyped-def]
    from loaders.ingest import ingest
    from loaders.store import Reader
    from metrics.compute import recompute
    from tests.fixtures.cin.xml import child_xml, episode_xml, write_census

    path = write_census(
        tmp_path,
        "cin.xml",
        [child_xml("A", episode_xml("2023-05-02", assessments=(("2023-05-02", "2023-05-09"),)))],
    )
    assert ingest([path], db=db_path, derive=recompute).ok
    stored = Reader(db_path).query(
        "select * from kpi where indicator_id = 'assessments_45_days' and period_type = 'ytd' "
        "and period_end = date '2024-03-31'"
    )
    assert (stored["numerator"].iloc[0], stored["denominator"].iloc[0], stored["value"].iloc[0]) == (
        1,
        1,
        100,
    )
    assert (stored["origin"].iloc[0], stored["source"].iloc[0]) == ("computed", "CIN census")


def test_recompute_scope_limits_rows_to_the_month_ends_redone_with_full_windows() -> None:
    frames = tables(
        censuses=[("201", date(2023, 3, 31)), ("201", date(2024, 3, 31)), ("202", date(2024, 3, 31))],
        referrals=[
            referral("A", date(2022, 6, 1), closure_date=date(2022, 6, 2)),
            referral("A", date(2023, 5, 1)),
        ],
    )
    store = cin_store(frames)
    everything = front_door.compute(store)
    store.execute("insert into recompute_scope (la_code, from_date) values ('201', date '2023-05-01')")
    scoped = front_door.compute(store)
    assert set(scoped["la_code"]) == {"201"}
    assert scoped["period_end"].min() == date(2023, 5, 31)
    keys = ["la_code", "indicator_id", "period_type", "period_end"]
    expected = everything[(everything["la_code"] == "201") & (everything["period_end"] >= date(2023, 5, 31))]
    pd.testing.assert_frame_equal(
        scoped.sort_values(keys).reset_index(drop=True), expected.sort_values(keys).reset_index(drop=True)
    )
    rolling = pick(scoped, "re_referrals", date(2023, 5, 31), "rolling_12m")
    assert (rolling["numerator"], rolling["denominator"]) == (1, 2)
