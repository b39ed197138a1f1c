"""How figures read in a printed report: the same conventions as the dashboard's screens.

A suppressed or missing value prints its symbol (c, x, ...) or a dash, never 0; a RAG rating is a
word and a symbol as well as a colour, so a black-and-white copy still reads.
"""

from __future__ import annotations

from metrics.formatting import (
    MISSING,
    NOT_RATED,
    PERIOD_WORDS,
    RAG_SYMBOLS,
    RAG_WORDS,
    format_count,
    format_number,
    is_missing,
    period_label,
    published_year_label,
)

__all__ = ["MISSING", "PERIOD_WORDS", "is_missing"]

RAG_FILLS = {"green": "C8E6C9", "amber": "FFE0A3", "red": "F4B6B6"}  # pale, so black text reads
LOW_N = "low n"
DIRECTION_WORDS = {"improved": "▲ Improving", "declined": "▼ Declining", "no change": "► No change"}


def number(value: object, unit: str = "number", decimal_places: int = 1, status: object = "") -> str:
    """'8.1%', '17.4', '45.0 days'; the status symbol when suppressed; a dash when missing."""
    if isinstance(status, str) and status:
        return status
    if isinstance(value, str):  # a suppressed cell ("c") from metrics.disclosure
        return value
    return format_number(value, unit, decimal_places)


def count(value: object) -> str:
    """A numerator or denominator: whole numbers without decimals, FTE with one; "c" as it is."""
    return value if isinstance(value, str) else format_count(value)


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


def period(period_end: object, period_type: object = None, indicator_id: object = None) -> str:
    """'Nov 2026 (rolling 12 months)'; a workforce rate 'Nov 2026 (at month end)'."""
    return period_label(period_end, period_type, indicator_id)


def published_year(year: object, indicator_id: object = None) -> str:
    """'2023/24'; a workforce figure '30 Sep 2024' (its census date)."""
    return published_year_label(year, indicator_id)


def rank(position: object, of: object) -> str:
    if is_missing(position):
        return MISSING
    return f"{int(position)} of {int(of)}" if not is_missing(of) else str(int(position))  # type: ignore[call-overload]


def text(value: object) -> str:
    return MISSING if is_missing(value) or value == "" else str(value)
