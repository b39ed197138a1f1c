"""Pandera schema for a caseload list: one row per worker per date from the case management system.

The list is validated as text, cell by cell, so that a bad value is reported as the analyst typed
it (row, column, found, expected) before anything is converted. Worker ids are personal: they are
checked for presence only and never quoted in a message.
"""

from __future__ import annotations

from datetime import date

import pandera.pandas as pa

from loaders.schemas.typed_text import parse_typed_date

REQUIRED_COLUMNS = ("date", "worker_id", "team", "role", "fte", "agency", "cases")
OPTIONAL_COLUMNS = ("service_area",)
PERSONAL_COLUMNS = ("worker_id",)

# header as exported (normalised: lower case, words joined by "_") -> column name
HEADER_ALIASES = {
    "date": "date",
    "snapshot_date": "date",
    "as_at_date": "date",
    "as_at": "date",
    "worker_id": "worker_id",
    "worker": "worker_id",
    "staff_id": "worker_id",
    "employee_id": "worker_id",
    "team": "team",
    "team_name": "team",
    "role": "role",
    "job_role": "role",
    "fte": "fte",
    "agency": "agency",
    "agency_worker": "agency",
    "cases": "cases",
    "cases_held": "cases",
    "caseload": "cases",
    "number_of_cases": "cases",
    "service_area": "service_area",
    "service": "service_area",
}

AGENCY_VALUES = {
    "y": True,
    "yes": True,
    "true": True,
    "1": True,
    "n": False,
    "no": False,
    "false": False,
    "0": False,
}

# role as typed (lower case, single spaces) -> the name used in the store and in the standards
ROLE_NAMES = {
    "social worker": "Social Worker",
    "sw": "Social Worker",
    "qualified social worker": "Social Worker",
    "asye": "ASYE",
    "asye social worker": "ASYE",
    "nqsw": "ASYE",
    "newly qualified social worker": "ASYE",
    "assessed and supported year in employment": "ASYE",
    "senior practitioner": "Senior Practitioner",
    "senior social worker": "Senior Practitioner",
    "advanced practitioner": "Advanced Practitioner",
    "team manager": "Team Manager",
    "practice manager": "Practice Manager",
    "consultant social worker": "Consultant Social Worker",
}

MAX_FTE = 1.5

EXPECTATIONS = {
    "date": "a date such as 31/03/2024 or 2024-03-31",
    "worker_id": "a worker identifier (not blank)",
    "team": "a team name (not blank)",
    "role": "a role such as Social Worker, ASYE, Senior Practitioner or Team Manager",
    "fte": f"a full-time equivalent from 0 to {MAX_FTE}",
    "agency": "Y or N",
    "cases": "a whole number of cases, 0 or more",
    "service_area": "a service area name, or blank",
}

DATE_FORMATS = ("%d/%m/%Y", "%Y-%m-%d", "%Y-%m-%d %H:%M:%S", "%d-%m-%Y", "%d.%m.%Y", "%d/%m/%y")


def parse_date(text: str) -> date | None:
    """A date as exported by a case management system or Excel; None if it is not one."""
    return parse_typed_date(text, DATE_FORMATS)


def parse_number(text: str) -> float | None:
    try:
        value = float(text.strip())
    except ValueError:
        return None
    return value if value == value else None


def parse_cases(text: str) -> int | None:
    value = parse_number(text)
    if value is None or value < 0 or value != int(value):
        return None
    return int(value)


def normalise_role(text: str) -> str:
    """'senior  practitioner' -> 'Senior Practitioner'; unknown roles keep their words, title-cased."""
    key = " ".join(text.replace("_", " ").split()).lower()
    return ROLE_NAMES.get(key, key.title())


def _not_blank(value: str) -> bool:
    return bool(value.strip())


def _valid_fte(value: str) -> bool:
    number = parse_number(value)
    return number is not None and 0 <= number <= MAX_FTE


CASELOAD_LIST_SCHEMA = pa.DataFrameSchema(
    {
        "date": pa.Column(str, pa.Check(lambda v: parse_date(v) is not None, element_wise=True, name="date")),
        "worker_id": pa.Column(str, pa.Check(_not_blank, element_wise=True, name="not_blank")),
        "team": pa.Column(str, pa.Check(_not_blank, element_wise=True, name="not_blank")),
        "role": pa.Column(str, pa.Check(_not_blank, element_wise=True, name="not_blank")),
        "fte": pa.Column(str, pa.Check(_valid_fte, element_wise=True, name="fte")),
        "agency": pa.Column(
            str, pa.Check(lambda v: v.strip().lower() in AGENCY_VALUES, element_wise=True, name="y_or_n")
        ),
        "cases": pa.Column(
            str, pa.Check(lambda v: parse_cases(v) is not None, element_wise=True, name="whole_number")
        ),
        "service_area": pa.Column(str, required=False),
    },
    strict=False,
)
