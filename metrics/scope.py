"""Which month ends a recompute has to redo: incremental recompute from what the ingest changed.

Every measure only looks back from a month end, so a change to an input can affect month ends on
or after some date, never before. A recompute therefore redoes, per LA and measure family, the
month ends from the first month any input the family reads changed (`recompute_scope`: la_code,
family, from_date), and LAs and families whose inputs did not change not at all: a 903 correction
redoes no CIN measure, and a referral that closes in October redoes the front door events from
October even when it takes the children in need count back to its referral. What changed comes
from two places:

- the large child-level tables (903 episodes, header and OC3; the CIN census tables; caseload
  lists) are captured as they are written: the loaders keep the rows each write removed and added
  (loaders.changes), so a monthly load costs what it changed, not what the store holds;
- the small tables (903 coverage, census returns, population) are hashed whole every time and
  compared with the hashes the last recompute kept (`input_fingerprints`).

Either way a row is seen in parts, each filed under the earliest date its columns can affect, so
that the common monthly change (an episode, referral or plan that was open last month now has an
end date) redoes only the months from that end date, not from the day the episode began:

- the row's key and the columns read from its start (an episode's DECOM, RNE, legal status and
  placement) under its start date;
- its end (DEC; a referral's closure; a plan's end) under the end date. An end date changing from
  E1 to E2 (or from none) can change nothing before the earlier of the two: the child was in care,
  in need or on a plan at every month end before either;
- a conference or authorisation date (the event a timeliness measure counts) under that date;
- coverage (the months a census covers; the first census year, from which review gaps are judged)
  as the derived months themselves, so a new in-year census redoes only the months it adds.

A part names its columns; the first part of a table takes every column no other part names, so a
column added to a table later is safe by default. Provenance columns (file, row number, batch,
census reference date) are left out: re-sending the same records changes nothing.
tests/metrics/test_scope.py checks that the change capture accounts for every difference a load
makes and that an incremental recompute gives what a full one does. When no recompute has run
yet, or the measure code changed, the scope is everything (an empty table).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from loaders.changes import CAPTURED_TABLES, RECOMPUTED_KEY, changes_table, clear_changes, without_provenance
from loaders.store import Writer

METRICS_DIR = Path(__file__).resolve().parent
CODE_VERSION_KEY = RECOMPUTED_KEY
FINGERPRINT_COLUMNS = ["table_name", "la_code", "month", "rows", "fingerprint"]
SCOPE_COLUMNS = ["la_code", "family", "from_date"]
# Sums of row hashes are kept modulo a prime below 2**63: exact in a bigint (and in pandas int64),
# still additive, so a month's sum changes whenever one of its rows does (but for 1 in 2**63).
FINGERPRINT_MODULUS = 9223372036854775783


@dataclass(frozen=True)
class Part:
    """One part of an input's rows: what is hashed (`columns`, `expressions`) and the earliest date
    it can affect (`date_sql`, over the alias t). `columns` None: every column no other part of the
    table names, plus the table's key. `source` replaces the table with a derived relation."""

    name: str
    date_sql: str
    columns: tuple[str, ...] | None = None
    expressions: tuple[str, ...] = ()
    source: str | None = None
    families: tuple[str, ...] | None = None  # the measure families it can affect (None: the table's)


# Measure families, each redone from its own first month: a family's queries filter
# recompute_scope on its name (metrics.front_door's _month_ctes, the 903 SQL files, caseload).
# The front door module is two: its events, and the children in need count.
FAMILIES = ("caseload", "child_protection", "front_door", "children_in_need", "placements", "care_leavers")
CIN_FAMILIES = ("front_door", "children_in_need", "child_protection")
# The families whose queries read each input table (a part may name fewer: `Part.families`).
TABLE_FAMILIES: dict[str, tuple[str, ...]] = {
    "ssda903_episodes": ("placements",),
    "ssda903_header": ("placements",),
    "ssda903_oc3": ("care_leavers",),
    "ssda903_coverage": ("placements", "care_leavers"),
    "cin_census_returns": CIN_FAMILIES,
    "cin_referrals": CIN_FAMILIES,
    "cin_assessments": ("front_door",),
    "cin_section47": ("child_protection",),
    "cin_cp_plans": ("child_protection",),
    "cin_cp_reviews": ("child_protection",),
    "caseload_workers": ("caseload",),
    "population": FAMILIES,  # every rate per 10,000
}

# A referral that only had an assessment and closed with RC8/RC9 is left out of the children in
# need count for its whole span (metrics/sql/front_door_children_in_need.sql), so whether it is
# one belongs with the referral's start, not its closure; it matters to that count alone.
ASSESSMENT_ONLY_CLOSED = (
    "(t.section47_count = 0 and t.cp_plan_count = 0 "
    "and coalesce(t.reason_for_closure, '') in ('RC8', 'RC9'))"
)
CIN_COVERED_MONTHS = (METRICS_DIR / "sql" / "front_door_covered_months.sql").read_text()

INPUT_PARTS: dict[str, tuple[Part, ...]] = {
    "ssda903_episodes": (
        Part("start", "t.decom"),
        Part("end", "t.dec", ("child", "decom", "dec", "rec", "reason_place_change")),
    ),
    "ssda903_header": (
        Part(
            "child",
            "(select min(e.decom) from ssda903_episodes e where e.la_code = t.la_code and e.child = t.child)",
        ),
    ),
    "ssda903_oc3": (Part("birthday", "t.birthday"),),
    "ssda903_coverage": (
        Part("year", "make_date(t.collection_year - 1, 4, 1)"),
        Part("data_end", "t.data_end", ("table_name", "collection_year", "data_end")),
    ),
    "cin_census_returns": (
        Part("covered_month", "t.period_end", ("period_end",), source=CIN_COVERED_MONTHS),
        Part(
            "known_from",
            "t.known_from",
            ("known_from",),
            source=(
                "select la_code, min(coverage_start) as known_from from cin_census_returns group by la_code"
            ),
        ),
    ),
    "cin_referrals": (
        Part("referral", "t.referral_date"),
        Part("assessment_only", "t.referral_date", ("child_id", "referral_date"),
             expressions=(ASSESSMENT_ONLY_CLOSED,), families=("children_in_need",)),
        Part(
            "closure",
            "t.closure_date",
            ("child_id", "referral_date", "closure_date", "reason_for_closure", "section47_count",
             "cp_plan_count"),
        ),
        Part("transfer_icpc", "t.transfer_icpc_date", ("child_id", "referral_date", "transfer_icpc_date")),
    ),
    "cin_assessments": (Part("authorised", "t.assessment_authorisation_date"),),
    "cin_section47": (Part("icpc", "t.icpc_date"),),
    "cin_cp_plans": (
        Part("start", "t.plan_start_date"),
        Part("end", "t.plan_end_date", ("child_id", "plan_start_date", "plan_end_date")),
    ),
    "cin_cp_reviews": (Part("review", "t.review_date"),),
    "caseload_workers": (Part("list", "t.snapshot_date"),),
    "population": (Part("estimate", "make_date(t.year, 6, 30)"),),
}
TABLE_KEYS: dict[str, tuple[str, ...]] = {
    "ssda903_episodes": ("child", "decom"),
    "ssda903_coverage": ("table_name", "collection_year"),
    "cin_referrals": ("child_id", "referral_date"),
    "cin_cp_plans": ("child_id", "plan_start_date"),
}


def code_version() -> str:
    """A hash of the measure code and queries: a change forces a full recompute."""
    digest = hashlib.sha256()
    for path in sorted([*METRICS_DIR.glob("*.py"), *METRICS_DIR.glob("sql/*.sql"),
                        *METRICS_DIR.glob("*.toml")]):
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


FINGERPRINTED_TABLES = tuple(table for table in INPUT_PARTS if table not in CAPTURED_TABLES)


def part_columns(table: str, part: Part, table_columns: list[str]) -> list[str]:
    """The columns one part hashes: its own, or (None) the table's key and every column no other
    part of the table names."""
    if part.columns is not None:
        return list(part.columns)
    named = {c for other in INPUT_PARTS[table] if other.columns is not None for c in other.columns}
    named.add("la_code")  # the grouping, not part of the hash
    key = set(TABLE_KEYS.get(table, ()))
    return [c for c in table_columns if c not in named or c in key]


def part_select(table: str, part: Part, table_columns: list[str], relation: str, weight_sql: str) -> str:
    """SQL: table_name, la_code, month, w (the row's weight) and h (weight x the row's hash) for
    every row of one part of `relation` (alias t)."""
    hashed = [f't."{c}"' for c in part_columns(table, part, table_columns)] + list(part.expressions)
    source = f"({part.source})" if part.source else relation
    # table, part and column names come from the fixed lists above and the store's own schema
    return (
        f"select '{table}:{part.name}' as table_name, t.la_code, "
        f"date_trunc('month', {part.date_sql})::date as month, {weight_sql} as w, "
        f"{weight_sql} * hash({', '.join(hashed)})::hugeint as h from {source} t"
    )


def _summed(writer: Writer, selects: list[str], having: str = "") -> pd.DataFrame:
    if not selects:
        return pd.DataFrame(columns=FINGERPRINT_COLUMNS)
    union = " union all ".join(selects)
    return writer.query(
        f"select table_name, la_code, month, sum(w)::bigint as rows, "
        f"(sum(h) % {FINGERPRINT_MODULUS})::bigint as fingerprint "
        f"from ({union}) where month is not null group by all {having}"
    )


def _catalog(writer: Writer) -> dict[str, list[str]]:
    """Every table in the store with its columns, in one look at the catalogue."""
    found = writer.query(
        "select table_name, column_name from information_schema.columns "
        "where table_catalog = current_database() order by table_name, ordinal_position"
    )
    return {str(k): list(v) for k, v in found.groupby("table_name", sort=False)["column_name"]}


def current_fingerprints(
    writer: Writer, tables: Iterable[str] = FINGERPRINTED_TABLES, catalog: dict[str, list[str]] | None = None
) -> pd.DataFrame:
    """(table_name, la_code, month, rows, fingerprint) over the whole of each of `tables` that is
    present (by default the small tables); table_name is 'table:part'. `catalog`: _catalog's
    answer, when the caller has it already."""
    catalog = catalog if catalog is not None else _catalog(writer)
    selects = []
    for table in tables:
        if table in catalog:
            columns = without_provenance(table, catalog[table])
            selects += [part_select(table, part, columns, table, "1") for part in INPUT_PARTS[table]]
    return _summed(writer, selects)


def change_fingerprints(writer: Writer, catalog: dict[str, list[str]] | None = None) -> pd.DataFrame:
    """The same over the captured changes (removed rows counted -1, added +1): per part, LA and
    month, the net change; only months where something changed."""
    catalog = catalog if catalog is not None else _catalog(writer)
    selects = []
    for table in CAPTURED_TABLES:
        if changes_table(table) in catalog:
            columns = without_provenance(table, catalog[table])
            selects += [
                part_select(table, part, columns, changes_table(table), "t.change")
                for part in INPUT_PARTS[table]
            ]
    return _summed(writer, selects, "having sum(w) <> 0 or sum(h) <> 0")


def family_filter(family: str) -> str:
    """SQL: the recompute_scope rows (alias s) that apply to a measure family: its own and '*'."""
    if family not in FAMILIES:  # a name from code, put into the SQL
        raise ValueError(f"unknown measure family {family!r}")
    return f"s.family in ('*', '{family}')"


def part_families(table_part: str) -> tuple[str, ...]:
    """The measure families a 'table:part' fingerprint can affect."""
    table, _, name = table_part.partition(":")
    part = next(p for p in INPUT_PARTS[table] if p.name == name)
    return part.families if part.families is not None else TABLE_FAMILIES[table]


def changed_from(previous: pd.DataFrame, current: pd.DataFrame) -> pd.DataFrame:
    """Rows (table_name, la_code, month) whose fingerprint differs between two fingerprint sets."""
    key = ["table_name", "la_code", "month"]
    merged = previous.merge(current, on=key, how="outer", suffixes=("_old", "_new"), indicator=True)
    differs = (
        (merged["_merge"] != "both")
        | (merged["rows_old"] != merged["rows_new"])
        | (merged["fingerprint_old"] != merged["fingerprint_new"])
    )
    return merged.loc[differs, key]


def family_scope(changed: pd.DataFrame) -> pd.DataFrame:
    """Per LA and measure family, the first month any part it reads changed (la_code, family,
    from_date), from rows of (table_name 'table:part', la_code, month)."""
    families = {name: part_families(name) for name in changed["table_name"].unique()}
    spread = changed.assign(family=changed["table_name"].map(families)).explode("family")
    scope = spread.groupby(["la_code", "family"], as_index=False)["month"].min()
    scope = scope.rename(columns={"month": "from_date"})[SCOPE_COLUMNS]
    scope["from_date"] = pd.to_datetime(scope["from_date"]).dt.date
    return scope


def begin(writer: Writer) -> tuple[pd.DataFrame, pd.DataFrame | None]:
    """Work out what changed since the last recompute and set `recompute_scope`.

    Returns the small tables' fingerprints (for `finish`) and the scope: None to recompute
    everything, an empty frame when no input changed, else one row per changed LA and measure
    family with the first month to redo (la_code, family, from_date).
    """
    catalog = _catalog(writer)
    current = current_fingerprints(writer, catalog=catalog)
    stored_version = writer.query("select value from settings where key = ?", [CODE_VERSION_KEY])
    same_code = not stored_version.empty and stored_version["value"].iloc[0] == code_version()
    writer.execute("delete from recompute_scope")
    if not same_code:
        return current, None
    previous = writer.query("select table_name, la_code, month, rows, fingerprint from input_fingerprints")
    key = ["table_name", "la_code", "month"]
    changed = pd.concat(
        [changed_from(previous, current), change_fingerprints(writer, catalog)[key]], ignore_index=True
    )
    scope = family_scope(changed)
    writer.insert_frame("recompute_scope", scope)
    return current, scope


def finish(writer: Writer, fingerprints: pd.DataFrame) -> None:
    """Remember what this recompute saw, forget the captured changes and return the scope to
    'everything'."""
    writer.execute("delete from recompute_scope")
    writer.execute("delete from input_fingerprints")
    writer.insert_frame("input_fingerprints", fingerprints)
    clear_changes(writer)
    writer.execute("insert or replace into settings values (?, ?)", [CODE_VERSION_KEY, code_version()])


def forget(writer: Writer) -> None:
    """Make the next recompute redo everything (as after a change to the measure code)."""
    writer.execute("delete from settings where key = ?", [CODE_VERSION_KEY])
    writer.execute("delete from input_fingerprints")
    clear_changes(writer)
