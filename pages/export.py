"""Export: exactly the filtered KPI rows as CSV, the export CLI's format, optionally suppressed."""

from __future__ import annotations

import streamlit as st

from pages.components import auth, data, published, settings
from pages.components.export_preview import show_preview
from pages.components.formatting import period_type_label
from pages.components.widgets import (
    choose,
    choose_many,
    current_filters,
    empty_state,
    page_guard,
    parse_date,
    suppression_controls,
)

st.title("Export")
with page_guard("Export"):
    filters = current_filters()
    options, months = data.export_options(filters.la_code) if filters.la_code else ([], [])
    if not options and filters.la_code and not filters.has_records:
        published.show_published_export(filters.la_code, filters.sn_model)
        st.stop()
    if not options:
        empty_state("No KPI values are loaded, so there is nothing to export.", "Load the LA's files")
        st.stop()
    labels = {o.indicator_id: o.label for o in options}
    chosen = choose_many(
        "Indicators (none chosen: all)", list(labels), param="indicators", format_func=labels.__getitem__
    )
    left, right, kind = st.columns(3)
    period_from = choose(
        "From",
        months,
        param="from",
        default=months[0],
        parse=parse_date,
        container=left,
        format_func=lambda d: f"{d:%b %Y}",
    )
    period_to = choose(
        "To",
        [m for m in months if m >= period_from],
        param="to",
        default=months[-1],
        parse=parse_date,
        container=right,
        format_func=lambda d: f"{d:%b %Y}",
    )
    period_type = choose(
        "Period type",
        ["all", *data.PERIOD_TYPE_ORDER],
        param="type",
        container=kind,
        format_func=lambda t: "All" if t == "all" else period_type_label(t),
    )
    below = suppression_controls(
        may_export_counts=auth.current_user().can("analyst"),
        default_threshold=settings.publication_threshold(),
    )
    view = data.export_view(
        filters.la_code,
        chosen or None,
        period_from,
        period_to,
        None if period_type == "all" else period_type,
        filters.sn_model,
        below,
    )
    st.markdown(
        f"**{len(view.frame)} rows**"
        + (f", {view.suppressed_cells} cells suppressed as c" if below is not None else "")
    )
    if below is not None:
        st.caption(view.suppression_note(below))
    st.download_button(
        "Download CSV",
        data=view.csv,
        file_name=view.file_name,
        mime="text/csv",
        key="export_download",
        on_click=data.record_export,
        args=(view.selection,),
        type="primary",
    )
    show_preview(view.preview, key="export_preview")
