"""Hand-made CIN census records for every implemented CIN rule: one set that breaks it, one that passes.

Each case: (rule code, description, records by module as `load_cin` takes them, the source rows the
rule must flag). Records are numbered from 2 per module and census in the order given (standing in
for their XML lines). Every record is in the census with reference date 31 March 2024 (collection
year 2024, 1 April 2023 to 31 March 2024) unless it gives another `census`.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

import pandas as pd

from loaders.store import Writer

Case = tuple[str, str, dict[str, list[dict[str, Any]]], list[int]]
LA = "929"
CENSUS = "2024-03-31"
FIRST_ROW = 2
REFERRAL = "2023-06-01"
# module -> (versions table, columns with their defaults; dates as ISO text or None)
MODULES: dict[str, tuple[str, dict[str, Any]]] = {
    "referrals": ("cin_referrals_versions", {
        "referral_date": REFERRAL, "closure_date": None, "referral_nfa": False,
        "referral_nfa_code": "false", "reason_for_closure": None,
        "assessment_count": 1, "section47_count": 0, "cp_plan_count": 0,
        "sex": None, "gender_current": "1",
    }),
    "assessments": ("cin_assessments_versions", {
        "referral_date": REFERRAL, "assessment_start_date": "2023-06-02",
        "assessment_authorisation_date": "2023-07-01",
    }),
    "section47": ("cin_section47_versions", {
        "referral_date": REFERRAL, "s47_start_date": "2023-06-02", "icpc_date": "2023-06-15",
        "icpc_not_required": False,
    }),
    "cp_plans": ("cin_cp_plans_versions", {
        "referral_date": REFERRAL, "plan_start_date": "2023-06-15", "plan_end_date": None,
        "initial_category": "NEG", "latest_category": "NEG", "number_of_previous_plans": 0,
    }),
    "cin_plans": ("cin_plan_dates_versions", {
        "referral_date": REFERRAL, "cin_plan_start_date": "2023-07-01", "cin_plan_end_date": None,
    }),
}


def _value(column: str, value: Any) -> Any:
    return date.fromisoformat(value) if column.endswith("_date") and value else value


def load_cin(writer: Writer, **modules: Sequence[dict[str, Any]]) -> None:
    """Write each module's records into its _versions table, as the loader stores a census."""
    for module, rows in modules.items():
        table, defaults = MODULES[module]
        frame = pd.DataFrame([
            {"la_code": LA, "child_id": row.get("child", "A"),
             **{c: _value(c, row.get(c, d)) for c, d in defaults.items()},
             "reference_date": date.fromisoformat(row.get("census", CENSUS))}
            for row in rows
        ])
        frame["source_row"] = frame.groupby("reference_date").cumcount() + FIRST_ROW
        writer.insert_frame(table, frame)


def ref(referral: str = REFERRAL, **fields: Any) -> dict[str, Any]:
    return {"referral_date": referral, **fields}


def ass(start: str, end: str | None = "2023-07-01", **fields: Any) -> dict[str, Any]:
    return {"assessment_start_date": start, "assessment_authorisation_date": end, **fields}


def s47(start: str, icpc: str | None = "2023-06-15", **fields: Any) -> dict[str, Any]:
    return {"s47_start_date": start, "icpc_date": icpc, **fields}


def plan(start: str, end: str | None = None, **fields: Any) -> dict[str, Any]:
    return {"plan_start_date": start, "plan_end_date": end, **fields}


def cin_plan(start: str, end: str | None = None, **fields: Any) -> dict[str, Any]:
    return {"cin_plan_start_date": start, "cin_plan_end_date": end, **fields}


CASES: list[Case] = [
    ("1103", "assessment starts the day before its referral",
     {"assessments": [ass("2023-05-31")]}, [2]),
    ("1103", "assessment starts on its referral date",
     {"assessments": [ass("2023-06-01"), ass("2023-06-05", child="B")]}, []),
    ("2889", "S47 starts before its referral", {"section47": [s47("2023-05-20")]}, [2]),
    ("2889", "S47 starts on its referral date", {"section47": [s47("2023-06-01")]}, []),
    ("1104", "ICPC before the referral",
     {"section47": [s47("2023-05-20", "2023-05-31")]}, [2]),
    ("1104", "ICPC on the referral date, and none held",
     {"section47": [s47("2023-06-01", "2023-06-01"), s47("2023-06-01", None, child="B")]}, []),
    ("8696", "assessment authorised before the census year and after its reference date",
     {"assessments": [ass("2023-03-01", "2023-03-31", referral_date="2023-03-01"),
                      ass("2024-03-20", "2024-04-01", child="B")]}, [2, 3]),
    ("8696", "authorised on the census year's first and last days, or not yet",
     {"assessments": [ass("2023-03-20", "2023-04-01", referral_date="2023-03-01"),
                      ass("2024-03-20", "2024-03-31", child="B"),
                      ass("2024-03-25", None, child="C")]}, []),
    ("8696", "each census against its own reference date",
     {"assessments": [ass("2023-03-01", "2023-03-15", referral_date="2023-03-01",
                          census="2023-03-31"),
                      ass("2023-03-01", "2023-03-15", referral_date="2023-03-01")]}, [2]),
    ("8715", "ICPC before the census year and after its reference date",
     {"section47": [s47("2023-03-20", "2023-03-31", referral_date="2023-03-01"),
                    s47("2024-03-25", "2024-04-02", child="B")]}, [2, 3]),
    ("8715", "ICPC on the first and last days of the census year",
     {"section47": [s47("2023-03-20", "2023-04-01", referral_date="2023-03-01"),
                    s47("2024-03-25", "2024-03-31", child="B")]}, []),
    ("8930", "plan ended before the census year and after its reference date",
     {"cp_plans": [plan("2022-06-01", "2023-03-31", referral_date="2022-05-01"),
                   plan("2023-06-15", "2024-04-01", child="B")]}, [2, 3]),
    ("8930", "plan ended in the census year, and one still open",
     {"cp_plans": [plan("2022-06-01", "2023-04-01", referral_date="2022-05-01"),
                   plan("2023-06-15", child="B")]}, []),
    ("4013", "CIN plan ended before the census year and after its reference date",
     {"cin_plans": [cin_plan("2022-06-01", "2023-03-31", referral_date="2022-05-01"),
                    cin_plan("2023-07-01", "2024-04-01", child="B")]}, [2, 3]),
    ("4013", "CIN plan ended on the census year's first and last days, and one still open",
     {"cin_plans": [cin_plan("2022-06-01", "2023-04-01", referral_date="2022-05-01"),
                    cin_plan("2023-07-01", "2024-03-31", child="B"), cin_plan("2023-07-01", child="C")]},
     []),
    ("8730", "number of previous plans missing",
     {"cp_plans": [plan("2023-06-15", number_of_previous_plans=None)]}, [2]),
    ("8730", "first plan (0) and a third (2)",
     {"cp_plans": [plan("2023-06-15"), plan("2023-07-01", number_of_previous_plans=2, child="B")]},
     []),
    ("8863Q", "assessment starts before the previous one is authorised, and one on its day",
     {"assessments": [ass("2023-06-02", "2023-07-01"), ass("2023-06-20", "2023-08-01"),
                      ass("2023-07-01", "2023-07-20", child="B"),
                      ass("2023-06-02", "2023-07-01", child="B")]}, [2, 3, 4, 5]),
    ("8863Q", "assessment starts while the previous one is still open",
     {"assessments": [ass("2023-06-02", None), ass("2024-01-10", "2024-02-01")]}, [2, 3]),
    ("8863Q", "assessments one after another, and of different referrals",
     {"assessments": [ass("2023-06-02", "2023-07-01"), ass("2023-07-02", "2023-08-01"),
                      ass("2023-06-02", None, child="B"),
                      ass("2023-09-01", None, child="B", referral_date="2023-09-01")]}, []),
    ("8896", "two open assessments in a referral: all its assessments",
     {"assessments": [ass("2023-06-02", None), ass("2023-07-02", None),
                      ass("2023-06-05", "2023-06-20")]}, [2, 3, 4]),
    ("8896", "one open assessment per referral",
     {"assessments": [ass("2023-06-02", None), ass("2023-07-02", "2023-07-20"),
                      ass("2023-09-02", None, referral_date="2023-09-01")]}, []),
    ("8839", "two open S47s in a referral, and the not-required one beside them",
     {"section47": [s47("2023-06-02", None), s47("2023-07-02", None),
                    s47("2023-08-02", None, icpc_not_required=True), s47("2023-06-10")]},
     [2, 3, 4]),
    ("8839", "one open S47, one not required, one with its ICPC",
     {"section47": [s47("2023-06-02", None), s47("2023-07-02", None, icpc_not_required=True),
                    s47("2023-06-10")]}, []),
    ("4180", "GenderCurrent missing, and a code from the 2024/25 list",
     {"referrals": [ref(gender_current=None), ref("2023-09-01", gender_current=None),
                    ref(child="B", gender_current="M")]}, [2, 4]),
    ("4180", "GenderCurrent 1, 2, 0 and 9",
     {"referrals": [ref(child=c, gender_current=g) for c, g in zip("ABCD", "1209", strict=True)]},
     []),
    ("8640", "unknown reason for closure",
     {"referrals": [ref(closure_date="2023-09-01", reason_for_closure="RC10"),
                    ref(child="B", closure_date="2023-09-01", reason_for_closure="rc8")]}, [2, 3]),
    ("8640", "RC1 to RC9, and an open referral without one",
     {"referrals": [ref(child=str(n), closure_date="2023-09-01", reason_for_closure=f"RC{n}")
                    for n in range(1, 10)] + [ref(child="Z")]}, []),
    ("8568", "ReferralNFA missing or not a flag",
     {"referrals": [ref(referral_nfa_code=None), ref(child="B", referral_nfa_code="yes")]}, [2, 3]),
    ("8568", "ReferralNFA 1, 0, true, false in any case",
     {"referrals": [ref(child=c, referral_nfa_code=v)
                    for c, v in zip("ABCDE", ["1", "0", "true", "FALSE", "True"], strict=True)]}, []),
]


# 4180 from 2024/25 (collection year 2025): Sex replaces GenderCurrent.
CASES_2025: list[Case] = [
    ("4180", "Sex missing, and a GenderCurrent code",
     {"referrals": [ref("2024-06-01", census="2025-03-31", gender_current=None),
                    ref("2024-06-01", child="B", census="2025-03-31", sex="1")]}, [2, 3]),
    ("4180", "Sex M, F and U",
     {"referrals": [ref("2024-06-01", child=c, sex=g, census="2025-03-31", gender_current=None)
                    for c, g in zip("ABC", "MFU", strict=True)]}, []),
]
