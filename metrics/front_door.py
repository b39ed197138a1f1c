"""Front door measures from the CIN census: re-referrals, assessments in 45 working days, CIN rate.

Why set-based SQL: the same code serves one LA's monthly report and a national recompute of 153
LAs over 10 years, so every measure is computed for all LAs and all covered month ends in one
query (a month-end grid joined to monthly event counts, window sums for year to date and rolling
12 months), never a Python loop over months. metrics/reference/front_door.py is the plain pandas
statement of the same definitions that the property tests hold this module to.

Periods: a census covers 1 April of its year to its reference date; month, year-to-date and
snapshot rows are given for every covered month end, rolling 12 months only where all 12 months
are covered. An incremental recompute (metrics.scope) limits the rows to the month ends in
`recompute_scope` and the input to what their windows can reach (events from 11 months before
the first month redone; earlier referrals only as far back as a re-referral looks). Values are
percentages (0-100); a zero denominator gives a missing value with status "x", never 0.
Numerator and denominator are stored with every value.

Interface: `compute(store)` takes the ingest's `Writer` (anything with `query(sql, params)` and,
for the rates, a DuckDB connection as `.con`, see metrics.rates.per_10k) and reads the tables
documented in loaders/cin_census.py. The reference is `metrics.reference.front_door.compute(tables)`
with the same tables as DataFrames. Measured on synthetic data (2 cores, 153 LAs x 10 years,
6.5 million referrals, 650,000 CP plans): about 9 s of CPU here and 4 s in child_protection;
one LA x 10 years about 0.3 s.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pandas as pd

from loaders.base import KPI_COLUMNS
from metrics.kpis import Queryable
from metrics.queryable import has_table
from metrics.rates import per_10k
from metrics.scope import family_filter
from metrics.working_days import CALENDAR_SQL, calendar_parameters

SQL_DIR = Path(__file__).resolve().parent / "sql"
SOURCE = "CIN census"
CIN_TABLES = (
    "cin_census_returns",
    "cin_referrals",
    "cin_assessments",
    "cin_section47",
    "cin_cp_plans",
    "cin_cp_reviews",
)
EVENT_INDICATORS = ("re_referrals", "assessments_45_days")
# their names in metrics.scope.FAMILIES (recompute_scope): the events, and the children in need count
FAMILY = "front_door"
CHILDREN_IN_NEED_FAMILY = "children_in_need"
CALENDAR_BOUNDS_SQL = """
select min(first_day) as first_day, max(last_day) as last_day from (
    select min(coverage_start) as first_day, max(reference_date) as last_day from cin_census_returns
    union all select min(referral_date), max(transfer_icpc_date) from cin_referrals
    union all select min(assessment_start_date), max(assessment_authorisation_date) from cin_assessments
    union all select min(s47_start_date), max(icpc_date) from cin_section47
)
"""


def _sql(name: str) -> str:
    return (SQL_DIR / name).read_text()


def _month_ctes(store: Queryable, family: str) -> str:
    """covered_months (every month end a census covers), scoped_months (those this recompute
    redoes for the measure family: metrics.scope's recompute_scope, all of them when it is empty
    or absent) and scoped_las (their LAs, with first_from, the first month redone, and
    window_from, 11 months before it: the first month a year-to-date or rolling window ending in a
    redone month can reach; lookback_from, 12 months before that, as far as a re-referral looks
    back). Queries read only those LAs' rows, and only the rows that can reach a redone month."""
    scoped = (
        "select c.* from covered_months c where not exists (select 1 from recompute_scope) "
        "or exists (select 1 from recompute_scope s "
        f"where s.la_code = c.la_code and {family_filter(family)} and c.period_end >= s.from_date)"
        if has_table(store, "recompute_scope")
        else "select * from covered_months"
    )
    return (
        f"covered_months as materialized ({_sql('front_door_covered_months.sql')}),\n"
        f"scoped_months as materialized ({scoped}),\n"
        "scoped_las as materialized (\n"
        "    select la_code, date_trunc('month', min(period_end))::date as first_from,\n"
        "        (date_trunc('month', min(period_end)) - interval 11 month)::date as window_from,\n"
        "        (date_trunc('month', min(period_end)) - interval 23 month)::date as lookback_from\n"
        "    from scoped_months group by la_code\n"
        "),\n"
    )


def has_cin_tables(store: Queryable) -> bool:
    found = store.query(
        "select count(distinct table_name) as n from information_schema.tables where table_name in "
        "(select unnest($names::varchar[]))",
        {"names": list(CIN_TABLES)},
    )
    return int(found["n"].iloc[0]) == len(CIN_TABLES)


def empty_kpis() -> pd.DataFrame:
    return pd.DataFrame(columns=[*KPI_COLUMNS, "source"])


def with_percentages(rows: pd.DataFrame) -> pd.DataFrame:
    """value = 100 x numerator / denominator; a zero denominator gives a missing value, status x."""
    rows = rows.copy()
    numerator = rows["numerator"].astype("float64")
    denominator = rows["denominator"].astype("float64")
    has_denominator = denominator > 0
    rows["numerator"] = numerator
    rows["denominator"] = denominator
    rows["value"] = (100 * numerator / denominator.where(has_denominator)).astype("float64")
    rows["status"] = ["" if ok else "x" for ok in has_denominator]
    rows["source"] = SOURCE
    return rows[[*KPI_COLUMNS, "source"]].reset_index(drop=True)


def event_measures(
    store: Queryable, events_file: str, indicator_ids: tuple[str, ...], family: str
) -> pd.DataFrame:
    """KPI rows (month, ytd, rolling_12m) for the events an events SQL file returns, for the month
    ends the recompute redoes for `family`."""
    bounds = store.query(CALENDAR_BOUNDS_SQL)
    first, last = bounds["first_day"].iloc[0], bounds["last_day"].iloc[0]
    if pd.isna(first) or pd.isna(last):
        return empty_kpis()
    first_day: date = pd.Timestamp(first).date()
    last_day: date = pd.Timestamp(last).date()
    sql = (
        f"with working_day_calendar as ({CALENDAR_SQL}),\n"
        + _month_ctes(store, family)
        + f"events as ({_sql(events_file)}),\n"
        "indicator_ids as (select unnest($indicator_ids::varchar[]) as indicator_id),\n"
        + _sql("front_door_period_totals.sql")
    )
    params = {**calendar_parameters(first_day, last_day), "indicator_ids": list(indicator_ids)}
    rows = store.query(sql, params)
    if rows.empty:
        return empty_kpis()
    rows["period_end"] = pd.to_datetime(rows["period_end"]).dt.date
    return with_percentages(rows)


def snapshot_counts(store: Queryable, snapshot_file: str, family: str) -> pd.DataFrame:
    """Run a snapshot SQL file (continuing a with-clause over covered_months) for every LA, for the
    month ends the recompute redoes for `family`."""
    sql = "with " + _month_ctes(store, family) + _sql(snapshot_file)
    rows = store.query(sql)
    rows["period_end"] = pd.to_datetime(rows["period_end"]).dt.date
    return rows


def children_in_need_counts(store: Queryable) -> pd.DataFrame:
    """Children in need at each covered month end: la_code, period_end, count (see the SQL file)."""
    return snapshot_counts(store, "front_door_children_in_need.sql", CHILDREN_IN_NEED_FAMILY)


def rate_rows(store: Queryable, counts: pd.DataFrame, indicator_id: str) -> pd.DataFrame:
    """Snapshot rate rows per 10,000 children; missing (x) where no population estimate is loaded."""
    rows = per_10k(store, counts, indicator_id, SOURCE)
    if rows.empty:
        return empty_kpis()
    rows["period_end"] = pd.to_datetime(rows["period_end"]).dt.date
    return rows[[*KPI_COLUMNS, "source"]]


def compute(store: Queryable) -> pd.DataFrame:
    """Front door KPI rows for every LA and covered month end (empty without CIN census tables).

    - re_referrals: referrals in the period within 12 months of the same child's previous referral
      / referrals in the period. Low is better.
    - assessments_45_days: assessments authorised in the period that took 45 working days or less
      / assessments authorised in the period. High is better.
    - cin_rate: children in need at the month end / ONS population aged 0-17 x 10,000. No polarity.
    A zero denominator gives a missing value (status x), never 0.
    """
    if not has_cin_tables(store):
        return empty_kpis()
    frames = [
        event_measures(store, "front_door_events.sql", EVENT_INDICATORS, FAMILY),
        rate_rows(store, children_in_need_counts(store), "cin_rate"),
    ]
    frames = [frame for frame in frames if not frame.empty]
    return pd.concat(frames, ignore_index=True) if frames else empty_kpis()
