"""The improvement plan loader: detection, validation messages, resolution of linked indicators."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from loaders.ingest import ingest
from loaders.registry import detect_kind
from loaders.store import Reader
from tests.conftest import assert_same_store, store_snapshot

HEADER = (
    "ref,recommendation,area,owner,linked indicators,baseline,target,target date,"
    "rag override,override reason\n"
)


def write(tmp_path: Path, body: str, name: str = "plan.csv", header: str = HEADER) -> Path:
    path = tmp_path / name
    path.write_text(header + body)
    return path


def test_detected_as_improvement_plan_with_title_rows(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "1,Reduce repeat plans,CP,Head of Service,repeat_cp_plans,16.5%,10%,31/03/2025,,\n",
        header="Ofsted improvement plan November 2024\n\n" + HEADER,
    )
    assert detect_kind(path).kind == "improvement_plan"


def test_detected_from_a_workbook(tmp_path: Path) -> None:
    path = tmp_path / "plan.xlsx"
    pd.DataFrame(
        {
            "Ref": ["1"],
            "Recommendation": ["Reduce repeat plans"],
            "Linked indicators": ["Repeat CP plans; re-referrals"],
        }
    ).to_excel(path, index=False)
    assert detect_kind(path).kind == "improvement_plan"


def test_loads_and_resolves_names_aliases_and_ids(tmp_path: Path, db_path: Path) -> None:
    path = write(
        tmp_path,
        (
            "1,Reduce repeat plans,Child protection,Head of Service,Repeat CP plans; re-referrals,"
            "16.5%,10%,Mar 2025,,\n"
            "2,Care leavers in touch,Care leavers,PA manager,care_leavers_in_touch_17_18,90%,95%,2025-03-31,"
            "yellow,Audit shows progress\n"
        ),
    )
    report = ingest([path], db=db_path, la_code="929")
    assert report.ok, report.messages
    plan = Reader(db_path).query("select * from improvement_plan order by position")
    assert plan["linked_indicators"].tolist()[0] == "repeat_cp_plans;re_referrals"
    assert plan["target_value"].tolist() == [10.0, 95.0]
    assert plan["rag_override"].tolist()[1] == "amber"  # seed 003 writes yellow for amber
    assert str(plan["target_date"].iloc[0])[:7] == "2025-03"
    assert set(plan["la_code"]) == {"929"}


def test_a_new_plan_replaces_the_old_one(tmp_path: Path, db_path: Path) -> None:
    first = write(tmp_path, "1,A,,,repeat_cp_plans,,,,,\n2,B,,,repeat_cp_plans,,,,,\n", "one.csv")
    second = write(tmp_path, "7,C,,,repeat_cp_plans,,,,,\n", "two.csv")
    assert ingest([first], db=db_path, la_code="929").ok
    assert ingest([second], db=db_path, la_code="929").ok
    assert Reader(db_path).query("select ref from improvement_plan")["ref"].tolist() == ["7"]


def test_bad_plan_names_every_problem_and_changes_nothing(tmp_path: Path, db_path: Path) -> None:
    good = write(tmp_path, "1,A,,,repeat_cp_plans,,,,,\n", "good.csv")
    assert ingest([good], db=db_path, la_code="929").ok
    before = store_snapshot(db_path)
    bad = write(
        tmp_path,
        (
            "1,Reduce repeat plans,,,repeat plans of doom,,,,,\n"
            "1,,,,repeat_cp_plans,,,31/31/2025,purple,\n"
            "3,Supervision,,,,,,,red,\n"
        ),
        "bad.csv",
    )
    report = ingest([bad], db=db_path, la_code="929")
    assert not report.ok
    text = "\n".join(report.messages)
    assert "bad.csv: row 2, column linked_indicators: unknown indicator (found 'repeat plans of doom'" in text
    assert "row 3, column ref" in text  # repeated ref
    assert "row 3, column recommendation" in text
    assert "row 3, column target_date" in text and "31/31/2025" not in text  # dates never quoted
    assert "row 3, column rag_override" in text and "purple" in text
    assert "row 4, column override_reason: a manual RAG needs its reason" in text
    assert_same_store(before, store_snapshot(db_path))


def test_plan_without_an_la_is_refused(tmp_path: Path, db_path: Path) -> None:
    report = ingest([write(tmp_path, "1,A,,,repeat_cp_plans,,,,,\n")], db=db_path)
    assert not report.ok
    assert "does not say which LA" in report.messages[0]


def test_missing_required_column_is_not_detected_as_a_plan(tmp_path: Path) -> None:
    path = write(tmp_path, "1,A\n", header="ref,recommendation\n")
    with pytest.raises(Exception, match="not a file this dashboard recognises"):
        detect_kind(path)
