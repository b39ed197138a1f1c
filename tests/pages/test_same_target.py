"""One target per indicator (metrics.headlines.applicable_target): the Overview and the Improvement
plan show the same target for the same indicator, and say where it comes from.

The small store (tests/pages/store_builder.py) without its plan, plus re-referrals (no LA target):
22 of 100 = 22% at 30 September 2024, and this plan: recommendation 1 links repeat CP plans alone
with 18% (the LA's 2024/25 target of 10% applies instead, on both pages); recommendation 2 links
re-referrals alone with 20%, and recommendation 3 re-referrals with 25% (the first, 20%, applies).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from loaders.improvement_plan import LOADER
from loaders.store import write_session
from tests.pages.store_builder import LA, PLAN_HEADER, build_small_store, record_second_workbook
from tests.pages.support import app_on, no_errors

PLAN = (
    f"{PLAN_HEADER}\n"
    "1,Reduce repeat child protection plans,Child protection,Head of Safeguarding,repeat_cp_plans,"
    "16.5%,18%,31/03/2025,,\n"
    "2,Fewer re-referrals,Front door,Head of Front Door,re_referrals,25%,20%,31/03/2025,,\n"
    "3,Fewer re-referrals in the long run,Front door,Head of Front Door,re_referrals,25%,25%,31/03/2026,,\n"
)


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("same_target")
    path = build_small_store(folder / "dashboard.duckdb", with_plan=False)
    with write_session(path) as writer:
        context = record_second_workbook(
            writer, [(LA, "re_referrals", date(2024, 9, 30), "rolling_12m", 22, 100, 22.0, "")]
        )
        plan = folder / "plan.csv"
        plan.write_text(PLAN)
        LOADER.load(plan, writer, context)
    return path


@pytest.fixture
def app(store: Path, monkeypatch: pytest.MonkeyPatch) -> AppTest:
    return app_on(store, monkeypatch, timeout=60)


def overview_row(at: AppTest, indicator: str) -> pd.Series:
    table = next(d.value for d in at.dataframe if indicator in set(d.value.get("indicator", [])))
    return table.set_index("indicator").loc[indicator]


def test_overview_and_plan_show_the_same_target_and_its_source(app: AppTest) -> None:
    app.run()
    no_errors(app)
    overview = {
        name: (overview_row(app, name)["target"], overview_row(app, name)["target_from"])
        for name in ("Repeat CP plans", "Re-referrals")
    }
    assert overview == {
        "Repeat CP plans": ("10.0%", "LA target for 2024/25"),  # not the plan's 18%
        "Re-referrals": ("20.0%", "improvement plan, recommendation 2"),
    }
    app.switch_page("pages/improvement_plan.py").run()
    no_errors(app)
    links = next(d.value for d in app.dataframe if "Target used" in d.value.columns)
    shown = {
        (r["Ref"], r["Indicator"]): (r["Target used"], r["Target from"]) for _, r in links.iterrows()
    }
    assert shown == {
        ("1", "Repeat CP plans"): overview["Repeat CP plans"],
        ("2", "Re-referrals"): overview["Re-referrals"],
        ("3", "Re-referrals"): overview["Re-referrals"],  # its own 25% is not a second target
    }
    plan = next(d.value for d in app.dataframe if "Recommendation" in d.value.columns).set_index("Ref")
    assert plan.loc["3", "Plan's target (as written)"] == "25%"  # the plan's wording stays visible
