"""Caseload: average caseload of case-holding social workers, by team, service area and role.

`caseload_average` (KPI, snapshot at each month end) is the DfE workforce census measure:

- numerator: cases held by case holders (agency workers included);
- denominator: full-time equivalent (FTE) of those case holders;
- a case holder has an FTE above 0 and holds at least one case. Team Managers and other roles
  count as case holders when they hold cases (the census counts every case-holding registered
  children and family social worker); workers with no cases, or an FTE of 0, count in neither part;
- polarity Low; no case holders (a zero denominator) gives a missing value (status x), never 0.

Each month end uses the LA's latest caseload list dated in that month. The same figures per team,
service area and role, with the range of cases per case holder and the share of case holders within
the LA's standard for their role (metrics/caseload_standards.toml, compared per FTE), are rebuilt
into the table `caseload_breakdown` after every ingest (`refresh_tables`). Pages read the breakdown,
trend and distribution through the functions below and never see a worker id.
"""

from __future__ import annotations

import math
import tomllib
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any

import pandas as pd

from metrics.kpis import Queryable
from metrics.queryable import has_table
from metrics.scope import family_filter

SQL_DIR = Path(__file__).resolve().parent / "sql"
STANDARDS_FILE = Path(__file__).resolve().parent / "caseload_standards.toml"
INDICATOR_ID = "caseload_average"
SOURCE = "caseload list"
GROUP_TYPES = ("all", "team", "service_area", "role")
BREAKDOWN_TABLE = "caseload_breakdown"
FAMILY = "caseload"  # its name in metrics.scope.FAMILIES (recompute_scope)
BAND_WIDTH = 5
TOP_BAND_FROM = 31
BREAKDOWN_COLUMNS = [
    "la_code",
    "period_end",
    "group_type",
    "group_name",
    "workers",
    "case_holders",
    "fte",
    "cases",
    "average",
    "min_cases",
    "max_cases",
    "workers_within_standard",
    "workers_with_standard",
    "share_within_standard",
]


@dataclass(frozen=True)
class CaseloadStandard:
    role: str
    low: float
    high: float

    def contains(self, caseload_per_fte: float) -> bool:
        return self.low <= round(caseload_per_fte, 6) <= self.high

    def position(self, caseload_per_fte: float) -> str:
        """'below', 'within' or 'above' the range (both ends are within)."""
        value = round(caseload_per_fte, 6)
        return "below" if value < self.low else "above" if value > self.high else "within"


@lru_cache(maxsize=4)
def load_standards(path: Path = STANDARDS_FILE) -> tuple[CaseloadStandard, ...]:
    """The caseload standard per role (cases per FTE, both ends included)."""
    raw = tomllib.loads(path.read_text())
    return tuple(
        CaseloadStandard(role=str(s["role"]), low=float(s["low"]), high=float(s["high"]))
        for s in raw.get("standard", [])
    )


def _standards_cte(standards: tuple[CaseloadStandard, ...]) -> tuple[str, list[Any]]:
    if not standards:
        return (
            "standards as (select null::varchar as role, null::double as low, "
            "null::double as high where false)"
        ), []
    rows = ", ".join("(?::varchar, ?::double, ?::double)" for _ in standards)
    params: list[Any] = [v for s in standards for v in (s.role, s.low, s.high)]
    return f"standards as (select * from (values {rows}) as t(role, low, high))", params


def breakdown_query(
    standards: tuple[CaseloadStandard, ...] | None = None, scoped: bool = False
) -> tuple[str, list[Any]]:
    """The SQL (and its parameters) returning the breakdown for every LA and month end, or with
    `scoped` only those in metrics.scope's recompute_scope (all of them when it is empty)."""
    cte, params = _standards_cte(load_standards() if standards is None else standards)
    lists = (
        "scoped_lists as (select w.* from caseload_workers w join (select la_code, min(from_date) "
        f"as from_date from recompute_scope s where {family_filter(FAMILY)} group by la_code) s "
        "on s.la_code = w.la_code and w.snapshot_date >= s.from_date)"
        if scoped
        else "scoped_lists as (select * from caseload_workers)"
    )
    return "with " + cte + ",\n" + lists + ",\n" + (SQL_DIR / "caseload_breakdown.sql").read_text(), params


def _scoped(store: Queryable) -> bool:
    """Whether a recompute is limited to some month ends (a recompute_scope that is not empty)."""
    return has_table(store, "recompute_scope") and not store.query(
        "select 1 from recompute_scope limit 1"
    ).empty


def compute_breakdown(
    store: Queryable, standards: tuple[CaseloadStandard, ...] | None = None
) -> pd.DataFrame:
    """Caseload per LA, month end and group, from the caseload lists in the store (only the month
    ends in recompute_scope, when the store has one that is not empty)."""
    if not has_table(store, "caseload_workers"):
        return pd.DataFrame(columns=BREAKDOWN_COLUMNS)
    sql, params = breakdown_query(standards, scoped=_scoped(store))
    frame = store.query(sql, params)
    frame["period_end"] = pd.to_datetime(frame["period_end"]).dt.date
    return frame[BREAKDOWN_COLUMNS]


def caseload_average(breakdown: pd.DataFrame) -> pd.DataFrame:
    """KPI rows: cases of case holders / FTE of case holders, per LA and month end (snapshot).

    Numerator cases held by case holders (FTE > 0, at least one case; agency included), denominator
    their FTE. Polarity Low. No case holders gives a missing value with status x, never 0.
    """
    rows = breakdown[breakdown["group_type"] == "all"]
    missing = rows["average"].isna()
    return pd.DataFrame(
        {
            "la_code": rows["la_code"],
            "indicator_id": INDICATOR_ID,
            "period_end": rows["period_end"],
            "period_type": "snapshot",
            "numerator": rows["cases"].astype("float64"),
            "denominator": rows["fte"].astype("float64"),
            "value": rows["average"].astype("float64"),
            "status": ["x" if m else "" for m in missing],
            "source": SOURCE,
        }
    ).reset_index(drop=True)


def compute(store: Queryable) -> pd.DataFrame:
    """KPI rows for every LA and month end with a caseload list (empty without caseload lists)."""
    breakdown = compute_breakdown(store)
    if breakdown.empty:
        return pd.DataFrame()
    return caseload_average(breakdown)


def refresh_tables(writer: Any) -> None:
    """Bring `caseload_breakdown` up to date inside the ingest's write session (called by
    recompute): the month ends in recompute_scope are replaced, or the whole table rebuilt when
    the scope is everything."""
    if not writer.has_table("caseload_workers"):
        return
    scoped = writer.has_table(BREAKDOWN_TABLE) and _scoped(writer)
    sql, params = breakdown_query(scoped=scoped)
    if not scoped:
        writer.execute(f"create or replace table {BREAKDOWN_TABLE} as {sql}", params)
        return
    writer.execute(
        f"delete from {BREAKDOWN_TABLE} b using recompute_scope s "
        f"where b.la_code = s.la_code and {family_filter(FAMILY)} and b.period_end >= s.from_date"
    )
    writer.execute(f"insert into {BREAKDOWN_TABLE} {sql}", params)


def caseload_month_ends(store: Queryable, la_code: str) -> list[date]:
    """Month ends with a caseload list for the LA, oldest first."""
    if not has_table(store, BREAKDOWN_TABLE):
        return []
    found = store.query(
        f"select distinct period_end from {BREAKDOWN_TABLE} where la_code = ? order by period_end",
        [la_code],
    )
    return [pd.Timestamp(d).date() for d in found["period_end"]]


def caseload_breakdown(store: Queryable, la_code: str, period_end: date, group_type: str) -> pd.DataFrame:
    """Workers, case holders, FTE, cases, average, range and share within standard per group."""
    _check_group_type(group_type)
    if not has_table(store, BREAKDOWN_TABLE):
        return pd.DataFrame(columns=BREAKDOWN_COLUMNS)
    frame = store.query(
        f"select * from {BREAKDOWN_TABLE} where la_code = ? and period_end = ? and group_type = ? "
        "order by group_name",
        [la_code, period_end, group_type],
    )
    frame["period_end"] = pd.to_datetime(frame["period_end"]).dt.date
    return frame


def caseload_trend(store: Queryable, la_code: str, group_type: str) -> pd.DataFrame:
    """The breakdown for every month end, oldest first (one line per group on a chart)."""
    _check_group_type(group_type)
    if not has_table(store, BREAKDOWN_TABLE):
        return pd.DataFrame(columns=BREAKDOWN_COLUMNS)
    frame = store.query(
        f"select * from {BREAKDOWN_TABLE} where la_code = ? and group_type = ? "
        "order by period_end, group_name",
        [la_code, group_type],
    )
    frame["period_end"] = pd.to_datetime(frame["period_end"]).dt.date
    return frame


def caseload_band(caseload_per_fte: float) -> str:
    """'1-5', '6-10', ... '26-30', 'Over 30' for a case holder's caseload per FTE (rounded up)."""
    whole = math.ceil(round(caseload_per_fte, 6))
    if whole >= TOP_BAND_FROM:
        return f"Over {TOP_BAND_FROM - 1}"
    upper = max(BAND_WIDTH, math.ceil(whole / BAND_WIDTH) * BAND_WIDTH)
    return f"{upper - BAND_WIDTH + 1}-{upper}"


# every band in order, the open top band last (a caseload over 30 has a band like any other)
BAND_ORDER = [caseload_band(b) for b in range(BAND_WIDTH, TOP_BAND_FROM + BAND_WIDTH, BAND_WIDTH)]
STANDARD_POSITIONS = ("below", "within", "above")


def caseload_distribution(store: Queryable, la_code: str, period_end: date) -> pd.DataFrame:
    """Case holders per role and caseload band (cases per FTE) at a month end, counts only.

    Columns role, caseload_band, workers, against_standard ('below', 'within' or 'above' the role's
    standard, None where the role has none). Uses the latest list dated in the month of
    `period_end`; no worker ids leave here.
    """
    columns = ["role", "caseload_band", "workers", "against_standard"]
    if not has_table(store, "caseload_workers"):
        return pd.DataFrame(columns=columns)
    workers = store.query(
        (SQL_DIR / "caseload_case_holders.sql").read_text(), {"la": la_code, "period_end": period_end}
    )
    if workers.empty:
        return pd.DataFrame(columns=columns)
    standards = {s.role: s for s in load_standards()}
    per_fte = workers["cases"] / workers["fte"]
    frame = pd.DataFrame(
        {
            "role": workers["role"],
            "caseload_band": pd.Categorical(
                [caseload_band(v) for v in per_fte], categories=BAND_ORDER, ordered=True
            ),
            "against_standard": [
                standards[r].position(v) if r in standards else None
                for r, v in zip(workers["role"], per_fte, strict=True)
            ],
        }
    )
    counts = (
        frame.groupby(["role", "caseload_band", "against_standard"], dropna=False, observed=True)
        .size()
        .rename("workers")
        .reset_index()
        .sort_values(["role", "caseload_band"])
    )
    counts["against_standard"] = (
        counts["against_standard"].astype(object).where(counts["against_standard"].notna(), None)
    )
    return counts[columns].reset_index(drop=True)


def _check_group_type(group_type: str) -> None:
    if group_type not in GROUP_TYPES:
        raise ValueError(f"group_type must be one of {', '.join(GROUP_TYPES)}, not {group_type!r}")
