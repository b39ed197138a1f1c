"""Oracle: the project's CIN census rules against Data to Insight's validator, on the same files.

    .venv/bin/python -m tests.oracle.oracle_cin [--las N] [--copies M] [--out tests/oracle/results_cin.md]

Outside the normal test run (pytest collects only test_*.py). It
1. makes (or reuses) the oracle's own virtual environment (tests/oracle/common.py);
2. writes CIN census XML files, one per LA and census (reference dates 31 March 2023, 2024 and
   2025), for N LAs: each holds every hand-made case of tests/metrics/validation/cases_cin.py
   (records that break each implemented rule and records that pass) M times, under new children;
3. loads them into a fresh store with the project's loader and times the project's rules as a
   validation run evaluates them (`metrics.validation.runner.flag`: one statement for every rule
   version, as the 903 oracle) and the validator's (each file with its own year's rule set), rule
   by rule; each project rule is also run alone, for the per-code column, outside the total;
4. writes, per rule code, the records flagged by both, by the project only and by the validator
   only, and each side's time.

Rows are matched as the validator reports them: (file, module, position of the record among the
file's records of that module, in document order; the modules are CINdetails, Assessments,
CINplanDates, Section47, ChildProtectionPlans and ChildIdentifiers). A project row (LA, collection
year, XML line) is turned into that key by reading the line's element from the file it came from;
4180's row (the line of the child's first referral) becomes the child's ChildIdentifiers position.
Agreement is judged on the module the validator defines the rule on; the rows it also flags in
other modules (the referral of 1103, 2889 and 1104) are counted beside. No child-level data leaves
the temporary folder.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import pandas as pd
from lxml import etree

from loaders.base import local_authorities
from loaders.ingest import ingest
from loaders.store import write_session
from metrics.validation import all_rules
from metrics.validation.runner import flag
from tests.metrics.validation.cases_cin import CASES, CASES_2025, CENSUS, MODULES
from tests.oracle.common import (
    HERE,
    Flagged,
    Rows,
    compare,
    differences,
    load_average,
    markdown_table,
    oracle_python,
    sides,
)

CHILD_MODULE = "ChildIdentifiers"
# the project's table_name of a flagged row -> the XML element (the validator's module) of its line
TAGS = {"referrals": "CINdetails", "assessments": "Assessments", "section47": "Section47",
        "cp_plans": "ChildProtectionPlans", "children": "CINdetails", "cin_plans": "CINPlanDates"}
MODULE_ELEMENTS = ("Child", "CINdetails", "Assessments", "CINPlanDates", "Section47", "ChildProtectionPlans")
# the module (CINTable) name the validator reports, where it is not the element's
MODULE_NAMES = {"CINPlanDates": "CINplanDates"}
# the modules nested in a referral (cases_cin module, element), in the order they are written
NESTED = (("assessments", "Assessments"), ("cin_plans", "CINPlanDates"), ("section47", "Section47"),
          ("cp_plans", "ChildProtectionPlans"))
# each nested module's fields: (element, cases_cin column, written even when None)
FIELDS: dict[str, tuple[tuple[str, str, bool], ...]] = {
    "assessments": (("AssessmentActualStartDate", "assessment_start_date", True),
                    ("AssessmentAuthorisationDate", "assessment_authorisation_date", False)),
    "cin_plans": (("CINPlanStartDate", "cin_plan_start_date", True),
                  ("CINPlanEndDate", "cin_plan_end_date", False)),
    "section47": (("S47ActualStartDate", "s47_start_date", True), ("DateOfInitialCPC", "icpc_date", False),
                  ("ICPCnotRequired", "icpc_not_required", True)),
    "cp_plans": (("CPPstartDate", "plan_start_date", True), ("CPPendDate", "plan_end_date", False),
                 ("InitialCategoryOfAbuse", "initial_category", True),
                 ("LatestCategoryOfAbuse", "latest_category", True),
                 ("NumberOfPreviousCPP", "number_of_previous_plans", False)),
}


def collection_year(reference: str) -> int:
    day = date.fromisoformat(reference)
    return day.year + (day.month >= 4)


@dataclass
class Referral:
    fields: dict[str, Any]
    modules: dict[str, list[tuple[dict[str, Any], str]]] = field(
        default_factory=lambda: {module: [] for module, _ in NESTED})


@dataclass
class Child:
    child_id: str
    identifiers: dict[str, Any]
    case: str
    referrals: dict[str, Referral] = field(default_factory=dict)


def _children(copies: int) -> dict[str, list[Child]]:
    """Every case's records, `copies` times, as children per census reference date (file order)."""
    censuses: dict[str, dict[str, Child]] = defaultdict(dict)
    referral_defaults = MODULES["referrals"][1]
    for copy in range(copies):
        for number, (code, description, tables, _) in enumerate(CASES + CASES_2025):
            case = f"{code} ({description})"
            for module, rows in tables.items():
                defaults = MODULES[module][1]
                for row in rows:
                    record = {**defaults, **row}
                    child_id = f"K{copy:03d}{number:03d}{row.get('child', 'A')}"
                    children = censuses[row.get("census", CENSUS)]
                    child = children.setdefault(child_id, Child(child_id, {
                        "GenderCurrent": referral_defaults["gender_current"],
                        "Sex": referral_defaults["sex"]}, case))
                    referral = child.referrals.get(record["referral_date"])
                    if module == "referrals":
                        if not child.referrals:  # the child's identifiers, as its first referral gives them
                            child.identifiers = {"GenderCurrent": record["gender_current"],
                                                 "Sex": record["sex"]}
                        if referral is None:
                            child.referrals[record["referral_date"]] = Referral(record)
                        else:
                            referral.fields = record
                        continue
                    if referral is None:
                        referral = child.referrals[record["referral_date"]] = Referral(
                            {**referral_defaults, "referral_date": record["referral_date"]})
                    referral.modules[module].append((record, case))
    return {census: list(children.values()) for census, children in censuses.items()}


def _add(parent: etree._Element, tag: str, value: object | None = None) -> etree._Element:
    item = etree.SubElement(parent, tag)
    if value is not None:
        item.text = "true" if value is True else "false" if value is False else str(value)
    return item


def _optional(parent: etree._Element, tag: str, value: object | None) -> None:
    if value is not None:
        _add(parent, tag, value)


def _nested(details: etree._Element, referral: Referral, modules: tuple[tuple[str, str], ...]) -> None:
    """The referral's records of these modules, each an element of its fields (FIELDS)."""
    for module, tag in modules:
        for record, _ in referral.modules[module]:
            element = _add(details, tag)
            for field_tag, column, always in FIELDS[module]:
                if always or record[column] is not None:
                    _add(element, field_tag, record[column])


def census_xml(children: list[Child], la_code: str, reference: str) -> bytes:
    message = etree.Element("Message")
    header = _add(message, "Header")
    details = _add(header, "CollectionDetails")
    for tag, value in (("Collection", "CIN"), ("Year", reference[:4]), ("ReferenceDate", reference)):
        _add(details, tag, value)
    source = _add(header, "Source")
    _add(source, "SourceLevel", "L")
    _add(source, "LEA", la_code)
    listed = _add(message, "Children")
    for child in children:
        item = _add(listed, "Child")
        identifiers = _add(item, CHILD_MODULE)
        _add(identifiers, "LAchildID", child.child_id)
        _add(identifiers, "PersonBirthDate", "2015-01-01")
        for tag in ("GenderCurrent", "Sex"):
            _optional(identifiers, tag, child.identifiers[tag])
        _add(_add(item, "ChildCharacteristics"), "Ethnicity", "WBRI")
        for referral in child.referrals.values():
            fields = referral.fields
            details = _add(item, "CINdetails")
            _add(details, "CINreferralDate", fields["referral_date"])
            _add(details, "ReferralSource", "1A")
            _add(details, "PrimaryNeedCode", "N1")
            _optional(details, "CINclosureDate", fields["closure_date"])
            _optional(details, "ReasonForClosure", fields["reason_for_closure"])
            _nested(details, referral, NESTED[:3])
            _optional(details, "ReferralNFA", fields["referral_nfa_code"])
            _nested(details, referral, NESTED[3:])
    return etree.tostring(message, xml_declaration=True, encoding="UTF-8", pretty_print=True)


Key = tuple[object, ...]  # (file, module, position), as the validator reports a row


def _origins(children: list[Child], name: str) -> dict[Key, str]:
    """Each record's key (file, module, position in document order) -> the case it comes from."""
    origins: dict[Key, str] = {}
    counts: dict[str, int] = defaultdict(int)

    def place(module: str, case: str) -> None:
        origins[(name, module, counts[module])] = case
        counts[module] += 1

    for child in children:
        place(CHILD_MODULE, child.case)
        for referral in child.referrals.values():
            place("CINdetails", child.case)
            for module, tag in NESTED:
                for _, case in referral.modules[module]:
                    place(MODULE_NAMES.get(tag, tag), case)
    return origins


def _lines(path: Path) -> dict[int, tuple[str, int, int]]:
    """XML line -> (element, its position among the file's elements of that name, its child's)."""
    lines: dict[int, tuple[str, int, int]] = {}
    counts: dict[str, int] = defaultdict(int)
    for _, element in etree.iterparse(str(path), events=("start",), tag=MODULE_ELEMENTS):
        tag = str(element.tag)
        lines[element.sourceline] = (tag, counts[tag], counts["Child"] - 1)
        counts[tag] += 1
    return lines


@dataclass
class Files:
    paths: dict[tuple[str, int], Path]  # (LA, collection year) -> file
    origins: dict[Key, str]
    records: dict[str, int]  # module -> records written, over all files


def generate(folder: Path, las: list[str], copies: int) -> Files:
    files = Files(paths={}, origins={}, records=defaultdict(int))
    for census, children in sorted(_children(copies).items()):
        for la_code in las:
            path = folder / f"{la_code}_{census}.xml"
            path.write_bytes(census_xml(children, la_code, census))
            files.paths[(la_code, collection_year(census))] = path
            origins = _origins(children, path.name)
            files.origins.update(origins)
            for _, module, _ in origins:
                files.records[str(module)] += 1
    return files


def project(files: Files, db: Path, codes: list[str]) -> tuple[float, float, dict[str, float], Flagged]:
    """Load with the project's loader; returns load and validation seconds, per-code seconds and
    the rows flagged, keyed as the validator reports them."""
    started = time.perf_counter()
    ordered = sorted(files.paths.items(), key=lambda item: item[0][1])  # each LA's earlier census first
    report = ingest([path for _, path in ordered], db=db,
                    file_la_codes={str(path): la_code for (la_code, _), path in ordered})
    if not report.ok:
        raise SystemExit(f"the project refused the generated files: {report.messages}")
    loaded = time.perf_counter() - started
    lines = {key: _lines(path) for key, path in files.paths.items()}
    rules = [r for r in all_rules() if r.return_name == "cin"]
    flagged: Flagged = {code: [] for code in codes}
    per_code: dict[str, float] = {}
    with write_session(db) as writer:
        started = time.perf_counter()
        found = flag(writer, rules)
        seconds = time.perf_counter() - started
        for key, la_code, year, table, line in found[
            ["rule_key", "la_code", "collection_year", "table_name", "source_row"]
        ].itertuples(index=False):
            code = rules[key].code
            tag, position, child = lines[(la_code, int(year))][int(line)]
            assert tag == TAGS[table], f"{code}: line {line} is a {tag}, not a {table} record"
            name = files.paths[(la_code, int(year))].name
            flagged[code].append([name, CHILD_MODULE, child] if table == "children"
                                 else [name, MODULE_NAMES.get(tag, tag), position])
        for code in codes:
            flagged[code].sort()
            began = time.perf_counter()
            flag(writer, [rule for rule in rules if rule.code == code])
            per_code[code] = time.perf_counter() - began
    return loaded, seconds, per_code, flagged


def _in_module(theirs: Flagged, modules: dict[str, str]) -> tuple[Flagged, dict[str, Rows]]:
    """The validator's rows in each rule's own module, and those it also flags elsewhere."""
    own: Flagged = {}
    elsewhere: dict[str, Rows] = {}
    for code, rows in theirs.items():
        own[code] = [row for row in rows if row[1] == modules.get(code)]
        elsewhere[code] = {tuple(row) for row in rows if row[1] != modules.get(code)}
    return own, elsewhere


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--las", type=int, default=50, help="LAs, each with its own files")
    parser.add_argument("--copies", type=int, default=10, help="repeats of the case set per file")
    parser.add_argument("--out", type=Path, default=HERE / "results_cin.md")
    args = parser.parse_args(argv)
    load_before = os.getloadavg()
    codes = sorted({r.code for r in all_rules() if r.return_name == "cin"})
    las = sorted(local_authorities()["la_code"])[: args.las]
    python = oracle_python()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        files = generate(folder, las, args.copies)
        loaded, ours_seconds, ours_per_code, ours = project(files, folder / "store.duckdb", codes)
        run = subprocess.run([str(python), str(HERE / "validator_cin.py"), str(folder), *codes],
                             check=True, capture_output=True, text=True)
        result = json.loads(run.stdout)
    theirs, elsewhere = _in_module(result["flagged"], result["modules"])

    def other_modules(code: str, _: Rows, __: Rows) -> dict[str, object]:
        counts = pd.Series([row[1] for row in elsewhere.get(code, set())], dtype=object).value_counts()
        return {"validator, other modules": ", ".join(f"{m} {n}" for m, n in sorted(counts.items())) or "-"}

    table = compare(ours, theirs, ours_per_code, result["per_code"], other_modules)
    table.insert(1, "module", [result["modules"].get(code, "?") for code in table["code"]])
    theirs_seconds = result["seconds"]
    agreeing = int((table["agree"] == "yes").sum())
    flagged_total = sum(len(sides(ours, theirs, code)[0]) for code in codes)
    cases = len(CASES) + len(CASES_2025)
    lines = [
        "# CIN oracle: the project's rules against csc-validator-be-cin",
        "",
        f"Run {date.today():%Y-%m-%d} by `python -m tests.oracle.oracle_cin --las {args.las} --copies "
        f"{args.copies}` on {os.cpu_count()} cores, load average {load_average(load_before)} at the "
        f"start and {load_average(os.getloadavg())} at the end. {len(files.paths)} census files "
        f"({len(las)} LAs x "
        f"reference dates 31 March 2023, 2024 and 2025), each holding every one of the {cases} "
        f"hand-made cases of cases_cin.py (breaking and passing) {args.copies} times; records written: "
        + ", ".join(f"{module} {n:,}" for module, n in sorted(files.records.items())) + ".",
        "",
        f"- Rule codes compared: {len(table)}; same rows flagged: {agreeing}; "
        f"differing: {len(table) - agreeing}. Rows flagged by the project: {flagged_total:,}.",
        f"- Validation time, all {len(codes)} codes: project {ours_seconds:.3f} s (one statement evaluating "
        f"every rule version over one store of all {len(las)} LAs; loading the files took {loaded:.2f} s "
        f"more), validator {theirs_seconds:.2f} s (its rule functions file by file, with the deep copy of "
        f"the data it makes for each rule; reading the XML not counted): "
        f"{theirs_seconds / ours_seconds:.0f}x faster.",
    ]
    if result["errors"]:
        lines.append("- The validator's rules that raised: " + "; ".join(
            f"{code} ({message})" for code, message in sorted(result["errors"].items())))
    lines += ["", *markdown_table(table), "",
              "## Where they differ (the hand-made case each differing row comes from)", ""]
    lines += differences(table, ours, theirs, lambda row: files.origins.get(row, "?")) or [
        "Nowhere: every code flags the same rows."]
    lines.append("")
    args.out.write_text("\n".join(lines))
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
