"""Child protection measures on hand-computed cases: every edge of each definition."""

from __future__ import annotations

from datetime import date

import pandas as pd

from metrics import child_protection
from tests.fixtures.cin.builders import cin_store, tables
from tests.metrics.test_front_door import pick


def rows(frames: dict[str, pd.DataFrame]) -> pd.DataFrame:
    return child_protection.compute(cin_store(frames))


def plan(child: str, start: date, end: date | None = None, previous: int | None = 0) -> dict[str, object]:
    return {
        "child_id": child,
        "plan_start_date": start,
        "plan_end_date": end,
        "number_of_previous_plans": previous,
    }


def test_repeat_plan_by_number_of_previous_plans_or_an_earlier_plan_each_plan_counting() -> None:
    result = rows(
        tables(
            cp_plans=[
                plan("first ever", date(2023, 6, 5)),
                plan("told by the count", date(2023, 6, 6), previous=2),
                plan("count missing", date(2023, 6, 7), previous=None),
                plan("twice", date(2023, 6, 1), end=date(2023, 6, 10)),  # first plan: not a repeat
                plan("twice", date(2023, 6, 20)),  # earlier plan in the data: repeat
                plan("earlier", date(2015, 1, 1), end=date(2016, 1, 1)),
                plan("earlier", date(2023, 6, 25)),  # however long ago
            ]
        )
    )
    june = pick(result, "repeat_cp_plans", date(2023, 6, 30))
    assert (june["numerator"], june["denominator"]) == (3, 6)
    assert june["value"] == 50.0


# censuses for 2021/22, 2022/23 and 2023/24: April 2021 to March 2024
THREE_CENSUSES = [("201", date(2022, 3, 31)), ("201", date(2023, 3, 31)), ("201", date(2024, 3, 31))]


def test_repeat_within_2_years_of_the_previous_plan_ending() -> None:
    result = rows(
        tables(
            THREE_CENSUSES,
            cp_plans=[
                plan("exactly 2 years", date(2021, 1, 1), end=date(2021, 7, 10)),
                plan("exactly 2 years", date(2023, 7, 10)),
                plan("2 years and a day", date(2021, 1, 1), end=date(2021, 7, 9)),
                plan("2 years and a day", date(2023, 7, 10)),
                plan("still open", date(2023, 1, 1)),
                plan("still open", date(2023, 7, 11)),  # previous has not ended: not within
                plan("count only", date(2023, 7, 12), previous=3),  # no previous plan in the data
                plan("same day", date(2023, 2, 1), end=date(2023, 7, 13)),
                plan("same day", date(2023, 7, 13)),
            ]
        )
    )
    july = pick(result, "repeat_cp_plans_within_2_years", date(2023, 7, 31))
    assert (july["numerator"], july["denominator"]) == (2, 5)
    repeats = pick(result, "repeat_cp_plans", date(2023, 7, 31))
    assert (repeats["numerator"], repeats["denominator"]) == (5, 5)


def test_repeat_within_2_years_from_a_leap_day() -> None:
    result = rows(
        tables(
            THREE_CENSUSES,
            cp_plans=[
                plan("A", date(2021, 6, 1), end=date(2022, 2, 28)),
                plan("A", date(2024, 2, 29)),  # 29 Feb 2024 minus 2 years is 28 Feb 2022
            ]
        )
    )
    february = pick(result, "repeat_cp_plans_within_2_years", date(2024, 2, 29))
    assert (february["numerator"], february["denominator"]) == (1, 1)


def test_repeat_within_2_years_has_no_value_where_the_look_back_reaches_before_the_censuses() -> None:
    # Censuses from April 2021: a month's look-back is covered from April 2023 (April 2021 + 2
    # years); year to date likewise from April 2023; the first rolling 12 months covered is the
    # one ending March 2024 (its window starts April 2023, its look-back April 2021).
    result = rows(
        tables(
            THREE_CENSUSES,
            cp_plans=[
                plan("A", date(2022, 1, 1), end=date(2022, 6, 1)),
                plan("A", date(2023, 3, 10)),  # within 2 years, but March 2023 is not covered
                plan("B", date(2022, 1, 1), end=date(2022, 6, 1)),
                plan("B", date(2023, 4, 10)),  # within 2 years, April 2023: covered
            ],
        )
    )
    march = pick(result, "repeat_cp_plans_within_2_years", date(2023, 3, 31))
    assert pd.isna(march["numerator"]) and pd.isna(march["value"])
    assert (march["denominator"], march["status"]) == (1, "x")
    march_ytd = pick(result, "repeat_cp_plans_within_2_years", date(2023, 3, 31), "ytd")
    assert march_ytd["status"] == "x" and pd.isna(march_ytd["value"])
    april = pick(result, "repeat_cp_plans_within_2_years", date(2023, 4, 30))
    assert (april["numerator"], april["denominator"], april["value"], april["status"]) == (1, 1, 100.0, "")
    april_ytd = pick(result, "repeat_cp_plans_within_2_years", date(2023, 4, 30), "ytd")
    assert (april_ytd["numerator"], april_ytd["denominator"]) == (1, 1)
    rolling = pick(result, "repeat_cp_plans_within_2_years", date(2024, 3, 31), "rolling_12m")
    assert (rolling["numerator"], rolling["denominator"], rolling["status"]) == (1, 1, "")
    # all repeats still counts March 2023 (any earlier plan, however long ago)
    assert pick(result, "repeat_cp_plans", date(2023, 3, 31))["value"] == 100.0


def test_repeat_within_2_years_needs_continuous_censuses_for_its_look_back() -> None:
    # 2021/22 and 2023/24 loaded, 2022/23 missing: a plan ending in 2022/23 could be unseen, so
    # no month of 2023/24 has a value although April 2021 is more than 2 years before it
    result = rows(
        tables(
            [("201", date(2022, 3, 31)), ("201", date(2024, 3, 31))],
            cp_plans=[plan("A", date(2023, 9, 1))],
        )
    )
    september = pick(result, "repeat_cp_plans_within_2_years", date(2023, 9, 30))
    assert september["status"] == "x" and pd.isna(september["numerator"])


def enquiry(child: str, start: date, icpc: date | None) -> dict[str, object]:
    return {"child_id": child, "s47_start_date": start, "icpc_date": icpc}


def test_icpc_within_15_working_days_of_the_strategy_discussion() -> None:
    result = rows(
        tables(
            section47=[
                enquiry("A", date(2023, 6, 5), date(2023, 6, 26)),  # Mon to Mon 3 weeks later: 15
                enquiry("B", date(2023, 6, 5), date(2023, 6, 27)),  # 16
                enquiry("C", date(2023, 6, 3), date(2023, 6, 23)),  # Sat start: 15
                enquiry("D", date(2023, 6, 5), None),  # no conference yet
                # 8 Dec 2023 + 15 working days over Christmas (25, 26 Dec, 1 Jan): Tue 2 Jan 2024
                enquiry("E", date(2023, 12, 8), date(2024, 1, 2)),
            ],
            referrals=[
                # transferred in: measured from the referral date; the S47 record wins a tie
                {"child_id": "F", "referral_date": date(2023, 6, 1), "transfer_icpc_date": date(2023, 6, 22)},
                {"child_id": "A", "referral_date": date(2023, 5, 1), "transfer_icpc_date": date(2023, 6, 26)},
                {"child_id": "G", "referral_date": date(2023, 6, 10), "transfer_icpc_date": date(2023, 6, 9)},
            ],
        )
    )
    june = pick(result, "icpc_15_days", date(2023, 6, 30))
    assert (june["numerator"], june["denominator"]) == (3, 4)
    january = pick(result, "icpc_15_days", date(2024, 1, 31))
    assert (january["numerator"], january["denominator"]) == (1, 1)


def review(child: str, start: date, day: date) -> dict[str, object]:
    return {"child_id": child, "plan_start_date": start, "review_date": day}


def reviews_at(result: pd.DataFrame, period_end: date) -> tuple[float, float]:
    found = pick(result, "cp_reviews_on_time", period_end, "snapshot")
    return found["numerator"], found["denominator"]


def test_reviews_on_time_boundaries() -> None:
    start = date(2023, 4, 15)
    frames = tables(
        cp_plans=[
            plan(c, start) for c in ("on the day", "a day late", "6 months on the day", "6 months late")
        ],
        cp_reviews=[
            review("on the day", start, date(2023, 7, 15)),
            review("a day late", start, date(2023, 7, 16)),
            review("6 months on the day", start, date(2023, 7, 1)),
            review("6 months on the day", start, date(2024, 1, 1)),
            review("6 months late", start, date(2023, 7, 1)),
            review("6 months late", start, date(2024, 1, 2)),
        ],
    )
    result = rows(frames)
    # 30 Jun: on the plan 2.5 months, not in the denominator
    assert reviews_at(result, date(2023, 6, 30)) == (0, 0)
    assert pick(result, "cp_reviews_on_time", date(2023, 6, 30), "snapshot")["status"] == "x"
    # 31 Jul: a day late is out; the other three had first reviews in time
    assert reviews_at(result, date(2023, 7, 31)) == (3, 4)
    # 31 Dec: "6 months late" has not yet had its review, which is due 1 Jan: still in time
    assert reviews_at(result, date(2023, 12, 31)) == (3, 4)
    # 31 Jan: "6 months late" reviewed on 2 Jan, a day late; "on the day" had no review since
    # 15 Jul 2023 (due 15 Jan): overdue. Only "6 months on the day" is in time.
    assert reviews_at(result, date(2024, 1, 31)) == (1, 4)
    assert reviews_at(result, date(2024, 3, 31)) == (1, 4)


def test_review_due_on_the_month_end_is_not_yet_overdue_and_three_months_exactly_counts() -> None:
    result = rows(tables(cp_plans=[plan("A", date(2023, 5, 31))]))
    # 31 May + 3 months = 31 Aug: on the plan 3 months exactly, first review due that day
    assert reviews_at(result, date(2023, 8, 31)) == (1, 1)
    assert reviews_at(result, date(2023, 9, 30)) == (0, 1)


def test_child_with_two_open_plans_is_judged_on_the_latest_and_counted_once() -> None:
    frames = tables(
        cp_plans=[plan("A", date(2022, 1, 1)), plan("A", date(2023, 4, 1))],
        cp_reviews=[review("A", date(2023, 4, 1), date(2023, 6, 1))],
    )
    snapshots = child_protection.child_protection_snapshots(cin_store(frames)).set_index("period_end")
    assert snapshots.loc[date(2023, 7, 31), "children_on_plan"] == 1
    assert snapshots.loc[date(2023, 7, 31), "reviews_numerator"] == 1


def test_gaps_before_the_first_census_year_are_not_judged() -> None:
    # Plan from 2021; the 2024 census carries the last review of 2022/23 (1 Mar 2023) and the
    # year's reviews. The gap from 2021 to March 2023 is unknown territory and not judged.
    start = date(2021, 1, 10)
    frames = tables(
        cp_plans=[plan("A", start), plan("B", start)],
        cp_reviews=[
            review("A", start, date(2023, 3, 1)),
            review("A", start, date(2023, 8, 30)),
            review("B", start, date(2023, 3, 1)),
            review("B", start, date(2023, 9, 2)),  # more than 6 months after 1 Mar: late
        ],
    )
    result = rows(frames)
    assert reviews_at(result, date(2023, 4, 30)) == (2, 2)
    assert reviews_at(result, date(2023, 9, 30)) == (1, 2)


def test_cp_rate_counts_children_on_a_plan_at_the_month_end() -> None:
    store = cin_store(
        tables(
            cp_plans=[
                plan("A", date(2023, 4, 10)),
                plan("B", date(2023, 4, 10), end=date(2023, 5, 31)),  # ends on the month end: off
                plan("C", date(2023, 4, 10), end=date(2023, 6, 1)),
            ]
        )
    )
    store.execute("insert into population values ('201', 2022, 20000, 'test')")
    result = child_protection.compute(store)
    may = pick(result, "cp_rate", date(2023, 5, 31), "snapshot")
    assert (may["numerator"], may["denominator"], may["value"]) == (2, 20000, 1.0)
    april = pick(result, "cp_rate", date(2023, 4, 30), "snapshot")
    assert april["numerator"] == 3


def test_recompute_scope_gives_the_same_rows_for_the_month_ends_redone() -> None:
    start = date(2022, 6, 1)
    frames = tables(
        censuses=[("201", date(2023, 3, 31)), ("201", date(2024, 3, 31))],
        cp_plans=[
            plan("A", start),
            plan("B", date(2023, 2, 1), end=date(2023, 9, 1)),
            plan("B", date(2023, 8, 1)),
        ],
        cp_reviews=[review("A", start, date(2022, 8, 20)), review("A", start, date(2023, 2, 1))],
    )
    store = cin_store(frames)
    everything = child_protection.compute(store)
    store.execute("insert into recompute_scope (la_code, from_date) values ('201', date '2023-06-15')")
    scoped = child_protection.compute(store)
    keys = ["la_code", "indicator_id", "period_type", "period_end"]
    expected = everything[everything["period_end"] >= date(2023, 6, 30)]
    pd.testing.assert_frame_equal(
        scoped.sort_values(keys).reset_index(drop=True), expected.sort_values(keys).reset_index(drop=True)
    )
