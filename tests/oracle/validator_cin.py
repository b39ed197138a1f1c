"""Run Data to Insight's CIN validator (csc-validator-be-cin) over a folder of CIN census XML files.

Runs inside the oracle's own virtual environment (the validator pins pandas below 2 and numpy
below 1.25), never in the project's. Usage: `python validator_cin.py FOLDER CODE...`; prints JSON
to stdout: {"seconds": validation time, "per_code": {code: seconds}, "modules": {code: the module
the rule is defined on}, "errors": {code: what a rule raised}, "flagged": {code: [[file, module,
row], ...]}}. Each file is checked with the rule set of its own collection year (its ReferenceDate's
reporting year: 31 March 2024 is cin2023_24), as the validator's front end does. A row is the
validator's ROW_ID: the record's position among the file's records of that module (CINdetails,
Assessments, Section47, ChildProtectionPlans, ChildIdentifiers), from 0, in document order.
"""

from __future__ import annotations

import copy
import json
import sys
import time
import xml.etree.ElementTree as ET
from pathlib import Path

import pandas as pd
from cin_validator.cin_validator import convert_data, enum_keys, process_data
from cin_validator.rule_engine import RuleContext
from cin_validator.rules.ruleset_utils import get_year_ruleset


def collection_year(reference: str) -> int:
    day = pd.Timestamp(reference)
    return day.year + (day.month >= 4)


def main(folder: Path, codes: list[str]) -> dict:
    flagged: dict[str, set[tuple[str, str, int]]] = {code: set() for code in codes}
    seconds = dict.fromkeys(codes, 0.0)
    modules: dict[str, str] = {}
    errors: dict[str, str] = {}
    for path in sorted(folder.glob("*.xml")):
        raw = convert_data(ET.parse(path).getroot())
        registry = get_year_ruleset(str(collection_year(raw["Header"]["ReferenceDate"].iloc[0])))
        data = enum_keys(process_data(raw))
        for code in codes:
            rule = registry.get(code)
            if rule is None:
                continue
            modules[code] = rule.module.name
            began = time.perf_counter()
            # a deep copy per rule, as the validator's CinValidator runs them (some rules alter the data)
            context = RuleContext(rule)
            try:
                rule.func(copy.deepcopy(data), context)
            except Exception as error:  # the validator's own runner reports and carries on
                errors[code] = f"{type(error).__name__}: {error}"
            seconds[code] += time.perf_counter() - began
            for issues in (context.type_zero_issues, context.type_one_issues,
                           context.type_two_issues, context.type_three_issues):
                if len(issues):
                    for table, row in zip(issues["tables_affected"], issues["ROW_ID"], strict=True):
                        if not pd.isna(row):
                            flagged[code].add((path.name, str(table), int(row)))
    return {"seconds": sum(seconds.values()), "per_code": seconds, "modules": modules, "errors": errors,
            "flagged": {code: sorted(list(row) for row in rows) for code, rows in flagged.items()}}


if __name__ == "__main__":
    print(json.dumps(main(Path(sys.argv[1]), sys.argv[2:])))
