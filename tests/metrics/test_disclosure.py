"""Small-number suppression: hand-computed rows for every rule, and property tests that no
suppressed count can be recovered from what is shown."""

from __future__ import annotations

from datetime import date

import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from metrics.disclosure import SUPPRESSED, is_small, suppress, suppress_rows, suppression_mask
from tests.metrics.subtraction_attack import Run, attack, recovered_small, run_of

MONTHS = [date(2024, 4, 30), date(2024, 5, 31), date(2024, 6, 30), date(2024, 7, 31)]


def rows(*items: tuple) -> pd.DataFrame:
    """(period_end, period_type, numerator, denominator) -> export-like rows of one indicator."""
    frame = pd.DataFrame(items, columns=["period_end", "period_type", "numerator", "denominator"])
    frame["value"] = frame["numerator"] / frame["denominator"] * 100
    return frame.assign(la_code="929", indicator_id="repeat_cp_plans", status="", unit="%")


def test_small_is_one_to_threshold_minus_one() -> None:
    assert [is_small(x, 5) for x in (0, 1, 4, 5, None, float("nan"))] == [
        False,
        True,
        True,
        False,
        False,
        False,
    ]


def test_small_numerator_hides_numerator_and_value_only() -> None:
    shown = suppress(rows((MONTHS[0], "month", 3, 37)))
    assert shown.loc[0, ["numerator", "value", "status"]].tolist() == ["c", "c", "c"]
    assert shown.loc[0, "denominator"] == 37


def test_zero_is_shown() -> None:
    shown = suppress(rows((MONTHS[0], "month", 0, 37)))
    assert shown.loc[0, "numerator"] == 0 and shown.loc[0, "value"] == 0


def test_small_complement_hides_numerator() -> None:
    # 95 of 97 care leavers in touch reveals 2 not in touch
    shown = suppress(rows((MONTHS[0], "month", 95, 97)))
    assert shown.loc[0, "numerator"] == SUPPRESSED and shown.loc[0, "value"] == SUPPRESSED
    assert shown.loc[0, "denominator"] == 97


def test_small_denominator_hides_everything() -> None:
    shown = suppress(rows((MONTHS[0], "month", 0, 4)))
    assert shown.loc[0, ["numerator", "denominator", "value"]].tolist() == ["c", "c", "c"]


def test_threshold_is_a_parameter() -> None:
    assert suppress(rows((MONTHS[0], "month", 7, 40)), threshold=10).loc[0, "numerator"] == "c"
    assert suppress(rows((MONTHS[0], "month", 7, 40)), threshold=5).loc[0, "numerator"] == 7


def test_percentage_without_numerator_is_judged_on_its_implied_count() -> None:
    frame = rows((MONTHS[0], "month", 3, 40))
    frame["numerator"] = None
    shown = suppress(frame)
    assert shown.loc[0, "value"] == "c"


def test_ytd_difference_reveals_small_month_so_the_smaller_row_is_hidden() -> None:
    # 16 then 18 year to date: the second month had 2; hiding the 16 is enough (18 alone is the
    # April-May total), and the smaller count goes
    shown = suppress(rows((MONTHS[0], "ytd", 16, 100), (MONTHS[1], "ytd", 18, 150)))
    assert shown["numerator"].tolist() == ["c", 18]
    assert shown["value"].tolist()[0] == "c"
    assert shown["denominator"].tolist() == [100, 150]  # 50 and complements 84, 132: nothing small
    assert suppression_mask(rows((MONTHS[0], "ytd", 16, 100), (MONTHS[1], "ytd", 18, 150)))[
        "numerator"
    ].tolist() == ["complementary", ""]


def test_ytd_runs_are_protected_not_only_consecutive_months() -> None:
    # 16, 18, 19, 30: May 2, June 1 and May-June 3 are small. The smallest first: hiding 16 still
    # leaves 19 - 18 = June's 1, so 18 goes too; 19 and 30 give only July's 11 (and April-June 19).
    frame = rows(
        (MONTHS[0], "ytd", 16, 100),
        (MONTHS[1], "ytd", 18, 150),
        (MONTHS[2], "ytd", 19, 200),
        (MONTHS[3], "ytd", 30, 260),
    )
    shown = suppress(frame)
    assert shown["numerator"].tolist() == ["c", "c", 19, 30]
    assert suppression_mask(frame)["numerator"].tolist() == ["complementary", "complementary", "", ""]


def test_month_with_ytd_hides_only_what_the_subtraction_needs() -> None:
    # April 3 is small (month and ytd); ytd May 23 - month May 20 gives April back, so one of them
    # goes: the smaller, month May. The rest of the ytd series stays.
    shown = suppress(
        rows(
            (MONTHS[0], "month", 3, 37),
            (MONTHS[1], "month", 20, 40),
            (MONTHS[0], "ytd", 3, 37),
            (MONTHS[1], "ytd", 23, 77),
        )
    )
    assert shown["numerator"].tolist() == ["c", "c", "c", 23]
    assert shown["denominator"].tolist() == [37, 40, 37, 77]


def test_complement_by_subtraction_across_rows_is_protected() -> None:
    # numerators 10 and 12 (May 2: small); denominators 40 and 80 (May 40); complement May 38
    frame = rows((MONTHS[0], "ytd", 10, 40), (MONTHS[1], "ytd", 12, 80), (MONTHS[1], "month", 2, 40))
    shown = suppress(frame)
    assert shown["numerator"].tolist() == ["c", 12, "c"]


def test_count_typed_into_a_workbook_is_suppressed() -> None:
    frame = rows((MONTHS[0], "month", None, None), (MONTHS[1], "month", None, None))
    frame["value"] = [3.0, 12.0]
    frame["unit"] = "number"
    shown = suppress(frame)
    assert shown["value"].tolist() == ["c", 12.0]
    assert shown["status"].tolist() == ["c", ""]


def test_rolling_window_difference_with_an_old_month_is_protected() -> None:
    # rolling Apr 2025 - rolling Mar 2025 = Apr 2025 - Apr 2024; with month Apr 2024 (20) shown,
    # month Apr 2025 (3) comes back unless something more is hidden
    apr24, mar25, apr25 = date(2024, 4, 30), date(2025, 3, 31), date(2025, 4, 30)
    frame = rows(
        (apr24, "month", 20, 60),
        (mar25, "rolling_12m", 100, 700),
        (apr25, "rolling_12m", 83, 690),
        (apr25, "month", 3, 50),
    )
    shown = suppress(frame)
    assert shown.loc[3, "numerator"] == "c"
    assert "c" in shown.loc[[0, 1, 2], "numerator"].tolist()


def test_nothing_small_changes_nothing() -> None:
    frame = rows((MONTHS[0], "month", 10, 40), (MONTHS[1], "month", 12, 45))
    shown = suppress(frame)
    assert shown["numerator"].tolist() == [10, 12]
    assert not suppression_mask(frame).any(axis=None)


def test_values_without_counts_pass_through() -> None:
    frame = rows((MONTHS[0], "snapshot", None, None))
    frame["value"] = 17.4
    frame["unit"] = "number"
    assert suppress(frame).loc[0, "value"] == 17.4


# -- Properties --------------------------------------------------------------------------------

THRESHOLD = 5
count_pairs = st.tuples(st.integers(0, 30), st.integers(0, 30)).map(lambda p: (min(p), max(p)))


@st.composite
def indicator_exports(draw: st.DrawFn) -> pd.DataFrame:
    """Month rows and their year-to-date sums for up to 6 months, as a random subset of types."""
    months = draw(st.lists(count_pairs, min_size=1, max_size=6))
    types = draw(st.sampled_from([("month",), ("ytd",), ("month", "ytd")]))
    items = []
    ytd_n = ytd_d = 0
    for number, (n, d) in enumerate(months):
        end = pd.Timestamp(2024, 4 + number, 1) + pd.offsets.MonthEnd(0)
        ytd_n, ytd_d = ytd_n + n, ytd_d + d
        if "month" in types:
            items.append((end.date(), "month", n, d))
        if "ytd" in types:
            items.append((end.date(), "ytd", ytd_n, ytd_d))
    frame = rows(*items)
    frame["value"] = frame["value"].where(frame["denominator"] > 0)
    return frame


def _shown(value: object) -> bool:
    return value != SUPPRESSED and not pd.isna(value)


@settings(max_examples=15, deadline=None)
@given(indicator_exports())
def test_no_small_count_is_shown_or_derivable_within_a_row(frame: pd.DataFrame) -> None:
    shown = suppress(frame, THRESHOLD)
    for row in shown.itertuples():
        n_shown, d_shown, v_shown = _shown(row.numerator), _shown(row.denominator), _shown(row.value)
        if n_shown:
            assert not is_small(row.numerator, THRESHOLD)
        if d_shown:
            assert not is_small(row.denominator, THRESHOLD)
        if n_shown and d_shown:
            assert not is_small(row.denominator - row.numerator, THRESHOLD)
        if v_shown and d_shown and not n_shown:
            raise AssertionError("value and denominator shown give the hidden numerator back")
        if v_shown and n_shown and not d_shown and row.value:
            raise AssertionError("value and numerator shown give the hidden denominator back")


# -- The subtraction attack over several exports ---------------------------------------------

FIRST_ATOM = date(2023, 5, 31)  # a year of months before the rows, so rolling windows are whole


@st.composite
def kpi_tables(draw: st.DrawFn) -> tuple[pd.DataFrame, dict[Run, float]]:
    """Two indicators' month, ytd and rolling 12-month rows built from the same monthly counts
    (ytd and rolling are exact sums, the attacker's best case), and the true count of every run."""
    rows_out, truth = [], {}
    for indicator in ("a", "b"):
        length = draw(st.integers(1, 3))  # months with ytd / rolling rows, from April 2024
        atoms = 11 + length
        numerators = draw(st.lists(st.integers(0, 9), min_size=atoms, max_size=atoms))
        complements = draw(st.lists(st.integers(0, 12), min_size=atoms, max_size=atoms))
        first_month_row = draw(st.integers(0, atoms - 1))
        types = draw(st.sets(st.sampled_from(["month", "ytd", "rolling_12m"]), min_size=1))
        base = FIRST_ATOM.year * 12 + FIRST_ATOM.month - 1
        for first in range(atoms):
            for last in range(first, min(atoms, first + 12)):
                n = sum(numerators[first : last + 1])
                c = sum(complements[first : last + 1])
                for kind, count in (("N", n), ("C", c), ("D", n + c)):
                    truth[(indicator, kind, base + first, base + last)] = count
        for i in range(atoms):
            month = base + i
            end = (pd.Timestamp(month // 12, month % 12 + 1, 1) + pd.offsets.MonthEnd(0)).date()
            for period_type in types:
                if period_type == "month" and i < first_month_row:
                    continue
                if period_type != "month" and i < 11:
                    continue
                a, b = run_of(period_type, month)
                n = sum(numerators[a - base : b - base + 1])
                d = n + sum(complements[a - base : b - base + 1])
                rows_out.append((indicator, end, period_type, n, d))
    columns = ["indicator_id", "period_end", "period_type", "numerator", "denominator"]
    frame = pd.DataFrame(rows_out, columns=columns)
    frame["value"] = (frame["numerator"] / frame["denominator"] * 100).where(frame["denominator"] > 0)
    return frame.assign(la_code="929", status="", unit="%"), truth


@st.composite
def export_filters(draw: st.DrawFn, frame: pd.DataFrame) -> list[pd.Series]:
    """Up to 4 exports: each a period type (or all), a month range and an indicator (or all)."""
    ends = sorted(frame["period_end"].unique())
    chosen = []
    for _ in range(draw(st.integers(1, 4))):
        kind = draw(st.sampled_from([None, "month", "ytd", "rolling_12m"]))
        start, stop = sorted(draw(st.lists(st.sampled_from(ends), min_size=2, max_size=2)))
        indicator = draw(st.sampled_from([None, "a", "b"]))
        keep = frame["period_end"].between(start, stop)
        if kind:
            keep &= frame["period_type"] == kind
        if indicator:
            keep &= frame["indicator_id"] == indicator
        chosen.append(keep)
    return chosen


def shown_cells(exported: pd.DataFrame) -> list[tuple[str, str, int, str, float]]:
    cells = []
    for row in exported.itertuples():
        month = row.period_end.year * 12 + row.period_end.month - 1
        for kind, value in (("N", row.numerator), ("D", row.denominator)):
            if _shown(value):
                cells.append((row.indicator_id, row.period_type, month, kind, float(value)))
    return cells


@settings(max_examples=8, deadline=None)
@given(st.data())
def test_no_combination_of_exports_gives_a_small_count_back(data: st.DataObject) -> None:
    frame, truth = data.draw(kpi_tables())
    everything = suppress(frame, THRESHOLD)
    cells = []
    for keep in data.draw(export_filters(frame)):
        exported, _ = suppress_rows(frame, frame[keep], THRESHOLD)
        # the same cells hidden whatever the filter: the export is the full table's rows
        pd.testing.assert_frame_equal(exported, everything[keep])
        cells.extend(shown_cells(exported))
    assert recovered_small(attack(cells), truth, THRESHOLD) == set()


@settings(max_examples=8, deadline=None)
@given(kpi_tables())
def test_the_whole_table_suppressed_gives_no_small_count_back(table: tuple) -> None:
    frame, truth = table
    assert recovered_small(attack(shown_cells(suppress(frame, THRESHOLD))), truth, THRESHOLD) == set()


def test_the_attacker_finds_what_per_export_suppression_gave_away() -> None:
    # the attack itself works: with nothing hidden, ytd May - ytd April gives May's 2 back
    frame = rows((MONTHS[0], "ytd", 16, 100), (MONTHS[1], "ytd", 18, 150))
    truth = {("repeat_cp_plans", "N", 2024 * 12 + 4, 2024 * 12 + 4): 2.0}  # May 2024
    assert recovered_small(attack(shown_cells(frame)), truth, THRESHOLD) == set(truth)
