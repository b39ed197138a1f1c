"""The audit log: loads, exports and commentary are recorded with who and when, never child data."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from loaders.audit import audit_entries, export_what, os_user
from loaders.commentary import Subject, save_commentary
from loaders.ingest import ingest
from loaders.store import Reader
from metrics.__main__ import main
from pages.components import auth, data
from tests.pages.store_builder import LA, PLAN_CSV, build_small_store

APP = str(Path(__file__).resolve().parents[2] / "app.py")


@pytest.fixture
def store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = build_small_store(tmp_path / "store.duckdb", with_plan=False)
    monkeypatch.setenv("CSC_DB", str(path))
    return path


def entries(store: Path) -> list[tuple[str, str, str]]:
    found = audit_entries(Reader(store))
    return list(zip(found["user_name"], found["action"], found["what"], strict=True))


def test_a_load_is_recorded_with_its_user_files_and_outcome(store: Path, tmp_path: Path) -> None:
    plan = tmp_path / "plan.csv"
    plan.write_text(PLAN_CSV)
    before = datetime.now()
    assert ingest([plan], db=store, la_code=LA, user="ann@council.gov.uk").ok
    assert entries(store) == [("ann@council.gov.uk", "load", "improvement_plan plan.csv: loaded")]
    assert audit_entries(Reader(store))["recorded_at"].iloc[0] >= before


def test_a_refused_load_is_recorded_and_the_command_line_user_is_the_os_user(
    store: Path, tmp_path: Path
) -> None:
    bad = tmp_path / "plan.csv"
    bad.write_text(PLAN_CSV.replace("repeat_cp_plans", "no such indicator"))
    assert not ingest([bad], db=store, la_code=LA).ok
    ((user, action, what),) = entries(store)
    assert (user, action) == (os_user(), "load")
    assert what == "improvement_plan plan.csv: failed"


def test_a_cli_export_is_recorded_with_its_selection(store: Path, tmp_path: Path) -> None:
    out = tmp_path / "kpis.csv"
    argv = ["export", "--db", str(store), "--la", LA, "--period-type", "month", "--from", "2024-04"]
    assert main([*argv, "--suppress", "5", "--out", str(out)]) == 0
    assert entries(store) == [
        (os_user(), "export", f"kpis.csv: LA {LA}, all indicators, 2024-04 to last month, month, "
         "suppressed below 5")
    ]


def test_commentary_is_recorded_without_its_text(store: Path) -> None:
    text = "Three repeat plans, each audited."
    save_commentary(
        store, la_code=LA, subject=Subject(indicator_id="repeat_cp_plans"), month=date(2024, 9, 30),
        text=text, author="ann@council.gov.uk",
    )
    assert entries(store) == [
        ("ann@council.gov.uk", "commentary", f"LA {LA}, indicator repeat_cp_plans, 2024-09, version 1")
    ]


def test_export_selection_names_the_filters() -> None:
    assert export_what("k.csv", None, ["a", "b"], None, date(2025, 3, 31), None, None) == (
        "k.csv: LA all, indicators a b, first month to 2025-03, all period types, unsuppressed"
    )


def test_page_upload_and_download_record_the_signed_in_user(
    store: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    analyst = auth.User(name="ann@council.gov.uk", role="analyst", single_user=False)
    monkeypatch.setattr(auth, "current_user", lambda: analyst)
    assert data.ingest_uploads([("plan.csv", PLAN_CSV.encode())], LA).ok
    view = data.export_view(LA, None, None, None, "month", "2025", 5)
    data.record_export(view.selection)
    assert [(u, a) for u, a, _ in entries(store)] == [(analyst.name, "export"), (analyst.name, "load")]
    assert entries(store)[0][2].startswith(view.file_name + ": LA")


def test_only_admins_read_the_audit_log(store: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    analyst = auth.User(name="ann@council.gov.uk", role="analyst", single_user=False)
    monkeypatch.setattr(auth, "current_user", lambda: analyst)
    with pytest.raises(auth.PermissionDenied, match="Reading the audit log needs the admin role"):
        data.audit_log()
    at = AppTest.from_file(APP, default_timeout=30)
    at.switch_page("pages/data.py").run()
    assert not any(m.value == "#### Audit log" for m in at.markdown)


def test_the_data_page_shows_the_audit_log_to_an_admin(store: Path, tmp_path: Path) -> None:
    plan = tmp_path / "plan.csv"
    plan.write_text(PLAN_CSV)
    assert ingest([plan], db=store, la_code=LA, user="ann@council.gov.uk").ok
    at = AppTest.from_file(APP, default_timeout=30)  # single-user mode: the local user is admin
    at.switch_page("pages/data.py").run()
    assert not at.exception
    shown = next(d.value for d in at.dataframe if "Who" in d.value.columns)
    assert shown[["Who", "Action"]].values.tolist() == [["ann@council.gov.uk", "load"]]
