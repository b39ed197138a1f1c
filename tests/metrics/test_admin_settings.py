"""Admin settings: validated, stored, audited (old -> new), and in effect where they are used."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from loaders.audit import audit_entries
from loaders.store import Reader
from metrics import admin_settings
from metrics.headlines import headlines
from tests.pages.store_builder import LA, build_small_store


@pytest.fixture
def store(tmp_path: Path) -> Path:
    return build_small_store(tmp_path / "store.duckdb", with_plan=False)


def _settings_entries(store: Path) -> list[tuple[str, str]]:
    entries = audit_entries(Reader(store))
    entries = entries[entries["action"] == "settings"]
    return list(zip(entries["user_name"], entries["what"], strict=True))


def test_defaults_before_any_change(store: Path) -> None:
    assert admin_settings.current(Reader(store)) == {
        "la_code": LA,  # written by the first load
        "low_n": "10",
        "suppression_threshold": "5",
        "internal_marking": "OFFICIAL-SENSITIVE",
    }


def test_a_change_is_stored_and_audited_with_old_and_new(store: Path) -> None:
    assert admin_settings.change(store, "ada.admin@council.gov.uk", "low_n", " 6 ") == ("10", "6")
    assert admin_settings.low_n(Reader(store)) == 6
    assert admin_settings.change(store, "ada.admin@council.gov.uk", "la_code", "908") == (LA, "908")
    assert _settings_entries(store) == [  # newest first
        ("ada.admin@council.gov.uk", "Default LA: Northumberland (929) -> Cornwall (908)"),
        ("ada.admin@council.gov.uk", "Low-n threshold: 10 -> 6"),
    ]


def test_the_same_value_writes_nothing(store: Path) -> None:
    assert admin_settings.change(store, "ada", "suppression_threshold", "5") is None
    assert _settings_entries(store) == []


@pytest.mark.parametrize(
    ("key", "text", "message"),
    [
        ("low_n", "ten", "Low-n threshold: expected a whole number from 2 to 200"),
        ("low_n", "1", "Low-n threshold: expected a whole number from 2 to 200"),
        ("suppression_threshold", "21", "Suppression threshold for publication: expected a whole number"),
        ("internal_marking", "SECRET", "Protective marking of internal reports: expected one of OFFICIAL, "),
        ("la_code", "999", "Default LA: expected an English LA's 3-digit DfE code"),
        ("theme", "dark", "unknown setting 'theme'"),
    ],
)
def test_a_value_not_allowed_is_refused_and_nothing_is_written(
    store: Path, key: str, text: str, message: str
) -> None:
    before = admin_settings.current(Reader(store))
    with pytest.raises(ValueError, match=message.replace("(", r"\(").replace(")", r"\)")):
        admin_settings.change(store, "ada", key, text)
    assert admin_settings.current(Reader(store)) == before
    assert _settings_entries(store) == []


def test_the_low_n_threshold_decides_which_headlines_are_rated(store: Path) -> None:
    """care_leavers_in_touch_17_18 is 95 of 100: rated under any threshold up to 100 (a
    denominator equal to the threshold is not low), low n from 101."""

    def leavers() -> dict[str, object]:
        rows = headlines(Reader(store), LA).set_index("indicator_id")
        row = rows.loc["care_leavers_in_touch_17_18"]
        return {"low_n": bool(row["low_n"]), "rag": None if pd.isna(row["rag"]) else row["rag"],
                "rating": row["rating"]}

    assert leavers() == {"low_n": False, "rag": "green", "rating": "green"}
    admin_settings.change(store, "ada", "low_n", "100")
    assert leavers() == {"low_n": False, "rag": "green", "rating": "green"}
    admin_settings.change(store, "ada", "low_n", "101")
    assert leavers() == {"low_n": True, "rag": None, "rating": "low n"}
