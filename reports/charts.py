"""Trend charts for the printed pack: plotly figures drawn as PNG at print resolution.

Each chart names the LA and the period in its title, so a chart copied out of the paper still
says what it shows. The LA's line stands out; target, statistical neighbour average and England
are quieter lines; a suppressed or missing month is a gap, never a zero.

The charts are plain plotly figure dicts (no graph-object validation, which took longer than
drawing) drawn by plotly.js's own `Plotly.toImage` in one headless Chromium page that loads
plotly.js once (reports.browser). kaleido, which plotly.io uses, reloads its page (the 4.6 MB
plotly.js) after every image, and that reload was most of a chart's cost. A chart drawn once in
this process is kept by its content (figure, size, scale), so a pack rebuilt with another title,
meeting or template redraws nothing; the DOCX and the PDF embed the same PNG.
"""

from __future__ import annotations

import hashlib
import json
from collections import OrderedDict
from functools import cache
from typing import Any

import pandas as pd
import plotly.io as pio
from plotly.utils import PlotlyJSONEncoder

from reports.browser import BrowserFailed, draw_png
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
KEPT_CHARTS = 128  # PNGs kept in this process (about 120 KB each)

_drawn: OrderedDict[str, bytes] = OrderedDict()


class ChartsFailed(RuntimeError):
    """The charts could not be drawn (no Chromium, or it failed)."""


def _unit_title(chart: ChartData) -> str:
    better = {"High": " (higher is better)", "Low": " (lower is better)"}.get(chart.polarity, "")
    unit = {"%": "%", "days": "days", "rate per 10,000": "per 10,000 children"}.get(chart.unit, "")
    return (unit + better).strip()


@cache
def _template() -> dict[str, Any]:
    """plotly's default template, as a validated figure would carry it (the same look)."""
    template = pio.templates[pio.templates.default]
    return dict(json.loads(json.dumps(template.to_plotly_json(), cls=PlotlyJSONEncoder)))


def _trace(x: list[str], y: pd.Series, **style: Any) -> dict[str, Any]:
    return {"type": "scatter", "x": x, "y": [None if pd.isna(v) else float(v) for v in y], **style}


def comparator_note(drawn: list[str]) -> str:
    """The chart's note on the comparison lines it draws (none drawn: no note)."""
    if not drawn:
        return ""
    names = drawn[0] if len(drawn) == 1 else ", ".join(drawn[:-1]) + " and " + drawn[-1]
    verb = "is the value" if len(drawn) == 1 else "are the values"
    return f"{names} {verb} for each month's reporting year."


def trend_spec(chart: ChartData) -> dict[str, Any]:
    """The LA's values with target, SN average and England over the chart's months, as a figure dict."""
    series = chart.series
    months = pd.to_datetime(series["period_end"]).dt.to_period("M").dt.to_timestamp()  # plotted at the month
    x = [f"{m:%Y-%m-%d}" for m in months]
    hover = f"%{{y:,.{chart.decimal_places}f}}"
    data = []
    drawn = []
    for column, name, colour, dash, width in (
        ("target", "Target", TARGET_COLOUR, "dash", 2),
        ("sn", "SN average", SN_COLOUR, "dot", 2),
        ("england", "England", ENGLAND_COLOUR, "dot", 1.5),
    ):
        if series[column].notna().any():
            drawn.append(name)
            data.append(
                _trace(
                    x,
                    series[column],
                    name=name,
                    mode="lines",
                    line={"color": colour, "dash": dash, "width": width, "shape": "hv"},
                    hovertemplate=hover,
                )
            )
    data.append(
        _trace(
            x,
            series["value"],
            name="This LA",
            mode="lines+markers",
            line={"color": LA_COLOUR, "width": 3},
            marker={"size": 6},
            connectgaps=False,
            hovertemplate=hover,
        )
    )
    note = comparator_note(drawn)
    if chart.suppressed_points:
        note = f"{note} {chart.suppressed_points} month(s) suppressed (c) are gaps.".strip()
    layout = {
        "template": _template(),
        "title": {"text": chart.title, "font": {"size": 17}, "x": 0.01, "xanchor": "left"},
        "font": {"family": FONT, "size": 13, "color": "#1F1F1F"},
        "width": WIDTH_PX,
        "height": HEIGHT_PX,
        "margin": {"l": 60, "r": 20, "t": 60, "b": 75},
        "paper_bgcolor": "white",
        "plot_bgcolor": "white",
        "legend": {"orientation": "h", "y": -0.16, "x": 0, "font": {"size": 12}},
        "yaxis": {
            "title": {"text": _unit_title(chart)},
            "gridcolor": "#DDDDDD",
            "zeroline": False,
            "rangemode": "tozero",
        },
        "xaxis": {"type": "date", "tickformat": "%b %Y", "gridcolor": "#EEEEEE"},
        "annotations": [
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
        ]
        if note
        else [],
    }
    return {"data": data, "layout": layout}


def forget_charts() -> None:
    """Drop the charts kept in this process (the next build draws every chart)."""
    _drawn.clear()


def render_png(charts: list[ChartData]) -> list[bytes]:
    """PNG bytes of each chart, in order: each distinct chart drawn once, all in one browser page."""
    if not charts:
        return []
    texts = [json.dumps(trend_spec(chart), cls=PlotlyJSONEncoder, sort_keys=True) for chart in charts]
    keys = [hashlib.sha256(f"{WIDTH_PX}x{HEIGHT_PX}@{SCALE}:{text}".encode()).hexdigest() for text in texts]
    missing = {key: text for key, text in zip(keys, texts, strict=True) if key not in _drawn}
    if missing:
        try:
            images = draw_png(list(missing.values()), WIDTH_PX, HEIGHT_PX, SCALE)
        except BrowserFailed as error:
            raise ChartsFailed(
                f"the charts could not be drawn ({error}); they need Chromium "
                "(apt-get install chromium), or build without charts (--no-charts)"
            ) from error
        for key, image in zip(missing, images, strict=True):
            _drawn[key] = image
    found = [_drawn[key] for key in keys]
    for key in keys:
        _drawn.move_to_end(key)
    while len(_drawn) > KEPT_CHARTS:
        _drawn.popitem(last=False)
    return found
