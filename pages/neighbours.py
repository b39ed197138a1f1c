"""Statistical neighbours and all LAs: the LA ranked against its 10 neighbours and every LA."""

from __future__ import annotations

import streamlit as st

from pages.components import charts, data, published
from pages.components.attribution import published_attribution
from pages.components.formatting import bar_order_words, published_year_label
from pages.components.widgets import chart, choose, csv_download, current_filters, empty_state, page_guard

st.title("Statistical neighbours and all LAs")
with page_guard("Neighbours"):
    filters = current_filters()
    if not filters.la_code:
        empty_state("No LA is chosen: the store holds no values yet.", "Load the published benchmarks")
        st.stop()
    indicators = dict(data.benchmark_indicators())
    indicator_id = choose("Indicator", list(indicators), param="indicator", format_func=indicators.get)
    years = data.published_years(indicator_id)
    if not years:
        empty_state(
            f"No published figures are loaded for {indicators[indicator_id]}.",
            "Load the DfE EES files or LAIT data and the statistical neighbour lists",
        )
        st.stop()
    def year_label(year: int) -> str:  # workforce figures: their census date, 30 Sep
        return published_year_label(year, indicator_id)

    year = choose("Published year", years[::-1], param="year", parse=int, format_func=year_label)
    view = data.neighbour_view(filters.la_code, indicator_id, filters.sn_model, year)
    st.caption(
        f"Neighbours: DfE statistical neighbour model {view.sn_model}; lines show the SN mean (as LAIT) "
        f"and median (as the DfE CSC dashboard) of the {view.sn_count} neighbours with a value, the LA "
        f"itself excluded. {bar_order_words(view.polarity)}; closeness is in brackets."
    )
    rank, band, value = st.columns(3)
    value.metric(f"Value, {year_label(view.year)}", view.la_value, help=filters.la_label)
    rank.metric("Rank (1 = best)", view.la_rank, help="Among all LAs with a value that year.")
    band.metric("Quartile (A = best)", view.la_band, help="Quartile band among all LAs, as in LAIT.")
    if view.neighbours.empty:
        empty_state(
            f"No statistical neighbours are loaded for this LA in the {view.sn_model} model.",
            "Load the SN lists (2021 and 2025 models)",
        )
    else:
        chart(
            lambda: charts.neighbour_figure(
                view.neighbours,
                title=f"{view.name}, {year_label(view.year)}",
                unit=view.unit,
                decimal_places=view.decimal_places,
                sn_mean=view.sn_mean,
                sn_median=view.sn_median,
                england=view.england,
            ),
            (filters.la_code, indicator_id, view.sn_model, view.year),
            f"neighbours-{indicator_id}-{view.year}",
            key="neighbours",
        )
        st.dataframe(view.neighbour_table, hide_index=True, width="stretch", key="neighbour_table")
        csv_download(view.neighbour_table, f"neighbours-{indicator_id}-{view.year}.csv")
    cuts = view.cut_points
    cut_values = [c for c in (cuts.get("q1"), cuts.get("median"), cuts.get("q3")) if c is not None]
    chart(
        lambda: charts.distribution_figure(
            view.distribution,
            title=f"All LAs, {year_label(view.year)} ({cuts.get('n', 0)} with a value)",
            unit=view.unit,
            decimal_places=view.decimal_places,
            cut_points=cut_values,
            la_code=filters.la_code,
        ),
        (filters.la_code, indicator_id, view.year),
        f"all-las-{indicator_id}-{view.year}",
        key="distribution",
    )
    with st.expander("All LAs as a table"):
        st.dataframe(view.distribution_table, hide_index=True, width="stretch", key="distribution_table")
        csv_download(view.distribution_table, f"all-las-{indicator_id}-{view.year}.csv")
    if not cuts.get("banded"):
        st.caption("This indicator has no quartile bands (no polarity, or no quartile in LAIT).")
    region = published.region_view(filters.la_code, indicator_id, filters.sn_model)
    st.markdown(f"#### {filters.la_label} in its region ({region.region_name}), published years")
    st.dataframe(region.table, hide_index=True, width="stretch", key="region_table")
    csv_download(region.table, f"region-{indicator_id}-{filters.la_code}.csv")
    st.markdown("#### Rank and quartile among all LAs, published years")
    st.dataframe(region.ranks, hide_index=True, width="stretch", key="rank_history")
published_attribution()
