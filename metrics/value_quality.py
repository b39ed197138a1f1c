"""Data quality beside every KPI value: the open DfE validation findings that can change it.

metrics.validation.runner rewrites validation_findings (one row per rule code, LA and collection
year) and validation_finding_months (per rule code, LA, indicator and KPI month end the flagged
records can change, with the rows and children flagged) after every ingest, so every finding held
is open. A value's findings are those whose indicators include the value's indicator and whose
months include the value's month end (whatever its period type: the months already carry the
indicator's look-back).

- dq_rule_codes: the rule codes, in code order, joined by "; " (e.g. "388; 434"); blank for none.
- dq_children: the children flagged, added up over those rule codes (a child flagged by two rules
  counts under each: the findings keep counts, never who the children are); 0 for none.

dq_marker words them for the screens: "⚠ 388; 434 (5 children)". No imports from metrics.kpis,
so kpis can use it.
"""

from __future__ import annotations

import re
from datetime import date

import pandas as pd

from metrics.queryable import Queryable

VALUE_KEY = ["la_code", "indicator_id", "period_end"]
FINDING_COLUMNS = ["rule_code", "severity", "message", "children", "rows"]


def _code_order(code: str) -> tuple[int, str]:
    number = re.match(r"\d+", code)
    return (int(number.group()) if number else 0, code)


def _has_tables(store: Queryable) -> bool:
    found = store.query(
        "select count(*) as n from information_schema.tables "
        "where table_name in ('validation_findings', 'validation_finding_months')"
    )
    return int(found["n"].iloc[0]) == 2


def value_findings(
    store: Queryable, la_code: str | None, indicator_id: str | None = None, month_end: date | None = None
) -> pd.DataFrame:
    """la_code, indicator_id, period_end and FINDING_COLUMNS: each open finding against a value
    (one LA or every LA for None; one indicator and month end when given), errors first."""
    columns = [*VALUE_KEY, *FINDING_COLUMNS]
    if not _has_tables(store):
        return pd.DataFrame(columns=columns)
    found = store.query(
        """
        with rules as (
            select la_code, rule_code, max(severity) as severity, max(message) as message
            from validation_findings
            group by la_code, rule_code
        )
        select m.la_code, m.indicator_id, m.month_end as period_end, m.rule_code, r.severity,
               r.message, m.children, m.rows
        from validation_finding_months m
        join rules r using (la_code, rule_code)
        where ($la is null or m.la_code = $la)
          and ($indicator is null or m.indicator_id = $indicator)
          and ($month is null or m.month_end = $month)
        """,
        {"la": la_code, "indicator": indicator_id, "month": month_end},
    )
    if found.empty:
        return pd.DataFrame(columns=columns)
    found["period_end"] = pd.to_datetime(found["period_end"]).dt.date
    found = found.assign(_order=found["rule_code"].map(_code_order), _error=found["severity"] != "error")
    found = found.sort_values(["la_code", "indicator_id", "period_end", "_error", "_order"])
    return found.drop(columns=["_order", "_error"])[columns].reset_index(drop=True)


def with_data_quality(store: Queryable, table: pd.DataFrame) -> pd.DataFrame:
    """`table` (KPI rows with VALUE_KEY) with dq_rule_codes and dq_children columns."""
    if table.empty:
        return table.assign(dq_rule_codes=pd.Series(dtype=str), dq_children=pd.Series(dtype="int64"))
    las = table["la_code"].astype(str).unique()
    found = value_findings(store, las[0] if len(las) == 1 else None)
    if found.empty:
        return table.assign(dq_rule_codes="", dq_children=0)
    found = found.assign(_order=found["rule_code"].map(_code_order)).sort_values("_order")
    summary = found.groupby(VALUE_KEY, as_index=False).agg(
        dq_rule_codes=("rule_code", "; ".join), dq_children=("children", "sum")
    )
    keyed = table.assign(_order=range(len(table)), _la=table["la_code"].astype(str),
                         _end=pd.to_datetime(table["period_end"]).dt.date)
    merged = keyed.merge(
        summary.rename(columns={"la_code": "_la", "period_end": "_end"}),
        on=["_la", "indicator_id", "_end"],
        how="left",
    )
    merged = merged.sort_values("_order").drop(columns=["_order", "_la", "_end"]).reset_index(drop=True)
    merged["dq_rule_codes"] = merged["dq_rule_codes"].fillna("")
    merged["dq_children"] = merged["dq_children"].fillna(0).astype("int64")
    return merged


def dq_marker(codes: object, children: object) -> str:
    """'⚠ 388; 434 (5 children)' beside a value with open findings; blank without."""
    if not isinstance(codes, str) or not codes:
        return ""
    count = int(children) if isinstance(children, int | float) and not pd.isna(children) else 0
    return f"⚠ {codes} ({count} {'child' if count == 1 else 'children'})"
