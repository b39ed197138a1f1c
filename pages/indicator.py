"""Indicator trend: one indicator over time with target, comparators, definition and data notes."""

from __future__ import annotations

import streamlit as st

from loaders.commentary import Subject
from pages.components import charts, data, data_quality, published, table_layout
from pages.components.attribution import published_attribution
from pages.components.commentary import commentary_panel
from pages.components.formatting import period_type_label
from pages.components.widgets import chart, choose, csv_download, current_filters, empty_state, page_guard

st.title("Indicator trend")
with page_guard("Indicator trend"):
    filters = current_filters()
    options = data.indicator_options(filters.la_code) if filters.la_code else []
    if not options and filters.la_code and not filters.has_records:
        st.info(published.published_only_note(filters.la_code))
        benchmark = dict(data.benchmark_indicators())
        chosen = choose("Indicator", list(benchmark), param="indicator", format_func=benchmark.get)
        shown = published.published_trend(filters.la_code, chosen, filters.sn_model)
        st.subheader(f"{shown.name}: published years")
        if shown.rows["value"].notna().any():
            chart(
                lambda: charts.trend_figure(
                    shown.rows,
                    title=f"{shown.name} (published years)",
                    unit=shown.unit,
                    decimal_places=shown.decimal_places,
                    sn_average=filters.sn_average,
                    sn_model=filters.sn_model,
                    measure=shown.name,
                ),
                (filters.la_code, chosen, "published", filters.sn_model, filters.sn_average),
                f"{chosen}-published-{filters.la_code}",
                key="published_trend",
            )
        st.dataframe(shown.table, hide_index=True, width="stretch", key="published_trend_table")
        csv_download(shown.table, f"{chosen}-published-{filters.la_code}.csv")
        published_attribution()
        st.stop()
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
        format_func=lambda t: period_type_label(t, indicator_id),
    )
    trend = data.indicator_trend(
        filters.la_code, indicator_id, period_type, filters.sn_model, filters.sn_average
    )
    st.subheader(trend.name)
    if trend.has_values:
        chart(
            lambda: charts.trend_figure(
                trend.rows,
                title=f"{trend.name} ({period_type_label(period_type, indicator_id).lower()})",
                unit=trend.unit,
                decimal_places=trend.decimal_places,
                sn_average=filters.sn_average,
                sn_model=filters.sn_model,
                period_type=period_type,
                measure=trend.short_name,
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
        st.markdown(trend.about())
    st.markdown("#### Values")
    table_layout.values_table(trend.table, key="trend_table")
    csv_download(trend.table, f"{indicator_id}-{period_type}-{filters.la_code}.csv")
    st.markdown("#### Data-quality notes for these months")
    if trend.findings.empty:
        st.caption("No data-quality findings were recorded for the months shown.")
    else:
        st.dataframe(trend.findings, hide_index=True, width="stretch", key="trend_findings")
    months = list(trend.rows["period_end"])
    data_quality.validation_panel(data.reader(), filters.la_code, indicator_id, months)
published_attribution()
