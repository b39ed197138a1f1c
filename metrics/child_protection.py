"""Child protection measures from the CIN census: repeat plans, ICPC and review timeliness, CP rate.

Shaped like metrics/front_door.py (whose helpers it shares): set-based DuckDB SQL over every LA
and covered month end at once, with metrics/reference/child_protection.py as the plain pandas
statement of the definitions the property tests hold it to. Percentages are 0-100; a zero
denominator gives a missing value with status "x", never 0.
"""

from __future__ import annotations

import pandas as pd

from metrics.front_door import (
    empty_kpis,
    event_measures,
    has_cin_tables,
    rate_rows,
    snapshot_counts,
    with_percentages,
)
from metrics.kpis import Queryable
from metrics.look_back import covered_month_runs, withhold_uncovered_look_back

FAMILY = "child_protection"  # its name in metrics.scope.FAMILIES (recompute_scope)
EVENT_INDICATORS = ("repeat_cp_plans", "repeat_cp_plans_within_2_years", "icpc_15_days")



def child_protection_snapshots(store: Queryable) -> pd.DataFrame:
    """Per LA and covered month end: children_on_plan, reviews_denominator, reviews_numerator."""
    return snapshot_counts(store, "child_protection_snapshots.sql", FAMILY)


def compute(store: Queryable) -> pd.DataFrame:
    """Child protection KPI rows for every LA and covered month end (empty without CIN tables).

    - repeat_cp_plans: CP plans starting in the period that were a second or subsequent plan
      (NumberOfPreviousCPP above 0, or an earlier plan for the child in the data) / CP plans
      starting in the period. Each plan counts. Low is better.
    - repeat_cp_plans_within_2_years: CP plans starting in the period whose child's previous plan
      ended within the 2 years before the start (on or after start minus 2 years) / CP plans
      starting in the period. Low is better. The previous plan is the child's plan starting just
      before, found in any loaded census (the store keeps each plan once, from its latest census).
      A previous plan that ended before the first loaded census is not in the data, so a period
      whose 2-year look-back (from 2 years before the period's first day) reaches before the
      loaded censuses' continuous coverage gets no value: numerator and value missing, status x,
      the reason given by metrics.value_notes. An undercounted rate (the demo's 0.0% beside 19.8%
      for all repeats) reads as good performance, so an analyst is better served by no value and
      a reason than by a flagged low one; DOMAIN.md is silent on this local measure.
    - icpc_15_days: ICPCs held in the period within 15 working days of the section 47 start
      (strategy discussion) / ICPCs held in the period. High is better.
    - cp_reviews_on_time (snapshot): children on a plan at the month end for at least 3 months
      whose reviews were all in time / children on a plan at the month end for at least 3 months.
      High is better.
    - cp_rate (snapshot): children on a CP plan at the month end / ONS population aged 0-17 x
      10,000. No polarity.
    A zero denominator gives a missing value (status x), never 0.
    """
    if not has_cin_tables(store):
        return empty_kpis()
    snapshots = child_protection_snapshots(store)
    reviews = with_percentages(
        snapshots.rename(
            columns={"reviews_numerator": "numerator", "reviews_denominator": "denominator"}
        ).assign(indicator_id="cp_reviews_on_time", period_type="snapshot")
    )
    counts = snapshots.rename(columns={"children_on_plan": "count"})[["la_code", "period_end", "count"]]
    events = event_measures(store, "child_protection_events.sql", EVENT_INDICATORS, FAMILY)
    frames = [
        withhold_uncovered_look_back(events, covered_month_runs(store)),
        reviews,
        rate_rows(store, counts, "cp_rate"),
    ]
    frames = [frame for frame in frames if not frame.empty]
    return pd.concat(frames, ignore_index=True) if frames else empty_kpis()
