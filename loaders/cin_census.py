"""CIN census XML (DfE children in need census) -> child-level tables in the store.

Why it is shaped like this: census files for a large LA hold hundreds of thousands of referrals,
so the XML is read with lxml's streaming `iterparse`, one <Child> at a time, and flattened into
one frame per census module. The frames are validated with pandera (loaders/schemas/cin_census.py);
a record breaking a rule (missing required date, dates in the wrong order, a date that is not a
date) is excluded and reported as a data-quality finding, an unknown code is reported and kept.
A file that is not a CIN census at all (not XML, wrong root element, no LEA, truncated) fails
the load with the line lxml reports. Findings never quote child ids, dates or names.

Tables written (one row per record; `la_code` is the 3-digit LEA from the header, `child_id` the
LAchildID, dates are DATE, `reference_date` the census reference date of the file it came from,
`source_row` the XML line of the record in that file, for the validation findings):

- cin_census_returns: la_code, reference_date, census_year, coverage_start, source_file, batch_id.
  One row per LA and census loaded. coverage_start is 1 April of the census year; the census
  covers coverage_start..reference_date and measures are produced for month ends in it.
- cin_referrals: la_code, child_id, referral_date, closure_date, reason_for_closure,
  referral_source, primary_need_code, referral_nfa (bool), referral_nfa_code (ReferralNFA as
  given, for the validation rules), transfer_icpc_date (the CINdetails
  DateOfInitialCPC, for children transferring in), assessment_count, section47_count,
  cp_plan_count, sex and gender_current (the child's ChildIdentifiers Sex, from 2024/25, and
  GenderCurrent, before it, as the file gives them, on each of the child's referrals),
  reference_date. Key: la_code, child_id, referral_date.
- cin_assessments: la_code, child_id, referral_date, assessment_start_date,
  assessment_authorisation_date, reference_date. Key: la_code, child_id, assessment_start_date.
- cin_section47: la_code, child_id, referral_date, s47_start_date, icpc_date,
  icpc_not_required (bool), reference_date. Key: la_code, child_id, s47_start_date.
- cin_cp_plans: la_code, child_id, referral_date, plan_start_date, plan_end_date,
  initial_category, latest_category, number_of_previous_plans (integer, null when not a whole
  number), reference_date. Key: la_code, child_id, plan_start_date.
- cin_cp_reviews: la_code, child_id, plan_start_date, review_date, reference_date.
  Key: la_code, child_id, plan_start_date, review_date.

- cin_plan_dates_versions: la_code, child_id, referral_date, cin_plan_start_date,
  cin_plan_end_date, reference_date (the CINPlanDates of each CINdetails). Kept only as each
  census sent them, for the validation rules (4013): no measure reads CIN plan dates.

Consecutive censuses repeat the episodes that span the year end. Every census's rows are kept in
`<table>_versions` (same columns); the tables above hold, per key, the row from the census with
the latest reference date, rebuilt for the LA after each load. Loading a census again for the
same LA and reference date (a resubmission) replaces that census's versions, so a record it no
longer has falls back to an older census's version. Reviews accumulate across censuses (each
census carries the year's reviews and the last one before).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from pathlib import Path

import pandas as pd
from lxml import etree

from loaders.base import IngestContext, LoadOutcome, is_known_la, record_findings
from loaders.changes import captured
from loaders.problems import LoadFailed, Problem
from loaders.schemas import cin_census as schemas
from loaders.store import Writer

SQL_DIR = Path(__file__).resolve().parent / "sql"
KIND = "cin_census"
ROOT_ELEMENT = "Message"

# table -> key columns (fixed names chosen by code, never by users)
TABLE_KEYS: dict[str, tuple[str, ...]] = {
    "cin_referrals": ("la_code", "child_id", "referral_date"),
    "cin_assessments": ("la_code", "child_id", "assessment_start_date"),
    "cin_section47": ("la_code", "child_id", "s47_start_date"),
    "cin_cp_plans": ("la_code", "child_id", "plan_start_date"),
    "cin_cp_reviews": ("la_code", "child_id", "plan_start_date", "review_date"),
}
# Tables kept only as each census sent them (<table>_versions, no newest-per-key table).
VERSIONS_ONLY_KEYS: dict[str, tuple[str, ...]] = {
    "cin_plan_dates": ("la_code", "child_id", "cin_plan_start_date"),
}
ALL_KEYS = {**TABLE_KEYS, **VERSIONS_ONLY_KEYS}
TABLE_COLUMNS: dict[str, list[str]] = {
    "cin_referrals": [
        "la_code",
        "child_id",
        "referral_date",
        "closure_date",
        "reason_for_closure",
        "referral_source",
        "primary_need_code",
        "referral_nfa",
        "referral_nfa_code",
        "transfer_icpc_date",
        "assessment_count",
        "section47_count",
        "cp_plan_count",
        "sex",
        "gender_current",
        "reference_date",
        "source_row",
    ],
    "cin_assessments": [
        "la_code",
        "child_id",
        "referral_date",
        "assessment_start_date",
        "assessment_authorisation_date",
        "reference_date",
        "source_row",
    ],
    "cin_section47": [
        "la_code",
        "child_id",
        "referral_date",
        "s47_start_date",
        "icpc_date",
        "icpc_not_required",
        "reference_date",
        "source_row",
    ],
    "cin_cp_plans": [
        "la_code",
        "child_id",
        "referral_date",
        "plan_start_date",
        "plan_end_date",
        "initial_category",
        "latest_category",
        "number_of_previous_plans",
        "reference_date",
        "source_row",
    ],
    "cin_cp_reviews": [
        "la_code", "child_id", "plan_start_date", "review_date", "reference_date", "source_row"
    ],
    "cin_plan_dates": [
        "la_code",
        "child_id",
        "referral_date",
        "cin_plan_start_date",
        "cin_plan_end_date",
        "reference_date",
        "source_row",
    ],
}
DATE_COLUMNS: dict[str, tuple[str, ...]] = {
    "cin_referrals": ("referral_date", "closure_date", "transfer_icpc_date"),
    "cin_assessments": ("referral_date", "assessment_start_date", "assessment_authorisation_date"),
    "cin_section47": ("referral_date", "s47_start_date", "icpc_date"),
    "cin_cp_plans": ("referral_date", "plan_start_date", "plan_end_date"),
    "cin_cp_reviews": ("plan_start_date", "plan_end_date", "review_date"),
    "cin_plan_dates": ("referral_date", "cin_plan_start_date", "cin_plan_end_date"),
}
# Columns of the flattened rows that are not stored as they are (raw codes, the plan end for reviews).
RAW_ONLY_COLUMNS: dict[str, list[str]] = {
    "cin_referrals": [],
    "cin_assessments": [],
    "cin_section47": ["icpc_not_required_code"],
    "cin_cp_plans": ["number_of_previous_plans_code"],
    "cin_cp_reviews": ["plan_end_date"],
    "cin_plan_dates": [],
}
# Dates copied from the enclosing record for context: a bad one is reported there and left blank
# here, and the record itself is kept.
CONTEXT_DATE_COLUMNS: dict[str, tuple[str, ...]] = {
    "cin_assessments": ("referral_date",),
    "cin_section47": ("referral_date",),
    "cin_cp_plans": ("referral_date",),
    "cin_cp_reviews": ("plan_end_date",),
    "cin_plan_dates": ("referral_date",),
}
ENTITY_NAMES = {
    "cin_referrals": "referrals (CINdetails)",
    "cin_assessments": "assessments",
    "cin_section47": "section 47 enquiries",
    "cin_cp_plans": "child protection plans",
    "cin_cp_reviews": "child protection plan reviews",
    "cin_plan_dates": "CIN plan dates",
}


@dataclass
class Header:
    la_codes: set[str] = field(default_factory=set)
    reference_date: str | None = None
    year: str | None = None
    collection: str | None = None


@dataclass
class Flattened:
    header: Header
    rows: dict[str, list[dict[str, object]]]


@lru_cache(maxsize=1024)  # a census has a few dozen distinct tags and millions of elements
def _local(tag: object) -> str:
    text = str(tag)
    return text.rsplit("}", 1)[-1] if text.startswith("{") else text


Parts = dict[str, list[etree._Element]]


def _parts(element: etree._Element | None) -> Parts:
    """An element's children grouped by local name, in document order (one pass over them)."""
    grouped: Parts = {}
    if element is not None:
        for item in element:
            grouped.setdefault(_local(item.tag), []).append(item)
    return grouped


def _text(parts: Parts, name: str) -> str | None:
    """The stripped text of the first child called `name`; None when it is absent or blank."""
    items = parts.get(name)
    if not items:
        return None
    value = (items[0].text or "").strip()
    return value or None


def _flatten_child(child: etree._Element, rows: dict[str, list[dict[str, object]]]) -> None:
    child_parts = _parts(child)
    identifiers = _parts(next(iter(child_parts.get("ChildIdentifiers", [])), None))
    child_id = _text(identifiers, "LAchildID")
    sex, gender_current = _text(identifiers, "Sex"), _text(identifiers, "GenderCurrent")
    for episode in child_parts.get("CINdetails", []):
        details = _parts(episode)
        referral_date = _text(details, "CINreferralDate")
        assessments = details.get("Assessments", [])
        section47s = details.get("Section47", [])
        plans = details.get("ChildProtectionPlans", [])
        rows["cin_referrals"].append(
            {
                "line": episode.sourceline,
                "child_id": child_id,
                "referral_date": referral_date,
                "closure_date": _text(details, "CINclosureDate"),
                "reason_for_closure": _text(details, "ReasonForClosure"),
                "referral_source": _text(details, "ReferralSource"),
                "primary_need_code": _text(details, "PrimaryNeedCode"),
                "referral_nfa_code": _text(details, "ReferralNFA"),
                "transfer_icpc_date": _text(details, "DateOfInitialCPC"),
                "assessment_count": len(assessments),
                "section47_count": len(section47s),
                "cp_plan_count": len(plans),
                "sex": sex,
                "gender_current": gender_current,
            }
        )
        for assessment in assessments:
            fields = _parts(assessment)
            rows["cin_assessments"].append(
                {
                    "line": assessment.sourceline,
                    "child_id": child_id,
                    "referral_date": referral_date,
                    "assessment_start_date": _text(fields, "AssessmentActualStartDate"),
                    "assessment_authorisation_date": _text(fields, "AssessmentAuthorisationDate"),
                }
            )
        for plan_dates in details.get("CINPlanDates", []):
            fields = _parts(plan_dates)
            rows["cin_plan_dates"].append(
                {
                    "line": plan_dates.sourceline,
                    "child_id": child_id,
                    "referral_date": referral_date,
                    "cin_plan_start_date": _text(fields, "CINPlanStartDate"),
                    "cin_plan_end_date": _text(fields, "CINPlanEndDate"),
                }
            )
        for enquiry in section47s:
            fields = _parts(enquiry)
            rows["cin_section47"].append(
                {
                    "line": enquiry.sourceline,
                    "child_id": child_id,
                    "referral_date": referral_date,
                    "s47_start_date": _text(fields, "S47ActualStartDate"),
                    "icpc_date": _text(fields, "DateOfInitialCPC"),
                    "icpc_not_required_code": _text(fields, "ICPCnotRequired"),
                }
            )
        for plan in plans:
            fields = _parts(plan)
            plan_start = _text(fields, "CPPstartDate")
            plan_end = _text(fields, "CPPendDate")
            rows["cin_cp_plans"].append(
                {
                    "line": plan.sourceline,
                    "child_id": child_id,
                    "referral_date": referral_date,
                    "plan_start_date": plan_start,
                    "plan_end_date": plan_end,
                    "initial_category": _text(fields, "InitialCategoryOfAbuse"),
                    "latest_category": _text(fields, "LatestCategoryOfAbuse"),
                    "number_of_previous_plans_code": _text(fields, "NumberOfPreviousCPP"),
                }
            )
            for reviews in fields.get("Reviews", []):
                for review in _parts(reviews).get("CPPreviewDate", []):
                    rows["cin_cp_reviews"].append(
                        {
                            "line": review.sourceline,
                            "child_id": child_id,
                            "plan_start_date": plan_start,
                            "plan_end_date": plan_end,
                            "review_date": (review.text or "").strip() or None,
                        }
                    )


def flatten(path: Path, name: str) -> Flattened:
    """Stream the XML into rows per module; structural problems raise LoadFailed."""
    header = Header()
    rows: dict[str, list[dict[str, object]]] = {table: [] for table in ALL_KEYS}
    in_source = False
    saw_children = False
    try:
        parser = etree.iterparse(
            str(path), events=("start", "end"), resolve_entities=False, no_network=True, huge_tree=True
        )
        root_seen = False
        for event, element in parser:
            tag = _local(element.tag)
            if not root_seen:
                root_seen = True
                if tag != ROOT_ELEMENT:
                    raise LoadFailed(
                        [
                            Problem(
                                file=name,
                                message=f"the root element is <{tag}>, so this is not a CIN census file",
                                row=element.sourceline,
                                expected=f"<{ROOT_ELEMENT}> with <Header> and <Children>",
                            )
                        ]
                    )
                continue
            if event == "start":
                if tag == "Source":
                    in_source = True
                elif tag == "Children":
                    saw_children = True
                continue
            if tag == "Child":
                _flatten_child(element, rows)
                element.clear(keep_tail=True)
                parent = element.getparent()
                while parent is not None and element.getprevious() is not None:
                    del parent[0]
            elif tag == "Source":
                in_source = False
            elif tag == "LEA" and in_source:
                header.la_codes.add((element.text or "").strip())
            elif tag == "ReferenceDate":
                header.reference_date = (element.text or "").strip() or None
            elif tag == "Year" and header.year is None:
                header.year = (element.text or "").strip() or None
            elif tag == "Collection":
                header.collection = (element.text or "").strip() or None
    except etree.XMLSyntaxError as error:
        line = getattr(error, "lineno", None)
        raise LoadFailed(
            [
                Problem(
                    file=name,
                    message=f"not well-formed XML (the file may be truncated or not XML): {error.msg}",
                    row=line,
                    expected="a complete CIN census XML file",
                )
            ]
        ) from None
    if not saw_children:
        raise LoadFailed(
            [Problem(file=name, message="no <Children> element", expected="<Message><Header>...<Children>")]
        )
    return Flattened(header=header, rows=rows)


def _reference_date(header: Header, name: str) -> date:
    problems: list[Problem] = []
    if len(header.la_codes) != 1 or not next(iter(header.la_codes)):
        found = ", ".join(sorted(header.la_codes)) or None
        problems.append(
            Problem(
                file=name,
                message="the header must name exactly one LA (Header/Source/LEA)",
                column="LEA",
                value=found,
                expected="one 3-digit DfE LA code such as 201",
            )
        )
    else:
        code = next(iter(header.la_codes))
        if not is_known_la(code):
            problems.append(
                Problem(
                    file=name,
                    message="unknown LA code in Header/Source/LEA",
                    column="LEA",
                    value=code,
                    expected="an old-style 3-digit DfE LA code such as 201",
                )
            )
    if header.collection not in (None, "CIN"):
        problems.append(
            Problem(
                file=name,
                message="the collection is not the CIN census",
                column="Collection",
                value=header.collection,
                expected="CIN",
            )
        )
    reference: date | None = None
    if header.reference_date:
        parsed = pd.to_datetime(header.reference_date, format="%Y-%m-%d", errors="coerce")
        reference = None if pd.isna(parsed) else parsed.date()
    elif header.year and header.year.isdigit():
        reference = date(int(header.year), 3, 31)
    if reference is None:
        problems.append(
            Problem(
                file=name,
                message="the census reference date is missing or not a date",
                column="ReferenceDate",
                value=header.reference_date,
                expected="Header/CollectionDetails/ReferenceDate as YYYY-MM-DD (or a Year)",
            )
        )
    if problems:
        raise LoadFailed(problems)
    assert reference is not None
    return reference


def coverage_start(reference: date) -> date:
    """1 April of the reporting year containing the reference date (31 March 2022 -> 1 April 2021)."""
    return date(reference.year if reference.month >= 4 else reference.year - 1, 4, 1)


@dataclass
class Cleaned:
    frames: dict[str, pd.DataFrame]
    findings: list[Problem]
    affected: list[int]


def _finding(
    name: str,
    table: str,
    column: str | None,
    count: int,
    line: int | None,
    what: str,
    action: str,
    values: list[str] | None = None,
) -> Problem:
    quoted = ", ".join(values[:5]) if values else None
    return Problem(
        file=name,
        message=f"{count} {ENTITY_NAMES[table]}: {what}; {action}",
        row=line,
        column=column,
        value=quoted,
        expected=schemas.EXPECTATIONS.get(column or ""),
        severity="warning",
    )


def _report(
    name: str, table: str, frame: pd.DataFrame, cases: pd.DataFrame, action: str, out: Cleaned
) -> set[int]:
    """Group pandera failure cases into one finding per column and check; return failing indexes."""
    bad: set[int] = set()
    if cases.empty:
        return bad
    cases = cases.assign(column=cases["column"].fillna(""), check=cases["check"].astype(str))
    # A row-wise check across columns is reported once per column: name it after its first column.
    across = cases["check"].str.contains(" is before | is after ", regex=True)
    cases.loc[across, "column"] = cases.loc[across, "check"].str.split(" ").str[0]
    cases = cases.drop_duplicates(subset=["column", "check", "index"])
    for (column, check), group in cases.groupby(["column", "check"], sort=True):
        indexes = sorted({int(i) for i in group["index"].dropna()})
        bad.update(indexes)
        line = int(frame.loc[indexes[0], "line"]) if indexes else None
        quotable = column in schemas.QUOTABLE_COLUMNS
        values = sorted({str(v) for v in group["failure_case"].dropna()}) if quotable else None
        what = "missing" if check == "not_nullable" else check.replace("_", " ")
        if "isin" in check or "str_matches" in check:
            what = "unknown code"
        out.findings.append(
            _finding(name, table, column or None, len(indexes) or len(group), line, what, action, values)
        )
        out.affected.append(len(indexes) or len(group))
    return bad


def clean(flat: Flattened, la_code: str, reference: date, name: str) -> Cleaned:
    """Typed, validated frames per table; rule breaks excluded and reported as findings."""
    out = Cleaned(frames={}, findings=[], affected=[])
    for table in ALL_KEYS:
        frame = pd.DataFrame(flat.rows[table])
        if frame.empty:
            frame = pd.DataFrame(columns=["line", *TABLE_COLUMNS[table], *RAW_ONLY_COLUMNS[table]])
        frame = frame.reset_index(drop=True)
        excluded: set[int] = set()
        for column in DATE_COLUMNS[table]:
            raw = frame[column] if column in frame else pd.Series(dtype=object)
            parsed = pd.to_datetime(raw, format="%Y-%m-%d", errors="coerce")
            not_a_date = raw.notna() & parsed.isna()
            if not_a_date.any() and column not in CONTEXT_DATE_COLUMNS.get(table, ()):
                indexes = list(frame.index[not_a_date])
                excluded.update(indexes)
                out.findings.append(
                    _finding(
                        name,
                        table,
                        column,
                        len(indexes),
                        int(frame.loc[indexes[0], "line"]),
                        "date not in the form YYYY-MM-DD",
                        "excluded",
                    )
                )
                out.affected.append(len(indexes))
            frame[column] = parsed
        rules = {
            "cin_referrals": schemas.REFERRALS_RULES,
            "cin_assessments": schemas.ASSESSMENTS_RULES,
            "cin_section47": schemas.SECTION47_RULES,
            "cin_cp_plans": schemas.CP_PLANS_RULES,
            "cin_cp_reviews": schemas.CP_REVIEWS_RULES,
            "cin_plan_dates": schemas.CIN_PLAN_DATES_RULES,
        }[table]
        cases = schemas.failures(rules, frame.drop(index=list(excluded)))
        excluded |= _report(name, table, frame, cases, "excluded", out)
        codes = {
            "cin_referrals": schemas.REFERRALS_CODES,
            "cin_section47": schemas.SECTION47_CODES,
            "cin_cp_plans": schemas.CP_PLANS_CODES,
        }.get(table)
        kept = frame.drop(index=sorted(excluded))
        if codes is not None:
            _report(name, table, kept, schemas.failures(codes, kept), "kept as given", out)
        kept = kept.copy()
        kept["la_code"] = la_code
        kept["reference_date"] = pd.Timestamp(reference)
        kept["source_row"] = kept["line"]
        if table == "cin_referrals":
            kept["referral_nfa"] = kept["referral_nfa_code"].isin(schemas.YES_VALUES)
        elif table == "cin_section47":
            kept["icpc_not_required"] = kept["icpc_not_required_code"].isin(schemas.YES_VALUES)
        elif table == "cin_cp_plans":
            whole = kept["number_of_previous_plans_code"].where(
                kept["number_of_previous_plans_code"].astype(str).str.fullmatch(r"\d+")
            )
            kept["number_of_previous_plans"] = pd.to_numeric(whole).astype("Int64")
        key = list(ALL_KEYS[table])
        duplicated = kept.duplicated(subset=key, keep="last")
        if duplicated.any():
            count = int(duplicated.sum())
            first_line = int(kept.loc[duplicated, "line"].iloc[0])
            out.findings.append(
                _finding(name, table, None, count, first_line, "repeated with the same key", "last one kept")
            )
            out.affected.append(count)
            kept = kept[~duplicated]
        columns = TABLE_COLUMNS[table]
        typed = kept[columns].reset_index(drop=True)
        for column in columns:
            if column.endswith("_date"):
                typed[column] = pd.to_datetime(typed[column]).dt.date
        for column in ("assessment_count", "section47_count", "cp_plan_count"):
            if column in typed:
                typed[column] = typed[column].astype("int64")
        out.frames[table] = typed
    return out


def _store(
    writer: Writer, cleaned: Cleaned, la_code: str, reference: date, name: str, context: IngestContext
) -> int:
    writer.execute((SQL_DIR / "cin_tables.sql").read_text())
    written = 0
    for table, key in TABLE_KEYS.items():
        frame = cleaned.frames[table]
        columns = ", ".join(TABLE_COLUMNS[table])
        keys = ", ".join(key)
        # The keys whose newest version this census can change: its own, and those of an earlier
        # load of the same census (a resubmission) that it replaces. Only they are rebuilt.
        writer.execute(
            f"create or replace temp table _census_keys as select distinct {keys} from {table}_versions "
            "where la_code = ? and reference_date = ?",
            [la_code, reference],
        )
        writer.execute(
            f"delete from {table}_versions where la_code = ? and reference_date = ?", [la_code, reference]
        )
        if not frame.empty:
            writer.insert_frame(f"{table}_versions", frame)
        writer.execute(
            f"insert into _census_keys select distinct {keys} from {table}_versions "
            "where la_code = ? and reference_date = ?",
            [la_code, reference],
        )
        same_key = " and ".join(f"k.{c} = t.{c}" for c in key)
        # the LA as a constant lets DuckDB skip the other LAs' row groups
        rebuilt = f"t.la_code = ? and exists (select 1 from _census_keys k where {same_key})"
        with captured(writer, table, rebuilt, [la_code]):
            writer.execute(f"delete from {table} t where {rebuilt}", [la_code])
            writer.execute(
                f"insert into {table} ({columns}) select {columns} from {table}_versions t "
                f"where {rebuilt} "
                f"qualify row_number() over (partition by {keys} order by reference_date desc) = 1",
                [la_code],
            )
        writer.execute("drop table _census_keys")
        written += len(frame)
    for table in VERSIONS_ONLY_KEYS:
        frame = cleaned.frames[table]
        writer.execute(
            f"delete from {table}_versions where la_code = ? and reference_date = ?", [la_code, reference]
        )
        if not frame.empty:
            writer.insert_frame(f"{table}_versions", frame)
        written += len(frame)
    writer.execute(
        "delete from cin_census_returns where la_code = ? and reference_date = ?", [la_code, reference]
    )
    writer.execute(
        "insert into cin_census_returns values (?, ?, ?, ?, ?, ?)",
        [
            la_code,
            reference,
            reference.year + (1 if reference.month >= 4 else 0),
            coverage_start(reference),
            name,
            context.batch_id,
        ],
    )
    return written


class CinCensusLoader:
    kind = KIND
    description = "CIN census XML (DfE children in need census)"

    def sniff(self, path: Path, head: bytes) -> bool:
        """An .xml file whose root element is <Message> and which carries CIN census elements."""
        if path.suffix.lower() != ".xml":
            return False
        text = re.sub(
            r"<\?.*?\?>|<!--.*?-->|<!DOCTYPE[^>]*>", "", head.decode("utf-8", errors="ignore"), flags=re.S
        )
        root = re.search(r"<\s*([A-Za-z_][\w.:-]*)", text)
        if root is None or root.group(1).split(":")[-1] != ROOT_ELEMENT:
            return False
        return any(marker in text for marker in ("CINdetails", "<Collection>CIN<", "LAchildID"))

    def load(self, path: Path, writer: Writer, context: IngestContext) -> LoadOutcome:
        name = path.name
        flat = flatten(path, name)
        reference = _reference_date(flat.header, name)
        la_code = next(iter(flat.header.la_codes))
        if context.la_code and context.la_code != la_code:
            raise LoadFailed(
                [
                    Problem(
                        file=name,
                        message=f"the file is LEA {la_code}'s census but the load is for LA "
                        f"{context.la_code} (--la)",
                        column="LEA",
                        expected=f"a census whose Header/Source/LEA is {context.la_code}, or --la {la_code}",
                    )
                ]
            )
        cleaned = clean(flat, la_code, reference, name)
        rows = _store(writer, cleaned, la_code, reference, name, context)
        record_findings(
            writer,
            cleaned.findings,
            kind=KIND,
            la_code=la_code,
            context=context,
            affected_rows=list(cleaned.affected),
        )
        return LoadOutcome(kind=KIND, rows=rows, la_code=la_code, findings=cleaned.findings)


LOADER = CinCensusLoader()
