"""Which month ends a recompute has to redo: incremental recompute by input fingerprints.

After every recompute the store keeps, for each child-level input table, LA and month, a count
and an order-independent hash of its rows (`input_fingerprints`). The next recompute hashes the
tables again; a month whose hash differs means that LA's month ends from that month on may have
changed, because every measure only looks back from a month end: a row can affect month ends on or
after its earliest relevant date, never before. The month a row is filed under is therefore that
date (an episode's start, a referral's date, a care leaver's birthday, the first month a return
covers). Columns that say where a row came from (file, row number, batch, census reference date)
are left out of the hash: re-sending the same records in a newer file changes nothing.

The result is written to `recompute_scope` (la_code, from_date), which the measure queries use to
limit their month-end grids; LAs that did not change are not recomputed at all. When nothing was
fingerprinted before, or the measure code changed, the scope is everything (an empty table).
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import pandas as pd

from loaders.store import Writer

METRICS_DIR = Path(__file__).resolve().parent

# table -> SQL expression (over alias t) for the earliest month end a row can affect
INPUT_DATES = {
    "ssda903_episodes": "t.decom",
    "ssda903_header": (
        "(select min(e.decom) from ssda903_episodes e where e.la_code = t.la_code and e.child = t.child)"
    ),
    "ssda903_oc3": "t.birthday",
    "ssda903_coverage": "make_date(t.collection_year - 1, 4, 1)",
    "cin_census_returns": "t.coverage_start",
    "cin_referrals": "t.referral_date",
    "cin_assessments": "t.assessment_start_date",
    "cin_section47": "t.s47_start_date",
    "cin_cp_plans": "t.plan_start_date",
    "cin_cp_reviews": "t.plan_start_date",
    "caseload_workers": "t.snapshot_date",
    "population": "make_date(t.year, 6, 30)",
}
PROVENANCE_COLUMNS = {"source_file", "source_row", "batch_id", "reference_date", "name_year"}
CODE_VERSION_KEY = "metrics_code_version"


def code_version() -> str:
    """A hash of the measure code and queries: a change forces a full recompute."""
    digest = hashlib.sha256()
    for path in sorted([*METRICS_DIR.glob("*.py"), *METRICS_DIR.glob("sql/*.sql"),
                        *METRICS_DIR.glob("*.toml")]):
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def _columns(writer: Writer, table: str) -> list[str]:
    found = writer.query(
        "select column_name from information_schema.columns where table_name = ? order by ordinal_position",
        [table],
    )
    excluded = set(PROVENANCE_COLUMNS)
    if table.startswith("ssda903_") and table != "ssda903_coverage":  # the coverage is by year
        excluded.add("collection_year")
    return [c for c in found["column_name"] if c not in excluded]


def current_fingerprints(writer: Writer) -> pd.DataFrame:
    """(table_name, la_code, month, rows, fingerprint) for every input table present."""
    parts = []
    for table, date_sql in INPUT_DATES.items():
        if not writer.has_table(table):
            continue
        columns = ", ".join(f't."{c}"' for c in _columns(writer, table))
        # table and column names come from the fixed list above and the store's own schema
        parts.append(
            f"select '{table}' as table_name, t.la_code, date_trunc('month', {date_sql})::date as month, "
            f"hash({columns})::hugeint as h from {table} t"
        )
    if not parts:
        return pd.DataFrame(columns=["table_name", "la_code", "month", "rows", "fingerprint"])
    union = " union all ".join(parts)
    return writer.query(
        f"select table_name, la_code, month, count(*) as rows, sum(h) as fingerprint "
        f"from ({union}) where month is not null group by all"
    )


def changed_from(previous: pd.DataFrame, current: pd.DataFrame) -> pd.DataFrame:
    """Per LA, the first month whose rows differ between two fingerprint sets (la_code, from_date)."""
    key = ["table_name", "la_code", "month"]
    merged = previous.merge(current, on=key, how="outer", suffixes=("_old", "_new"), indicator=True)
    differs = (
        (merged["_merge"] != "both")
        | (merged["rows_old"] != merged["rows_new"])
        | (merged["fingerprint_old"] != merged["fingerprint_new"])
    )
    changed = merged.loc[differs, ["la_code", "month"]]
    scope = changed.groupby("la_code", as_index=False)["month"].min()
    return scope.rename(columns={"month": "from_date"})


def begin(writer: Writer) -> tuple[pd.DataFrame, pd.DataFrame | None]:
    """Fingerprint the inputs and set `recompute_scope`.

    Returns the fingerprints (for `finish`) and the scope: None to recompute everything, an empty
    frame when no input changed, else one row per changed LA with the first month to redo.
    """
    current = current_fingerprints(writer)
    stored_version = writer.query("select value from settings where key = ?", [CODE_VERSION_KEY])
    same_code = not stored_version.empty and stored_version["value"].iloc[0] == code_version()
    previous = writer.query("select table_name, la_code, month, rows, fingerprint from input_fingerprints")
    writer.execute("delete from recompute_scope")
    if previous.empty or not same_code:
        return current, None
    scope = changed_from(previous, current)
    scope["from_date"] = pd.to_datetime(scope["from_date"]).dt.date
    writer.insert_frame("recompute_scope", scope)
    return current, scope


def finish(writer: Writer, fingerprints: pd.DataFrame) -> None:
    """Remember what this recompute saw and return the scope to 'everything'."""
    writer.execute("delete from recompute_scope")
    writer.execute("delete from input_fingerprints")
    writer.insert_frame("input_fingerprints", fingerprints)
    writer.execute("insert or replace into settings values (?, ?)", [CODE_VERSION_KEY, code_version()])
