"""Pandera schema for an improvement plan: one row per recommendation or priority.

Improvement plans are typed by people (seed 000's appendix, seed 003's tables), so the file is
validated as text, cell by cell, and every bad cell is reported with its row and column before
anything is converted. Plans hold no personal data about children; owners are job titles or names
of officers, which the council publishes in its committee reports.
"""

from __future__ import annotations

import re
from datetime import date

import pandera.pandas as pa

from loaders.schemas.typed_text import parse_typed_date

REQUIRED_COLUMNS = ("ref", "recommendation", "linked_indicators")
OPTIONAL_COLUMNS = (
    "area",
    "owner",
    "baseline",
    "target",
    "target_date",
    "rag_override",
    "override_reason",
    "la_code",
)

# header as typed (normalised: lower case, words joined by "_") -> column name
HEADER_ALIASES = {
    "ref": "ref",
    "reference": "ref",
    "ref_no": "ref",
    "number": "ref",
    "no": "ref",
    "recommendation": "recommendation",
    "ofsted_recommendation": "recommendation",
    "priority": "recommendation",
    "action": "recommendation",
    "area": "area",
    "theme": "area",
    "service_area": "area",
    "owner": "owner",
    "lead": "owner",
    "lead_officer": "owner",
    "linked_indicators": "linked_indicators",
    "linked_indicator": "linked_indicators",
    "indicators": "linked_indicators",
    "measures": "linked_indicators",
    "measure": "linked_indicators",
    "baseline": "baseline",
    "target": "target",
    "target_date": "target_date",
    "by": "target_date",
    "due_date": "target_date",
    "rag_override": "rag_override",
    "manual_rag": "rag_override",
    "override": "rag_override",
    "override_reason": "override_reason",
    "reason": "override_reason",
    "rag_override_reason": "override_reason",
    "la_code": "la_code",
    "la": "la_code",
}

# RAG as typed -> stored rating (seed 003 writes yellow for amber)
RAG_VALUES = {
    "green": "green",
    "g": "green",
    "amber": "amber",
    "a": "amber",
    "yellow": "amber",
    "y": "amber",
    "red": "red",
    "r": "red",
}

EXPECTATIONS = {
    "ref": "a reference such as 1 or R3 (not blank, not repeated)",
    "recommendation": "the recommendation's text (not blank)",
    "linked_indicators": "indicator ids or names separated by ';' (e.g. repeat_cp_plans; re-referrals)",
    "target_date": "a date such as 31/03/2025, 2025-03-31 or Mar 2025, or blank",
    "rag_override": "green, amber (or yellow) or red, or blank",
    "override_reason": "the reason for the manual RAG (needed when rag_override is set)",
    "la_code": "an old-style 3-digit DfE LA code such as 929, or blank",
}

DATE_FORMATS = (
    "%d/%m/%Y",
    "%Y-%m-%d",
    "%Y-%m-%d %H:%M:%S",
    "%d-%m-%Y",
    "%b %Y",
    "%B %Y",
    "%m/%Y",
    "%Y-%m",
    "%d %B %Y",
    "%d %b %Y",
)


def parse_date(text: str) -> date | None:
    """A target date as typed; a month alone means its last day is not assumed (1st of the month)."""
    return parse_typed_date(text, DATE_FORMATS)


def parse_target(text: str) -> float | None:
    """The number in a target such as '7%', '7.5', '≤ 20' ; None when it holds no single number."""
    numbers = re.findall(r"-?\d+(?:\.\d+)?", text.replace(",", ""))
    return float(numbers[0]) if len(numbers) == 1 else None


def split_links(text: str) -> list[str]:
    return [part.strip() for part in text.split(";") if part.strip()]


def _not_blank(value: str) -> bool:
    return bool(value.strip())


IMPROVEMENT_PLAN_SCHEMA = pa.DataFrameSchema(
    {
        "ref": pa.Column(
            str,
            [pa.Check(_not_blank, element_wise=True, name="not_blank")],
            unique=True,
            report_duplicates="exclude_first",
        ),
        "recommendation": pa.Column(str, pa.Check(_not_blank, element_wise=True, name="not_blank")),
        "linked_indicators": pa.Column(str),
        "target_date": pa.Column(
            str,
            pa.Check(
                lambda v: not v.strip() or parse_date(v) is not None, element_wise=True, name="date_or_blank"
            ),
        ),
        "rag_override": pa.Column(
            str,
            pa.Check(
                lambda v: not v.strip() or v.strip().lower() in RAG_VALUES,
                element_wise=True,
                name="rag_or_blank",
            ),
        ),
        "la_code": pa.Column(
            str,
            pa.Check(
                lambda v: not v.strip() or re.fullmatch(r"\d{3}", v.strip()) is not None,
                element_wise=True,
                name="la_code_or_blank",
            ),
        ),
    },
    checks=[
        pa.Check(
            lambda frame: (
                ~((frame["rag_override"].str.strip() != "") & (frame["override_reason"].str.strip() == ""))
            ),
            name="override_needs_reason",
            error="a manual RAG needs its reason in override_reason",
        )
    ],
    strict=False,
)
