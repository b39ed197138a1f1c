"""What the oracles share: the validators' own virtual environment, the per-code row sets and the
results tables (see oracle_903.py and oracle_cin.py)."""

from __future__ import annotations

import os
import subprocess
import venv
from collections.abc import Callable, Mapping
from pathlib import Path

import pandas as pd

HERE = Path(__file__).resolve().parent

# rule code -> flagged rows, each a list of JSON-able values (so it crosses from the validator's run)
Flagged = dict[str, list[list[object]]]
Rows = set[tuple[object, ...]]


def oracle_python() -> Path:
    """The oracle venv's python, created with the pinned validators on first use."""
    home = Path(os.environ.get("ORACLE_VENV", HERE / ".venv"))
    python = home / "bin" / "python"
    if not python.exists():
        venv.create(home, with_pip=True)
        subprocess.run([str(python), "-m", "pip", "install", "-q", "-r", str(HERE / "requirements.txt")],
                       check=True)
    return python


def code_order(code: str) -> tuple[int, str]:
    """Rule codes in numeric order (503A after 502, 1000 after 562)."""
    return len(code.rstrip("ABCDEFGHIJQ")), code


def sides(ours: Flagged, theirs: Flagged, code: str) -> tuple[Rows, Rows]:
    """The rows one code flags: the project's and the validator's."""
    return {tuple(r) for r in ours[code]}, {tuple(r) for r in theirs.get(code, [])}


def compare(
    ours: Flagged,
    theirs: Flagged,
    our_seconds: Mapping[str, float],
    their_seconds: Mapping[str, float],
    extra: Callable[[str, Rows, Rows], dict[str, object]] | None = None,
) -> pd.DataFrame:
    """One row per rule code: rows flagged by both, by each side only, agreement and times.

    `extra` adds an oracle's own columns after "validator only" (given the code and both sides).
    """
    records = []
    for code in sorted(ours, key=code_order):
        mine, other = sides(ours, theirs, code)
        records.append({
            "code": code, "both": len(mine & other), "project only": len(mine - other),
            "validator only": len(other - mine), **(extra(code, mine, other) if extra else {}),
            "agree": "yes" if code in theirs and mine == other else "no",
            "project ms": round(our_seconds[code] * 1000),
            "validator ms": round(their_seconds.get(code, float("nan")) * 1000),
        })
    return pd.DataFrame(records)


def markdown_table(table: pd.DataFrame) -> list[str]:
    return [
        "| " + " | ".join(table.columns) + " |",
        "|" + "---|" * len(table.columns),
        *("| " + " | ".join(str(v) for v in row) + " |" for row in table.itertuples(index=False)),
    ]


def differences(table: pd.DataFrame, ours: Flagged, theirs: Flagged,
                origin: Callable[[tuple[object, ...]], str]) -> list[str]:
    """For each differing code, the hand-made cases its differing rows come from, side by side."""
    lines: list[str] = []
    for code in table.loc[table["agree"] == "no", "code"]:
        mine, other = sides(ours, theirs, code)
        for side, extra in (("project only", mine - other), ("validator only", other - mine)):
            cases = sorted({origin(row) for row in extra})
            if cases:
                lines.append(f"- {code}, {side}: " + "; ".join(cases))
    return lines


def load_average(average: tuple[float, float, float]) -> str:
    """`os.getloadavg()` as uptime shows it: the last 1, 5 and 15 minutes."""
    return ", ".join(f"{value:.2f}" for value in average)
