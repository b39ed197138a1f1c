"""The DfE validation rule catalogue: rules are data (rules_903.toml, rules_cin.toml) plus SQL.

Each `[[rule]]` entry is one rule code for a span of collection years (the DfE's rule sets are
versioned by collection year; a code whose logic changed between years has one entry per span,
never overlapping). Codes that differ only in a value (503A-E compare one field each; 361/362 and
363/364 a legal status and its longest spell) share one SQL file named by their codes, and each
entry's optional `params` table gives that SQL its values as named parameters. A record is
checked against the set of its own collection year (2024 is 2023/24). Wording and logic follow the
Data to Insight validators (MIT), which port the DfE's specifications.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import pandas as pd

from metrics.catalogue import load_catalogue

HERE = Path(__file__).resolve().parent
RULE_FILES = {"ssda903": HERE / "rules_903.toml", "cin": HERE / "rules_cin.toml"}
SEVERITIES = ("error", "query")
FIELDS = ("code", "return", "years", "severity", "message", "table", "columns", "indicators", "sql")


@dataclass(frozen=True)
class ValidationRule:
    code: str
    return_name: str
    first_year: int
    last_year: int
    severity: str
    message: str
    table: str
    columns: tuple[str, ...]
    indicators: tuple[str, ...]
    sql_path: Path
    params: tuple[tuple[str, Any], ...] = ()

    def applies_to(self, collection_year: int) -> bool:
        return self.first_year <= collection_year <= self.last_year

    @property
    def sql(self) -> str:
        return self.sql_path.read_text()

    @property
    def parameters(self) -> dict[str, Any]:
        """The named parameters the rule's SQL takes: its collection years and its own `params`."""
        return {"first_year": self.first_year, "last_year": self.last_year, **dict(self.params)}


def _rule(raw: dict[str, Any], source: Path, indicator_ids: set[str]) -> ValidationRule:
    where = f"{source.name}, rule {raw.get('code', '?')}"
    missing = [field for field in FIELDS if field not in raw]
    if missing:
        raise ValueError(f"{where}: missing {', '.join(missing)}")
    years = raw["years"]
    if len(years) != 2 or years[0] > years[1]:
        raise ValueError(f"{where}: years must be [first, last] collection years")
    if raw["severity"] not in SEVERITIES:
        raise ValueError(f"{where}: severity must be error or query")
    if raw["return"] != source.stem.removeprefix("rules_").replace("903", "ssda903"):
        raise ValueError(f"{where}: return {raw['return']} does not belong in this file")
    unknown = sorted(set(raw["indicators"]) - indicator_ids)
    if unknown:
        raise ValueError(f"{where}: unknown indicators {', '.join(unknown)}")
    if not isinstance(raw.get("params", {}), dict):
        raise ValueError(f"{where}: params must be a table of named values")
    sql_path = HERE / raw["sql"]
    if not sql_path.is_file():
        raise ValueError(f"{where}: no SQL file {raw['sql']}")
    return ValidationRule(
        code=str(raw["code"]),
        return_name=raw["return"],
        first_year=int(years[0]),
        last_year=int(years[1]),
        severity=raw["severity"],
        message=raw["message"],
        table=raw["table"],
        columns=tuple(raw["columns"]),
        indicators=tuple(raw["indicators"]),
        sql_path=sql_path,
        params=tuple(sorted(raw.get("params", {}).items())),
    )


def load_rules(files: tuple[Path, ...] = tuple(RULE_FILES.values())) -> list[ValidationRule]:
    """Every rule version in the rule files; raises ValueError naming the entry that is wrong."""
    indicator_ids = set(load_catalogue().ids)
    rules: list[ValidationRule] = []
    for path in files:
        with path.open("rb") as handle:
            raw = tomllib.load(handle)
        rules.extend(_rule(entry, path, indicator_ids) for entry in raw.get("rule", []))
    spans: dict[tuple[str, str], list[ValidationRule]] = {}
    for rule in rules:
        spans.setdefault((rule.return_name, rule.code), []).append(rule)
    for (return_name, code), versions in spans.items():
        versions.sort(key=lambda rule: rule.first_year)
        for before, after in zip(versions, versions[1:], strict=False):
            if after.first_year <= before.last_year:
                raise ValueError(f"{return_name} rule {code}: overlapping collection years")
    return rules


@cache
def all_rules() -> tuple[ValidationRule, ...]:
    return tuple(load_rules())


def rule_catalogue() -> pd.DataFrame:
    """The rules checked, one row per rule version: for the README and the Data page."""
    return pd.DataFrame(
        [
            {
                "code": rule.code,
                "return": rule.return_name,
                "first_year": rule.first_year,
                "last_year": rule.last_year,
                "severity": rule.severity,
                "message": rule.message,
                "indicators": list(rule.indicators),
            }
            for rule in all_rules()
        ],
        columns=["code", "return", "first_year", "last_year", "severity", "message", "indicators"],
    )
