"""Roles: the role map, and the permission checks in the data functions and on the pages.

The data functions are called directly as a viewer (not through a hidden widget), so the guard is
the function's own; the pages are driven with AppTest to see the message a viewer gets.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from loaders.store import Reader
from pages.components import auth, data
from tests.conftest import assert_same_store, store_snapshot
from tests.pages.store_builder import LA, PLAN_CSV, build_small_store
from tests.pages.support import ANALYST, APP, VIEWER, as_user


@pytest.fixture
def store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = build_small_store(tmp_path / "store.duckdb", with_plan=False)
    monkeypatch.setenv("CSC_DB", str(path))
    return path


def test_roles_file_users_groups_and_default(tmp_path: Path) -> None:
    path = tmp_path / "roles.toml"
    path.write_text(
        'default = "viewer"\ngroup_claim = "roles"\n'
        '[users]\n"Ann.Analyst@council.gov.uk" = "analyst"\n'
        '[groups]\n"csc-admins" = "admin"\n'
    )
    roles = auth.load_roles(path)
    assert auth.role_for("ann.analyst@council.gov.uk", {}, roles) == "analyst"  # case-insensitive
    assert auth.role_for("someone@council.gov.uk", {}, roles) == "viewer"
    assert auth.role_for("ann.analyst@council.gov.uk", {"roles": ["csc-admins"]}, roles) == "admin"
    assert auth.role_for("x@council.gov.uk", {"roles": "csc-admins"}, roles) == "admin"
    assert auth.role_for("x@council.gov.uk", {"groups": ["csc-admins"]}, roles) == "viewer"  # other claim


def test_missing_roles_file_makes_everyone_a_viewer(tmp_path: Path) -> None:
    assert auth.role_for("a@b.gov.uk", {}, auth.load_roles(tmp_path / "absent.toml")) == "viewer"


def test_an_unknown_role_is_refused_naming_the_entry(tmp_path: Path) -> None:
    path = tmp_path / "roles.toml"
    path.write_text('[users]\n"a@b.gov.uk" = "superuser"\n')
    with pytest.raises(ValueError, match=r"users\.a@b\.gov\.uk has role 'superuser'"):
        auth.load_roles(path)


def test_single_user_mode_is_admin() -> None:
    user = auth.current_user()  # no secrets.toml in the tests: sign-in is off
    assert user.single_user and user.role == "admin"


def test_require_names_the_action_role_and_user(monkeypatch: pytest.MonkeyPatch) -> None:
    as_user(monkeypatch, VIEWER)
    with pytest.raises(auth.PermissionDenied, match="Loading files needs the analyst role; you are "
                       "signed in as vera.viewer@council.gov.uk with the viewer role"):
        auth.require("analyst", "Loading files")
    as_user(monkeypatch, ANALYST)
    assert auth.require("analyst", "Loading files") == ANALYST
    with pytest.raises(auth.PermissionDenied):
        auth.require("admin", "Changing settings")


def test_a_viewer_cannot_ingest_and_the_store_is_unchanged(
    store: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    as_user(monkeypatch, VIEWER)
    before = store_snapshot(store)
    with pytest.raises(auth.PermissionDenied, match="Loading files needs the analyst role"):
        data.ingest_uploads([("plan.csv", PLAN_CSV.encode())], LA)
    assert_same_store(before, store_snapshot(store))
    as_user(monkeypatch, ANALYST)
    assert data.ingest_uploads([("plan.csv", PLAN_CSV.encode())], LA).ok
    assert len(Reader(store).query("select * from improvement_plan")) == 3


def test_a_viewer_may_export_only_suppressed(store: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    as_user(monkeypatch, VIEWER)
    with pytest.raises(auth.PermissionDenied, match="Exporting without small-number suppression"):
        data.export_view(LA, None, None, None, "month", "2025", None)
    assert data.export_view(LA, None, None, None, "month", "2025", 5).csv
    as_user(monkeypatch, ANALYST)
    assert data.export_view(LA, None, None, None, "month", "2025", None).csv


def test_data_page_tells_a_viewer_and_loads_nothing(store: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    as_user(monkeypatch, VIEWER)
    at = AppTest.from_file(APP, default_timeout=30)
    at.switch_page("pages/data.py").run()
    assert any("Loading files needs the analyst role." in c.value for c in at.caption)
    at.file_uploader[0].set_value([("plan.csv", PLAN_CSV.encode(), "text/csv")])
    at.button(key="FormSubmitter:upload-Load").click().run()
    assert not at.exception
    assert any("Loading files needs the analyst role; you are signed in as" in e.value for e in at.error)
    assert not Reader(store).has_table("improvement_plan")


def test_single_user_mode_is_said_in_the_sidebar(store: Path) -> None:
    at = AppTest.from_file(APP, default_timeout=30).run()
    assert any("Single-user mode" in c.value for c in at.sidebar.caption)
