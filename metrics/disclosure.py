"""Small-number suppression: one mask for an LA's whole KPI table, safe against subtraction.

Published children's social care figures never reveal a count between 1 and the threshold minus 1
(default threshold 5: counts 1 to 4; DOMAIN.md "a count between 1 and the threshold", the DfE's
symbol "c"), directly or by arithmetic on what else is shown. Zero is shown: it reveals no one.

Suppression is a property of the data, not of one export. The mask is computed once over the LA's
whole KPI table (every indicator, period type and month; numerators, denominators and count-valued
indicators such as a count typed into a performance workbook) and an export only selects rows of
it, so a cell is hidden or shown the same whatever the filter, and putting several exports side by
side reveals nothing that one full export would not (`suppress_rows`).

The rule. Within one LA and indicator every count is a sum of monthly counts: a month row is one
month, a year to date row the months from April of its reporting year, a rolling 12-month row the
twelve months to its end, a year row the twelve months to its end; a snapshot row is its own
quantity. Each row's numerator N and complement C (denominator - numerator: e.g. care leavers NOT
in touch) are counted separately, so its denominator is N + C. The protected quantities are every
row's N, C and N + C, and every run of 1 to 12 consecutive months of N, C or N + C (what
YTD(m) - YTD(m-1), rolling(m) - rolling(m-1) + month(m-12) and the like give back). A protected
quantity whose true value is 1 to threshold-1 must not be computable from the shown cells by any
sum or difference: its vector of months must not lie in the span of the shown cells' vectors.

1. Primary suppression. A small numerator, or a small complement, hides the row's numerator; a
   small denominator hides the numerator and the denominator.
2. Complementary suppression. While some small protected quantity is still a sum or difference of
   shown cells, one shown cell taking part in that sum is hidden: the smallest whose hiding breaks
   it (the later period on a tie). Then each cell hidden this way is shown again if, with it
   shown, no small quantity can be worked out.
   This hides only what the arithmetic needs, not whole series.
3. A row's value is hidden whenever one of its counts is (value x denominator gives the numerator
   back). A percentage given with its denominator but no numerator is judged on the numerator it
   implies (value x denominator / 100); a count-valued indicator (unit "number") with no numerator
   is judged on its value. Values with no counts (an average from published figures) are shown.

Suppressed cells are the text "c" (never 0, never a number) and a hidden row's status becomes "c".
`suppression_mask` also says why: "small" (the cell is a small count itself, rule 1) or
"complementary" (rule 2: showing it would let a small count be worked out by subtraction).
Relations between different indicators or LAs (one indicator being a part of another) are not
modelled.
"""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass
from datetime import date

import numpy as np
import pandas as pd

SUPPRESSED = "c"
DEFAULT_THRESHOLD = 5
COUNT_COLUMNS = ("numerator", "denominator", "value")
KEY_COLUMNS = ("la_code", "indicator_id", "period_end", "period_type")
SMALL = "small"
COMPLEMENTARY = "complementary"
WHY_TEXT = {
    SMALL: "a count from 1 to the threshold minus 1",
    COMPLEMENTARY: "showing it would give a small count back by subtraction from other shown cells",
}
MONTHS_SPANNED = {"month": 1, "rolling_12m": 12, "year": 12}
_TOLERANCE = 1e-7


def is_small(count: float | None, threshold: int) -> bool:
    """1 <= count < threshold (a missing count is not small)."""
    if count is None or pd.isna(count):
        return False
    return 1 <= float(count) < threshold


def _small_value(value: float, threshold: int) -> bool:
    """A derived count (an integer up to rounding) from 1 to threshold-1, either sign."""
    return 0.5 <= abs(value) < threshold - 0.5


def implied_numerators(frame: pd.DataFrame) -> pd.Series:
    """The numerator; for a percentage given only as value and denominator, value x denominator / 100;
    for a count-valued indicator (unit "number") with neither count, the value."""
    numerators = pd.to_numeric(frame["numerator"], errors="coerce").astype("float64")
    if "unit" not in frame.columns:
        return numerators
    values = pd.to_numeric(frame["value"], errors="coerce")
    denominators = pd.to_numeric(frame["denominator"], errors="coerce")
    implied = (values * denominators / 100).round()
    numerators = numerators.where(numerators.notna() | (frame["unit"] != "%"), implied)
    counted = (frame["unit"] == "number") & denominators.isna()
    return numerators.where(numerators.notna() | ~counted, values.astype("float64"))


def _month_index(day: date) -> int:
    return day.year * 12 + day.month - 1


def _months(period_type: str, period_end: date) -> list[int] | None:
    """The months a row's counts sum over; None for a row that is its own quantity (snapshot)."""
    end = _month_index(period_end)
    if period_type == "ytd":
        april = end - (period_end.month - 4) % 12
        return list(range(april, end + 1))
    if period_type in MONTHS_SPANNED:
        return list(range(end - MONTHS_SPANNED[period_type] + 1, end + 1))
    return None


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


def _group_mask(group: pd.DataFrame, threshold: int) -> dict[tuple[Hashable, str], str]:
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


def suppression_mask(frame: pd.DataFrame, threshold: int = DEFAULT_THRESHOLD) -> pd.DataFrame:
    """Why each count cell of `frame` is hidden: "small", "complementary" or "" (shown).

    Columns numerator, denominator and value; the index is `frame`'s. `frame` has la_code,
    indicator_id, period_end, period_type, numerator, denominator, value (and unit, for percentages
    and count-valued indicators); the mask is only safe when `frame` is the whole table of its LAs.
    """
    why = pd.DataFrame("", index=frame.index, columns=list(COUNT_COLUMNS), dtype=object)
    for _, group in frame.groupby(["la_code", "indicator_id"], sort=False, dropna=False):
        for (index, column), reason in _group_mask(group, threshold).items():
            why.loc[index, column] = reason
    counted = implied_numerators(frame).notna() | frame["denominator"].notna()
    only_value = counted & frame["numerator"].isna() & frame["denominator"].isna()
    why.loc[only_value, "value"] = why.loc[only_value, "numerator"]
    why.loc[only_value, "numerator"] = ""
    rest = counted & ~only_value
    numerator_why = why.loc[rest, "numerator"]
    row_reason = numerator_why.where(numerator_why != "", why.loc[rest, "denominator"])
    why.loc[rest, "value"] = row_reason
    return why


def _apply(frame: pd.DataFrame, why: pd.DataFrame) -> pd.DataFrame:
    result = frame.copy()
    hide = why != ""
    for column in COUNT_COLUMNS:
        result[column] = result[column].astype(object).where(~hide[column], SUPPRESSED)
    if "status" in result.columns:
        result["status"] = result["status"].astype(object).where(~hide.any(axis=1), SUPPRESSED)
    return result


def suppress(frame: pd.DataFrame, threshold: int = DEFAULT_THRESHOLD) -> pd.DataFrame:
    """`frame` (the whole table of its LAs) with small counts, and whatever would reveal them, as "c".

    The count and value columns become text columns (numbers as they were, "c" where hidden);
    a hidden row's status becomes "c". Other columns are unchanged.
    """
    return _apply(frame, suppression_mask(frame, threshold))


def suppress_rows(
    full: pd.DataFrame, rows: pd.DataFrame, threshold: int = DEFAULT_THRESHOLD
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """`rows` (a filtered selection of `full`, the whole table of the same LAs) suppressed with the
    mask of `full`, and the reasons (see `suppression_mask`) aligned with `rows`.

    Rows are matched on la_code, indicator_id, period_end and period_type, so a cell is hidden
    the same in every selection.
    """
    if rows.empty:  # the same text columns as a selection with rows
        why = pd.DataFrame("", index=rows.index, columns=list(COUNT_COLUMNS), dtype=object)
        return _apply(rows, why), why
    why_full = suppression_mask(full, threshold)
    keyed = pd.concat([full[list(KEY_COLUMNS)], why_full], axis=1).drop_duplicates(list(KEY_COLUMNS))
    why = rows[list(KEY_COLUMNS)].merge(keyed, on=list(KEY_COLUMNS), how="left")
    why = why[list(COUNT_COLUMNS)].fillna("").set_axis(rows.index)
    return _apply(rows, why), why
