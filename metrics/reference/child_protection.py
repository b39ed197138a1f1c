"""Plain pandas statement of the child protection measures, for property tests of metrics/child_protection.py.

Loops for clarity. Frames in (the CIN census tables keyed by name), KPI rows out: repeat_cp_plans,
repeat_cp_plans_within_2_years and icpc_15_days (month, ytd, rolling_12m) and cp_reviews_on_time
(snapshot); `children_on_plan_counts` gives the counts behind cp_rate. A within-2-years row whose
look-back (2 years before the period's first day to its end) is not wholly covered by the loaded
censuses has no numerator or value (status x).
"""

from __future__ import annotations

from datetime import date

import pandas as pd

from metrics.periods import month_end, window_start
from metrics.reference.front_door import (
    KPI_COLUMNS,
    add_months,
    as_date,
    covered_month_ends,
    event_rows,
    percent_row,
    records,
)
from metrics.working_days import working_days_between

EVENT_INDICATORS = ("repeat_cp_plans", "repeat_cp_plans_within_2_years", "icpc_15_days")


def plan_events(tables: dict[str, pd.DataFrame]) -> list[tuple[str, str, date, bool]]:
    plans = records(tables["cin_cp_plans"])
    events = []
    for plan in plans:
        start = as_date(plan["plan_start_date"])
        assert start is not None
        earlier = sorted(
            (
                other
                for other in plans
                if other["la_code"] == plan["la_code"]
                and other["child_id"] == plan["child_id"]
                and as_date(other["plan_start_date"]) < start  # type: ignore[operator]
            ),
            key=lambda other: as_date(other["plan_start_date"]),  # type: ignore[arg-type,return-value]
        )
        previous_count = plan["number_of_previous_plans"]
        has_previous_count = previous_count is not None and not pd.isna(previous_count) and previous_count > 0
        repeat = has_previous_count or bool(earlier)
        previous_end = as_date(earlier[-1]["plan_end_date"]) if earlier else None
        within_2_years = previous_end is not None and add_months(start, -24) <= previous_end <= start
        la_code = str(plan["la_code"])
        events.append((la_code, "repeat_cp_plans", start, repeat))
        events.append((la_code, "repeat_cp_plans_within_2_years", start, within_2_years))
    return events


def icpc_events(tables: dict[str, pd.DataFrame]) -> list[tuple[str, str, date, bool]]:
    """ICPCs: section 47 ones from the S47 start; transfer-in ones (CINdetails date) from the referral."""
    conferences: dict[tuple[str, str, date], tuple[int, date]] = {}

    def offer(la_code: str, child_id: str, held: date, preference: int, start: date) -> None:
        key = (la_code, child_id, held)
        if key not in conferences or (preference, start) < conferences[key]:
            conferences[key] = (preference, start)

    for enquiry in records(tables["cin_section47"]):
        held, start = as_date(enquiry["icpc_date"]), as_date(enquiry["s47_start_date"])
        if held is not None and start is not None:
            offer(str(enquiry["la_code"]), str(enquiry["child_id"]), held, 1, start)
    for referral in records(tables["cin_referrals"]):
        held, start = as_date(referral["transfer_icpc_date"]), as_date(referral["referral_date"])
        if held is not None and start is not None and held >= start:
            offer(str(referral["la_code"]), str(referral["child_id"]), held, 2, start)
    return [
        (la_code, "icpc_15_days", held, working_days_between(start, held) <= 15)
        for (la_code, _child, held), (_preference, start) in conferences.items()
    ]


def look_back_covered(period_end: date, period_type: str, covered: set[date]) -> bool:
    """Whether every month from 2 years before the period's first day to its end is covered."""
    first = add_months(window_start(period_end, period_type), -24)
    day = month_end(first)
    while day <= period_end:
        if day not in covered:
            return False
        day = month_end(add_months(day.replace(day=1), 1))
    return True


def compute(tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """Event rows for the three event measures plus cp_reviews_on_time snapshot rows."""
    covered = covered_month_ends(tables)
    events = event_rows(plan_events(tables) + icpc_events(tables), EVENT_INDICATORS, covered)
    for position, row in events.iterrows():
        if row["indicator_id"] == "repeat_cp_plans_within_2_years" and not look_back_covered(
            row["period_end"], row["period_type"], set(covered[row["la_code"]])
        ):
            events.loc[position, ["numerator", "value"]] = float("nan")
            events.loc[position, "status"] = "x"
    snapshots = child_protection_snapshots(tables)
    reviews = pd.DataFrame(
        [
            percent_row(
                row["la_code"],
                "cp_reviews_on_time",
                row["period_end"],
                "snapshot",
                row["reviews_numerator"],
                row["reviews_denominator"],
            )
            for row in records(snapshots)
        ],
        columns=KPI_COLUMNS,
    )
    return pd.concat([events, reviews], ignore_index=True)


def reviews_in_time(start: date, reviews: list[date], period_end: date, known_from: date) -> bool:
    """First review within 3 months of the start, then every 6 months, and none overdue at period_end.

    A gap is judged only when it ends on or after `known_from` (before it the census has only the
    last review of each plan).
    """
    previous, allowed_months = start, 3
    for review in sorted(reviews):
        if review > add_months(previous, allowed_months) and review >= known_from:
            return False
        previous, allowed_months = review, 6
    return add_months(previous, allowed_months) >= period_end


def child_protection_snapshots(tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """Per LA and covered month end: children_on_plan, reviews_denominator, reviews_numerator."""
    covered = covered_month_ends(tables)
    returns = tables["cin_census_returns"]
    plans = records(tables["cin_cp_plans"])
    reviews = records(tables["cin_cp_reviews"])
    rows = []
    for la_code, month_ends in covered.items():
        known_from = min(
            day
            for day in (as_date(d) for d in returns.loc[returns["la_code"] == la_code, "coverage_start"])
            if day is not None
        )
        for period_end in month_ends:
            current: dict[str, date] = {}
            for plan in plans:
                start, end = as_date(plan["plan_start_date"]), as_date(plan["plan_end_date"])
                assert start is not None
                if (
                    plan["la_code"] != la_code
                    or start > period_end
                    or (end is not None and end <= period_end)
                ):
                    continue
                child = str(plan["child_id"])
                if child not in current or start > current[child]:
                    current[child] = start
            denominator = numerator = 0
            for child, start in current.items():
                if add_months(start, 3) > period_end:
                    continue
                denominator += 1
                held = [
                    review_date
                    for review in reviews
                    if review["la_code"] == la_code
                    and review["child_id"] == child
                    and as_date(review["plan_start_date"]) == start
                    and (review_date := as_date(review["review_date"])) is not None
                    and review_date <= period_end
                ]
                numerator += reviews_in_time(start, held, period_end, known_from)  # type: ignore[arg-type]
            rows.append(
                {
                    "la_code": la_code,
                    "period_end": period_end,
                    "children_on_plan": len(current),
                    "reviews_denominator": denominator,
                    "reviews_numerator": numerator,
                }
            )
    return pd.DataFrame(
        rows,
        columns=["la_code", "period_end", "children_on_plan", "reviews_denominator", "reviews_numerator"],
    )
