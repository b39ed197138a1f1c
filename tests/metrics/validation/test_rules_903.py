"""Every implemented 903 rule flags its breaking records and passes the others (cases_903)."""

from __future__ import annotations

import pytest

from loaders.store import Writer
from metrics.validation import ValidationRule, all_rules, flagged_rows
from tests.metrics.validation.cases_903 import CASES, LEAVER, ep, hd, oc
from tests.metrics.validation.conftest import load, one_rule


def _rule(code: str, year: int = 2024) -> ValidationRule:
    return one_rule("ssda903", code, year)


@pytest.mark.parametrize(("code", "description", "tables", "expected"), CASES,
                         ids=[f"{c[0]}-{c[1]}" for c in CASES])
def test_rule(store: Writer, code: str, description: str, tables: dict, expected: list[int]) -> None:
    load(store, **tables)
    sent = tables.get("sent", {})
    years = {row.get("year", 2024) for name, rows in tables.items()
             if name not in ("coverage", "sent") for row in rows} | set(sent)
    flagged = flagged_rows(store, _rule(code, max(years)))
    assert flagged["source_row"].tolist() == expected


def test_every_903_rule_has_a_breaking_and_a_passing_case() -> None:
    codes = {r.code for r in all_rules() if r.return_name == "ssda903"}
    breaking = {c[0] for c in CASES if c[3]}
    passing = {c[0] for c in CASES if not c[3]}
    assert codes <= breaking, sorted(codes - breaking)
    assert codes <= passing, sorted(codes - passing)


def test_postcodes_of_two_loads_are_not_compared(store: Writer) -> None:
    """A postcode's hash is keyed for its own load (loaders/pseudonyms.py): an episode and the one
    before it from an earlier load of the same year's file cannot be told apart or alike by
    postcode, so 434 does not flag a postcode that only looks changed."""
    load(store, episodes=[ep("2023-05-01", "2023-06-01", rec="X1", pl_post="ZZ99 1AA", batch="b1"),
                          ep("2023-06-01", rne="L", ls="C1", pl_post="ZZ99 2BB", batch="b2")])
    assert flagged_rows(store, _rule("434"))["source_row"].tolist() == []


def test_1001_another_childs_short_break_on_the_same_row_is_not_the_young_persons(store: Writer) -> None:
    """The validator's 1001 drops the young person's only episode (row 2 of last year's file) when
    another child's short break is on row 2 of this year's (tests/oracle/quirks_903.py shows it);
    the DfE rule counts the young person's own episodes, so this former relevant child passes."""
    load(store, sent={2023: [ep("2022-01-01", "2023-03-01", rec="E4A")],
                      2024: [ep("2023-05-01", child="B", ls="V3", place="T4"), ep("2023-05-01", child="C")]},
         header=[hd(LEAVER)], oc3=[oc(LEAVER)])
    assert flagged_rows(store, _rule("1001"))["source_row"].tolist() == []
