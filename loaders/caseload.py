"""Caseload lists: who holds how many cases, per worker, at a date (kind "caseload_list").

A case management system exports one row per worker per date: date, worker_id, team, role, fte,
agency (Y/N), cases and, optionally, service_area, as CSV or as a workbook (title rows above the
header are allowed). The whole file is validated as text first, so every bad cell is reported with
its row and column; worker ids are personal and never quoted. A newer file for the same LA and
date replaces that date's rows, so a corrected export can simply be loaded again.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pandas as pd
import pandera.errors as pa_errors

from loaders.base import IngestContext, LoadOutcome, stored_la_code
from loaders.changes import captured
from loaders.problems import LoadFailed, Problem, problems_from_schema_errors
from loaders.schemas.caseload import (
    AGENCY_VALUES,
    CASELOAD_LIST_SCHEMA,
    EXPECTATIONS,
    HEADER_ALIASES,
    OPTIONAL_COLUMNS,
    PERSONAL_COLUMNS,
    REQUIRED_COLUMNS,
    normalise_role,
    parse_cases,
    parse_date,
    parse_number,
)
from loaders.store import Writer
from loaders.tabular import Columns, read_sheets, sniff_header, table_under_header

TABLE_SQL = Path(__file__).resolve().parent / "sql" / "caseload_workers.sql"
COLUMNS = Columns(HEADER_ALIASES, REQUIRED_COLUMNS, OPTIONAL_COLUMNS)


def find_table(path: Path, name: str) -> tuple[str | None, int, pd.DataFrame]:
    """(sheet, header row index, rows under the header named by column) or LoadFailed."""
    sheets = read_sheets(path, name, expected="a CSV or Excel caseload list")
    found = table_under_header(sheets, COLUMNS)
    if found is not None:
        return found
    first = sheets[0][1].iloc[0].tolist() if not sheets[0][1].empty else []
    missing = [c for c in REQUIRED_COLUMNS if c not in COLUMNS.by_position(first).values()]
    raise LoadFailed(
        [
            Problem(
                file=name,
                sheet=sheets[0][0],
                message=f"missing column {c!r}",
                expected="columns " + ", ".join(REQUIRED_COLUMNS),
            )
            for c in missing
        ]
    )


def _duplicates(body: pd.DataFrame, name: str, sheet: str | None, first_row: int) -> list[Problem]:
    twice = body.duplicated(["date", "worker_id"], keep="first")
    return [
        Problem(
            file=name,
            sheet=sheet,
            row=int(index) + first_row,
            column="worker_id",
            message="the same worker is listed twice for this date",
            expected="one row per worker per date",
        )
        for index in body.index[twice]
    ]


def parse_caseload_list(path: Path, name: str | None = None) -> pd.DataFrame:
    """The validated list as typed columns (snapshot_date, worker_id, ..., cases); LoadFailed if bad."""
    name = name or path.name
    sheet, header_index, body = find_table(path, name)
    first_row = header_index + 2
    if body.empty:
        raise LoadFailed([Problem(file=name, sheet=sheet, message="the list has no workers")])
    problems: list[Problem] = []
    try:
        CASELOAD_LIST_SCHEMA.validate(body, lazy=True)
    except pa_errors.SchemaErrors as errors:
        problems.extend(
            problems_from_schema_errors(
                name, errors.failure_cases, EXPECTATIONS, redact=PERSONAL_COLUMNS, first_data_row=first_row
            )
        )
        if sheet is not None:
            problems = [Problem(**{**p.__dict__, "sheet": sheet}) for p in problems]
    problems.extend(_duplicates(body, name, sheet, first_row))
    if problems:
        raise LoadFailed(problems)
    return pd.DataFrame(
        {
            "snapshot_date": [parse_date(v) for v in body["date"]],
            "worker_id": body["worker_id"].to_numpy(),
            "team": [" ".join(v.split()) for v in body["team"]],
            "service_area": [" ".join(v.split()) or None for v in body["service_area"]],
            "role": [normalise_role(v) for v in body["role"]],
            "fte": [parse_number(v) for v in body["fte"]],
            "agency": [AGENCY_VALUES[v.lower()] for v in body["agency"]],
            "cases": [parse_cases(v) for v in body["cases"]],
        }
    )


def _la_code(writer: Writer, context: IngestContext, name: str) -> str:
    found = stored_la_code(writer, context)
    if found is not None:
        return found
    raise LoadFailed(
        [
            Problem(
                file=name,
                message="a caseload list does not say which LA it is for",
                expected="the LA code given with --la (e.g. --la 929)",
            )
        ]
    )


def _findings(workers: pd.DataFrame, name: str) -> list[Problem]:
    findings = []
    zero_fte = int(((workers["fte"] == 0) & (workers["cases"] > 0)).sum())
    if zero_fte:
        findings.append(
            Problem(
                file=name,
                severity="warning",
                column="fte",
                value=str(zero_fte),
                message="workers with cases but an FTE of 0 are not case holders and count in no average",
                expected="an FTE above 0 for every worker holding cases",
            )
        )
    return findings


class CaseloadListLoader:
    kind = "caseload_list"
    description = "caseload list: date, worker_id, team, role, fte, agency, cases per worker"

    def sniff(self, path: Path, head: bytes) -> bool:
        return sniff_header(path, head, COLUMNS)

    def load(self, path: Path, writer: Writer, context: IngestContext) -> LoadOutcome:
        workers = parse_caseload_list(path)
        la_code = _la_code(writer, context, path.name)
        writer.execute(TABLE_SQL.read_text())
        dates: list[date] = sorted(set(workers["snapshot_date"]))
        workers.insert(0, "la_code", la_code)
        workers["source_file"] = path.name
        same_lists = "t.la_code = ? and list_contains(?, t.snapshot_date)"
        with captured(writer, "caseload_workers", same_lists, [la_code, dates]):
            writer.execute(f"delete from caseload_workers t where {same_lists}", [la_code, dates])
            rows = writer.insert_frame("caseload_workers", workers)
        return LoadOutcome(kind=self.kind, rows=rows, la_code=la_code, findings=_findings(workers, path.name))


LOADER = CaseloadListLoader()
