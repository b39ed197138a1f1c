"""What went wrong with an input file, said so that an analyst can fix it.

Every loader reports problems as `Problem`s naming the file and, where it applies, the sheet,
cell or row, the column, the value found and what was expected. Child-level files never put
identifying values (child ids, dates of birth, postcodes, UPNs) into a message: their loaders
pass `value=None` for those columns, and the row and column still say where to look.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

import pandas as pd


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
            parts.append(f"column {self.column}")
        return ", ".join(parts)

    def __str__(self) -> str:
        text = self.file
        if self.location:
            text += f": {self.location}"
        text += f": {self.message}"
        if self.value is not None:
            text += f" (found {self.value!r}"
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
