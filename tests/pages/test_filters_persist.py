"""The sidebar's choices survive page switches and stay in the URL; a page run again with no input
changes nothing (no widget state, no URL, no rerun), so a browser never sees a rerun loop."""

from __future__ import annotations

from typing import Any

import pytest
import streamlit
from streamlit.testing.v1 import AppTest

from tests.pages.support import no_errors


def sidebar(at: AppTest) -> dict[str, Any]:
    return {key: at.sidebar.selectbox(key=f"filter_{key}").value for key in ("la", "sn", "avg")}


def widget_state(at: AppTest) -> list[tuple[str, str, object]]:
    """Every input widget on screen: kind, Streamlit's widget id and value."""
    kinds = ("selectbox", "radio", "multiselect", "checkbox", "number_input", "text_input", "date_input")
    return [(kind, w.id, repr(w.value)) for kind in kinds for w in at.get(kind)]


def test_the_chosen_la_and_model_persist_across_page_switches_and_in_the_url(app: AppTest) -> None:
    app.query_params["la"] = "840"  # a published-only LA, not the store's own (929)
    app.run()
    no_errors(app)
    assert sidebar(app)["la"] == "840"
    for page in ("neighbours", "indicator", "export", "overview"):
        app.switch_page(f"pages/{page}.py").run()
        no_errors(app)
        assert sidebar(app)["la"] == "840", page
        assert app.query_params["la"] == "840", page

    app.sidebar.selectbox(key="filter_la").set_value("201").run()
    app.sidebar.selectbox(key="filter_sn").set_value("2021").run()
    app.sidebar.selectbox(key="filter_avg").set_value("median").run()
    chosen = {"la": "201", "sn": "2021", "avg": "median"}
    for page in ("neighbours", "data", "indicator"):
        app.switch_page(f"pages/{page}.py").run()
        no_errors(app)
        assert sidebar(app) == chosen, page
        assert {k: app.query_params[k] for k in chosen} == chosen, page


def test_a_link_still_wins_over_what_was_chosen(app: AppTest) -> None:
    app.run()
    app.sidebar.selectbox(key="filter_la").set_value("201").run()
    app.query_params["la"] = "840"  # a link pasted into the same session
    app.switch_page("pages/neighbours.py").run()
    assert sidebar(app)["la"] == "840"


def test_a_second_run_with_no_input_changes_nothing(app: AppTest, monkeypatch: pytest.MonkeyPatch) -> None:
    reruns: list[object] = []
    real_rerun = streamlit.rerun

    def counted(*args: Any, **kwargs: Any) -> None:
        reruns.append(args)
        real_rerun(*args, **kwargs)

    monkeypatch.setattr(streamlit, "rerun", counted)
    app.switch_page("pages/neighbours.py").run()
    app.sidebar.selectbox(key="filter_sn").set_value("2021").run()  # the change before the loop seen
    no_errors(app)
    reruns.clear()
    before, url = widget_state(app), dict(app.query_params)
    app.run()
    assert widget_state(app) == before
    assert dict(app.query_params) == url
    app.run()
    assert widget_state(app) == before
    assert reruns == []


PAGES = ["overview", "indicator", "neighbours", "caseloads", "improvement_plan", "data", "export", "reports"]


@pytest.mark.parametrize("page", PAGES)
def test_every_page_is_still_on_a_second_run(app: AppTest, page: str) -> None:
    app.switch_page(f"pages/{page}.py").run()
    no_errors(app)
    before, url = widget_state(app), dict(app.query_params)
    app.run()
    no_errors(app)
    assert widget_state(app) == before
    assert dict(app.query_params) == url


def test_a_link_naming_an_la_the_store_lacks_says_what_is_shown_instead(app: AppTest) -> None:
    app.query_params["la"] = "909"  # Cumbria, abolished in 2023: not offered
    app.run()
    no_errors(app)
    assert sidebar(app)["la"] == "929"
    notes = [w.value for w in app.warning if "This link asks for" in w.value]
    assert notes == [
        "This link asks for a local authority that is not offered here, "
        "so Northumberland (929) is shown instead."
    ]
    assert "909" not in notes[0]  # a link's value is never repeated back
    app.run()  # the URL now names what is shown: no note on the next run
    assert not [w for w in app.warning if "This link asks for" in w.value]
    assert app.query_params["la"] == "929"


def test_a_link_naming_an_offered_la_gives_no_note(app: AppTest) -> None:
    app.query_params["la"] = "840"
    app.run()
    assert not [w for w in app.warning if "This link asks for" in w.value]
