"""The DuckDB caseload breakdown agrees with the plain-pandas reference on random caseload lists."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import duckdb
import numpy as np
import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from metrics.caseload import compute_breakdown, load_standards
from metrics.reference.caseload import caseload_breakdown_reference

TABLE_SQL = Path(__file__).resolve().parents[2] / "loaders" / "sql" / "caseload_workers.sql"
DATES = [date(2024, 3, 15), date(2024, 3, 31), date(2024, 4, 30), date(2024, 5, 2)]
ROLES = ["Social Worker", "ASYE", "Senior Practitioner", "Team Manager"]


class MemoryStore:
    def __init__(self, workers: pd.DataFrame) -> None:
        self.con = duckdb.connect()
        self.con.execute(TABLE_SQL.read_text())
        self.con.register("_w", workers)
        self.con.execute("insert into caseload_workers by name select * from _w")

    def query(self, sql: str, params: Any = None) -> pd.DataFrame:
        return self.con.execute(sql, params).df()


worker = st.fixed_dictionaries(
    {
        "la_code": st.sampled_from(["929", "201"]),
        "snapshot_date": st.sampled_from(DATES),
        "team": st.sampled_from(["Duty", "Child Protection", "Care"]),
        "service_area": st.sampled_from(["Front Door", "Safeguarding", None]),
        "role": st.sampled_from(ROLES),
        "fte": st.sampled_from([0.0, 0.4, 0.5, 0.8, 1.0]),
        "agency": st.booleans(),
        "cases": st.integers(min_value=0, max_value=35),
    }
)


def normalised(frame: pd.DataFrame) -> pd.DataFrame:
    frame = frame.sort_values(["la_code", "period_end", "group_type", "group_name"]).reset_index(drop=True)
    for column in frame.columns[4:]:
        frame[column] = pd.to_numeric(frame[column]).astype("float64")
    return frame


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(worker, min_size=1, max_size=40))
def test_duckdb_breakdown_matches_reference(rows: list[dict[str, Any]]) -> None:
    workers = pd.DataFrame(rows)
    workers["worker_id"] = [f"w{i}" for i in range(len(workers))]
    workers["source_file"] = "list.csv"
    standards = load_standards()
    duck = normalised(compute_breakdown(MemoryStore(workers), standards))
    reference = normalised(caseload_breakdown_reference(workers, standards))
    pd.testing.assert_frame_equal(duck, reference, check_dtype=False, rtol=1e-9)
    everyone = reference[reference["group_type"] == "all"]
    assert np.all((everyone["average"].isna()) | (everyone["average"] > 0))
