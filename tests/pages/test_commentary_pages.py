"""Commentary on the Indicator trend and Improvement plan pages: shown, written, versioned, guarded."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from loaders.commentary import Subject
from loaders.store import Reader
from metrics.commentary import commentary_export
from pages.components import auth
from pages.components import commentary as commentary_ui
from tests.conftest import assert_same_store, store_snapshot
from tests.pages.store_builder import LA, build_small_store
from tests.pages.support import APP, no_errors

SEPTEMBER = date(2024, 9, 30)


@pytest.fixture
def store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = build_small_store(tmp_path / "store.duckdb")
    monkeypatch.setenv("CSC_DB", str(path))
    return path


def test_indicator_commentary_is_written_shown_and_edited(store: Path) -> None:
    at = AppTest.from_file(APP, default_timeout=30)
    at.query_params["indicator"] = "repeat_cp_plans"
    at.switch_page("pages/indicator.py").run()
    no_errors(at)
    assert at.selectbox(key="indicator_month").value == SEPTEMBER
    assert any("No commentary for September 2024 yet." in c.value for c in at.caption)
    at.text_area[0].set_value("3 of 37 plans were repeats; each was audited.")
    at.button[0].click().run()
    no_errors(at)
    assert any("Saved as version 1 for September 2024." in s.value for s in at.success)
    assert at.info[0].value == "3 of 37 plans were repeats; each was audited."
    assert any(c.value.startswith(f"Version 1, by {auth.SINGLE_USER}") for c in at.caption)

    at.text_area[0].set_value("Revised: 3 of 37, all audited, none avoidable.")
    at.button[0].click().run()
    no_errors(at)
    assert at.info[0].value == "Revised: 3 of 37, all audited, none avoidable."
    history = [d.value for d in at.dataframe if "author" in d.value.columns]
    assert history[0]["text"].tolist() == ["3 of 37 plans were repeats; each was audited."]
    stored = commentary_export(Reader(store), LA)
    assert stored["version"].tolist() == [1, 2]


def test_a_refused_commentary_says_why_on_the_page(store: Path) -> None:
    at = AppTest.from_file(APP, default_timeout=30)
    at.query_params["indicator"] = "repeat_cp_plans"
    at.switch_page("pages/indicator.py").run()
    before = store_snapshot(store)
    at.text_area[0].set_value("Child at NE61 1AB")
    at.button[0].click().run()
    assert [e.value for e in at.error] == ["the commentary contains what looks like a postcode"]
    assert_same_store(before, store_snapshot(store))


def test_recommendation_commentary_on_the_plan_page(store: Path) -> None:
    at = AppTest.from_file(APP, default_timeout=30)
    at.switch_page("pages/improvement_plan.py").run()
    no_errors(at)
    at.selectbox(key="plan_ref").set_value("2").run()
    at.text_area[0].set_value("In touch with 95 of 100; the WhatsApp pilot starts in October.")
    at.button[0].click().run()
    no_errors(at)
    row = commentary_export(Reader(store), LA).iloc[0]
    assert (row["recommendation_ref"], row["month"], row["indicator_id"]) == ("2", SEPTEMBER, None)


def test_a_viewer_sees_commentary_but_cannot_write_it(store: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    viewer = auth.User(name="vera.viewer@council.gov.uk", role="viewer", single_user=False)
    monkeypatch.setattr(auth, "current_user", lambda: viewer)
    with pytest.raises(auth.PermissionDenied, match="Writing commentary needs the analyst role"):
        commentary_ui.save(LA, Subject(indicator_id="repeat_cp_plans"), SEPTEMBER, "Fine.")
    assert commentary_export(Reader(store), LA).empty
