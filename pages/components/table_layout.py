"""How the wide tables fit a window: the columns that matter first, short headers with the full
wording as help text, and the secondary columns behind a switch.

At 800 px wide (half a laptop screen, sidebar open) the table has about 470 px, enough for the
indicator, its value, the RAG and the SN and England values; the rest follows to the right, or
hides until "Show all columns" is on. At 1440 px the default columns fit with no header cut short.
"""

from __future__ import annotations

from typing import Any

import pandas as pd
import streamlit as st

from pages.components.data import SCORECARD_COLUMNS

# the scorecard's columns: first what a director reads, then what explains it
# (one table for every area: the area follows the columns that fit an 800 px window)
SCORECARD_FIRST = [
    "indicator", "latest", "rag_label", "sn", "england", "area", "n", "period", "target", "trend",
]
SCORECARD_MORE = ["target_from", "direction", "direction_years", "dq"]

# the published-only scorecard (columns already carry their display names)
PUBLISHED_FIRST = ["Indicator", "LA value", "Statistical neighbours", "England", "Area", "Published year"]
PUBLISHED_MORE = ["Region", "Rank (1 = best)", "Quartile (A = best)", "Direction from the year before"]

# pixels: Period fits its longest value ("Nov 2026 (12 months to month end)", which the grid's
# automatic width cut off), n and Area their values, so that the default columns fit 1440 px
PERIOD_WIDTH = 218
N_WIDTH = 96
AREA_WIDTH = 104
TREND_WIDTH = 68

AVERAGE_OPTIONS = {"mean": "Mean (LAIT)", "median": "Median (DfE dashboard)"}
AVERAGE_HELP = (
    "How the 10 statistical neighbours' values are averaged: the mean, as the DfE's Local "
    "Authority Interactive Tool (LAIT) shows, or the median, as the DfE children's social care "
    "dashboard shows."
)
DQ_HELP = "Data quality: the DfE validation rules the records behind this value break (rule and children)."


def show_all_columns(key: str) -> bool:
    """The switch for the secondary columns (off: the table fits a narrow window)."""
    return bool(
        st.toggle(
            "Show all columns",
            key=key,
            help="Off: the columns that fit a narrow window. On: also where the target comes "
            "from, the published years' direction and data quality.",
        )
    )


def scorecard_config(sn_average: str, sn_model: str) -> dict[str, Any]:
    """Short headers for the scorecard, the full wording as each header's help text."""
    text = st.column_config.TextColumn
    return {
        "indicator": text(SCORECARD_COLUMNS["indicator"], pinned=True),
        "area": text("Area", help="The service area the indicator belongs to.", width=AREA_WIDTH),
        "latest": text("Latest", help="The headline value, in the period the Period column names."),
        "n": text("n", help="Numerator of denominator.", width=N_WIDTH),
        "period": text("Period", width=PERIOD_WIDTH),
        "target": text("Target"),
        "target_from": text("Target from"),
        "direction": text(SCORECARD_COLUMNS["direction"]),
        "direction_years": text(SCORECARD_COLUMNS["direction_years"]),
        "sn": text(
            "SN",
            help=f"Statistical neighbours: the {sn_average} of the LA's 10 neighbours, {sn_model} model.",
        ),
        "england": text("England"),
        "trend": st.column_config.LineChartColumn("Trend", help="The last 12 periods.", width=TREND_WIDTH),
        "dq": text("Data quality", help=DQ_HELP),
    }


def scorecard_order(all_columns: bool) -> list[str]:
    return SCORECARD_FIRST + (SCORECARD_MORE if all_columns else [])


def published_config(sn_average: str, sn_model: str) -> dict[str, Any]:
    return {
        "Indicator": st.column_config.TextColumn("Indicator", pinned=True),
        "Statistical neighbours": st.column_config.TextColumn(
            "SN", help=f"Statistical neighbours: the {sn_average} of the LA's neighbours, {sn_model} model."
        ),
    }


def published_order(columns: list[str], all_columns: bool) -> list[str]:
    wanted = PUBLISHED_FIRST + (PUBLISHED_MORE if all_columns else [])
    return [c for c in wanted if c in columns] + (
        [c for c in columns if c not in wanted] if all_columns else []
    )


# the indicator's values table: the value, its RAG and comparators first, the counts and sources after
VALUES_FIRST = ["Period end", "Value", "RAG", "SN mean", "SN median", "England", "Target"]


def values_order(columns: list[str]) -> list[str]:
    return leading(columns, VALUES_FIRST)


def values_config() -> dict[str, Any]:
    return {"Data quality (DfE rules)": st.column_config.TextColumn("Data quality", help=DQ_HELP)}


def values_table(frame: pd.DataFrame, *, key: str) -> None:
    """The indicator's values, RAG and comparators first, data quality under a short header."""
    st.dataframe(
        frame,
        column_order=values_order(list(frame.columns)),
        column_config=values_config(),
        hide_index=True,
        width="stretch",
        key=key,
    )


def leading(columns: list[str], first: list[str]) -> list[str]:
    """Every column, those of `first` that exist leading (a column order for st.dataframe)."""
    return [c for c in first if c in columns] + [c for c in columns if c not in first]


REPORT_AREAS_FIRST = ["Indicator", "Value", "RAG", "SN average", "England", "Area", "n", "Target"]
REPORT_PLAN_FIRST = ["Ref", "Recommendation", "RAG", "Latest"]
PLAN_LINKS_FIRST = ["Ref", "Indicator", "Latest", "RAG", "Target used"]
