"""Bad data that used to load silently is refused: each message names the file, the row or column and
what was expected, quotes nothing that identifies a child, and leaves the store as it was."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from loaders.ingest import ingest
from tests.conftest import FIXTURES, assert_same_store, store_snapshot

EES = FIXTURES / "benchmarks" / "d3_cpps_subsequent_plan_small.csv"
TODAY = date(2025, 1, 15)


@pytest.fixture
def loaded(db_path: Path) -> Path:
    assert ingest([EES], db=db_path).ok
    return db_path


def refused(db: Path, path: Path, *words: str, **options: object) -> str:
    before = store_snapshot(db)
    report = ingest([path], db=db, today=TODAY, **options)  # type: ignore[arg-type]
    assert not report.ok
    text = "\n".join(report.messages)
    assert path.name in text and "unexpectedly" not in text and "Traceback" not in text
    for word in words:
        assert word in text, text
    assert_same_store(before, store_snapshot(db))
    return text


@pytest.mark.parametrize(
    "content",
    ["Apr-24,May-24\n5,6\n7,8\n", "Ref,Apr-24,May-24\n1,5,6\n2,7,8\n", "Count,Apr-24,May-24\n1,5,6\n2,7,8\n"],
)
def test_a_workbook_with_no_indicator_column_is_refused(loaded: Path, tmp_path: Path, content: str) -> None:
    path = tmp_path / "book.csv"
    path.write_text(content)
    refused(
        loaded, path, "row 1", "no indicator column", "Indicator", la_code="855", kind="performance_workbook"
    )


def test_negative_ees_values_and_denominators_are_refused(loaded: Path, tmp_path: Path) -> None:
    lines = EES.read_text(encoding="utf-8-sig").splitlines()
    header = lines[0].split(",")
    cells = lines[3].split(",")
    cells[header.index("CPP_start")] = "-400"
    cells[header.index("CPP_subsequent")] = "-7"
    path = tmp_path / "d3_cpps_subsequent_plan_negative.csv"
    path.write_text("\n".join([lines[0], lines[1], lines[2], ",".join(cells), *lines[4:]]) + "\n")
    text = refused(
        loaded, path, "row 4", "column CPP_start", "column CPP_subsequent", "a number of 0 or more"
    )
    assert "'-7'" in text


def test_a_header_only_ees_file_is_refused(loaded: Path, tmp_path: Path) -> None:
    path = tmp_path / "d3_cpps_subsequent_plan_header.csv"
    path.write_text(EES.read_text(encoding="utf-8-sig").splitlines()[0] + "\n")
    refused(loaded, path, "no rows", "data rows")
