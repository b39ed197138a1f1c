"""Every implemented CIN census rule flags its breaking records and passes the others (cases_cin)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from loaders.base import IngestContext
from loaders.cin_census import LOADER
from loaders.store import Reader, Writer, write_session
from metrics.validation import all_rules, flagged_rows, run
from metrics.validation.rules import ValidationRule
from tests.fixtures.cin.xml import child_xml, episode_xml, write_census
from tests.metrics.validation.cases_cin import CASES, CASES_2025, load_cin
from tests.metrics.validation.conftest import one_rule


def _rule(code: str, year: int = 2024) -> ValidationRule:
    return one_rule("cin", code, year)


@pytest.mark.parametrize(("code", "description", "tables", "expected"), CASES,
                         ids=[f"{c[0]}-{c[1]}" for c in CASES])
def test_rule(cin_store: Writer, code: str, description: str, tables: dict, expected: list[int]) -> None:
    load_cin(cin_store, **tables)
    flagged = flagged_rows(cin_store, _rule(code))
    assert flagged["source_row"].tolist() == expected
    assert (flagged["collection_year"] == 2024).all()


@pytest.mark.parametrize(("code", "description", "tables", "expected"), CASES_2025,
                         ids=[f"{c[0]}-{c[1]}" for c in CASES_2025])
def test_rule_2025(cin_store: Writer, code: str, description: str, tables: dict,
                   expected: list[int]) -> None:
    load_cin(cin_store, **tables)
    flagged = flagged_rows(cin_store, _rule(code, 2025))
    assert flagged["source_row"].tolist() == expected
    assert (flagged["collection_year"] == 2025).all()


def test_4180_follows_the_collection_year(cin_store: Writer) -> None:
    """A 2023/24 census is checked for GenderCurrent, a 2024/25 one for Sex."""
    load_cin(cin_store, referrals=[{"gender_current": "1"},
                                   {"census": "2025-03-31", "gender_current": None, "sex": "F"}])
    assert flagged_rows(cin_store, _rule("4180", 2024)).empty
    assert flagged_rows(cin_store, _rule("4180", 2025)).empty


def test_every_cin_rule_has_a_breaking_and_a_passing_case() -> None:
    codes = {r.code for r in all_rules() if r.return_name == "cin"}
    breaking = {c[0] for c in CASES + CASES_2025 if c[3]}
    passing = {c[0] for c in CASES + CASES_2025 if not c[3]}
    assert codes
    assert codes <= breaking, sorted(codes - breaking)
    assert codes <= passing, sorted(codes - passing)


def test_a_loaded_census_is_checked_with_its_xml_lines(tmp_path: Path, db_path: Path) -> None:
    """End to end: the loader keeps each record's XML line and the child's GenderCurrent, and the
    validation run after the load records 1103 and 4180 at those lines, with no child-level value."""
    episode = episode_xml("2023-06-01", assessments=(("2023-05-20", "2023-06-20"),))
    child = child_xml("CHILD-SECRET-9", episode)
    path = write_census(tmp_path, "cin.xml", [child.replace("<GenderCurrent>1<", "<GenderCurrent>7<")])
    with write_session(db_path) as writer:
        LOADER.load(path, writer, IngestContext(batch_id="b1", version=1, today=date(2024, 5, 1)))
        run(writer)
    reader = Reader(db_path)
    referral = reader.query("select gender_current, sex, source_row from cin_referrals")
    assert (referral["gender_current"].iloc[0], referral["sex"].iloc[0]) == ("7", None)
    lines = path.read_text().splitlines()
    assessment_line = next(i for i, line in enumerate(lines, 1) if "<Assessments>" in line)
    findings = reader.query(
        "select rule_code, table_name, first_row, rows, children from validation_findings "
        "where return_name = 'cin' order by rule_code"
    )
    assert findings.values.tolist() == [
        ["1103", "assessments", assessment_line, 1, 1],
        ["4180", "children", int(referral["source_row"].iloc[0]), 1, 1],
    ]
    text = reader.query("select * from validation_findings").to_csv()
    assert "CHILD-SECRET-9" not in text and "2023-05-20" not in text
