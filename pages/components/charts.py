"""Chart builders: plain functions from tidy frames to plotly figures, tested without Streamlit.

Every figure states what it shows in its title and axis labels, carries numerator and denominator
in the hover text where they exist, and uses the palette in `formatting` (the LA in blue, neutral
comparators, better blue and worse orange), so no chart relies on red against green.
`figure_png` turns any of them into a PNG for download.
"""

from __future__ import annotations

import logging
import numbers
import os
import shutil
from collections.abc import Sequence
from datetime import date

import pandas as pd
import plotly.graph_objects as go

from pages.components.formatting import (
    BELOW_STANDARD_COLOUR,
    BETTER_COLOUR,
    ENGLAND_COLOUR,
    LA_COLOUR,
    NEIGHBOUR_COLOUR,
    OTHER_LA_COLOUR,
    QUARTILE_COLOURS,
    REGION_COLOUR,
    SN_COLOUR,
    TARGET_COLOUR,
    WORSE_COLOUR,
    format_count,
    format_number,
    published_year_label,
)

log = logging.getLogger(__name__)
FONT = dict(family="Arial, Helvetica, sans-serif", size=13, color="#1F1F1F")


TITLE_LINE = 55  # characters of a chart title that fit a chart about 470 px wide (an 800 px window)


def wrap_title(title: str, width: int = TITLE_LINE) -> str:
    """A long chart title on lines of at most `width` characters (plotly never wraps a title, so
    a narrow window cut it off), split at spaces; a short title unchanged."""
    lines: list[str] = []
    for word in title.split(" "):
        if lines and len(lines[-1]) + 1 + len(word) <= width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return "<br>".join(lines)


def _layout(fig: go.Figure, title: str, y_title: str, height: int = 420) -> go.Figure:
    fig.update_layout(
        title=dict(text=wrap_title(title), x=0, xanchor="left"),
        font=FONT,
        height=height,
        margin=dict(l=10, r=10, t=60 + 20 * wrap_title(title).count("<br>"), b=40),
        plot_bgcolor="#FFFFFF",
        paper_bgcolor="#FFFFFF",
        legend=dict(orientation="h", yanchor="top", y=-0.15, x=0),
        hoverlabel=dict(font_size=13),
    )
    fig.update_yaxes(title_text=y_title, gridcolor="#E6E6E6", zeroline=False)
    fig.update_xaxes(gridcolor="#F0F0F0")
    return fig


def _vertical_lines(
    fig: go.Figure, lines: list[tuple[float, str, str, str]], y_from: object, y_to: object
) -> None:
    """Reference lines from `y_from` to `y_to` at x: (x, label, colour, dash). Each is a legend
    entry carrying its value, so labels of lines close together never overlap."""
    for x, label, colour, dash in lines:
        fig.add_trace(
            go.Scatter(
                x=[x, x],
                y=[y_from, y_to],
                mode="lines",
                name=label,
                line=dict(color=colour, dash=dash, width=2),
                hovertext=[label, label],
                hoverinfo="text",
            )
        )


UNIT_WORDS = {"%": "%", "days": "days", "rate per 10,000": "per 10,000 children"}


def _axis_title(unit: str, measure: str = "") -> str:
    """'Repeat CP plans (%)', 'CIN rate (per 10,000 children)'; the unit alone without a measure."""
    words = UNIT_WORDS.get(unit, "")
    if measure:
        return f"{measure} ({words})" if words else measure
    return {"%": "Percentage", "days": "Days", "rate per 10,000": "Rate per 10,000 children"}.get(
        unit, "Number"
    )


def _year_to_date_gaps(month: pd.Series, values: pd.Series, hover: list[str]) -> tuple[list, list, list]:
    """x, y and hover text with a gap before each April: a year-to-date value restarts with the
    financial year, so the line must not join March's total to April's first month."""
    xs: list[object] = []
    ys: list[object] = []
    texts: list[str] = []
    previous = None
    for x, y, text in zip(month, values, hover, strict=True):
        if previous is not None and pd.Timestamp(x).month == 4 and pd.Timestamp(previous).month != 4:
            xs.append(pd.Timestamp(x) - pd.Timedelta(days=1))
            ys.append(None)
            texts.append("")
        xs.append(x)
        ys.append(y)
        texts.append(text)
        previous = x
    return xs, ys, texts


def y_range(fig: go.Figure, *, from_zero: bool) -> list[float] | None:
    """A y axis range holding every trace and shape (the LA, target, comparators, bands) with a
    margin, from 0 when `from_zero` (percentages). Set explicitly: left
    to the browser, a redrawn chart could keep the previous indicator's range and draw the
    England line above the top of the axis."""
    values: list[float] = []
    for trace in fig.data:
        ys = getattr(trace, "y", None)
        values.extend(float(v) for v in (ys if ys is not None else ()) if _is_number(v))
    for shape in fig.layout.shapes or ():
        values.extend(float(v) for v in (shape.y0, shape.y1) if shape.yref in (None, "y") and _is_number(v))
    if not values:
        return None
    low, high = min(values), max(values)
    if from_zero:
        low = min(low, 0.0)
    pad = (high - low) * 0.06 or max(abs(high) * 0.1, 1.0)
    return [low if from_zero and low == 0 else low - pad, high + pad]


def _is_number(value: object) -> bool:
    return isinstance(value, numbers.Real) and not isinstance(value, bool) and bool(pd.notna(value))


def trend_figure(
    rows: pd.DataFrame,
    *,
    title: str,
    unit: str,
    decimal_places: int,
    sn_average: str = "mean",
    sn_model: str = "",
    period_type: str = "",
    measure: str = "",
) -> go.Figure:
    """The LA's values over time with its target and the published comparators.

    `rows`: period_end, value, numerator, denominator, status, target; optional england, region,
    region_name, sn_mean, sn_median and benchmark_year (the published year each month is compared
    with). Comparators are drawn as steps: each month shows the latest year published by then.
    A year-to-date line breaks at each April (the total restarts); a percentage axis starts at 0;
    the y axis names `measure` and its unit.
    """
    rows = rows.sort_values("period_end")
    # each value is plotted at its month (a month end at the first of its month), so the axis
    # reads "Apr 2024" for the value to 30 April 2024
    month = pd.to_datetime(rows["period_end"]).dt.to_period("M").dt.to_timestamp()
    fig = go.Figure()
    hover = [
        f"{pd.Timestamp(d):%b %Y}: {format_number(v, unit, decimal_places, s)}"
        f"<br>Numerator: {format_count(n)}<br>Denominator: {format_count(den)}"
        for d, v, n, den, s in zip(
            rows["period_end"],
            rows["value"],
            rows["numerator"],
            rows["denominator"],
            rows["status"],
            strict=True,
        )
    ]
    la_x, la_y, la_hover = (
        _year_to_date_gaps(month, rows["value"], hover)
        if period_type == "ytd"
        else (list(month), list(rows["value"]), hover)
    )
    fig.add_trace(
        go.Scatter(
            x=la_x,
            y=la_y,
            mode="lines+markers",
            name="This LA",
            line=dict(color=LA_COLOUR, width=3),
            marker=dict(size=7),
            connectgaps=False,
            hovertext=la_hover,
            hoverinfo="text",
        )
    )
    if "target" in rows and rows["target"].notna().any():
        fig.add_trace(
            go.Scatter(
                x=month,
                y=rows["target"],
                mode="lines",
                name="Target",
                line=dict(color=TARGET_COLOUR, width=2, dash="dash", shape="hv"),
                hovertemplate="Target: %{y}<extra></extra>",
            )
        )
    sn_column = "sn_median" if sn_average == "median" else "sn_mean"
    model = f", {sn_model} model" if sn_model else ""
    comparators = [
        ("england", "England", ENGLAND_COLOUR, "dot"),
        ("region", "Region", REGION_COLOUR, "dashdot"),
        (sn_column, f"Statistical neighbours ({sn_average}{model})", SN_COLOUR, "longdash"),
    ]
    for column, label, colour, dash in comparators:
        if column not in rows or not rows[column].notna().any():
            continue
        if column == "region" and "region_name" in rows and rows["region_name"].notna().any():
            label = str(rows["region_name"].dropna().iloc[-1])
        years = rows.get("benchmark_year")
        indicator_id = rows["indicator_id"].iloc[0] if "indicator_id" in rows and len(rows) else None
        year_text = (
            [f" (published {published_year_label(y, indicator_id)})" if pd.notna(y) else "" for y in years]
            if years is not None
            else [""] * len(rows)
        )
        fig.add_trace(
            go.Scatter(
                x=month,
                y=rows[column],
                mode="lines",
                name=label,
                line=dict(color=colour, width=1.5, dash=dash, shape="hv"),
                hovertext=[
                    f"{label}{t}: {format_number(v, unit, decimal_places)}"
                    for v, t in zip(rows[column], year_text, strict=True)
                ],
                hoverinfo="text",
            )
        )
    fig = _layout(fig, title, _axis_title(unit, measure))
    shown = y_range(fig, from_zero=unit == "%")
    if shown is not None:
        fig.update_yaxes(range=shown, autorange=False)
    # few enough month labels to lie flat (rotated ones ran into the legend); no axis title, the
    # dates name themselves
    months = rows["period_end"].nunique()
    dtick = "M1" if months <= 18 else "M3" if months <= 40 else "M6" if months <= 84 else "M12"
    fig.update_xaxes(tickformat="%b %Y", dtick=dtick, tickangle=0, title_text="")
    return fig


def neighbour_figure(
    frame: pd.DataFrame,
    *,
    title: str,
    unit: str,
    decimal_places: int,
    sn_mean: float | None,
    sn_median: float | None,
    england: float | None = None,
) -> go.Figure:
    """Ranked horizontal bars of the LA and its neighbours, the LA highlighted.

    `frame`: area_name, value, status, is_la, closeness (text, blank for the LA), in display order
    (best first). Missing or suppressed values are listed with their symbol and no bar. The values
    are written in a column right of the plot, so they never sit on the mean, median or England
    lines nor run off the edge.
    """
    labels = [
        f"{name} ({closeness})" if isinstance(closeness, str) and closeness else str(name)
        for name, closeness in zip(frame["area_name"], frame["closeness"], strict=True)
    ]
    colours = [LA_COLOUR if is_la else NEIGHBOUR_COLOUR for is_la in frame["is_la"]]
    text = [
        format_number(v, unit, decimal_places, s)
        for v, s in zip(frame["value"], frame["status"], strict=True)
    ]
    fig = go.Figure(
        go.Bar(
            x=frame["value"],
            y=labels,
            orientation="h",
            marker=dict(
                color=colours, line=dict(color="#1F1F1F", width=[2 if la else 0 for la in frame["is_la"]])
            ),
            hovertext=[f"{label}: {t}" for label, t in zip(labels, text, strict=True)],
            hoverinfo="text",
            name="Value",
            showlegend=False,
        )
    )
    for label, value_text, is_la in zip(labels, text, frame["is_la"], strict=True):
        fig.add_annotation(
            x=1,
            xref="paper",
            xanchor="left",
            xshift=8,
            y=label,
            yref="y",
            text=f"<b>{value_text}</b>" if is_la else value_text,
            showarrow=False,
        )
    fig.update_yaxes(autorange="reversed", title_text="")
    _vertical_lines(
        fig,
        [
            (float(value), f"{label} {format_number(value, unit, decimal_places)}", colour, dash)
            for value, label, colour, dash in (
                (sn_mean, "SN mean", SN_COLOUR, "dash"),
                (sn_median, "SN median", REGION_COLOUR, "dot"),
                (england, "England", ENGLAND_COLOUR, "dashdot"),
            )
            if value is not None and not pd.isna(value)
        ],
        labels[0] if labels else None,
        labels[-1] if labels else None,
    )
    height = max(360, 34 * len(frame) + 120)
    fig = _layout(fig, title, "", height=height)
    fig.update_layout(margin=dict(r=20 + 9 * max((len(t) for t in text), default=4)))
    fig.update_xaxes(title_text=_axis_title(unit), rangemode="tozero")
    return fig


def _label_side(value: float, values: pd.Series) -> str:
    """Where a marker's text goes so that it extends into the chart: right of a value in the lower
    half of the range, left of one in the upper half (a left label on the lowest LA was cut off)."""
    middle = (float(values.min()) + float(values.max())) / 2
    return "middle right" if value <= middle else "middle left"


def distribution_figure(
    frame: pd.DataFrame,
    *,
    title: str,
    unit: str,
    decimal_places: int,
    cut_points: Sequence[float],
    la_code: str,
) -> go.Figure:
    """Every LA's value as a dot, coloured by quartile band, the LA marked, cut points as lines.

    `frame`: area_code, area_name, value, band (A best to D worst, or blank).
    """
    shown = frame.dropna(subset=["value"]).sort_values("value").reset_index(drop=True)
    fig = go.Figure()
    for band, colour in QUARTILE_COLOURS.items():
        part = shown[shown["band"] == band]
        if part.empty:
            continue
        fig.add_trace(
            go.Scatter(
                x=part["value"],
                y=part.index,
                mode="markers",
                name=f"Band {band}" + (" (best)" if band == "A" else " (worst)" if band == "D" else ""),
                marker=dict(color=colour, size=7, line=dict(color="#5A5A5A", width=0.5)),
                hovertext=[
                    f"{n}: {format_number(v, unit, decimal_places)} (band {band})"
                    for n, v in zip(part["area_name"], part["value"], strict=True)
                ],
                hoverinfo="text",
            )
        )
    unbanded = shown[~shown["band"].isin(list(QUARTILE_COLOURS))]
    if not unbanded.empty:
        fig.add_trace(
            go.Scatter(
                x=unbanded["value"],
                y=unbanded.index,
                mode="markers",
                name="All LAs",
                marker=dict(color=OTHER_LA_COLOUR, size=7),
                hovertext=[
                    f"{n}: {format_number(v, unit, decimal_places)}"
                    for n, v in zip(unbanded["area_name"], unbanded["value"], strict=True)
                ],
                hoverinfo="text",
            )
        )
    mine = shown[shown["area_code"] == la_code]
    if not mine.empty:
        fig.add_trace(
            go.Scatter(
                x=mine["value"],
                y=mine.index,
                mode="markers+text",
                name="This LA",
                marker=dict(color=LA_COLOUR, size=16, symbol="diamond", line=dict(color="#1F1F1F", width=2)),
                text=[
                    f"{n} {format_number(v, unit, decimal_places)}"
                    for n, v in zip(mine["area_name"], mine["value"], strict=True)
                ],
                # the label reads towards the middle of the chart, never past its left or right edge
                textposition=_label_side(float(mine["value"].iloc[0]), shown["value"]),
                cliponaxis=False,
                hoverinfo="text",
            )
        )
    _vertical_lines(
        fig,
        [
            (float(cut), f"{name} {format_number(cut, unit, decimal_places)}", "#5A5A5A", "dot")
            for name, cut in zip(("Lower quartile", "Median", "Upper quartile"), cut_points, strict=False)
        ],
        0,
        max(len(shown) - 1, 0),
    )
    fig = _layout(fig, title, "LAs ordered by value")
    fig.update_yaxes(showticklabels=False)
    fig.update_xaxes(title_text=_axis_title(unit))
    return fig


CASELOAD_POSITIONS = (
    ("below", "Below the role's standard", BELOW_STANDARD_COLOUR),
    ("within", "Within the role's standard", BETTER_COLOUR),
    ("above", "Above the role's standard", WORSE_COLOUR),
    (None, "Role has no standard", OTHER_LA_COLOUR),
)


def caseload_bands_figure(bands: pd.DataFrame, *, title: str) -> go.Figure:
    """Case holders per caseload band, stacked by where each stands against their role's standard.

    `bands` has band, workers and against_standard ('below', 'within', 'above', or None where the
    role has no standard), in band order. Below is light blue, within blue, above orange, no
    standard grey; the legend names each.
    """
    order = list(dict.fromkeys(bands["band"].astype(str)))
    fig = go.Figure()
    for position, name, colour in CASELOAD_POSITIONS:
        part = (
            bands[bands["against_standard"].isna()]
            if position is None
            else bands[bands["against_standard"] == position]
        )
        if part.empty:
            continue
        fig.add_trace(
            go.Bar(
                x=part["band"].astype(str),
                y=part["workers"],
                name=name,
                marker_color=colour,
                text=part["workers"],
                textposition="inside",
                hovertemplate=f"%{{x}} cases per FTE: %{{y}} case holders ({name.lower()})<extra></extra>",
            )
        )
    fig = _layout(fig, title, "Case holders")
    fig.update_layout(barmode="stack", showlegend=True)
    fig.update_xaxes(title_text="Cases per FTE", type="category", categoryorder="array", categoryarray=order)
    if not bands.empty and bands["workers"].max() <= 10:
        fig.update_yaxes(dtick=1)
    return fig


def caseload_trend_figure(trend: pd.DataFrame, *, title: str) -> go.Figure:
    """Average caseload by group over time: `trend` has snapshot_date, group, average_caseload."""
    fig = go.Figure()
    palette = ["#0B5394", "#D55E00", "#009E73", "#CC79A7", "#56B4E9", "#E69F00", "#5A5A5A", "#7F3C8D"]
    for number, (group, rows) in enumerate(trend.groupby("group", sort=True)):
        rows = rows.sort_values("snapshot_date")
        fig.add_trace(
            go.Scatter(
                x=rows["snapshot_date"],
                y=rows["average_caseload"],
                mode="lines+markers",
                name=str(group),
                line=dict(color=palette[number % len(palette)], width=2),
                hovertemplate=f"{group}: %{{y:.1f}} cases per FTE<extra></extra>",
            )
        )
    return _layout(fig, title, "Average caseload (cases per FTE)")


def chromium_path() -> str | None:
    """The Chromium kaleido uses to draw PNGs ($BROWSER_PATH, else chromium on the PATH)."""
    configured = os.environ.get("BROWSER_PATH")
    if configured and os.path.exists(configured):
        return configured
    return shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")


def png_unavailable_reason() -> str | None:
    """Why PNG export cannot run here, or None when it can."""
    try:
        import kaleido  # noqa: F401
    except ImportError:
        return "PNG download needs the kaleido package (pip install -r requirements.txt)."
    if chromium_path() is None:
        return (
            "PNG download needs Chromium (apt-get install chromium); "
            "use the camera icon on the chart instead."
        )
    return None


def export_figure(fig: go.Figure, la_name: str, on: date) -> go.Figure:
    """A copy of `fig` for a downloaded image: the LA and the date under the title, and room on
    every side (title, long LA names, tick labels and the legend below the axis title all inside
    the image, none cut off). The figure on screen is left as it is."""
    out = go.Figure(fig)
    subtitle = ", ".join(part for part in (la_name, f"downloaded {on.day} {on:%B %Y}") if part)
    height = int(fig.layout.height or 450)
    out.update_layout(
        title=dict(text=f"{fig.layout.title.text or ''}<br><sup>{subtitle}</sup>", x=0.02, xanchor="left"),
        margin=dict(
            l=40,
            r=max(int(fig.layout.margin.r or 0), 40),
            t=100 + 20 * (fig.layout.title.text or "").count("<br>"),
            b=130,
        ),
        legend=dict(orientation="h", yref="container", y=0.02, yanchor="bottom", x=0.02),
        height=height + 120,
    )
    out.update_xaxes(automargin=True)
    out.update_yaxes(automargin=True)
    return out


def figure_png(fig: go.Figure, width: int = 1100, height: int | None = None) -> bytes:
    """The figure as PNG bytes (kaleido driving the local Chromium); raises if it cannot."""
    browser = chromium_path()
    if browser and "BROWSER_PATH" not in os.environ:
        os.environ["BROWSER_PATH"] = browser
    return fig.to_image(format="png", width=width, height=height or fig.layout.height or 450, scale=1)
