"""Indicator trend: one indicator over time with target, comparators, definition and data notes."""

from __future__ import annotations

import streamlit as st

from loaders.commentary import Subject
from pages.components import charts, data
from pages.components.attribution import published_attribution
from pages.components.commentary import commentary_panel
from pages.components.widgets import chart, choose, csv_download, current_filters, empty_state, page_guard

st.title("Indicator trend")
with page_guard("Indicator trend"):
    filters = current_filters()
    options = data.indicator_options(filters.la_code) if filters.la_code else []
    if not options:
        empty_state("No KPI values are loaded yet, so there is no trend to show.", "Load the LA's files")
        st.stop()
    by_id = {o.indicator_id: o for o in options}
    indicator_id = choose("Indicator", list(by_id), param="indicator", format_func=lambda i: by_id[i].label)
    period_type = choose(
        "Period",
        by_id[indicator_id].period_types,
        param="period",
        widget="radio",
        format_func=data.period_type_label,
    )
    trend = data.indicator_trend(
        filters.la_code, indicator_id, period_type, filters.sn_model, filters.sn_average
    )
    st.subheader(trend.name)
    if trend.has_values:
        chart(
            lambda: charts.trend_figure(
                trend.rows,
                title=f"{trend.name} ({data.period_type_label(period_type).lower()})",
                unit=trend.unit,
                decimal_places=trend.decimal_places,
                sn_average=filters.sn_average,
                sn_model=filters.sn_model,
            ),
            (filters.la_code, indicator_id, period_type, filters.sn_model, filters.sn_average),
            f"{indicator_id}-{period_type}-{filters.la_code}",
            key="trend",
        )
    else:
        st.info("Nothing to chart: every value is suppressed or missing (the table shows their symbols).")
    st.markdown("#### Commentary")
    commentary_panel(
        filters.la_code, Subject(indicator_id=indicator_id), list(trend.rows["period_end"]), key="indicator"
    )
    with st.expander("Definition and source", expanded=True):
        st.markdown(
            f"{trend.definition}\n\n**Numerator:** {trend.numerator or '–'}  \n"
            f"**Denominator:** {trend.denominator or '–'}  \n**Polarity:** "
            f"{ {'High': 'higher is better', 'Low': 'lower is better'}.get(trend.polarity, 'none') }  \n"
            f"**Source:** {trend.source}"
        )
    st.markdown("#### Values")
    st.dataframe(trend.table, hide_index=True, width="stretch", key="trend_table")
    csv_download(trend.table, f"{indicator_id}-{period_type}-{filters.la_code}.csv")
    st.markdown("#### Data-quality notes for these months")
    if trend.findings.empty:
        st.caption("No data-quality findings were recorded for the months shown.")
    else:
        st.dataframe(trend.findings, hide_index=True, width="stretch", key="trend_findings")
published_attribution()
