"""An attacker who differences shown cells: what small counts can be worked out from exports.

Independent of metrics.disclosure's linear algebra: every count of a month, year to date or rolling
12-month row is a run of consecutive months (month m = run(m, m), ytd(m) = run(April, m),
rolling(m) = run(m - 11, m)). From the shown numerators (N) and denominators (D), the attacker
repeats until nothing new comes: C = D - N, N = D - C, D = N + C for a run; run(a, b) - run(a, c)
= run(c + 1, b) and run(a, b) - run(c, b) = run(a, c - 1) (pairwise differences: YTD(m) -
YTD(m-1) = month(m), rolling(m) - rolling(m-1) + month(m-12) in two steps), and
run(a, c) + run(c + 1, b) = run(a, b) (totals).
"""

from __future__ import annotations

from collections.abc import Iterable

Run = tuple[str, str, int, int]  # (indicator, kind N/C/D, first month, last month)


def run_of(period_type: str, month: int) -> tuple[int, int]:
    """The months (as year*12 + month - 1) a row sums over."""
    if period_type == "month":
        return month, month
    if period_type == "rolling_12m":
        return month - 11, month
    if period_type == "ytd":
        return month - (month % 12 - 3) % 12, month
    raise ValueError(period_type)


def attack(shown: Iterable[tuple[str, str, int, str, float]]) -> dict[Run, float]:
    """Everything derivable from shown cells (indicator, period_type, month, "N"/"D", count)."""
    known: dict[Run, float] = {}
    for indicator, period_type, month, kind, count in shown:
        first, last = run_of(period_type, month)
        known[(indicator, kind, first, last)] = float(count)
    changed = True
    while changed:
        changed = False
        new: dict[Run, float] = {}
        items = list(known.items())
        for (ind, kind, a, b), value in items:
            other = {"N": "C", "C": "N", "D": None}[kind]
            if kind == "D":
                for k2, k3 in (("N", "C"), ("C", "N")):
                    if (ind, k2, a, b) in known:
                        new.setdefault((ind, k3, a, b), value - known[(ind, k2, a, b)])
            elif other and (ind, other, a, b) in known:
                new.setdefault((ind, "D", a, b), value + known[(ind, other, a, b)])
        for (ind, kind, a, b), value in items:
            for (ind2, kind2, c, d), value2 in items:
                if ind2 != ind or kind2 != kind or (a, b) == (c, d):
                    continue
                if a == c and d < b:
                    new.setdefault((ind, kind, d + 1, b), value - value2)
                elif b == d and a < c:
                    new.setdefault((ind, kind, a, c - 1), value - value2)
                elif c == b + 1:
                    new.setdefault((ind, kind, a, d), value + value2)
        for key, value in new.items():
            if key not in known and key[3] - key[2] < 12:
                known[key] = value
                changed = True
    return known


def recovered_small(known: dict[Run, float], truth: dict[Run, float], threshold: int) -> set[Run]:
    """The runs the attacker knows whose true count is 1 to threshold - 1 (and is what they found)."""
    return {
        key
        for key, value in known.items()
        if key in truth and 1 <= truth[key] < threshold and abs(truth[key] - value) < 1e-6
    }
