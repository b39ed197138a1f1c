"""Working days: the DfE counts the working days after the start date up to and including the end."""

from __future__ import annotations

from datetime import date

import duckdb
import numpy as np
import pytest

from metrics.working_days import CALENDAR_SQL, calendar, calendar_parameters, working_days_between


@pytest.mark.parametrize(
    ("start", "end", "expected", "why"),
    [
        (date(2023, 6, 5), date(2023, 6, 12), 5, "Monday to next Monday"),
        (date(2023, 6, 5), date(2023, 6, 5), 0, "same day"),
        (date(2023, 6, 9), date(2023, 6, 12), 1, "Friday to Monday"),
        (date(2023, 6, 3), date(2023, 6, 9), 5, "Saturday (a strategy discussion can be on one) to Friday"),
        (date(2020, 12, 24), date(2020, 12, 29), 1, "25 Dec Fri, 28 Dec Boxing Day substitute"),
        (date(2021, 12, 24), date(2021, 12, 29), 1, "27 and 28 Dec 2021 substitutes for a weekend Christmas"),
        (date(2021, 12, 31), date(2022, 1, 4), 1, "3 Jan 2022 substitute for New Year's Day"),
        (date(2023, 4, 6), date(2023, 4, 11), 1, "Good Friday and Easter Monday 2023"),
        (date(2022, 9, 16), date(2022, 9, 20), 1, "State Funeral 19 Sep 2022"),
        (date(2023, 12, 22), date(2024, 1, 2), 4, "27, 28, 29 Dec and 2 Jan are working days"),
    ],
)
def test_working_days_between(start: date, end: date, expected: int, why: str) -> None:
    assert working_days_between(start, end) == expected, why


def test_end_before_start_is_negative() -> None:
    assert working_days_between(date(2023, 6, 12), date(2023, 6, 5)) == -5


def test_calendar_matches_numpy_business_days_with_the_same_holidays() -> None:
    first, last = date(2019, 1, 1), date(2024, 12, 31)
    days = calendar(first, last).set_index("day")["working_day_index"]
    holidays = np.array(calendar_parameters(first, last)["bank_holidays"], dtype="datetime64[D]")
    for start, end in [(date(2019, 3, 1), date(2019, 5, 20)), (date(2020, 12, 1), date(2021, 1, 15))]:
        by_numpy = np.busday_count(
            np.datetime64(start, "D") + 1, np.datetime64(end, "D") + 1, holidays=holidays
        )
        assert days[end] - days[start] == by_numpy == working_days_between(start, end)


def test_sql_calendar_equals_python_calendar() -> None:
    first, last = date(2020, 11, 1), date(2023, 5, 31)
    con = duckdb.connect()
    from_sql = con.execute(CALENDAR_SQL + " order by day", calendar_parameters(first, last)).df()
    from_python = calendar(first, last)
    assert len(from_sql) == len(from_python)
    assert list(from_sql["working_day_index"]) == list(from_python["working_day_index"])
