"""Property tests: the set-based DuckDB measures agree exactly with the plain-pandas references.

Hypothesis draws random episode histories (contiguous, gapped, overlapping and open episodes,
every RNE, short breaks, adoption placements, unknown dates of birth), OC3 records, collection
years with gaps and data ends (each child's episodes in one year's file, so earlier years can be
shown by the records), for two LAs at once, and compares every KPI row.
"""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import duckdb
import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from loaders.store import Writer, ensure_schema
from metrics import care_leavers, placements
from metrics.reference import care_leavers as care_leavers_reference
from metrics.reference import placements as placements_reference
from tests.metrics.test_placements import TABLES_SQL

LAS = ("929", "930")
FIRST_DAY = date(2017, 1, 1)
EXAMPLES = 25


@st.composite
def child_history(draw: st.DrawFn, la_code: str, child: str) -> list[dict[str, object]]:
    """A child's episodes; half the children stay in care (contiguous or overlapping, last open)."""
    stays = draw(st.booleans())
    count = draw(st.integers(1, 6))
    first = draw(st.integers(0, 2200))
    span = draw(st.integers(count, 1500))
    offsets = sorted(draw(st.sets(st.integers(first, first + span), min_size=count, max_size=count)))
    starts = [FIRST_DAY + timedelta(days=o) for o in offsets]
    episodes = []
    for position, decom in enumerate(starts):
        following = starts[position + 1] if position + 1 < count else None
        shapes = ["contiguous", "overlap"] if stays else ["contiguous", "gap", "overlap", "open", "short"]
        shape = draw(st.sampled_from(shapes))
        if stays and following is None:
            shape = "open"
        if shape == "open":
            dec = None
        elif shape == "short" or following is None:
            dec = decom + timedelta(days=draw(st.integers(0, 900)))
        elif shape == "contiguous":
            dec = following
        else:
            shift = draw(st.integers(1, 200))
            dec = following - timedelta(days=shift) if shape == "gap" else following + timedelta(days=shift)
            dec = max(dec, decom)
        episodes.append({
            "la_code": la_code, "child": child, "decom": decom, "dec": dec,
            "rne": draw(st.sampled_from(["S", "P", "P", "P", "T", "L", "U", "B"])),
            "ls": draw(st.sampled_from(["C2", "C2", "C1", "E1", "V3", "V4"])),
            "place": draw(st.sampled_from(["U1", "U4", "K2", "A4", "A5"])),
        })
    return episodes


@st.composite
def coverage(draw: st.DrawFn, la_code: str, table_name: str) -> list[dict[str, object]]:
    first = draw(st.integers(2018, 2021))
    years = list(range(first, first + draw(st.integers(1, 5))))
    if draw(st.booleans()):
        years = list(range(2018, 2025))
    if len(years) > 2 and draw(st.booleans()):
        years.remove(draw(st.sampled_from(years[1:-1])))
    data_end = None
    if draw(st.booleans()):
        last = date(years[-1], 3, 31)
        data_end = last - timedelta(days=draw(st.integers(0, 300)))
    return [{"la_code": la_code, "table_name": table_name, "collection_year": y, "data_end": data_end}
            for y in years]


@st.composite
def care_leaver(draw: st.DrawFn, la_code: str, child: str, years: list[int]) -> dict[str, object]:
    year = draw(st.sampled_from(years))
    birthday = date(year - 1, 4, 1) + timedelta(days=draw(st.integers(0, 365 - 1)))
    age = draw(st.integers(17, 21))
    return {
        "la_code": la_code, "child": child,
        "dob": date(birthday.year - age, birthday.month, min(birthday.day, 28)),
        "in_touch": draw(st.sampled_from(["YES", "NO", "DIED", "REFU", "NREQ", "RHOM"])),
        "activ": draw(st.sampled_from(["F1", "P2", "F4", "P5", "G4", "G6", "0", "F3"])),
        "accom": draw(st.sampled_from(["B1", "V1", "C2", "0", "", "01", "Z1", "G1", "H2", "R0", "S1", "X1"])),
        "collection_year": year, "birthday": birthday, "age_at_birthday": age,
    }


@st.composite
def store_tables(draw: st.DrawFn) -> dict[str, pd.DataFrame]:
    episodes, header, covered, oc3 = [], [], [], []
    for la_code in LAS:
        episode_coverage = draw(coverage(la_code, "episodes"))
        covered += episode_coverage
        episode_years = [int(row["collection_year"]) for row in episode_coverage]
        oc3_coverage = draw(coverage(la_code, "oc3"))
        covered += oc3_coverage
        oc3_years = [int(row["collection_year"]) for row in oc3_coverage]
        for number in range(draw(st.integers(0, 8))):
            child = f"{la_code}-{number}"
            # Each child's history comes in one collection year's file, often the latest (a
            # full-history extract shows the earlier years through the episodes that ended in them).
            year = draw(st.sampled_from([episode_years[-1], *episode_years]))
            episodes += [{**e, "collection_year": year} for e in draw(child_history(la_code, child))]
            dob = draw(st.none() | st.dates(date(2005, 1, 1), date(2020, 12, 31)))
            header.append({"la_code": la_code, "child": child, "dob": dob})
            if draw(st.booleans()):
                oc3.append(draw(care_leaver(la_code, child, oc3_years)))
    population = [{"la_code": la_code, "year": year, "population_0_17": draw(st.sampled_from([0.0, 45000.0]))}
                  for la_code in LAS for year in draw(st.sets(st.integers(2017, 2023), max_size=3))]
    columns = {
        "ssda903_episodes": ["la_code", "child", "decom", "dec", "rne", "ls", "place", "collection_year"],
        "ssda903_header": ["la_code", "child", "dob"],
        "ssda903_coverage": ["la_code", "table_name", "collection_year", "data_end"],
        "ssda903_oc3": ["la_code", "child", "dob", "in_touch", "activ", "accom", "collection_year",
                        "birthday", "age_at_birthday"],
        "population": ["la_code", "year", "population_0_17"],
    }
    rows = {"ssda903_episodes": episodes, "ssda903_header": header, "ssda903_coverage": covered,
            "ssda903_oc3": oc3, "population": population}
    return {name: pd.DataFrame(rows[name], columns=columns[name]) for name in columns}


def store_with(tables: dict[str, pd.DataFrame]) -> Writer:
    con = duckdb.connect()
    ensure_schema(con)
    con.execute(TABLES_SQL.read_text())
    writer = Writer(con=con, path=Path(":memory:"))
    for name, frame in tables.items():
        writer.insert_frame(name, frame)
    return writer


def normalised(rows: pd.DataFrame) -> pd.DataFrame:
    if rows.empty:
        return pd.DataFrame(columns=placements_reference.KPI_COLUMNS)
    rows = rows[placements_reference.KPI_COLUMNS].copy()
    rows["period_end"] = pd.to_datetime(rows["period_end"])
    for column in ("numerator", "denominator", "value"):
        rows[column] = pd.to_numeric(rows[column]).astype("float64")
    keys = ["la_code", "indicator_id", "period_type", "period_end"]
    return rows.sort_values(keys).reset_index(drop=True)


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(store_tables())
def test_placement_measures_match_the_reference(tables: dict[str, pd.DataFrame]) -> None:
    store = store_with(tables)
    try:
        computed = placements.compute(store)
    finally:
        store.con.close()
    expected = placements_reference.compute(tables)
    pd.testing.assert_frame_equal(normalised(computed), normalised(expected), check_dtype=False)


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(store_tables())
def test_care_leaver_measures_match_the_reference(tables: dict[str, pd.DataFrame]) -> None:
    store = store_with(tables)
    try:
        computed = care_leavers.compute(store)
    finally:
        store.con.close()
    expected = care_leavers_reference.compute(tables)
    pd.testing.assert_frame_equal(normalised(computed), normalised(expected), check_dtype=False)
