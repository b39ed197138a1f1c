"""Plain pandas statement of the front door measures, for property tests of metrics/front_door.py.

Written for clarity, not speed: loops over LAs, month ends and children. Frames in (the CIN
census tables as the loader stores them, keyed by table name), KPI rows out. The rate per
10,000 needs the population table, so the reference stops at the count of children in need.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

import pandas as pd

from loaders.base import KPI_COLUMNS
from metrics.periods import month_end, window_start
from metrics.working_days import working_days_between

EVENT_PERIOD_TYPES = ("month", "ytd", "rolling_12m")


def as_date(value: object) -> date | None:
    if value is None or pd.isna(value):
        return None
    return pd.Timestamp(value).date()


def add_months(day: date, months: int) -> date:
    """Calendar months later (earlier when negative), the day clamped to the month's end."""
    return (pd.Timestamp(day) + pd.DateOffset(months=months)).date()


def records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    return frame.to_dict("records")


def covered_month_ends(tables: dict[str, pd.DataFrame]) -> dict[str, list[date]]:
    """LA -> sorted month ends covered by its censuses (1 April of the census year to the reference date)."""
    covered: dict[str, set[date]] = {}
    for row in records(tables["cin_census_returns"]):
        start, reference = as_date(row["coverage_start"]), as_date(row["reference_date"])
        assert start is not None and reference is not None
        day = month_end(start)
        while day <= reference:
            covered.setdefault(str(row["la_code"]), set()).add(day)
            day = month_end(add_months(day.replace(day=1), 1))
    return {la: sorted(days) for la, days in covered.items()}


def percent_row(
    la_code: str, indicator_id: str, period_end: date, period_type: str, numerator: int, denominator: int
) -> dict[str, object]:
    return {
        "la_code": la_code,
        "indicator_id": indicator_id,
        "period_end": period_end,
        "period_type": period_type,
        "numerator": float(numerator),
        "denominator": float(denominator),
        "value": 100 * float(numerator) / float(denominator) if denominator > 0 else float("nan"),
        "status": "" if denominator > 0 else "x",
    }


def event_rows(
    events: Iterable[tuple[str, str, date, bool]],
    indicator_ids: Iterable[str],
    covered: dict[str, list[date]],
) -> pd.DataFrame:
    """Month, year-to-date and rolling 12-month rows from (la_code, indicator_id, event_date, hit)."""
    events = list(events)
    rows = []
    for la_code, month_ends in covered.items():
        covered_set = set(month_ends)
        for indicator_id in indicator_ids:
            mine = [(day, hit) for la, ind, day, hit in events if la == la_code and ind == indicator_id]
            for period_end in month_ends:
                for period_type in EVENT_PERIOD_TYPES:
                    start = window_start(period_end, period_type)
                    if period_type == "rolling_12m":
                        months = {month_end(add_months(start, k)) for k in range(12)}
                        if not months <= covered_set:
                            continue
                    inside = [hit for day, hit in mine if start <= day <= period_end]
                    rows.append(
                        percent_row(la_code, indicator_id, period_end, period_type, sum(inside), len(inside))
                    )
    return pd.DataFrame(rows, columns=KPI_COLUMNS)


def re_referral_events(tables: dict[str, pd.DataFrame]) -> list[tuple[str, str, date, bool]]:
    """A referral within 12 months of the same child's previous referral (previous >= date - 12 months).

    Each referral is compared with the other referrals of the same child (in the same LA), not
    with every referral in the table: the same rule, without a cost that grows with the square
    of the LA's referrals."""
    by_child: dict[tuple[str, str], list[date]] = {}
    for referral in records(tables["cin_referrals"]):
        day = as_date(referral["referral_date"])
        assert day is not None
        by_child.setdefault((str(referral["la_code"]), str(referral["child_id"])), []).append(day)
    events = []
    for (la_code, _child), days in by_child.items():
        for day in days:
            earlier = [other for other in days if other < day]
            previous = max(earlier) if earlier else None
            hit = previous is not None and previous >= add_months(day, -12)
            events.append((la_code, "re_referrals", day, hit))
    return events


def assessment_events(tables: dict[str, pd.DataFrame]) -> list[tuple[str, str, date, bool]]:
    """An assessment authorised in the period in 45 working days or less from its start."""
    events = []
    for assessment in records(tables["cin_assessments"]):
        start = as_date(assessment["assessment_start_date"])
        authorised = as_date(assessment["assessment_authorisation_date"])
        if start is None or authorised is None:
            continue
        hit = working_days_between(start, authorised) <= 45
        events.append((str(assessment["la_code"]), "assessments_45_days", authorised, hit))
    return events


def compute(tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """re_referrals and assessments_45_days rows (month, ytd, rolling_12m) for every covered month end."""
    covered = covered_month_ends(tables)
    events = re_referral_events(tables) + assessment_events(tables)
    return event_rows(events, ("re_referrals", "assessments_45_days"), covered)


def children_in_need_counts(tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """Children with an open episode at each covered month end (NFA and RC8/RC9 assessment-only left out)."""
    covered = covered_month_ends(tables)
    episodes = []
    for referral in records(tables["cin_referrals"]):
        if referral["referral_nfa"]:
            continue
        assessment_only = referral["section47_count"] == 0 and referral["cp_plan_count"] == 0
        if assessment_only and referral["reason_for_closure"] in ("RC8", "RC9"):
            continue
        episodes.append(referral)
    rows = []
    for la_code, month_ends in covered.items():
        for period_end in month_ends:
            children = {
                episode["child_id"]
                for episode in episodes
                if episode["la_code"] == la_code
                and as_date(episode["referral_date"]) <= period_end  # type: ignore[operator]
                and (
                    as_date(episode["closure_date"]) is None or as_date(episode["closure_date"]) > period_end  # type: ignore[operator]
                )
            }
            rows.append({"la_code": la_code, "period_end": period_end, "count": len(children)})
    return pd.DataFrame(rows, columns=["la_code", "period_end", "count"])
