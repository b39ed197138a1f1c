"""How a figure reads in words, the same on the dashboard's screens and in the printed report.

A suppressed or missing value reads as its status symbol (c, k, u, x, z) or a dash, never 0;
counts are whole numbers, FTE one decimal place. The screens (pages/components/formatting.py) and
the committee report (reports/formatting.py) add only their own colours and wording on top.

Years and periods are worded here once, for every page, the report and the export. A published
year is the DfE's `time_period`: 2024 is the reporting year 2023/24 (1 April 2023 to 31 March 2024)
for every indicator but the workforce ones, whose 2024 is the census at 30 September 2024 (read as
"2023/24" it would name a year that ended six months before the census). A workforce value at a
month end is a position at that date (agency, vacancy rates) or the 12 months to it (turnover),
never a whole "year".
"""

from __future__ import annotations

import math
from datetime import date

import pandas as pd

from metrics.catalogue import load_catalogue
from metrics.periods import reporting_year_label
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
    "format_number", "is_missing", "period_label", "published_year_label", "published_years_label",
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


def _at_30_september(indicator_id: object) -> bool:
    catalogue = load_catalogue()
    if not isinstance(indicator_id, str) or indicator_id not in catalogue:
        return False
    return catalogue.get(indicator_id).at_30_september


def period_words(period_type: object, indicator_id: object = None) -> str:
    """'year to date'; for a workforce indicator's "year" at a month end, 'at month end' (a
    position: agency, vacancy rate) or '12 months to month end' (turnover: leavers over a year)."""
    if not isinstance(period_type, str) or not period_type:
        return ""
    if period_type == "year" and _at_30_september(indicator_id):
        flow = load_catalogue().get(str(indicator_id)).headline_period == "year"
        return "12 months to month end" if flow else "at month end"
    return PERIOD_WORDS.get(period_type, period_type)


def period_label(period_end: object, period_type: object = None, indicator_id: object = None) -> str:
    """'Sep 2024 (year to date)'; a workforce rate 'Nov 2026 (at month end)' (see period_words)."""
    if is_missing(period_end):
        return MISSING
    day = period_end if isinstance(period_end, date) else pd.Timestamp(period_end).date()  # type: ignore[arg-type]
    text = f"{day:%b %Y}"
    words = period_words(period_type, indicator_id)
    if words:
        text += f" ({words})"
    return text


def published_year_label(year: object, indicator_id: object = None) -> str:
    """A published year as the DfE means it: 2024 -> '2023/24'; a workforce indicator's 2024 ->
    '30 Sep 2024' (the census date, not the reporting year 2023/24)."""
    if is_missing(year):
        return MISSING
    year_end = int(year)  # type: ignore[call-overload]
    if _at_30_september(indicator_id):
        return f"30 Sep {year_end}"
    return reporting_year_label(year_end)


def published_years_label(year: object, indicator_id: object = None) -> str:
    """The published years a direction of travel compares: 2024 -> '2022/23 to 2023/24'
    (workforce: '30 Sep 2023 to 30 Sep 2024')."""
    if is_missing(year):
        return MISSING
    year_end = int(year)  # type: ignore[call-overload]
    earlier, later = (published_year_label(y, indicator_id) for y in (year_end - 1, year_end))
    return f"{earlier} to {later}"
