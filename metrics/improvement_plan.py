"""Improvement plan progress: each recommendation's linked indicators, their latest values and a RAG.

Scrutiny committees read a plan as "11 green, 6 amber, 0 red" (seed 000). The rating of each
recommendation is derived from the indicators it links to, by a rule stated once here (RAG_RULE)
and shown on the page, so a reader can check any rating:

1. A manual RAG in the plan file (rag_override, with its reason) wins; the page shows the reason.
2. Otherwise each linked indicator is rated on its headline value (`metrics.headlines`: the period
   the DfE reports it for, at the newest month with a value) against the target chosen by
   `metrics.headlines.applicable_target`, the Overview's target for that indicator and month: the
   LA's target for the reporting year containing the month; else the plan's target from the first
   recommendation that links that indicator alone with a single number (so two recommendations
   on one indicator cannot rate it against two targets). A denominator under 10 is "low n"
   and not rated. Green = met, amber = missed within the indicator's tolerance, red = missed beyond
   it (polarity decides the direction; metrics.rag). A suppressed or missing value, a missing
   target or an indicator without polarity gives no rating.
3. The recommendation takes the worst rating among its rated indicators (red over amber over
   green), since one measure off track means the recommendation is not yet delivered.
4. With no rated indicator and no manual RAG, the recommendation is "not rated" and is counted
   separately, never as green.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

import pandas as pd

from metrics.headlines import applicable_target, headlines, plan_targets
from metrics.kpis import DEFAULT_SN_MODEL, Queryable
from metrics.queryable import has_table
from metrics.rag import rag_summary

RAG_RULE = (
    "A manual RAG in the plan (with its reason) wins. Otherwise each linked indicator's headline value "
    "(the period the DfE reports it for) is rated against the same target as on the Overview: the LA's "
    "target for that reporting year, or else the plan's target (from the first recommendation that "
    "links that indicator alone and gives a single number); "
    "a value with fewer than 10 in its denominator is low n and not rated. The recommendation takes "
    "the worst of its linked indicators' ratings (red over amber over green). With neither, it is not "
    "rated."
)
SEVERITY = {"green": 0, "amber": 1, "red": 2}

RECOMMENDATION_COLUMNS = [
    "ref",
    "recommendation",
    "area",
    "owner",
    "linked_indicators",
    "linked_names",
    "baseline",
    "target",
    "target_date",
    "rag_override",
    "override_reason",
    "rag",
    "rag_basis",
]
LINK_COLUMNS = [
    "ref",
    "indicator_id",
    "indicator_name",
    "unit",
    "decimal_places",
    "polarity",
    "value",
    "status",
    "period_end",
    "period_type",
    "numerator",
    "denominator",
    "target_used",
    "target_source",
    "rag",
]


@dataclass
class PlanStatus:
    recommendations: pd.DataFrame
    links: pd.DataFrame
    counts: dict[str, int]
    not_rated: int


def worst_rating(ratings: list[str | None]) -> str | None:
    """The worst of the ratings given (red over amber over green); None when none is rated."""
    rated = [r for r in ratings if r in SEVERITY]
    return max(rated, key=SEVERITY.__getitem__) if rated else None


def plan_status(
    store: Queryable,
    la_code: str,
    *,
    sn_model: str = DEFAULT_SN_MODEL,
    month: date | None = None,
    table: pd.DataFrame | None = None,
) -> PlanStatus:
    """Every recommendation of the LA's plan with its derived RAG, and one row per linked indicator.

    `month` rates the plan on each indicator's headline at that month end (None: the newest);
    `table` may pass a `kpi_table` already read for the LA and model (as `headlines` takes it).
    """
    empty = PlanStatus(
        pd.DataFrame(columns=RECOMMENDATION_COLUMNS),
        pd.DataFrame(columns=LINK_COLUMNS),
        {"green": 0, "amber": 0, "red": 0},
        0,
    )
    if not has_table(store, "improvement_plan"):
        return empty
    plan = store.query(
        "select ref, recommendation, area, owner, linked_indicators, baseline, target, target_value, "
        "target_date, rag_override, override_reason from improvement_plan where la_code = ? "
        "order by position",
        [la_code],
    )
    if plan.empty:
        return empty
    current = headlines(store, la_code, month, sn_model=sn_model, table=table).set_index(
        "indicator_id", drop=False
    )
    names = _indicator_names(store, la_code)
    solo_targets = plan_targets(store, la_code)

    link_rows = []
    recommendations = []
    for item in plan.itertuples():
        linked = [i for i in str(item.linked_indicators or "").split(";") if i]
        ratings: list[str | None] = []
        rag: str | None
        for indicator_id in linked:
            link = _link(item, indicator_id, current, names, solo_targets)
            ratings.append(link["rag"] if isinstance(link["rag"], str) else None)
            link_rows.append(link)
        if isinstance(item.rag_override, str) and item.rag_override:
            rag, basis = item.rag_override, f"Manual RAG: {item.override_reason}"
        else:
            rag = worst_rating(ratings)
            rated = sum(r is not None for r in ratings)
            basis = (
                f"Worst of {rated} rated linked indicator{'s' if rated != 1 else ''}"
                if rag
                else "Not rated: no linked indicator has a value and a target"
            )
        recommendations.append(
            {
                "ref": item.ref,
                "recommendation": item.recommendation,
                "area": item.area,
                "owner": item.owner,
                "linked_indicators": linked,
                "linked_names": "; ".join(names.get(i, i) for i in linked),
                "baseline": item.baseline,
                "target": item.target,
                "target_date": item.target_date,
                "rag_override": item.rag_override,
                "override_reason": item.override_reason,
                "rag": rag,
                "rag_basis": basis,
            }
        )
    recs = pd.DataFrame(recommendations, columns=RECOMMENDATION_COLUMNS)
    links = pd.DataFrame(link_rows, columns=LINK_COLUMNS)
    return PlanStatus(recs, links, rag_summary(recs["rag"]), int(recs["rag"].isna().sum()))


def _indicator_names(store: Queryable, la_code: str) -> dict[str, str]:
    from metrics.kpis import indicator_info

    info = indicator_info(store, la_code)
    return dict(zip(info["indicator_id"], info["short_name"], strict=True))


def _link(
    item: Any,
    indicator_id: str,
    current: pd.DataFrame,
    names: dict[str, str],
    solo_targets: dict[str, tuple[float, str]],
) -> dict[str, object]:
    row = current.loc[indicator_id] if indicator_id in current.index else None
    if row is None:  # no value yet: the target it will be rated against, by the same rule
        target, source = applicable_target(None, None, *solo_targets.get(indicator_id, (None, None)))
        return {
            "ref": item.ref,
            "indicator_id": indicator_id,
            "indicator_name": names.get(indicator_id, indicator_id),
            "unit": "number",
            "decimal_places": 1,
            "polarity": "none",
            "value": None,
            "status": "",
            "period_end": None,
            "period_type": None,
            "numerator": None,
            "denominator": None,
            "target_used": target,
            "target_source": source,
            "rag": None,
        }
    # the headline's target, rule and rating: the Overview's for the same indicator and month
    target = None if pd.isna(row["target"]) else float(row["target"])
    source = str(row["target_rule"])
    rag = row["rag"] if isinstance(row["rag"], str) else None
    return {
        "ref": item.ref,
        "indicator_id": indicator_id,
        "indicator_name": names.get(indicator_id, indicator_id),
        "unit": row["unit"],
        "decimal_places": int(row["decimal_places"]) if pd.notna(row["decimal_places"]) else 1,
        "polarity": row["polarity"],
        "value": row["value"],
        "status": row["status"],
        "period_end": row["period_end"],
        "period_type": row["period_type"],
        "numerator": row["numerator"],
        "denominator": row["denominator"],
        "target_used": target,
        "target_source": source,
        "rag": rag,
    }
