"""Small read-only views of the store that the pages show as they are.

The pages never write SQL: what they list (settings, the load log, data-quality findings, which
periods and indicators hold values, England's published value) is read here, through the store's
query gateway, with values as parameters.
"""

from __future__ import annotations

from datetime import date

import pandas as pd

from metrics.kpis import Queryable


def settings(store: Queryable) -> dict[str, str]:
    found = store.query("select key, value from settings")
    return dict(zip(found["key"], found["value"], strict=True))


def las_with_kpis(store: Queryable) -> list[str]:
    return store.query("select distinct la_code from kpi order by la_code")["la_code"].tolist()


def indicator_period_types(store: Queryable, la_code: str) -> pd.DataFrame:
    """Per indicator with KPI rows for the LA: its period types and whether any value is present."""
    return store.query(
        "select indicator_id, list(distinct period_type) as period_types, "
        "count(value) > 0 as has_values from kpi where la_code = ? group by indicator_id",
        [la_code],
    )


def findings_for_months(store: Queryable, la_code: str, months: list[date]) -> pd.DataFrame:
    """Data-quality findings for the LA (or for no LA in particular) dated in `months`."""
    if not months:
        return pd.DataFrame(columns=["period_end", "severity", "source_file", "message"])
    return store.query(
        "select period_end, severity, source_file, message from dq_findings "
        "where (la_code = ? or la_code is null) and period_end in (select unnest(?::date[])) "
        "order by period_end, severity, source_file",
        [la_code, months],
    )


def published_indicators(store: Queryable) -> set[str]:
    """Indicators with a published benchmark value in the store."""
    return set(store.query("select distinct indicator_id from benchmark_best")["indicator_id"])


def england_value(store: Queryable, indicator_id: str, year: int) -> float | None:
    """England's published value for the indicator and year, or None."""
    found = store.query(
        "select value from benchmark_values where indicator_id = ? and year = ? "
        "and geographic_level = 'National' and value is not null order by source limit 1",
        [indicator_id, int(year)],
    )
    return None if found.empty else float(found["value"].iloc[0])


def load_log(store: Queryable) -> pd.DataFrame:
    return store.query(
        "select loaded_at, file_name, kind, la_code, rows, outcome, messages from load_log "
        "order by loaded_at desc, file_name"
    )


def all_findings(store: Queryable) -> pd.DataFrame:
    return store.query(
        "select strftime(period_end, '%Y-%m-%d') as period_end, severity, kind, source_file, location, "
        "message from dq_findings "
        "order by period_end desc nulls last, severity, source_file"
    )


def kpi_coverage(store: Queryable) -> pd.DataFrame:
    """Per LA and source: how many KPI values, and the first and last period."""
    return store.query(
        "select la_code, source, count(*) as kpi_values, "
        "strftime(min(period_end), '%Y-%m-%d') as first_period, "
        "strftime(max(period_end), '%Y-%m-%d') as last_period "
        "from kpi group by all order by la_code, source"
    )


def period_ends(store: Queryable, la_code: str) -> list[date]:
    found = store.query(
        "select distinct period_end from kpi where la_code = ? order by period_end", [la_code]
    )
    return [pd.Timestamp(d).date() for d in found["period_end"]]
