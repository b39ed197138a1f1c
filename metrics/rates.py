"""Rates per 10,000 children: count / ONS mid-year population aged 0-17 x 10,000. No polarity.

The counts come from the families that own them (children in need and on CP plans from the CIN
census, children looked after from the SSDA903); this module only turns counts into rates. A
month end uses the latest mid-year estimate on or before it (30 June of the estimate's year); with
no estimate loaded for the LA the rate is missing (status x), never 0.
"""

from __future__ import annotations

import pandas as pd

from metrics.kpis import Queryable

RATE_SQL = """
select
    c.la_code,
    c.period_end,
    c.count as numerator,
    p.population_0_17 as denominator
from _counts c
asof left join population p
    on p.la_code = c.la_code and c.period_end >= make_date(p.year, 6, 30)
"""


def per_10k(store: Queryable, counts: pd.DataFrame, indicator_id: str, source: str) -> pd.DataFrame:
    """KPI rows (snapshot) for `counts` with columns la_code, period_end, count."""
    if counts.empty:
        return pd.DataFrame()
    con = getattr(store, "con")
    con.register("_counts", counts[["la_code", "period_end", "count"]])
    try:
        rows = con.execute(RATE_SQL).df()
    finally:
        con.unregister("_counts")
    has_population = rows["denominator"].notna() & (rows["denominator"] > 0)
    rows["value"] = (rows["numerator"] / rows["denominator"] * 10000).where(has_population)
    rows["status"] = ["" if ok else "x" for ok in has_population]
    rows["indicator_id"] = indicator_id
    rows["period_type"] = "snapshot"
    rows["source"] = source
    return rows
