"""Care leavers aged 17-18 and 19-21: in touch, suitable accommodation, EET (SSDA903 OC3 table).

The DfE cohort is former relevant children now aged 17 to 21, their information recorded around
their birthday. Each OC3 record belongs to its collection year (1 April to 31 March); the loader
stores the young person's birthday within that year and their age on it (17 to 21; other ages are
a data-quality finding and left out). A record is counted in the month of that birthday, so the
measures are reported for the month, the year to date from 1 April and the rolling 12 months to
each month end ("information is recorded around their birthday", DfE guidance on
la_care_leavers_intouch, note 3: "relates to contact around their birthday"). The age group comes
from the age at that birthday: 17 or 18 -> 17_18, 19 to 21 -> 19_21.

The OC3 table lists the LA's former relevant children (looked after for at least 13 weeks after
their 14th birthday, some of it after their 16th); eligibility is taken from it, not re-derived
from the episodes, which for older care leavers are often not in the loaded years.

Cohort (the denominator of all six measures): OC3 records for the LA, age group and period, less
those with IN_TOUCH DIED (died) or RHOM (returned home for 6 months or more); REFU (refused
contact), NREQ (no longer requires services) and NO (not in touch) stay in. Young people whose care
was transferred to another LA are not in the LA's OC3 table at all (DfE guidance, footnote 1 of the
care leaver tables).
- care_leavers_in_touch_*: numerator IN_TOUCH = YES. High.
- care_leavers_suitable_accommodation_*: the cohort less young people who have gone abroad (ACCOM
  G*), been deported (H*) or whose residence is not known (R*), whatever the second character:
  their suitability is unknown (DfE cla_data_guidance, la_care_leavers_accommodation_suitability,
  note 2; DOMAIN.md). Numerator ACCOM a valid code ending in 1 (B1, C1, D1, E1, K1, T1, U1, V1,
  W1, Y1, Z1); ending in 2 is unsuitable; S1 (no fixed abode) and X1 (custody) are invalid codes
  (DfE rule 133: never suitable), counted as unsuitable, and a data-quality finding of the
  validation rules; 0, blank or an unknown code is not known: in the cohort only. High.
- care_leavers_eet_*: numerator ACTIV F1/P1 (higher education), F2/P2 (other education), F4/P4,
  F5/P5 (training or employment); G4/G5/G6 (NEET), 0 (not known) and unknown codes count in the
  cohort only. High.

Periods are computed for the months of the OC3 collection years loaded for the LA, up to the
coverage's data_end (31 March, or the last complete month before an in-year extract was loaded);
a ytd or rolling_12m value only when every month of its window is covered. A zero cohort gives status "x"
and a missing value, never 0.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from metrics.kpis import Queryable
from metrics.placements import percentage_rows
from metrics.queryable import has_table

SQL_DIR = Path(__file__).resolve().parent / "sql"
SOURCE = "SSDA903"
AGE_GROUPS = ("17_18", "19_21")
NUMERATORS = {
    "in_touch": "care_leavers_in_touch",
    "suitable_accommodation": "care_leavers_suitable_accommodation",
    "eet": "care_leavers_eet",
}


def cohort_counts(store: Queryable) -> pd.DataFrame:
    """la_code, period_end, period_type, age_group, cohort, in_touch, accommodation_cohort,
    suitable_accommodation, eet for every LA and supported period."""
    if not has_table(store, "ssda903_oc3"):
        return pd.DataFrame()
    counts = store.query((SQL_DIR / "care_leavers_cohort_counts.sql").read_text())
    if not counts.empty:
        counts["period_end"] = pd.to_datetime(counts["period_end"]).dt.date
    return counts


def care_leaver_rows(counts: pd.DataFrame, measure: str, age_group: str) -> pd.DataFrame:
    """KPI rows for one measure (in_touch, suitable_accommodation, eet) and age group.

    Numerator: care leavers in the cohort meeting the measure; denominator: the cohort (birthday in
    the period, aged 17-18 or 19-21 then, not DIED or RHOM; for suitable accommodation also not
    ACCOM G*, H* or R*). Polarity High. A zero cohort gives a
    missing value (status x), never 0."""
    chosen = counts[counts["age_group"] == age_group]
    denominator = "accommodation_cohort" if measure == "suitable_accommodation" else "cohort"
    rows = percentage_rows(chosen, f"{NUMERATORS[measure]}_{age_group}", measure, denominator)
    rows["period_type"] = chosen["period_type"].to_numpy()
    return rows


def care_leavers_in_touch(counts: pd.DataFrame, age_group: str) -> pd.DataFrame:
    """Numerator IN_TOUCH = YES; denominator the cohort. High. Zero cohort: missing (x)."""
    return care_leaver_rows(counts, "in_touch", age_group)


def care_leavers_suitable_accommodation(counts: pd.DataFrame, age_group: str) -> pd.DataFrame:
    """Numerator ACCOM a valid code ending in 1 (not S1 or X1); denominator the cohort less ACCOM
    G*, H*, R* (abroad, deported, residence not known). High. Zero cohort: missing (x)."""
    return care_leaver_rows(counts, "suitable_accommodation", age_group)


def care_leavers_eet(counts: pd.DataFrame, age_group: str) -> pd.DataFrame:
    """Numerator ACTIV F1/P1, F2/P2, F4/P4, F5/P5; denominator the cohort. High. Zero: missing (x)."""
    return care_leaver_rows(counts, "eet", age_group)


def compute(store: Queryable) -> pd.DataFrame:
    """KPI rows (with `source`) for the six care leaver indicators, month, ytd and rolling_12m,
    every LA and supported month end; empty when no OC3 table is loaded."""
    counts = cohort_counts(store)
    if counts.empty:
        return pd.DataFrame()
    frames = [
        measure(counts, age_group)
        for measure in (care_leavers_in_touch, care_leavers_suitable_accommodation, care_leavers_eet)
        for age_group in AGE_GROUPS
    ]
    rows = pd.concat(frames, ignore_index=True)
    rows["source"] = SOURCE
    return rows
