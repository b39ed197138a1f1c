"""Reporting periods: month ends, reporting years (1 April to 31 March), YTD and rolling windows."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pandas as pd


def month_end(day: date) -> date:
    """The last day of `day`'s month."""
    following = date(day.year + day.month // 12, day.month % 12 + 1, 1)
    return following - timedelta(days=1)


def month_ends(first: date, last: date) -> list[date]:
    """Every month end from the month of `first` to the month of `last`, inclusive."""
    ends = pd.date_range(month_end(first), month_end(last), freq="ME")
    return [d.date() for d in ends]


def reporting_year_end(day: date) -> int:
    """The DfE `time_period` of the reporting year containing `day` (1 Apr 2023-31 Mar 2024 -> 2024)."""
    return day.year + 1 if day.month >= 4 else day.year


def reporting_year_label(year_end: int) -> str:
    """2024 -> '2023/24'."""
    return f"{year_end - 1}/{str(year_end)[-2:]}"


def parse_reporting_year(text: str) -> int | None:
    """'2023/24', '2023-24', '2023/2024', 'FY2023/24' or '2024' -> 2024; None if not a year."""
    cleaned = text.strip().upper().removeprefix("FY").strip()
    match = re.fullmatch(r"(\d{4})\s*[/\-]\s*(\d{2}|\d{4})", cleaned)
    if match:
        start, end = int(match.group(1)), match.group(2)
        end_year = int(end) if len(end) == 4 else (start // 100) * 100 + int(end)
        if end_year < start:
            end_year += 100
        return end_year if end_year == start + 1 else None
    if re.fullmatch(r"\d{4}", cleaned):
        return int(cleaned)
    return None


def ytd_start(period_end: date) -> date:
    """1 April of the reporting year containing `period_end`."""
    return date(reporting_year_end(period_end) - 1, 4, 1)


def rolling_12m_start(period_end: date) -> date:
    """First day of the 12 months ending at the month end `period_end`."""
    first_of_month = period_end.replace(day=1)
    year, month = (first_of_month.year - 1, first_of_month.month + 1)
    if month == 13:
        year, month = year + 1, 1
    return date(year, month, 1)


def window_start(period_end: date, period_type: str) -> date:
    """First day of the period of `period_type` ending at the month end `period_end`."""
    if period_type == "month":
        return period_end.replace(day=1)
    if period_type == "ytd":
        return ytd_start(period_end)
    if period_type == "rolling_12m":
        return rolling_12m_start(period_end)
    raise ValueError(f"{period_type!r} is not a window period type")
