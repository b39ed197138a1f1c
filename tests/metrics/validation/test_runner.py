"""The runner: findings per rule, LA and year, with counts and month ranges, and nothing identifying."""

from __future__ import annotations

import dataclasses
from datetime import date

import pandas as pd

from loaders.store import Writer
from metrics import validation
from metrics.validation import all_rules, findings_for_la, rule_catalogue, run
from tests.metrics.validation.cases_903 import ep
from tests.metrics.validation.conftest import LA, kpi_months, load

BROKEN_148 = [ep("2023-05-01", "2023-06-15", rec="", child="CHILD-SECRET-1"),
              ep("2023-08-01", "2023-09-15", rec="", child="CHILD-SECRET-1"),
              ep("2023-05-01", rec="E11", child="CHILD-SECRET-2")]


def _rule(code: str) -> validation.ValidationRule:
    return next(r for r in all_rules() if r.code == code and r.return_name == "ssda903")


def test_findings_count_rows_and_children_with_month_range(store: Writer) -> None:
    load(store, BROKEN_148)
    assert run(store, [_rule("148")]) == 1
    found = findings_for_la(store, LA)
    row = found.iloc[0]
    assert (row["rule_code"], row["collection_year"], row["rows"], row["children"]) == ("148", 2024, 3, 2)
    assert row["first_row"] == 2
    assert row["first_month"] == pd.Timestamp("2023-05-31")
    assert row["last_month"] == pd.Timestamp("2024-03-31")  # the open episode runs to the year end
    assert list(row["indicators"]) == ["placements_3plus", "long_term_stability", "cla_rate"]


def test_finding_months_follow_each_indicator_reach(store: Writer) -> None:
    load(store, [ep("2023-05-01", "2023-06-15", rec="")])
    months = [date(2023, 4, 30), date(2023, 5, 31), date(2023, 6, 30), date(2023, 7, 31),
              date(2024, 6, 30), date(2024, 7, 31)]
    kpi_months(store, "cla_rate", months)
    kpi_months(store, "placements_3plus", months)
    run(store, [_rule("148")])
    got = store.query("select indicator_id, month_end, rows, children from validation_finding_months "
                      "order by indicator_id, month_end")
    cla = got[got["indicator_id"] == "cla_rate"]["month_end"].dt.date.tolist()
    placements = got[got["indicator_id"] == "placements_3plus"]["month_end"].dt.date.tolist()
    assert cla == [date(2023, 5, 31), date(2023, 6, 30)]
    # counted in the 12 months to each snapshot: up to June 2024, not July
    assert placements == [date(2023, 5, 31), date(2023, 6, 30), date(2023, 7, 31), date(2024, 6, 30)]
    assert set(got["rows"]) == {1} and set(got["children"]) == {1}


def test_findings_never_carry_ids_dates_or_postcodes(store: Writer) -> None:
    load(store, BROKEN_148)
    kpi_months(store, "cla_rate", [date(2023, 5, 31)])
    run(store)
    for table in ("validation_findings", "validation_finding_months"):
        text = store.query(f"select * from {table}").astype(str).to_string()
        assert "SECRET" not in text
        for day in ("2023-05-01", "2023-06-15", "2023-08-01", "2023-09-15", "01/05/2023"):
            assert day not in text
    columns = set(store.query("select * from validation_findings limit 0").columns)
    assert not columns & {"child", "child_key", "dob", "decom", "dec", "postcode", "home_post"}


def test_a_file_is_checked_against_its_own_years_rules(store: Writer) -> None:
    later = dataclasses.replace(_rule("148"), first_year=2025, last_year=2027)
    load(store, [ep("2023-05-01", "2023-06-15", rec=""),
                 ep("2024-05-01", "2024-06-15", rec="", year=2025),
                 ep("2021-05-01", "2021-06-15", rec="", year=2022)])
    run(store, [later])
    assert findings_for_la(store, LA)["collection_year"].tolist() == [2025]
    run(store, [_rule("148")])  # the 2022/23 to 2026/27 sets: a 2021/22 file has no rule set here
    assert findings_for_la(store, LA)["collection_year"].tolist() == [2024, 2025]


def test_each_run_replaces_the_findings(store: Writer) -> None:
    load(store, BROKEN_148)
    run(store)
    store.execute("delete from ssda903_episodes")
    assert run(store) == 0
    assert findings_for_la(store, LA).empty


def test_catalogue_lists_every_rule_with_wording_and_severity() -> None:
    catalogue = rule_catalogue()
    assert {"148", "433", "501"} <= set(catalogue["code"])
    assert set(catalogue["severity"]) <= {"error", "query"}
    assert catalogue["message"].str.len().min() > 10  # the shortest DfE wording: "Gender is missing"


def test_findings_for_every_la(store: Writer) -> None:
    load(store, BROKEN_148 + [ep("2023-05-01", "2023-06-15", rec="", la_code="930")])
    run(store, [_rule("148")])
    assert findings_for_la(store, None)["la_code"].tolist() == [LA, "930"]
    assert findings_for_la(store, "930")["rows"].tolist() == [1]
