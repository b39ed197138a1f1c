"""Plain-pandas reference for the caseload breakdown, written straight from the definition.

Used only by tests, to check the DuckDB query in metrics/sql/caseload_breakdown.sql: for each LA
and month end take the latest list in the month; a case holder has FTE > 0 and cases > 0; average
= cases of case holders / their FTE (missing when there are none); range over case holders; share
within standard over case holders whose role has one, comparing cases per FTE with the range.
"""

from __future__ import annotations

import pandas as pd

from metrics.caseload import BREAKDOWN_COLUMNS, CaseloadStandard


def caseload_breakdown_reference(
    workers: pd.DataFrame, standards: tuple[CaseloadStandard, ...]
) -> pd.DataFrame:
    by_role = {s.role: s for s in standards}
    frame = workers.copy()
    frame["snapshot_date"] = pd.to_datetime(frame["snapshot_date"])
    frame["period_end"] = frame["snapshot_date"] + pd.offsets.MonthEnd(0)
    latest = frame.groupby(["la_code", "period_end"])["snapshot_date"].transform("max")
    frame = frame[frame["snapshot_date"] == latest]
    rows = []
    for (la_code, period_end), month in frame.groupby(["la_code", "period_end"]):
        groups: list[tuple[str, str, pd.DataFrame]] = [("all", "All workers", month)]
        for group_type in ("team", "service_area", "role"):
            for name, part in month.groupby(group_type):
                groups.append((group_type, str(name), part))
        for group_type, name, part in groups:
            holders = part[(part["fte"] > 0) & (part["cases"] > 0)]
            fte = float(holders["fte"].sum())
            cases = int(holders["cases"].sum())
            with_standard = holders[holders["role"].isin(list(by_role))]
            within = sum(
                by_role[r].contains(c / f)
                for r, c, f in zip(
                    with_standard["role"], with_standard["cases"], with_standard["fte"], strict=True
                )
            )
            rows.append(
                {
                    "la_code": la_code,
                    "period_end": period_end.date(),
                    "group_type": group_type,
                    "group_name": name,
                    "workers": len(part),
                    "case_holders": len(holders),
                    "fte": fte,
                    "cases": cases,
                    "average": cases / fte if len(holders) else None,
                    "min_cases": holders["cases"].min() if len(holders) else None,
                    "max_cases": holders["cases"].max() if len(holders) else None,
                    "workers_within_standard": int(within),
                    "workers_with_standard": len(with_standard),
                    "share_within_standard": 100.0 * within / len(with_standard)
                    if len(with_standard)
                    else None,
                }
            )
    return pd.DataFrame(rows, columns=BREAKDOWN_COLUMNS)
