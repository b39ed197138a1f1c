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


N, C, D = 0, 1, 2  # candidate kinds: a numerator run, a complement run, a denominator run


@dataclass
class _Cell:
    row: Hashable  # index label in the frame
    column: str  # "numerator" or "denominator"
    first: int  # the atoms it sums over, first to last
    last: int
    count: float


def _components(size: int, edges: list[tuple[int, int]]) -> np.ndarray:
    """Each node's component label in the graph with `edges` (union-find)."""
    parent = list(range(size))

    def root(node: int) -> int:
        while parent[node] != node:
            parent[node] = parent[parent[node]]
            node = parent[node]
        return node

    for u, v in edges:
        ru, rv = root(u), root(v)
        if ru != rv:
            parent[ru] = rv
    return np.array([root(node) for node in range(size)])


def _grounded_solve(
    size: int, edges: list[tuple[int, int]], right: np.ndarray, labels: np.ndarray | None = None
) -> np.ndarray:
    """Node potentials p solving L p = right, L the Laplacian of the graph with `edges` (unit
    resistors), the first node of each connected part (`labels`, from `_components`) held at 0
    (`right` sums to 0 on each)."""
    laplacian = np.zeros((size, size))
    if edges:
        u, v = np.array(edges).T
        np.add.at(laplacian, (u, u), 1)
        np.add.at(laplacian, (v, v), 1)
        np.add.at(laplacian, (u, v), -1)
        np.add.at(laplacian, (v, u), -1)
    parts = _components(size, edges) if labels is None else labels
    held = np.unique(parts, return_index=True)[1]
    laplacian[held, held] += 1  # no change to any difference within a part
    return np.linalg.solve(laplacian, right)


def _fitted(size: int, edges: list[tuple[int, int]], values: np.ndarray) -> np.ndarray:
    """Node potentials whose differences p[v] - p[u] fit the edges' values by least squares: what
    a sum or difference of cells gives for a run (the minimum-norm least-squares solution)."""
    right = np.zeros(size)
    if edges:
        u, v = np.array(edges).T
        np.add.at(right, v, values)
        np.add.at(right, u, -values)
    return _grounded_solve(size, edges, right)


def _currents(
    size: int, edges: dict[int, tuple[int, int]], labels: np.ndarray, start: int, end: int
) -> dict[int, float]:
    """Each edge's (key of `edges`) current, unsigned, when a unit flows between `start` and `end`
    through unit resistors. Its currents are the minimum-norm (least-squares) weights of the sum of
    shown cells that gives the run: a cell takes part when its current is not 0, and it is 1 on
    exactly the edges every path between the two uses (any other edge leaves a path carrying
    some of the flow)."""
    pairs = list(edges.values())
    right = np.zeros(size)
    right[start], right[end] = -1, 1
    potential = _grounded_solve(size, pairs, right, labels)
    return {key: abs(float(potential[v] - potential[u])) for key, (u, v) in edges.items()}


def _group_mask(group: pd.DataFrame, threshold: int) -> dict[tuple[Hashable, str], str]:
    """(row, "numerator"/"denominator") -> why hidden, for one LA and indicator.

    The span test is done on graphs. In the coordinates (numerator, denominator) of each month a
    numerator cell is a run of numerator months and a denominator cell a run of denominator
    months, so a run of months [a, b] is the edge from node a to node b + 1 of one of two graphs:
    a sum or difference of shown cells gives a numerator (denominator) run back exactly when its
    nodes are connected in the numerator (denominator) graph, a complement run when in both, and
    hiding a cell breaks that exactly when its edge is a bridge between those nodes. This decides
    the same as a linear-algebra span check of every cell on every step, in a fraction of the time
    (tests/metrics/disclosure_reference.py keeps that version; the tests compare them).
    """
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

    def atoms_of(index: Hashable) -> tuple[int, int]:
        span = spans[index]
        if span is None:
            return own_position[index], own_position[index]
        return position[span[0]], position[span[-1]]

    cells: list[_Cell] = []
    candidates: list[tuple[int, int, int]] = []  # (kind, first atom, last atom)
    hidden: dict[tuple[Hashable, str], str] = {}
    for index in group.index:
        n, d = numerators[index], denominators[index]
        first, last = atoms_of(index)
        if pd.notna(n):
            cells.append(_Cell(index, "numerator", first, last, float(n)))
        if pd.notna(d):
            cells.append(_Cell(index, "denominator", first, last, float(d)))
        candidates.extend([(N, first, last), (C, first, last), (D, first, last)])
        complement_small = pd.notna(n) and pd.notna(d) and is_small(d - n, threshold)
        if is_small(n, threshold) or complement_small or is_small(d, threshold):
            hidden[(index, "numerator")] = SMALL
        if is_small(d, threshold):
            hidden[(index, "denominator")] = SMALL
    if not cells:
        return hidden
    for start in range(len(month_list)):
        for length in range(1, 13):
            last = start + length - 1  # a run of calendar months, every one of them counted
            if last >= len(month_list) or month_list[last] != month_list[start] + length - 1:
                break
            candidates.extend([(N, start, last), (C, start, last), (D, start, last)])

    kinds = np.array([c[0] for c in candidates])
    starts = np.array([c[1] for c in candidates])
    ends = np.array([c[2] for c in candidates]) + 1  # the run's second node
    is_denominator = np.array([cell.column == "denominator" for cell in cells])
    counts = np.array([c.count for c in cells])
    keys = [(cell.row, cell.column) for cell in cells]
    nodes = [(cell.first, cell.last + 1) for cell in cells]  # each cell's edge
    graph_of = [int(d) for d in is_denominator]  # 0: the numerator graph, 1: the denominator one

    def labelled(shown: set[int], graph: int) -> np.ndarray:
        return _components(atoms + 1, [nodes[i] for i in sorted(shown) if graph_of[i] == graph])

    def leaking(labels: list[np.ndarray]) -> np.ndarray:
        """Whether each candidate is a sum or difference of the cells the labels were made from."""
        n_known = labels[0][starts] == labels[0][ends]
        d_known = labels[1][starts] == labels[1][ends]
        return np.where(kinds == N, n_known, np.where(kinds == D, d_known, n_known & d_known))

    everything = set(range(len(cells)))
    known = leaking([labelled(everything, 0), labelled(everything, 1)])
    fits = [
        _fitted(atoms + 1, [nodes[i] for i in range(len(cells)) if graph_of[i] == g],
                counts[[i for i in range(len(cells)) if graph_of[i] == g]])
        for g in (0, 1)
    ]
    n_runs, d_runs = fits[0][ends] - fits[0][starts], fits[1][ends] - fits[1][starts]
    values = np.where(kinds == N, n_runs, np.where(kinds == D, d_runs, d_runs - n_runs))
    values = values.round(9)  # rows that disagree can fit a run at exactly a half: judged as that
    small = np.flatnonzero(known & np.array([_small_value(v, threshold) for v in values]))
    if len(small) == 0:
        return hidden
    rank = {i: (cells[i].count, -i) for i in range(len(cells))}  # smallest, then latest
    shown = {i for i in everything if keys[i] not in hidden}
    labels = [labelled(shown, 0), labelled(shown, 1)]

    def graphs_of(leak: int) -> list[int]:
        return [g for g, needed in ((0, kinds[leak] != D), (1, kinds[leak] != N)) if needed]

    added: list[int] = []
    while len(leaks := small[leaking(labels)[small]]):
        leak = int(leaks[0])
        start, end = int(starts[leak]), int(ends[leak])
        currents: dict[int, float] = {}
        for graph in graphs_of(leak):
            edges = {i: nodes[i] for i in shown if graph_of[i] == graph}
            currents.update(_currents(atoms + 1, edges, labels[graph], start, end))
        # the smallest cell whose hiding breaks the sum: an edge every path uses (current 1,
        # confirmed by cutting it); if none, the smallest cell the least-squares sum uses
        chosen = None
        for cell in sorted((i for i, c in currents.items() if c > 1 - 1e-6), key=rank.__getitem__):
            cut = labelled(shown - {cell}, graph_of[cell])
            if cut[start] != cut[end]:
                chosen, labels[graph_of[cell]] = cell, cut
                break
        if chosen is None:  # not a bridge: no sum changes
            chosen = min((i for i, c in currents.items() if c > 1e-9), key=rank.__getitem__)
        shown.discard(chosen)
        hidden[keys[chosen]] = COMPLEMENTARY
        added.append(chosen)
    # Greedy choices can overlap: show again, latest first, every added cell not needed any more.
    for cell in reversed(added):
        graph, (u, v) = graph_of[cell], nodes[cell]
        joined = labels[graph]
        if joined[u] != joined[v]:  # showing it joins two parts of its graph
            joined = np.where(joined == joined[u], joined[v], joined)
            trial = [joined, labels[1]] if graph == 0 else [labels[0], joined]
            if leaking(trial)[small].any():
                continue
            labels = trial
        shown.add(cell)
        del hidden[keys[cell]]
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
