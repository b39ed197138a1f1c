"""The trend chart's note names only the comparison lines it draws, and one Chromium draws the
charts of several builds in one process."""

from __future__ import annotations

import shutil
from datetime import date

import pandas as pd
import pytest

from reports import browser
from reports.charts import forget_charts, render_png, trend_spec
from reports.pack import ChartData


def chart(target: float | None, sn: float | None, england: float | None, title: str = "LA: x") -> ChartData:
    series = pd.DataFrame(
        {
            "period_end": [date(2024, 8, 31), date(2024, 9, 30)],
            "value": [10.0, 12.0],
            "target": [target, target],
            "sn": [sn, sn],
            "england": [england, england],
            "status": ["", ""],
        }
    )
    return ChartData("x", title, "%", 1, "high_is_good", series)


def note(spec: dict) -> str:
    return " ".join(a["text"] for a in spec["layout"]["annotations"])


def test_the_note_names_only_the_lines_drawn() -> None:
    every = trend_spec(chart(20.0, 11.0, 12.0))
    assert [t["name"] for t in every["data"]] == ["Target", "SN average", "England", "This LA"]
    assert note(every) == "Target, SN average and England are the values for each month's reporting year."
    no_target = trend_spec(chart(None, 11.0, 12.0))
    assert [t["name"] for t in no_target["data"]] == ["SN average", "England", "This LA"]
    assert note(no_target) == "SN average and England are the values for each month's reporting year."
    england_only = trend_spec(chart(None, None, 12.0))
    assert note(england_only) == "England is the value for each month's reporting year."
    assert trend_spec(chart(None, None, None))["layout"]["annotations"] == []


def test_suppressed_months_are_noted_without_comparators() -> None:
    data = chart(None, None, None)
    data.suppressed_points = 2
    assert note(trend_spec(data)) == "2 month(s) suppressed (c) are gaps."


@pytest.mark.skipif(shutil.which("chromium") is None, reason="the charts need Chromium")
def test_one_chromium_draws_the_charts_of_several_builds() -> None:
    forget_charts()
    [first] = render_png([chart(20.0, 11.0, 12.0, title="LA: first build")])
    assert browser.browser_running()
    pid = browser._kept.browser.subprocess.pid  # type: ignore[union-attr]
    [second] = render_png([chart(20.0, 11.0, 12.0, title="LA: second build")])
    assert browser._kept.browser.subprocess.pid == pid  # type: ignore[union-attr]
    assert first.startswith(b"\x89PNG") and second.startswith(b"\x89PNG") and first != second
    browser.close_browser()
    assert not browser.browser_running()
    forget_charts()
    [again] = render_png([chart(20.0, 11.0, 12.0, title="LA: first build")])  # a new one starts
    assert again == first
    browser.close_browser()


@pytest.mark.skipif(shutil.which("chromium") is None, reason="the charts need Chromium")
def test_a_kept_chromium_that_stopped_is_started_again() -> None:
    forget_charts()
    [first] = render_png([chart(20.0, 11.0, 12.0, title="LA: before")])
    process = browser._kept.browser.subprocess  # type: ignore[union-attr]
    process.kill()  # the Chromium this test started, by its own handle
    process.wait(timeout=30)
    [second] = render_png([chart(20.0, 11.0, 12.0, title="LA: after")])
    assert second.startswith(b"\x89PNG") and second != first
    assert browser._kept.browser.subprocess.pid != process.pid  # type: ignore[union-attr]
    browser.close_browser()
