"""The 2-year look-back of repeat CP plans within 2 years, and which months the data covers for it.

A CP plan's previous plan is found only if it is in a loaded CIN census. A census holds the plans
open at any time in its year, so a previous plan that ended within 2 years of a plan starting is
in the data when the loaded censuses cover, without a gap, every month from 2 years before the
period's first day to the period's end. Periods whose look-back is not covered get no value
(metrics.child_protection says why that, not a flagged value); metrics.value_notes gives the
reason beside them. No imports from metrics.kpis, so value_notes (read by kpis) can use it.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any, Protocol

import pandas as pd

WITHIN_2_YEARS = "repeat_cp_plans_within_2_years"
LOOK_BACK_MONTHS = 24
_COVERED_MONTHS_SQL = (Path(__file__).resolve().parent / "sql" / "front_door_covered_months.sql").read_text()


class _Queryable(Protocol):
    def query(self, sql: str, params: Any = None) -> pd.DataFrame: ...


def covered_month_runs(store: _Queryable) -> pd.DataFrame:
    """la_code, period_end, run_months: how many consecutive month ends the LA's loaded censuses
    cover up to and including each covered month end."""
    months = store.query(f"select * from ({_COVERED_MONTHS_SQL}) order by la_code, period_end")
    if months.empty:
        return months.assign(run_months=pd.Series(dtype="int64"))
    months["period_end"] = pd.to_datetime(months["period_end"]).dt.date
    index = pd.Series([d.year * 12 + d.month for d in months["period_end"]], index=months.index)
    island = index - months.groupby("la_code").cumcount()
    months["run_months"] = months.groupby([months["la_code"], island]).cumcount() + 1
    return months


def look_back_months(period_end: date, period_type: str) -> int:
    """Months from the first month a 2-year look-back for the period reaches to its last month,
    inclusive: the period's own months plus 24."""
    own = {"month": 1, "rolling_12m": 12}.get(period_type, (period_end.month - 4) % 12 + 1)
    return own + LOOK_BACK_MONTHS


def withhold_uncovered_look_back(events: pd.DataFrame, runs: pd.DataFrame) -> pd.DataFrame:
    """repeat_cp_plans_within_2_years rows whose look-back the loaded censuses do not cover
    lose their numerator and value (status x); other rows unchanged."""
    if events.empty:
        return events
    rows = events.copy()
    run = rows.merge(runs, on=["la_code", "period_end"], how="left")["run_months"].fillna(0)
    needed = [look_back_months(d, t) for d, t in zip(rows["period_end"], rows["period_type"], strict=True)]
    uncovered = (rows["indicator_id"] == WITHIN_2_YEARS).to_numpy() & (run.to_numpy() < needed)
    rows.loc[uncovered, ["numerator", "value"]] = float("nan")
    rows.loc[uncovered, "status"] = "x"
    return rows
