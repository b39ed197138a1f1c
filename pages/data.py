"""Data: what is loaded, validation messages and data-quality findings, and an upload for new files."""

from __future__ import annotations

import streamlit as st

from pages.components import auth, data, published, settings
from pages.components.attribution import published_attribution
from pages.components.widgets import csv_download, current_filters, empty_state, page_guard

st.title("Data")
with page_guard("Data"):
    filters = current_filters()
    st.markdown("#### Load files")
    if not auth.current_user().can("analyst"):
        st.caption("Loading files needs the analyst role.")
    with st.form("upload", clear_on_submit=True):
        uploads = st.file_uploader(
            "Files to load as one batch (all load or none do)", accept_multiple_files=True
        )
        la_code = st.text_input(
            "LA code for files that do not name one (old 3-digit DfE code)", value=filters.la_code or ""
        )
        submitted = st.form_submit_button("Load")
    if submitted and uploads:
        with st.spinner("Loading and recomputing..."):
            result = data.ingest_uploads([(f.name, f.getvalue()) for f in uploads], la_code.strip() or None)
        (st.success if result.ok else st.error)(
            "Loaded." if result.ok else f"Nothing was loaded ({len(result.problems)} problem(s)):"
        )
        st.markdown(result.markdown())
    elif submitted:
        st.warning("Choose one or more files first.")
    view = data.data_view()
    if not view.exists:
        empty_state("Nothing is loaded yet.", "Load files")
        st.stop()
    st.markdown("#### What is loaded")
    st.dataframe(view.kpi_counts, hide_index=True, width="stretch", key="kpi_counts")
    st.markdown("#### Load log")
    st.dataframe(view.load_log, hide_index=True, width="stretch", key="load_log")
    csv_download(view.load_log, "load-log.csv")
    if auth.current_user().can("admin"):
        st.markdown("#### Settings")
        with st.form("settings", clear_on_submit=True):
            key = st.selectbox(
                "Setting", list(settings.LABELS), format_func=settings.LABELS.get, key="setting_key"
            )
            value = st.text_input("New value", key="setting_value")
            change = st.form_submit_button("Change setting")
        if change:
            outcome = settings.change_setting(key, value)
            (st.success if outcome.changed else st.error)(outcome.message)
        st.dataframe(settings.settings_table(), hide_index=True, width="stretch", key="settings")
        st.markdown("#### Audit log")
        st.dataframe(data.audit_log(), hide_index=True, width="stretch", key="audit_log")
    st.markdown("#### Data-quality findings")
    if view.findings.empty:
        st.caption("No data-quality findings recorded.")
    else:
        st.dataframe(view.findings, hide_index=True, width="stretch", key="findings")
        csv_download(view.findings, "data-quality-findings.csv")
    st.markdown("#### Published benchmarks loaded")
    sources = published.published_sources()
    if sources.empty:
        st.caption("No published benchmarks are loaded.")
    else:
        st.dataframe(sources, hide_index=True, width="stretch", key="published_sources")
        published_attribution()
    st.markdown("#### DfE validation rules")
    st.caption(
        "Each return is checked against the DfE's validation rules for its own collection year "
        "(2023 is 2022/23). One row per rule, LA and year: how many rows and children break it, "
        "the first row in the file, and the months and indicators the records can change."
    )
    if view.validation.empty:
        st.caption("No record breaks a DfE validation rule.")
    else:
        st.dataframe(view.validation, hide_index=True, width="stretch", key="validation")
        csv_download(view.validation, "dfe-validation-findings.csv")
    with st.expander("Rules checked"):
        st.dataframe(data.validation_rules(), hide_index=True, width="stretch", key="validation_rules")
