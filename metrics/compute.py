"""Recompute everything derived, after every ingest.

Each measure family is a module with `compute(store) -> DataFrame` returning KPI rows (the columns
of `loaders.base.KPI_COLUMNS` plus `source`) for every LA and month end in the child-level tables
it reads, or an empty frame when those tables are absent. Values are recorded with origin
"computed": only rows that changed become new versions. The DfE validation rules are then run over
the whole store (metrics.validation; they read the KPI month ends) and benchmarks refreshed last.
"""

from __future__ import annotations

import importlib
import logging
from types import ModuleType

import pandas as pd

from loaders.base import IngestContext, record_kpis
from loaders.store import Writer
from metrics import scope, validation
from metrics.benchmarks import refresh_benchmark_summary

log = logging.getLogger(__name__)

FAMILY_MODULES = (
    "metrics.caseload",
    "metrics.child_protection",
    "metrics.front_door",
    "metrics.placements",
    "metrics.care_leavers",
)


def families() -> list[ModuleType]:
    return [importlib.import_module(name) for name in FAMILY_MODULES]


def compute_all(store: Writer) -> pd.DataFrame:
    """Every computed KPI row in the store's `recompute_scope` (all when empty); nothing written."""
    frames = [module.compute(store) for module in families()]
    frames = [frame for frame in frames if not frame.empty]
    if not frames:
        return pd.DataFrame()
    return pd.concat(frames, ignore_index=True)


def recompute(writer: Writer, context: IngestContext) -> pd.DataFrame | None:
    """Bring computed KPIs and benchmark summaries up to date inside the ingest's write session.

    Only the LAs and month ends whose inputs changed since the last recompute are redone (see
    metrics.scope); a first load, or new measure code, redoes everything. Returns the scope that
    was redone (la_code, from_date), or None for everything.
    """
    fingerprints, changed = scope.begin(writer)
    if changed is not None and changed.empty:
        log.info("no child-level input changed; measures not recomputed")
    else:
        _record_measures(writer, context)
    scope.finish(writer, fingerprints)
    validation.run(writer)
    refresh_benchmark_summary(writer)
    return changed


def _record_measures(writer: Writer, context: IngestContext) -> None:
    computed = compute_all(writer)
    if not computed.empty:
        for source, rows in computed.groupby("source", sort=False):
            record_kpis(
                writer, rows, origin="computed", source=str(source), source_file=None, context=context
            )
    for module in families():  # a family may keep derived tables of its own (caseload_breakdown)
        refresh_tables = getattr(module, "refresh_tables", None)
        if refresh_tables is not None:
            refresh_tables(writer)
