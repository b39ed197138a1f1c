"""Run every applicable DfE validation rule over the whole store, set-based, in DuckDB.

Each rule's SQL (named parameters `$first_year` and `$last_year`, the collection years of the rule
version, and any of the rule entry's own `params`) returns the flagged records of every LA and
year at once, with columns: la_code, collection_year, table_name, source_row, child_key,
affects_from, affects_to. child_key is used only to count distinct children: it never leaves the
temporary table, which is dropped at the end.

Speed: every rule is evaluated in a single statement (the rules' queries joined by union all,
each rule's parameters renamed to its own), not one statement per rule: on files of a few
thousand rows a query takes longer to plan than to run. The inputs several rules share
(`SHARED_SQL`: the 903 episodes with the previous and next episode in their file, each year's
first episodes beside last year's last, OC3 rows beside their year's episodes) head that
statement as materialised CTEs, computed once however many rules read them.

Two tables are rewritten:
- validation_findings: one row per rule code, LA and collection year (rows, children, first row,
  the first and last month end the flagged records bear on, the indicators they can change).
- validation_finding_months: per rule code, LA, indicator and KPI month end whose value the flagged
  records can change. A record bears on the month ends from its start (affects_from) to the end of
  the month of affects_to, extended by the indicator's look-back (`REACH_MONTHS`): a placement
  counts in the 12 months to a snapshot, an episode in the 2.5 years of long-term stability, a care
  leaver's birthday in the year-to-date and rolling 12 months values.
"""

from __future__ import annotations

import logging
import re
import time
from functools import cache
from pathlib import Path

import pandas as pd

from loaders.store import Writer
from metrics.validation.rules import HERE, ValidationRule, all_rules

log = logging.getLogger(__name__)

REACH_MONTHS: dict[str, int] = {
    "placements_3plus": 12,
    "long_term_stability": 30,
    "care_leavers_in_touch_17_18": 12,
    "care_leavers_in_touch_19_21": 12,
    "care_leavers_suitable_accommodation_17_18": 12,
    "care_leavers_suitable_accommodation_19_21": 12,
    "care_leavers_eet_17_18": 12,
    "care_leavers_eet_19_21": 12,
    "re_referrals": 12,
    "assessments_45_days": 12,
    "icpc_15_days": 12,
    "repeat_cp_plans": 12,
    "repeat_cp_plans_within_2_years": 12,
}

_FLAGGED = """
create or replace temp table _validation_flagged (
    rule_key integer, la_code varchar, collection_year integer, table_name varchar,
    source_row integer, child_key varchar, affects_from date, affects_to date
)
"""

_FINDINGS = """
insert into validation_findings
select r.rule_code, r.return_name, f.la_code, f.collection_year, r.severity, r.message,
       min(f.table_name), r.column_names, min(f.source_row), count(*), count(distinct f.child_key),
       r.indicators, last_day(min(f.affects_from)), last_day(max(f.affects_to)), $computed_at
from _validation_flagged f join _validation_rules r using (rule_key)
group by r.rule_code, r.return_name, f.la_code, f.collection_year, r.severity, r.message,
         r.column_names, r.indicators
"""

_MONTHS = """
insert into validation_finding_months
with kpi_months as (select distinct la_code, indicator_id, period_end from kpi),
touched as (
    select r.rule_code, f.la_code, f.child_key, f.affects_from, f.affects_to,
           unnest(r.indicators) as indicator_id, unnest(r.reach) as reach
    from _validation_flagged f join _validation_rules r using (rule_key)
    where f.affects_from is not null
)
select t.rule_code, t.la_code, t.indicator_id, k.period_end, count(*), count(distinct t.child_key)
from touched t
join kpi_months k on k.la_code = t.la_code and k.indicator_id = t.indicator_id
 and k.period_end >= t.affects_from
 and k.period_end <= last_day(coalesce(t.affects_to, t.affects_from) + to_months(t.reach))
group by all
"""


# Per return: its rules' shared inputs, a WITH list of `name as materialized (...)` definitions.
SHARED_SQL: dict[str, Path] = {"ssda903": HERE / "sql" / "ssda903" / "shared.sql"}

_PARAMETER = re.compile(r"\$([a-z_]+)")
_DEFINITION = re.compile(r"^(\w+) as materialized \(\n.*?^\)", re.MULTILINE | re.DOTALL)


@cache
def _shared_definitions() -> dict[str, str]:
    """Every shared input's name and definition, in the order of the files."""
    return {
        match.group(1): match.group(0)
        for path in SHARED_SQL.values()
        for match in _DEFINITION.finditer(path.read_text())
    }


def _one_statement(rules: list[ValidationRule]) -> tuple[str, dict[str, object]]:
    """Every rule's query in one union all, tagged with its rule_key (its place in `rules`), after
    the shared inputs the rules read."""
    parts, parameters = [], {}
    for key, rule in enumerate(rules):
        body = _PARAMETER.sub(rf"$r{key}_\1", rule.sql.strip().rstrip(";"))
        parts.append(f"select {key} as rule_key, * from ({body}) as flagged")
        parameters.update({f"r{key}_{name}": value for name, value in rule.parameters.items()})
    union = "\nunion all\n".join(parts)
    read = [text for name, text in _shared_definitions().items() if re.search(rf"\b{name}\b", union)]
    return ("with " + ",\n".join(read) + "\n" if read else "") + union, parameters


def flag(writer: Writer, rules: list[ValidationRule]) -> pd.DataFrame:
    """The records every rule flags, in one statement: rule_key (the rule's place in `rules`),
    la_code, collection_year, table_name, source_row, affects_from, affects_to (no child key)."""
    statement, parameters = _one_statement(rules)
    return writer.con.execute(
        "select rule_key, la_code, collection_year, table_name, source_row, affects_from, affects_to "
        f"from ({statement}) as flagged", parameters,
    ).df()


def _rules_frame(rules: list[ValidationRule]) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "rule_key": range(len(rules)),
            "rule_code": [rule.code for rule in rules],
            "return_name": [rule.return_name for rule in rules],
            "severity": [rule.severity for rule in rules],
            "message": [rule.message for rule in rules],
            "column_names": [list(rule.columns) for rule in rules],
            "indicators": [list(rule.indicators) for rule in rules],
            "reach": [[REACH_MONTHS.get(i, 0) for i in rule.indicators] for rule in rules],
        }
    )


def flagged_rows(writer: Writer, rule: ValidationRule) -> pd.DataFrame:
    """The records one rule version flags, by LA, year and source row (no child key)."""
    return flag(writer, [rule]).drop(columns="rule_key").sort_values(
        ["la_code", "collection_year", "table_name", "source_row"], ignore_index=True
    )


def run(writer: Writer, rules: list[ValidationRule] | None = None) -> int:
    """Rewrite validation_findings and validation_finding_months; returns the findings written.

    Rules whose table the store does not hold are skipped (no CIN census loaded, for example).
    """
    started = time.perf_counter()
    chosen = [rule for rule in (all_rules() if rules is None else rules) if writer.has_table(rule.table)]
    con = writer.con
    if not chosen:
        # No rule's table is held (a store of workbooks and targets only): nothing to flag, and an
        # empty rules frame would carry untyped list columns the month expansion cannot bind.
        con.execute("delete from validation_findings")
        con.execute("delete from validation_finding_months")
        return 0
    con.execute(_FLAGGED)
    try:
        statement, parameters = _one_statement(chosen)
        con.execute(f"insert into _validation_flagged {statement}", parameters)
        con.register("_validation_rules_frame", _rules_frame(chosen))
        con.execute("create or replace temp table _validation_rules as select * from _validation_rules_frame")
        con.unregister("_validation_rules_frame")
        con.execute("delete from validation_findings")
        con.execute("delete from validation_finding_months")
        con.execute(_FINDINGS, {"computed_at": pd.Timestamp.now(tz="UTC").tz_localize(None)})
        con.execute(_MONTHS)
        written = con.execute("select count(*) from validation_findings").fetchone()
    finally:
        con.execute("drop table if exists _validation_flagged")
        con.execute("drop table if exists _validation_rules")
    count = int(written[0]) if written else 0
    log.info("validation: %d rules, %d findings in %.2f s", len(chosen), count,
             time.perf_counter() - started)
    return count
