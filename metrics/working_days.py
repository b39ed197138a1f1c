"""Working days in England: weekdays that are not England bank holidays.

The DfE measures assessment and ICPC timeliness in working days "between" two dates (CIN census
data guidance, tables C2 and C4: "the time in working days between the assessment start date and
the assessment end date"; C2 has a "started and finished the same day" band, so the same day is 0):
the working days after the start date up to and including the end date. An assessment started on a Monday
and authorised the next Monday took 5 working days; one started and authorised the same day took
0 (the DfE's "same day" band); a section 47 enquiry starting on a Saturday (the guide allows a
non-working day) and an ICPC on the following Friday took 5.

SQL measures do not call Python per row: they join a calendar of (day, working_day_index) where
the index counts the working days on or before the day, so a duration is an index difference.
Bank holidays come from the `holidays` package (England, including substitute days and one-off
holidays such as the 2022 State Funeral).
"""

from __future__ import annotations

from datetime import date, timedelta
from functools import lru_cache

import holidays
import numpy as np
import pandas as pd


@lru_cache(maxsize=64)
def _bank_holidays(first_year: int, last_year: int) -> frozenset[date]:
    days = holidays.UnitedKingdom(subdiv="ENG", years=range(first_year, last_year + 1))
    return frozenset(days.keys())


def bank_holidays(first: date, last: date) -> list[date]:
    """England bank holidays (and substitute days) from `first` to `last`, sorted."""
    return sorted(d for d in _bank_holidays(first.year, last.year) if first <= d <= last)


def is_working_day(day: date) -> bool:
    return day.weekday() < 5 and day not in _bank_holidays(day.year, day.year)


def working_days_between(start: date, end: date) -> int:
    """Working days after `start` up to and including `end` (negative when end is before start)."""
    if end < start:
        return -working_days_between(end, start)
    count = 0
    day = start + timedelta(days=1)
    while day <= end:
        count += is_working_day(day)
        day += timedelta(days=1)
    return count


def calendar(first: date, last: date) -> pd.DataFrame:
    """One row per day from `first` to `last`: day, working_day_index (working days on or before it)."""
    days = pd.date_range(first, last, freq="D")
    holiday_set = set(bank_holidays(first, last))
    working = np.array([d.weekday() < 5 and d.date() not in holiday_set for d in days], dtype=np.int64)
    return pd.DataFrame({"day": days.date, "working_day_index": np.cumsum(working)})


# A calendar as a SQL query (parameters $first_day, $last_day, $bank_holidays), so measures can
# join it as a CTE on any store, read-only or not.
CALENDAR_SQL = """
select
    day::date as day,
    sum((isodow(day) < 6 and h.holiday is null)::integer) over (order by day) as working_day_index
from range($first_day::timestamp, $last_day::timestamp + interval 1 day, interval 1 day) t(day)
left join (select distinct unnest($bank_holidays::date[]) as holiday) h on h.holiday = day::date
"""


def calendar_parameters(first: date, last: date) -> dict[str, object]:
    """Parameters for CALENDAR_SQL covering `first` to `last`."""
    return {"first_day": first, "last_day": last, "bank_holidays": bank_holidays(first, last)}
