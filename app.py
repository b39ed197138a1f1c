"""The dashboard's entry point: `streamlit run app.py`.

It finds the store ($CSC_DB or data/dashboard.duckdb), builds the synthetic demo store on the first
run when there is none, draws the sidebar filters shared by every page (LA, statistical neighbour
model and average; kept in the URL so a view can be shared as a link) and hands over to the page.
"""

from __future__ import annotations

import logging

import streamlit as st

from pages.components import data
from pages.components.widgets import sidebar_filters

st.set_page_config(page_title="Children's social care performance", layout="wide")

PAGES = [
    st.Page("pages/overview.py", title="Overview", url_path="overview", default=True),
    st.Page("pages/indicator.py", title="Indicator trend", url_path="indicator"),
    st.Page("pages/neighbours.py", title="Neighbours and all LAs", url_path="neighbours"),
    st.Page("pages/caseloads.py", title="Caseloads", url_path="caseloads"),
    st.Page("pages/improvement_plan.py", title="Improvement plan", url_path="improvement_plan"),
    st.Page("pages/data.py", title="Data", url_path="data"),
    st.Page("pages/export.py", title="Export", url_path="export"),
]
# Before anything slow: until st.navigation runs, Streamlit lists the pages/ files by name.
navigation = st.navigation(PAGES)

try:
    status = data.store_status()
except Exception:  # a damaged or foreign file: say so, never show a traceback
    logging.getLogger("app").exception("the store could not be read")
    st.error(
        f"The data store {data.reader().path} could not be read. Load the files again into a new store "
        "(set CSC_DB to a new file name, or move this file aside); the details are in the log."
    )
    st.stop()
if not status.exists and not st.session_state.get("demo_attempted"):
    st.session_state["demo_attempted"] = True
    with st.spinner("First run: building the demo store from synthetic records (about a minute)..."):
        problem = data.build_demo_store()
    if problem is None:
        st.rerun()
    st.session_state["demo_problem"] = problem

if st.session_state.get("demo_problem") and not status.exists:
    st.warning(st.session_state["demo_problem"])

sidebar_filters(status)
navigation.run()
