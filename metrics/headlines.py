"""Headline values: each indicator once, in the period the DfE reports it for, rated fairly.

One function (`headlines`) gives the row that the Overview, the committee report and the
improvement plan show for an indicator, so they never disagree. The rules, stated once:

1. Period type: the indicator's `headline_period` in catalogue.toml (rolling 12 months for flows,
   which the DfE publishes for the year April to March; the month end for stocks such as children
   looked after; the year for workforce turnover), unless the caller asks for another period type
   that the indicator has. An indicator without values of that type (a local indicator, a
   workbook giving only monthly figures) falls back to its newest month in the type that has a
   value there (`metrics.kpis.latest_values`).
2. Month: the given month end, else the newest month with a value (or a suppressed value) in that
   period type.
3. Target (`applicable_target`), one per indicator and month, whichever page or report shows it:
   the LA's target for the reporting year containing the month (from the targets file or the
   performance workbook's target column); else the improvement plan's target, from the first
   recommendation (in plan order) that links that indicator alone and gives a single number;
   else none. The rule that applied is returned in `target_rule`, worded for the page ("LA target
   for 2024/25", "improvement plan, recommendation 7"); the Improvement plan page rates its
   linked indicators against the same target, so the two pages never disagree.
4. Rating: a value whose denominator is under the store's low-n threshold (default LOW_N, 10; an
   admin may change it, metrics.admin_settings) is "low n" and gets no RAG, because one
   child moves it by 10 points or more (5 of 5 in one month is 100%, the rolling 12 months 36 of
   40 is 90%). Otherwise green / amber / red as `metrics.rag.rag_status`.

Benchmarks (SN mean and median, region, England, published value, quartile, rank, direction) are
the latest published year at or before the value's reporting year, named by `benchmark_year`.
Data quality (dq_rule_codes, dq_children: the open DfE validation findings that can change the
value, `metrics.value_quality`) is carried through from the KPI row.
"""

from __future__ import annotations

from datetime import date

import pandas as pd

from metrics.admin_settings import LOW_N_DEFAULT, low_n
from metrics.benchmarks import COMPARATOR_COLUMNS
from metrics.catalogue import load_catalogue
from metrics.kpis import DEFAULT_SN_MODEL, Queryable, kpi_table, latest_values
from metrics.periods import reporting_year_label
from metrics.queryable import has_table
from metrics.rag import rag_status

LOW_N = LOW_N_DEFAULT
LOW_N_LABEL = "low n"

HEADLINE_COLUMNS = [
    "la_code",
    "indicator_id",
    "indicator_name",
    "short_name",
    "area",
    "unit",
    "decimal_places",
    "polarity",
    "period_end",
    "period_type",
    "headline_period",
    "value",
    "status",
    "numerator",
    "denominator",
    "target",
    "target_rule",
    "tolerance",
    "rag",
    "rating",
    "low_n",
    "direction",
    "benchmark_year",
    "published_value",
    *COMPARATOR_COLUMNS,
    "source",
    "dq_rule_codes",
    "dq_children",
]


def applicable_target(
    year_target: float | None,
    year_end: int | None,
    plan_target: float | None,
    plan_ref: str | None = None,
) -> tuple[float | None, str]:
    """The target that applies to a value, and the rule that chose it (rule 3 above).

    `plan_target` and `plan_ref` are the indicator's plan target and the recommendation giving it
    (`plan_targets`)."""
    if year_target is not None and not pd.isna(year_target):
        year = f" {reporting_year_label(int(year_end))}" if year_end is not None else ""
        return float(year_target), f"LA target for{year}"
    if plan_target is not None and not pd.isna(plan_target):
        where = f", recommendation {plan_ref}" if plan_ref else " target"
        return float(plan_target), f"improvement plan{where}"
    return None, "no target"


def is_low_n(denominator: float | None, threshold: int = LOW_N) -> bool:
    """True when a denominator is known and under `threshold` (rule 4 above)."""
    return denominator is not None and not pd.isna(denominator) and float(denominator) < threshold


def plan_targets(store: Queryable, la_code: str) -> dict[str, tuple[float, str]]:
    """Indicator -> (target, recommendation ref) of the first plan recommendation, in plan order,
    linking it alone with a single number."""
    if not has_table(store, "improvement_plan"):
        return {}
    plan = store.query(
        "select ref, linked_indicators, target_value from improvement_plan where la_code = ? "
        "and target_value is not null order by position",
        [la_code],
    )
    targets: dict[str, tuple[float, str]] = {}
    for item in plan.itertuples():
        linked = [i for i in str(item.linked_indicators or "").split(";") if i]
        if len(linked) == 1:
            targets.setdefault(linked[0], (float(item.target_value), str(item.ref)))
    return targets


def _pick(table: pd.DataFrame, month: date | None, period_type: str | None) -> pd.DataFrame:
    """One row per indicator by rules 1 and 2."""
    catalogue = load_catalogue()
    chosen = []
    for indicator_id, rows in table.groupby("indicator_id", sort=True):
        wanted = [period_type] if period_type else []
        if indicator_id in catalogue:
            wanted.append(catalogue.get(str(indicator_id)).headline_period)
        if month is not None:
            rows = rows[rows["period_end"] <= month]
        picked = None
        for kind in wanted:
            of_kind = rows[rows["period_type"] == kind]
            informative = of_kind[of_kind["value"].notna() | ~of_kind["status"].fillna("").isin(["x", "z"])]
            if not informative.empty:
                newest = informative["period_end"].max()
                picked = informative[informative["period_end"] == newest].head(1)
                break
        if picked is None:
            picked = latest_values(rows) if not rows.empty else rows
        chosen.append(picked)
    if not chosen:
        return table.iloc[0:0]
    return pd.concat(chosen, ignore_index=True)


def headlines(
    store: Queryable,
    la_code: str,
    month: date | None = None,
    period_type: str | None = None,
    *,
    sn_model: str = DEFAULT_SN_MODEL,
    table: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Each indicator's headline row for `la_code` (columns HEADLINE_COLUMNS, one row each).

    `month` is a month end (None: each indicator's newest); `period_type` overrides the
    catalogue's headline period where the indicator has it (None: as the DfE reports it).
    `table` may pass a `kpi_table` already read for the LA and model.
    """
    if table is None:
        table = kpi_table(store, la_code, sn_model=sn_model)
    if table.empty:
        return pd.DataFrame(columns=HEADLINE_COLUMNS)
    rows = _pick(table, month, period_type)
    catalogue = load_catalogue()
    plan = plan_targets(store, la_code)
    targets = [
        applicable_target(r.target, r.year_end, *plan.get(str(r.indicator_id), (None, None)))
        for r in rows.itertuples()
    ]
    rows = rows.assign(
        target=[t for t, _ in targets],
        target_rule=[rule for _, rule in targets],
        headline_period=[
            catalogue.get(i).headline_period if i in catalogue else "" for i in rows["indicator_id"]
        ],
    )
    threshold = low_n(store)
    low = [is_low_n(d, threshold) for d in rows["denominator"]]
    rags = [
        None
        if is_low
        else rag_status(
            None if pd.isna(r.value) or r.status else float(r.value),
            r.target,
            str(r.polarity),
            float(r.tolerance) if pd.notna(r.tolerance) else 0.0,
        )
        for is_low, r in zip(low, rows.itertuples(), strict=True)
    ]
    rows = rows.assign(
        low_n=low,
        rag=rags,
        rating=[LOW_N_LABEL if is_low else rag for is_low, rag in zip(low, rags, strict=True)],
    )
    return rows[HEADLINE_COLUMNS].reset_index(drop=True)


def headline(
    store: Queryable,
    la_code: str,
    indicator_id: str,
    month: date | None = None,
    period_type: str | None = None,
    *,
    sn_model: str = DEFAULT_SN_MODEL,
) -> dict[str, object] | None:
    """One indicator's headline as a dict of HEADLINE_COLUMNS; None when it has no value row."""
    table = kpi_table(store, la_code, indicators=[indicator_id], sn_model=sn_model)
    rows = headlines(store, la_code, month, period_type, sn_model=sn_model, table=table)
    return None if rows.empty else dict(rows.iloc[0])
