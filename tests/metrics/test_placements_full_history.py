"""Long-term stability from one 903 episodes file holding each child's full history (collection
year 2024 only): the years before it are covered where the file's own episodes ended in each of
them, and a month that still lacks 2.5 years of history has no value and says why.
Hand-computed expectations."""

from __future__ import annotations

from datetime import date

import pandas as pd

from loaders.store import Writer
from metrics import placements
from metrics.value_notes import annotate
from tests.metrics.test_placements import YEAR_END, episode, make_store

STAYING = [
    # in care since May 2020 with one carer: in the numerator and the denominator at March 2024
    episode("a", "2020-05-01", "S"),
    # in care since January 2021, new carer January 2023: in the denominator only
    episode("b", "2021-01-01", "S"), episode("b", "2023-01-01", "P"),
]
# children who left care, one in each of the reporting years 2020-21, 2021-22 and 2022-23
LEAVERS = [
    episode("l1", "2020-06-01", "S", dec="2021-02-01"),
    episode("l2", "2021-05-01", "S", dec="2022-01-10"),
    episode("l3", "2022-05-01", "S", dec="2022-12-01"),
]


def long_term_rows(store: Writer) -> pd.DataFrame:
    rows = placements.compute(store)
    return rows[rows["indicator_id"] == "long_term_stability"].set_index("period_end")


def store_of(episodes: list[dict[str, object]]) -> Writer:
    children = {str(e["child"]) for e in episodes}
    return make_store(episodes, dobs={c: "2012-06-01" for c in children}, years=(2024,))


def notes(store: Writer, rows: pd.DataFrame) -> pd.Series:
    """The note of each row once the computed rows are stored as the ingest stores them."""
    stored = rows.reset_index().assign(
        origin="computed", source="SSDA903", source_file=None, batch_id="b", recorded_at=pd.Timestamp.now(),
        version=1,
    )
    store.insert_frame("kpi_history", stored)
    annotated = annotate(store, rows.reset_index().assign(origin="computed"))
    return annotated.set_index("period_end")["note"]


def test_one_full_history_file_gives_values() -> None:
    store = store_of(STAYING + LEAVERS)
    try:
        rows = long_term_rows(store)
    finally:
        store.con.close()
    # covered April 2020 to March 2024: the 30th month is September 2022 (0 of 0 until "a" has
    # been in care 2.5 years at the end of November 2022)
    assert min(rows[rows["denominator"].notna()].index) == date(2022, 9, 30)
    assert min(rows[rows["value"].notna()].index) == date(2022, 11, 30)
    assert (rows.loc[YEAR_END, "numerator"], rows.loc[YEAR_END, "denominator"]) == (1, 2)
    assert rows.loc[YEAR_END, "value"] == 50.0
    # the month before has no value (29 months of history)
    before = rows.loc[date(2022, 8, 31)]
    assert before["status"] == "x" and pd.isna(before["denominator"]) and pd.isna(before["value"])


def test_a_year_without_a_leaver_ends_the_history_and_says_why() -> None:
    # nobody left care in 2021-22: the file shows only 2022-23 (l3) back from 2024, so April 2022 on
    store = store_of(STAYING + [LEAVERS[0], LEAVERS[2]])
    try:
        rows = long_term_rows(store)
        assert min(rows.index) == date(2022, 4, 30)
        assert rows["value"].isna().all() and (rows["status"] == "x").all()
        written = notes(store, rows)
    finally:
        store.con.close()
    assert written[YEAR_END] == (
        "No value: long-term stability needs 2.5 years (30 months) of history before the month end, "
        "since a child counts after 2.5 years in care, and the 903 records cover this LA without a "
        "gap only from April 2022."
    )


def test_zero_denominator_month_has_no_history_note() -> None:
    # covered from April 2020 (leavers) but nobody in care 2.5 years at March 2024: 0 of 0, no note
    store = store_of([episode("c", "2023-01-01", "S"), *LEAVERS])
    try:
        rows = long_term_rows(store)
        assert rows.loc[YEAR_END, "denominator"] == 0 and rows.loc[YEAR_END, "status"] == "x"
        written = notes(store, rows)
    finally:
        store.con.close()
    assert written[YEAR_END] == ""
    assert written[date(2022, 8, 31)].endswith("only from April 2020.")
