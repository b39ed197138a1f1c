"""Why a KPI value is missing or not comparable: a `note` and, for rates, a `denominator_source`.

Beside every KPI row (metrics.kpis.kpi_table, so the scorecard, the Indicator trend page and the
export all carry them):
- denominator_source (rates per 10,000 only): which population estimate the value divides by, by
  the precedence in loaders.population (an LA's own ONS file, then the published ONS file, then a
  generated one) and its mid-year, e.g. "published ONS mid-year estimates, mid-2024".
- note: plain words for an analyst, never a child-level value. Where a rate's denominator source
  changes from the previous period's, "the denominator changes source here" (the values either
  side are not comparable); where repeat CP plans within 2 years has no value because its 2-year
  look-back reaches before what the loaded CIN censuses cover, that and from when it is covered;
  long-term placement stability the same for its 2.5-year look-back (metrics.placements), from
  the month the LA's 903 records cover without a gap.
Blank when there is nothing to say.
"""

from __future__ import annotations

import pandas as pd

from loaders.population import SOURCE_LABELS, SOURCE_PRECEDENCE
from metrics.look_back import WITHIN_2_YEARS, covered_month_runs, look_back_months
from metrics.queryable import Queryable, has_table

RATE_INDICATORS = ("cin_rate", "cp_rate", "cla_rate")
LONG_TERM = "long_term_stability"
KEY = ["la_code", "indicator_id", "period_end", "period_type"]


def _population_sources(store: Queryable) -> pd.DataFrame:
    """la_code, estimate_date (30 June of the year), source_kind of each chosen estimate."""
    if not has_table(store, "population"):
        return pd.DataFrame(columns=["la_code", "estimate_date", "source_kind"])
    kinds = (
        "(select e.source_kind from population_estimates e where e.la_code = p.la_code "
        "and e.year = p.year and e.source_file is not distinct from p.source_file "
        "order by list_position($precedence::varchar[], e.source_kind) limit 1)"
        if has_table(store, "population_estimates")
        else "null"
    )
    chosen = store.query(
        f"select p.la_code, make_date(p.year, 6, 30) as estimate_date, p.year, "
        f"coalesce({kinds}, 'earlier_load') as source_kind from population p",
        {"precedence": list(SOURCE_PRECEDENCE)} if kinds != "null" else None,
    )
    chosen["la_code"] = chosen["la_code"].astype(str)
    chosen["estimate_date"] = pd.to_datetime(chosen["estimate_date"]).astype("datetime64[ns]")
    return chosen.sort_values("estimate_date")


def denominator_sources(store: Queryable, table: pd.DataFrame) -> pd.DataFrame:
    """KEY + denominator_source, source_kind for the computed rate rows of `table`."""
    rates = table[table["indicator_id"].isin(RATE_INDICATORS) & (table["origin"] == "computed")][KEY]
    sources = _population_sources(store)
    if rates.empty or sources.empty:
        return pd.DataFrame(columns=[*KEY, "denominator_source", "source_kind"])
    rows = rates.assign(
        la_code=rates["la_code"].astype(str),
        _at=pd.to_datetime(rates["period_end"]).astype("datetime64[ns]"),
    ).sort_values("_at")
    rows = pd.merge_asof(rows, sources, left_on="_at", right_on="estimate_date", by="la_code")
    found = rows["source_kind"].notna()
    rows["denominator_source"] = [
        f"{SOURCE_LABELS[kind]}, mid-{int(year)}" if ok else ""
        for kind, year, ok in zip(rows["source_kind"], rows["year"], found, strict=True)
    ]
    return rows[[*KEY, "denominator_source", "source_kind"]]


def _source_change_notes(sources: pd.DataFrame) -> pd.DataFrame:
    """A note on each rate row whose denominator source kind differs from the series' previous row."""
    rows = sources[sources["source_kind"].notna()].sort_values(KEY)
    previous = rows.groupby(["la_code", "indicator_id", "period_type"])["source_kind"].shift()
    changed = previous.notna() & (previous != rows["source_kind"])
    notes = rows[changed].assign(
        note=[
            f"The denominator changes source here, from {SOURCE_LABELS[before]} to "
            f"{SOURCE_LABELS[after]}: values either side are not comparable."
            for before, after in zip(previous[changed], rows.loc[changed, "source_kind"], strict=True)
        ]
    )
    return notes[[*KEY, "note"]]


def _look_back_notes(store: Queryable, table: pd.DataFrame) -> pd.DataFrame:
    """A note on each within-2-years row that has no value because its look-back is not covered."""
    rows = table[(table["indicator_id"] == WITHIN_2_YEARS) & (table["status"] == "x")][KEY]
    if rows.empty or not has_table(store, "cin_census_returns"):
        return pd.DataFrame(columns=[*KEY, "note"])
    runs = covered_month_runs(store)
    rows = rows.merge(runs, on=["la_code", "period_end"], how="left")
    notes = []
    for row in rows.itertuples():
        needed = look_back_months(row.period_end, row.period_type)
        run = 0 if pd.isna(row.run_months) else int(row.run_months)
        if run >= needed:
            notes.append("")
            continue
        first = pd.Timestamp(row.period_end).to_period("M") - (run - 1) if run else None
        covered = (
            f"the loaded CIN censuses reach back without a gap only to {first.strftime('%B %Y')}"
            if first is not None
            else "no loaded CIN census covers this month"
        )
        notes.append(
            "No value: a previous plan that ended within 2 years could be before the data, since "
            f"this period's 2-year look-back starts {needed - 1} months before its last month and "
            f"{covered}."
        )
    rows["note"] = notes
    return rows[rows["note"] != ""][[*KEY, "note"]]


def _long_term_notes(store: Queryable, table: pd.DataFrame) -> pd.DataFrame:
    """A note on each long-term stability row with no denominator: under 30 months of history.

    The covered months are the LA's computed long-term stability month ends (metrics.placements
    gives every covered month a row), so a run of consecutive ones starts where the records do."""
    no_denominator = table["denominator"].isna() if "denominator" in table else True
    rows = table[(table["indicator_id"] == LONG_TERM) & (table["status"] == "x") & no_denominator][KEY]
    if rows.empty:
        return pd.DataFrame(columns=[*KEY, "note"])
    months = store.query(
        "select distinct la_code, period_end from kpi where indicator_id = $id and origin = 'computed' "
        "and period_type = 'snapshot' order by la_code, period_end",
        {"id": LONG_TERM},
    )
    months["la_code"] = months["la_code"].astype(str)
    ends = pd.to_datetime(months["period_end"])
    index = pd.Series([d.year * 12 + d.month for d in ends], index=months.index)
    island = index - months.groupby("la_code").cumcount()
    months["first"] = index.groupby([months["la_code"], island]).transform("min")
    first = {(la, i): f for la, i, f in zip(months["la_code"], index, months["first"], strict=True)}
    notes = []
    for row in rows.itertuples():
        end = pd.Timestamp(row.period_end)
        start = first.get((str(row.la_code), end.year * 12 + end.month))
        covered = (
            f"the 903 records cover this LA without a gap only from "
            f"{pd.Period(year=(start - 1) // 12, month=(start - 1) % 12 + 1, freq='M').strftime('%B %Y')}"
            if start is not None
            else "the 903 records do not cover this month"
        )
        notes.append(
            "No value: long-term stability needs 2.5 years (30 months) of history before the month "
            f"end, since a child counts after 2.5 years in care, and {covered}."
        )
    return rows.assign(note=notes)[[*KEY, "note"]]


def annotate(store: Queryable, table: pd.DataFrame) -> pd.DataFrame:
    """`table` (KPI rows with KEY, origin, status) with denominator_source and note columns."""
    if table.empty:
        return table.assign(denominator_source=pd.Series(dtype=str), note=pd.Series(dtype=str))
    sources = denominator_sources(store, table)
    found = [_source_change_notes(sources), _look_back_notes(store, table), _long_term_notes(store, table)]
    notes = pd.concat(
        [frame for frame in found if not frame.empty] or [pd.DataFrame(columns=[*KEY, "note"])],
        ignore_index=True,
    )
    notes = notes.groupby(KEY, as_index=False)["note"].agg(" ".join)
    keyed = table.assign(_order=range(len(table)))
    merged = keyed.merge(sources.drop(columns="source_kind"), on=KEY, how="left")
    merged = merged.merge(notes, on=KEY, how="left")
    merged = merged.sort_values("_order").drop(columns="_order").reset_index(drop=True)
    merged["denominator_source"] = merged["denominator_source"].fillna("")
    merged["note"] = merged["note"].fillna("")
    return merged
