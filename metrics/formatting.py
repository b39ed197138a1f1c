"""How a figure reads in words, the same on the dashboard's screens and in the printed report.

A suppressed or missing value reads as its status symbol (c, k, u, x, z) or a dash, never 0;
counts are whole numbers, FTE one decimal place. The screens (pages/components/formatting.py) and
the committee report (reports/formatting.py) add only their own colours and wording on top.
"""

from __future__ import annotations

import math
from datetime import date

import pandas as pd

from metrics.rag import RAG_SYMBOLS

MISSING = "–"
RAG_WORDS = {"green": "Green", "amber": "Amber", "red": "Red"}
NOT_RATED = "No RAG"
PERIOD_WORDS = {
    "month": "month",
    "ytd": "year to date",
    "rolling_12m": "rolling 12 months",
    "snapshot": "at month end",
    "year": "year",
}

__all__ = [
    "MISSING", "NOT_RATED", "PERIOD_WORDS", "RAG_SYMBOLS", "RAG_WORDS", "format_count",
    "format_number", "is_missing", "period_label",
]


def is_missing(value: object) -> bool:
    if value is None or value is pd.NA or value is pd.NaT:
        return True
    try:
        return math.isnan(float(value))  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return False


def format_number(
    value: object, unit: str = "number", decimal_places: int = 1, status: str | None = ""
) -> str:
    """'8.1%', '17.4', '45.0 days'; the status symbol when suppressed; a dash when missing."""
    if status:
        return str(status)
    if is_missing(value):
        return MISSING
    number = f"{float(value):,.{int(decimal_places)}f}"  # type: ignore[arg-type]
    if unit == "%":
        return f"{number}%"
    if unit == "days":
        return f"{number} days"
    return number


def format_count(value: object, status: str | None = "") -> str:
    """A numerator or denominator: whole numbers without decimals, FTE with one."""
    if is_missing(value):
        return status or MISSING
    number = float(value)  # type: ignore[arg-type]
    return f"{number:,.0f}" if number.is_integer() else f"{number:,.1f}"


def period_label(period_end: object, period_type: object = None) -> str:
    """'Sep 2024 (year to date)'."""
    if is_missing(period_end):
        return MISSING
    day = period_end if isinstance(period_end, date) else pd.Timestamp(period_end).date()  # type: ignore[arg-type]
    text = f"{day:%b %Y}"
    if isinstance(period_type, str) and period_type:
        text += f" ({PERIOD_WORDS.get(period_type, period_type)})"
    return text
