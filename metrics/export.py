"""The export: the tidy KPI table as CSV, the same for the CLI and the Export page.

Each row is a local value (the LA's own records, in its month and period type) beside the
published benchmarks of the latest published year at or before its reporting year. The LA's own
published figure and its standing among LAs (value, quartile, rank, direction of travel) belong to
that published year, not to the local value beside it (a rolling 19.8% sits beside the published
34.9% ranked 151 of 153), so they are named published_* and published_year names their year as
the DfE does (metrics.formatting.published_year_label: '2023/24', workforce '30 Sep 2024'). The
comparators (SN mean and median, region, England) are the same published year's.

Values, targets and comparators are rounded to the catalogue's decimal places; counts are written
as whole numbers ("4", not "4.0"), FTE with its one decimal place.
"""

from __future__ import annotations

from datetime import date

import pandas as pd

from metrics.benchmarks import COMPARATOR_COLUMNS
from metrics.disclosure import suppress_rows
from metrics.formatting import published_year_label
from metrics.formula_safety import neutralise_formulas
from metrics.kpis import DEFAULT_SN_MODEL, Queryable, kpi_table

# the LA's own published figure and standing: the KPI table's name -> the export's
PUBLISHED_COLUMNS = {
    "published_value": "published_value",
    "quartile": "published_quartile",
    "rank": "published_rank",
    "rank_of": "published_rank_of",
    "direction": "published_direction",
}
COMPARATORS = [c for c in COMPARATOR_COLUMNS if c not in PUBLISHED_COLUMNS]
ROUNDED_COLUMNS = ("value", "target", "published_value", "sn_mean", "sn_median", "region", "england")
WHOLE_COLUMNS = ("numerator", "denominator", "dq_children", "sn_count", "published_rank", "published_rank_of")

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
    "sn_model",
    *COMPARATORS,
    "published_year",
    *PUBLISHED_COLUMNS.values(),
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
    frame = _as_exported(table)
    if suppress_below is None:
        return frame, pd.DataFrame("", index=frame.index, columns=["numerator", "denominator", "value"])
    full = kpi_table(store, la_code, sn_model=sn_model)
    return suppress_rows(full, frame, suppress_below)


def _rounded(value: object, places: object) -> object:
    if value is None or pd.isna(value):  # type: ignore[call-overload]
        return None
    number = round(float(value), int(places))  # type: ignore[call-overload, arg-type]
    return int(number) if int(places) == 0 else number  # type: ignore[call-overload]


def _whole(value: object) -> object:
    """A count as a whole number; an FTE (not whole) keeps one decimal place."""
    if value is None or pd.isna(value):  # type: ignore[call-overload]
        return None
    number = float(value)  # type: ignore[arg-type]
    return int(number) if number.is_integer() else round(number, 1)


def _as_exported(table: pd.DataFrame) -> pd.DataFrame:
    """KPI rows in the export's columns: published_* named, rounded, counts whole."""
    frame = table.rename(columns=PUBLISHED_COLUMNS).assign(
        published_year=[
            published_year_label(y, i) if pd.notna(y) else None
            for y, i in zip(table["benchmark_year"], table["indicator_id"], strict=True)
        ]
    )
    places = frame["decimal_places"].fillna(1)
    for column in ROUNDED_COLUMNS:
        frame[column] = pd.Series(
            [_rounded(v, d) for v, d in zip(frame[column], places, strict=True)],
            index=frame.index,
            dtype=object,
        )
    for column in WHOLE_COLUMNS:
        frame[column] = pd.Series([_whole(v) for v in frame[column]], index=frame.index, dtype=object)
    return frame.reindex(columns=EXPORT_COLUMNS)


def to_csv_bytes(frame: pd.DataFrame) -> bytes:
    """CSV as Excel opens it cleanly: UTF-8 with BOM, ISO dates, no index, no live formulas
    (metrics.formula_safety)."""
    safe = neutralise_formulas(frame)
    return safe.to_csv(index=False, date_format="%Y-%m-%d").encode("utf-8-sig")
