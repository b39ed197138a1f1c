"""The Export page's download is byte for byte the export CLI's file for the same selection, and
each download, not each rerun of the page, writes one audit log entry."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.runtime.memory_media_file_storage import MemoryMediaFileStorage
from streamlit.testing.v1 import AppTest

from loaders.audit import audit_entries
from loaders.store import Reader
from metrics.__main__ import main
from tests.pages.store_builder import LA, build_small_store
from tests.pages.support import app_on, no_errors

APP = str(Path(__file__).resolve().parents[2] / "app.py")


@pytest.fixture
def downloads(monkeypatch: pytest.MonkeyPatch) -> dict[str, bytes]:
    """File name -> bytes of every file a download button hands the browser."""
    handed: dict[str, bytes] = {}
    original = MemoryMediaFileStorage.load_and_get_id

    def record(self: MemoryMediaFileStorage, path_or_data: object, mimetype: str, kind: object,
               filename: str | None = None) -> str:
        if isinstance(path_or_data, bytes) and filename:
            handed[filename] = path_or_data
        return original(self, path_or_data, mimetype, kind, filename)  # type: ignore[arg-type]

    monkeypatch.setattr(MemoryMediaFileStorage, "load_and_get_id", record)
    return handed


def test_page_download_equals_cli_bytes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, downloads: dict[str, bytes]
) -> None:
    store = build_small_store(tmp_path / "store.duckdb")
    monkeypatch.setenv("CSC_DB", str(store))

    def cli(*extra: str) -> bytes:
        out = tmp_path / "cli.csv"
        argv = ["export", "--db", str(store), "--la", LA, "--period-type", "month", "--out", str(out)]
        assert main([*argv, *extra]) == 0
        return out.read_bytes()

    def page_bytes() -> bytes:
        assert not at.exception and not at.error
        names = [n for n in downloads if n.startswith(f"kpis-{LA}-month")]
        assert names, list(downloads)
        return downloads.pop(names[-1])

    at = AppTest.from_file(APP, default_timeout=30)
    at.switch_page("pages/export.py").run()
    at.selectbox(key="filter_type").set_value("month").run()
    assert page_bytes() == cli()
    at.checkbox(key="filter_suppress").check().run()
    at.number_input(key="filter_threshold").set_value(7).run()  # not the default 5
    suppressed = page_bytes()
    assert suppressed == cli("--suppress", "7")
    assert b",c," in suppressed and suppressed != cli("--suppress", "5")


def test_each_download_writes_one_audit_entry_and_a_rerun_none(
    small_store: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def exports() -> list[str]:
        entries = audit_entries(Reader(small_store))
        return list(entries.loc[entries["action"] == "export", "what"])

    at = app_on(small_store, monkeypatch)
    at.switch_page("pages/export.py").run()
    at.run()
    at.selectbox(key="filter_type").set_value("month").run()
    no_errors(at)
    assert exports() == []  # drawing the page and changing a filter download nothing
    at.download_button(key="export_download").click().run()
    at.run()
    assert exports() == [f"kpis-{LA}-month-2024-04-2024-09.csv: LA {LA}, all indicators, "
                         "2024-04 to 2024-09, month, unsuppressed"]
    at.download_button(key="export_download").click().run()
    no_errors(at)
    assert len(exports()) == 2
