"""RAG against target: green met, amber missed within tolerance, red missed beyond it.

Polarity decides the direction: for a High indicator a value at or above the target is met; for a
Low one, at or below. Indicators without polarity, and values or targets that are missing, get no
RAG (None), never a colour.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

RAG_LABELS = {"green": "Green: target met", "amber": "Amber: just missed", "red": "Red: missed"}
RAG_SYMBOLS = {"green": "●", "amber": "▲", "red": "■"}


def rag_status(value: float | None, target: float | None, polarity: str, tolerance: float) -> str | None:
    """'green', 'amber', 'red' or None for one value."""
    if polarity not in ("High", "Low") or value is None or target is None:
        return None
    if math.isnan(value) or math.isnan(target):
        return None
    shortfall = target - value if polarity == "High" else value - target
    if shortfall <= 0:
        return "green"
    if shortfall <= tolerance:
        return "amber"
    return "red"


def rag_column(
    values: pd.Series, targets: pd.Series, polarity: pd.Series, tolerance: pd.Series
) -> pd.Series:
    """Vectorised `rag_status` over aligned Series; missing where no RAG applies."""
    v = pd.to_numeric(values, errors="coerce").to_numpy(dtype="float64")
    t = pd.to_numeric(targets, errors="coerce").to_numpy(dtype="float64")
    tol = pd.to_numeric(tolerance, errors="coerce").fillna(0.0).to_numpy(dtype="float64")
    pol = polarity.to_numpy()
    shortfall = np.where(pol == "High", t - v, np.where(pol == "Low", v - t, np.nan))
    result = np.select(
        [shortfall <= 0, shortfall <= tol, shortfall > tol], ["green", "amber", "red"], default=""
    )
    out = pd.Series(result, index=values.index, dtype="object")
    return out.where(out != "", None)


def rag_summary(statuses: pd.Series) -> dict[str, int]:
    """Counts of green, amber and red, e.g. {'green': 11, 'amber': 6, 'red': 0}."""
    counts = statuses.value_counts()
    return {colour: int(counts.get(colour, 0)) for colour in ("green", "amber", "red")}


def summary_sentence(counts: dict[str, int]) -> str:
    """'11 green, 6 amber, 0 red' as in the scrutiny reports."""
    return f"{counts['green']} green, {counts['amber']} amber, {counts['red']} red"
