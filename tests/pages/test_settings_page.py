"""The admin settings on the Data page: an admin's change takes effect and is audited; an analyst
or viewer gets no settings form and the data function refuses them (the store unchanged)."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from loaders.audit import audit_entries
from loaders.store import Reader
from metrics import admin_settings
from pages.components import auth, data, settings
from tests.pages.store_builder import LA, build_small_store
from tests.pages.support import ADMIN, ANALYST, APP, VIEWER, as_user


@pytest.fixture
def store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = build_small_store(tmp_path / "store.duckdb", with_plan=False)
    monkeypatch.setenv("CSC_DB", str(path))
    return path


def test_an_admin_changes_the_low_n_threshold_on_the_data_page(
    store: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    as_user(monkeypatch, ADMIN)
    at = AppTest.from_file(APP, default_timeout=60)
    at.switch_page("pages/data.py").run()
    at.selectbox(key="setting_key").set_value("low_n")
    at.text_input(key="setting_value").set_value("101")
    at.button(key="FormSubmitter:settings-Change setting").click().run()
    assert not at.exception
    assert [s.value for s in at.success] == ["Low-n threshold: 10 -> 101. Recorded in the audit log."]
    table = next(d.value for d in at.dataframe if "Setting" in d.value.columns).set_index("Setting")
    assert table.loc["Low-n threshold", "Value"] == "101"
    audit = next(d.value for d in at.dataframe if "Who" in d.value.columns)
    assert tuple(audit[["Action", "Who", "What"]].iloc[0]) == (
        "settings",
        ADMIN.name,
        "Low-n threshold: 10 -> 101",
    )
    # in effect: 95 of 100 care leavers in touch is now low n and not rated on the scorecard
    card = data.scorecard(LA).rows.set_index("indicator_id")
    assert card.loc["care_leavers_in_touch_17_18", "rating"] == "low n"
    assert "under 101 in the denominator" in data.headline_rule()


def test_a_refused_value_is_said_and_nothing_changes(store: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    as_user(monkeypatch, ADMIN)
    outcome = settings.change_setting("suppression_threshold", "1")
    assert outcome == settings.SettingChange(
        "Not changed. Suppression threshold for publication: expected a whole number from 2 to 20.", False
    )
    assert admin_settings.current(Reader(store))["suppression_threshold"] == "5"


@pytest.mark.parametrize("user", [VIEWER, ANALYST], ids=["viewer", "analyst"])
def test_only_an_admin_may_change_settings(
    store: Path, monkeypatch: pytest.MonkeyPatch, user: auth.User
) -> None:
    as_user(monkeypatch, user)
    at = AppTest.from_file(APP, default_timeout=60)
    at.switch_page("pages/data.py").run()
    assert not at.exception
    assert not [s for s in at.selectbox if s.key == "setting_key"]  # no settings form
    with pytest.raises(auth.PermissionDenied, match=f"Changing settings needs the admin role; you are signed "
                       f"in as {user.name} with the {user.role} role"):
        settings.change_setting("low_n", "3")
    with pytest.raises(auth.PermissionDenied, match="Managing settings needs the admin role"):
        settings.settings_table()
    assert admin_settings.current(Reader(store))["low_n"] == "10"
    assert "settings" not in set(audit_entries(Reader(store))["action"])


def test_a_viewer_may_not_export_below_the_admins_threshold(
    store: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    admin_settings.change(store, ADMIN.name, "suppression_threshold", "8")
    as_user(monkeypatch, VIEWER)
    assert settings.publication_threshold() == 8
    with pytest.raises(auth.PermissionDenied, match="a suppression threshold under 8"):
        data.export_view(LA, None, None, None, "month", "2025", 5)
    assert data.export_view(LA, None, None, None, "month", "2025", 8).csv
    as_user(monkeypatch, ANALYST)
    assert data.export_view(LA, None, None, None, "month", "2025", 5).csv


def test_the_reports_page_starts_with_the_admins_marking(
    store: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    admin_settings.change(store, ADMIN.name, "internal_marking", "OFFICIAL")
    as_user(monkeypatch, ANALYST)
    at = AppTest.from_file(APP, default_timeout=60)
    at.switch_page("pages/reports.py").run()
    assert not at.exception
    assert at.selectbox(key="report_marking_internal").value == "OFFICIAL"
