"""Caseloads: average and range by service area or team at a month end, against role standards."""

from __future__ import annotations

import streamlit as st

from pages.components import charts, data
from pages.components.widgets import (
    chart,
    choose,
    csv_download,
    current_filters,
    empty_state,
    page_guard,
    parse_date,
)

st.title("Caseloads")
with page_guard("Caseloads"):
    filters = current_filters()
    group_type = choose(
        "Group by", list(data.GROUP_LABELS), param="group", widget="radio", format_func=data.GROUP_LABELS.get
    )
    months = data.caseload_view(filters.la_code, None, None, group_type).month_ends if filters.la_code else []
    if not months:
        empty_state(
            "No caseload lists are loaded.", "Load month-end caseload lists (worker, team, role, FTE, cases)"
        )
        st.stop()
    left, right = st.columns(2)
    period_end = choose(
        "Month end",
        months[::-1],
        param="month",
        parse=parse_date,
        container=left,
        format_func=lambda d: f"{d:%B %Y}",
    )
    compare_end = choose(
        "Compare with",
        [m for m in months[::-1] if m != period_end] or [period_end],
        param="compare",
        parse=parse_date,
        container=right,
        format_func=lambda d: f"{d:%B %Y}",
    )
    view = data.caseload_view(filters.la_code, period_end, compare_end, group_type)
    # two rows of two: four long labels in one row were cut short in a narrow window
    (average, spread), (holders, within) = st.columns(2), st.columns(2)
    average.metric("Average caseload (cases per FTE)", view.overall.get("average", "–"))
    spread.metric("Range (cases per worker)", view.overall.get("range", "–"))
    holders.metric("Case holders", view.overall.get("case_holders", "–"))
    within.metric("Within the role's standard", view.overall.get("within_standard", "–"))
    st.markdown(f"#### Caseload by {data.GROUP_LABELS[group_type].lower()}")
    st.dataframe(view.table, hide_index=True, width="stretch", key="caseload_table")
    csv_download(view.table, f"caseloads-{group_type}-{period_end:%Y-%m}.csv")
    st.markdown("#### Caseloads against the role standards")
    chart(
        lambda: charts.caseload_bands_figure(
            view.bands,
            title=f"Case holders by cases per FTE against their role's standard, {period_end:%B %Y}",
        ),
        (filters.la_code, period_end),
        f"caseload-bands-{period_end:%Y-%m}",
        key="bands",
    )
    st.dataframe(view.bands_by_role, hide_index=True, width="stretch", key="bands_table")
    csv_download(view.bands_by_role, f"caseload-bands-{period_end:%Y-%m}.csv")
    st.markdown("#### Trend")
    chart(
        lambda: charts.caseload_trend_figure(
            view.trend, title=f"Average caseload by {data.GROUP_LABELS[group_type].lower()}"
        ),
        (filters.la_code, group_type),
        f"caseload-trend-{group_type}",
        key="trend",
    )
