"""How figures read in a printed report: the same conventions as the dashboard's screens.

A suppressed or missing value prints its symbol (c, x, ...) or a dash, never 0; a RAG rating is a
word and a symbol as well as a colour, so a black-and-white copy still reads.
"""

from __future__ import annotations

import math
from datetime import date

import pandas as pd

MISSING = "–"
RAG_WORDS = {"green": "Green", "amber": "Amber", "red": "Red"}
RAG_SYMBOLS = {"green": "●", "amber": "▲", "red": "■"}
RAG_FILLS = {"green": "C8E6C9", "amber": "FFE0A3", "red": "F4B6B6"}  # pale, so black text reads
NOT_RATED = "No RAG"
LOW_N = "low n"
DIRECTION_WORDS = {"improved": "▲ Improving", "declined": "▼ Declining", "no change": "► No change"}
PERIOD_WORDS = {
    "month": "month",
    "ytd": "year to date",
    "rolling_12m": "rolling 12 months",
    "snapshot": "at month end",
    "year": "year",
}


def is_missing(value: object) -> bool:
    if value is None or value is pd.NA or value is pd.NaT:
        return True
    try:
        return math.isnan(float(value))  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return False


def number(value: object, unit: str = "number", decimal_places: int = 1, status: object = "") -> str:
    """'8.1%', '17.4', '45.0 days'; the status symbol when suppressed; a dash when missing."""
    if isinstance(status, str) and status:
        return status
    if isinstance(value, str):  # a suppressed cell ("c") from metrics.disclosure
        return value
    if is_missing(value):
        return MISSING
    text = f"{float(value):,.{int(decimal_places)}f}"  # type: ignore[arg-type]
    if unit == "%":
        return f"{text}%"
    if unit == "days":
        return f"{text} days"
    return text


def count(value: object) -> str:
    """A numerator or denominator: whole numbers without decimals, FTE with one; "c" as it is."""
    if isinstance(value, str):
        return value
    if is_missing(value):
        return MISSING
    figure = float(value)  # type: ignore[arg-type]
    return f"{figure:,.0f}" if figure.is_integer() else f"{figure:,.1f}"


def n_text(numerator: object, denominator: object, unit: str) -> str:
    """The counts behind a value: '6 of 36' for a percentage, '3,038 / 173.1' otherwise."""
    if is_missing(numerator) and is_missing(denominator):
        return MISSING
    joiner = " of " if unit == "%" else " / "
    return f"{count(numerator)}{joiner}{count(denominator)}"


def rag(rating: object) -> str:
    """'● Green', '▲ Amber', '■ Red', 'low n' or 'No RAG'."""
    if rating == LOW_N:
        return LOW_N
    if not isinstance(rating, str) or rating not in RAG_WORDS:
        return NOT_RATED
    return f"{RAG_SYMBOLS[rating]} {RAG_WORDS[rating]}"


def direction(value: object) -> str:
    if not isinstance(value, str) or not value:
        return MISSING
    return DIRECTION_WORDS.get(value, value)


def period(period_end: object, period_type: object = None) -> str:
    """'Nov 2026 (rolling 12 months)'."""
    if is_missing(period_end):
        return MISSING
    day = period_end if isinstance(period_end, date) else pd.Timestamp(period_end).date()  # type: ignore[arg-type]
    text = f"{day:%b %Y}"
    if isinstance(period_type, str) and period_type:
        text += f" ({PERIOD_WORDS.get(period_type, period_type)})"
    return text


def rank(position: object, of: object) -> str:
    if is_missing(position):
        return MISSING
    return f"{int(position)} of {int(of)}" if not is_missing(of) else str(int(position))  # type: ignore[call-overload]


def text(value: object) -> str:
    return MISSING if is_missing(value) or value == "" else str(value)
