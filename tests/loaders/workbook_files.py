"""Small performance workbooks and targets files written in code for the loader tests.

A cell is a plain value, or `Fmt(value, "0.0%")` for a value with an Excel number format;
datetimes are written as real Excel dates shown as mmm-yy.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

import xlsxwriter

from loaders.base import IngestContext
from loaders.ingest import IngestReport, ingest
from loaders.store import Reader

TODAY = date(2024, 3, 15)
LA = "929"


@dataclass(frozen=True)
class Fmt:
    value: object
    number_format: str


Rows = list[list[object]]


def write_xlsx(path: Path, sheets: dict[str, Rows]) -> Path:
    book = xlsxwriter.Workbook(str(path))
    formats: dict[str, object] = {}

    def fmt(pattern: str) -> object:
        if pattern not in formats:
            formats[pattern] = book.add_format({"num_format": pattern})
        return formats[pattern]

    for name, rows in sheets.items():
        sheet = book.add_worksheet(name)
        for r, row in enumerate(rows):
            for c, cell in enumerate(row):
                pattern = None
                if isinstance(cell, Fmt):
                    cell, pattern = cell.value, cell.number_format
                if cell is None:
                    continue
                if isinstance(cell, (datetime, date)):
                    when = cell if isinstance(cell, datetime) else datetime(cell.year, cell.month, cell.day)
                    sheet.write_datetime(r, c, when, fmt(pattern or "mmm-yy"))
                elif isinstance(cell, bool):
                    sheet.write_boolean(r, c, cell)
                elif isinstance(cell, (int, float)):
                    sheet.write_number(r, c, cell, fmt(pattern) if pattern else None)
                else:
                    sheet.write_string(r, c, str(cell))
    book.close()
    return path


def write_csv(path: Path, rows: list[list[str]], encoding: str = "utf-8") -> Path:
    def quoted(text: str) -> str:
        return f'"{text}"' if any(ch in text for ch in ',"\n') else text

    text = "\r\n".join(",".join(quoted(str(v)) for v in row) for row in rows) + "\r\n"
    path.write_bytes(text.encode(encoding))
    return path


def months(first: date, count: int) -> list[datetime]:
    found = []
    year, month = first.year, first.month
    for _ in range(count):
        found.append(datetime(year, month, 1))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return found


def load(
    paths: list[Path] | Path, db: Path, la_code: str | None = LA, today: date = TODAY, kind: str | None = None
) -> IngestReport:
    items = paths if isinstance(paths, list) else [paths]
    return ingest(items, db=db, la_code=la_code, today=today, kind=kind)


def kpis(db: Path) -> dict[tuple[str, str, str], tuple[float | None, str]]:
    """Current values keyed by (indicator_id, 'YYYY-MM', period_type) -> (value, status)."""
    rows = Reader(db).query("select indicator_id, period_end, period_type, value, status from kpi")
    return {
        (r.indicator_id, f"{r.period_end:%Y-%m}", r.period_type): (
            None if r.value != r.value else r.value,
            r.status,
        )
        for r in rows.itertuples()
    }


def context(version: int = 1, la_code: str | None = LA) -> IngestContext:
    return IngestContext(batch_id=f"test-{version}", version=version, today=TODAY, la_code=la_code)


def base_workbook(path: Path, value: float = 0.081) -> Path:
    """A plain one-sheet book: repeat CP plans (percent format) and a count, Apr-Jun 2023."""
    return write_xlsx(
        path,
        {
            "Performance": [
                ["Monthly performance book"],
                ["Indicator", *months(date(2023, 4, 1), 3)],
                ["Repeat CP plans", Fmt(value, "0.0%"), Fmt(0.1, "0.0%"), Fmt(0.12, "0.0%")],
                ["Number of contacts", 37, 41, 39],
            ]
        },
    )
