"""Caseload list loader: reading, validation messages, LA, replacement of a date's rows."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from loaders.caseload import LOADER, parse_caseload_list
from loaders.ingest import ingest
from loaders.problems import LoadFailed
from loaders.registry import detect_kind
from loaders.store import Reader
from tests.conftest import FIXTURES, assert_same_store, store_snapshot

SMALL = FIXTURES / "caseload" / "caseload_list_small.csv"
HEADER = "date,worker_id,team,role,fte,agency,cases\n"


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text)
    return path


def test_small_list_is_read_with_normalised_roles_and_types() -> None:
    workers = parse_caseload_list(SMALL)
    assert len(workers) == 7
    assert set(workers["snapshot_date"]) == {date(2024, 3, 31)}
    assert workers["role"].tolist() == [
        "Social Worker",
        "ASYE",
        "Senior Practitioner",
        "Team Manager",
        "Social Worker",
        "Social Worker",
        "Team Manager",
    ]
    assert workers["agency"].tolist() == [False, False, True, False, True, False, False]
    assert workers["fte"].tolist() == [1.0, 1.0, 0.5, 1.0, 0.8, 0.0, 1.0]
    assert workers["cases"].sum() == 65
    assert workers["service_area"].iloc[0] == "Front Door"


def test_sniff_claims_caseload_lists_only(tmp_path: Path) -> None:
    assert detect_kind(SMALL).kind == "caseload_list"
    other = write(tmp_path, "other.csv", "CHILD,DECOM,RNE\n1,01/01/2020,S\n")
    assert not LOADER.sniff(other, other.read_bytes())


def test_sniff_reads_quoted_header_cells(tmp_path: Path) -> None:
    quoted = write(
        tmp_path,
        "quoted.csv",
        '"date","worker_id","team","role","fte","agency","cases"\n'
        '"31/10/2024","W1","Assessment, East","Social Worker","1","N","18"\n',
    )
    assert LOADER.sniff(quoted, quoted.read_bytes())


def test_every_bad_cell_is_reported_without_worker_ids(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "bad.csv",
        HEADER + "31/02/2024,SECRET1,A,Social Worker,1,N,20\n"
        "31/03/2024,,A,ASYE,two,X,-1\n31/03/2024,SECRET3,A,ASYE,1,N,3\n"
        "31/03/2024,SECRET3,A,ASYE,1,N,4\n",
    )
    with pytest.raises(LoadFailed) as failure:
        parse_caseload_list(path)
    messages = [str(p) for p in failure.value.problems]
    text = "\n".join(messages)
    assert "SECRET" not in text
    assert "bad.csv: row 2, column date: invalid value (found '<date>'" in text  # dates never quoted
    assert "31/02/2024" not in text
    assert any("row 3, column worker_id" in m for m in messages)
    assert any("row 3, column fte" in m and "'two'" in m for m in messages)
    assert any("row 3, column agency" in m and "Y or N" in m for m in messages)
    assert any("row 3, column cases" in m and "'-1'" in m for m in messages)
    assert any("row 5, column worker_id: the same worker is listed twice" in m for m in messages)


def test_missing_column_is_named(tmp_path: Path) -> None:
    path = write(tmp_path, "nofte.csv", "date,worker_id,team,role,agency,cases\n31/03/2024,W1,A,SW,N,3\n")
    with pytest.raises(LoadFailed) as failure:
        parse_caseload_list(path)
    assert [p.message for p in failure.value.problems] == ["missing column 'fte'"]


def test_workbook_with_title_rows_reads_like_the_csv(tmp_path: Path) -> None:
    path = tmp_path / "caseloads.xlsx"
    grid = pd.read_csv(SMALL, dtype=str, header=None)
    title = pd.DataFrame([["Caseload report March 2024"] + [None] * 7, [None] * 8])
    pd.concat([title, grid]).to_excel(path, header=False, index=False, engine="openpyxl")
    workers = parse_caseload_list(path)
    pd.testing.assert_frame_equal(workers, parse_caseload_list(SMALL))
    assert LOADER.sniff(path, path.read_bytes())


def test_workbook_errors_name_sheet_and_excel_row(tmp_path: Path) -> None:
    path = tmp_path / "bad.xlsx"
    pd.DataFrame(
        [
            ["Title"] + [None] * 6,
            HEADER.strip().split(","),
            ["2024-03-31", "W1", "A", "Social Worker", "1", "maybe", "3"],
        ]
    ).to_excel(path, header=False, index=False, sheet_name="March", engine="openpyxl")
    with pytest.raises(LoadFailed) as failure:
        parse_caseload_list(path)
    assert str(failure.value.problems[0]).startswith("bad.xlsx: sheet 'March', row 3, column agency")


def test_ingest_needs_an_la(db_path: Path) -> None:
    report = ingest([SMALL], db=db_path)
    assert not report.ok
    assert "--la" in report.messages[0]


def test_ingest_stores_rows_and_a_newer_file_replaces_that_date(tmp_path: Path, db_path: Path) -> None:
    assert ingest([SMALL], db=db_path, la_code="929").ok
    stored = Reader(db_path).query("select * from caseload_workers")
    assert len(stored) == 7 and set(stored["la_code"]) == {"929"}
    assert stored["source_file"].iloc[0] == "caseload_list_small.csv"
    newer = write(
        tmp_path,
        "march_corrected.csv",
        HEADER + "31/03/2024,W001,A,Social Worker,1,N,19\n30/04/2024,W001,A,Social Worker,1,N,18\n",
    )
    assert ingest([newer], db=db_path).ok  # the LA remembered from the first load
    stored = Reader(db_path).query("select snapshot_date, cases from caseload_workers order by 1")
    assert stored["cases"].tolist() == [19, 18]


def test_bad_file_changes_nothing(tmp_path: Path, db_path: Path) -> None:
    assert ingest([SMALL], db=db_path, la_code="929").ok
    before = store_snapshot(db_path)
    bad = write(tmp_path, "bad.csv", HEADER + "31/03/2024,W1,A,Social Worker,1,N,lots\n")
    assert not ingest([bad], db=db_path).ok
    assert_same_store(before, store_snapshot(db_path))


def test_fte_zero_with_cases_is_a_finding(db_path: Path) -> None:
    report = ingest([SMALL], db=db_path, la_code="929")
    assert any("FTE of 0" in m for m in report.files[0].messages)
