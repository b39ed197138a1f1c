"""A small store for page tests, built through the same writers the loaders use.

Northumberland (929) with repeat CP plans (month, ytd and rolling 12 months) and care leavers in
touch, targets, published values for all LAs with statistical neighbours, caseload lists for two
month ends, an improvement plan and a data-quality finding. Every figure a page test asserts is
set here, so the tests can say exactly what should be on screen.
"""

from __future__ import annotations

import uuid
from datetime import date
from pathlib import Path

import pandas as pd

from loaders.base import KPI_COLUMNS, IngestContext, record_findings, record_kpis
from loaders.problems import Problem
from loaders.store import Writer, write_session

LA = "929"
NEIGHBOURS = ["840", "841", "805", "806", "807", "808", "390", "391", "392", "393"]
OTHER_LAS = ["201", "202", "203", "204", "205", "206", "207", "208", "209", "210", "211", "212"]
MONTHS = [
    date(2024, 4, 30),
    date(2024, 5, 31),
    date(2024, 6, 30),
    date(2024, 7, 31),
    date(2024, 8, 31),
    date(2024, 9, 30),
]
# repeat CP plans per month: (repeat plans, plans starting)
REPEAT_CP = [(3, 37), (5, 40), (4, 30), (6, 41), (2, 28), (3, 37)]
IN_TOUCH = [(88, 94), (90, 95), (93, 97), (94, 99), (93, 98), (95, 100)]
PLAN_HEADER = (
    "ref,recommendation,area,owner,linked indicators,baseline,target,target date,rag override,override reason"
)
PLAN_ROWS = [
    "1,Reduce repeat child protection plans,Child protection,Head of Safeguarding,repeat_cp_plans,"
    "16.5%,10%,31/03/2025,,",
    "2,Stay in touch with care leavers,Care leavers,Head of Care Leavers,Care leavers in touch (17-18),"
    "90%,95%,31/03/2025,,",
    "3,Strengthen supervision,Workforce,Principal Social Worker,,84%,90%,31/03/2025,amber,"
    "Audit shows supervision is improving but not yet consistent",
]
PLAN_CSV = "\n".join([PLAN_HEADER, *PLAN_ROWS]) + "\n"


def _context(version: int) -> IngestContext:
    return IngestContext(
        batch_id=f"test-{uuid.uuid4().hex[:6]}", version=version, today=date(2024, 10, 15), la_code=LA
    )


def record_second_workbook(writer: Writer, rows: list[tuple[object, ...]]) -> IngestContext:
    """Record `rows` (KPI_COLUMNS order) as a second performance workbook's figures (book2.xlsx,
    store version 2), as a test module adds to the small store; returns the load's context."""
    context = _context(2)
    record_kpis(
        writer,
        pd.DataFrame(rows, columns=KPI_COLUMNS),
        origin="reported",
        source="performance workbook",
        source_file="book2.xlsx",
        context=context,
    )
    return context


def kpi_rows() -> pd.DataFrame:
    rows = []
    ytd_n = ytd_d = 0
    for month, (n, d) in zip(MONTHS, REPEAT_CP, strict=True):
        ytd_n, ytd_d = ytd_n + n, ytd_d + d
        rows.append((LA, "repeat_cp_plans", month, "month", n, d, n / d * 100, ""))
        rows.append((LA, "repeat_cp_plans", month, "ytd", ytd_n, ytd_d, ytd_n / ytd_d * 100, ""))
        rows.append(
            (
                LA,
                "repeat_cp_plans",
                month,
                "rolling_12m",
                ytd_n + 40,
                ytd_d + 300,
                (ytd_n + 40) / (ytd_d + 300) * 100,
                "",
            )
        )
    for month, (n, d) in zip(MONTHS, IN_TOUCH, strict=True):
        rows.append((LA, "care_leavers_in_touch_17_18", month, "month", n, d, n / d * 100, ""))
    rows.append((LA, "icpc_15_days", MONTHS[-1], "month", None, None, None, "c"))
    return pd.DataFrame(
        rows,
        columns=KPI_COLUMNS,
    )


def benchmark_rows() -> pd.DataFrame:
    rows = []
    values = {code: 10.0 + number for number, code in enumerate(NEIGHBOURS + OTHER_LAS)}
    values[LA] = 12.5
    for code, value in values.items():
        rows.append(("repeat_cp_plans", 2024, "Local authority", code, None, value))
    rows.append(("repeat_cp_plans", 2024, "National", "E92000001", "England", 23.6))
    rows.append(("repeat_cp_plans", 2023, "Local authority", LA, None, 14.0))
    rows.append(("repeat_cp_plans", 2023, "National", "E92000001", "England", 23.3))
    frame = pd.DataFrame(
        rows, columns=["indicator_id", "year", "geographic_level", "area_code", "area_name", "value"]
    )
    return frame.assign(status="", method="published", source="EES", source_file="d3_test.csv")


def sn_rows() -> pd.DataFrame:
    closeness = [
        "Very close",
        "Very close",
        "Close",
        "Close",
        "Close",
        "Somewhat close",
        "Somewhat close",
        "Somewhat close",
        "Not close",
        "Not close",
    ]
    return pd.DataFrame(
        {
            "model": "2025",
            "la_code": LA,
            "neighbour_rank": range(1, 11),
            "neighbour_code": NEIGHBOURS,
            "closeness": closeness,
            "source_file": "sn_test.csv",
        }
    )


def caseload_workers() -> pd.DataFrame:
    rows = []
    teams = {
        "Initial Response": ("Initial Response Service", [30, 5, 46, 28]),
        "Permanence": ("Permanence Service", [17, 11, 22, 19]),
    }
    for when, factor in ((date(2024, 3, 31), 1.0), (date(2024, 7, 31), 0.6)):
        number = 0
        for team, (area, cases) in teams.items():
            for role, held in zip(
                ["Social Worker", "ASYE", "Senior Practitioner", "Social Worker"], cases, strict=True
            ):
                number += 1
                rows.append((LA, when, f"W{number:03d}", team, area, role, 1.0, False, round(held * factor)))
    return pd.DataFrame(
        rows,
        columns=[
            "la_code",
            "snapshot_date",
            "worker_id",
            "team",
            "service_area",
            "role",
            "fte",
            "agency",
            "cases",
        ],
    )


def build_small_store(path: Path, *, demo: bool = False, with_plan: bool = True) -> Path:
    """Write the small store to `path` and return it."""
    from metrics import benchmarks, caseload

    with write_session(path) as writer:
        writer.execute("insert or replace into settings values ('la_code', ?)", [LA])
        writer.execute("insert or replace into settings values ('version', '1')")
        if demo:
            writer.execute("insert or replace into settings values ('demo', 'true')")
        context = _context(1)
        record_kpis(
            writer,
            kpi_rows(),
            origin="reported",
            source="performance workbook",
            source_file="book.xlsx",
            context=context,
        )
        writer.insert_frame(
            "targets",
            pd.DataFrame(
                {
                    "la_code": [LA, LA],
                    "indicator_id": ["repeat_cp_plans", "care_leavers_in_touch_17_18"],
                    "year_end": [2025, 2025],
                    "target": [10.0, 95.0],
                    "tolerance": [2.0, 3.0],
                    "source_file": "targets.csv",
                    "batch_id": context.batch_id,
                }
            ),
        )
        benchmarks.ensure_benchmark_tables(writer)
        writer.insert_frame("benchmark_values", benchmark_rows())
        writer.insert_frame("sn_groups", sn_rows())
        benchmarks.refresh_benchmark_summary(writer)
        writer.execute(
            (Path(caseload.__file__).parent.parent / "loaders" / "sql" / "caseload_workers.sql").read_text()
        )
        writer.insert_frame("caseload_workers", caseload_workers())
        caseload.refresh_tables(writer)
        record_findings(
            writer,
            [Problem(file="book.xlsx", message="September repeat CP plans typed twice", severity="warning")],
            kind="performance_workbook",
            la_code=LA,
            context=context,
            period_ends=[MONTHS[-1]],
        )
        writer.insert_frame(
            "load_log",
            pd.DataFrame(
                {
                    "batch_id": [context.batch_id],
                    "file_name": ["book.xlsx"],
                    "sha256": ["0" * 64],
                    "kind": ["performance_workbook"],
                    "la_code": [LA],
                    "rows": [25],
                    "loaded_at": [pd.Timestamp("2024-10-15 09:30")],
                    "outcome": ["loaded"],
                    "messages": [""],
                }
            ),
        )
        if with_plan:
            from loaders.improvement_plan import LOADER

            plan = path.parent / "plan.csv"
            plan.write_text(PLAN_CSV)
            LOADER.load(plan, writer, context)
    return path
