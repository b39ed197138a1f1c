"""Placement stability and children looked after, from the SSDA903 episodes (DfE definitions).

placements_3plus (short-term stability; snapshot at each month end; Low is better): of children
looked after at the month end, those with 3 or more placements in the 12 months to that date (from
the first day of the month 11 months earlier). The placement open at the window's start counts as
one; each episode starting after the window's start, up to the month end, with reason for new
episode S, P or T is a new placement. RNE L, U and B are not placement moves.

long_term_stability (snapshot; High is better): of children looked after at the month end, aged
under 16 then (16th birthday after the month end) and in a period of care that started on or before
the month end 30 months earlier (30 September for 31 March, as the DfE guidance's note 3 to
la_cla_placement_stability says), those whose current carer's placement began on or before the month
end 24 months earlier, or whose current placement is for adoption (PLACE A3-A6) and whose previous
carer's placement in the same period of care began by then ("the adoptive placement and the one
before it together last 2 years"). A carer's placement begins with an S, P or T episode, or with
the period of care; L, U and B episodes continue it. A child who left care and came back starts a
new period (continuous care is needed); 3+ placements counts placements in both periods.

cla_rate (snapshot, no polarity): children looked after at the month end per 10,000 children aged
0-17, through metrics.rates.per_10k.

Choices where DOMAIN.md is silent, applied to all three measures:
- Looked after at a date d: an episode with DECOM <= d and no DEC or DEC > d (the day an episode
  ceases the child is no longer in it).
- Short breaks: episodes under legal status V3/V4 are left out entirely, so children looked after
  only under short breaks at the month end are in no count, and a period of care that began under
  short breaks counts from when care became continuous (DfE guidance, la_cla_placement_stability
  note 2: "exclude children who started a period of care under an agreed series of short-term
  placements which later became continuous").
- Overlapping episodes (and an open episode followed by another) are cut at the next DECOM; an
  episode starting on the day the previous one ended continues the period of care, a later start
  begins a new one.
- Children with no header row or an invalid DOB are left out of long_term_stability (age unknown).
- Supported months: the months of the collection years loaded for the LA (April to March), up to
  the month of the coverage's data_end (31 March, or the last complete month before an in-year
  extract was loaded). A month end is computed only when the data covers every
  month the measure looks back over: cla_rate the month itself, placements_3plus 12 months,
  long_term_stability 30 months. Earlier months get no row for placements_3plus and cla_rate; for
  long_term_stability they get a row with no numerator, denominator or value (status x), and
  metrics.value_notes says from when the records cover the LA. Covered: each collection year
  loaded and, before it, the consecutive reporting years in each of which one of its own episodes
  ended, so one full-history episodes file (as many case-management extracts are) covers every
  year its leavers show without a return per year. The DfE collects a return a year; DOMAIN.md
  and the guidance are silent on full-history extracts, so this is the project's choice.
- A zero denominator gives status "x" and a missing value, never 0.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from metrics.kpis import Queryable
from metrics.queryable import has_table
from metrics.rates import per_10k

SQL_DIR = Path(__file__).resolve().parent / "sql"
SOURCE = "SSDA903"
SHORT_TERM_MONTHS = 12
LONG_TERM_MONTHS = 30
KPI_OUTPUT = ["la_code", "indicator_id", "period_end", "period_type", "numerator", "denominator",
              "value", "status"]


def stability_counts(store: Queryable) -> pd.DataFrame:
    """Per LA and supported month end: run_months (consecutive months covered to it), looked_after,
    placements_3plus, short_term_children, same_carer_2_years, long_term_children."""
    if not has_table(store, "ssda903_coverage"):
        return pd.DataFrame()
    counts = store.query((SQL_DIR / "placements_stability_counts.sql").read_text())
    if not counts.empty:
        counts["period_end"] = pd.to_datetime(counts["period_end"]).dt.date
    return counts


def percentage_rows(
    counts: pd.DataFrame, indicator_id: str, numerator: str, denominator: str
) -> pd.DataFrame:
    """KPI rows (snapshot) from count columns; a zero denominator gives status x and no value."""
    rows = pd.DataFrame(
        {
            "la_code": counts["la_code"],
            "indicator_id": indicator_id,
            "period_end": counts["period_end"],
            "period_type": "snapshot",
            "numerator": counts[numerator].astype("float64"),
            "denominator": counts[denominator].astype("float64"),
        }
    )
    has_children = rows["denominator"] > 0
    rows["value"] = (rows["numerator"] / rows["denominator"] * 100).where(has_children)
    rows["status"] = ["" if ok else "x" for ok in has_children]
    return rows.reset_index(drop=True)


def placements_3plus(counts: pd.DataFrame) -> pd.DataFrame:
    """Numerator: children looked after at the month end with 3+ placements in the 12 months to it.
    Denominator: children looked after at the month end (short breaks V3/V4 excluded).
    Polarity Low. Zero denominator: value missing (status x), never 0."""
    supported = counts[counts["run_months"] >= SHORT_TERM_MONTHS]
    return percentage_rows(supported, "placements_3plus", "placements_3plus", "short_term_children")


def long_term_stability(counts: pd.DataFrame) -> pd.DataFrame:
    """Numerator: of the denominator, children with the same carer for 2+ years (or adoptive
    placement plus the one before lasting 2+ years together).
    Denominator: children looked after at the month end, under 16, in care continuously 2.5+ years.
    Polarity High. Zero denominator: value missing (status x), never 0. A month with under 30
    months of history: no numerator, denominator or value (status x)."""
    rows = percentage_rows(counts, "long_term_stability", "same_carer_2_years", "long_term_children")
    short = (counts["run_months"] < LONG_TERM_MONTHS).to_numpy()
    rows.loc[short, ["numerator", "denominator", "value"]] = float("nan")
    rows.loc[short, "status"] = "x"
    return rows


def children_looked_after(counts: pd.DataFrame) -> pd.DataFrame:
    """la_code, period_end, count: children looked after at each supported month end (V3/V4
    short breaks excluded), the numerator of cla_rate."""
    return counts[["la_code", "period_end", "looked_after"]].rename(columns={"looked_after": "count"})


def compute(store: Queryable) -> pd.DataFrame:
    """KPI rows (with `source`) for placements_3plus, long_term_stability and cla_rate, every LA
    and supported month end (within recompute_scope); empty when no 903 episodes are loaded.
    Works on the ingest's Writer or a read-only Reader."""
    counts = stability_counts(store)
    if counts.empty:
        return pd.DataFrame()
    frames = [placements_3plus(counts), long_term_stability(counts)]
    rates = per_10k(store, children_looked_after(counts), "cla_rate", SOURCE)
    if not rates.empty:
        frames.append(rates[KPI_OUTPUT])
    rows = pd.concat([f for f in frames if not f.empty], ignore_index=True)
    rows["period_end"] = pd.to_datetime(rows["period_end"]).dt.date
    rows["source"] = SOURCE
    return rows
