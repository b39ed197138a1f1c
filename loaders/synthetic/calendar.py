"""Dates for the generator: day numbers, working days, reporting years and month ends."""

from __future__ import annotations

from datetime import date, timedelta
from functools import lru_cache

import holidays
import numpy as np


def day(value: date) -> int:
    return value.toordinal()


def as_date(number: int) -> date:
    return date.fromordinal(number)


def last_complete_month_end(today: date) -> date:
    """The end of the month before `today`'s month."""
    return today.replace(day=1) - timedelta(days=1)


def month_end(value: date) -> date:
    following = date(value.year + value.month // 12, value.month % 12 + 1, 1)
    return following - timedelta(days=1)


def month_ends(first: date, last: date) -> list[date]:
    ends = []
    current = month_end(first)
    while current <= last:
        ends.append(current)
        current = month_end(current + timedelta(days=1))
    return ends


def years_before(end: date, years: int) -> date:
    """The day after the same date `years` years before `end` (the window's first day)."""
    try:
        earlier = end.replace(year=end.year - years)
    except ValueError:  # 29 February
        earlier = end.replace(year=end.year - years, day=28)
    return earlier + timedelta(days=1)


def reporting_year_start(value: date) -> int:
    """The calendar year in which the reporting year (1 April - 31 March) containing `value` starts."""
    return value.year if value.month >= 4 else value.year - 1


def birthday(dob: int, age: int) -> int:
    born = as_date(dob)
    try:
        return day(born.replace(year=born.year + age))
    except ValueError:
        return day(date(born.year + age, 3, 1))


@lru_cache(maxsize=8)
def _holidays(first_year: int, last_year: int) -> np.ndarray:
    days = holidays.UnitedKingdom(subdiv="ENG", years=range(first_year, last_year + 1))
    return np.array(sorted(days.keys()), dtype="datetime64[D]")


class WorkingDays:
    """England working days from 1 January `first_year` to 31 December `last_year`."""

    def __init__(self, first_year: int, last_year: int) -> None:
        self.first = date(first_year, 1, 1).toordinal()
        last = date(last_year, 12, 31).toordinal()
        bank = set(_holidays(first_year, last_year).astype("datetime64[D]").tolist())
        self.working: list[int] = []
        self.count_to: list[int] = []  # working days on or before each day, from self.first
        for number in range(self.first, last + 1):
            value = date.fromordinal(number)
            if value.weekday() < 5 and value not in bank:
                self.working.append(number)
            self.count_to.append(len(self.working))

    def add(self, start: int, working_days: int) -> int:
        """The day `working_days` working days after `start` (a non-working start counts from the
        working day before it, as the DfE counts from a weekend strategy discussion)."""
        position = self.count_to[start - self.first] - 1 + working_days
        return self.working[min(position, len(self.working) - 1)]
