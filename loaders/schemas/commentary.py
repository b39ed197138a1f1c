"""Pandera schema for a commentary file: one row per indicator (or recommendation) and month.

Heads of service write a few sentences on what a figure means and what is being done. The file is
typed by people, so it is validated as text, cell by cell, and every bad cell is reported with its
row and column before anything is stored. The text itself is never quoted in a message (it is
free text and could hold anything); its row and column say where to look.

Commentary is read by committees and, in Part I reports, published, so text that looks like
child-level detail is refused: a UK postcode, a unique pupil number or a long run of digits such as
a case number (`personal_detail`).
"""

from __future__ import annotations

import re

import pandera.pandas as pa

from loaders.workbook import parse_month

REQUIRED_COLUMNS = ("indicator", "month", "text")
OPTIONAL_COLUMNS = ("author", "recommendation")
MAX_TEXT_LENGTH = 2000
MAX_AUTHOR_LENGTH = 200

# header as typed (normalised: lower case, words joined by "_") -> column name
HEADER_ALIASES = {
    "indicator": "indicator",
    "indicator_id": "indicator",
    "indicator_name": "indicator",
    "measure": "indicator",
    "kpi": "indicator",
    "month": "month",
    "period": "month",
    "month_end": "month",
    "period_end": "month",
    "text": "text",
    "commentary": "text",
    "comment": "text",
    "narrative": "text",
    "author": "author",
    "written_by": "author",
    "recommendation": "recommendation",
    "recommendation_ref": "recommendation",
    "ref": "recommendation",
}

EXPECTATIONS = {
    "indicator": "an indicator id or name from the catalogue or the LA's performance workbook, "
    "or blank when the row has a recommendation ref",
    "month": "the month the commentary explains, such as 2024-09, Sep-24 or September 2024",
    "text": f"the commentary (not blank, at most {MAX_TEXT_LENGTH} characters)",
    "author": f"who wrote it (at most {MAX_AUTHOR_LENGTH} characters), or blank",
    "recommendation": "a ref from the LA's improvement plan, or blank when the row names an indicator",
}

_POSTCODE = re.compile(r"\b[A-Z]{1,2}\d[A-Z\d]?\s*\d[A-Z]{2}\b", re.IGNORECASE)
_UPN = re.compile(r"\b[A-Z]\d{12}\b", re.IGNORECASE)
_LONG_NUMBER = re.compile(r"\d{7,}")


def personal_detail(text: str) -> str | None:
    """What in `text` looks like child-level detail ('a postcode', ...), or None."""
    if _POSTCODE.search(text):
        return "a postcode"
    if _UPN.search(text):
        return "a unique pupil number"
    if _LONG_NUMBER.search(text):
        return "a long number such as a case or child id"
    return None


def _text_ok(value: str) -> bool:
    return bool(value.strip()) and len(value) <= MAX_TEXT_LENGTH


def _month_ok(value: str) -> bool:
    return parse_month(value) is not None


COMMENTARY_SCHEMA = pa.DataFrameSchema(
    {
        "month": pa.Column(str, pa.Check(_month_ok, element_wise=True, name="month")),
        "text": pa.Column(str, pa.Check(_text_ok, element_wise=True, name="text")),
        "author": pa.Column(
            str, pa.Check(lambda v: len(v) <= MAX_AUTHOR_LENGTH, element_wise=True, name="author")
        ),
    },
    strict=False,
)
