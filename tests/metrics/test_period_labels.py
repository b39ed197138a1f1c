"""Years and periods in words (metrics.formatting), the one place pages, report and export use."""

from __future__ import annotations

from datetime import date

import pytest

from metrics.formatting import MISSING, period_label, published_year_label, published_years_label
from reports import formatting as report_formatting

NOVEMBER = date(2026, 11, 30)


@pytest.mark.parametrize(
    ("year", "indicator_id", "expected"),
    [
        (2024, "repeat_cp_plans", "2023/24"),  # 1 April 2023 to 31 March 2024
        (2025, "sw_agency_rate", "30 Sep 2025"),  # the census date, not 2024/25
        (2025, "sw_turnover_rate", "30 Sep 2025"),
        (2025, "caseload_average", "30 Sep 2025"),
        (2025, "a_local_indicator", "2024/25"),  # not in the catalogue: a reporting year
        (2025, None, "2024/25"),
        (None, "sw_agency_rate", MISSING),
    ],
)
def test_published_year_label(year: int | None, indicator_id: str | None, expected: str) -> None:
    assert published_year_label(year, indicator_id) == expected


def test_published_years_label_for_a_direction() -> None:
    assert published_years_label(2024, "repeat_cp_plans") == "2022/23 to 2023/24"
    assert published_years_label(2025, "sw_vacancy_rate") == "30 Sep 2024 to 30 Sep 2025"
    assert published_years_label(float("nan"), "sw_vacancy_rate") == MISSING


@pytest.mark.parametrize(
    ("period_type", "indicator_id", "expected"),
    [
        ("year", "sw_agency_rate", "Nov 2026 (at month end)"),  # a position, not "(year)"
        ("year", "sw_vacancy_rate", "Nov 2026 (at month end)"),
        ("year", "sw_turnover_rate", "Nov 2026 (12 months to month end)"),  # leavers over a year
        ("snapshot", "caseload_average", "Nov 2026 (at month end)"),
        ("rolling_12m", "repeat_cp_plans", "Nov 2026 (rolling 12 months)"),
        ("year", "repeat_cp_plans", "Nov 2026 (year)"),  # not a workforce figure: unchanged
        ("year", None, "Nov 2026 (year)"),
    ],
)
def test_period_label(period_type: str, indicator_id: str | None, expected: str) -> None:
    assert period_label(NOVEMBER, period_type, indicator_id) == expected


def test_the_report_words_the_same() -> None:
    assert report_formatting.period(NOVEMBER, "year", "sw_agency_rate") == "Nov 2026 (at month end)"
    assert report_formatting.published_year(2024, "sw_agency_rate") == "30 Sep 2024"
