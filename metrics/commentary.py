"""Reading the service's commentary: the current text per subject and month, its history, the export.

The table is written by loaders.commentary (an edit is a new version; the old ones stay). The
pages and the committee report read it only through these functions, so they show the same text:
the newest version for each LA, subject (indicator or recommendation) and month.
"""

from __future__ import annotations

from datetime import date

import pandas as pd

from metrics.kpis import Queryable
from metrics.queryable import has_table

COMMENTARY_COLUMNS = [
    "la_code",
    "indicator_id",
    "recommendation_ref",
    "month",
    "version",
    "text",
    "author",
    "created_at",
    "source_file",
]
_SELECT = "select " + ", ".join(COMMENTARY_COLUMNS) + " from commentary"


def _empty() -> pd.DataFrame:
    return pd.DataFrame(columns=COMMENTARY_COLUMNS)


def _dated(frame: pd.DataFrame) -> pd.DataFrame:
    frame["month"] = pd.to_datetime(frame["month"]).dt.date
    return frame


def current_commentary(
    store: Queryable, la_code: str, *, months: list[date] | None = None, kind: str | None = None
) -> pd.DataFrame:
    """The newest version per subject and month for the LA (optionally only `months`, and only
    `kind` "indicator" or "recommendation"), ordered by month then subject."""
    if not has_table(store, "commentary"):
        return _empty()
    found = store.query(
        _SELECT + " where la_code = $la "
        "and ($months is null or month in (select unnest($months::date[]))) "
        "and ($kind is null or ($kind = 'indicator') = (indicator_id is not null)) "
        "qualify row_number() over (partition by indicator_id, recommendation_ref, month "
        "order by version desc) = 1 "
        "order by month, indicator_id nulls last, recommendation_ref",
        {"la": la_code, "months": months, "kind": kind},
    )
    return _dated(found)


def commentary_history(
    store: Queryable,
    la_code: str,
    month: date,
    *,
    indicator_id: str | None = None,
    recommendation_ref: str | None = None,
) -> pd.DataFrame:
    """Every version for one subject and month, newest first."""
    if not has_table(store, "commentary"):
        return _empty()
    found = store.query(
        _SELECT + " where la_code = $la and month = $month "
        "and indicator_id is not distinct from $indicator and recommendation_ref is not distinct from $ref "
        "order by version desc",
        {"la": la_code, "month": month, "indicator": indicator_id, "ref": recommendation_ref},
    )
    return _dated(found)


def commentary_export(store: Queryable, la_code: str) -> pd.DataFrame:
    """Every version of every commentary of the LA (the history kept), for a CSV."""
    if not has_table(store, "commentary"):
        return _empty()
    found = store.query(
        _SELECT + " where la_code = ? order by month, indicator_id nulls last, recommendation_ref, version",
        [la_code],
    )
    return _dated(found)


def text_for(
    commentary: pd.DataFrame,
    *,
    indicator_id: str | None = None,
    ref: str | None = None,
    month: date | None = None,
) -> pd.Series | None:
    """The row of `commentary` (from `current_commentary`) for one subject and month, or None."""
    if commentary.empty:
        return None
    rows = commentary
    if indicator_id is not None:
        rows = rows[rows["indicator_id"] == indicator_id]
    if ref is not None:
        rows = rows[rows["recommendation_ref"].astype(str) == str(ref)]
    if month is not None:
        rows = rows[rows["month"] == month]
    return None if rows.empty else rows.iloc[-1]
