"""Published benchmarks set beside the LA: SN mean and median, region, England, quartile, rank, direction.

Why it is shaped this way: the published figures (EES and LAIT, in `benchmark_values`) and the
statistical neighbour lists (`sn_groups`) are loaded as they are published; everything derived from
them is recomputed in SQL after every ingest by `refresh_benchmark_summary`, in three steps:

1. `benchmark_best`: one value per indicator, year and area (EES preferred to LAIT, LAIT to a rate
   derived from EES counts and the ONS population);
2. `benchmark_distribution`: every LA's value with quartile band and rank among all LAs that year;
3. `benchmark_summary`: per current LA, indicator, year and SN model, the comparators and footnotes.

Conventions (LAIT): band A is the best quarter for the indicator's polarity; cut points are
quantile_cont (linear interpolation, Excel QUARTILE.INC) over the LAs with a value; a value on a
cut point takes the better band; no band without polarity or where flagged no_quartile. Rank 1 is
best, ties share the lower rank, no rank without polarity. Direction of travel compares with the
previous consecutive year only (values compared at the indicator's decimal places); blank when that
year is missing (footnoted) or the indicator has no polarity. SN mean (as LAIT) and SN median (as
the DfE CSC dashboard) are over the neighbours with a value; sn_count says how many.

The LA's own monthly values (kpi_history) are never read or written here. The page functions
below take any `store` with `.query(sql, params)` and return empty results when nothing is loaded.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import pandas as pd

from loaders.base import REFERENCE_DIR, local_authorities
from loaders.store import Writer
from metrics.catalogue import CATALOGUE_FILE, load_catalogue
from metrics.kpis import Queryable
from metrics.queryable import has_table

SQL_DIR = Path(__file__).resolve().parent / "sql"
TABLES_SQL = Path(__file__).resolve().parent.parent / "loaders" / "sql" / "benchmark_tables.sql"
DEFAULT_MODELS = ("2025",)
# A published year's comparator columns, in the order every table carrying them uses (the export,
# the headlines and the published-only view).
COMPARATOR_COLUMNS = (
    "sn_mean", "sn_median", "sn_count", "region_name", "region", "england", "quartile", "rank", "rank_of",
)


def indicator_frame() -> pd.DataFrame:
    """Catalogue facts the benchmark SQL needs: polarity, quartile flag, decimals, reference date."""
    return pd.DataFrame(
        [
            {
                "indicator_id": i.id,
                "polarity": i.polarity,
                "no_quartile": i.no_quartile,
                "decimal_places": i.decimal_places,
                # workforce figures are a position at 30 September, the rest at 31 March
                "reference_month": 9 if i.at_30_september else 3,
            }
            for i in load_catalogue()
        ]
    ).astype({"decimal_places": "int32", "reference_month": "int32"})


def la_frame() -> pd.DataFrame:
    """The shipped LA list with dates as dates (blank -> missing)."""
    las = local_authorities().copy()
    for column in ("valid_from", "valid_to"):
        las[column] = pd.to_datetime(las[column].replace("", None)).dt.date
    return las


def ensure_benchmark_tables(writer: Writer) -> None:
    """Create benchmark_values and sn_groups if absent (idempotent)."""
    writer.con.execute(TABLES_SQL.read_text())


INPUTS_SQL = """
select
    (select count(*) || ':' || coalesce(sum(hash(indicator_id, year, area_code, value, numerator,
        denominator, status, method, source, source_file)), 0) from benchmark_values)
    || '|' || (select count(*) || ':' || coalesce(sum(hash(model, la_code, neighbour_rank,
        neighbour_code, closeness)), 0) from sn_groups)
    || '|' || (select count(*) || ':' || coalesce(sum(hash(la_code, year, population_0_17)), 0)
        from population) as fingerprint
"""


def _inputs_fingerprint(writer: Writer) -> str:
    """Changes whenever a benchmark input (values, SN lists, population, catalogue, SQL) changes."""
    tables = str(writer.query(INPUTS_SQL)["fingerprint"].iloc[0])
    code = hashlib.sha256()
    for path in (
        CATALOGUE_FILE,
        REFERENCE_DIR / "local_authorities.csv",
        *sorted(SQL_DIR.glob("benchmark_*.sql")),
    ):
        code.update(path.read_bytes())
    return tables + "|" + code.hexdigest()


def refresh_benchmark_summary(writer: Writer, *, force: bool = False) -> int:
    """Recompute benchmark_best, benchmark_distribution and benchmark_summary; returns summary rows.

    Skipped (returning the current row count) when none of its inputs changed since the last
    refresh, so that an ingest of the LA's own files does not pay for it; `force` recomputes.
    """
    ensure_benchmark_tables(writer)
    fingerprint = _inputs_fingerprint(writer)
    last = writer.query("select value from settings where key = 'benchmark_inputs'")
    if (
        not force
        and not last.empty
        and last["value"].iloc[0] == fingerprint
        and writer.has_table("benchmark_distribution")
    ):
        return int(writer.query("select count(*) as n from benchmark_summary")["n"].iloc[0])
    models = writer.query("select distinct model as sn_model from sn_groups order by 1")
    if models.empty:
        models = pd.DataFrame({"sn_model": list(DEFAULT_MODELS)})
    frames = {"_indicators": indicator_frame(), "_las": la_frame(), "_models": models}
    for name, frame in frames.items():
        writer.con.register(name, frame)
    try:
        writer.execute((SQL_DIR / "benchmark_best.sql").read_text())
        writer.execute((SQL_DIR / "benchmark_distribution.sql").read_text())
        writer.execute("delete from benchmark_summary")
        writer.execute(
            "insert into benchmark_summary by name " + (SQL_DIR / "benchmark_summary.sql").read_text()
        )
    finally:
        for name in frames:
            writer.con.unregister(name)
    writer.execute("insert or replace into settings values ('benchmark_inputs', ?)", [fingerprint])
    count = writer.query("select count(*) as n from benchmark_summary")
    return int(count["n"].iloc[0])


def sn_models(store: Queryable) -> list[str]:
    """Statistical neighbour models loaded ('2021', '2025'), newest first."""
    if not has_table(store, "sn_groups"):
        return []
    found = store.query("select distinct model from sn_groups order by model desc")
    return [str(m) for m in found["model"]]


def benchmark_years(store: Queryable, indicator_id: str) -> list[int]:
    """Published years (time_period: 2024 = 2023/24) with any value for the indicator, ascending."""
    if not has_table(store, "benchmark_best"):
        return []
    found = store.query(
        "select distinct year from benchmark_best where indicator_id = ? order by year",
        [indicator_id],
    )
    return [int(y) for y in found["year"]]


def all_las_distribution(store: Queryable, indicator_id: str, year: int) -> pd.DataFrame:
    """Every LA's published value that year: la_code, la_name, region_code, region_name, value,
    status, quartile (A best), rank (1 best), rank_of, source; ordered by rank then name."""
    columns = [
        "la_code",
        "la_name",
        "region_code",
        "region_name",
        "value",
        "status",
        "quartile",
        "rank",
        "rank_of",
        "source",
    ]
    if not has_table(store, "benchmark_distribution"):
        return pd.DataFrame(columns=columns)
    return store.query(
        f"select {', '.join(columns)} from benchmark_distribution "
        "where indicator_id = ? and year = ? order by rank nulls last, value, la_name",
        [indicator_id, int(year)],
    )


def quartile_cut_points(store: Queryable, indicator_id: str, year: int) -> dict[str, object]:
    """The cut points of the quartile bands: {'q1', 'median', 'q3', 'n', 'polarity', 'banded'}.

    q1/median/q3 are None when no LA has a value; `banded` is False for indicators without a band.
    """
    indicator = load_catalogue().get(indicator_id)
    result: dict[str, object] = {
        "q1": None,
        "median": None,
        "q3": None,
        "n": 0,
        "polarity": indicator.polarity,
        "banded": indicator.has_polarity and not indicator.no_quartile,
    }
    if not has_table(store, "benchmark_distribution"):
        return result
    found = store.query(
        "select any_value(q1) as q1, any_value(median) as median, any_value(q3) as q3, "
        "count(value) as n from benchmark_distribution where indicator_id = ? and year = ?",
        [indicator_id, int(year)],
    )
    row = found.iloc[0]
    for key in ("q1", "median", "q3"):
        result[key] = None if pd.isna(row[key]) else round(float(row[key]), 6)
    result["n"] = int(row["n"])
    return result


def neighbour_comparison(
    store: Queryable, la_code: str, indicator_id: str, year: int, sn_model: str
) -> pd.DataFrame:
    """The LA (first row, is_focus) and its neighbours in the model, closest first: la_code,
    la_name, neighbour_rank (0 = the LA), closeness, is_focus, value, status, quartile,
    rank_among_neighbours (1 best, ties share the lower rank), and sn_mean, sn_median, sn_count
    (over the neighbours with a value, the LA itself excluded) repeated on every row."""
    indicator = load_catalogue().get(indicator_id)
    columns = [
        "la_code",
        "la_name",
        "neighbour_rank",
        "closeness",
        "is_focus",
        "value",
        "status",
        "quartile",
        "rank_among_neighbours",
        "sn_mean",
        "sn_median",
        "sn_count",
    ]
    if not (has_table(store, "benchmark_distribution") and has_table(store, "sn_groups")):
        return pd.DataFrame(columns=columns)
    rows = store.query(
        (SQL_DIR / "benchmark_neighbour_comparison.sql").read_text(),
        {
            "la": la_code,
            "indicator": indicator_id,
            "year": int(year),
            "model": sn_model,
            "polarity": indicator.polarity,
        },
    )
    names = local_authorities().set_index("la_code")["la_name"]
    rows["la_name"] = rows["la_code"].map(names).fillna(rows["la_name"])
    neighbours = rows.loc[~rows["is_focus"], "value"].dropna()
    rows["sn_mean"] = float(neighbours.mean()) if len(neighbours) else None
    rows["sn_median"] = float(neighbours.median()) if len(neighbours) else None
    rows["sn_count"] = len(neighbours)
    return rows[columns]


def benchmark_row(
    store: Queryable, la_code: str, indicator_id: str, year: int, sn_model: str
) -> dict[str, object] | None:
    """The LA's benchmark_summary row for the year and model as a dict (la_value, la_status,
    england, region_name, region, sn_mean, sn_median, sn_count, quartile, rank, rank_of, direction,
    footnote, reference_date), or None when there is none."""
    if not has_table(store, "benchmark_summary"):
        return None
    found = store.query(
        "select * from benchmark_summary where la_code = ? and indicator_id = ? and year = ? "
        "and sn_model = ?",
        [la_code, indicator_id, int(year), sn_model],
    )
    if found.empty:
        return None
    row = found.iloc[0].to_dict()
    return {
        key: (None if not isinstance(value, str) and pd.isna(value) else value) for key, value in row.items()
    }


def area_values(store: Queryable, indicator_id: str, year: int) -> pd.DataFrame:
    """England and region values for the year (as shown: EES preferred to LAIT): geographic_level,
    area_code, area_name, value, status, source; England first, then regions by code."""
    columns = ["geographic_level", "area_code", "area_name", "value", "status", "source"]
    if not has_table(store, "benchmark_best"):
        return pd.DataFrame(columns=columns)
    return store.query(
        f"select {', '.join(columns)} from benchmark_best where indicator_id = ? and year = ? "
        "and geographic_level in ('National', 'Regional') "
        "order by geographic_level = 'Regional', area_code",
        [indicator_id, int(year)],
    )
