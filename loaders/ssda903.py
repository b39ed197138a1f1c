"""SSDA903 return tables, one CSV per table in the DfE format (kind "ssda903").

The 903 is how an LA knows its children looked after: `header` (one row per child), `episodes`
(one row per episode of care: legal status, placement, start and end) and `oc3` (care leavers
around their birthday). An LA keeps history by loading several years' files at once; consecutive
years repeat the same episodes, so the newest collection year's version of a record wins. The
files do not name their LA: it comes from `--la` (context.la_code) or the store's settings.

The table is recognised from its header row. Other 903 tables (oc2, missing, reviews, uasc, ad1,
placed_for_adoption, previous_permanence, social_worker) are acknowledged with an info finding and
not stored: no measure uses them. Rows breaking a rule (loaders.schemas.ssda903.RULES) become
stored data-quality findings (rule, first row, column, count; never child ids or dates) and are
either left out of the store or kept as documented there; only missing columns, an unreadable
file, a file without rows, rows with fewer fields than the header (a file cut short must not
replace the stored table) and dates of birth after the day of the load fail the load.
Postcodes, UPNs and other columns no measure needs are not stored.

Collection year (the reporting year ending 31 March): from the file name ("2019-episodes.csv",
"episodes_2023-24.csv"), reconciled with the data: when the episodes start up to the March after
the named year, the name gave the year's start ("2017" read as 2017/18, collection year 2018).
Without a year in the name, episodes take it from their latest DECOM and header/OC3 from the LA's
latest episodes already stored (load episodes first, or name the file); an OC3 table whose year
cannot be told fails, because its birthdays cannot be placed.

Tables created (all keyed by la_code, the old 3-digit DfE code):
- ssda903_episodes(la_code, child, decom date, rne, ls, cin, place, place_provider, dec date,
  rec, reason_place_change, collection_year int, source_file, source_row int, batch_id,
  pl_post_key, urn_key): unique per la_code, child, decom (newest collection year kept).
  pl_post_key and urn_key are keyed hashes of PL_POST and URN (loaders/pseudonyms.py), for the
  validation rules that compare placements; the postcode and URN themselves are not stored.
- ssda903_header(la_code, child, sex, dob date (null when invalid), ethnic, collection_year,
  source_file, source_row, batch_id): unique per la_code, child.
- ssda903_oc3(la_code, child, dob date, in_touch, activ, accom, collection_year int,
  birthday date (the birthday within the collection year), age_at_birthday int (17 to 21),
  source_file, source_row, batch_id): unique per la_code, child, collection_year.
- child_key on the three tables: the child's id as a keyed hash (loaders/pseudonyms.py).
- ssda903_refused_episodes, ssda903_refused_oc3: the rows the rules left out (refused_by names
  them), with child_key and never the id, dates that are not dates null and codes as written; no
  measure reads them, the DfE validation rules that bear on them do (131, 143, 144, 356, 357, 1001,
  1002), so they flag what the DfE's validator flags. Each load of a table and year replaces that
  year's refused rows.
- ssda903_coverage(la_code, table_name, collection_year, name_year, data_end date, source_file,
  batch_id): which collection years each LA's tables cover. data_end is 31 March of the year, or
  the end of the last complete month before the load when that is earlier (an in-year extract).
  Measures use it to know which month ends the data supports.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable
from datetime import date, timedelta
from pathlib import Path

import pandas as pd
import pandera.errors as pa_errors
import pandera.pandas as pa

from loaders.base import IngestContext, LoadOutcome, is_known_la, record_findings, stored_la_code
from loaders.changes import captured
from loaders.problems import LoadFailed, Problem
from loaders.pseudonyms import child_key, keyed_hashes, load_key, urn_key
from loaders.reading import csv_encoding
from loaders.schemas.ssda903 import (
    EXPECTATIONS,
    MEASURED_TABLES,
    PERSONAL_COLUMNS,
    REQUIRED_COLUMNS,
    RULES,
    SCHEMAS,
    SIGNATURES,
    birthday_in_year,
    oc3_cohort_schema,
    parse_dates,
)
from loaders.store import Writer

KIND = "ssda903"
SQL_DIR = Path(__file__).resolve().parent / "sql"
FIRST_DATA_ROW = 2
CODE_SAMPLE = 5

_YEAR_RANGE = re.compile(r"(?<!\d)(20\d{2})[-_/ ]?(\d{2})(?!\d)")
_YEAR = re.compile(r"(?<!\d)(20\d{2})(?!\d)")


def table_of(columns: Iterable[str]) -> str | None:
    """The 903 table a header row belongs to, or None."""
    names = {str(c).strip().upper() for c in columns}
    for table, signature in SIGNATURES:
        if signature <= names:
            return table
    return None


def _header_row(head: bytes) -> list[str]:
    text = head.decode("utf-8-sig", errors="replace")
    first_line = text.splitlines()[0] if text.strip() else ""
    return next(csv.reader(io.StringIO(first_line)), [])


def year_in_name(name: str) -> int | None:
    """Collection year written in a file name: '2023-24' -> 2024, '2019-episodes' -> 2019."""
    stem = Path(name).stem
    ranged = _YEAR_RANGE.search(stem)
    if ranged and int(ranged.group(2)) == (int(ranged.group(1)) + 1) % 100:
        return int(ranged.group(1)) + 1
    single = _YEAR.search(stem)
    return int(single.group(1)) if single else None


def reporting_year_end(day: pd.Timestamp) -> int:
    return day.year + 1 if day.month >= 4 else day.year


class Ssda903Loader:
    kind = KIND
    description = "SSDA903 return table as CSV (header, episodes, oc3, ...)"

    def sniff(self, path: Path, head: bytes) -> bool:
        return path.suffix.lower() == ".csv" and table_of(_header_row(head)) is not None

    def load(self, path: Path, writer: Writer, context: IngestContext) -> LoadOutcome:
        name = path.name
        frame = _read(path, name)
        table = table_of(frame.columns)
        if table is None:
            raise LoadFailed(
                [Problem(file=name, message="not an SSDA903 table", expected="a 903 header row")]
            )
        if table not in MEASURED_TABLES:
            return _acknowledge(name, table, len(frame), writer, context)
        if frame.empty:
            raise LoadFailed([Problem(file=name, message=f"the {table} table has no rows")])
        la_code = _la_code(writer, context, name)
        _check_structure(frame, table, name)
        _check_complete_rows(path, len(frame.columns), name)
        _check_births_not_in_future(frame, table, name, context.today)
        findings, refusals = _rule_findings(frame, SCHEMAS[table], name)
        kept = frame.drop(index=sorted(refusals))
        writer.execute((SQL_DIR / "ssda903_tables.sql").read_text())
        year, year_findings = _collection_year(table, kept, name, la_code, writer)
        findings += year_findings
        stored = _stored_frame(table, kept, la_code, year, name, context)
        secret = child_key(writer)
        stored["child_key"] = keyed_hashes(kept["CHILD"], secret, normalise=False)
        if table in REFUSED_TABLES and year is not None:
            _record_refused(writer, table, frame, refusals, la_code, year, name, context, secret)
        if table == "episodes":
            stored["pl_post_key"] = keyed_hashes(kept.get("PL_POST", pd.Series("", index=kept.index)),
                                                 load_key())
            stored["urn_key"] = keyed_hashes(kept.get("URN", pd.Series("", index=kept.index)),
                                             urn_key(writer))
        if table == "oc3" and year is not None:
            cohort_findings, outside = _rule_findings(kept, oc3_cohort_schema(year), name)
            findings += cohort_findings
            stored = stored.drop(index=sorted(outside))
        if table == "episodes" and year is not None:
            findings += _earlier_episodes_not_resent(writer, stored, la_code, year, name)
            _record_last_episodes(writer, stored, la_code, year)
        _merge(writer, table, stored, la_code)
        _record_coverage(writer, table, stored, la_code, year, year_in_name(name), name, context)
        record_findings(
            writer,
            findings,
            kind=KIND,
            la_code=la_code,
            context=context,
            affected_rows=[_count(f) for f in findings],
        )
        return LoadOutcome(kind=KIND, rows=len(stored), la_code=la_code, findings=findings)


def _read(path: Path, name: str) -> pd.DataFrame:
    try:
        frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding=csv_encoding(path))
    except (ValueError, OSError, UnicodeDecodeError, pd.errors.ParserError) as error:
        raise LoadFailed(
            [
                Problem(
                    file=name,
                    message=f"cannot read the file ({type(error).__name__})",
                    expected="a comma-separated 903 table with a header row",
                )
            ]
        ) from error
    frame.columns = [str(c).strip().upper() for c in frame.columns]
    return frame.apply(lambda column: column.str.strip())


def _acknowledge(
    name: str, table: str, rows: int, writer: Writer, context: IngestContext
) -> LoadOutcome:
    la_code = stored_la_code(writer, context)
    finding = Problem(
        file=name,
        message=f"the 903 {table} table ({rows} rows) is recognised but no measure uses it; not stored",
        severity="info",
    )
    record_findings(writer, [finding], kind=KIND, la_code=la_code, context=context)
    return LoadOutcome(kind=KIND, rows=0, la_code=la_code, findings=[finding])


def _la_code(writer: Writer, context: IngestContext, name: str) -> str:
    la_code = stored_la_code(writer, context)
    if la_code is None:
        raise LoadFailed(
            [
                Problem(
                    file=name,
                    message="903 files do not say which local authority they belong to",
                    expected="--la with the LA's 3-digit DfE code, e.g. --la 929",
                )
            ]
        )
    if not is_known_la(la_code):
        raise LoadFailed(
            [Problem(file=name, message=f"unknown LA code {la_code!r}", expected="a 3-digit DfE LA code")]
        )
    return la_code


def _check_structure(frame: pd.DataFrame, table: str, name: str) -> None:
    """Missing required columns fail the load (pandera presence check)."""
    presence = pa.DataFrameSchema({c: pa.Column(str) for c in REQUIRED_COLUMNS[table]}, strict=False)
    try:
        presence.validate(frame, lazy=True)
    except pa_errors.SchemaErrors as errors:
        expected = "the 903 " + table + " columns " + ", ".join(REQUIRED_COLUMNS[table])
        raise LoadFailed(
            [
                Problem(file=name, message=f"missing column {str(case)!r}", expected=expected)
                for case in errors.failure_cases["failure_case"]
            ]
        ) from errors


def _rows_text(rows: list[int]) -> str:
    shown = ", ".join(str(r + FIRST_DATA_ROW) for r in rows[:CODE_SAMPLE])
    return shown + (f" and {len(rows) - CODE_SAMPLE} more" if len(rows) > CODE_SAMPLE else "")


def _check_complete_rows(path: Path, width: int, name: str) -> None:
    """A row with fewer fields than the header means a file cut short (or a damaged line): refuse it,
    so a part of a table never replaces the stored whole."""
    with path.open(encoding=csv_encoding(path), newline="") as handle:
        rows = csv.reader(handle)
        next(rows, None)
        lines = (row for row in rows if any(field.strip() for field in row))
        short = [number for number, row in enumerate(lines) if len(row) < width]
    if short:
        raise LoadFailed(
            [
                Problem(
                    file=name,
                    row=short[0] + FIRST_DATA_ROW,
                    message=f"{len(short)} row(s) have fewer fields than the header (rows "
                    f"{_rows_text(short)}): the file looks cut short or damaged; nothing was loaded",
                    expected=f"{width} comma-separated fields on every row (save the whole table again)",
                )
            ]
        )


def _check_births_not_in_future(frame: pd.DataFrame, table: str, name: str, today: date) -> None:
    """A date of birth after the day of the load (2099, 9999) is a damaged file, not a child."""
    if "DOB" not in frame.columns or table not in ("header", "oc3"):
        return
    year = pd.to_numeric(frame["DOB"].str.extract(r"^\d{1,2}/\d{1,2}/(\d{4})$")[0], errors="coerce")
    after = (parse_dates(frame["DOB"]) > pd.Timestamp(today)) | (year > today.year)
    future = frame.index[after.to_numpy()].tolist()
    if future:
        raise LoadFailed(
            [
                Problem(
                    file=name,
                    row=future[0] + FIRST_DATA_ROW,
                    column="DOB",
                    message=f"{len(future)} date(s) of birth after the day of the load (rows "
                    f"{_rows_text(future)}); nothing was loaded",
                    expected="a date of birth on or before the day of the load",
                )
            ]
        )


def _rule_findings(
    frame: pd.DataFrame, schema: pa.DataFrameSchema, name: str
) -> tuple[list[Problem], dict[int, list[str]]]:
    """One finding per rule and column broken, and the rows a rule leaves out (each with the rules
    it broke: `check` or `column:check`)."""
    try:
        schema.validate(frame, lazy=True)
    except pa_errors.SchemaErrors as errors:
        cases = errors.failure_cases
    else:
        return [], {}
    cases = cases[cases["index"].notna()].copy()
    cases["index"] = cases["index"].astype(int)
    whole_row = cases["schema_context"] == "DataFrameSchema"
    cases.loc[whole_row, "column"] = None
    cases = cases.drop_duplicates(subset=["column", "check", "index"])
    findings: list[Problem] = []
    excluded: dict[int, list[str]] = {}
    for (column, check), broken in cases.groupby(["column", "check"], dropna=False, sort=True):
        rule = RULES[str(check)]
        rows = sorted(broken["index"])
        column_name = None if pd.isna(column) else str(column)
        if rule.excludes_row:
            for row in rows:
                excluded.setdefault(row, []).append(f"{column_name}:{check}" if column_name else str(check))
        value = None
        if column_name is not None and column_name not in PERSONAL_COLUMNS:
            codes = sorted({str(v) for v in broken["failure_case"]})
            value = ", ".join(codes[:CODE_SAMPLE]) + (", ..." if len(codes) > CODE_SAMPLE else "")
        findings.append(
            Problem(
                file=name,
                message=f"{len(rows)} row(s): {rule.description}",
                row=rows[0] + FIRST_DATA_ROW,
                column=column_name,
                value=value,
                expected=EXPECTATIONS.get(column_name or "") if value is not None else None,
                severity=rule.severity,
            )
        )
    return findings, excluded


def _count(finding: Problem) -> int | None:
    match = re.match(r"(\d+) row", finding.message)
    return int(match.group(1)) if match else None


def _latest_episodes_year(writer: Writer, la_code: str, name_year: int | None) -> int | None:
    found = writer.query(
        "select max(collection_year) as year from ssda903_coverage "
        "where la_code = ? and table_name = 'episodes' and (? is null or name_year = ?)",
        [la_code, name_year, name_year],
    )
    year = found["year"].iloc[0]
    return None if pd.isna(year) else int(year)


def _collection_year(
    table: str, frame: pd.DataFrame, name: str, la_code: str, writer: Writer
) -> tuple[int | None, list[Problem]]:
    named = year_in_name(name)
    if table == "episodes":
        latest = parse_dates(frame["DECOM"]).max()
        from_data = None if pd.isna(latest) else reporting_year_end(latest)
        if from_data is not None and (named is None or from_data == named + 1):
            note = (
                f"collection year {from_data - 1}/{from_data % 100:02d} taken from the latest DECOM"
                + (f" (the name's {named} read as the year's start)" if named is not None else "")
            )
            return from_data, [Problem(file=name, message=note, severity="info")]
        if named is None:
            raise LoadFailed(
                [
                    Problem(
                        file=name,
                        message="no valid DECOM, so the collection year cannot be told",
                        expected="the year in the file name (e.g. 2024-episodes.csv)",
                    )
                ]
            )
        return named, []
    from_episodes = _latest_episodes_year(writer, la_code, named)
    if from_episodes is not None:
        return from_episodes, []
    if named is not None:
        note = (
            f"collection year {named - 1}/{named % 100:02d} (ending 31 March {named}) taken from the "
            "file name, as no episodes with that year in their name are loaded; if the name gives "
            "the year's start, load the episodes table first"
        )
        return named, [Problem(file=name, message=note, severity="info")]
    if table == "header":
        return None, []
    raise LoadFailed(
        [
            Problem(
                file=name,
                message="cannot tell which collection year this OC3 table is for",
                expected="the year in the file name (e.g. 2024-oc3.csv) or the episodes table loaded first",
            )
        ]
    )


def _stored_frame(
    table: str,
    frame: pd.DataFrame,
    la_code: str,
    year: int | None,
    name: str,
    context: IngestContext,
) -> pd.DataFrame:
    stored = pd.DataFrame(index=frame.index)
    stored["la_code"] = la_code
    stored["child"] = frame["CHILD"]
    if table == "episodes":
        for column, values in _episode_fields(frame).items():
            stored[column] = values
        stored["reason_place_change"] = frame.get("REASON_PLACE_CHANGE", pd.Series("", index=frame.index))
    elif table == "header":
        stored["sex"] = frame["SEX"]
        stored["dob"] = parse_dates(frame["DOB"]).dt.date
        stored["ethnic"] = frame.get("ETHNIC", pd.Series("", index=frame.index))
    else:
        assert year is not None
        dob = parse_dates(frame["DOB"])
        birthday = birthday_in_year(dob, year)
        stored["dob"] = dob.dt.date
        stored["in_touch"] = frame["IN_TOUCH"]
        stored["activ"] = frame["ACTIV"]
        stored["accom"] = frame["ACCOM"]
        stored["birthday"] = birthday.dt.date
        stored["age_at_birthday"] = (birthday.dt.year - dob.dt.year).astype("Int64")
    stored["collection_year"] = pd.Series(year, index=frame.index, dtype="Int64")
    stored["source_file"] = name
    stored["source_row"] = frame.index.to_numpy() + FIRST_DATA_ROW
    stored["batch_id"] = context.batch_id
    return stored


def _episode_fields(frame: pd.DataFrame) -> dict[str, pd.Series]:
    """An episode's dates (null where not a date) and codes, as stored rows and refused rows keep
    them, in the tables' column order."""
    fields = {"decom": parse_dates(frame["DECOM"]).dt.date}
    fields |= {column.lower(): frame[column] for column in ("RNE", "LS", "CIN", "PLACE", "PLACE_PROVIDER")}
    fields["dec"] = parse_dates(frame["DEC"]).dt.date
    fields["rec"] = frame["REC"]
    return fields


# the tables whose refused rows are kept, unseen by the measures, for the DfE rules (metrics.validation)
REFUSED_TABLES = ("episodes", "oc3")


def _record_refused(
    writer: Writer,
    table: str,
    frame: pd.DataFrame,
    refusals: dict[int, list[str]],
    la_code: str,
    year: int,
    name: str,
    context: IngestContext,
    secret: bytes,
) -> None:
    """Replace the year's refused rows of `table` with this file's: the child's id only as its keyed
    hash; dates that are not dates null; codes as written (loaders/sql/ssda903_tables.sql)."""
    refused = frame.loc[sorted(refusals)]
    kept = pd.DataFrame(index=refused.index)
    kept["la_code"] = la_code
    kept["child_key"] = keyed_hashes(refused["CHILD"], secret, normalise=False)
    if table == "episodes":
        for column, values in _episode_fields(refused).items():
            kept[column] = values
    else:
        dob = parse_dates(refused["DOB"])
        kept["dob"] = dob.dt.date
        for column in ("IN_TOUCH", "ACTIV", "ACCOM"):
            kept[column.lower()] = refused[column]
        kept["birthday"] = birthday_in_year(dob, year).dt.date
    kept["collection_year"] = year
    kept["source_file"] = name
    kept["source_row"] = refused.index.to_numpy() + FIRST_DATA_ROW
    kept["batch_id"] = context.batch_id
    kept["refused_by"] = [refusals[row] for row in refused.index]
    writer.execute(
        f"delete from ssda903_refused_{table} where la_code = ? and collection_year = ?", [la_code, year]
    )
    writer.insert_frame(f"ssda903_refused_{table}", kept)


def _earlier_episodes_not_resent(
    writer: Writer, stored: pd.DataFrame, la_code: str, year: int, name: str
) -> list[Problem]:
    """Episodes from earlier years' files that were open during this year but are not in this file.

    A return holds every episode open during its year, so these were probably corrected (a new
    DECOM) or deleted since; they are kept (the key is la_code, CHILD and DECOM) and reported.
    """
    writer.con.register("_incoming_903", stored)
    try:
        found = writer.query(
            "select count(*) as n from ssda903_episodes e where e.la_code = ? and e.collection_year < ? "
            "and e.decom <= make_date(?, 3, 31) and (e.dec is null or e.dec >= make_date(?, 4, 1)) "
            "and not exists (select 1 from _incoming_903 i where i.child = e.child and i.decom = e.decom)",
            [la_code, year, year, year - 1],
        )
    finally:
        writer.con.unregister("_incoming_903")
    missing = int(found["n"].iloc[0])
    if not missing:
        return []
    return [
        Problem(
            file=name,
            message=(
                f"{missing} row(s): episodes from earlier years' files were open during this year but "
                "are not in this file (a changed DECOM or a deleted episode?); they are kept"
            ),
            severity="warning",
        )
    ]


# the rows a merge can replace: those with the key of an incoming row (loaders.changes keeps them)
MERGED_KEYS = {
    "episodes": ("la_code", "child", "decom"),
    "header": ("la_code", "child"),
    "oc3": ("la_code", "child", "collection_year"),
}


def _merge(writer: Writer, table: str, stored: pd.DataFrame, la_code: str) -> None:
    same_key = " and ".join(f"i.{c} = t.{c}" for c in MERGED_KEYS[table])
    # the LA as a constant lets DuckDB skip the other LAs' row groups
    replaced = f"t.la_code = ? and exists (select 1 from _incoming_903 i where {same_key})"
    writer.con.register("_incoming_903", stored)
    try:
        with captured(writer, f"ssda903_{table}", replaced, [la_code]):
            writer.execute((SQL_DIR / f"ssda903_merge_{table}.sql").read_text())
    finally:
        writer.con.unregister("_incoming_903")


def _record_last_episodes(writer: Writer, stored: pd.DataFrame, la_code: str, year: int) -> None:
    """Keep the file's last episode per child for the carry-over rules (metrics.validation)."""
    writer.execute(
        "delete from ssda903_last_episodes where la_code = ? and collection_year = ?", [la_code, year]
    )
    writer.con.register("_incoming_903", stored)
    try:
        writer.execute(
            "insert into ssda903_last_episodes (la_code, child, collection_year, decom, dec, rne, ls, cin, "
            "place, place_provider, urn_key) select la_code, child, ?, decom, dec, rne, ls, cin, "
            "place, place_provider, urn_key from _incoming_903 "
            "qualify row_number() over (partition by child order by decom desc) = 1",
            [year],
        )
    finally:
        writer.con.unregister("_incoming_903")


def _record_coverage(
    writer: Writer,
    table: str,
    stored: pd.DataFrame,
    la_code: str,
    year: int | None,
    name_year: int | None,
    name: str,
    context: IngestContext,
) -> None:
    if year is None:
        return
    last_complete_month = context.today.replace(day=1) - timedelta(days=1)
    data_end = min(date(year, 3, 31), last_complete_month)
    writer.execute(
        "insert or replace into ssda903_coverage values (?, ?, ?, ?, ?, ?, ?)",
        [la_code, table, year, name_year, data_end, name, context.batch_id],
    )


LOADER = Ssda903Loader()
