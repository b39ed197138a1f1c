"""Trend charts for the printed pack: plotly figures exported as PNG at print resolution.

Each chart names the LA and the period in its title, so a chart copied out of the paper still
says what it shows. The LA's line stands out; target, statistical neighbour average and England
are quieter lines; a suppressed or missing month is a gap, never a zero. All charts of a pack are
exported in one kaleido session (one Chromium start, about 0.5 s a chart after it).
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio

from reports.pack import ChartData

WIDTH_PX = 900
HEIGHT_PX = 380
SCALE = 2.2  # 1,980 x 836 pixels: over 300 dpi across the 16 cm the writers give a chart
WIDTH_CM = 16.0
FONT = "Liberation Sans, Arial, Helvetica, sans-serif"
LA_COLOUR = "#0B5394"
TARGET_COLOUR = "#1B6E2A"
SN_COLOUR = "#D55E00"
ENGLAND_COLOUR = "#1F1F1F"


class ChartsFailed(RuntimeError):
    """The charts could not be exported (no Chromium for kaleido, or it failed)."""


def _unit_title(chart: ChartData) -> str:
    better = {"High": " (higher is better)", "Low": " (lower is better)"}.get(chart.polarity, "")
    unit = {"%": "%", "days": "days", "rate per 10,000": "per 10,000 children"}.get(chart.unit, "")
    return (unit + better).strip()


def trend_figure(chart: ChartData) -> go.Figure:
    """The LA's values with target, SN average and England over the chart's months."""
    series = chart.series
    months = pd.to_datetime(series["period_end"]).dt.to_period("M").dt.to_timestamp()  # plotted at the month
    hover = f"%{{y:,.{chart.decimal_places}f}}"
    figure = go.Figure()
    for column, name, colour, dash, width in (
        ("target", "Target", TARGET_COLOUR, "dash", 2),
        ("sn", "SN average", SN_COLOUR, "dot", 2),
        ("england", "England", ENGLAND_COLOUR, "dot", 1.5),
    ):
        if series[column].notna().any():
            figure.add_scatter(
                x=months,
                y=series[column],
                name=name,
                mode="lines",
                line={"color": colour, "dash": dash, "width": width, "shape": "hv"},
                hovertemplate=hover,
            )
    figure.add_scatter(
        x=months,
        y=series["value"],
        name="This LA",
        mode="lines+markers",
        line={"color": LA_COLOUR, "width": 3},
        marker={"size": 6},
        connectgaps=False,
        hovertemplate=hover,
    )
    note = "Target, SN average and England are the values for each month's reporting year."
    if chart.suppressed_points:
        note += f" {chart.suppressed_points} month(s) suppressed (c) are gaps."
    figure.update_layout(
        title={"text": chart.title, "font": {"size": 17}, "x": 0.01, "xanchor": "left"},
        font={"family": FONT, "size": 13, "color": "#1F1F1F"},
        width=WIDTH_PX,
        height=HEIGHT_PX,
        margin={"l": 60, "r": 20, "t": 60, "b": 75},
        paper_bgcolor="white",
        plot_bgcolor="white",
        legend={"orientation": "h", "y": -0.16, "x": 0, "font": {"size": 12}},
        yaxis={"title": _unit_title(chart), "gridcolor": "#DDDDDD", "zeroline": False, "rangemode": "tozero"},
        xaxis={"tickformat": "%b %Y", "gridcolor": "#EEEEEE"},
        annotations=[
            {
                "text": note,
                "xref": "paper",
                "yref": "paper",
                "x": 0,
                "y": -0.32,
                "showarrow": False,
                "font": {"size": 10, "color": "#555555"},
                "xanchor": "left",
            }
        ],
    )
    return figure


def render_png(charts: list[ChartData]) -> list[bytes]:
    """PNG bytes of each chart, in order, exported in one kaleido session."""
    if not charts:
        return []
    figures = [trend_figure(chart) for chart in charts]
    with tempfile.TemporaryDirectory(prefix="csc-charts-") as folder:
        paths = [Path(folder) / f"chart-{n:02d}.png" for n in range(len(figures))]
        try:
            pio.write_images(figures, paths, format="png", width=WIDTH_PX, height=HEIGHT_PX, scale=SCALE)
        except Exception as error:  # kaleido raises its own types (no browser, a crashed tab)
            raise ChartsFailed(
                f"the charts could not be drawn ({type(error).__name__}: {error}); kaleido needs Chromium "
                "(apt-get install chromium), or build without charts (--no-charts)"
            ) from error
        return [path.read_bytes() for path in paths]
