"""The first version of metrics.disclosure's complementary suppression, kept only as the reference
that tests/metrics/test_disclosure_fast.py checks the fast version against: a numpy span check
(SVD) for every cell that could be hidden, on every step. Slow (minutes for one indicator of the
demo store) but a direct reading of the rule in metrics/disclosure.py's docstring."""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from metrics.disclosure import COMPLEMENTARY, SMALL, _months, _small_value, implied_numerators, is_small

_TOLERANCE = 1e-7


@dataclass
class _Cell:
    row: Hashable  # index label in the frame
    column: str  # "numerator" or "denominator"
    vector: np.ndarray
    count: float


def _basis(vectors: np.ndarray) -> np.ndarray:
    """Orthonormal rows spanning `vectors`' rows."""
    if len(vectors) == 0:
        return np.zeros((0, vectors.shape[1]))
    _, singular, rows = np.linalg.svd(vectors, full_matrices=False)
    rank = int((singular > _TOLERANCE * max(1.0, singular[0])).sum())
    return rows[:rank]


def _in_span(candidates: np.ndarray, basis: np.ndarray) -> np.ndarray:
    residual = candidates - (candidates @ basis.T) @ basis
    return np.abs(residual).max(axis=1) < 1e-6


def reference_group_mask(group: pd.DataFrame, threshold: int) -> dict[tuple[Hashable, str], str]:
    """(row, "numerator"/"denominator") -> why hidden, for one LA and indicator."""
    numerators = implied_numerators(group)
    denominators = pd.to_numeric(group["denominator"], errors="coerce").astype("float64")
    spans: dict[Hashable, list[int] | None] = {
        index: _months(str(row.period_type), pd.Timestamp(row.period_end).date())
        for index, row in zip(group.index, group.itertuples(index=False), strict=True)
    }
    month_list = sorted({m for span in spans.values() if span for m in span})
    position = {m: i for i, m in enumerate(month_list)}
    own = [index for index, span in spans.items() if span is None]
    own_position = {index: len(month_list) + i for i, index in enumerate(own)}
    atoms = len(month_list) + len(own)  # N atoms first, then C atoms at + atoms

    def base(index: Hashable) -> np.ndarray:
        vector = np.zeros(atoms)
        span = spans[index]
        if span is None:
            vector[own_position[index]] = 1
        else:
            vector[[position[m] for m in span]] = 1
        return vector

    cells: list[_Cell] = []
    candidates: list[np.ndarray] = []
    hidden: dict[tuple[Hashable, str], str] = {}
    for index in group.index:
        n, d = numerators[index], denominators[index]
        b = base(index)
        n_vec, c_vec = np.concatenate([b, 0 * b]), np.concatenate([0 * b, b])
        if pd.notna(n):
            cells.append(_Cell(index, "numerator", n_vec, float(n)))
        if pd.notna(d):
            cells.append(_Cell(index, "denominator", n_vec + c_vec, float(d)))
        candidates.extend([n_vec, c_vec, n_vec + c_vec])
        complement_small = pd.notna(n) and pd.notna(d) and is_small(d - n, threshold)
        if is_small(n, threshold) or complement_small or is_small(d, threshold):
            hidden[(index, "numerator")] = SMALL
        if is_small(d, threshold):
            hidden[(index, "denominator")] = SMALL
    if not cells:
        return hidden
    for start in range(len(month_list)):
        for length in range(1, 13):
            run = [m for m in range(month_list[start], month_list[start] + length) if m in position]
            if len(run) < length:
                break
            b = np.zeros(atoms)
            b[[position[m] for m in run]] = 1
            zero = 0 * b
            candidates.extend([np.concatenate([b, zero]), np.concatenate([zero, b]), np.concatenate([b, b])])

    every = np.array([c.vector for c in cells])
    counts = np.array([c.count for c in cells])
    vectors = np.array(candidates)
    known = _in_span(vectors, _basis(every))
    atom_values = np.linalg.lstsq(every, counts, rcond=None)[0]
    values = vectors @ atom_values
    small = vectors[known & np.array([_small_value(v, threshold) for v in values])]
    if len(small) == 0:
        return hidden
    order = sorted(range(len(cells)), key=lambda i: (cells[i].count, -i))  # smallest, then latest

    def leaks_with(hidden_now: dict[tuple[Hashable, str], str]) -> np.ndarray:
        shown = [i for i in range(len(cells)) if (cells[i].row, cells[i].column) not in hidden_now]
        return small[_in_span(small, _basis(every[shown]))] if shown else small[:0]

    added: list[tuple[Hashable, str]] = []
    while len(leaks := leaks_with(hidden)):
        shown = [i for i in range(len(cells)) if (cells[i].row, cells[i].column) not in hidden]
        weights = np.linalg.lstsq(every[shown].T, leaks[0], rcond=None)[0]
        part = {shown[j] for j, w in enumerate(weights) if abs(w) > 1e-9}
        taking_part = [i for i in order if i in part]
        chosen = next(
            (i for i in taking_part
             if not _in_span(leaks[:1], _basis(every[[j for j in shown if j != i]]))[0]),
            taking_part[0],
        )
        key = (cells[chosen].row, cells[chosen].column)
        hidden[key] = COMPLEMENTARY
        added.append(key)
    # Greedy choices can overlap: show again, latest first, every added cell not needed any more.
    for key in reversed(added):
        del hidden[key]
        if len(leaks_with(hidden)):
            hidden[key] = COMPLEMENTARY
    return hidden


def halfway(group: pd.DataFrame, threshold: int) -> bool:
    """Whether a run this version works out lands within 1e-6 of 0.5 or threshold - 0.5 (only
    rows that disagree, fitted by least squares, do that): there its answer is rounding noise."""
    numerators = implied_numerators(group)
    denominators = pd.to_numeric(group["denominator"], errors="coerce").astype("float64")
    spans = [_months(str(r.period_type), pd.Timestamp(r.period_end).date()) for r in group.itertuples()]
    months = sorted({m for span in spans if span for m in span})
    own = [i for i, span in enumerate(spans) if span is None]
    size = len(months) + len(own)
    rows, counts = [], []
    for i, span in enumerate(spans):
        base = np.zeros(size)
        if span is None:
            base[len(months) + own.index(i)] = 1
        else:
            base[[months.index(m) for m in span]] = 1
        if pd.notna(numerators.iloc[i]):
            rows.append(np.concatenate([base, 0 * base]))
            counts.append(numerators.iloc[i])
        if pd.notna(denominators.iloc[i]):
            rows.append(np.concatenate([base, base]))
            counts.append(denominators.iloc[i])
    if not rows:
        return False
    every = np.array(rows)
    atoms = np.linalg.lstsq(every, np.array(counts, dtype=float), rcond=None)[0]
    runs = []
    for start in range(len(months)):
        for stop in range(start, min(start + 12, len(months))):
            if months[stop] - months[start] != stop - start:
                break
            run = np.zeros(size)
            run[start : stop + 1] = 1
            zero = 0 * run
            runs += [np.concatenate([run, zero]), np.concatenate([zero, run]), np.concatenate([run, run])]
    for i in range(len(months), size):
        single = np.zeros(size)
        single[i] = 1
        runs += [np.concatenate([single, 0 * single]), np.concatenate([0 * single, single])]
    candidates = np.array(runs)
    known = _in_span(candidates, _basis(every))
    values = np.abs(candidates[known] @ atoms)
    return bool(np.any(np.isclose(values, 0.5, atol=1e-6) | np.isclose(values, threshold - 0.5, atol=1e-6)))
