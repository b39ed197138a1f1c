"""Bad data that used to load silently is refused: each message names the file, the row or column and
what was expected, quotes nothing that identifies a child, and leaves the store as it was."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest

from loaders.ingest import ingest
from tests.conftest import FIXTURES, assert_same_store, store_snapshot
from tests.fixtures.cin.xml import child_xml, episode_xml, write_census

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


SSDA903 = FIXTURES / "ssda903"
PERSONAL = re.compile(r"\bC0\d\d\b|\d{2}/\d{2}/\d{4}|A123456789012")


@pytest.fixture
def with_903(db_path: Path) -> Path:
    names = ["2024-episodes.csv", "2024-header.csv"]
    assert ingest([SSDA903 / n for n in names], db=db_path, la_code="929", today=TODAY).ok
    return db_path


@pytest.mark.parametrize("cut", ["mid_line", "missing_columns"])
def test_a_903_header_file_cut_part_way_is_refused(with_903: Path, tmp_path: Path, cut: str) -> None:
    text = (SSDA903 / "2024-header.csv").read_text()
    if cut == "mid_line":
        damaged = text[: text.index("\n", text.index("\n") + 1) + 6]
    else:
        lines = text.splitlines()
        damaged = "\n".join([lines[0], lines[1], ",".join(lines[2].split(",")[:3]), *lines[3:]]) + "\n"
    path = tmp_path / "2024-header.csv"
    path.write_text(damaged)
    message = refused(
        with_903, path, "row 3", "fewer fields than the header", "7 comma-separated fields", la_code="929"
    )
    assert not PERSONAL.search(message), message


@pytest.mark.parametrize("year", ["2099", "9999"])
def test_dates_of_birth_in_the_future_are_refused(with_903: Path, tmp_path: Path, year: str) -> None:
    text = (SSDA903 / "2024-header.csv").read_text().replace("01/01/2015", f"01/01/{year}")
    path = tmp_path / "2024-header.csv"
    path.write_text(text)
    message = refused(
        with_903,
        path,
        "row 4",
        "column DOB",
        "2 date(s) of birth after the day of the load",
        "rows 4, 5",
        la_code="929",
    )
    assert year not in message and not PERSONAL.search(message), message


def test_a_cin_census_for_another_la_is_refused_naming_both(loaded: Path, tmp_path: Path) -> None:
    path = write_census(tmp_path, "cin.xml", [child_xml("C001", episode_xml("2023-06-01"))], la_code="855")
    message = refused(loaded, path, "column LEA", "LEA 855", "LA 929", "--la 855", la_code="929")
    assert "C001" not in message


SN = FIXTURES / "benchmarks" / "sn_model_2025_small.csv"


def test_an_sn_list_with_two_of_ten_neighbours_is_refused(loaded: Path, tmp_path: Path) -> None:
    lines = SN.read_text(encoding="utf-8-sig").splitlines()
    cells = lines[1].split(",")
    short = cells[:8] + [""] * (len(cells) - 8)
    path = tmp_path / "sn_model_2025_short.csv"
    path.write_text("\n".join([lines[0], ",".join(short), *lines[2:]]) + "\n")
    refused(loaded, path, "row 2", "LA 855 has 2 of 10 statistical neighbours", "SN_1 to SN_10")


def test_duplicate_la_rows_in_an_sn_file_are_refused(loaded: Path, tmp_path: Path) -> None:
    lines = SN.read_text(encoding="utf-8-sig").splitlines()
    path = tmp_path / "sn_model_2025_twice.csv"
    path.write_text("\n".join([*lines, lines[1]]) + "\n")
    refused(
        loaded,
        path,
        f"row {len(lines) + 1}",
        "LA 855 is listed on 2 rows (first on row 2)",
        "each LA on one row",
    )


@pytest.mark.parametrize(
    "source", [EES, SN, SSDA903 / "2024-header.csv", FIXTURES / "benchmarks" / "lait_bds_long_small.csv"]
)
def test_an_undefined_windows_1252_byte_is_named_with_its_line(
    loaded: Path, tmp_path: Path, source: Path
) -> None:
    lines = source.read_bytes().split(b"\n")
    lines[2] = lines[2] + b"\x81"
    path = tmp_path / source.name
    path.write_bytes(b"\n".join(lines))
    refused(
        loaded,
        path,
        "row 3",
        "byte 0x81 on line 3 is neither UTF-8 nor Windows-1252",
        "CSV UTF-8",
        la_code="929",
    )
