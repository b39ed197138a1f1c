"""Overview: every indicator's latest value against its target and comparators, by area."""

from __future__ import annotations

import streamlit as st

from pages.components import data, published, table_layout
from pages.components.attribution import published_attribution
from pages.components.widgets import (
    csv_download,
    current_filters,
    direction_chips,
    empty_state,
    headline_period_choice,
    page_guard,
    rag_table,
    synthetic_banner,
)

st.title("Children's social care performance")
with page_guard("Overview"):
    filters = current_filters()
    synthetic_banner(filters)
    if not filters.la_code:
        empty_state(
            "No KPI values are loaded yet.",
            "Load a performance workbook, SSDA903 tables, a CIN census or caseload lists",
        )
        st.stop()
    card = data.scorecard(filters.la_code, filters.sn_model, filters.sn_average, headline_period_choice())
    st.subheader(f"{card.la_name}: latest values")
    if card.rows.empty:
        shown = published.published_scorecard(filters.la_code, filters.sn_model, filters.sn_average)
        if shown.rows.empty:
            empty_state(f"No KPI values are loaded for {card.la_name}.", "Load its files")
            st.stop()
        st.info(published.published_only_note(filters.la_code))
        all_columns = table_layout.show_all_columns("published_all_columns")
        # one table, the area a column: each st.dataframe costs the browser about 50 ms to draw
        table = shown.rows.rename(columns={**published.SCORECARD_COLUMNS, "area": "Area"})
        st.dataframe(
            table,
            column_order=table_layout.published_order(list(table.columns), all_columns),
            column_config=table_layout.published_config(filters.sn_average, filters.sn_model),
            hide_index=True,
            width="stretch",
            height="content",  # every row shown, as the per-area tables were
            key="published_scorecard",
        )
        st.caption(
            f"Statistical neighbours: {filters.sn_average} of the LA's neighbours with a value, "
            f"{filters.sn_model} model. Rank and quartile among all LAs with a value that year."
        )
        published_attribution()
        st.stop()
    st.markdown(
        f"**Against target: {card.sentence}**"
        + (f" ({card.not_rated} without a target or RAG)" if card.not_rated else "")
    )
    green, amber, red = st.columns(3)
    green.metric("● Green: target met", card.counts["green"])
    amber.metric("▲ Amber: just missed", card.counts["amber"])
    red.metric("■ Red: missed", card.counts["red"])
    st.caption(
        f"Statistical neighbours: {filters.sn_average} of the LA's 10 neighbours, {card.sn_model} model. "
        "England and neighbour values are the latest published year at or before each value's month."
    )
    st.caption(data.headline_rule())
    columns = list(data.SCORECARD_COLUMNS)
    config = table_layout.scorecard_config(filters.sn_average, card.sn_model)
    all_columns = table_layout.show_all_columns("scorecard_all_columns")
    # one table, the area a column (rows in area order): each st.dataframe costs the browser about
    # 50 ms to draw, one per area made the Overview the slowest page (tests/perf/browser_timings.md)
    table, rag_config = rag_table(
        card.rows[["area", *columns, "rating"]], rag_column="rating", shown_column="rag_label"
    )
    table, direction_config = direction_chips(table, "direction", data.SCORECARD_COLUMNS["direction"])
    st.dataframe(
        table,
        column_config={**config, **rag_config, **direction_config},
        column_order=table_layout.scorecard_order(all_columns),
        hide_index=True,
        width="stretch",
        height="content",  # every row shown, as the per-area tables were
        key="scorecard",
    )
    export = (
        card.rows[columns]
        .rename(columns=data.SCORECARD_COLUMNS)
        .drop(columns=data.SCORECARD_COLUMNS["trend"])
    )
    csv_download(export, f"scorecard-{card.la_code}.csv", label="Download the scorecard (CSV)")
published_attribution()
