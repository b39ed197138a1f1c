"""The KPI table as users read it: value, numerator, denominator, target, RAG and benchmarks.

Pages and exports take their numbers from here and never recompute them. One function builds the
table; `latest` picks each indicator's most recent value for the scorecard.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pandas as pd

from metrics.catalogue import load_catalogue
from metrics.queryable import Queryable
from metrics.rag import rag_column
from metrics.value_notes import annotate
from metrics.value_quality import with_data_quality

SQL_DIR = Path(__file__).resolve().parent / "sql"
DEFAULT_SN_MODEL = "2025"


def indicator_info(store: Queryable, la_code: str | None) -> pd.DataFrame:
    """Catalogue indicators plus the LA's (or, for None, every LA's) local indicators."""
    catalogue = load_catalogue().frame()
    catalogue["local"] = False
    local = store.query(
        "select indicator_id, name, unit, polarity from local_indicators "
        "where $la is null or la_code = $la order by la_code",
        {"la": la_code},
    ).drop_duplicates("indicator_id")
    if not local.empty:
        local = local.assign(
            short_name=local["name"],
            area="Local indicators",
            decimal_places=1,
            rag_tolerance=0.0,
            local=True,
        )
        local["unit"] = local["unit"].fillna("number")
        local["polarity"] = local["polarity"].fillna("none")
        catalogue = pd.concat([catalogue, local], ignore_index=True)
    return catalogue


def kpi_table(
    store: Queryable,
    la_code: str | None,
    *,
    indicators: list[str] | None = None,
    period_from: date | None = None,
    period_to: date | None = None,
    period_type: str | None = None,
    sn_model: str = DEFAULT_SN_MODEL,
) -> pd.DataFrame:
    """Current KPI rows for `la_code` (every LA when None), filtered, with target, RAG and benchmarks."""
    rows = store.query(
        (SQL_DIR / "kpi_table.sql").read_text(),
        {
            "la": la_code,
            "from": period_from,
            "to": period_to,
            "period_type": period_type,
            "sn_model": sn_model,
        },
    )
    if indicators is not None:
        rows = rows[rows["indicator_id"].isin(indicators)]
    info = indicator_info(store, la_code)[
        ["indicator_id", "name", "short_name", "area", "unit", "polarity", "decimal_places",
         "rag_tolerance", "local"]
    ].rename(columns={"name": "indicator_name"})
    table = rows.merge(info, on="indicator_id", how="left")
    table["tolerance"] = table["tolerance"].fillna(table["rag_tolerance"])
    table["rag"] = rag_column(table["value"], table["target"], table["polarity"], table["tolerance"])
    table["period_end"] = pd.to_datetime(table["period_end"]).dt.date
    # denominator_source and note: why a value is missing or not comparable (metrics.value_notes);
    # dq_rule_codes and dq_children: the open validation findings that can change it
    annotated = annotate(store, table.drop(columns=["rag_tolerance"]).reset_index(drop=True))
    return with_data_quality(store, annotated)


def latest(table: pd.DataFrame) -> pd.DataFrame:
    """Each indicator's most recent row, preferring its first listed period type."""
    if table.empty:
        return table
    order = {"snapshot": 0, "month": 1, "rolling_12m": 2, "ytd": 3, "year": 4}
    ranked = table.assign(_order=table["period_type"].map(order).fillna(9))
    ranked = ranked.sort_values(["indicator_id", "period_end", "_order"], ascending=[True, False, True])
    return ranked.drop_duplicates("indicator_id").drop(columns="_order").reset_index(drop=True)


def latest_values(table: pd.DataFrame) -> pd.DataFrame:
    """Each indicator's most recent row, preferring at that month a period type that has a value.

    As `metrics.kpis.latest`, with two differences: trailing months where the value is not
    available in any period type (status x or z: e.g. no care leaver cohort yet) are passed over,
    so the newest month with a value or a suppressed value (c) is shown; and at that month a period
    type with a value is preferred (the rolling 12 months when the month alone has no cohort).
    """
    if table.empty:
        return table
    status = table["status"].fillna("")
    has_value = table["value"].notna() & (status == "")
    informative = table["value"].notna() | ~status.isin(["x", "z"])
    newest_informative = table[informative].groupby("indicator_id")["period_end"].max()
    newest_any = table.groupby("indicator_id")["period_end"].max()
    newest = newest_informative.reindex(newest_any.index).fillna(newest_any)
    at_newest = table[table["period_end"] == table["indicator_id"].map(newest)]
    chosen = latest(at_newest[has_value.loc[at_newest.index]])
    rest = at_newest[~at_newest["indicator_id"].isin(chosen["indicator_id"])]
    return (
        pd.concat([chosen, latest(rest)], ignore_index=True)
        .sort_values("indicator_id")
        .reset_index(drop=True)
    )
