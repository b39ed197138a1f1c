"""Widgets every page shares: the page guard, filters kept in the URL, downloads, empty states.

Filters live in the query string (`?la=929&sn=2025&indicator=repeat_cp_plans`) so a view can be
shared as a link; only plain ids, numbers and dates go there. A page body runs inside
`page_guard`, which turns any unexpected error into a short message (details go to the log), so a
user never sees a traceback.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, TypeVar

import pandas as pd
import plotly.graph_objects as go
import streamlit as st
from streamlit.runtime.pages_manager import PagesManager
from streamlit.runtime.scriptrunner_utils.exceptions import ScriptControlException
from streamlit.runtime.scriptrunner_utils.script_run_context import get_script_run_ctx

from metrics.disclosure import DEFAULT_THRESHOLD
from metrics.headlines import LOW_N_LABEL
from metrics.kpis import DEFAULT_SN_MODEL
from pages.components.auth import PermissionDenied
from pages.components.charts import export_figure, figure_png, png_unavailable_reason
from pages.components.data import (
    HEADLINE_PERIOD_CHOICES,
    LOAD_COMMAND,
    SN_AVERAGES,
    StoreStatus,
    reader,
    store_status,
)
from pages.components.formatting import (
    BETTER_COLOUR,
    DIRECTION_WORDS,
    NOT_RATED,
    RAG_COLOURS,
    WORSE_COLOUR,
    rag_label,
)
from pages.components.table_layout import AVERAGE_HELP, AVERAGE_OPTIONS

log = logging.getLogger(__name__)
T = TypeVar("T")


@contextlib.contextmanager
def page_guard(page: str) -> Iterator[None]:
    """Run a page body; an error becomes a message naming the page, never a traceback."""
    try:
        yield
    except ScriptControlException:
        raise
    except PermissionDenied as denied:
        st.error(str(denied))
    except Exception:
        log.exception("the %s page failed", page)
        st.error(
            f"The {page} page could not be shown because of an unexpected problem. "
            "The details are in the dashboard's log; the data in the store is unchanged."
        )


def empty_state(what: str, how: str | None = None) -> None:
    """Say what is missing and how to load it (CLI command and the Data page)."""
    st.info(
        f"{what}\n\n{how or 'Load files'} with `{LOAD_COMMAND}` or on the **Data** page "
        "(upload several files at once)."
    )


# -- Filters in the URL -------------------------------------------------------------------------


def query_value(name: str) -> str | None:
    value = st.query_params.get(name)
    return str(value) if value not in (None, "") else None


def set_query_value(name: str, value: object) -> None:
    if value is None or value == "":
        if name in st.query_params:
            del st.query_params[name]
        return
    text = value.isoformat() if isinstance(value, date) else str(value)
    if st.query_params.get(name) != text:
        st.query_params[name] = text


def choose(
    label: str,
    options: Sequence[T],
    *,
    param: str,
    default: T | None = None,
    format_func: Callable[[T], str] = str,
    parse: Callable[[str], T] | None = None,
    widget: str = "selectbox",
    container: Any = None,
    help: str | None = None,
) -> T | None:
    """A single choice whose value is kept in the query string under `param`."""
    if not options:
        return None
    place = container if container is not None else st
    key = f"filter_{param}"
    from_url = query_value(param)
    wanted: Any = default
    if from_url is not None:
        try:
            wanted = parse(from_url) if parse else from_url
        except ValueError:
            wanted = default
    options = list(options)
    written = st.session_state.get(f"{key}_in_url")
    url_changed = from_url is not None and from_url != written
    remembered = st.session_state.get(key, st.session_state.get(f"{key}_chosen"))
    if url_changed and wanted in options:
        value = wanted
    elif remembered in options:
        value = remembered
    else:
        value = wanted if wanted in options else default if default in options else options[0]
    if url_changed and wanted not in options:  # a shared link naming something this store lacks
        st.warning(
            f"This link asks for a {label.lower()} that is not offered here, so "
            f"{format_func(value)} is shown instead."
        )
    # set before the widget on every run: a widget drawn by another page (or by a page run on its
    # own, as AppTest does) is a new widget to Streamlit and would start at its first option
    st.session_state[key] = value
    if widget == "radio":
        chosen = place.radio(label, options, format_func=format_func, key=key, horizontal=True, help=help)
    else:
        chosen = place.selectbox(label, options, format_func=format_func, key=key, help=help)
    set_query_value(param, chosen)
    st.session_state[f"{key}_in_url"] = query_value(param)
    st.session_state[f"{key}_chosen"] = chosen  # not a widget's state: kept across page switches
    return chosen


def _from_url(key: str, param: str, wanted: Any, default: Any) -> None:
    """Set the widget's state from the URL when the URL changed since this page last wrote it (a
    pasted link), else keep what the user chose; `default` when there is neither."""
    from_url = query_value(param)
    url_changed = from_url is not None and from_url != st.session_state.get(f"{key}_in_url")
    if key not in st.session_state or url_changed:
        st.session_state[key] = wanted if from_url is not None else default


def _written(key: str, param: str, value: object) -> None:
    set_query_value(param, value)
    st.session_state[f"{key}_in_url"] = query_value(param)


def choose_many(
    label: str, options: Sequence[str], *, param: str, format_func: Callable[[str], str] = str
) -> list[str]:
    """A multiselect kept in the query string as comma-separated options (none chosen: no param);
    options the link names that are not offered are dropped."""
    key = f"filter_{param}"
    named = (query_value(param) or "").split(",")
    _from_url(key, param, [o for o in named if o in options], [])
    st.session_state[key] = [o for o in st.session_state[key] if o in options]
    chosen = list(st.multiselect(label, list(options), format_func=format_func, key=key))
    _written(key, param, ",".join(chosen))
    return chosen


def url_checkbox(label: str, *, param: str, default: bool, **kwargs: Any) -> bool:
    """A checkbox kept in the query string as `param=on` or `param=off`."""
    key = f"filter_{param}"
    _from_url(key, param, query_value(param) == "on", default)
    checked = bool(st.checkbox(label, key=key, **kwargs))
    _written(key, param, "on" if checked else "off")
    return checked


def url_number(label: str, *, param: str, default: int, min_value: int, max_value: int, **kwargs: Any) -> int:
    """A whole-number input kept in the query string (a value out of range falls back to `default`)."""
    key = f"filter_{param}"
    text = query_value(param) or ""
    wanted = int(text) if text.isdigit() and min_value <= int(text) <= max_value else default
    _from_url(key, param, wanted, default)
    number = int(st.number_input(label, min_value=min_value, max_value=max_value, step=1, key=key, **kwargs))
    _written(key, param, number)
    return number


def suppression_controls(
    *, may_export_counts: bool, default_threshold: int = DEFAULT_THRESHOLD
) -> int | None:
    """The export's small-count suppression, kept in the URL (suppress=on/off, threshold=N): the
    threshold, or None when counts go out as they are. A viewer's export is always suppressed, at
    `default_threshold` (the admin's setting) or more, whatever a link says."""
    suppress = (
        url_checkbox(
            "Suppress small counts for sharing",
            param="suppress",
            default=not may_export_counts,
            disabled=not may_export_counts,
            help="Counts from 1 to the threshold minus 1 become c, with anything that would "
            "reveal them by subtraction. The same cells are hidden whatever you filter.",
        )
        or not may_export_counts
    )
    threshold = url_number(
        "Threshold",
        param="threshold",
        default=default_threshold,
        min_value=2 if may_export_counts else default_threshold,
        max_value=20,
        disabled=not suppress,
    )
    return threshold if suppress else None


def parse_date(text: str) -> date:
    return date.fromisoformat(text)


# -- Tables and downloads ----------------------------------------------------------------------


def headline_period_choice() -> str:
    """The Overview's headline period switch: "" (as the DfE reports it) or a period type."""
    choice = st.segmented_control(
        "Headline period",
        options=list(HEADLINE_PERIOD_CHOICES),
        format_func=HEADLINE_PERIOD_CHOICES.get,
        default="",
        key="headline_period",
        help="Each indicator's headline is in the period the DfE reports it for unless you choose "
        "another; indicators without values of that period type (snapshots) keep their own.",
    )
    return str(choice or "")


def rag_table(
    frame: pd.DataFrame, rag_column: str = "rag", shown_column: str = "RAG", label: str = "RAG"
) -> tuple[pd.DataFrame, dict[str, Any]]:
    """`frame` ready for st.dataframe with its RAG shown as a coloured chip holding the word and
    symbol ("● Green"), plus the column config that colours it. The raw rating column is dropped.

    A chip column (MultiselectColumn with one colour per option) colours cells without a pandas
    Styler, which Streamlit marshals cell by cell (80 ms for the scorecard against 5 ms).
    """
    ratings = ["green", "amber", "red"]
    labels = [rag_label(r) for r in ratings] + [LOW_N_LABEL, NOT_RATED]
    colours = [RAG_COLOURS[r] for r in ratings] + ["#F2F2F2", "#D9D9D9"]
    shown = frame.drop(columns=[rag_column]).assign(
        **{shown_column: frame[rag_column].map(lambda r: [rag_label(r)])}
    )
    config = {shown_column: st.column_config.MultiselectColumn(label, options=labels, color=colours)}
    return shown, config


def direction_chips(frame: pd.DataFrame, column: str, label: str) -> tuple[pd.DataFrame, dict[str, Any]]:
    """`frame` with its direction of travel as chips: improved blue, declined orange (polarity has
    already decided which is which), no change grey; the arrow and the word are always shown."""
    labels = [DIRECTION_WORDS["improved"], DIRECTION_WORDS["declined"], DIRECTION_WORDS["no change"]]
    colours = [BETTER_COLOUR, WORSE_COLOUR, "#D9D9D9"]
    shown = frame.assign(**{column: frame[column].map(lambda d: [d] if d in labels else [])})
    return shown, {column: st.column_config.MultiselectColumn(label, options=labels, color=colours)}


def csv_download(
    frame: pd.DataFrame, file_name: str, label: str = "Download this table (CSV)", key: str | None = None
) -> None:
    """Download a shown table exactly as shown, as CSV (UTF-8 with BOM, ISO dates); the file is
    written when the button is pressed, not on every run (50-170 ms a table on 2 cores)."""
    from metrics.export import to_csv_bytes

    st.download_button(
        label,
        data=lambda: to_csv_bytes(frame),
        file_name=file_name,
        mime="text/csv",
        key=key or f"csv_{file_name}",
        on_click="ignore",
    )


def png_bytes_or_message(fig: go.Figure, la_name: str = "") -> bytes:
    """PNG of `fig` as exported (the LA and today's date under the title, nothing cropped); if
    drawing fails, a PNG-less explanation is logged and empty bytes returned."""
    try:
        return figure_png(export_figure(fig, la_name, date.today()))
    except Exception:
        log.exception("PNG export failed")
        return b""


@st.cache_resource(max_entries=256, show_spinner=False)
def _cached_figure(cache_key: tuple[object, ...], _build: Callable[[], go.Figure]) -> go.Figure:
    """A chart built once per store version and filters (plotly builds take 50-100 ms); shared
    read-only between sessions: nothing changes a figure after it is built."""
    return _build()


def chart(build: Callable[[], go.Figure], cache_key: tuple[object, ...], file_name: str, key: str) -> None:
    """Draw the chart `build` returns, with a PNG download beneath it (or why PNG is unavailable).

    `cache_key` names everything the chart depends on apart from the store, whose version is added.
    """
    fig = _cached_figure((reader().version, key, *cache_key), build)
    st.plotly_chart(
        fig,
        width="stretch",
        key=f"chart_{key}",
        config={"displaylogo": False, "toImageButtonOptions": {"format": "png", "filename": file_name}},
    )
    reason = png_unavailable_reason()
    if reason:
        st.caption(reason)
        return
    shown = st.session_state.get("filters")
    la_name = shown.la_label if isinstance(shown, Filters) else ""
    st.download_button(
        "Download chart (PNG)",
        data=lambda: png_bytes_or_message(fig, la_name),
        file_name=f"{file_name}.png",
        mime="image/png",
        key=f"png_{key}",
        on_click="ignore",
    )


# -- The sidebar filters shared by every page ---------------------------------------------------


@dataclass
class Filters:
    la_code: str | None
    la_label: str
    sn_model: str
    sn_average: str
    is_demo: bool
    store_exists: bool
    has_kpis: bool
    has_records: bool = True  # the chosen LA has values from its own records (else: published only)


def sidebar_filters(status: StoreStatus) -> Filters:
    """LA, statistical neighbour model and average, in the sidebar and the URL (la, sn, avg)."""
    sidebar = st.sidebar
    labels = dict(status.la_options)
    la_code = choose(
        "Local authority",
        [code for code, _ in status.la_options],
        param="la",
        default=status.default_la,
        format_func=lambda c: labels.get(c, c),
        container=sidebar,
    )
    sn_model = choose(
        "Statistical neighbour model",
        status.sn_models,
        param="sn",
        default=DEFAULT_SN_MODEL if DEFAULT_SN_MODEL in status.sn_models else None,
        format_func=lambda m: f"{m} model",
        container=sidebar,
        help="The DfE children's services statistical neighbour benchmarking tool: "
        "the 2021 model or the May 2025 model (after the 2021 Census).",
    )
    sn_average = choose(
        "Neighbour average",
        list(SN_AVERAGES),
        param="avg",
        default="mean",
        format_func=AVERAGE_OPTIONS.__getitem__,
        container=sidebar,
        help=AVERAGE_HELP,
    )
    if status.is_demo:
        sidebar.caption("Showing the demo store: synthetic records, not real children.")
    filters = Filters(
        la_code=la_code,
        la_label=labels.get(la_code or "", la_code or "no LA"),
        sn_model=sn_model or DEFAULT_SN_MODEL,
        sn_average=sn_average or "mean",
        is_demo=status.is_demo,
        store_exists=status.exists,
        has_kpis=status.has_kpis,
        has_records=la_code in status.own_las,
    )
    st.session_state["filters"] = filters
    return filters


def _under_app_test() -> bool:
    """Whether Streamlit's AppTest (not a browser session) is running this script."""
    context = get_script_run_ctx()
    return context is not None and context.session_id == "test session id"


def current_filters() -> Filters:
    """The filters app.py set for this run.

    Streamlit starts a server whose folder has a `pages/` directory in its old multipage mode, and
    stays in it until app.py calls `st.navigation`; in that mode a link to a page (e.g. /caseloads)
    runs the page without app.py. A page that finds the old mode still on switches it off and
    reruns, so app.py runs and opens the same page (the page keeps its url path). Streamlit's
    AppTest resets that mode before every run, so under AppTest the page draws the sidebar itself.
    """
    if PagesManager.uses_pages_directory:
        if not _under_app_test():
            PagesManager.uses_pages_directory = False
            st.rerun()
        # AppTest runs every page on its own in this mode: draw the sidebar here instead
        return sidebar_filters(store_status())
    found = st.session_state.get("filters")
    if isinstance(found, Filters):
        return found
    return sidebar_filters(store_status())


def synthetic_banner(filters: Filters) -> None:
    if filters.is_demo:
        st.warning(
            "Synthetic data: this is the demo store, generated from made-up records. "
            "No figure here describes real children or a real local authority's performance."
        )
