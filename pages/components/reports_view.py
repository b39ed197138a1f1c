"""The Reports page's data: the pack for the chosen options (preview) and its DOCX and PDF (downloads).

Both come from reports.pack.build_pack through reports.build.render, so what the page previews is
exactly what the files print. Results are cached on the store's version and the options. Building
the files draws the charts (Chromium), so it happens when asked, not on every rerun. An unsuppressed
pack holds child-derived counts: building its files needs the analyst role, as the export does.
"""

from __future__ import annotations

import tempfile
from datetime import date
from pathlib import Path

import streamlit as st

from loaders.store import Reader
from metrics import store_views
from pages.components import auth
from pages.components.data import reader
from reports.build import render
from reports.pack import Pack, PackOptions, build_pack


def report_months(la_code: str) -> list[date]:
    """Month ends with KPI values for the LA, oldest first (the pack's reporting months)."""
    store = reader()
    return _report_months(str(store.path), store.version, la_code)


@st.cache_data(show_spinner=False, max_entries=8)
def _report_months(path: str, version: object, la_code: str) -> list[date]:
    if version is None:
        return []
    return store_views.period_ends(Reader(path), la_code)


def preview(options: PackOptions) -> Pack:
    """The pack's contents for the options (no charts drawn), as the files will show them."""
    store = reader()
    return _preview(str(store.path), store.version, options)


@st.cache_data(show_spinner=False, max_entries=16)
def _preview(path: str, version: object, options: PackOptions) -> Pack:
    return build_pack(Reader(path), options)


def report_files(
    options: PackOptions, template: bytes | None = None, template_name: str = "template.docx"
) -> dict[str, bytes]:
    """The DOCX and PDF of the pack, charts drawn; ".docx" / ".pdf" -> bytes.

    `template` is an uploaded Word template (its bytes; `template_name` names it in messages).
    Raises PermissionDenied for an unsuppressed pack unless the user is an analyst or admin, and
    TemplateUnreadable, ChartsFailed or PdfFailed (each with a message for the user) as the CLI does.
    """
    if not options.for_publication:
        auth.require("analyst", "Building a report with unsuppressed counts")
    store = reader()
    return _report_files(str(store.path), store.version, options, template, Path(template_name).name)


@st.cache_data(show_spinner=False, max_entries=4)
def _report_files(
    path: str, version: object, options: PackOptions, template: bytes | None, template_name: str
) -> dict[str, bytes]:
    if template is None:
        return render(Reader(path), options).files
    with tempfile.TemporaryDirectory() as folder:
        saved = Path(folder) / template_name
        saved.write_bytes(template)
        return render(Reader(path), options, template=saved).files


def file_name(pack: Pack, suffix: str) -> str:
    kind = "publication" if pack.options.for_publication else "internal"
    return f"report-{pack.options.la_code}-{pack.options.month_end:%Y-%m}-{kind}{suffix}"
