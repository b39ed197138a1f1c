"""What the page tests share: the app's path, the no-error check, and signed-in users."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from pages.components import auth

APP = str(Path(__file__).resolve().parents[2] / "app.py")
VIEWER = auth.User(name="vera.viewer@council.gov.uk", role="viewer", single_user=False)
ANALYST = auth.User(name="ann.analyst@council.gov.uk", role="analyst", single_user=False)
ADMIN = auth.User(name="ada.admin@council.gov.uk", role="admin", single_user=False)


def app_on(store: Path, monkeypatch: pytest.MonkeyPatch, timeout: float = 30) -> AppTest:
    """The app (not yet run) reading `store`."""
    monkeypatch.setenv("CSC_DB", str(store))
    return AppTest.from_file(APP, default_timeout=timeout)


def no_errors(at: AppTest) -> None:
    assert not at.exception, [e.message for e in at.exception]
    assert not at.error, [e.value for e in at.error]


def as_user(monkeypatch: pytest.MonkeyPatch, user: auth.User) -> None:
    """Sign `user` in for the rest of the test."""
    monkeypatch.setattr(auth, "current_user", lambda: user)
