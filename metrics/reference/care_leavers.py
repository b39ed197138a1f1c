"""Plain-pandas reference for metrics.care_leavers, written for clarity rather than speed.

Frames in, KPI rows out: `compute(tables)` takes ssda903_oc3 (la_code, in_touch, activ, accom,
birthday, age_at_birthday) and ssda903_coverage (la_code, table_name, collection_year, data_end),
named as in the store; each record is placed in the month of its birthday and every period is
summed record by record. Definitions: see metrics.care_leavers.
"""

from __future__ import annotations

from datetime import date

import pandas as pd

from metrics.reference.placements import KPI_COLUMNS, month_end_of, month_index, supported_months

LEFT_OUT = ("DIED", "RHOM")
EET = ("F1", "P1", "F2", "P2", "F4", "P4", "F5", "P5")
# S1 (no fixed abode) and X1 (custody) are invalid (DfE rule 133) and so not suitable
SUITABLE = tuple(f"{letter}1" for letter in "BCDEKTUVWYZ")
# gone abroad, deported, residence not known: out of the suitable accommodation cohort
SUITABILITY_UNKNOWN = ("G", "H", "R")
MEASURES = {
    "care_leavers_in_touch": lambda r: r.in_touch == "YES",
    "care_leavers_suitable_accommodation": lambda r: r.accom in SUITABLE,
    "care_leavers_eet": lambda r: r.activ in EET,
}


def in_measure_cohort(indicator: str, record: object) -> bool:
    """Whether a cohort record counts in `indicator`'s denominator."""
    if indicator != "care_leavers_suitable_accommodation":
        return True
    accom = record.accom  # type: ignore[attr-defined]
    return not (isinstance(accom, str) and accom[:1] in SUITABILITY_UNKNOWN)


def age_group(age: int) -> str:
    return "17_18" if age <= 18 else "19_21"


def window_months(month: int, period_type: str) -> list[int]:
    """The month indexes a period of `period_type` ending in `month` spans."""
    if period_type == "month":
        return [month]
    if period_type == "ytd":
        april = month - (month % 12 - 3) % 12
        return list(range(april, month + 1))
    return list(range(month - 11, month + 1))


def compute(tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """KPI rows for the six care leaver indicators, month, ytd and rolling_12m."""
    oc3 = tables["ssda903_oc3"]
    coverage = tables["ssda903_coverage"]
    rows: list[dict[str, object]] = []
    for la_code in sorted(coverage.loc[coverage["table_name"] == "oc3", "la_code"].unique()):
        months = supported_months(coverage[coverage["la_code"] == la_code], "oc3", True)
        records = [
            r
            for r in oc3[oc3["la_code"] == la_code].itertuples()
            if r.in_touch not in LEFT_OUT and 17 <= r.age_at_birthday <= 21
        ]
        for month in sorted(months):
            for period_type in ("month", "ytd", "rolling_12m"):
                window = window_months(month, period_type)
                if any(m not in months for m in window):
                    continue
                for group in ("17_18", "19_21"):
                    cohort = [
                        r
                        for r in records
                        if month_index(pd.Timestamp(r.birthday).date()) in window
                        and age_group(int(r.age_at_birthday)) == group
                    ]
                    for indicator, meets in MEASURES.items():
                        counted = [r for r in cohort if in_measure_cohort(indicator, r)]
                        numerator = sum(1 for r in counted if meets(r))
                        rows.append(
                            _row(
                                la_code,
                                f"{indicator}_{group}",
                                month_end_of(month),
                                period_type,
                                numerator,
                                len(counted),
                            )
                        )
    return pd.DataFrame(rows, columns=KPI_COLUMNS)


def _row(
    la_code: str, indicator_id: str, period_end: date, period_type: str, numerator: int, denominator: int
) -> dict[str, object]:
    return {
        "la_code": la_code,
        "indicator_id": indicator_id,
        "period_end": period_end,
        "period_type": period_type,
        "numerator": float(numerator),
        "denominator": float(denominator),
        "value": numerator / denominator * 100 if denominator else None,
        "status": "" if denominator else "x",
    }
