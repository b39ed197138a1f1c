"""Placement stability and children looked after: hand-computed cases for every edge.

Each test builds a tiny store (one LA, 903 tables written directly, as the loader stores them) and
reads one month end. The collection years 2021 to 2024 are covered (April 2020 to March 2024), so
31 March 2024 supports both measures.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import date
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from loaders.store import Writer, ensure_schema
from metrics import placements

LA = "929"
YEAR_END = date(2024, 3, 31)
TABLES_SQL = Path(placements.__file__).resolve().parent.parent / "loaders" / "sql" / "ssda903_tables.sql"


def episode(child: str, decom: str, rne: str = "P", dec: str | None = None, ls: str = "C2",
            place: str = "U1", la_code: str = LA) -> dict[str, object]:
    return {"la_code": la_code, "child": child, "decom": date.fromisoformat(decom), "rne": rne,
            "ls": ls, "place": place, "dec": date.fromisoformat(dec) if dec else None}


def make_store(
    episodes: Sequence[dict[str, object]] = (),
    dobs: dict[str, str] | None = None,
    years: Sequence[int] = (2021, 2022, 2023, 2024),
    data_end: str = "2024-03-31",
    oc3: Sequence[dict[str, object]] = (),
    oc3_years: Sequence[int] = (),
    population: dict[int, float] | None = None,
) -> Writer:
    """An in-memory store holding the 903 tables as the loader writes them."""
    con = duckdb.connect()
    ensure_schema(con)
    con.execute(TABLES_SQL.read_text())
    writer = Writer(con=con, path=Path(":memory:"))
    if episodes:
        frame = pd.DataFrame(list(episodes))
        for column in ("cin", "place_provider", "rec", "reason_place_change", "source_file", "batch_id"):
            frame[column] = ""
        frame["collection_year"] = max(years)
        frame["source_row"] = range(2, len(frame) + 2)
        writer.insert_frame("ssda903_episodes", frame)
    if dobs:
        header = pd.DataFrame(
            [{"la_code": LA, "child": c, "dob": date.fromisoformat(d) if d else None, "sex": "1"}
             for c, d in dobs.items()]
        )
        writer.insert_frame("ssda903_header", header)
    coverage = [{"la_code": LA, "table_name": "episodes", "collection_year": y,
                 "data_end": date.fromisoformat(data_end)} for y in years]
    coverage += [{"la_code": LA, "table_name": "oc3", "collection_year": y, "data_end": None}
                 for y in oc3_years]
    writer.insert_frame("ssda903_coverage", pd.DataFrame(coverage))
    if oc3:
        writer.insert_frame("ssda903_oc3", pd.DataFrame(list(oc3)))
    if population:
        writer.insert_frame("population", pd.DataFrame(
            [{"la_code": LA, "year": y, "population_0_17": p} for y, p in population.items()]))
    return writer


@pytest.fixture
def close_stores() -> Iterator[list[Writer]]:
    stores: list[Writer] = []
    yield stores
    for store in stores:
        store.con.close()


def kpi(store: Writer, indicator_id: str, period_end: date = YEAR_END) -> pd.Series:
    rows = placements.compute(store)
    found = rows[(rows["indicator_id"] == indicator_id) & (rows["period_end"] == period_end)]
    assert len(found) == 1, f"expected one {indicator_id} row at {period_end}"
    return found.iloc[0]


def three_plus(episodes: Sequence[dict[str, object]], period_end: date = YEAR_END) -> tuple[float, float]:
    row = kpi(make_store(episodes), "placements_3plus", period_end)
    return row["numerator"], row["denominator"]


# --- 3 or more placements ---------------------------------------------------------------------

def test_rne_s_p_t_are_each_a_new_placement() -> None:
    eps = [episode("a", "2023-05-01", "S"), episode("a", "2023-07-01", "P"),
           episode("a", "2023-09-01", "T")]
    assert three_plus(eps) == (1, 1)


def test_rne_l_u_b_are_not_placement_moves() -> None:
    eps = [episode("a", "2023-05-01", "S"), episode("a", "2023-07-01", "L"),
           episode("a", "2023-09-01", "U"), episode("a", "2023-11-01", "B")]
    assert three_plus(eps) == (0, 1)


def test_placement_open_at_window_start_counts_as_one() -> None:
    # window 1 April 2023 - 31 March 2024: the placement from 2022 counts, plus two moves
    eps = [episode("a", "2022-01-10", "S"), episode("a", "2023-06-01", "P"),
           episode("a", "2023-12-01", "P")]
    assert three_plus(eps) == (1, 1)


def test_moves_before_the_window_do_not_count() -> None:
    eps = [episode("a", "2022-01-10", "S"), episode("a", "2022-06-01", "P"),
           episode("a", "2023-03-31", "P"), episode("a", "2023-12-01", "P")]
    # open on 1 April 2023 (from 31 March 2023) + the December move = 2
    assert three_plus(eps) == (0, 1)


def test_placement_starting_on_the_window_start_counts_once() -> None:
    eps = [episode("a", "2023-04-01", "S"), episode("a", "2023-06-01", "P")]
    assert three_plus(eps) == (0, 1)
    eps.append(episode("a", "2023-08-01", "P"))
    assert three_plus(eps) == (1, 1)


def test_placements_in_both_periods_of_care_count() -> None:
    eps = [episode("a", "2022-10-01", "S", dec="2023-06-01"), episode("a", "2023-09-01", "S"),
           episode("a", "2024-01-01", "P")]
    assert three_plus(eps) == (1, 1)


def test_short_break_episodes_are_excluded() -> None:
    eps = [episode("a", "2023-05-01", "S", ls="V3"), episode("b", "2023-05-01", "S", ls="V4"),
           episode("c", "2023-05-01", "S")]
    assert three_plus(eps) == (0, 1)
    assert kpi(make_store(eps, population={2023: 10000}), "cla_rate")["numerator"] == 1


def test_child_who_left_before_the_month_end_is_not_counted() -> None:
    eps = [episode("a", "2023-05-01", "S"), episode("a", "2023-07-01", "P"),
           episode("a", "2023-09-01", "P", dec="2024-03-31")]
    assert three_plus(eps) == (0, 0)


def test_no_children_gives_missing_value_not_zero() -> None:
    row = kpi(make_store([episode("a", "2020-05-01", "S", dec="2020-06-01")]), "placements_3plus")
    assert row["status"] == "x" and pd.isna(row["value"]) and row["denominator"] == 0


def test_first_month_end_needs_twelve_months_of_data() -> None:
    rows = placements.compute(make_store([episode("a", "2020-05-01", "S")]))
    three = rows[rows["indicator_id"] == "placements_3plus"]
    assert min(three["period_end"]) == date(2021, 3, 31)
    long_term = rows[rows["indicator_id"] == "long_term_stability"]
    assert min(long_term.loc[long_term["denominator"].notna(), "period_end"]) == date(2022, 9, 30)
    # earlier covered months have a row without a value (metrics.value_notes says why)
    assert min(long_term["period_end"]) == date(2020, 4, 30)
    assert (long_term.loc[long_term["period_end"] < date(2022, 9, 30), "status"] == "x").all()
    assert max(rows["period_end"]) == YEAR_END


def test_months_after_the_latest_episode_date_are_not_computed() -> None:
    store = make_store([episode("a", "2020-05-01", "S")], data_end="2023-10-14")
    assert max(placements.compute(store)["period_end"]) == date(2023, 10, 31)


def test_overlapping_episode_is_cut_at_the_next_start() -> None:
    eps = [episode("a", "2023-05-01", "S", dec="2023-09-01"), episode("a", "2023-07-01", "P"),
           episode("a", "2023-12-01", "P")]
    assert three_plus(eps) == (1, 1)
    assert kpi(make_store(eps, population={2023: 10000}), "cla_rate")["numerator"] == 1


# --- long-term stability ----------------------------------------------------------------------

def long_term(episodes: Sequence[dict[str, object]], dob: str = "2012-06-01",
              period_end: date = YEAR_END) -> tuple[float, float]:
    children = {str(e["child"]) for e in episodes}
    row = kpi(make_store(episodes, dobs={c: dob for c in children}), "long_term_stability", period_end)
    return row["numerator"], row["denominator"]


@pytest.mark.parametrize(
    ("period_start", "in_denominator"),
    [("2021-09-29", True), ("2021-09-30", True), ("2021-10-01", False)],
)
def test_two_and_a_half_years_boundary(period_start: str, in_denominator: bool) -> None:
    eps = [episode("a", period_start, "S")]
    assert long_term(eps)[1] == (1 if in_denominator else 0)


@pytest.mark.parametrize(
    ("carer_start", "same_carer"),
    [("2022-03-30", True), ("2022-03-31", True), ("2022-04-01", False)],
)
def test_two_years_with_the_same_carer_boundary(carer_start: str, same_carer: bool) -> None:
    eps = [episode("a", "2021-01-01", "S"), episode("a", carer_start, "P")]
    assert long_term(eps) == ((1 if same_carer else 0), 1)


def test_two_and_a_half_years_at_other_month_ends() -> None:
    # 31 August 2023: in care since 28 February 2021 or before, same carer since 31 August 2021
    eps = [episode("a", "2021-02-28", "S"), episode("a", "2021-08-31", "P")]
    assert long_term(eps, period_end=date(2023, 8, 31)) == (1, 1)
    eps = [episode("b", "2021-03-01", "S")]
    assert long_term(eps, period_end=date(2023, 8, 31)) == (0, 0)


@pytest.mark.parametrize(
    ("dob", "under_16"),
    [("2008-03-30", False), ("2008-03-31", False), ("2008-04-01", True)],
)
def test_under_16_boundary(dob: str, under_16: bool) -> None:
    eps = [episode("a", "2020-05-01", "S")]
    assert long_term(eps, dob=dob) == ((1, 1) if under_16 else (0, 0))


def test_legal_status_and_same_carer_changes_do_not_break_the_carer() -> None:
    eps = [episode("a", "2020-05-01", "S"), episode("a", "2022-06-01", "L"),
           episode("a", "2023-01-01", "U"), episode("a", "2023-06-01", "B")]
    assert long_term(eps) == (1, 1)


def test_new_carer_within_two_years_breaks_stability() -> None:
    eps = [episode("a", "2020-05-01", "S"), episode("a", "2023-01-01", "T")]
    assert long_term(eps) == (0, 1)


def test_return_to_care_needs_continuous_care() -> None:
    eps = [episode("a", "2019-05-01", "S", dec="2022-01-01"), episode("a", "2022-02-01", "S")]
    assert long_term(eps) == (0, 0)
    eps = [episode("b", "2020-05-01", "S", dec="2021-05-01"), episode("b", "2021-05-01", "P")]
    assert long_term(eps) == (1, 1)


def test_adoption_placement_and_the_one_before_together_two_years() -> None:
    eps = [episode("a", "2020-05-01", "S"), episode("a", "2023-06-01", "P", place="A4")]
    assert long_term(eps) == (1, 1)


def test_adoption_placement_whose_previous_placement_is_too_recent() -> None:
    eps = [episode("a", "2020-05-01", "S"), episode("a", "2022-06-01", "P"),
           episode("a", "2023-06-01", "P", place="A6")]
    assert long_term(eps) == (0, 1)


def test_previous_placement_only_helps_an_adoption_placement() -> None:
    eps = [episode("a", "2020-05-01", "S"), episode("a", "2023-06-01", "P", place="U1")]
    assert long_term(eps) == (0, 1)


def test_period_starting_under_short_breaks_counts_from_continuous_care() -> None:
    eps = [episode("a", "2019-05-01", "S", ls="V3", dec="2022-01-01"), episode("a", "2022-01-01", "L")]
    assert long_term(eps) == (0, 0)


def test_child_without_a_date_of_birth_is_left_out() -> None:
    store = make_store([episode("a", "2020-05-01", "S")], dobs={"a": ""})
    assert kpi(store, "long_term_stability")["denominator"] == 0


# --- children looked after per 10,000 ---------------------------------------------------------

def test_cla_rate_per_10000_children() -> None:
    eps = [episode(str(i), "2023-05-01", "S") for i in range(3)]
    eps.append(episode("x", "2023-05-01", dec="2024-02-01"))
    row = kpi(make_store(eps, population={2023: 20000}), "cla_rate")
    assert (row["numerator"], row["denominator"]) == (3, 20000)
    assert row["value"] == pytest.approx(1.5)
    assert row["period_type"] == "snapshot" and row["source"] == "SSDA903"


def test_cla_rate_without_population_is_missing() -> None:
    row = kpi(make_store([episode("a", "2023-05-01", "S")]), "cla_rate")
    assert row["status"] == "x" and pd.isna(row["value"])


def test_no_903_tables_gives_no_rows() -> None:
    con = duckdb.connect()
    ensure_schema(con)
    assert placements.compute(Writer(con=con, path=Path(":memory:"))).empty


def test_recompute_scope_limits_month_ends_without_changing_values() -> None:
    eps = [episode("a", "2020-05-01", "S"), episode("a", "2023-06-01", "P"), episode("b", "2023-02-01", "S")]
    store = make_store(eps, dobs={"a": "2012-01-01", "b": "2012-01-01"}, population={2023: 1000})
    everything = placements.compute(store)
    store.execute("insert into recompute_scope (la_code, from_date) values (?, ?)", [LA, date(2024, 1, 1)])
    scoped = placements.compute(store)
    assert set(scoped["period_end"]) == {date(2024, 1, 31), date(2024, 2, 29), YEAR_END}
    expected = everything[everything["period_end"] >= date(2024, 1, 1)]
    key = ["indicator_id", "period_end"]
    pd.testing.assert_frame_equal(scoped.sort_values(key).reset_index(drop=True),
                                  expected.sort_values(key).reset_index(drop=True))
    store.execute("delete from recompute_scope")
    store.execute("insert into recompute_scope (la_code, from_date) values ('930', ?)", [date(2020, 1, 1)])
    assert placements.compute(store).empty
