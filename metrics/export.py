"""The export: the tidy KPI table as CSV, the same for the CLI and the Export page."""

from __future__ import annotations

from datetime import date

import pandas as pd

from metrics.benchmarks import COMPARATOR_COLUMNS
from metrics.disclosure import suppress_rows
from metrics.formula_safety import neutralise_formulas
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
    *COMPARATOR_COLUMNS,
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
    suppress_below: int | None = None,
) -> pd.DataFrame:
    """Exactly the filtered KPI rows (one LA, or every LA for None), in the export's column order.

    With `suppress_below` (the threshold) small counts are "c", by the mask of the LAs' whole
    KPI table (metrics.disclosure), so the same cells are hidden whatever the filters.
    """
    return suppressed_export(
        store, la_code, indicators=indicators, period_from=period_from, period_to=period_to,
        period_type=period_type, sn_model=sn_model, suppress_below=suppress_below,
    )[0]


def suppressed_export(
    store: Queryable,
    la_code: str | None,
    *,
    indicators: list[str] | None = None,
    period_from: date | None = None,
    period_to: date | None = None,
    period_type: str | None = None,
    sn_model: str = DEFAULT_SN_MODEL,
    suppress_below: int | None = None,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The export's rows and why each count cell is hidden ("small", "complementary" or "")."""
    table = kpi_table(
        store,
        la_code,
        indicators=indicators,
        period_from=period_from,
        period_to=period_to,
        period_type=period_type,
        sn_model=sn_model,
    )
    frame = table.reindex(columns=EXPORT_COLUMNS)
    if suppress_below is None:
        return frame, pd.DataFrame("", index=frame.index, columns=["numerator", "denominator", "value"])
    full = kpi_table(store, la_code, sn_model=sn_model)
    return suppress_rows(full, frame, suppress_below)


def to_csv_bytes(frame: pd.DataFrame) -> bytes:
    """CSV as Excel opens it cleanly: UTF-8 with BOM, ISO dates, no index, no live formulas
    (metrics.formula_safety)."""
    safe = neutralise_formulas(frame)
    return safe.to_csv(index=False, date_format="%Y-%m-%d").encode("utf-8-sig")
