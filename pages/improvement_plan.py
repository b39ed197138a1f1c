"""Improvement plan: each recommendation with its linked indicators and a derived RAG."""

from __future__ import annotations

import streamlit as st

from loaders.commentary import Subject
from pages.components import data, table_layout
from pages.components.commentary import commentary_panel
from pages.components.widgets import csv_download, current_filters, empty_state, page_guard, rag_table

st.title("Improvement plan")
with page_guard("Improvement plan"):
    filters = current_filters()
    view = (
        data.improvement_plan_view(filters.la_code, filters.sn_model)
        if filters.la_code
        else data.PlanView(False)
    )
    if not view.available:
        empty_state(
            "No improvement plan is loaded for this LA.",
            "Load a plan (.csv or .xlsx with columns ref, recommendation, linked indicators and optionally "
            "area, owner, baseline, target, target date, rag override, override reason)",
        )
        st.stop()
    st.markdown(f"### {view.sentence}" + (f", {view.not_rated} not rated" if view.not_rated else ""))
    st.caption(f"How each recommendation is rated: {view.rule}")
    table, config = rag_table(view.recommendations)
    st.dataframe(table, column_config=config, hide_index=True, width="stretch", key="plan")
    csv_download(view.recommendations.drop(columns="rag"), f"improvement-plan-{filters.la_code}.csv")
    st.markdown("#### Commentary on a recommendation")
    refs = dict(zip(view.recommendations["Ref"], view.recommendations["Recommendation"], strict=True))
    ref = st.selectbox("Recommendation", list(refs), format_func=lambda r: f"{r}: {refs[r]}", key="plan_ref")
    commentary_panel(
        filters.la_code,
        Subject(recommendation_ref=str(ref)),
        data.export_options(filters.la_code)[1],
        key="plan",
    )
    st.markdown("#### Linked indicators")
    table, config = rag_table(view.links)
    order = table_layout.leading(list(table.columns), table_layout.PLAN_LINKS_FIRST)  # RAG on screen
    st.dataframe(
        table, column_config=config, column_order=order, hide_index=True, width="stretch", key="plan_links"
    )
    csv_download(view.links.drop(columns="rag"), f"improvement-plan-indicators-{filters.la_code}.csv")
