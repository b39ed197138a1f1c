"""Files that must never take the process down: bounded extents, encodings, damaged files, the lock,
leftovers of killed writers, file names with escape codes, messages capped and redacted."""

from __future__ import annotations

import logging
import multiprocessing
import os
import time
from pathlib import Path

import pytest

from loaders import reading
from loaders.ingest import ingest
from loaders.problems import Problem, capped, redact, safe_name
from loaders.store import Reader, write_session
from tests.conftest import FIXTURES, assert_same_store, store_snapshot
from tests.hostile.files import (
    far_corner_xlsx,
    many_rows_csv,
    many_rows_parquet,
    many_rows_xlsx,
    xfd_every_999_rows_xlsx,
)

EES = FIXTURES / "benchmarks" / "d3_cpps_subsequent_plan_small.csv"
SN = FIXTURES / "benchmarks" / "sn_model_2025_small.csv"
LAIT = FIXTURES / "benchmarks" / "lait_bds_long_small.csv"


@pytest.fixture
def loaded(db_path: Path) -> Path:
    assert ingest([EES], db=db_path).ok
    return db_path


def refused(db: Path, path: Path, *words: str, kind: str | None = None) -> str:
    before = store_snapshot(db)
    started = time.process_time()  # CPU seconds, so a busy machine does not fail the bound
    report = ingest([path], db=db, kind=kind)
    assert time.process_time() - started < 20  # unbounded work took minutes before the limits
    assert not report.ok
    text = "\n".join(report.messages)
    assert path.name in text and "unexpectedly" not in text and "Traceback" not in text
    for word in words:
        assert word in text, text
    assert_same_store(before, store_snapshot(db))
    return text


def test_xlsx_claiming_the_whole_sheet_is_refused_before_reading(loaded: Path, tmp_path: Path) -> None:
    path = far_corner_xlsx(tmp_path / "corner.xlsx")
    assert path.stat().st_size < 10_000
    refused(loaded, path, "row 1,048,576", f"{reading.MAX_SHEET_COLUMNS:,} columns")
    refused(loaded, path, "row 1,048,576", kind="workbook")
    refused(loaded, path, "row 1,048,576", kind="neighbours")


def test_xlsx_with_a_far_column_every_999_rows_is_refused(loaded: Path, tmp_path: Path) -> None:
    refused(loaded, xfd_every_999_rows_xlsx(tmp_path / "stripes.xlsx"), "beyond what this dashboard reads")


def test_xlsx_with_too_many_rows_is_refused(loaded: Path, tmp_path: Path) -> None:
    path = many_rows_xlsx(tmp_path / "long.xlsx", reading.MAX_SHEET_ROWS + 1)
    refused(loaded, path, f"row {reading.MAX_SHEET_ROWS + 1:,}")


def test_parquet_row_count_is_read_from_its_footer(loaded: Path, tmp_path: Path) -> None:
    path = many_rows_parquet(tmp_path / "big.parquet", reading.MAX_PARQUET_ROWS + 1)
    refused(loaded, path, f"{reading.MAX_PARQUET_ROWS + 1:,} rows", kind="lait")
    refused(loaded, path, f"at most {reading.MAX_PARQUET_ROWS:,} rows")


def test_csv_with_too_many_rows_is_refused(loaded: Path, tmp_path: Path) -> None:
    header = EES.read_text().splitlines()[0]
    line = EES.read_text().splitlines()[3]
    path = many_rows_csv(tmp_path / "many.csv", reading.MAX_CSV_ROWS + 10_000, header, line)
    refused(loaded, path, f"over {reading.MAX_CSV_ROWS:,} rows")


@pytest.mark.parametrize("kind", ["ees", "lait", "neighbours"])
def test_damaged_csvs_get_precise_messages(loaded: Path, tmp_path: Path, kind: str) -> None:
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    refused(loaded, empty, "the file is empty", kind=kind)
    binary = tmp_path / "binary.csv"
    binary.write_bytes(os.urandom(3000) + b"\x00\x00")
    refused(loaded, binary, "binary data", kind=kind)


def test_damaged_parquet_and_xlsx(loaded: Path, tmp_path: Path) -> None:
    fake = tmp_path / "fake.parquet"
    fake.write_bytes(LAIT.read_bytes())
    refused(loaded, fake, "not a readable parquet file", kind="lait")
    real = many_rows_parquet(tmp_path / "cut.parquet", 1000)
    real.write_bytes(real.read_bytes()[:-30])
    refused(loaded, real, "not a readable parquet file")
    book = many_rows_xlsx(tmp_path / "cut.xlsx", 50)
    book.write_bytes(book.read_bytes()[:-200])
    refused(loaded, book, "cannot open it as an Excel workbook")


def test_windows_1252_and_utf16_ees_and_sn_files_load(db_path: Path, tmp_path: Path) -> None:
    text = EES.read_text(encoding="utf-8-sig").replace("second or subsequent", "second – or subsequent")
    for encoding in ("cp1252", "utf-16"):
        path = tmp_path / f"ees_{encoding}.csv"
        path.write_bytes(text.encode(encoding))
        report = ingest([path], db=db_path)
        assert report.ok, report.messages
        assert report.files[0].kind == "ees"
    sn = tmp_path / "sn_cp1252.csv"
    sn_text = SN.read_text(encoding="utf-8-sig").replace("Leicestershire", "Léicestershire")
    sn.write_bytes(sn_text.encode("cp1252"))
    report = ingest([sn], db=db_path)
    assert report.ok and report.files[0].kind == "neighbours", report.messages


def test_encoding_is_found_per_file(tmp_path: Path) -> None:
    path = tmp_path / "x.csv"
    for data, expected in [
        (b"a,b\n1,2\n", "utf-8"), ("\ufeffa,é\n".encode(), "utf-8-sig"),
        ("a,é\n".encode("cp1252"), "cp1252"), ("a,é\n".encode("utf-16"), "utf-16"),
    ]:
        path.write_bytes(data)
        assert reading.csv_encoding(path) == expected


def test_the_same_file_twice_in_one_batch_loads_once(db_path: Path, tmp_path: Path) -> None:
    copy = tmp_path / "copy.csv"
    copy.write_bytes(EES.read_bytes())
    report = ingest([EES, copy], db=db_path)
    assert report.ok
    assert [f.outcome for f in report.files] == ["loaded", "skipped"]
    assert "the same file as" in report.files[1].messages[0]
    log = Reader(db_path).query("select file_name from load_log")
    assert list(log["file_name"]) == [EES.name]


def test_file_names_with_escape_codes_are_sanitised(db_path: Path, tmp_path: Path) -> None:
    path = tmp_path / "evil\x1b[2J\nname.csv"
    path.write_bytes(b"")
    report = ingest([path], db=db_path)
    text = "\n".join(report.messages + [f.file for f in report.files])
    assert "\x1b" not in text and "\n" not in report.files[0].file
    names = Reader(db_path).query("select file_name from load_log")["file_name"]
    assert all("\x1b" not in n and "\n" not in n for n in names)


def test_redact_hides_ids_dates_and_postcodes() -> None:
    text = redact("C001 A123456789012 01/01/2010 2099-12-31 SW1A 1AA 1234567 ['C002', 'C003']")
    for secret in ("C001", "A123456789012", "2010", "2099", "SW1A", "1234567", "C002"):
        assert secret not in text
    assert redact("SSDA903 header, RC8, OC3, Windows-1252, value -7") == (
        "SSDA903 header, RC8, OC3, Windows-1252, value -7"
    )
    assert safe_name("a\x1b[31m\nb") == "a?[31m?b"


def test_problem_text_never_quotes_an_identifier_in_any_column() -> None:
    problem = Problem(file="f.csv", message="bad C001", row=2, column="ACTIV", value="C001", expected="x")
    assert "C001" not in str(problem)


def test_messages_are_capped_per_rule() -> None:
    many = [Problem(file="t.csv", message="invalid value", row=r) for r in range(1_000)]
    kept = capped(many + [Problem(file="t.csv", message="other")])
    assert len(kept) == 22
    assert "980 more rows with the same problem" in kept[-1].message


def test_unexpected_errors_never_carry_data(
    db_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    from loaders.ees import LOADER

    def boom(*_: object) -> None:
        raise KeyError(["C0001", "C0002", "2010-01-01"])

    monkeypatch.setattr(type(LOADER), "load", boom)
    with caplog.at_level(logging.ERROR):
        report = ingest([EES], db=db_path)
    text = "\n".join(report.messages) + caplog.text
    assert not report.ok and "KeyError" in text
    assert "C0001" not in text and "2010" not in text


def test_leftover_spill_directory_of_a_killed_writer_is_removed(loaded: Path) -> None:
    spill = loaded.with_name(f".{loaded.name}.999999.loading.tmp")
    spill.mkdir()
    (spill / "duckdb_temp_storage-0.tmp").write_bytes(b"x" * 100)
    stale = loaded.with_name(f".{loaded.name}.999999.loading")
    stale.write_bytes(b"partial")
    assert ingest([LAIT], db=loaded).ok
    assert not spill.exists() and not stale.exists()


def _hold_lock(db: str, ready: object, release: object) -> None:
    with write_session(db):
        ready.set()  # type: ignore[attr-defined]
        release.wait(10)  # type: ignore[attr-defined]


def test_a_waiting_writer_says_for_whom(db_path: Path) -> None:
    context = multiprocessing.get_context("fork")
    ready, release = context.Event(), context.Event()
    holder = context.Process(target=_hold_lock, args=(str(db_path), ready, release))
    holder.start()
    try:
        assert ready.wait(20)
        said: list[str] = []
        release_later = context.Process(target=lambda: (time.sleep(0.5), release.set()))
        release_later.start()
        with write_session(db_path, on_wait=said.append):
            pass
        release_later.join()
    finally:
        release.set()
        holder.join(10)
    assert said and f"pid {holder.pid}" in said[0] and "started" in said[0]
