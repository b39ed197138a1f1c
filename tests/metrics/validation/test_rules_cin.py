"""Every implemented CIN census rule flags its breaking records and passes the others (cases_cin)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest

from loaders.store import Writer, ensure_schema
from metrics.validation import all_rules, flagged_rows
from metrics.validation.rules import ValidationRule
from tests.metrics.validation.cases_cin import CASES, load_cin

ROOT = Path(__file__).resolve().parents[3]
CIN_TABLES_SQL = ROOT / "loaders" / "sql" / "cin_tables.sql"


@pytest.fixture
def cin_store() -> Iterator[Writer]:
    con = duckdb.connect()
    ensure_schema(con)
    con.execute(CIN_TABLES_SQL.read_text())
    try:
        yield Writer(con=con, path=Path(":memory:"))
    finally:
        con.close()


def _rule(code: str, year: int = 2024) -> ValidationRule:
    found = [r for r in all_rules() if r.return_name == "cin" and r.code == code and r.applies_to(year)]
    assert len(found) == 1, f"one CIN {code} rule version for {year}"
    return found[0]


@pytest.mark.parametrize(("code", "description", "tables", "expected"), CASES,
                         ids=[f"{c[0]}-{c[1]}" for c in CASES])
def test_rule(cin_store: Writer, code: str, description: str, tables: dict, expected: list[int]) -> None:
    load_cin(cin_store, **tables)
    flagged = flagged_rows(cin_store, _rule(code))
    assert flagged["source_row"].tolist() == expected
    assert (flagged["collection_year"] == 2024).all()


def test_every_cin_rule_has_a_breaking_and_a_passing_case() -> None:
    codes = {r.code for r in all_rules() if r.return_name == "cin"}
    breaking = {c[0] for c in CASES if c[3]}
    passing = {c[0] for c in CASES if not c[3]}
    assert codes
    assert codes <= breaking, sorted(codes - breaking)
    assert codes <= passing, sorted(codes - passing)
