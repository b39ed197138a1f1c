"""Chart builders and formatting, without Streamlit: data in the figure, labels, colours, PNG."""

from __future__ import annotations

from datetime import date

import pandas as pd
import plotly.graph_objects as go
import pytest

from pages.components import charts, widgets
from pages.components.formatting import (
    LA_COLOUR,
    NEIGHBOUR_COLOUR,
    QUARTILE_COLOURS,
    bar_order_words,
    format_count,
    format_number,
    rag_label,
)


def trend_rows() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "period_end": [date(2024, 4, 30), date(2024, 5, 31), date(2024, 6, 30)],
            "value": [8.1, None, 12.5],
            "numerator": [3, None, 5],
            "denominator": [37, None, 40],
            "status": ["", "c", ""],
            "target": [10.0, 10.0, 10.0],
            "england": [23.6, 23.6, 23.6],
            "region": [None, None, None],
            "region_name": [None, None, None],
            "sn_mean": [14.5, 14.5, 14.5],
            "sn_median": [14.0, 14.0, 14.0],
            "benchmark_year": [2024, 2024, 2024],
        }
    )


def test_format_never_turns_a_symbol_or_gap_into_zero() -> None:
    assert format_number(8.108, "%", 1) == "8.1%"
    assert format_number(None, "%", 1) == "–"
    assert format_number(float("nan"), "number", 1) == "–"
    assert format_number(0.0, "%", 1, "c") == "c"
    assert format_number(45, "days", 0) == "45 days"
    assert format_count(37.0) == "37" and format_count(12.5) == "12.5" and format_count(None, "c") == "c"


def test_rag_is_word_symbol_and_colour() -> None:
    assert rag_label("green") == "● Green" and rag_label("amber") == "▲ Amber" and rag_label("red") == "■ Red"
    assert rag_label(None) == "No RAG"


def test_trend_figure_carries_values_counts_target_and_comparators() -> None:
    fig = charts.trend_figure(
        trend_rows(),
        title="Repeat CP plans",
        unit="%",
        decimal_places=1,
        sn_average="median",
        sn_model="2025",
    )
    traces = {t.name: t for t in fig.data}
    assert set(traces) == {"This LA", "Target", "England", "Statistical neighbours (median, 2025 model)"}
    la = traces["This LA"]
    assert list(la.y)[0] == 8.1 and pd.isna(list(la.y)[1])
    assert "Numerator: 3" in la.hovertext[0] and "Denominator: 37" in la.hovertext[0]
    assert la.hovertext[1].startswith("May 2024: c")
    assert list(traces["Statistical neighbours (median, 2025 model)"].y) == [14.0, 14.0, 14.0]
    assert "published 2023/24" in traces["England"].hovertext[0]
    assert fig.layout.title.text == "Repeat CP plans"


def test_year_to_date_line_breaks_at_april_and_percentages_start_at_zero() -> None:
    ends = pd.date_range("2024-01-31", periods=6, freq="ME").date  # Jan to Jun 2024
    rows = pd.DataFrame(
        {
            "period_end": ends,
            "value": [60.0, 62.0, 64.0, 50.0, 55.0, 58.0],
            "numerator": 1,
            "denominator": 2,
            "status": "",
            "target": None,
        }
    )
    fig = charts.trend_figure(
        rows, title="t", unit="%", decimal_places=1, period_type="ytd", measure="Repeat CP plans"
    )
    la = next(t for t in fig.data if t.name == "This LA")
    assert list(la.y) == [60.0, 62.0, 64.0, None, 50.0, 55.0, 58.0]  # March's total never joins April's
    assert pd.Timestamp(la.x[3]) == pd.Timestamp("2024-03-31")  # the gap between the two months
    assert la.connectgaps is False
    assert fig.layout.yaxis.range[0] == 0 and fig.layout.yaxis.autorange is False
    assert fig.layout.yaxis.title.text == "Repeat CP plans (%)"
    monthly = charts.trend_figure(rows, title="t", unit="%", decimal_places=1, period_type="month")
    assert None not in list(next(t for t in monthly.data if t.name == "This LA").y)
    rate = charts.trend_figure(rows, title="t", unit="rate per 10,000", decimal_places=1, measure="CIN rate")
    assert rate.layout.yaxis.title.text == "CIN rate (per 10,000 children)"
    assert 40 < rate.layout.yaxis.range[0] < 50  # a rate's axis starts near its lowest value, not 0
    assert charts.trend_figure(rows, title="t", unit="number", decimal_places=1).layout.yaxis.title.text == (
        "Number"
    )


def test_a_long_chart_title_wraps_to_fit_a_narrow_window() -> None:
    title = "Child protection plans starting in the period that were a second or subsequent plan, 2023/24"
    wrapped = charts.wrap_title(title)
    assert wrapped.replace("<br>", " ") == title
    assert max(len(line) for line in wrapped.split("<br>")) <= charts.TITLE_LINE
    assert charts.wrap_title("Repeat CP plans") == "Repeat CP plans"
    fig = charts.trend_figure(trend_rows(), title=title, unit="%", decimal_places=1)
    assert fig.layout.title.text == wrapped and fig.layout.margin.t == 80  # room for the second line
    assert charts.export_figure(fig, "Northumberland", date(2026, 12, 3)).layout.margin.t == 120


def test_trend_axis_holds_every_trace_and_shape() -> None:
    # the LA under 20%, England at 23.6%: the axis must reach above England's line
    fig = charts.trend_figure(trend_rows(), title="t", unit="%", decimal_places=1)
    low, high = fig.layout.yaxis.range
    drawn = [v for t in fig.data for v in t.y if v is not None and not pd.isna(v)]
    assert low == 0 and high > max(drawn) == 23.6
    fig.add_hrect(y0=30, y1=40)  # a band drawn as a shape counts too
    assert charts.y_range(fig, from_zero=True)[1] > 40
    negative = go.Figure(go.Scatter(y=[-5.0, 3.0]))
    low, high = charts.y_range(negative, from_zero=True)
    assert low < -5 and high > 3
    assert charts.y_range(go.Figure(go.Scatter(y=[None, float("nan")])), from_zero=True) is None


@pytest.mark.parametrize(("months", "dtick"), [(3, "M1"), (18, "M1"), (36, "M3"), (68, "M6"), (120, "M12")])
def test_trend_figure_month_labels_lie_flat_at_a_spacing_that_fits(months: int, dtick: str) -> None:
    ends = pd.date_range("2016-04-30", periods=months, freq="ME").date
    rows = pd.DataFrame({"period_end": ends, "value": 1.0, "numerator": 1, "denominator": 1,
                         "status": "", "target": None})
    fig = charts.trend_figure(rows, title="t", unit="%", decimal_places=1)
    assert fig.layout.xaxis.dtick == dtick and fig.layout.xaxis.tickangle == 0


def test_neighbour_figure_highlights_the_la_and_draws_averages() -> None:
    frame = pd.DataFrame(
        {
            "area_name": ["Northumberland", "Durham", "Gateshead"],
            "value": [12.5, 14.0, None],
            "status": ["", "", "c"],
            "is_la": [True, False, False],
            "closeness": ["", "Very close", "Close"],
        }
    )
    fig = charts.neighbour_figure(
        frame, title="t", unit="%", decimal_places=1, sn_mean=14.0, sn_median=14.0, england=23.6
    )
    bar = fig.data[0]
    assert list(bar.marker.color) == [LA_COLOUR, NEIGHBOUR_COLOUR, NEIGHBOUR_COLOUR]
    assert list(bar.y) == ["Northumberland", "Durham (Very close)", "Gateshead (Close)"]
    # the values sit in a column right of the plot (paper x = 1 and beyond), never on the lines at
    # 14.0 and 23.6 nor clipped at the edge, which has room for the longest of them
    labels = {a.y: (a.text, a.xref, a.x, a.xanchor) for a in fig.layout.annotations}
    assert labels == {
        "Northumberland": ("<b>12.5%</b>", "paper", 1, "left"),
        "Durham (Very close)": ("14.0%", "paper", 1, "left"),
        "Gateshead (Close)": ("c", "paper", 1, "left"),
    }
    assert bar.text is None and fig.layout.margin.r >= 9 * len("12.5%")
    assert [t.name for t in fig.data[1:]] == ["SN mean 14.0%", "SN median 14.0%", "England 23.6%"]
    assert list(fig.data[1].x) == [14.0, 14.0] and list(fig.data[1].y) == [
        "Northumberland",
        "Gateshead (Close)",
    ]


def test_bars_are_best_first_only_with_a_polarity() -> None:
    assert bar_order_words("Low") == bar_order_words("High") == "Bars are ordered best first"
    assert "best" not in bar_order_words("none") and "lowest first" in bar_order_words(None)


def test_distribution_figure_bands_and_cut_points() -> None:
    frame = pd.DataFrame(
        {
            "area_code": ["929", "840", "841", "805"],
            "area_name": ["N", "D", "G", "H"],
            "value": [10.0, 12.0, 14.0, 16.0],
            "band": ["A", "B", "C", "D"],
        }
    )
    fig = charts.distribution_figure(
        frame, title="t", unit="%", decimal_places=1, cut_points=[11.5, 13.0, 14.5], la_code="929"
    )
    by_name = {t.name: t for t in fig.data}
    assert by_name["Band A (best)"].marker.color == QUARTILE_COLOURS["A"]
    assert list(by_name["This LA"].x) == [10.0]
    assert by_name["This LA"].textposition == "middle right"  # the lowest LA: its label reads rightwards
    highest = charts.distribution_figure(
        frame, title="t", unit="%", decimal_places=1, cut_points=[11.5, 13.0, 14.5], la_code="805"
    )
    assert {t.name: t for t in highest.data}["This LA"].textposition == "middle left"
    cuts = {t.name: list(t.x) for t in fig.data if "quartile" in t.name or t.name.startswith("Median")}
    assert cuts == {
        "Lower quartile 11.5%": [11.5, 11.5],
        "Median 13.0%": [13.0, 13.0],
        "Upper quartile 14.5%": [14.5, 14.5],
    }


def test_caseload_figures() -> None:
    bands = pd.DataFrame(
        {
            "band": ["6-10", "11-15", "16-20", "21-25", "Over 30"],
            "against_standard": ["below", "within", "above", None, "above"],
            "workers": [4, 3, 2, 1, 5],
        }
    )
    fig = charts.caseload_bands_figure(bands, title="t")
    assert {t.name: (list(t.x), list(t.y)) for t in fig.data} == {
        "Below the role's standard": (["6-10"], [4]),
        "Within the role's standard": (["11-15"], [3]),
        "Above the role's standard": (["16-20", "Over 30"], [2, 5]),
        "Role has no standard": (["21-25"], [1]),
    }
    assert len({t.marker.color for t in fig.data}) == 4  # below, within and above apart, and none
    assert fig.layout.showlegend
    assert list(fig.layout.xaxis.categoryarray)[-1] == "Over 30"
    trend = pd.DataFrame(
        {
            "snapshot_date": pd.to_datetime(["2024-03-31", "2024-07-31"] * 2),
            "group": ["A", "A", "B", "B"],
            "average_caseload": [30.6, 18.2, 17.4, 16.5],
        }
    )
    fig = charts.caseload_trend_figure(trend, title="t")
    assert {t.name: list(t.y) for t in fig.data} == {"A": [30.6, 18.2], "B": [17.4, 16.5]}


@pytest.mark.skipif(charts.png_unavailable_reason() is not None, reason="kaleido or Chromium not available")
def test_png_builder_gives_a_png() -> None:
    fig = charts.trend_figure(trend_rows(), title="Repeat CP plans", unit="%", decimal_places=1)
    png = charts.figure_png(fig, width=600, height=300)
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    assert int.from_bytes(png[16:20], "big") == 600  # IHDR width


def test_exported_figure_names_the_la_and_date_and_leaves_room_on_every_side() -> None:
    fig = charts.trend_figure(trend_rows(), title="Repeat CP plans", unit="%", decimal_places=1)
    out = charts.export_figure(fig, "Northumberland", date(2026, 12, 3))
    assert out.layout.title.text == "Repeat CP plans<br><sup>Northumberland, downloaded 3 December 2026</sup>"
    assert out.layout.margin.l >= 40 and out.layout.margin.r >= 40 and out.layout.margin.b >= 120
    assert out.layout.yaxis.automargin and out.layout.xaxis.automargin  # long names widen the margin
    assert out.layout.legend.yref == "container"  # the legend sits below the axis title, not on it
    assert out.layout.height == fig.layout.height + 120
    assert fig.layout.title.text == "Repeat CP plans" and fig.layout.margin.l == 10  # screen unchanged


def test_png_download_draws_the_exported_figure(monkeypatch: pytest.MonkeyPatch) -> None:
    drawn: list[go.Figure] = []
    monkeypatch.setattr(widgets, "figure_png", lambda fig: drawn.append(fig) or b"png")
    fig = charts.trend_figure(trend_rows(), title="Repeat CP plans", unit="%", decimal_places=1)
    assert widgets.png_bytes_or_message(fig, "Northumberland") == b"png"
    assert "Northumberland, downloaded " in drawn[0].layout.title.text


def test_png_unavailable_reason_without_chromium(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(charts.shutil, "which", lambda name: None)
    monkeypatch.delenv("BROWSER_PATH", raising=False)
    assert "Chromium" in (charts.png_unavailable_reason() or "")
