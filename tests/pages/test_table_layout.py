"""Wide tables fit the window: RAG, SN and England within the first columns (on screen at 800 px
wide), short headers with the full wording as help, the secondary columns behind a switch."""

from __future__ import annotations

import json
from typing import Any

from streamlit.testing.v1 import AppTest

LONGEST_HEADER = 26  # characters that fit a column header at 1440 px without being cut


def shown_columns(element: Any) -> list[str]:
    return list(element.proto.column_order)


def headers(element: Any) -> dict[str, dict[str, Any]]:
    return json.loads(element.proto.columns)


def test_scorecard_leads_with_rag_sn_and_england_and_hides_the_rest_behind_a_switch(app: AppTest) -> None:
    app.run()
    card = app.dataframe[0]
    assert shown_columns(card)[:5] == ["indicator", "latest", "rag_label", "sn", "england"]
    assert "dq" not in shown_columns(card) and "target_from" not in shown_columns(card)
    config = headers(card)
    assert config["trend"]["label"] == "Trend" and config["trend"]["help"] == "The last 12 periods."
    assert config["sn"]["label"] == "SN"
    assert "mean of the LA's 10 neighbours, 2025 model" in config["sn"]["help"]
    assert config["dq"]["label"] == "Data quality"
    assert config["indicator"]["pinned"] is True
    # Period sized for its longest value, which the grid's automatic width cut off
    assert config["period"]["width"] == 218
    labels = [c["label"] for c in config.values() if c.get("label")]
    assert max(len(label) for label in labels) <= LONGEST_HEADER, labels

    app.toggle(key="scorecard_all_columns").set_value(True).run()
    every = shown_columns(app.dataframe[0])
    assert every[:5] == ["indicator", "latest", "rag_label", "sn", "england"]
    assert {"target_from", "direction", "direction_years", "dq"} <= set(every)
    assert not app.exception


def test_sidebar_average_options_are_short_with_the_sources_as_help(app: AppTest) -> None:
    app.run()
    average = app.sidebar.selectbox(key="filter_avg")
    assert average.options == ["Mean (LAIT)", "Median (DfE dashboard)"]
    assert "LAIT" in average.help and "children's social care dashboard" in average.help


def test_indicator_values_lead_with_rag_and_comparators(app: AppTest) -> None:
    app.query_params["indicator"] = "repeat_cp_plans"
    app.switch_page("pages/indicator.py").run()
    values = app.dataframe[0]
    assert shown_columns(values)[:5] == ["Period end", "Value", "RAG", "SN mean", "England"]
    assert set(shown_columns(values)) == set(values.value.columns)  # nothing dropped, only ordered
    assert headers(values)["Data quality (DfE rules)"]["label"] == "Data quality"


def test_published_only_scorecard_leads_with_sn_and_england(app: AppTest) -> None:
    app.query_params["la"] = "840"
    app.run()
    card = app.dataframe[0]
    assert shown_columns(card)[:4] == ["Indicator", "LA value", "Statistical neighbours", "England"]
    assert headers(card)["Statistical neighbours"]["label"] == "SN"
    app.toggle(key="published_all_columns").set_value(True).run()
    assert {"Rank (1 = best)", "Region"} <= set(shown_columns(app.dataframe[0]))


def test_plan_and_report_tables_lead_with_the_rag(app: AppTest) -> None:
    app.switch_page("pages/improvement_plan.py").run()
    links = next(d for d in app.dataframe if "Target used" in d.value.columns)
    assert shown_columns(links)[:4] == ["Ref", "Indicator", "Latest", "RAG"]
    app.switch_page("pages/reports.py").run()
    area = next(d for d in app.dataframe if "SN average" in d.value.columns)
    assert shown_columns(area)[:6] == ["Indicator", "Value", "RAG", "SN average", "England", "Area"]
    assert set(shown_columns(area)) == set(area.value.columns)
    assert len([d for d in app.dataframe if "SN average" in d.value.columns]) == 1  # one for all areas
    plan = next(d for d in app.dataframe if "Recommendation" in d.value.columns)
    assert shown_columns(plan)[:3] == ["Ref", "Recommendation", "RAG"]
