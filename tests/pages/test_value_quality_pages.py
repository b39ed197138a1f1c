"""Data quality beside the values on screen: the Overview's marker and the Indicator trend's list
of open DfE validation findings for the chosen month (AppTest over the small store plus
hand-made findings)."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from loaders.store import write_session
from tests.pages.store_builder import LA, MONTHS, build_small_store
from tests.pages.support import app_on, no_errors

# two CIN rules bear on repeat CP plans in September 2024 (the latest month); one also in August
FINDINGS = [("8863Q", "query", "Overlapping open S47 enquiries", 2, [MONTHS[-1]]),
            ("1103", "error", "Assessment start before the referral", 1, [MONTHS[-2], MONTHS[-1]])]


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = build_small_store(tmp_path_factory.mktemp("dq") / "dashboard.duckdb")
    with write_session(path) as writer:
        writer.insert_frame("validation_findings", pd.DataFrame({
            "rule_code": [f[0] for f in FINDINGS], "return_name": "cin", "la_code": LA,
            "collection_year": 2025, "severity": [f[1] for f in FINDINGS],
            "message": [f[2] for f in FINDINGS], "table_name": "cin_assessments",
            "column_names": [["assessment_start"]] * 2, "rows": [f[3] for f in FINDINGS],
            "children": [f[3] for f in FINDINGS], "indicators": [["repeat_cp_plans"]] * 2,
            "computed_at": datetime(2024, 10, 15),
        }))
        writer.insert_frame("validation_finding_months", pd.DataFrame([
            {"rule_code": code, "la_code": LA, "indicator_id": "repeat_cp_plans", "month_end": month,
             "rows": n, "children": n}
            for code, _, _, n, months in FINDINGS for month in months
        ]))
    return path


@pytest.fixture
def app(store: Path, monkeypatch: pytest.MonkeyPatch) -> AppTest:
    return app_on(store, monkeypatch)


def test_overview_marks_a_value_with_open_findings(app: AppTest) -> None:
    app.run()
    no_errors(app)
    scorecard = app.dataframe[0].value.set_index("indicator")
    assert scorecard.loc["Repeat CP plans", "dq"] == "⚠ 1103; 8863Q (3 children)"
    assert scorecard.loc["Care leavers in touch (17-18)", "dq"] == ""


def test_indicator_trend_lists_the_findings_of_the_chosen_month(app: AppTest) -> None:
    app.query_params["indicator"] = "repeat_cp_plans"
    app.switch_page("pages/indicator.py").run()
    no_errors(app)
    values = app.dataframe[0].value
    marked = values["Data quality (DfE rules)"].tolist()
    assert marked[-2:] == ["⚠ 1103 (1 child)", "⚠ 1103; 8863Q (3 children)"]
    listed = next(d.value for d in app.dataframe if "DfE wording" in d.value.columns)
    assert listed.to_dict("list") == {
        "Rule": ["1103", "8863Q"], "Severity": ["error", "query"],
        "DfE wording": ["Assessment start before the referral", "Overlapping open S47 enquiries"],
        "Children affected": [1, 2], "Records": [1, 2],
    }
    month = next(s for s in app.selectbox if s.label == "Month")
    month.set_value(date(2024, 7, 31)).run()
    no_errors(app)
    assert not any("DfE wording" in d.value.columns for d in app.dataframe)
    assert any("No open DfE validation finding" in c.value for c in app.caption)
