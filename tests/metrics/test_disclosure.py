"""Small-number suppression: hand-computed rows for every rule, and property tests that no
suppressed count can be recovered from what is shown."""

from __future__ import annotations

from datetime import date

import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from metrics.disclosure import SUPPRESSED, is_small, suppress, suppression_mask

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


def test_ytd_difference_reveals_small_month_so_later_row_is_hidden() -> None:
    # 16 then 18 year to date: the second month had 2
    shown = suppress(rows((MONTHS[0], "ytd", 16, 100), (MONTHS[1], "ytd", 18, 150)))
    assert shown.loc[0, "numerator"] == 16
    assert shown.loc[1, ["numerator", "denominator", "value"]].tolist() == ["c", "c", "c"]


def test_ytd_difference_checked_against_last_shown_row() -> None:
    # 16, 18 (hidden: +2), 19 (+3 from 16 is still small: hidden), 30 (+14: shown)
    shown = suppress(
        rows(
            (MONTHS[0], "ytd", 16, 100),
            (MONTHS[1], "ytd", 18, 150),
            (MONTHS[2], "ytd", 19, 200),
            (MONTHS[3], "ytd", 30, 260),
        )
    )
    assert shown["numerator"].tolist() == [16, "c", "c", 30]


def test_month_with_ytd_hides_cumulative_counts_when_anything_is_hidden() -> None:
    shown = suppress(
        rows(
            (MONTHS[0], "month", 3, 37),
            (MONTHS[1], "month", 20, 40),
            (MONTHS[0], "ytd", 3, 37),
            (MONTHS[1], "ytd", 23, 77),
        )
    )
    ytd = shown[shown["period_type"] == "ytd"]
    assert (ytd[["numerator", "denominator", "value"]] == "c").all(axis=None)
    assert shown.loc[1, "numerator"] == 20


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


@settings(max_examples=60, deadline=None)
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


@settings(max_examples=60, deadline=None)
@given(indicator_exports())
def test_no_small_month_count_is_recoverable_by_differencing_ytd(frame: pd.DataFrame) -> None:
    shown = suppress(frame, THRESHOLD)
    ytd = shown[shown["period_type"] == "ytd"].sort_values("period_end")
    visible = ytd[
        [_shown(n) and _shown(d) for n, d in zip(ytd["numerator"], ytd["denominator"], strict=True)]
    ]
    for (_, earlier), (_, later) in zip(
        visible.iloc[:-1].iterrows(), visible.iloc[1:].iterrows(), strict=True
    ):
        for gap in (
            later["numerator"] - earlier["numerator"],
            later["denominator"] - earlier["denominator"],
            (later["denominator"] - later["numerator"]) - (earlier["denominator"] - earlier["numerator"]),
        ):
            assert not is_small(gap, THRESHOLD)


@settings(max_examples=60, deadline=None)
@given(indicator_exports())
def test_hidden_month_counts_are_not_recoverable_from_shown_ytd(frame: pd.DataFrame) -> None:
    shown = suppress(frame, THRESHOLD)
    months = shown[shown["period_type"] == "month"]
    ytd = shown[shown["period_type"] == "ytd"]
    if months.empty or ytd.empty:
        return
    hidden_any = (shown[["numerator", "denominator", "value"]] == SUPPRESSED).any(axis=None)
    if hidden_any:
        assert (ytd[["numerator", "denominator"]] == SUPPRESSED).all(axis=None)
