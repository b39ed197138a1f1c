"""The Reports page's preview of a pack and its download buttons (Streamlit widgets only).

The preview shows the pack's own strings and tables (reports.pack.build_pack), so it is what the
DOCX and PDF print; nothing here computes a figure.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st
from streamlit.runtime.uploaded_file_manager import UploadedFile

from pages.components import reports_view, table_layout
from pages.components.widgets import rag_table
from reports.charts import ChartsFailed
from reports.pack import Pack, PackOptions
from reports.pdf import PdfFailed
from reports.word import TemplateUnreadable


def show_preview(pack: Pack) -> None:
    """The summary sentence and RAG counts, the red exceptions, the area tables, plan, caseloads, DQ."""
    st.caption(
        f"{pack.marking} · {pack.la_name} · {pack.period_label} (reporting year {pack.reporting_year})"
    )
    st.subheader("Summary")
    st.markdown(f"**{pack.summary_sentence}**")
    green, amber, red, improving, declining = st.columns(5)
    green.metric("● Green", pack.counts["green"])
    amber.metric("▲ Amber", pack.counts["amber"])
    red.metric("■ Red", pack.counts["red"])
    improving.metric("Improving", pack.improving)
    declining.metric("Declining", pack.declining)
    st.subheader("Exceptions: indicators rated Red")
    if not pack.exceptions:
        st.caption("No indicator is rated Red this month.")
    for item in pack.exceptions:
        st.markdown(f"**{item.indicator}** ({item.area}): {item.value} against {item.target}, {item.period}")
        st.info(item.commentary + (f"\n\n*{item.commentary_by}*" if item.commentary_by else ""))
    # the areas in one table, the area a column: each st.dataframe costs the browser about 50 ms
    # to draw (tests/perf/browser_timings.md); the DOCX and PDF keep a table per area
    st.subheader("Indicators by area")
    filled = [area for area in pack.areas if not area.table.empty]
    if filled:
        frames = [area.table.frame().assign(rag=area.table.rag, Area=area.name) for area in filled]
        table, config = rag_table(pd.concat(frames, ignore_index=True))
        st.dataframe(
            table,
            column_config=config,
            column_order=table_layout.leading(list(table.columns), table_layout.REPORT_AREAS_FIRST),
            hide_index=True,
            width="stretch",
            height="content",
            key="report_areas",
        )
    missing = [area.name for area in pack.areas if area.table.empty]
    if missing:
        st.caption(f"No values are loaded for: {', '.join(missing)}.")
    st.subheader("Improvement plan")
    st.markdown(pack.plan_sentence)
    if not pack.plan.empty:
        table, config = rag_table(pack.plan.frame().assign(rag=pack.plan.rag))
        st.dataframe(
            table,
            column_config=config,
            column_order=table_layout.leading(list(table.columns), table_layout.REPORT_PLAN_FIRST),
            hide_index=True,
            width="stretch",
            key="report_plan",
        )
    st.subheader("Caseloads")
    st.caption(pack.caseload_note)
    for caption, table in pack.caseload_tables:
        st.markdown(f"**{caption}**")
        st.dataframe(table.frame(), hide_index=True, width="stretch", key=f"report_{caption}")
    st.subheader("Data-quality notes")
    if pack.dq_notes.empty:
        st.caption("No data-quality findings bear on the figures shown.")
    else:
        st.dataframe(pack.dq_notes.frame(), hide_index=True, width="stretch", key="report_dq")


def downloads(pack: Pack, options: PackOptions, template: UploadedFile | None) -> None:
    """A build button, then DOCX and PDF download buttons for the files built from `options`."""
    if st.button("Build the DOCX and PDF", type="primary", key="report_build"):
        try:
            with st.spinner("Drawing the charts and writing the files..."):
                files = reports_view.report_files(
                    options,
                    template.getvalue() if template else None,
                    template.name if template else "template.docx",
                )
            st.session_state["report_files"] = (options, template.file_id if template else None, files)
        except (ChartsFailed, PdfFailed, TemplateUnreadable) as failure:
            st.error(str(failure))
    built = st.session_state.get("report_files")
    if built and built[:2] == (options, template.file_id if template else None):
        docx, pdf = st.columns(2)
        docx.download_button(
            "Download DOCX (editable)",
            data=built[2][".docx"],
            file_name=reports_view.file_name(pack, ".docx"),
            mime="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            key="report_docx",
            on_click="ignore",
        )
        pdf.download_button(
            "Download PDF (board pack)",
            data=built[2][".pdf"],
            file_name=reports_view.file_name(pack, ".pdf"),
            mime="application/pdf",
            key="report_pdf",
            on_click="ignore",
        )
    elif built:
        st.caption("The choices changed since the files were built: build them again.")
