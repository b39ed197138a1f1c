"""Rates per 10,000 children: count / ONS mid-year population aged 0-17 x 10,000. No polarity.

The counts come from the families that own them (children in need and on CP plans from the CIN
census, children looked after from the SSDA903); this module only turns counts into rates. A
month end uses the latest mid-year estimate on or before it (30 June of the estimate's year); with
no estimate loaded for the LA the rate is missing (status x), never 0.
"""

from __future__ import annotations

import pandas as pd

from metrics.kpis import Queryable


def per_10k(store: Queryable, counts: pd.DataFrame, indicator_id: str, source: str) -> pd.DataFrame:
    """KPI rows (snapshot) for `counts` with columns la_code, period_end, count."""
    if counts.empty:
        return pd.DataFrame()
    population = store.query(
        "select la_code, make_date(year, 6, 30) as estimate_date, population_0_17 from population"
    )
    rows = counts[["la_code", "period_end", "count"]].rename(columns={"count": "numerator"})
    rows = rows.assign(
        la_code=rows["la_code"].astype(str),
        period_end=pd.to_datetime(rows["period_end"]).astype("datetime64[ns]"),
    ).sort_values("period_end")
    population = population.assign(
        la_code=population["la_code"].astype(str),
        estimate_date=pd.to_datetime(population["estimate_date"]).astype("datetime64[ns]"),
        population_0_17=population["population_0_17"].astype("float64"),
    ).sort_values("estimate_date")
    rows = pd.merge_asof(
        rows, population, left_on="period_end", right_on="estimate_date", by="la_code",
        direction="backward",
    )
    rows["denominator"] = rows["population_0_17"]
    has_population = rows["denominator"].notna() & (rows["denominator"] > 0)
    rows["value"] = (rows["numerator"] / rows["denominator"] * 10000).where(has_population)
    rows["status"] = ["" if ok else "x" for ok in has_population]
    rows["indicator_id"] = indicator_id
    rows["period_type"] = "snapshot"
    rows["source"] = source
    rows["period_end"] = rows["period_end"].dt.date
    return rows.drop(columns=["estimate_date", "population_0_17"]).reset_index(drop=True)
