"""One ingest: a set of files loaded all or nothing, then everything derived brought up to date.

The same function serves the CLI (`python -m loaders ingest`) and the Data page's upload widget,
so both give the same messages. A file already loaded (same sha256) is recorded as unchanged and
not loaded again. If any file fails, the whole batch is discarded and only the failure is logged.
"""

from __future__ import annotations

import csv
import hashlib
import logging
import re
import traceback
import uuid
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

import pandas as pd

from loaders.audit import os_user, record
from loaders.base import FileLoader, IngestContext, LoadOutcome, is_known_la
from loaders.problems import LoadFailed, Problem, capped, safe_name
from loaders.reading import check_readable
from loaders.registry import UnknownKind, detect_kind, loader_for
from loaders.store import Writer, default_db_path, write_session

log = logging.getLogger(__name__)

Derive = Callable[[Writer, IngestContext], None]
SKIPPED_UNKNOWN = "of no known kind: skipped, as asked"


@dataclass
class FileResult:
    file: str
    kind: str | None
    outcome: str
    rows: int = 0
    messages: list[str] = field(default_factory=list)


@dataclass
class IngestReport:
    batch_id: str
    ok: bool
    files: list[FileResult]
    problems: list[Problem]
    unknown: list[str] = field(default_factory=list)  # files of no known kind that failed the batch

    @property
    def messages(self) -> list[str]:
        return [str(p) for p in self.problems]


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _next_version(writer: Writer) -> int:
    found = writer.query("select value from settings where key = 'version'")
    version = int(found["value"].iloc[0]) + 1 if not found.empty else 1
    writer.execute("insert or replace into settings values ('version', ?)", [str(version)])
    return version


def _already_loaded(writer: Writer, sha: str) -> bool:
    found = writer.query(
        "select count(*) as n from load_log where sha256 = ? and outcome = 'loaded'", [sha]
    )
    return bool(found["n"].iloc[0])


def _log_rows(writer: Writer, batch_id: str, rows: list[dict[str, object]]) -> None:
    if rows:
        writer.insert_frame("load_log", pd.DataFrame(rows).assign(batch_id=batch_id))


def ingest(
    paths: Sequence[Path | str],
    *,
    db: Path | str | None = None,
    la_code: str | None = None,
    kind: str | None = None,
    derive: Derive | None = None,
    today: date | None = None,
    display_names: Sequence[str] | None = None,
    file_la_codes: Mapping[str, str] | None = None,
    user: str | None = None,
    skip_unknown: bool = False,
) -> IngestReport:
    """Load `paths` into the store as one batch; returns a report, never raises for bad input.

    `display_names` replaces the file names in messages and the load log (the upload widget
    passes the names the user chose, not its temporary paths). `file_la_codes` maps a path (as
    str) to the LA its file belongs to, for batches holding several LAs' files (bulk loads).
    `user` goes in the audit log (default: the OS user, for the command line).
    `skip_unknown` skips files of no known kind (each reported as skipped, and logged) instead of
    failing the batch; without it their names are in the report's `unknown`.
    """
    user = user or os_user()
    db_path = Path(db) if db is not None else default_db_path()
    files = [Path(p) for p in paths]
    names = [safe_name(n) for n in (display_names or [p.name for p in files])]
    batch_id = f"{datetime.now():%Y%m%d-%H%M%S}-{uuid.uuid4().hex[:6]}"
    problems: list[Problem] = []
    unknown: list[str] = []

    per_file = dict(file_la_codes or {})
    for code in sorted({la_code, *per_file.values()} - {None}, key=str):
        if not is_known_la(str(code)):
            problems.append(
                Problem(
                    file="--la",
                    message=f"unknown LA code {code!r}",
                    expected="an old-style 3-digit DfE LA code such as 929",
                )
            )
    for path, name in zip(files, names, strict=True):
        if not path.is_file():
            problems.append(Problem(file=name, message="file not found"))
    if problems:
        return _failed(db_path, batch_id, files, names, problems, {}, user)

    results: list[FileResult] = []
    kinds: dict[str, str] = {}
    try:
        with write_session(db_path) as writer:
            version = _next_version(writer)
            context = IngestContext(
                batch_id=batch_id, version=version, today=today or date.today(), la_code=la_code
            )
            log_rows: list[dict[str, object]] = []
            seen: dict[str, str] = {}
            for path, name in zip(files, names, strict=True):
                sha = sha256_of(path)
                if sha in seen:
                    same = [f"the same file as {seen[sha]}; loaded once"]
                    results.append(FileResult(name, None, "skipped", 0, same))
                    continue
                seen[sha] = name
                try:
                    if kind:
                        check_readable(path, name)
                    loader: FileLoader = loader_for(kind) if kind else detect_kind(path, name)
                except UnknownKind as failure:
                    if skip_unknown:
                        skipped = [SKIPPED_UNKNOWN]
                        results.append(FileResult(name, None, "skipped", 0, skipped))
                        log_rows.append(_log_row(name, sha, None, None, 0, "skipped", skipped))
                    else:
                        unknown.append(name)
                        problems.extend(failure.problems)
                    continue
                except LoadFailed as failure:
                    problems.extend(failure.problems)
                    continue
                kinds[name] = loader.kind
                context.la_code = per_file.get(str(path), la_code)
                if _already_loaded(writer, sha):
                    results.append(FileResult(name, loader.kind, "unchanged"))
                    log_rows.append(
                        _log_row(name, sha, loader.kind, context.la_code, 0, "unchanged", [])
                    )
                    continue
                try:
                    outcome: LoadOutcome = loader.load(path, writer, context)
                except LoadFailed as failure:
                    problems.extend(_renamed(failure.problems, path.name, name))
                    continue
                except (pd.errors.ParserError, csv.Error) as error:
                    problems.append(unreadable_csv(name, error))
                    continue
                messages = [str(f) for f in capped(_renamed(outcome.findings, path.name, name))]
                results.append(FileResult(name, loader.kind, "loaded", outcome.rows, messages))
                log_rows.append(
                    _log_row(name, sha, loader.kind, outcome.la_code, outcome.rows, "loaded", messages)
                )
            if problems:
                raise LoadFailed(capped(problems))
            _log_rows(writer, batch_id, log_rows)
            record(writer, user, "load", _audit_what(results))
            _remember_la(writer, la_code, [row["la_code"] for row in log_rows])
            context.la_code = la_code
            if derive is not None:
                derive(writer, context)
    except LoadFailed as failure:
        return _failed(db_path, batch_id, files, names, failure.problems, kinds, user, unknown)
    except Exception as error:  # a bug, not bad input: keep the data, say so, log where (never the data)
        log.error("ingest %s failed unexpectedly: %s", batch_id, where_raised(error))
        problem = Problem(
            file=", ".join(names),
            message=f"the load stopped unexpectedly ({type(error).__name__}); nothing was changed",
        )
        return _failed(db_path, batch_id, files, names, [problem], kinds, user, unknown)
    return IngestReport(batch_id=batch_id, ok=True, files=results, problems=[])


_PARSER_LINE = re.compile(r"Expected (\d+) fields in line (\d+), saw (\d+)")


def unreadable_csv(name: str, error: Exception) -> Problem:
    """A CSV the parser cannot split into rows (a damaged line, an unclosed quote); pandas' own
    message names the line and field counts only, never a cell's value."""
    found = _PARSER_LINE.search(str(error))
    if found:
        expected, line, saw = found.groups()
        return Problem(
            file=name,
            row=int(line),
            message=f"cannot read it as CSV: line {line} has {saw} fields, the header {expected}",
            expected="the same number of comma-separated fields on every line",
        )
    return Problem(
        file=name,
        message=f"cannot read it as CSV ({type(error).__name__}: a damaged line or an unclosed quote)",
        expected="comma-separated text with every quote closed",
    )


def where_raised(error: BaseException) -> str:
    """The exception's type and the code lines it passed through; never its message (which can
    quote the file's values, e.g. a KeyError listing child ids)."""
    frames = traceback.extract_tb(error.__traceback__)
    path = " <- ".join(f"{Path(f.filename).name}:{f.lineno}" for f in reversed(frames[-6:]))
    return f"{type(error).__name__} at {path}"


def _remember_la(writer: Writer, given: str | None, found: list[object]) -> None:
    """The LA of interest: --la when given, else the first LA a file named, if none is set yet."""
    if given is not None:
        writer.execute("insert or replace into settings values ('la_code', ?)", [given])
        return
    named = [str(code) for code in found if code]
    if named:
        writer.execute("insert or ignore into settings values ('la_code', ?)", [named[0]])


def _audit_what(results: list[FileResult]) -> str:
    """The batch's files for the audit log: "improvement_plan plan.csv: loaded; ..."."""
    return "; ".join(f"{r.kind or 'unknown kind'} {r.file}: {r.outcome}" for r in results)


def _renamed(problems: list[Problem], old: str, new: str) -> list[Problem]:
    if old == new:
        return problems
    return [
        Problem(**{**p.__dict__, "file": new if p.file == old else p.file}) for p in problems
    ]


def _log_row(
    name: str, sha: str | None, kind: str | None, la: str | None, rows: int, outcome: str,
    messages: list[str],
) -> dict[str, object]:
    return {
        "file_name": name,
        "sha256": sha,
        "kind": kind,
        "la_code": la,
        "rows": rows,
        "loaded_at": datetime.now(),
        "outcome": outcome,
        "messages": "\n".join(messages),
    }


def _failed(
    db_path: Path,
    batch_id: str,
    files: list[Path],
    names: list[str],
    problems: list[Problem],
    kinds: dict[str, str],
    user: str,
    unknown: list[str] | None = None,
) -> IngestReport:
    """Record the failure in the load log and the audit log (its own small write) and report it."""
    problems = capped(problems)
    results = []
    rows = []
    for path, name in zip(files, names, strict=True):
        own = [str(p) for p in problems if p.file == name]
        outcome = "failed" if own else "not loaded (batch failed)"
        results.append(FileResult(name, kinds.get(name), outcome, 0, own))
        sha = sha256_of(path) if path.is_file() else None
        rows.append(_log_row(name, sha, kinds.get(name), None, 0, outcome, own))
    try:
        with write_session(db_path) as writer:
            _log_rows(writer, batch_id, rows)
            record(writer, user, "load", _audit_what(results))
    except Exception as error:
        log.error("could not record failed batch %s in the load log: %s", batch_id, where_raised(error))
    return IngestReport(batch_id=batch_id, ok=False, files=results, problems=problems, unknown=unknown or [])
