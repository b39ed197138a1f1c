"""Pandera schemas for the CIN census tables, after the XML is flattened into one frame per module.

Each table has two schemas. `*_RULES` are the checks whose failure makes a record unusable
(a missing required date, dates in the wrong order): failing records are excluded and reported.
`*_CODES` are code lists from the DfE schema: an unknown code is reported but the record is kept
and used as it is (an unknown reason for closure, for example, is simply not RC8/RC9).
Every frame carries `line`, the XML line of the record, so findings point at the file.
"""

from __future__ import annotations

import pandas as pd
import pandera.pandas as pa

REFERRAL_SOURCES = [
    "1A",
    "1B",
    "1C",
    "1D",
    "2A",
    "2B",
    "3A",
    "3B",
    "3C",
    "3D",
    "3E",
    "3F",
    "4",
    "5A",
    "5B",
    "5C",
    "5D",
    "6",
    "7",
    "8",
    "9",
    "10",
]
PRIMARY_NEED_CODES = tuple(f"N{i}" for i in range(10))
REASONS_FOR_CLOSURE = tuple(f"RC{i}" for i in range(1, 10))
CATEGORIES_OF_ABUSE = ("NEG", "PHY", "SAB", "EMO", "MUL")
YES_NO_VALUES = ("true", "false", "TRUE", "FALSE", "0", "1")
YES_VALUES = ("true", "TRUE", "1")

DATE = pa.DateTime


def _on_or_after(later: str, earlier: str) -> pa.Check:
    """Row check: `later` is missing or on or after `earlier` (missing `earlier` is judged elsewhere)."""
    return pa.Check(
        lambda frame: frame[later].isna() | frame[earlier].isna() | (frame[later] >= frame[earlier]),
        name=f"{later} on or after {earlier}",
        error=f"{later} is before {earlier}",
    )


def _codes(values: tuple[str, ...]) -> list[pa.Check]:
    return [pa.Check.isin(list(values))]


def _dated(name: str, start: str, end: str) -> pa.DataFrameSchema:
    """A record's rules: its child, a required `start` date and an optional `end` on or after it."""
    return pa.DataFrameSchema(
        {
            "child_id": pa.Column(None, nullable=False),
            start: pa.Column(DATE, nullable=False, coerce=True),
            end: pa.Column(DATE, nullable=True, coerce=True),
        },
        checks=[_on_or_after(end, start)],
        name=name,
    )


REFERRALS_RULES = _dated("cin_referrals", "referral_date", "closure_date")
REFERRALS_CODES = pa.DataFrameSchema(
    {
        "referral_source": pa.Column(None, checks=_codes(tuple(REFERRAL_SOURCES)), nullable=True),
        "primary_need_code": pa.Column(None, checks=_codes(PRIMARY_NEED_CODES), nullable=True),
        "reason_for_closure": pa.Column(None, checks=_codes(REASONS_FOR_CLOSURE), nullable=True),
        "referral_nfa_code": pa.Column(None, checks=_codes(YES_NO_VALUES), nullable=True),
    },
    name="cin_referrals codes",
)

ASSESSMENTS_RULES = _dated("cin_assessments", "assessment_start_date", "assessment_authorisation_date")

SECTION47_RULES = _dated("cin_section47", "s47_start_date", "icpc_date")
SECTION47_CODES = pa.DataFrameSchema(
    {"icpc_not_required_code": pa.Column(None, checks=_codes(YES_NO_VALUES), nullable=True)},
    name="cin_section47 codes",
)

CP_PLANS_RULES = _dated("cin_cp_plans", "plan_start_date", "plan_end_date")
CP_PLANS_CODES = pa.DataFrameSchema(
    {
        "initial_category": pa.Column(None, checks=_codes(CATEGORIES_OF_ABUSE), nullable=True),
        "latest_category": pa.Column(None, checks=_codes(CATEGORIES_OF_ABUSE), nullable=True),
        # 0 for a first plan (the guide), although some copies of the XSD say positiveInteger.
        "number_of_previous_plans_code": pa.Column(str, checks=pa.Check.str_matches(r"^\d+$"), nullable=True),
    },
    name="cin_cp_plans codes",
)

CIN_PLAN_DATES_RULES = _dated("cin_plan_dates", "cin_plan_start_date", "cin_plan_end_date")

CP_REVIEWS_RULES = pa.DataFrameSchema(
    {
        "child_id": pa.Column(None, nullable=False),
        "review_date": pa.Column(DATE, nullable=False, coerce=True),
    },
    checks=[
        _on_or_after("review_date", "plan_start_date"),
        pa.Check(
            lambda frame: frame["plan_end_date"].isna() | (frame["review_date"] <= frame["plan_end_date"]),
            name="review_date on or before plan_end_date",
            error="review_date is after plan_end_date",
        ),
    ],
    name="cin_cp_reviews",
)

# What each column is, in the words of the DfE guide (for findings).
EXPECTATIONS: dict[str, str] = {
    "child_id": "an LAchildID",
    "referral_date": "a CINreferralDate (YYYY-MM-DD)",
    "closure_date": "a CINclosureDate (YYYY-MM-DD) on or after the referral date",
    "referral_source": "a ReferralSource code: " + ", ".join(REFERRAL_SOURCES),
    "primary_need_code": "a PrimaryNeedCode N0-N9",
    "reason_for_closure": "a ReasonForClosure code RC1-RC9",
    "referral_nfa_code": "ReferralNFA true/false/1/0",
    "assessment_start_date": "an AssessmentActualStartDate (YYYY-MM-DD)",
    "assessment_authorisation_date": "an AssessmentAuthorisationDate on or after the start date",
    "s47_start_date": "an S47ActualStartDate (YYYY-MM-DD)",
    "icpc_date": "a DateOfInitialCPC on or after the section 47 start date",
    "icpc_not_required_code": "ICPCnotRequired true/false/1/0",
    "plan_start_date": "a CPPstartDate (YYYY-MM-DD)",
    "plan_end_date": "a CPPendDate on or after the plan start date",
    "initial_category": "an InitialCategoryOfAbuse code: " + ", ".join(CATEGORIES_OF_ABUSE),
    "latest_category": "a LatestCategoryOfAbuse code: " + ", ".join(CATEGORIES_OF_ABUSE),
    "number_of_previous_plans_code": "NumberOfPreviousCPP, a whole number (0 for a first plan)",
    "review_date": "a CPPreviewDate within the plan (on or after its start, not after its end)",
    "cin_plan_start_date": "a CINPlanStartDate (YYYY-MM-DD)",
    "cin_plan_end_date": "a CINPlanEndDate on or after the CIN plan start date",
}

# Columns whose values are codes and may be quoted in findings; every other value stays unquoted.
QUOTABLE_COLUMNS = frozenset(
    {
        "referral_source",
        "primary_need_code",
        "reason_for_closure",
        "referral_nfa_code",
        "icpc_not_required_code",
        "initial_category",
        "latest_category",
        "number_of_previous_plans_code",
    }
)


def failures(schema: pa.DataFrameSchema, frame: pd.DataFrame) -> pd.DataFrame:
    """Pandera's lazy failure cases for `frame` (empty when it passes): column, check, failure_case, index."""
    if frame.empty:
        return pd.DataFrame(columns=["column", "check", "failure_case", "index"])
    try:
        schema.validate(frame, lazy=True)
    except pa.errors.SchemaErrors as errors:
        return errors.failure_cases
    return pd.DataFrame(columns=["column", "check", "failure_case", "index"])
