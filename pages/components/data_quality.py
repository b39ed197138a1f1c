"""The open DfE validation findings beside a value, as the Overview and Indicator trend show them."""

from __future__ import annotations

from datetime import date

import pandas as pd
import streamlit as st

from loaders.store import Reader
from metrics.value_quality import value_findings
from pages.components.formatting import period_label
from pages.components.widgets import choose, parse_date

FINDINGS_COLUMNS = {
    "rule_code": "Rule",
    "severity": "Severity",
    "message": "DfE wording",
    "children": "Children affected",
    "rows": "Records",
}


def month_label(month: date) -> str:
    return period_label(month)


def findings_for_value(store: Reader, la_code: str, indicator_id: str, month: date) -> pd.DataFrame:
    """The open findings that can change the indicator's value for the month, for reading."""
    return _findings_for_value(str(store.path), store.version, la_code, indicator_id, month)


@st.cache_data(show_spinner=False, max_entries=64)
def _findings_for_value(
    path: str, version: object, la_code: str, indicator_id: str, month: date
) -> pd.DataFrame:
    found = value_findings(Reader(path), la_code, indicator_id, month)
    return found[list(FINDINGS_COLUMNS)].rename(columns=FINDINGS_COLUMNS).reset_index(drop=True)


def validation_panel(store: Reader, la_code: str, indicator_id: str, months: list[date]) -> None:
    """The Indicator trend's list: a month (latest first) and the open findings bearing on it."""
    st.markdown("#### DfE validation findings that can change the value")
    latest_first = sorted(set(months), reverse=True)
    month = choose("Month", latest_first, param="dq_month", parse=parse_date, format_func=month_label)
    found = findings_for_value(store, la_code, indicator_id, month) if month is not None else None
    if found is None or found.empty:
        st.caption("No open DfE validation finding bears on this indicator's value for the month.")
    else:
        st.dataframe(found, hide_index=True, width="stretch", key="trend_validation")
