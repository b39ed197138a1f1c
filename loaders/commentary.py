"""Commentary: the service's own words beside a figure, per indicator (or recommendation) and month.

Heads of service explain each month's figures (what the figure means, what is being done) and
each improvement-plan recommendation's progress; the committee report prints that text beside
the figure. Commentary is written on the Indicator trend and Improvement plan pages
(`save_commentary`) or loaded from a CSV or workbook (kind "commentary": columns indicator, month,
text and optionally author and recommendation) through the same ingest as every other file.

The table keeps history: an edit is a new version (1, 2, ...) of the same LA, subject and month,
with its author and time, and the old text stays. Text identical to the current version is not
stored again. Readers (metrics.commentary) show the newest version and can list them all.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

import pandas as pd
import pandera.errors as pa_errors

from loaders import tabular
from loaders.audit import record
from loaders.base import IngestContext, LoadOutcome, stored_la_code
from loaders.improvement_plan import indicator_lookup
from loaders.problems import LoadFailed, Problem, problems_from_schema_errors
from loaders.schemas.commentary import (
    COMMENTARY_SCHEMA,
    EXPECTATIONS,
    HEADER_ALIASES,
    MAX_AUTHOR_LENGTH,
    MAX_TEXT_LENGTH,
    OPTIONAL_COLUMNS,
    REQUIRED_COLUMNS,
    personal_detail,
)
from loaders.store import Writer, write_session
from loaders.tabular import Columns, sniff_header
from loaders.workbook import parse_month
from metrics.catalogue import normalise_name
from metrics.periods import month_end

TABLE_SQL = """
create table if not exists commentary (
    la_code varchar not null,
    indicator_id varchar,               -- the indicator explained, or null for a recommendation
    recommendation_ref varchar,         -- the improvement plan's ref, or null for an indicator
    month date not null,                -- the month end the text explains
    version integer not null,           -- 1, 2, ... per LA, subject and month; every version stays
    text varchar not null,
    author varchar not null,
    created_at timestamp not null,
    source_file varchar,                -- the file it was loaded from; null when typed on a page
    batch_id varchar
)
"""
COLUMNS = Columns(HEADER_ALIASES, REQUIRED_COLUMNS, OPTIONAL_COLUMNS)
PAGE_SOURCE = "commentary"  # the `file` of problems with text typed on a page


@dataclass(frozen=True)
class Subject:
    """What a commentary explains: an indicator or an improvement-plan recommendation."""

    indicator_id: str | None = None
    recommendation_ref: str | None = None

    def __post_init__(self) -> None:
        if (self.indicator_id is None) == (self.recommendation_ref is None):
            raise ValueError("a commentary explains one indicator or one recommendation")


def text_problems(text: str, author: str, *, file: str, row: int | None = None) -> list[Problem]:
    """Why `text` (and `author`) cannot be stored; empty when they can. Never quotes the text."""
    problems = []
    if (wrong := _text_wrong(text)) is not None:
        message, expected = wrong
        problems.append(Problem(file=file, row=row, column="text", message=message, expected=expected))
    if not author.strip() or len(author) > MAX_AUTHOR_LENGTH:
        problems.append(
            Problem(
                file=file,
                row=row,
                column="author",
                message="the author is blank or too long",
                expected=EXPECTATIONS["author"],
            )
        )
    return problems


def _text_wrong(text: str) -> tuple[str, str] | None:
    """(what is wrong with `text`, what was expected), or None when it may be stored."""
    if not text.strip():
        return "the commentary is blank", EXPECTATIONS["text"]
    if len(text) > MAX_TEXT_LENGTH:
        return f"the commentary is {len(text)} characters long", EXPECTATIONS["text"]
    if (found := personal_detail(text)) is not None:
        return (
            f"the commentary contains what looks like {found}",
            "commentary about the figures, with no child-level detail",
        )
    return None


def _ensure_table(writer: Writer) -> None:
    writer.execute(TABLE_SQL)


def _current(writer: Writer, la_code: str, subject: Subject, month: date) -> tuple[int, str | None]:
    """(newest version, its text) for the LA, subject and month; (0, None) when there is none."""
    found = writer.query(
        "select version, text from commentary where la_code = $la and month = $month "
        "and indicator_id is not distinct from $indicator "
        "and recommendation_ref is not distinct from $ref order by version desc limit 1",
        {"la": la_code, "month": month, "indicator": subject.indicator_id, "ref": subject.recommendation_ref},
    )
    if found.empty:
        return 0, None
    return int(found["version"].iloc[0]), str(found["text"].iloc[0])


def _subject_problems(writer: Writer, la_code: str, subject: Subject, *, file: str) -> list[Problem]:
    value: str | None
    if subject.indicator_id is not None:
        known = subject.indicator_id in set(indicator_lookup(writer, la_code).values())
        column, message, value = "indicator", "unknown indicator", subject.indicator_id
    else:
        known = subject.recommendation_ref in _plan_refs(writer, la_code)
        column, message = "recommendation", "no such recommendation in the LA's plan"
        value = subject.recommendation_ref
    if known:
        return []
    return [Problem(file=file, column=column, message=message, value=value, expected=EXPECTATIONS[column])]


def _plan_refs(writer: Writer, la_code: str) -> set[str]:
    if not writer.has_table("improvement_plan"):
        return set()
    found = writer.query("select ref from improvement_plan where la_code = ?", [la_code])
    return set(found["ref"].astype(str))


def add_commentary(
    writer: Writer,
    *,
    la_code: str,
    subject: Subject,
    month: date,
    text: str,
    author: str,
    created_at: datetime | None = None,
    source_file: str | None = None,
    batch_id: str | None = None,
) -> int:
    """Store `text` as the next version for the LA, subject and month; returns its version.

    Text equal to the current version is not stored again (its version is returned). Raises
    LoadFailed naming what is wrong (blank, too long, child-level detail, unknown subject).
    """
    _ensure_table(writer)
    text = text.strip()
    problems = text_problems(text, author, file=source_file or PAGE_SOURCE)
    problems += _subject_problems(writer, la_code, subject, file=source_file or PAGE_SOURCE)
    if problems:
        raise LoadFailed(problems)
    month = month_end(month)
    version, current = _current(writer, la_code, subject, month)
    if current == text:
        return version
    writer.insert_frame(
        "commentary",
        pd.DataFrame(
            [
                {
                    "la_code": la_code,
                    "indicator_id": subject.indicator_id,
                    "recommendation_ref": subject.recommendation_ref,
                    "month": month,
                    "version": version + 1,
                    "text": text,
                    "author": author.strip(),
                    "created_at": created_at or datetime.now(),
                    "source_file": source_file,
                    "batch_id": batch_id,
                }
            ]
        ),
    )
    return version + 1


def save_commentary(
    db: Path | str | None,
    *,
    la_code: str,
    subject: Subject,
    month: date,
    text: str,
    author: str,
) -> int:
    """`add_commentary` in its own all-or-nothing write session on the store at `db`, with its
    audit log entry (the subject and month, never the text)."""
    with write_session(db) as writer:
        version = add_commentary(
            writer, la_code=la_code, subject=subject, month=month, text=text, author=author
        )
        about = (
            f"indicator {subject.indicator_id}"
            if subject.indicator_id
            else f"recommendation {subject.recommendation_ref}"
        )
        record(writer, author, "commentary", f"LA {la_code}, {about}, {month:%Y-%m}, version {version}")
        return version


def find_table(path: Path, name: str) -> tuple[str | None, int, pd.DataFrame]:
    """(sheet, header row index, rows under the header by column name) or LoadFailed."""
    return tabular.find_table(path, name, COLUMNS, kind="commentary file", whose="the commentary's")


def parse_commentary(path: Path, writer: Writer, la_code: str, name: str | None = None) -> pd.DataFrame:
    """The file's rows (indicator_id, recommendation_ref, month, text, author), or LoadFailed listing
    every problem with its row and column."""
    name = name or path.name
    sheet, header_index, body = find_table(path, name)
    first_row = header_index + 2
    if body.empty:
        raise LoadFailed([Problem(file=name, sheet=sheet, message="the file holds no commentary")])
    problems: list[Problem] = []
    try:
        COMMENTARY_SCHEMA.validate(body, lazy=True)
    except pa_errors.SchemaErrors as errors:
        problems.extend(
            problems_from_schema_errors(
                name, errors.failure_cases, EXPECTATIONS, redact=("text",), first_data_row=first_row
            )
        )
    lookup = indicator_lookup(writer, la_code)
    refs = _plan_refs(writer, la_code)
    rows = []
    for index, cells in body.iterrows():
        row = int(index) + first_row
        indicator, ref = cells["indicator"], cells["recommendation"]
        indicator_id = lookup.get(normalise_name(indicator)) if indicator else None
        if bool(indicator) == bool(ref):
            problems.append(
                Problem(
                    file=name,
                    row=row,
                    column="indicator",
                    message="give an indicator or a recommendation ref, not both or neither",
                    expected=EXPECTATIONS["indicator"],
                )
            )
        elif indicator and indicator_id is None:
            problems.append(
                Problem(
                    file=name,
                    row=row,
                    column="indicator",
                    message="unknown indicator",
                    value=indicator,
                    expected=EXPECTATIONS["indicator"],
                )
            )
        elif ref and ref not in refs:
            problems.append(
                Problem(
                    file=name,
                    row=row,
                    column="recommendation",
                    message="no such recommendation in the LA's plan",
                    value=ref,
                    expected=EXPECTATIONS["recommendation"],
                )
            )
        if (found := personal_detail(cells["text"])) is not None:
            problems.append(
                Problem(
                    file=name,
                    row=row,
                    column="text",
                    message=f"the commentary contains what looks like {found}",
                    expected="commentary about the figures, with no child-level detail",
                )
            )
        rows.append(
            {
                "row": row,
                "indicator_id": indicator_id,
                "recommendation_ref": ref or None,
                "month": parse_month(cells["month"]),
                "text": cells["text"],
                "author": cells["author"] or f"file {name}",
            }
        )
    parsed = pd.DataFrame(rows)
    repeated = parsed[parsed.duplicated(["indicator_id", "recommendation_ref", "month"], keep="first")]
    problems.extend(
        Problem(
            file=name,
            row=int(r),
            column="month",
            message="a second commentary for the same subject and month",
            expected="one commentary per indicator (or recommendation) and month in a file",
        )
        for r in repeated["row"]
    )
    if sheet is not None:
        problems = [Problem(**{**p.__dict__, "sheet": sheet}) for p in problems]
    if problems:
        raise LoadFailed(problems)
    return parsed


class CommentaryLoader:
    kind = "commentary"
    description = "commentary per indicator (or recommendation) and month (.csv or .xlsx)"

    def sniff(self, path: Path, head: bytes) -> bool:
        return sniff_header(path, head, COLUMNS)

    def load(self, path: Path, writer: Writer, context: IngestContext) -> LoadOutcome:
        la_code = stored_la_code(writer, context)
        if la_code is None:
            raise LoadFailed(
                [
                    Problem(
                        file=path.name,
                        message="the commentary does not say which LA it is for",
                        expected="the LA code given with --la (e.g. --la 929)",
                    )
                ]
            )
        parsed = parse_commentary(path, writer, la_code)
        created_at = datetime.now()
        stored = 0
        for item in parsed.itertuples():
            subject = Subject(
                indicator_id=item.indicator_id if isinstance(item.indicator_id, str) else None,
                recommendation_ref=item.recommendation_ref
                if isinstance(item.recommendation_ref, str)
                else None,
            )
            before, _ = (
                _current(writer, la_code, subject, item.month)
                if writer.has_table("commentary")
                else (0, None)
            )
            version = add_commentary(
                writer,
                la_code=la_code,
                subject=subject,
                month=item.month,
                text=item.text,
                author=item.author,
                created_at=created_at,
                source_file=path.name,
                batch_id=context.batch_id,
            )
            stored += version != before
        unchanged = len(parsed) - stored
        findings = (
            [
                Problem(
                    file=path.name,
                    severity="info",
                    message=f"{unchanged} row(s) repeat the current commentary and were not stored again",
                )
            ]
            if unchanged
            else []
        )
        return LoadOutcome(kind=self.kind, rows=stored, la_code=la_code, findings=findings)


LOADER = CommentaryLoader()
