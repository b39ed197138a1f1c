"""`python -m loaders ingest FOLDER`: files of no known kind fail the batch, briefly, unless
--skip-unknown is given, when each is reported by its (safe) name, logged and skipped."""

from __future__ import annotations

from pathlib import Path

import pytest

from loaders.__main__ import main as loaders_main
from loaders.store import Reader
from tests.loaders.workbook_files import write_csv, write_xlsx

ESCAPED = "notes\x1b[31m.csv"  # a name carrying a terminal escape code


def _folder(tmp_path: Path) -> Path:
    folder = tmp_path / "lait"
    folder.mkdir()
    write_csv(
        folder / "targets.csv",
        [["Indicator", "Year", "Target", "Tolerance"], ["Repeat CP plans", "2023/24", "9", ""]],
    )
    write_xlsx(
        folder / "code_list.xlsx", {"Codes": [["Code", "Meaning"], ["A1", "a code"], ["B2", "another"]]}
    )
    (folder / "readme.docx").write_bytes(b"not a spreadsheet")
    (folder / ESCAPED).write_text("nothing,useful\n1,2\n")
    return folder


def _targets(db: Path) -> int:
    return int(Reader(db).query("select count(*) as n from targets")["n"].iloc[0])


def test_unknown_files_fail_the_folder_briefly_and_name_the_flag(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "store.duckdb"
    folder = _folder(tmp_path)
    assert loaders_main(["ingest", str(folder), "--db", str(db), "--la", "929"]) == 1
    out = capsys.readouterr()
    text = out.out + out.err
    assert "3 file(s) of no known kind: code_list.xlsx, notes?[31m.csv, readme.docx" in out.err
    assert "--skip-unknown" in out.err
    assert "\x1b" not in text
    assert max(len(line) for line in text.splitlines()) < 400
    assert text.count("not a file this dashboard recognises") == 0  # said once, as the summary
    assert _targets(db) == 0  # nothing loaded, not even the known file


def test_skip_unknown_loads_the_rest_and_reports_each_skipped_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "store.duckdb"
    folder = _folder(tmp_path)
    assert loaders_main(["ingest", str(folder), "--db", str(db), "--la", "929", "--skip-unknown"]) == 0
    out = capsys.readouterr().out
    assert "Skipped 3 file(s) of no known kind: code_list.xlsx, notes?[31m.csv, readme.docx" in out
    assert "\x1b" not in out
    assert _targets(db) == 1
    log = Reader(db).query("select file_name, outcome, messages from load_log order by file_name")
    assert log.set_index("file_name")["outcome"].to_dict() == {
        "code_list.xlsx": "skipped",
        "notes?[31m.csv": "skipped",
        "readme.docx": "skipped",
        "targets.csv": "loaded",
    }


def test_skip_unknown_does_not_skip_a_broken_file_of_a_known_kind(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "store.duckdb"
    folder = _folder(tmp_path)
    (folder / "empty.csv").write_bytes(b"")
    assert loaders_main(["ingest", str(folder), "--db", str(db), "--la", "929", "--skip-unknown"]) == 1
    err = capsys.readouterr().err
    assert "empty.csv" in err and "the file is empty" in err
    assert not db.exists() or _targets(db) == 0


def test_an_empty_folder_is_a_message(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "none").mkdir()
    assert loaders_main(["ingest", str(tmp_path / "none"), "--db", str(tmp_path / "s.duckdb")]) == 1
    assert "holds no files" in capsys.readouterr().err
