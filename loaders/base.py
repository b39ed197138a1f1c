"""What every file loader has in common: its interface, the ingest context, and KPI recording.

A loader is a module-level object with a `kind`, a `sniff` that recognises its files from their
name and first bytes, and a `load` that validates the whole file first and only then writes
through the store's `Writer`. A loader raises `LoadFailed` with every problem it found; the
ingest then discards the whole batch, so nothing is half-written. A write to one of the large
child-level tables goes inside `loaders.changes.captured`, so the recompute that follows knows what
changed (tests/metrics/test_scope.py checks that the capture accounts for every difference).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Protocol

import pandas as pd

from loaders.problems import Problem, redact, safe_name
from loaders.store import Writer

REFERENCE_DIR = Path(__file__).resolve().parent / "reference"
KPI_COLUMNS = [
    "la_code",
    "indicator_id",
    "period_end",
    "period_type",
    "numerator",
    "denominator",
    "value",
    "status",
]
STATUS_SYMBOLS = ("", "c", "k", "u", "x", "z")


@dataclass
class IngestContext:
    batch_id: str
    version: int
    today: date
    la_code: str | None = None


@dataclass
class LoadOutcome:
    kind: str
    rows: int
    la_code: str | None = None
    findings: list[Problem] = field(default_factory=list)


class FileLoader(Protocol):
    kind: str
    description: str

    def sniff(self, path: Path, head: bytes) -> bool: ...

    def load(self, path: Path, writer: Writer, context: IngestContext) -> LoadOutcome: ...


@lru_cache(maxsize=1)
def local_authorities() -> pd.DataFrame:
    """Every English LA code, current and former, with its region (shipped reference data)."""
    return pd.read_csv(REFERENCE_DIR / "local_authorities.csv", dtype=str, keep_default_na=False)


def is_known_la(code: str) -> bool:
    return code in set(local_authorities()["la_code"])


def la_name(code: str) -> str:
    names = local_authorities().set_index("la_code")["la_name"]
    return str(names.get(code, code))


def stored_la_code(writer: Writer, context: IngestContext) -> str | None:
    """The LA a load is for: --la, else the LA the store was first loaded for."""
    if context.la_code:
        return context.la_code
    found = writer.query("select value from settings where key = 'la_code'")
    return str(found["value"].iloc[0]) if not found.empty else None


def record_kpis(
    writer: Writer,
    kpis: pd.DataFrame,
    *,
    origin: str,
    source: str,
    source_file: str | None,
    context: IngestContext,
) -> int:
    """Store KPI values, appending only rows that differ from the current value of their origin.

    Loading the same figures again therefore changes nothing, and a revised figure becomes a new
    version while the old one stays in kpi_history. Returns the number of rows appended.
    """
    if kpis.empty:
        return 0
    frame = kpis[KPI_COLUMNS].copy()
    frame["period_end"] = pd.to_datetime(frame["period_end"]).dt.date
    frame["status"] = frame["status"].fillna("").astype(str)
    for column in ("numerator", "denominator", "value"):
        frame[column] = pd.to_numeric(frame[column]).astype("float64")
    writer.con.register("_kpis", frame)
    try:
        changed = writer.query(
            """
            with current as (
                select * exclude (rn) from (
                    select h.*, row_number() over (
                        partition by h.la_code, h.indicator_id, h.period_end, h.period_type
                        order by h.version desc) as rn
                    from kpi_history h
                    semi join _kpis n using (la_code, indicator_id, period_end, period_type)
                    where h.origin = ?
                ) where rn = 1
            )
            select n.* from _kpis n
            left join current c using (la_code, indicator_id, period_end, period_type)
            where c.la_code is null
               or c.value is distinct from n.value
               or c.numerator is distinct from n.numerator
               or c.denominator is distinct from n.denominator
               or c.status is distinct from n.status
            """,
            [origin],
        )
    finally:
        writer.con.unregister("_kpis")
    if changed.empty:
        return 0
    changed["origin"] = origin
    changed["source"] = source
    changed["source_file"] = source_file
    changed["batch_id"] = context.batch_id
    changed["recorded_at"] = pd.Timestamp.now()
    changed["version"] = context.version
    return writer.insert_frame("kpi_history", changed)


def record_findings(
    writer: Writer,
    findings: list[Problem],
    *,
    kind: str,
    la_code: str | None,
    context: IngestContext,
    period_ends: list[date | None] | None = None,
    affected_rows: list[int | None] | None = None,
) -> int:
    """Store non-fatal data-quality findings for the Data page (no child-level values)."""
    if not findings:
        return 0
    columns: dict[str, object] = {
            "batch_id": context.batch_id,
            "la_code": la_code,
            "source_file": [safe_name(f.file) for f in findings],
            "kind": kind,
            "rule": [redact(f.message) for f in findings],
            "severity": [f.severity for f in findings],
            "location": [f.location for f in findings],
            "period_end": period_ends or [None] * len(findings),
            "affected_rows": affected_rows or [None] * len(findings),
            "message": [str(f) for f in findings],
    }
    return writer.insert_frame("dq_findings", pd.DataFrame(columns))
