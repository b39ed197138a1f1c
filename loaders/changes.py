"""Change capture for the large child-level tables: what a load removed and added, row by row.

The measures are recomputed only for the months an ingest changed (metrics.scope). Hashing every
row of every input table after each load would cost seconds at national size (38 million rows),
most of them untouched, so each loader says which rows a write can touch (a predicate over the
table, alias t) and `captured` keeps what changed among them: the rows matching the predicate
before the write and after it, less those that are the same in both, go into `<table>_changes`
with change -1 (removed) or +1 (added). A row whose end date was filled in gives one of each.

Rows are compared without their provenance (file, row number, batch, census reference date, and
the 903 collection year): re-sending the same records in a newer file changes nothing. The
recompute reads the change tables and empties them. The small tables (903 coverage, census
returns, population) are not captured; metrics.scope hashes them whole.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

from loaders.store import Params, Writer

CAPTURED_TABLES = (
    "ssda903_episodes",
    "ssda903_header",
    "ssda903_oc3",
    "cin_referrals",
    "cin_assessments",
    "cin_section47",
    "cin_cp_plans",
    "cin_cp_reviews",
    "caseload_workers",
)
PROVENANCE_COLUMNS = frozenset({"source_file", "source_row", "batch_id", "reference_date", "name_year"})
# set by every recompute (metrics.scope); until there is one, everything will be computed anyway
RECOMPUTED_KEY = "metrics_code_version"


def compared_columns(writer: Writer, table: str) -> list[str]:
    """The columns of `table` that say what a row is, not where it came from."""
    found = writer.con.execute(
        "select column_name from duckdb_columns() "
        "where table_name = ? and database_name = current_database() order by column_index",
        [table],
    ).fetchall()
    return without_provenance(table, [str(row[0]) for row in found])


def without_provenance(table: str, columns: list[str]) -> list[str]:
    """`columns` of `table` less those that say where a row came from."""
    excluded = set(PROVENANCE_COLUMNS)
    if table.startswith("ssda903_") and table != "ssda903_coverage":  # the year a row was sent in
        excluded.add("collection_year")
    if table == "ssda903_episodes":  # keyed hashes for the validation rules: no measure reads them,
        excluded |= {"pl_post_key", "urn_key"}  # and the postcode's key is new at every load
    return [c for c in columns if c not in excluded]


def changes_table(table: str) -> str:
    if table not in CAPTURED_TABLES:
        raise ValueError(f"{table} is not a captured table")
    return f"{table}_changes"


@contextlib.contextmanager
def captured(writer: Writer, table: str, where_sql: str, params: Params = None) -> Iterator[None]:
    """Keep the rows of `table` matching `where_sql` (alias t) that the block removes or adds.

    `table` and `where_sql` are chosen by code, never by users; values go in `params`, which the
    predicate is run with before and after the block.
    """
    if not writer.con.execute("select 1 from settings where key = ?", [RECOMPUTED_KEY]).fetchall():
        yield  # nothing recomputed yet: the first recompute redoes everything
        return
    quoted = [f'"{c}"' for c in compared_columns(writer, table)]
    target = changes_table(table)
    writer.execute(
        f"create table if not exists {target} as select {', '.join(quoted)}, 0::tinyint as change "
        f"from {table} limit 0"
    )
    select = f"select {', '.join('t.' + c for c in quoted)} from {table} t where {where_sql}"
    writer.execute(f"create or replace temp table _rows_before as {select}", params)
    yield
    writer.execute(f"create or replace temp table _rows_after as {select}", params)
    writer.execute(
        f"insert into {target} "
        "select *, -1 from (from _rows_before except all from _rows_after) "
        "union all select *, 1 from (from _rows_after except all from _rows_before)"
    )
    writer.execute("drop table _rows_before")
    writer.execute("drop table _rows_after")


def clear_changes(writer: Writer) -> None:
    """Forget every captured change (after a recompute has taken them into account)."""
    for table in CAPTURED_TABLES:
        if writer.has_table(changes_table(table)):
            writer.execute(f"delete from {changes_table(table)}")
