"""Improvement plans: recommendations or priorities linked to indicators (kind "improvement_plan").

Scrutiny reports (seed 000's appendix, seed 003) list each recommendation with its measures,
baseline, targets, owner and a RAG. The LA keeps that list in a small CSV or workbook with columns
ref, recommendation, linked indicators (ids or names separated by ';'), and optionally area, owner,
baseline, target, target date, rag override and override reason (title rows above the header are
fine). Linked indicators are resolved here, against the catalogue and the LA's local indicators, so
a typo is reported at load time rather than shown as a blank. A newer plan for the LA replaces the
previous one as a whole: the plan is a document, not a history of rows.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pandas as pd
import pandera.errors as pa_errors

from loaders import tabular
from loaders.base import IngestContext, LoadOutcome, is_known_la, stored_la_code
from loaders.problems import LoadFailed, Problem, problems_from_schema_errors
from loaders.schemas.improvement_plan import (
    EXPECTATIONS,
    HEADER_ALIASES,
    IMPROVEMENT_PLAN_SCHEMA,
    OPTIONAL_COLUMNS,
    RAG_VALUES,
    REQUIRED_COLUMNS,
    parse_date,
    parse_target,
    split_links,
)
from loaders.store import Writer
from loaders.tabular import Columns, sniff_header
from metrics.catalogue import load_catalogue, normalise_name

TABLE_SQL = """
create table if not exists improvement_plan (
    la_code varchar not null,
    ref varchar not null,
    position integer not null,          -- order in the file
    recommendation varchar not null,
    area varchar,
    owner varchar,
    linked_indicators varchar not null, -- resolved indicator ids separated by ';' ('' for none)
    baseline varchar,                   -- as typed (e.g. '84% (Dec 16)')
    target varchar,                     -- as typed
    target_value double,                -- the number in the target, when it holds exactly one
    target_date date,
    rag_override varchar,               -- green, amber, red or null
    override_reason varchar,
    source_file varchar,
    batch_id varchar not null
)
"""


COLUMNS = Columns(HEADER_ALIASES, REQUIRED_COLUMNS, OPTIONAL_COLUMNS)


def find_table(path: Path, name: str) -> tuple[str | None, int, pd.DataFrame]:
    """(sheet, header row index, rows under the header by column name) or LoadFailed."""
    return tabular.find_table(path, name, COLUMNS, kind="improvement plan", whose="the plan's")


def indicator_lookup(writer: Writer, la_code: str) -> dict[str, str]:
    """Normalised id, name or alias -> indicator id (catalogue, then the LA's local indicators)."""
    lookup: dict[str, str] = {}
    for indicator in load_catalogue():
        for label in (indicator.id, indicator.name, indicator.short_name, *indicator.aliases):
            lookup.setdefault(normalise_name(label), indicator.id)
    local = writer.query("select indicator_id, name from local_indicators where la_code = ?", [la_code])
    for row in local.itertuples():
        lookup.setdefault(normalise_name(row.indicator_id), row.indicator_id)
        lookup.setdefault(normalise_name(row.name), row.indicator_id)
    return lookup


def parse_plan(path: Path, writer: Writer, la_code: str, name: str | None = None) -> pd.DataFrame:
    """The validated plan with linked indicators resolved to ids; LoadFailed listing every problem."""
    name = name or path.name
    sheet, header_index, body = find_table(path, name)
    first_row = header_index + 2
    if body.empty:
        raise LoadFailed([Problem(file=name, sheet=sheet, message="the plan has no recommendations")])
    problems: list[Problem] = []
    try:
        IMPROVEMENT_PLAN_SCHEMA.validate(body, lazy=True)
    except pa_errors.SchemaErrors as errors:
        cases = errors.failure_cases
        frame_wide = cases[cases["check"].astype(str).str.contains("manual RAG")]
        cases = cases.drop(frame_wide.index)
        problems.extend(problems_from_schema_errors(name, cases, EXPECTATIONS, first_data_row=first_row))
        if not frame_wide.empty:
            missing_reason = (body["rag_override"] != "") & (body["override_reason"] == "")
            problems.extend(
                Problem(
                    file=name,
                    row=int(index) + first_row,
                    column="override_reason",
                    message="a manual RAG needs its reason",
                    expected=EXPECTATIONS["override_reason"],
                )
                for index in body.index[missing_reason]
            )
    lookup = indicator_lookup(writer, la_code)
    resolved: list[list[str]] = []
    for index, text in body["linked_indicators"].items():
        ids = []
        for part in split_links(text):
            found = lookup.get(normalise_name(part))
            if found is None:
                problems.append(
                    Problem(
                        file=name,
                        row=int(index) + first_row,
                        column="linked_indicators",
                        message="unknown indicator",
                        value=part,
                        expected="an indicator id or name from the catalogue or the "
                        "LA's performance workbook",
                    )
                )
            elif found not in ids:
                ids.append(found)
        resolved.append(ids)
    if sheet is not None:
        problems = [Problem(**{**p.__dict__, "sheet": sheet}) for p in problems]
    if problems:
        raise LoadFailed(problems)
    return pd.DataFrame(
        {
            "ref": body["ref"].to_numpy(),
            "position": range(len(body)),
            "recommendation": body["recommendation"].to_numpy(),
            "area": body["area"].replace("", None).to_numpy(),
            "owner": body["owner"].replace("", None).to_numpy(),
            "linked_indicators": [";".join(ids) for ids in resolved],
            "baseline": body["baseline"].replace("", None).to_numpy(),
            "target": body["target"].replace("", None).to_numpy(),
            "target_value": [parse_target(v) if v else None for v in body["target"]],
            "target_date": [parse_date(v) if v else None for v in body["target_date"]],
            "rag_override": [RAG_VALUES[v.lower()] if v else None for v in body["rag_override"]],
            "override_reason": body["override_reason"].replace("", None).to_numpy(),
            "la_code_in_file": body["la_code"].to_numpy(),
        }
    )


def _la_code(writer: Writer, context: IngestContext, in_file: Sequence[str], name: str) -> str:
    named = sorted({code for code in in_file if code})
    if context.la_code:
        return context.la_code
    if len(named) == 1:
        if not is_known_la(named[0]):
            raise LoadFailed(
                [
                    Problem(
                        file=name,
                        column="la_code",
                        message="unknown LA code",
                        value=named[0],
                        expected=EXPECTATIONS["la_code"],
                    )
                ]
            )
        return named[0]
    if len(named) > 1:
        raise LoadFailed(
            [
                Problem(
                    file=name,
                    column="la_code",
                    message="the plan names several LAs",
                    value=", ".join(named),
                    expected="one plan per LA",
                )
            ]
        )
    found = stored_la_code(writer, context)  # --la was returned first: this is the stored LA
    if found is not None:
        return found
    raise LoadFailed(
        [
            Problem(
                file=name,
                message="the improvement plan does not say which LA it is for",
                expected="an la_code column, or the LA code given with --la (e.g. --la 929)",
            )
        ]
    )


class ImprovementPlanLoader:
    kind = "improvement_plan"
    description = "improvement plan: recommendations linked to indicators (.csv or .xlsx)"

    def sniff(self, path: Path, head: bytes) -> bool:
        return sniff_header(path, head, COLUMNS)

    def load(self, path: Path, writer: Writer, context: IngestContext) -> LoadOutcome:
        sheet, _, body = find_table(path, path.name)
        la_code = _la_code(writer, context, list(body["la_code"]), path.name)
        plan = parse_plan(path, writer, la_code)
        writer.execute(TABLE_SQL)
        writer.execute("delete from improvement_plan where la_code = ?", [la_code])
        rows = plan.drop(columns="la_code_in_file").assign(
            la_code=la_code, source_file=path.name, batch_id=context.batch_id
        )
        writer.insert_frame("improvement_plan", rows)
        unlinked = [ref for ref, ids in zip(plan["ref"], plan["linked_indicators"], strict=True) if not ids]
        findings = [
            Problem(
                file=path.name,
                severity="info",
                column="linked_indicators",
                message=f"recommendation {ref} links no indicator: it is rated only by its manual RAG",
                value=str(ref),
            )
            for ref in unlinked
        ]
        return LoadOutcome(kind=self.kind, rows=len(rows), la_code=la_code, findings=findings)


LOADER = ImprovementPlanLoader()
