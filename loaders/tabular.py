"""Small typed lists (caseload lists, improvement plans) read from CSV or Excel as text grids.

People keep these lists in a workbook or a CSV, sometimes with title rows above the header and with
headers spelt their own way. Each loader names its columns (header aliases, required and optional
columns); this module finds the header row among the first rows of any sheet and hands back the text
below it, blanks as '', so that the schema can report every bad cell with its row and column.
"""

from __future__ import annotations

import csv
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from loaders.problems import LoadFailed, Problem
from loaders.reading import csv_encoding
from loaders.schemas.typed_text import normalise_header

HEADER_SEARCH_ROWS = 15
EXCEL_SUFFIXES = (".xlsx", ".xlsm", ".xls")

TextSheet = tuple[str | None, pd.DataFrame]
# (sheet, header row index, the rows under the header named by column)
FoundTable = tuple[str | None, int, pd.DataFrame]


@dataclass(frozen=True)
class Columns:
    """The columns of one kind of list: header as typed (normalised) -> column name."""

    aliases: Mapping[str, str]
    required: Sequence[str]
    optional: Sequence[str]

    def by_position(self, cells: Sequence[object]) -> dict[int, str]:
        """Position -> column name for the cells of a candidate header row."""
        found: dict[int, str] = {}
        for position, cell in enumerate(cells):
            name = self.aliases.get(normalise_header(cell))
            if name is not None and name not in found.values():
                found[position] = name
        return found

    def is_header(self, cells: Sequence[object]) -> bool:
        return set(self.required) <= set(self.by_position(cells).values())


def read_text_sheets(path: Path) -> list[TextSheet]:
    """The file's sheets (one unnamed sheet for a CSV) as text grids, blanks as ''."""
    if path.suffix.lower() in EXCEL_SUFFIXES:
        sheets = pd.read_excel(path, engine="calamine", header=None, dtype=str, sheet_name=None)
        return [(str(name), frame.fillna("")) for name, frame in sheets.items()]
    frame = pd.read_csv(
        path, header=None, dtype=str, keep_default_na=False, encoding=csv_encoding(path),
        skip_blank_lines=False,
    )
    return [(None, frame)]


def read_sheets(path: Path, name: str, expected: str) -> list[TextSheet]:
    """read_text_sheets, or LoadFailed naming what the file should have been (`expected`)."""
    try:
        return read_text_sheets(path)
    except (ValueError, OSError, UnicodeDecodeError, pd.errors.ParserError) as error:
        raise LoadFailed(
            [
                Problem(
                    file=name,
                    message=f"cannot read the file ({type(error).__name__})",
                    expected=expected,
                )
            ]
        ) from error


def table_under_header(sheets: list[TextSheet], columns: Columns) -> FoundTable | None:
    """(sheet, header row index, non-blank rows under it named by column) for the first header, or None.

    The rows keep their position under the header as index (0 = the row just below it); optional
    columns the file lacks are added, blank.
    """
    for sheet, grid in sheets:
        for header_index in range(min(HEADER_SEARCH_ROWS, len(grid))):
            cells = grid.iloc[header_index].tolist()
            if not columns.is_header(cells):
                continue
            found = columns.by_position(cells)
            body = grid.iloc[header_index + 1 :, list(found)].copy()
            body.columns = [found[p] for p in found]
            body = body.map(lambda v: str(v).strip())
            body = body[(body != "").any(axis=1)]
            body.index = body.index - (header_index + 1)
            for optional in columns.optional:
                if optional not in body.columns:
                    body[optional] = ""
            return sheet, header_index, body
    return None


def find_table(path: Path, name: str, columns: Columns, *, kind: str, whose: str) -> FoundTable:
    """(sheet, header row index, rows under the header by column name), or LoadFailed saying the file
    is not `a CSV or Excel {kind}` or has no header row with `{whose} columns`."""
    sheets = read_sheets(path, name, expected=f"a CSV or Excel {kind}")
    found = table_under_header(sheets, columns)
    if found is not None:
        return found
    expected = "columns " + ", ".join(columns.required) + " (optional: " + ", ".join(columns.optional) + ")"
    raise LoadFailed(
        [Problem(file=name, message=f"no header row with {whose} columns", expected=expected)]
    )


def sniff_header(
    path: Path,
    head: bytes,
    columns: Columns,
) -> bool:
    """True when a header row is among the first rows of a sheet, or of a CSV's first bytes."""
    if path.suffix.lower() in EXCEL_SUFFIXES:
        try:
            sheets = pd.read_excel(
                path, engine="calamine", header=None, dtype=str, sheet_name=None, nrows=HEADER_SEARCH_ROWS
            )
        except Exception:
            return False
        return any(
            columns.is_header(row.tolist())
            for grid in sheets.values()
            for _, row in grid.fillna("").iterrows()
        )
    if path.suffix.lower() not in (".csv", ".txt"):
        return False
    text = head.decode("utf-8-sig", errors="replace")
    lines = text.splitlines()[:HEADER_SEARCH_ROWS]
    return any(columns.is_header(cells) for cells in csv.reader(lines))
