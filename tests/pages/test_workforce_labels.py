"""Workforce figures read as what they are, on every page that shows a year or a period.

The DfE's workforce year 2024 is the census at 30 September 2024, not the reporting year 2023/24
(which ended six months before it); and the LA's monthly agency rate (period type "year" in the
catalogue) is the position at each month end, not a whole year. The small store
(tests/pages/store_builder.py) plus the agency rate: 11.8% at 30 September 2024 locally, and
published 12.0% (2023) and 10.0% (2024) for the LA, 15.0% and 14.0% for England.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from loaders.store import write_session
from metrics import benchmarks
from tests.pages.store_builder import LA, NEIGHBOURS, build_small_store, record_second_workbook
from tests.pages.support import app_on, no_errors

SEPTEMBER = date(2024, 9, 30)


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = build_small_store(tmp_path_factory.mktemp("workforce") / "dashboard.duckdb")
    published = [("sw_agency_rate", 2024, "Local authority", code, None, 20.0) for code in NEIGHBOURS]
    published += [
        ("sw_agency_rate", 2023, "Local authority", LA, None, 12.0),
        ("sw_agency_rate", 2024, "Local authority", LA, None, 10.0),
        ("sw_agency_rate", 2023, "National", "E92000001", "England", 15.0),
        ("sw_agency_rate", 2024, "National", "E92000001", "England", 14.0),
    ]
    with write_session(path) as writer:
        record_second_workbook(writer, [(LA, "sw_agency_rate", SEPTEMBER, "year", None, None, 11.8, "")])
        writer.insert_frame(
            "benchmark_values",
            pd.DataFrame(
                published,
                columns=["indicator_id", "year", "geographic_level", "area_code", "area_name", "value"],
            ).assign(status="", method="published", source="EES", source_file="csww_test.csv"),
        )
        benchmarks.refresh_benchmark_summary(writer)
    return path


@pytest.fixture
def app(store: Path, monkeypatch: pytest.MonkeyPatch) -> AppTest:
    return app_on(store, monkeypatch, timeout=60)


def test_overview_names_the_census_date_and_the_month_end(app: AppTest) -> None:
    app.run()
    no_errors(app)
    agency = next(
        d.value for d in app.dataframe if "Agency rate" in set(d.value.get("indicator", []))
    ).set_index("indicator").loc["Agency rate"]
    assert agency["latest"] == "11.8%"
    assert agency["period"] == "Sep 2024 (at month end)"  # not "(year)"
    assert agency["direction_years"] == "30 Sep 2023 to 30 Sep 2024"  # not "2022/23 to 2023/24"
    assert agency["england"] == "14.0%"


def test_indicator_trend_period_and_published_year(app: AppTest) -> None:
    app.query_params["indicator"] = "sw_agency_rate"
    app.switch_page("pages/indicator.py").run()
    no_errors(app)
    assert app.radio(key="filter_period").options == ["At month end"]
    chart = app.get("plotly_chart")[0].proto.spec
    assert "England (published 30 Sep 2024): 14.0%" in chart
    assert "2023/24" not in chart


def test_neighbours_offers_the_census_dates(app: AppTest) -> None:
    app.query_params["indicator"] = "sw_agency_rate"
    app.switch_page("pages/neighbours.py").run()
    no_errors(app)
    assert app.selectbox(key="filter_year").options == ["30 Sep 2024", "30 Sep 2023"]
    assert any(m.label.endswith("30 Sep 2024") for m in app.metric)
    assert "30 Sep 2023" in app.dataframe[-1].value["Published year"].tolist()  # rank history
