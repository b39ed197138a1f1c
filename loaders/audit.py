"""The audit log: who loaded files, exported KPI rows, wrote commentary or changed a setting, and when.

Each entry is (recorded_at, user_name, action, what). `what` names the files (kind and name) and
the batch's outcome, an export's selection, or a commentary's subject and month; never a child's
data, a file's content or a commentary's text. A load writes its entry in the batch's own write
session, so a load and its entry land together; a refused batch writes its entry with the load
log's failure rows. An admin's change of a setting is a "settings" entry, "label: old -> new"
(metrics.admin_settings).
The app passes the signed-in user (pages/components/auth.py); the command line the OS user.
"""

from __future__ import annotations

import getpass
from datetime import date, datetime

import pandas as pd

from loaders.store import Reader, Writer

AUDIT_COLUMNS = ["recorded_at", "user_name", "action", "what"]


def os_user() -> str:
    """The user running the command line ("unknown" when the system cannot say)."""
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown"


def record(writer: Writer, user: str, action: str, what: str) -> None:
    """Add one entry in `writer`'s session."""
    writer.execute(
        "insert into audit_log values (?, ?, ?, ?)", [datetime.now(), user, action, what]
    )


def export_what(
    file_name: str,
    la_code: str | None,
    indicators: list[str] | tuple[str, ...] | None,
    period_from: date | None,
    period_to: date | None,
    period_type: str | None,
    suppress_below: int | None,
) -> str:
    """An export's selection, e.g. "kpis.csv: LA 929, all indicators, 2024-04 to 2025-03, month,
    suppressed below 5"."""
    months = f"{period_from:%Y-%m}" if period_from else "first month"
    months += f" to {period_to:%Y-%m}" if period_to else " to last month"
    return ", ".join(
        [
            f"{file_name}: LA {la_code or 'all'}",
            "indicators " + " ".join(indicators) if indicators else "all indicators",
            months,
            period_type or "all period types",
            f"suppressed below {suppress_below}" if suppress_below else "unsuppressed",
        ]
    )


def audit_entries(store: Reader | Writer, limit: int = 1000) -> pd.DataFrame:
    """The newest `limit` entries, newest first (an empty frame before the first entry)."""
    if not store.has_table("audit_log"):
        return pd.DataFrame(columns=AUDIT_COLUMNS)
    return store.query(
        "select recorded_at, user_name, action, what from audit_log order by recorded_at desc limit ?",
        [limit],
    )
