"""The Export page's preview: the CSV's first rows under readable headers.

The download holds every row; the preview is bounded because st.dataframe sends all the rows it is
given to the browser on every run (the demo LA's full export is 2,760 rows, about 1.2 MB, and the
browser spent most of the page's time drawing it). The headers are labels only: the data keeps the
CSV's column names, each shown as its header's help text, so the preview reads as the CSV does.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

PREVIEW_ROWS = 200

HEADERS = {
    "la_code": "LA code",
    "indicator_id": "Indicator id",
    "indicator_name": "Indicator",
    "unit": "Unit",
    "polarity": "Polarity",
    "period_end": "Period end",
    "period_type": "Period type",
    "numerator": "Numerator",
    "denominator": "Denominator",
    "value": "Value",
    "status": "Status",
    "note": "Note",
    "dq_rule_codes": "Data quality rules",
    "dq_children": "Children breaking them",
    "denominator_source": "Denominator source",
    "target": "Target",
    "rag": "RAG",
    "source": "Source",
    "origin": "Origin",
    "batch_id": "Load batch",
    "sn_model": "SN model",
    "sn_mean": "SN mean",
    "sn_median": "SN median",
    "sn_count": "Neighbours with a value",
    "region_name": "Region",
    "region": "Region value",
    "england": "England",
    "published_year": "Published year",
    "published_value": "Published value",
    "published_quartile": "Published quartile",
    "published_rank": "Published rank",
    "published_rank_of": "Published rank of",
    "published_direction": "Published direction",
    "hidden_because": "Hidden because",
}


def preview_caption(rows: int) -> str:
    """Whether the preview shows every row of the download or its first PREVIEW_ROWS."""
    if rows <= PREVIEW_ROWS:
        return f"The preview shows all {rows:,} rows of the download."
    return (
        f"The preview shows the first {PREVIEW_ROWS:,} of the download's {rows:,} rows; "
        "the download has them all."
    )


def show_preview(frame: pd.DataFrame, key: str) -> None:
    """The first PREVIEW_ROWS rows of `frame` under readable headers (CSV name as help text)."""
    config = {
        column: st.column_config.Column(HEADERS.get(column, column), help=f"CSV column `{column}`")
        for column in frame.columns
    }
    st.caption(preview_caption(len(frame)))
    st.dataframe(frame.head(PREVIEW_ROWS), column_config=config, hide_index=True, width="stretch", key=key)
