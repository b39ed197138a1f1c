"""The DfE's validation rules for the SSDA903 and CIN census returns, checked over the whole store.

Rules are data (`rules_903.toml`, `rules_cin.toml`) plus one set-based SQL file per rule under
`sql/`; `run` executes every rule version that applies to each record's collection year and
rewrites `validation_findings` and `validation_finding_months` (see metrics.validation.runner).
"""

from __future__ import annotations

import pandas as pd

from metrics.kpis import Queryable
from metrics.queryable import has_table
from metrics.validation.rules import ValidationRule, all_rules, load_rules, rule_catalogue
from metrics.validation.runner import REACH_MONTHS, flagged_rows, run

FINDING_COLUMNS = [  # besides la_code
    "rule_code", "return_name", "collection_year", "severity", "message", "table_name",
    "column_names", "first_row", "rows", "children", "indicators", "first_month", "last_month",
]

__all__ = [
    "FINDING_COLUMNS", "REACH_MONTHS", "ValidationRule", "all_rules", "findings_for_la", "flagged_rows",
    "load_rules", "rule_catalogue", "run",
]


def findings_for_la(store: Queryable, la_code: str | None) -> pd.DataFrame:
    """The LA's (None: every LA's) validation findings, errors first, then by return, year and code."""
    if not has_table(store, "validation_findings"):
        return pd.DataFrame(columns=["la_code", *FINDING_COLUMNS])
    return store.query(
        "select la_code, " + ", ".join(FINDING_COLUMNS) + " from validation_findings "
        "where la_code = ? or cast(? as varchar) is null "
        "order by la_code, severity = 'error' desc, return_name, collection_year, rule_code",
        [la_code, la_code],
    )
