"""How numbers, RAG ratings and directions read on screen.

A suppressed or missing value shows its symbol (c, k, u, x, z) or a dash, never 0. A RAG rating
is always a word and a symbol as well as a colour, so it reads in greyscale and for colour-blind
users. Colours follow polarity: better is blue or green, worse is orange or red (a colour-blind
safe palette, with text contrast of at least 4.5:1 on its background).
"""

from __future__ import annotations

import math
from datetime import date

import pandas as pd

MISSING = "–"
STATUS_MEANINGS = {
    "c": "c (suppressed: small number)",
    "k": "k (below 0.5)",
    "u": "u (low reliability)",
    "x": "x (not available)",
    "z": "z (not applicable)",
    "low": "low (below 0.5)",
}

RAG_WORDS = {"green": "Green", "amber": "Amber", "red": "Red"}
RAG_SYMBOLS = {"green": "●", "amber": "▲", "red": "■"}
# Chip colours for the RAG column (the word and symbol are always shown too).
RAG_COLOURS = {"green": "#1B6E2A", "amber": "#F0C05A", "red": "#B2182B"}
NOT_RATED = "No RAG"

# Charts: the LA stands out, comparators are neutral; better is blue, worse is orange.
LA_COLOUR = "#0B5394"
OTHER_LA_COLOUR = "#B8C2CC"
NEIGHBOUR_COLOUR = "#6C8EBF"
ENGLAND_COLOUR = "#1F1F1F"
REGION_COLOUR = "#7F3C8D"
SN_COLOUR = "#D55E00"
TARGET_COLOUR = "#1B6E2A"
BETTER_COLOUR = "#2166AC"
WORSE_COLOUR = "#D6604D"
QUARTILE_COLOURS = {"A": "#2166AC", "B": "#92C5DE", "C": "#F4A582", "D": "#B2182B"}

DIRECTION_WORDS = {
    "improved": "▲ Improved",
    "declined": "▼ Declined",
    "no change": "► No change",
}

PERIOD_TYPE_LABELS = {
    "month": "Month",
    "ytd": "Year to date",
    "rolling_12m": "Rolling 12 months",
    "snapshot": "Snapshot at month end",
    "year": "Year",
}


PERIOD_TYPE_SHORT = {
    "month": "month",
    "ytd": "year to date",
    "rolling_12m": "rolling 12 months",
    "snapshot": "at month end",
    "year": "year",
}


def is_missing(value: object) -> bool:
    if value is None or value is pd.NA:
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


def rag_label(rag: object) -> str:
    """'● Green', '▲ Amber', '■ Red' or 'No RAG'."""
    if not isinstance(rag, str) or rag not in RAG_WORDS:
        return NOT_RATED
    return f"{RAG_SYMBOLS[rag]} {RAG_WORDS[rag]}"


def direction_label(direction: object) -> str:
    if not isinstance(direction, str) or not direction:
        return MISSING
    return DIRECTION_WORDS.get(direction, direction)


def period_label(period_end: object, period_type: str | None = None) -> str:
    """'Sep 2024 (year to date)'."""
    if is_missing(period_end):
        return MISSING
    day = pd.Timestamp(period_end).date() if not isinstance(period_end, date) else period_end
    text = f"{day:%b %Y}"
    if period_type:
        text += f" ({PERIOD_TYPE_SHORT.get(period_type, period_type)})"
    return text


def reporting_year_label(year: object) -> str:
    """2024 -> '2023/24'."""
    if is_missing(year):
        return MISSING
    year_end = int(year)  # type: ignore[call-overload]
    return f"{year_end - 1}/{str(year_end)[-2:]}"


def polarity_words(polarity: object) -> str:
    return {"High": "higher is better", "Low": "lower is better"}.get(str(polarity), "no polarity")
