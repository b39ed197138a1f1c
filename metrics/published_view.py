"""An LA seen through its published figures alone: for any LA, whether or not its records are loaded.

Why it is shaped this way: the published benchmarks cover every LA, region and England, so every
LA can be compared even when only its own records would give in-year figures. Everything here reads
`benchmark_summary` (the LA's published value with SN mean and median, region, England, quartile,
rank and direction, per published year and SN model) and `benchmark_distribution` (every LA's
value and rank), both refreshed after every ingest by metrics.benchmarks. Nothing reads kpi_history.
Years are published years (2024 = 2023/24; workforce: 30 September 2024).
"""

from __future__ import annotations

import pandas as pd

from loaders.base import local_authorities
from metrics.benchmarks import COMPARATOR_COLUMNS
from metrics.catalogue import load_catalogue
from metrics.kpis import Queryable
from metrics.queryable import has_table

PUBLISHED_EXPORT_COLUMNS = [
    "la_code",
    "la_name",
    "indicator_id",
    "indicator_name",
    "unit",
    "polarity",
    "year",
    "reference_date",
    "value",
    "status",
    "sn_model",
    *COMPARATOR_COLUMNS,
    "direction",
    "footnote",
]


def las_with_published(store: Queryable) -> list[str]:
    """LAs with at least one published value (or published symbol) in the store, by code."""
    if not has_table(store, "benchmark_summary"):
        return []
    found = store.query(
        "select distinct la_code from benchmark_summary "
        "where la_value is not null or coalesce(la_status, '') <> '' order by la_code"
    )
    return [str(c) for c in found["la_code"]]


def _catalogue_frame() -> pd.DataFrame:
    return pd.DataFrame(
        [
            {
                "indicator_id": i.id,
                "indicator_name": i.name,
                "short_name": i.short_name,
                "area": i.area,
                "unit": i.unit,
                "polarity": i.polarity,
                "decimal_places": i.decimal_places,
            }
            for i in load_catalogue()
        ]
    )


def published_series(
    store: Queryable, la_code: str, sn_model: str, indicators: list[str] | None = None
) -> pd.DataFrame:
    """Every published year of the LA's indicators (the download LAIT gives), in export order.

    One row per indicator and year with a value or symbol for the LA, or a comparator: value,
    status, SN mean and median over the neighbours with a value, region, England, quartile band
    (A best), rank (1 best) of rank_of LAs, and direction of travel from the year before.
    """
    if not has_table(store, "benchmark_summary"):
        return pd.DataFrame(columns=PUBLISHED_EXPORT_COLUMNS)
    rows = store.query(
        "select * from benchmark_summary where la_code = ? and sn_model = ? "
        "and (la_value is not null or coalesce(la_status, '') <> '' or england is not null) "
        "order by indicator_id, year",
        [la_code, sn_model],
    )
    if indicators:
        rows = rows[rows["indicator_id"].isin(indicators)]
    names = local_authorities().set_index("la_code")["la_name"]
    rows = rows.rename(columns={"la_value": "value", "la_status": "status"}).merge(
        _catalogue_frame(), on="indicator_id", how="left"
    )
    rows["la_name"] = rows["la_code"].map(names)
    for column in ("value", "sn_mean", "sn_median", "region", "england"):  # the catalogue's decimals
        rows[column] = [
            round(float(v), int(d)) if pd.notna(v) else None
            for v, d in zip(rows[column], rows["decimal_places"], strict=True)
        ]
    return rows.reindex(columns=PUBLISHED_EXPORT_COLUMNS).reset_index(drop=True)


def published_scorecard(store: Queryable, la_code: str, sn_model: str) -> pd.DataFrame:
    """Per indicator, the LA's latest published year with a value: the series row for that year,
    plus area, short_name and decimal_places (for the Overview of an LA without its own records)."""
    series = published_series(store, la_code, sn_model)
    with_value = series[series["value"].notna()]
    if with_value.empty:
        return series.assign(area=[], short_name=[], decimal_places=[])
    latest = with_value.sort_values("year").groupby("indicator_id", as_index=False).tail(1)
    facts = _catalogue_frame()[["indicator_id", "area", "short_name", "decimal_places"]]
    return latest.merge(facts, on="indicator_id", how="left").reset_index(drop=True)


def region_comparison(store: Queryable, la_code: str, indicator_id: str) -> pd.DataFrame:
    """The LA, the other LAs of its region (by name), its region and England, one column per
    published year: columns area (name), area_code, kind (la, region_la, region, england), then
    the years ascending. Values as published (EES preferred to LAIT); missing is NaN."""
    las = local_authorities().set_index("la_code")
    if la_code not in las.index or not has_table(store, "benchmark_best"):
        return pd.DataFrame(columns=["area", "area_code", "kind"])
    region = las.at[la_code, "region_code"]
    members = las[(las["region_code"] == region) & (las["status"] == "current")].index.tolist()
    if la_code not in members:
        members.append(la_code)
    values = store.query(
        "select area_code, year, value from benchmark_best where indicator_id = ? "
        "and (area_code in (select unnest(?::varchar[])) or area_code in (?, 'E92000001'))",
        [indicator_id, members, region],
    )
    if values.empty:
        return pd.DataFrame(columns=["area", "area_code", "kind"])
    wide = values.pivot_table(index="area_code", columns="year", values="value", aggfunc="first")
    wide.columns = [int(y) for y in wide.columns]
    others = sorted((c for c in members if c != la_code), key=lambda c: str(las.at[c, "la_name"]))
    order = [
        (la_code, "la"),
        *[(c, "region_la") for c in others],
        (region, "region"),
        ("E92000001", "england"),
    ]
    region_name = str(las.at[la_code, "region_name"])
    rows = []
    for code, kind in order:
        name = {"region": region_name, "england": "England"}.get(kind) or str(las.at[code, "la_name"])
        values_row = wide.loc[code] if code in wide.index else pd.Series(dtype="float64")
        rows.append({"area": name, "area_code": code, "kind": kind, **values_row.to_dict()})
    frame = pd.DataFrame(rows)
    years = sorted(c for c in frame.columns if isinstance(c, int))
    return frame.reindex(columns=["area", "area_code", "kind", *years])


def rank_history(store: Queryable, la_code: str, indicator_id: str, sn_model: str) -> pd.DataFrame:
    """The LA's published value, rank (1 best) of rank_of LAs and quartile band per published year."""
    series = published_series(store, la_code, sn_model, [indicator_id])
    return series[["year", "value", "status", "rank", "rank_of", "quartile"]].reset_index(drop=True)


def _year_span(first: object, last: object) -> str:
    def label(year: object) -> str:
        y = int(year)  # type: ignore[call-overload]
        return f"{y - 1}/{y % 100:02d}"

    return label(first) if first == last else f"{label(first)} to {label(last)}"


def published_sources(store: Queryable) -> pd.DataFrame:
    """The published benchmarks loaded, one row per original file: source (EES, LAIT, SN), source
    file, indicators (short names) and the published years covered (or the SN model)."""
    columns = ["source", "source_file", "indicators", "years"]
    rows: list[dict[str, object]] = []
    names = {i.id: i.short_name for i in load_catalogue()}
    if has_table(store, "benchmark_values"):
        found = store.query(
            "select source, source_file, list(distinct indicator_id order by indicator_id) as ids, "
            "min(year) as first, max(year) as last from benchmark_values "
            "group by source, source_file order by source, source_file"
        )
        for row in found.itertuples():
            rows.append(
                {
                    "source": row.source,
                    "source_file": row.source_file,
                    "indicators": "; ".join(names.get(i, i) for i in row.ids),
                    "years": _year_span(row.first, row.last),
                }
            )
    if has_table(store, "sn_groups"):
        found = store.query(
            "select source_file, string_agg(distinct model, ', ') as models, count(distinct la_code) as las "
            "from sn_groups group by source_file order by source_file"
        )
        for row in found.itertuples():
            rows.append(
                {
                    "source": "SN",
                    "source_file": row.source_file,
                    "indicators": f"statistical neighbours of {row.las} LAs",
                    "years": f"model {row.models}",
                }
            )
    return pd.DataFrame(rows, columns=columns)
