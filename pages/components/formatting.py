"""How numbers, RAG ratings and directions read on screen.

A suppressed or missing value shows its symbol (c, k, u, x, z) or a dash, never 0. A RAG rating
is always a word and a symbol as well as a colour, so it reads in greyscale and for colour-blind
users. Colours follow polarity: better is blue or green, worse is orange or red (a colour-blind
safe palette, with text contrast of at least 4.5:1 on its background).
"""

from __future__ import annotations

import pandas as pd

from metrics.formatting import (
    MISSING,
    NOT_RATED,
    RAG_SYMBOLS,
    RAG_WORDS,
    format_count,
    format_number,
    is_missing,
    period_label,
    period_words,
    published_year_label,
    published_years_label,
)
from metrics.headlines import LOW_N_LABEL

__all__ = [
    "MISSING", "NOT_RATED", "format_count", "format_number", "is_missing", "period_label",
    "period_type_label", "published_year_label", "published_years_label",
]


def dash_missing(frame: pd.DataFrame) -> pd.DataFrame:
    """The frame with every missing cell of its text columns read as the missing dash, never
    "None" (a table shows None, NaN and NaT raw). Number and date columns are left as they are."""
    text = [c for c in frame.columns if frame[c].dtype == object or pd.api.types.is_string_dtype(frame[c])]
    if not text:
        return frame
    return frame.assign(
        **{str(c): frame[c].astype(object).map(lambda v: MISSING if is_missing(v) else v) for c in text}
    )

STATUS_MEANINGS = {
    "c": "c (suppressed: small number)",
    "k": "k (below 0.5)",
    "u": "u (low reliability)",
    "x": "x (not available)",
    "z": "z (not applicable)",
    "low": "low (below 0.5)",
}

# Chip colours for the RAG column (the word and symbol are always shown too).
RAG_COLOURS = {"green": "#1B6E2A", "amber": "#F0C05A", "red": "#B2182B"}

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
BELOW_STANDARD_COLOUR = "#92C5DE"  # caseloads under the role's range: neither better nor worse
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


def rag_label(rag: object) -> str:
    """'● Green', '▲ Amber', '■ Red', 'low n' (metrics.headlines: too few to rate) or 'No RAG'."""
    if rag == LOW_N_LABEL:
        return LOW_N_LABEL
    if not isinstance(rag, str) or rag not in RAG_WORDS:
        return NOT_RATED
    return f"{RAG_SYMBOLS[rag]} {RAG_WORDS[rag]}"


def n_label(numerator: object, denominator: object, unit: object) -> str:
    """The counts behind a value: '36 of 40' for a percentage, '3,038 / 61,200' otherwise."""
    if is_missing(numerator) and is_missing(denominator):
        return MISSING
    joiner = " of " if unit == "%" else " / "
    return f"{format_count(numerator)}{joiner}{format_count(denominator)}"


def direction_label(direction: object) -> str:
    if not isinstance(direction, str) or not direction:
        return MISSING
    return DIRECTION_WORDS.get(direction, direction)


def period_type_label(period_type: str, indicator_id: str | None = None) -> str:
    """'Rolling 12 months'; a workforce indicator's "year" as what it is at each month end
    ('At month end', '12 months to month end': metrics.formatting.period_words), not 'Year'."""
    if period_type == "year" and indicator_id is not None:
        words = period_words(period_type, indicator_id)
        if words != "year":
            return words[0].upper() + words[1:]
    return PERIOD_TYPE_LABELS.get(period_type, period_type)


def polarity_words(polarity: object) -> str:
    return {"High": "higher is better", "Low": "lower is better"}.get(str(polarity), "no polarity")


def bar_order_words(polarity: object) -> str:
    """How ranked bars are ordered: best first only where the indicator has a better direction."""
    if str(polarity) in ("High", "Low"):
        return "Bars are ordered best first"
    return "Bars are ordered lowest first (this indicator has no better direction)"
