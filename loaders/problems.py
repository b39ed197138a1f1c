"""What went wrong with an input file, said so that an analyst can fix it.

Every loader reports problems as `Problem`s naming the file and, where it applies, the sheet,
cell or row, the column, the value found and what was expected. Child-level files never put
identifying values (child ids, dates of birth, postcodes, UPNs) into a message: their loaders
pass `value=None` for those columns, and the row and column still say where to look. As a second
line, whatever the column, every message passes through `redact` when it is turned into text (for
the terminal, the load log and the data-quality findings): anything that looks like an identifier,
a date or a postcode is replaced by a placeholder. `safe_name` keeps control characters and
terminal escape codes in file names out of the terminal and the log; `capped` keeps the first
MAX_PER_RULE problems of each kind per file and counts the rest.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

import pandas as pd

MAX_PER_RULE = 20

_REDACTIONS = (
    # dates: 2024-03-31, 31/03/2024, 31.03.24, 2024-03-31T10:00, 20240331
    (re.compile(r"\b\d{1,4}[-/.]\d{1,2}[-/.]\d{1,4}(?:[T ]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?\b"), "<date>"),
    (re.compile(r"\b\d{1,2}[- ](?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*[- ]\d{2,4}\b", re.I),
     "<date>"),
    # UK postcodes, with or without the space
    (re.compile(r"\b[A-Z]{1,2}\d[A-Z\d]?\s*\d[A-Z]{2}\b", re.I), "<postcode>"),
    # UPNs and child ids: a letter, then letters and 2+ digits, 4+ characters (C001, A123456789012)
    (re.compile(r"\b(?!SSDA903\b)(?=[A-Z0-9]*[A-Z])(?=(?:[A-Z]*\d){2})[A-Z][A-Z0-9]{3,}\b", re.I), "<id>"),
    # long digit strings (ids, NHS numbers, dates written as digits)
    (re.compile(r"\b\d{6,}\b"), "<number>"),
)
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def redact(text: str) -> str:
    """`text` with anything that looks like an identifier, a date or a postcode replaced."""
    for pattern, placeholder in _REDACTIONS:
        text = pattern.sub(placeholder, text)
    return safe_name(text)


def safe_name(name: str) -> str:
    """A file name (or any text) with control characters and escape codes shown as '?'."""
    return _CONTROL.sub("?", str(name))


def capped(problems: Iterable[Problem], limit: int = MAX_PER_RULE) -> list[Problem]:
    """The first `limit` problems of each (file, message), then one line counting the rest."""
    kept: list[Problem] = []
    counts: Counter[tuple[str, str]] = Counter()
    for problem in problems:
        key = (problem.file, problem.message)
        counts[key] += 1
        if counts[key] <= limit:
            kept.append(problem)
    for (file, message), count in counts.items():
        if count > limit:
            kept.append(
                Problem(
                    file=file,
                    message=f"{count - limit:,} more rows with the same problem ({message}); "
                    f"first {limit} shown",
                )
            )
    return kept


@dataclass(frozen=True)
class Problem:
    file: str
    message: str
    sheet: str | None = None
    cell: str | None = None
    row: int | None = None
    column: str | None = None
    value: str | None = None
    expected: str | None = None
    severity: str = "error"

    @property
    def location(self) -> str:
        parts = []
        if self.sheet is not None:
            parts.append(f"sheet '{self.sheet}'")
        if self.cell is not None:
            parts.append(f"cell {self.cell}")
        elif self.row is not None:
            parts.append(f"row {self.row}")
        if self.column is not None and self.cell is None:
            parts.append(f"column {redact(self.column)}")
        return ", ".join(parts)

    def __str__(self) -> str:
        text = safe_name(self.file)
        if self.location:
            text += f": {self.location}"
        text += f": {redact(self.message)}"
        if self.value is not None:
            text += f" (found {redact(repr(self.value))}"
            text += f"; expected {self.expected})" if self.expected else ")"
        elif self.expected:
            text += f" (expected {self.expected})"
        return text


class LoadFailed(Exception):
    """A file (or an ingest) could not be loaded; carries every problem found."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems = list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


@dataclass
class Findings:
    """Non-fatal data-quality findings collected while loading (stored, shown on the Data page)."""

    items: list[Problem] = field(default_factory=list)

    def add(self, problem: Problem) -> None:
        self.items.append(problem)

    def extend(self, problems: Iterable[Problem]) -> None:
        self.items.extend(problems)


def excel_cell(row_index: int, col_index: int) -> str:
    """Excel A1 reference for 0-based row and column indexes (0, 0 -> 'A1')."""
    letters = ""
    col = col_index + 1
    while col:
        col, rem = divmod(col - 1, 26)
        letters = chr(65 + rem) + letters
    return f"{letters}{row_index + 1}"


def problems_from_schema_errors(
    file: str,
    failure_cases: pd.DataFrame,
    expectations: dict[str, str],
    redact: Iterable[str] = (),
    first_data_row: int = 2,
    limit: int = 50,
) -> list[Problem]:
    """Turn a pandera `SchemaErrors.failure_cases` frame into readable problems.

    `expectations` maps column name to a phrase for what a valid value looks like; `redact` names
    columns whose values are personal and never quoted; `first_data_row` is the file row number of
    frame index 0 (2 for a CSV with one header row).
    """
    redacted = set(redact)
    problems: list[Problem] = []
    for case in failure_cases.itertuples(index=False):
        column = None if pd.isna(case.column) else str(case.column)
        index = getattr(case, "index", None)
        row = None if index is None or pd.isna(index) else int(index) + first_data_row
        value = None if column in redacted or pd.isna(case.failure_case) else str(case.failure_case)
        expected = expectations.get(column or "", str(case.check))
        if column is not None and row is None and str(case.check).startswith("column_in_"):
            message = f"missing column {case.failure_case!r}"
            value = None
        else:
            message = "invalid value" if column else str(case.check)
        problems.append(
            Problem(file=file, message=message, row=row, column=column, value=value, expected=expected)
        )
        if len(problems) >= limit:
            problems.append(Problem(file=file, message=f"more problems not listed (first {limit} shown)"))
            break
    return problems
