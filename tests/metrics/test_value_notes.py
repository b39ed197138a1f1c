"""Notes beside KPI values: a rate's denominator source and where it changes, and why repeat CP
plans within 2 years has no value (hand-made stores, hand-computed expectations)."""

from __future__ import annotations

from datetime import date

import pandas as pd

from metrics import child_protection
from metrics.value_notes import annotate
from tests.fixtures.cin.builders import cin_store, tables
from tests.metrics.test_child_protection import plan


def kpi_rows(rows: list[tuple[str, date, str]]) -> pd.DataFrame:
    return pd.DataFrame(
        [
            {"la_code": "201", "indicator_id": indicator, "period_end": end, "period_type": period_type,
             "origin": "computed", "status": "", "value": 1.0}
            for indicator, end, period_type in rows
        ]
    )


def test_rate_denominator_source_and_a_note_where_it_changes() -> None:
    store = cin_store(tables())
    store.execute(
        "insert into population_estimates values ('201', 2022, 40000, 'published_ons', 'ons.csv'), "
        "('201', 2023, 52000, 'generated', 'ons_synthetic.csv'), "
        "('201', 2023, 51000, 'la_ons', 'own.csv'), ('201', 2024, 53000, 'generated', 'ons_synthetic.csv')"
    )
    # population as the loader's precedence leaves it: 2023 from the LA's own file
    store.execute(
        "insert into population values ('201', 2022, 40000, 'ons.csv'), ('201', 2023, 51000, 'own.csv'), "
        "('201', 2024, 53000, 'ons_synthetic.csv')"
    )
    table = kpi_rows(
        [("cin_rate", date(2023, 5, 31), "snapshot"), ("cin_rate", date(2023, 6, 30), "snapshot"),
         ("cin_rate", date(2024, 5, 31), "snapshot"), ("cin_rate", date(2024, 7, 31), "snapshot"),
         ("re_referrals", date(2024, 7, 31), "month")]
    )
    annotated = annotate(store, table)
    assert annotated["denominator_source"].tolist() == [
        "published ONS mid-year estimates, mid-2022",
        "LA's ONS mid-year file, mid-2023",
        "LA's ONS mid-year file, mid-2023",
        "generated (synthetic) estimates, mid-2024",
        "",
    ]
    assert annotated["note"].tolist() == [
        "",
        "The denominator changes source here, from published ONS mid-year estimates to LA's ONS "
        "mid-year file: values either side are not comparable.",
        "",
        "The denominator changes source here, from LA's ONS mid-year file to generated (synthetic) "
        "estimates: values either side are not comparable.",
        "",
    ]


def test_within_2_years_without_a_covered_look_back_says_why() -> None:
    store = cin_store(
        tables(
            [("201", date(2022, 3, 31)), ("201", date(2023, 3, 31))],
            cp_plans=[plan("A", date(2022, 1, 1), end=date(2022, 6, 1)), plan("A", date(2023, 3, 10))],
        )
    )
    computed = child_protection.compute(store)
    rows = computed[computed["indicator_id"] == "repeat_cp_plans_within_2_years"].assign(origin="computed")
    annotated = annotate(store, rows.reset_index(drop=True))
    march = annotated[(annotated["period_end"] == date(2023, 3, 31)) & (annotated["period_type"] == "month")]
    assert march["note"].tolist() == [
        "No value: a previous plan that ended within 2 years could be before the data, since this "
        "period's 2-year look-back starts 24 months before its last month and the loaded CIN "
        "censuses reach back without a gap only to April 2021."
    ]
    assert (annotated["status"] == "x").all() and (annotated["note"] != "").all()
