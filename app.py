"""The dashboard's entry point: `streamlit run app.py`.

It finds the store ($CSC_DB or data/dashboard.duckdb), builds the synthetic demo store on the first
run when there is none, draws the sidebar filters shared by every page (LA, statistical neighbour
model and average; kept in the URL so a view can be shared as a link) and hands over to the page.
With sign-in configured (.streamlit/secrets.toml [auth]) nobody sees a page before signing in; without
it the app is in single-user mode and answers only browsers on this machine (pages/components/auth.py).
"""

from __future__ import annotations

import logging

import streamlit as st

from pages.components import auth, data, warmup
from pages.components.widgets import sidebar_filters

st.set_page_config(page_title="Children's social care performance", layout="wide")

# The default page is served at / and its own url_path never resolves, so a hidden second entry
# for the same file answers /overview (shared links to the Overview).
PAGES = [
    st.Page("pages/overview.py", title="Overview", url_path="home", default=True),
    st.Page("pages/overview.py", title="Overview", url_path="overview", visibility="hidden"),
    st.Page("pages/indicator.py", title="Indicator trend", url_path="indicator"),
    st.Page("pages/neighbours.py", title="Neighbours and all LAs", url_path="neighbours"),
    st.Page("pages/caseloads.py", title="Caseloads", url_path="caseloads"),
    st.Page("pages/improvement_plan.py", title="Improvement plan", url_path="improvement_plan"),
    st.Page("pages/data.py", title="Data", url_path="data"),
    st.Page("pages/export.py", title="Export", url_path="export"),
    st.Page("pages/reports.py", title="Reports", url_path="reports"),
]
# Before anything slow: until st.navigation runs, Streamlit lists the pages/ files by name.
navigation = st.navigation(PAGES)

if auth.auth_configured():
    if not st.user.is_logged_in:
        st.title("Children's social care performance")
        st.info("Sign in with your council account to see the dashboard.")
        st.button("Sign in", on_click=st.login, type="primary", key="sign_in")
        st.stop()
    user = auth.current_user()
    st.sidebar.caption(f"Signed in as {user.name} ({user.role})")
    st.sidebar.button("Sign out", on_click=st.logout, key="sign_out")
else:
    if not auth.is_local_request():
        st.error(
            "This dashboard is in single-user mode (no sign-in is configured), so it serves only the "
            "machine it runs on. Configure sign-in in .streamlit/secrets.toml to share it (README, Security)."
        )
        st.stop()
    st.sidebar.caption(
        "Single-user mode: no sign-in is configured, so the app serves only this machine and you are "
        "its admin (README, Security)."
    )

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

with warmup.visitor_run():  # the background warm-up waits while a visitor's page runs
    sidebar_filters(status)
    navigation.run()
if status.exists and not auth.auth_configured():
    # every page once in the background, so a page's first visit finds its caches filled; started
    # after the first page has run, so that page is not computed twice at once on a fresh start
    warmup.start([page.url_path for page in PAGES if page.url_path != "overview"])
