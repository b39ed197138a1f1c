"""The export: the tidy KPI table as CSV, the same for the CLI and the Export page."""

from __future__ import annotations

from datetime import date

import pandas as pd

from metrics.kpis import DEFAULT_SN_MODEL, Queryable, kpi_table

EXPORT_COLUMNS = [
    "la_code",
    "indicator_id",
    "indicator_name",
    "unit",
    "polarity",
    "period_end",
    "period_type",
    "numerator",
    "denominator",
    "value",
    "status",
    "note",
    "dq_rule_codes",
    "dq_children",
    "denominator_source",
    "target",
    "rag",
    "source",
    "origin",
    "batch_id",
    "benchmark_year",
    "sn_model",
    "sn_mean",
    "sn_median",
    "sn_count",
    "region_name",
    "region",
    "england",
    "quartile",
    "rank",
    "rank_of",
    "direction",
]


def export_frame(
    store: Queryable,
    la_code: str | None,
    *,
    indicators: list[str] | None = None,
    period_from: date | None = None,
    period_to: date | None = None,
    period_type: str | None = None,
    sn_model: str = DEFAULT_SN_MODEL,
) -> pd.DataFrame:
    """Exactly the filtered KPI rows (one LA, or every LA for None), in the export's column order."""
    table = kpi_table(
        store,
        la_code,
        indicators=indicators,
        period_from=period_from,
        period_to=period_to,
        period_type=period_type,
        sn_model=sn_model,
    )
    return table.reindex(columns=EXPORT_COLUMNS)


def to_csv_bytes(frame: pd.DataFrame) -> bytes:
    """CSV as Excel opens it cleanly: UTF-8 with BOM, ISO dates, no index."""
    return frame.to_csv(index=False, date_format="%Y-%m-%d").encode("utf-8-sig")
