"""Commentary beside a figure: the current text, its history, and a form for analysts to write it.

The Indicator trend and Improvement plan pages call `commentary_panel` under the figure the text
explains. Reads go through metrics.commentary (cached on the store's version, so a saved text shows
at once); the write is loaders.commentary.save_commentary behind `auth.require("analyst", ...)`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pandas as pd
import streamlit as st

from loaders.commentary import Subject, save_commentary
from loaders.problems import LoadFailed
from loaders.store import Reader
from metrics import commentary
from metrics.export import to_csv_bytes
from pages.components import auth
from pages.components.data import reader


@dataclass
class SaveResult:
    ok: bool
    message: str


def current(la_code: str) -> pd.DataFrame:
    """The newest version of every commentary of the LA (metrics.commentary.current_commentary)."""
    store = reader()
    return _current(str(store.path), store.version, la_code)


@st.cache_data(show_spinner=False, max_entries=16)
def _current(path: str, version: object, la_code: str) -> pd.DataFrame:
    if version is None:
        return pd.DataFrame(columns=commentary.COMMENTARY_COLUMNS)
    return commentary.current_commentary(Reader(path), la_code)


def history(la_code: str, subject: Subject, month: date) -> pd.DataFrame:
    store = reader()
    return _history(
        str(store.path), store.version, la_code, subject.indicator_id, subject.recommendation_ref, month
    )


@st.cache_data(show_spinner=False, max_entries=64)
def _history(
    path: str, version: object, la_code: str, indicator_id: str | None, ref: str | None, month: date
) -> pd.DataFrame:
    return commentary.commentary_history(
        Reader(path), la_code, month, indicator_id=indicator_id, recommendation_ref=ref
    )


def export_csv(la_code: str) -> bytes:
    """Every version of the LA's commentary as CSV (the export keeps the history)."""
    store = reader()
    return to_csv_bytes(commentary.commentary_export(store, la_code))


def save(la_code: str, subject: Subject, month: date, text: str) -> SaveResult:
    """Store `text` as a new version by the signed-in user; the message says what happened.

    Raises PermissionDenied unless the user is an analyst or admin.
    """
    user = auth.require("analyst", "Writing commentary")
    try:
        version = save_commentary(
            reader().path, la_code=la_code, subject=subject, month=month, text=text, author=user.name
        )
    except LoadFailed as failure:
        return SaveResult(False, "; ".join(p.message for p in failure.problems))
    return SaveResult(True, f"Saved as version {version} for {month:%B %Y}.")


def _subject_rows(frame: pd.DataFrame, subject: Subject) -> pd.DataFrame:
    if frame.empty:
        return frame
    if subject.indicator_id is not None:
        return frame[frame["indicator_id"] == subject.indicator_id]
    return frame[frame["recommendation_ref"].astype(str) == str(subject.recommendation_ref)]


def commentary_panel(la_code: str, subject: Subject, months: list[date], key: str) -> None:
    """The commentary for one subject: a month to read or write, its text, history and a form."""
    if not months:
        return
    saved = st.session_state.pop(f"{key}_saved", None)
    if saved:
        st.success(saved)
    texts = _subject_rows(current(la_code), subject)
    month = st.selectbox(
        "Month the commentary explains",
        list(reversed(months)),
        format_func=lambda m: f"{m:%B %Y}",
        key=f"{key}_month",
    )
    row = commentary.text_for(texts, month=month)
    if row is None:
        st.caption(f"No commentary for {month:%B %Y} yet.")
    else:
        st.info(row["text"])
        st.caption(
            f"Version {int(row['version'])}, by {row['author']}, "
            f"{pd.Timestamp(row['created_at']):%d %b %Y %H:%M}"
        )
        older = history(la_code, subject, month)
        if len(older) > 1:
            with st.expander(f"Earlier versions ({len(older) - 1})"):
                st.dataframe(
                    older.iloc[1:][["version", "text", "author", "created_at"]],
                    hide_index=True,
                    width="stretch",
                    key=f"{key}_history",
                )
    if not auth.current_user().can("analyst"):
        st.caption("Analysts and admins can write commentary.")
        return
    with st.form(f"{key}_form"):
        text = st.text_area(
            "Commentary (what the figure means, what is being done)",
            value="" if row is None else str(row["text"]),
            max_chars=2000,
        )
        submitted = st.form_submit_button("Save commentary")
    if submitted:
        result = save(la_code, subject, month, text)
        if not result.ok:
            st.error(result.message)
            return
        st.session_state[f"{key}_saved"] = result.message
        st.rerun()
