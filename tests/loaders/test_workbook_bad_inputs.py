"""Bad performance workbooks: each gives a precise message and leaves the store as it was."""

from __future__ import annotations

import shutil
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

import pandas as pd
import pytest

from loaders.store import Reader, write_session
from tests.conftest import assert_same_store, store_snapshot
from tests.loaders.workbook_files import Fmt, base_workbook, load, months, write_csv, write_xlsx

APR23 = datetime(2023, 4, 1)
HEADER = ["Indicator", *months(APR23, 3)]


@pytest.fixture(scope="module")
def template_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("template")
    first = base_workbook(folder / "existing.xlsx")
    targets = write_csv(
        folder / "existing_targets.csv", [["indicator", "year", "target"], ["re_referrals", "2023/24", "22"]]
    )
    report = load([first, targets], folder / "store.duckdb")
    assert report.ok, report.messages
    return folder / "store.duckdb"


@pytest.fixture(scope="module")
def template_snapshot(template_store: Path) -> dict[str, pd.DataFrame]:
    """What every copy of the template holds (a copy is byte for byte the template)."""
    return store_snapshot(template_store)


@pytest.fixture
def loaded_store(template_store: Path, db_path: Path) -> Path:
    """A store that already holds a workbook's figures, a local indicator and a target."""
    shutil.copyfile(template_store, db_path)
    return db_path


@dataclass
class Case:
    build: Callable[[Path], Path]
    expected: list[str]
    options: dict[str, object] = field(default_factory=dict)


def _book(rows: list[list[object]], sheet: str = "KPIs") -> Callable[[Path], Path]:
    return lambda folder: write_xlsx(folder / "book.xlsx", {sheet: rows})


def _bytes(name: str, content: bytes) -> Callable[[Path], Path]:
    def build(folder: Path) -> Path:
        path = folder / name
        path.write_bytes(content)
        return path

    return build


def _truncated(folder: Path) -> Path:
    whole = write_xlsx(folder / "whole.xlsx", {"KPIs": [HEADER, ["Re-referrals", 1, 2, 3]]}).read_bytes()
    path = folder / "book.xlsx"
    path.write_bytes(whole[: len(whole) // 2])
    return path


def _zip_without_workbook(folder: Path) -> Path:
    path = folder / "book.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("hello.txt", "not a workbook")
    return path


CASES = {
    "wrong extension": Case(
        _bytes("book.ods", b"PK\x03\x04 spreadsheet"), ["book.ods", "cannot load a .ods file"]
    ),
    "wrong extension with --kind": Case(
        _bytes("book.txt", b"Indicator,Apr-23,May-23\nRe-referrals,1,2\n"),
        [
            "book.txt",
            "a performance workbook cannot be a .txt file",
            "expected an Excel workbook (.xlsx) or a CSV",
        ],
        {"kind": "performance_workbook"},
    ),
    "empty csv": Case(_bytes("book.csv", b""), ["book.csv", "the file is empty"]),
    "empty xlsx with --kind": Case(
        _bytes("book.xlsx", b""), ["book.xlsx", "the file is empty"], {"kind": "performance_workbook"}
    ),
    "no header row": Case(
        _bytes("book.csv", b"Indicator,Value\nRe-referrals,21\n"),
        ["book.csv", "no header row with month columns found", "Apr-23"],
        {"kind": "performance_workbook"},
    ),
    "no header row in any sheet": Case(
        lambda folder: write_xlsx(
            folder / "book.xlsx",
            {"Front": [["Indicator", "April"], ["Re-referrals", 1]], "Notes": [["Notes"]]},
        ),
        ["book.xlsx", "no header row with month columns found (looked in 'Front', 'Notes')"],
        {"kind": "performance_workbook"},
    ),
    "duplicate months": Case(
        _book([["Indicator", "Apr-23", "May-23", "April 2023"], ["Re-referrals", 1, 2, 3]]),
        [
            "book.xlsx: sheet 'KPIs', cell D1: month Apr 2023 appears twice in the header (also in B1)",
            "found 'April 2023'",
        ],
    ),
    "non-numeric value": Case(
        _book([HEADER, ["Re-referrals", 20, "about 21", 22]]),
        ["book.xlsx: sheet 'KPIs', cell C2: cannot read this cell (found 'about 21'; expected a number"],
    ),
    "negative count": Case(
        _book([HEADER, ["Number of contacts", 37, -4, 39]]),
        ["book.xlsx: sheet 'KPIs', cell C2: negative value (found '-4'"],
    ),
    "percentage over 100 by format": Case(
        _book([HEADER, ["Early help take-up", Fmt(0.5, "0%"), Fmt(1.05, "0.0%"), Fmt(0.7, "0%")]]),
        ["book.xlsx: sheet 'KPIs', cell C2: percentage over 100 (found '1.05'"],
    ),
    "percentage over 100 for a percent indicator": Case(
        _book([HEADER, ["Re-referrals", 20, 120, 22]]),
        ["book.xlsx: sheet 'KPIs', cell C2: percentage over 100 (found '120'"],
    ),
    "unknown LA code given": Case(
        _book([HEADER, ["Re-referrals", 20, 21, 22]]),
        ["--la: unknown LA code '999'"],
        {"la_code": "999"},
    ),
    "unknown LA code in a column": Case(
        _book(
            [["LA code", *HEADER], ["929", "Re-referrals", 20, 21, 22], ["999", "Re-referrals", 20, 21, 22]]
        ),
        ["book.xlsx: sheet 'KPIs', cell A3: unknown LA code (found '999'"],
    ),
    "future month": Case(
        _book([["Indicator", *months(date(2024, 2, 1), 3)], ["Re-referrals", 20, 21, 22]]),
        [
            "book.xlsx: sheet 'KPIs', cell D2: value for a month that has not ended yet",
            "(Apr 2024 is after Mar 2024)",
            "found '22'",
        ],
    ),
    "truncated xlsx": Case(
        _truncated,
        ["book.xlsx", "cannot open it as an Excel workbook", "damaged, truncated"],
        {"kind": "performance_workbook"},
    ),
    "zip that is not a workbook": Case(
        _zip_without_workbook,
        ["book.xlsx", "cannot open it as an Excel workbook"],
        {"kind": "performance_workbook"},
    ),
    "binary file named csv": Case(
        _bytes("book.csv", bytes(range(256)) * 40),
        ["book.csv", "not a text CSV file (it contains binary data)"],
        {"kind": "performance_workbook"},
    ),
    "duplicate indicator rows": Case(
        _book(
            [
                HEADER,
                ["Re-referrals", 20, 21, 22],
                ["Referrals within 12 months of a previous referral", 20, 21, 22],
            ]
        ),
        ["book.xlsx: sheet 'KPIs', cell A3: indicator row appears twice in the table (also at A2)"],
    ),
    "month header that is not a date": Case(
        _book([["Indicator", "Apr-23", "May-23", "Jnu-23"], ["Re-referrals", 20, 21, 22]]),
        ["book.xlsx: sheet 'KPIs', cell D1: column header is not a month (found 'Jnu-23'"],
    ),
    "impossible month number": Case(
        _bytes("book.csv", b"Indicator,2023-04,2023-05,2023-13\nRe-referrals,20,21,22\n"),
        ["book.csv: cell D1: column header is not a month (found '2023-13'"],
    ),
    "windows-1252 garbage": Case(
        _bytes("book.csv", b"Indicator,Apr-23,May-23\nRe-referrals,20,21\nContacts \x81\x8d,1,2\n"),
        ["book.csv: row 3: cannot read the text: byte 0x81 on line 3 is neither UTF-8 nor Windows-1252"],
        {"kind": "performance_workbook"},
    ),
    "sheet with header but no rows": Case(
        lambda folder: write_xlsx(
            folder / "book.xlsx",
            {"KPIs": [HEADER, ["Re-referrals", 20, 21, 22]], "CP": [HEADER, [], ["Notes: to follow"]]},
        ),
        ["book.xlsx: sheet 'CP', cell B1: the table has a month header row but no indicator rows"],
    ),
    "unknown period type": Case(
        _book([["Indicator", "Period type", *HEADER[1:]], ["Re-referrals", "fortnightly", 20, 21, 22]]),
        ["book.xlsx: sheet 'KPIs', cell B2: unknown period type (found 'fortnightly'"],
    ),
    "unknown polarity": Case(
        _book([["Indicator", "Polarity", *HEADER[1:]], ["Visits done", "sideways", 20, 21, 22]]),
        ["book.xlsx: sheet 'KPIs', cell B2: unknown polarity (found 'sideways'"],
    ),
    "figures without an indicator name": Case(
        _book([HEADER, ["Re-referrals", 20, 21, 22], [None, 5, 6, 7]]),
        ["book.xlsx: sheet 'KPIs', cell A3: row 3 has figures but no indicator name (found '5'"],
    ),
    "two sheets disagree": Case(
        lambda folder: write_xlsx(
            folder / "book.xlsx",
            {
                "Front door": [HEADER, ["Re-referrals", 20, 21, 22]],
                "Summary": [HEADER, ["Re-referrals", 20, 25, 22]],
            },
        ),
        [
            "book.xlsx: sheet 'Summary', cell C2: re_referrals for May 2023 differs from "
            "sheet 'Front door' cell C2"
        ],
    ),
    "a date where a figure should be": Case(
        _book([HEADER, ["Re-referrals", 20, datetime(2023, 5, 2), 22]]),
        ["book.xlsx: sheet 'KPIs', cell C2: cannot read this cell", "expected a number, not a date"],
    ),
    "Excel reference error": Case(
        _book([HEADER, ["Re-referrals", 20, "#REF!", 22]]),
        ["book.xlsx: sheet 'KPIs', cell C2: cannot read this cell (found '#REF!'"],
    ),
}


@pytest.mark.parametrize("case", CASES.values(), ids=CASES.keys())
def test_bad_workbook_is_refused_with_a_precise_message(
    case: Case, loaded_store: Path, template_snapshot: dict[str, pd.DataFrame], tmp_path: Path
) -> None:
    folder = tmp_path / "incoming"
    folder.mkdir()
    path = case.build(folder)
    before = template_snapshot
    report = load(path, loaded_store, **case.options)  # type: ignore[arg-type]
    assert not report.ok
    text = "\n".join(report.messages)
    for expected in case.expected:
        assert expected in text
    assert_same_store(before, store_snapshot(loaded_store))
    failed = Reader(loaded_store).query("select outcome from load_log where batch_id = ?", [report.batch_id])
    assert failed["outcome"].tolist() in (["failed"], ["not loaded (batch failed)"])


def test_several_problems_are_all_reported(loaded_store: Path, tmp_path: Path) -> None:
    book = write_xlsx(
        tmp_path / "book.xlsx",
        {"KPIs": [HEADER, ["Re-referrals", -1, "lots", 130], ["Contacts", 1, "x", "?"]]},
    )
    report = load(book, loaded_store)
    cells = sorted(p.cell or "" for p in report.problems)
    assert cells == ["B2", "C2", "D2", "D3"]


def test_no_la_anywhere_asks_for_la(tmp_path: Path, db_path: Path) -> None:
    with write_session(db_path) as writer:
        writer.execute("insert into settings values ('note', 'holds data but no LA yet')")
    before = store_snapshot(db_path)
    report = load(base_workbook(tmp_path / "book.xlsx"), db_path, la_code=None)
    assert not report.ok
    assert (
        "book.xlsx: the performance workbook does not say which LA it is for: pass --la CODE"
        in report.messages[0]
    )
    assert_same_store(before, store_snapshot(db_path))


def test_a_bad_file_in_a_batch_discards_the_good_one(
    loaded_store: Path, template_snapshot: dict[str, pd.DataFrame], tmp_path: Path
) -> None:
    good = base_workbook(tmp_path / "good.xlsx", value=0.3)
    bad = write_xlsx(tmp_path / "bad.xlsx", {"KPIs": [HEADER, ["Re-referrals", 20, "??", 22]]})
    before = template_snapshot
    report = load([good, bad], loaded_store)
    assert not report.ok
    assert [f.outcome for f in report.files] == ["not loaded (batch failed)", "failed"]
    assert_same_store(before, store_snapshot(loaded_store))


def test_month_names_without_any_year(
    loaded_store: Path, template_snapshot: dict[str, pd.DataFrame], tmp_path: Path
) -> None:
    book = write_xlsx(
        tmp_path / "book.xlsx", {"KPIs": [["Indicator", "Apr", "May"], ["Re-referrals", 20, 21]]}
    )
    before = template_snapshot
    report = load(book, loaded_store, kind="performance_workbook")
    assert report.messages == [
        "book.xlsx: sheet 'KPIs', row 1: the month headers have no year (expected months with their year "
        "(Apr-23) or the reporting year, e.g. 2023/24, in a title row above the header)"
    ]
    assert_same_store(before, store_snapshot(loaded_store))
