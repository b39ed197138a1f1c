"""Headlines: the DfE's period type, the low-n rule and which target applies (hand-computed)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pandas as pd

from loaders.base import IngestContext, record_kpis
from loaders.store import Reader, write_session
from metrics.headlines import applicable_target, headline, headlines, is_low_n

IN_TOUCH = "care_leavers_in_touch_17_18"


def build(db: Path, target: float | None = 95.0) -> Reader:
    context = IngestContext("b1", 1, date(2025, 10, 1), "929")
    with write_session(db) as writer:
        # September 2025: 5 of 5 in the month (100%), 36 of 40 over the rolling 12 months (90%)
        frame = pd.DataFrame(
            [(IN_TOUCH, 5, 5, 100.0, "", "month"), (IN_TOUCH, 36, 40, 90.0, "", "rolling_12m")],
            columns=["indicator_id", "numerator", "denominator", "value", "status", "period_type"],
        ).assign(la_code="929", period_end=date(2025, 9, 30))
        record_kpis(
            writer, frame, origin="reported", source="workbook", source_file="b.xlsx", context=context
        )
        if target is not None:
            writer.insert_frame(
                "targets",
                pd.DataFrame(
                    [
                        {
                            "indicator_id": IN_TOUCH,
                            "target": target,
                            "la_code": "929",
                            "year_end": 2026,
                            "tolerance": None,
                            "batch_id": "b1",
                        }
                    ]
                ),
            )
    return Reader(db)


def test_flows_headline_on_the_rolling_12_months_not_the_single_month(db_path: Path) -> None:
    row = headline(build(db_path), "929", IN_TOUCH)
    assert row is not None
    assert (row["period_type"], row["numerator"], row["denominator"], row["value"]) == (
        "rolling_12m",
        36,
        40,
        90.0,
    )
    # 90 misses the High target 95 by 5, beyond the tolerance of 3: red, not the month's green
    assert row["rag"] == "red"
    assert row["target_rule"] == "LA target for 2025/26"


def test_switching_to_the_month_gives_low_n_not_a_rag(db_path: Path) -> None:
    rows = headlines(build(db_path), "929", period_type="month")
    row = rows.set_index("indicator_id").loc[IN_TOUCH]
    assert (row["value"], row["denominator"]) == (100.0, 5)
    assert row["rag"] is None
    assert row["rating"] == "low n"


def test_low_n_edges() -> None:
    assert is_low_n(9)
    assert not is_low_n(10)
    assert not is_low_n(None)


def test_target_rule_order() -> None:
    assert applicable_target(16.8, 2026, 18.0) == (16.8, "LA target for 2025/26")
    assert applicable_target(None, 2026, 18.0, "7") == (18.0, "improvement plan, recommendation 7")
    assert applicable_target(16.8, 2026, 18.0, "7") == (16.8, "LA target for 2025/26")
    assert applicable_target(None, 2026, None) == (None, "no target")
