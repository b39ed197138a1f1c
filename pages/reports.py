"""Reports: the committee report pack for a month, previewed here and downloaded as DOCX and PDF."""

from __future__ import annotations

from dataclasses import replace

import streamlit as st

from pages.components import auth, report_preview, reports_view, settings
from pages.components.widgets import current_filters, empty_state, page_guard
from reports.pack import AREAS, DEFAULT_TITLE, MARKINGS, PackOptions

st.title("Committee report")
with page_guard("Reports"):
    filters = current_filters()
    la_code = filters.la_code or ""
    months = reports_view.report_months(la_code) if la_code else []
    if not months:
        empty_state("No KPI values are loaded, so there is no report to build.", "Load the LA's files")
        st.stop()
    left, right = st.columns(2)
    month = left.selectbox(
        "Reporting month", list(reversed(months)), format_func=lambda m: f"{m:%B %Y}", key="report_month"
    )
    areas = right.multiselect(
        "Areas", list(AREAS), default=list(AREAS), format_func=lambda key: AREAS[key], key="report_areas"
    )
    may_see_counts = auth.current_user().can("analyst")
    publication = (
        st.checkbox(
            "For publication (Part I): suppress small numbers, no child- or worker-level detail",
            value=not may_see_counts,
            disabled=not may_see_counts,
            key="report_publication",
            help=None
            if may_see_counts
            else "Viewers get the publication copy; the other needs the analyst role.",
        )
        or not may_see_counts
    )
    title = st.text_input("Title", DEFAULT_TITLE, key="report_title")
    meeting_column, date_column, marking_column = st.columns(3)
    meeting = meeting_column.text_input("Meeting", "", key="report_meeting")
    meeting_date = date_column.date_input("Date of meeting", value=None, key="report_meeting_date")
    copy = "publication" if publication else "internal"
    marking = marking_column.selectbox(
        "Protective marking", list(MARKINGS),
        index=0 if publication else MARKINGS.index(settings.internal_marking()),
        key=f"report_marking_{copy}"
    )
    base = PackOptions(
        la_code=la_code,
        month=month,
        areas=tuple(areas) or tuple(AREAS),
        for_publication=publication,
        title=title or DEFAULT_TITLE,
        meeting=meeting,
        meeting_date=meeting_date,
        marking=marking,
        sn_model=filters.sn_model,
        threshold=settings.publication_threshold(),
    )
    pack = reports_view.preview(base)
    shown = {
        row.indicator_id: f"{row.short_name} ({area.name})"
        for area in pack.areas
        for row in area.headlines.itertuples()
    }
    charts = st.multiselect(
        "Trend charts (none chosen: every red indicator)",
        list(shown),
        format_func=lambda key: shown[key],
        key="report_charts",
    )
    options = replace(base, charts=tuple(charts) if charts else None)
    template = st.file_uploader(
        "Word template (optional): its styles, headers and footers are used for the DOCX",
        type=["docx"],
        key="report_template",
    )

    st.divider()
    report_preview.show_preview(pack)
    st.divider()
    report_preview.downloads(pack, options, template)
