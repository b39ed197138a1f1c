"""The LA's monthly performance workbook: indicators as rows, months as columns.

Real performance books are laid out for people, not programs: title rows above the table, month
headers typed as text ("Apr-23", "April 2023", "2023-04") or entered as Excel dates, percentages
stored as fractions and shown through a cell format (0.081 shown as 8.1%), text such as "8.1%",
"n/a" and "-", notes under the table, and several sheets. This loader reads the sheet as a grid of
cells with their number formats (openpyxl, which keeps formats; CSVs are decoded as
loaders.reading.csv_encoding finds: UTF-8, with or without BOM, UTF-16 or Windows-1252), finds
each table by its header row (the first row with two or more month headers), and loads the value
the user sees in each cell: 8.1% loads as 8.1, a count 37 as 37, rounded as the cell's format
shows it.

Cell conventions (the same in every sheet):
- blank, "n/a", "na", "-", "–" and ".." mean "no figure": nothing is stored for that month;
- the DfE suppression symbols c, k, u, x and z are stored as the status with no value;
- #DIV/0! and #N/A (a formula with nothing to divide yet) are skipped with a warning finding;
  any other text is a problem naming the sheet, cell and value;
- months after the current month may be in the header (a year's template) but must be empty;
- no figure is negative, and a percentage (a cell shown as one, or a % indicator) is at most 100;
  a % indicator whose figures are all between 0 and 1 loads as typed, with a warning finding.
Month names without a year ("Apr", "May") are dated from a row of calendar years just above or a
reporting year such as "2023/24" in a title row or the sheet name.

Rows are matched to the indicator catalogue by id, name or alias (case and punctuation do not
matter, a leading reference such as "3." is ignored); other rows are kept as local indicators
(`local:` + normalised name). Optional columns: Target (stored in the targets table for every
reporting year the table's months cover), Polarity (for local indicators), Period type / Measure
type (month, ytd, rolling 12 months, snapshot; the default is month, or the indicator's own period
type when the catalogue says it is never monthly, e.g. caseloads are month-end snapshots), Unit and
LA code. Everything is validated before anything is written.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

import openpyxl
import pandas as pd
import pandera.pandas as pa

from loaders.base import (
    IngestContext,
    LoadOutcome,
    is_known_la,
    local_authorities,
    record_findings,
    record_kpis,
    stored_la_code,
)
from loaders.problems import LoadFailed, Problem, excel_cell
from loaders.reading import csv_encoding
from loaders.schemas.workbook import CHECK_MESSAGES, workbook_values_schema
from loaders.store import Writer
from metrics.catalogue import Indicator, load_catalogue, normalise_name
from metrics.periods import month_end, reporting_year_end

KIND = "performance_workbook"
SOURCE = "performance workbook"
EXCEL_EXTENSIONS = (".xlsx", ".xlsm")
EXTENSIONS = (*EXCEL_EXTENSIONS, ".csv")
SNIFF_ROWS = 40

NO_FIGURE = {"", "n/a", "na", "n.a", "n.a.", "-", "–", "—", "..", "not applicable", "not available"}
SUPPRESSION = {"c", "k", "u", "x", "z"}
SKIPPED_ERRORS = {"#div/0!", "#n/a"}
MONTHS = {
    "jan": 1,
    "feb": 2,
    "mar": 3,
    "apr": 4,
    "may": 5,
    "jun": 6,
    "jul": 7,
    "aug": 8,
    "sep": 9,
    "sept": 9,
    "oct": 10,
    "nov": 11,
    "dec": 12,
}
MONTH_NAMES = {
    **MONTHS,
    "january": 1,
    "february": 2,
    "march": 3,
    "april": 4,
    "june": 6,
    "july": 7,
    "august": 8,
    "september": 9,
    "october": 10,
    "november": 11,
    "december": 12,
}
NOT_MONTH_WORDS = {
    "target",
    "targets",
    "year",
    "ytd",
    "total",
    "average",
    "avg",
    "outturn",
    "quarter",
    "baseline",
    "actual",
    "forecast",
    "budget",
    "fy",
    "q",
    "qtr",
    "england",
    "eng",
    "region",
    "sn",
    "rolling",
}
PERIOD_TYPE_WORDS = {
    "month": "month",
    "monthly": "month",
    "in month": "month",
    "month only": "month",
    "ytd": "ytd",
    "year to date": "ytd",
    "cumulative": "ytd",
    "rolling 12 months": "rolling_12m",
    "rolling 12 month": "rolling_12m",
    "rolling 12m": "rolling_12m",
    "rolling_12m": "rolling_12m",
    "rolling year": "rolling_12m",
    "r12": "rolling_12m",
    "rolling": "rolling_12m",
    "last 12 months": "rolling_12m",
    "snapshot": "snapshot",
    "at month end": "snapshot",
    "month end": "snapshot",
    "position": "snapshot",
    "snapshot at month end": "snapshot",
}
POLARITY_WORDS = {
    "high": "High",
    "higher": "High",
    "higher is better": "High",
    "high is good": "High",
    "higher is good": "High",
    "h": "High",
    "up": "High",
    "bigger is better": "High",
    "low": "Low",
    "lower": "Low",
    "lower is better": "Low",
    "low is good": "Low",
    "lower is good": "Low",
    "l": "Low",
    "down": "Low",
    "smaller is better": "Low",
    "none": "none",
    "no polarity": "none",
    "neither": "none",
    "n a": "none",
    "": "none",
}
COLUMN_ROLES = {
    "label": {
        "indicator",
        "indicators",
        "measure",
        "measures",
        "kpi",
        "indicator name",
        "measure name",
        "description",
        "metric",
        "performance indicator",
        "indicator description",
        "name",
        "performance measure",
        "key performance indicator",
    },
    "target": {"target", "targets", "annual target", "target for the year", "year target"},
    "polarity": {
        "polarity",
        "good is",
        "good performance is",
        "higher or lower is better",
        "better is",
        "direction of good",
        "good",
    },
    "period_type": {"period type", "measure type", "type of measure", "reporting period type", "period"},
    "la_code": {"la code", "la", "la number", "local authority code", "la_code", "la no"},
    "unit": {"unit", "units", "format"},
    "ignored": {"ref", "ref no", "reference", "no", "number", "id", "code", "kpi ref", "indicator ref"},
}


@dataclass(frozen=True)
class Cell:
    """One cell as the user sees it: its value and (Excel only) its number format."""

    value: object
    number_format: str | None = None


@dataclass
class Sheet:
    name: str | None
    rows: list[list[Cell]]


@dataclass(frozen=True)
class Number:
    """A cell read as a figure: value (None for a suppressed or absent figure) and status."""

    value: float | None
    status: str = ""
    percent: bool = False


@dataclass
class Table:
    """One indicator table found in a sheet: where its header is and what each column holds."""

    sheet: Sheet
    header_row: int
    months: dict[int, date]
    roles: dict[str, int] = field(default_factory=dict)
    label_column: int = 0
    # False when no column before the months is headed as the indicator or holds text names
    labelled: bool = True


class CellUnreadable(ValueError):
    """A cell's content is not a figure; the message says what was expected."""


# ---------------------------------------------------------------------------------------------
# Reading files into grids of cells


def read_grid(path: Path, name: str) -> list[Sheet]:
    """Every sheet of an .xlsx/.xlsm workbook, or the single table of a CSV, as cells."""
    suffix = path.suffix.lower()
    if suffix == ".csv":
        return [read_csv_sheet(path, name)]
    if suffix in EXCEL_EXTENSIONS:
        return read_excel_sheets(path, name)
    raise LoadFailed(
        [
            Problem(
                file=name,
                message=f"cannot read a {suffix or 'extensionless'} file here",
                expected="an Excel workbook (.xlsx) or a CSV file",
            )
        ]
    )


def check_file(path: Path, name: str, *, kind_phrase: str, expected: str) -> None:
    """Refuse a file that is not .xlsx/.xlsm/.csv ("<kind_phrase> cannot be a .pdf file") or is empty."""
    if path.suffix.lower() not in EXTENSIONS:
        raise LoadFailed(
            [
                Problem(
                    file=name,
                    message=f"{kind_phrase} cannot be a {path.suffix or 'extensionless'} file",
                    expected=expected,
                )
            ]
        )
    if path.stat().st_size == 0:
        raise LoadFailed([Problem(file=name, message="the file is empty")])


def sniff_sheets(path: Path, head: bytes, max_rows: int) -> list[Sheet]:
    """The first `max_rows` rows of each sheet, for recognising a file; [] if it cannot be one."""
    suffix = path.suffix.lower()
    if suffix not in EXTENSIONS:
        return []
    try:
        if suffix == ".csv":
            return [Sheet(None, padded(head_rows(head, max_rows)))]
        return read_excel_sheets(path, path.name, max_rows=max_rows)
    except LoadFailed:
        return []


def read_excel_sheets(path: Path, name: str, max_rows: int | None = None) -> list[Sheet]:
    """Every worksheet as cells with their number formats (the first `max_rows` rows if given)."""
    sheets: list[Sheet] = []
    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
        try:
            for worksheet in book.worksheets:
                sheets.append(Sheet(worksheet.title, padded(_sheet_rows(worksheet, max_rows))))
        finally:
            book.close()
    except Exception as error:  # openpyxl raises many types for damaged files
        raise LoadFailed(
            [
                Problem(
                    file=name,
                    message=f"cannot open it as an Excel workbook ({type(error).__name__}): "
                    "the file is damaged, truncated or not really .xlsx",
                    expected="a workbook saved by Excel as .xlsx",
                )
            ]
        ) from None
    return sheets


BLANK_ROWS_ENDING_A_SHEET = 1000


def _sheet_rows(worksheet: Any, max_rows: int | None = None) -> list[list[Cell]]:
    """A sheet's cells, ignoring formatted-but-empty cells right of and below the data.

    The sheet's recorded dimensions are dropped first: a sheet formatted out to column XFD would
    otherwise give every row sixteen thousand empty cells.
    """
    worksheet.reset_dimensions()
    rows: list[list[Cell]] = []
    blank_run = 0
    for row in worksheet.iter_rows():
        cells = [Cell(cell.value, getattr(cell, "number_format", None)) for cell in row]
        while cells and _is_blank(cells[-1].value):
            cells.pop()
        rows.append(cells)
        blank_run = 0 if cells else blank_run + 1
        if blank_run >= BLANK_ROWS_ENDING_A_SHEET or (max_rows is not None and len(rows) >= max_rows):
            break
    return rows


def read_csv_sheet(path: Path, name: str) -> Sheet:
    text = path.read_text(encoding=csv_encoding(path, name))
    if not text.strip():
        raise LoadFailed([Problem(file=name, message="the file is empty")])
    try:
        rows = csv_rows(text)
    except csv.Error as error:
        raise LoadFailed(
            [Problem(file=name, message=f"cannot read it as CSV ({error})", expected="comma-separated text")]
        ) from None
    return Sheet(None, padded(rows))


def csv_rows(text: str, limit: int | None = None) -> list[list[Cell]]:
    """CSV text as rows of cells; the delimiter (comma, semicolon or tab) is the commonest one."""
    sample = text.splitlines()[:20]
    delimiter = max((",", ";", "\t"), key=lambda d: sum(line.count(d) for line in sample))
    lines = io.StringIO(text) if limit is None else iter(text.splitlines()[:limit])
    return [[Cell(value) for value in row] for row in csv.reader(lines, delimiter=delimiter)]


def head_rows(head: bytes, limit: int) -> list[list[Cell]]:
    """The first rows of a CSV from its first bytes, for recognising it (never raises)."""
    if b"\x00" in head:
        return []
    try:
        text = head.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        cut = head[: error.start] if error.start > len(head) - 4 else None
        text = cut.decode("utf-8-sig") if cut is not None else head.decode("cp1252", errors="replace")
    try:
        return csv_rows(text, limit)
    except csv.Error:
        return []


def padded(rows: list[list[Cell]]) -> list[list[Cell]]:
    while rows and all(_is_blank(cell.value) for cell in rows[-1]):
        rows.pop()
    width = max((len(row) for row in rows), default=0)
    return [row + [Cell(None)] * (width - len(row)) for row in rows]


def _is_blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def cell_place(sheet: str | None, ref: str) -> str:
    """Where a cell is, for messages: "sheet 'KPIs' cell D7", or "cell D7" in a CSV."""
    return f"sheet '{sheet}' cell {ref}" if sheet else f"cell {ref}"


def cell_text(value: object) -> str:
    """A cell value as text for labels and messages (dates as ISO, whole floats without .0)."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() else value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


# ---------------------------------------------------------------------------------------------
# Months


_MONTH_WORD = re.compile(r"^([a-z]+)\.?[\s\-/'.]*('?\d{2}|\d{4})$")
_YEAR_MONTH = re.compile(r"^(\d{4})-(\d{1,2})$")
_YEAR_SLASH_NUMBER = re.compile(r"^(\d{4})[-/.](\d{1,2})$")
_ISO_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ t]00:00(?::00)?)?$")
_UK_DATE = re.compile(r"^(\d{1,2})[/.](\d{1,2})[/.](\d{4})(?: 00:00(?::00)?)?$")
_MONTH_YEAR_NUMERIC = re.compile(r"^(\d{1,2})[-/.](\d{4})$")


def _is_reporting_year(match: re.Match[str]) -> bool:
    """'2023-24' is the reporting year 2023/24, not a month."""
    start, end = int(match.group(1)), match.group(2)
    return len(end) == 2 and int(end) == (start + 1) % 100


def _year(text: str) -> int:
    digits = int(text.lstrip("'"))
    return 2000 + digits if digits < 100 else digits


def parse_month(value: object) -> date | None:
    """The month end a header cell names, or None: Excel dates and common text forms.

    "Apr-23", "Apr 23", "April 2023", "Sept-2023", "2023-04", "2023-04-01", "01/04/2023" (UK),
    "04/2023".
    """
    if isinstance(value, datetime):
        return month_end(value.date())
    if isinstance(value, date):
        return month_end(value)
    if not isinstance(value, str):
        return None
    text = value.strip().lower()
    found: tuple[int, int] | None = None
    if match := _MONTH_WORD.match(text):
        month = MONTH_NAMES.get(match.group(1))
        if month is not None:
            found = (_year(match.group(2)), month)
    elif match := _YEAR_MONTH.match(text):
        found = (int(match.group(1)), int(match.group(2)))  # "2011-12" is December 2011
    elif match := _ISO_DATE.match(text):
        found = (int(match.group(1)), int(match.group(2)))
        found = found if _valid_day(found, int(match.group(3))) else None
    elif match := _UK_DATE.match(text):
        found = (int(match.group(3)), int(match.group(2)))
        found = found if _valid_day(found, int(match.group(1))) else None
    elif match := _MONTH_YEAR_NUMERIC.match(text):
        found = (int(match.group(2)), int(match.group(1)))
    if found is None or not 1 <= found[1] <= 12 or not 1990 <= found[0] <= 2100:
        return None
    return month_end(date(found[0], found[1], 1))


def _valid_day(year_month: tuple[int, int], day: int) -> bool:
    year, month = year_month
    if not 1 <= month <= 12 or not 1990 <= year <= 2100:
        return False
    return 1 <= day <= month_end(date(year, month, 1)).day


def looks_like_a_month(value: object) -> bool:
    """True for header text that is evidently meant as a month or date but is not one.

    "Jnu-23", "Febuary 2023", "2023-13", "31/02/2023" are; "Target 2024", "YTD", "2023-24" (a
    reporting year) and "Comments" are not.
    """
    if not isinstance(value, str) or parse_month(value) is not None:
        return False
    text = value.strip().lower()
    if match := _MONTH_WORD.match(text):
        return match.group(1) not in NOT_MONTH_WORDS and 3 <= len(match.group(1)) <= 9
    if match := _YEAR_SLASH_NUMBER.match(text):
        return not _is_reporting_year(match)
    return bool(_ISO_DATE.match(text) or _UK_DATE.match(text) or _MONTH_YEAR_NUMERIC.match(text))


def month_columns(row: list[Cell]) -> dict[int, date]:
    return {i: m for i, cell in enumerate(row) if (m := parse_month(cell.value)) is not None}


def is_month_header(row: list[Cell]) -> bool:
    return len(month_columns(row)) >= 2


# ---------------------------------------------------------------------------------------------
# Figures


def _format_section(number_format: str | None) -> str:
    if not number_format:
        return "general"
    section = number_format.split(";")[0]
    section = re.sub(r'"[^"]*"|\[[^\]]*\]|\\.|_.|\*.', "", section)
    return section.lower()


def _decimals(section: str) -> int | None:
    if "general" in section or not re.search(r"[0#?]", section):
        return None
    match = re.search(r"\.([0#?]+)", section)
    return len(match.group(1)) if match else 0


_THOUSANDS = re.compile(r"-?\d{1,3}(?:,\d{3})+(?:\.\d+)?")


def _as_shown(number: float, decimals: int | None) -> float:
    """Round as Excel shows it: half away from zero, from 15 significant digits."""
    exact = Decimal(f"{number:.15g}")
    if decimals is None:
        return float(f"{exact:.10g}")
    return float(exact.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP))


def read_figure(
    cell: Cell, what: str, problems: list[Problem], *, file: str, sheet: str | None, ref: str
) -> Number | None:
    """parse_number for one cell; when it is unreadable, a problem "cannot read this <what>" and None."""
    try:
        return parse_number(cell.value, cell.number_format)
    except CellUnreadable as unreadable:
        problems.append(
            Problem(
                file=file,
                sheet=sheet,
                cell=ref,
                message=f"cannot read this {what}",
                value=cell_text(cell.value),
                expected=str(unreadable),
            )
        )
        return None


def parse_number(value: object, number_format: str | None = None) -> Number | None:
    """A cell as the figure the user sees, None when it holds no figure.

    Numbers are scaled by 100 when the cell is formatted as a percentage and rounded to the
    decimals the format shows. Raises CellUnreadable for anything else.
    """
    if value is None:
        return None
    if isinstance(value, bool):
        raise CellUnreadable("a number, not TRUE/FALSE")
    if isinstance(value, (int, float)):
        section = _format_section(number_format)
        percent = "%" in section
        number = float(value) * 100 if percent else float(value)
        decimals = _decimals(section)
        number = _as_shown(number, decimals)
        return Number(number + 0.0, "", percent)
    if isinstance(value, (datetime, date)):
        raise CellUnreadable("a number, not a date")
    text = str(value).strip().replace("\u00a0", " ")
    lowered = text.lower()
    if lowered in NO_FIGURE:
        return None
    if lowered in SUPPRESSION:
        return Number(None, lowered, False)
    if lowered in SKIPPED_ERRORS:
        return None
    percent = lowered.endswith("%")
    digits = lowered.removesuffix("%").strip()
    if _THOUSANDS.fullmatch(digits):
        digits = digits.replace(",", "")
    try:
        number = float(digits)
    except ValueError:
        raise CellUnreadable("a number, a percentage such as 8.1%, blank, n/a, or c/k/u/x/z") from None
    if number != number or number in (float("inf"), float("-inf")):
        raise CellUnreadable("a finite number")
    return Number(number + 0.0, "", percent)


# ---------------------------------------------------------------------------------------------
# Finding the tables


def strip_reference(label: str) -> str:
    """'3. Rate of ...' -> 'Rate of ...'; 'CP1 - Repeat plans' -> 'Repeat plans'."""
    return re.sub(r"^\s*(?:\d+[a-z]?|[a-z]{1,4}\d+[a-z]?)\s*[.):\-]\s*", "", label, flags=re.I).strip()


def _ascii(text: str) -> str:
    """'Café – visits' -> 'Cafe - visits': accents folded so they survive name normalising."""
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")


def match_indicator(label: str) -> Indicator | None:
    catalogue = load_catalogue()
    plain = _ascii(label)
    return catalogue.match(plain) or catalogue.match(strip_reference(plain))


def label_says_percent(label: str) -> bool:
    """'% of care leavers in touch', 'Percentage of ...' name a percentage."""
    text = strip_reference(label).lower()
    return text.startswith("%") or text.startswith("percentage") or text.endswith("(%)")


def local_indicator_id(label: str) -> str:
    plain = _ascii(label)
    return "local:" + normalise_name(strip_reference(plain) or plain)


def _role(header: object) -> str | None:
    text = normalise_name(cell_text(header))
    for role, names in COLUMN_ROLES.items():
        if text in names:
            return role
    if text.startswith("target"):
        return "target"
    return None


_YEAR_PAIR = re.compile(r"(?<!\d)(\d{4})\s*[/\-]\s*(\d{4}|\d{2})(?!\d)")
_SHORT_YEAR_PAIR = re.compile(r"(?<!\d)(\d{2})\s*/\s*(\d{2})(?!\d)")


def reporting_year_in(text: str) -> int | None:
    """The year end of a reporting year written in text: '2023/24', 'FY 2023-2024', '23/24' -> 2024."""
    if match := _YEAR_PAIR.search(text):
        start, end = int(match.group(1)), int(match.group(2)[-2:])
        return start + 1 if end == (start + 1) % 100 else None
    if match := _SHORT_YEAR_PAIR.search(text):
        start, end = int(match.group(1)), int(match.group(2))
        return 2000 + end if end == (start + 1) % 100 else None
    return None


def _bare_month(value: object) -> int | None:
    return MONTH_NAMES.get(value.strip().lower().rstrip(".")) if isinstance(value, str) else None


def _calendar_year(value: object) -> int | None:
    if isinstance(value, (int, float)) and not isinstance(value, bool) and float(value).is_integer():
        return int(value) if 1990 <= value <= 2100 else None
    if isinstance(value, str) and re.fullmatch(r"\s*(19|20)\d{2}\s*", value):
        return int(value)
    return None


def yearless_months(sheet: Sheet, index: int) -> dict[int, date] | None:
    """Month names without a year ("Apr", "May", ...), dated from the rows above.

    A row of calendar years just above (2023 over Apr-Dec, 2024 over Jan-Mar, merged cells) gives
    each column its year; otherwise a reporting year such as "2023/24" in a title row above or in
    the sheet name places April-December in its first year and January-March in its second.
    Returns None when the row has fewer than two month names, {} when no year can be found.
    """
    bare = {c: m for c, cell in enumerate(sheet.rows[index]) if (m := _bare_month(cell.value)) is not None}
    if len(bare) < 2:
        return None
    if index > 0:
        years: dict[int, int | None] = {}
        current: int | None = None
        for column, cell in enumerate(sheet.rows[index - 1]):
            found = _calendar_year(cell.value)
            current = found if found is not None else current
            years[column] = current
        if all(years.get(c) is not None for c in bare):
            return {c: month_end(date(years[c] or 0, m, 1)) for c, m in bare.items()}
    texts = [cell_text(cell.value) for row in sheet.rows[max(0, index - 6) : index] for cell in row]
    year_end = next((y for t in reversed(texts) if (y := reporting_year_in(t)) is not None), None)
    if year_end is None and sheet.name:
        year_end = reporting_year_in(sheet.name)
    if year_end is None:
        return {}
    return {c: month_end(date(year_end - 1 if m >= 4 else year_end, m, 1)) for c, m in bare.items()}


def find_tables(sheet: Sheet, undated: list[int] | None = None) -> list[Table]:
    """Every indicator table in the sheet; rows of month names with no year go in `undated`."""
    tables = []
    for index, row in enumerate(sheet.rows):
        months = month_columns(row)
        if len(months) < 2:
            named = yearless_months(sheet, index)
            if named == {} and undated is not None:
                undated.append(index)
            months = named or {}
        if len(months) < 2:
            continue
        table = Table(sheet=sheet, header_row=index, months=months)
        first_month = min(months)
        for column, cell in enumerate(row):
            if column in months or _is_blank(cell.value):
                continue
            role = _role(cell.value)
            if role is not None and role != "ignored" and role not in table.roles:
                table.roles[role] = column
        label_column = table.roles.pop("label", None)
        if label_column is None:
            label_column = _label_column(sheet, table, first_month)
        table.labelled = label_column is not None
        table.label_column = label_column if label_column is not None else 0
        tables.append(table)
    return tables


def _label_column(sheet: Sheet, table: Table, first_month: int) -> int | None:
    """The leftmost column before the months that holds text in the data rows (None: there is none)."""
    taken = set(table.roles.values())
    header = sheet.rows[table.header_row]
    candidates = [c for c in range(first_month) if c not in taken and _role(header[c].value) != "ignored"]
    body = sheet.rows[table.header_row + 1 : table.header_row + 60]
    for column in candidates:
        texts = [str(row[column].value) for row in body if isinstance(row[column].value, str)]
        if any(_is_text_label(text) for text in texts):
            return column
    return None


def _is_text_label(text: str) -> bool:
    try:
        float(text.strip().rstrip("%").replace(",", ""))
    except ValueError:
        return bool(text.strip())
    return False


def _is_notes_row(label: str) -> bool:
    lowered = label.strip().lower()
    return lowered.startswith(("note", "source", "key:", "footnote", "*", "†")) or lowered == "key"


# ---------------------------------------------------------------------------------------------
# The loader


@dataclass
class _Reading:
    """What one load collected before validation."""

    name: str
    values: list[dict[str, object]] = field(default_factory=list)
    targets: list[dict[str, object]] = field(default_factory=list)
    locals: dict[str, dict[str, object]] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    findings: list[Problem] = field(default_factory=list)


def store_targets(writer: Writer, targets: pd.DataFrame, *, source_file: str, context: IngestContext) -> int:
    """Write targets; a newer file's target replaces the one for the same LA, indicator and year."""
    if targets.empty:
        return 0
    frame = targets[["la_code", "indicator_id", "year_end", "target", "tolerance"]].copy()
    frame["year_end"] = frame["year_end"].astype("int64")
    frame["target"] = pd.to_numeric(frame["target"]).astype("float64")
    frame["tolerance"] = pd.to_numeric(frame["tolerance"]).astype("float64")
    frame["source_file"] = source_file
    frame["batch_id"] = context.batch_id
    frame = frame.drop_duplicates(["la_code", "indicator_id", "year_end"], keep="last")
    writer.con.register("_new_targets", frame)
    try:
        writer.execute(
            "insert or replace into targets (la_code, indicator_id, year_end, target, tolerance, "
            "source_file, batch_id) select la_code, indicator_id, year_end, target, tolerance, "
            "source_file, batch_id from _new_targets"
        )
    finally:
        writer.con.unregister("_new_targets")
    return len(frame)


def store_local_indicators(writer: Writer, local: pd.DataFrame) -> int:
    """Add or update local indicators; a polarity or unit not given keeps the one already stored."""
    if local.empty:
        return 0
    frame = local[["la_code", "indicator_id", "name", "unit", "polarity", "source_file"]].astype(object)
    frame = frame.where(frame.notna(), None).drop_duplicates(["la_code", "indicator_id"], keep="last")
    writer.con.register("_new_local", frame)
    try:
        writer.execute(
            """
            insert into local_indicators (la_code, indicator_id, name, unit, polarity, source_file)
            select la_code, indicator_id, name, unit, polarity, source_file from _new_local
            on conflict (la_code, indicator_id) do update set
                name = excluded.name,
                unit = coalesce(excluded.unit, local_indicators.unit),
                polarity = coalesce(excluded.polarity, local_indicators.polarity),
                source_file = excluded.source_file
            """
        )
    finally:
        writer.con.unregister("_new_local")
    return len(frame)


def _la_code(writer: Writer, context: IngestContext, name: str) -> str:
    found = stored_la_code(writer, context)
    if found:
        return found
    raise LoadFailed(
        [
            Problem(
                file=name,
                message="the performance workbook does not say which LA it is for: pass --la CODE "
                "(the LA's 3-digit DfE code, e.g. 929) the first time you load",
            )
        ]
    )


def read_tables(path: Path, name: str) -> list[Table]:
    sheets = read_grid(path, name)
    undated: dict[str | None, list[int]] = {sheet.name: [] for sheet in sheets}
    tables = [table for sheet in sheets for table in find_tables(sheet, undated[sheet.name])]
    if not tables and any(undated.values()):
        sheet_name, rows = next((s, r) for s, r in undated.items() if r)
        raise LoadFailed(
            [
                Problem(
                    file=name,
                    sheet=sheet_name,
                    row=rows[0] + 1,
                    message="the month headers have no year",
                    expected="months with their year (Apr-23) or the reporting year, e.g. 2023/24, in a "
                    "title row above the header",
                )
            ]
        )
    if not tables:
        checked = ", ".join(f"'{s.name}'" for s in sheets if s.name) or "the file"
        raise LoadFailed(
            [
                Problem(
                    file=name,
                    message=f"no header row with month columns found (looked in {checked})",
                    expected="a row with two or more month headers such as Apr-23, May-23 or Excel dates",
                )
            ]
        )
    unlabelled = [table for table in tables if not table.labelled]
    if unlabelled:
        raise LoadFailed(
            [
                Problem(
                    file=name,
                    sheet=table.sheet.name,
                    row=table.header_row + 1,
                    message="the month header row has no indicator column: no column before the "
                    "months holds indicator names, so the rows cannot be told apart",
                    expected="a column of indicator names left of the months, headed e.g. Indicator "
                    "or Measure",
                )
                for table in unlabelled
            ]
        )
    return tables


def _rows_of(table: Table, next_header: int | None) -> Iterable[tuple[int, list[Cell]]]:
    end = next_header if next_header is not None else len(table.sheet.rows)
    for index in range(table.header_row + 1, end):
        row = table.sheet.rows[index]
        label = cell_text(row[table.label_column].value)
        if label and _is_notes_row(label):
            return
        yield index, row


def _check_header(table: Table, reading: _Reading) -> None:
    sheet = table.sheet
    header = sheet.rows[table.header_row]
    seen: dict[date, int] = {}
    for column, month in sorted(table.months.items()):
        if month in seen:
            reading.problems.append(
                Problem(
                    file=reading.name,
                    sheet=sheet.name,
                    cell=excel_cell(table.header_row, column),
                    message=f"month {month:%b %Y} appears twice in the header (also in "
                    f"{excel_cell(table.header_row, seen[month])})",
                    value=cell_text(header[column].value),
                    expected="each month once",
                )
            )
        seen.setdefault(month, column)
    for column, cell in enumerate(header):
        if column > min(table.months) and looks_like_a_month(cell.value):
            reading.problems.append(
                Problem(
                    file=reading.name,
                    sheet=sheet.name,
                    cell=excel_cell(table.header_row, column),
                    message="column header is not a month",
                    value=cell_text(cell.value),
                    expected="a month such as Apr-23, April 2023, 2023-04 or an Excel date",
                )
            )


def _period_type(
    indicator: Indicator | None, given: str, reading: _Reading, sheet: Sheet, ref: str
) -> str | None:
    if given:
        found = PERIOD_TYPE_WORDS.get(normalise_name(given)) or PERIOD_TYPE_WORDS.get(given.strip().lower())
        if found is None:
            reading.problems.append(
                Problem(
                    file=reading.name,
                    sheet=sheet.name,
                    cell=ref,
                    message="unknown period type",
                    value=given,
                    expected="month, ytd, rolling 12 months or snapshot",
                )
            )
        return found
    if indicator is not None and "month" not in indicator.period_types and indicator.period_types:
        return indicator.period_types[0]
    return "month"


def _read_table(
    table: Table,
    next_header: int | None,
    la_code: str,
    reading: _Reading,
) -> None:
    sheet = table.sheet
    seen_rows: dict[tuple[str, str, str], str] = {}
    _check_header(table, reading)
    year_ends = sorted({reporting_year_end(m) for m in table.months.values()})
    rows_found = 0
    for index, row in _rows_of(table, next_header):
        label_cell = row[table.label_column]
        label = cell_text(label_cell.value)
        month_cells = {c: row[c] for c in table.months}
        filled = {c: cell for c, cell in month_cells.items() if not _is_blank(cell.value)}
        target_cell = row[table.roles["target"]] if "target" in table.roles else Cell(None)
        if not label:
            if filled:
                column = min(filled)
                reading.problems.append(
                    Problem(
                        file=reading.name,
                        sheet=sheet.name,
                        cell=excel_cell(index, table.label_column),
                        message=f"row {index + 1} has figures but no indicator name",
                        value=cell_text(filled[column].value),
                        expected="the indicator's name in this column",
                    )
                )
            continue
        if not filled and _is_blank(target_cell.value):
            continue
        rows_found += 1
        label_ref = excel_cell(index, table.label_column)
        indicator = match_indicator(label)
        indicator_id = indicator.id if indicator else local_indicator_id(label)

        def role_text(role: str, row: list[Cell] = row) -> str:
            return cell_text(row[table.roles[role]].value) if role in table.roles else ""

        def role_ref(role: str, index: int = index) -> str:
            return excel_cell(index, table.roles.get(role, table.label_column))

        period_type = _period_type(
            indicator, role_text("period_type"), reading, sheet, role_ref("period_type")
        )
        if period_type is None:
            continue
        row_la = role_text("la_code") or la_code
        if row_la != la_code and not is_known_la(row_la):
            reading.problems.append(
                Problem(
                    file=reading.name,
                    sheet=sheet.name,
                    cell=role_ref("la_code"),
                    message="unknown LA code",
                    value=row_la,
                    expected="an old-style 3-digit DfE LA code such as 929",
                )
            )
            continue
        key = (row_la, indicator_id, period_type)
        if key in seen_rows:
            reading.problems.append(
                Problem(
                    file=reading.name,
                    sheet=sheet.name,
                    cell=label_ref,
                    message=f"indicator row appears twice in the table (also at {seen_rows[key]})",
                    value=label,
                    expected="each indicator once per period type",
                )
            )
            continue
        seen_rows[key] = label_ref
        percent_row = False
        plain: list[float] = []
        for column, cell in filled.items():
            ref = excel_cell(index, column)
            number = read_figure(cell, "cell", reading.problems, file=reading.name, sheet=sheet.name, ref=ref)
            if number is None:  # no figure, or unreadable (never one of the skipped errors)
                if cell_text(cell.value).lower() in SKIPPED_ERRORS:
                    reading.findings.append(
                        Problem(
                            file=reading.name,
                            sheet=sheet.name,
                            cell=ref,
                            severity="warning",
                            message="Excel error value skipped (no figure stored)",
                            value=cell_text(cell.value),
                        )
                    )
                continue
            percent_row = percent_row or number.percent
            if number.value is not None and not number.percent:
                plain.append(number.value)
            unit_percent = indicator is not None and indicator.unit == "%"
            reading.values.append(
                {
                    "sheet": sheet.name,
                    "cell": ref,
                    "where": cell_place(sheet.name, ref),
                    "raw": cell_text(cell.value),
                    "la_code": row_la,
                    "indicator_id": indicator_id,
                    "period_end": table.months[column],
                    "period_type": period_type,
                    "value": number.value,
                    "status": number.status,
                    "percent": bool(number.percent or unit_percent),
                }
            )
        if indicator is not None and indicator.unit == "%" and plain and 0 < max(plain) <= 1:
            reading.findings.append(
                Problem(
                    file=reading.name,
                    sheet=sheet.name,
                    cell=label_ref,
                    severity="warning",
                    message=f"every figure for {indicator.short_name} is between 0 and 1: if they are "
                    "fractions (0.081 for 8.1%), format the cells as percentages; they were loaded as typed",
                )
            )
        if not _is_blank(target_cell.value):
            _read_target(target_cell, role_ref("target"), row_la, indicator_id, year_ends, sheet, reading)
        if indicator is None:
            polarity_text = role_text("polarity")
            polarity = POLARITY_WORDS.get(normalise_name(polarity_text))
            if polarity_text and polarity is None:
                reading.problems.append(
                    Problem(
                        file=reading.name,
                        sheet=sheet.name,
                        cell=role_ref("polarity"),
                        message="unknown polarity",
                        value=polarity_text,
                        expected="High or Low (higher or lower is better), or none",
                    )
                )
            unit_text = role_text("unit")
            says_percent = percent_row or unit_text.strip() == "%" or label_says_percent(label)
            unit = "%" if says_percent else (unit_text or "number")
            reading.locals[f"{row_la}|{indicator_id}"] = {
                "la_code": row_la,
                "indicator_id": indicator_id,
                "name": strip_reference(label) or label,
                "unit": unit,
                "polarity": polarity if polarity_text else None,
                "source_file": reading.name,
            }
    if rows_found == 0 and next_header is None:  # a pair of dates in a title row is not a table
        reading.problems.append(
            Problem(
                file=reading.name,
                sheet=sheet.name,
                cell=excel_cell(table.header_row, min(table.months)),
                message="the table has a month header row but no indicator rows with figures below it",
                expected="one row per indicator under the header",
            )
        )


def _read_target(
    cell: Cell,
    ref: str,
    la_code: str,
    indicator_id: str,
    year_ends: list[int],
    sheet: Sheet,
    reading: _Reading,
) -> None:
    number = read_figure(cell, "target", reading.problems, file=reading.name, sheet=sheet.name, ref=ref)
    if number is None or number.value is None:
        return
    if number.value < 0 or (number.percent and number.value > 100):
        reading.problems.append(
            Problem(
                file=reading.name,
                sheet=sheet.name,
                cell=ref,
                message="target out of range",
                value=cell_text(cell.value),
                expected="0 or more (percentages up to 100)",
            )
        )
        return
    for year_end in year_ends:
        reading.targets.append(
            {
                "la_code": la_code,
                "indicator_id": indicator_id,
                "year_end": year_end,
                "target": number.value,
                "tolerance": None,
            }
        )


def _merge_sheets(values: pd.DataFrame, reading: _Reading) -> pd.DataFrame:
    """The same figure on two sheets (a summary sheet) is fine once; two different ones are not."""
    key = ["la_code", "indicator_id", "period_end", "period_type"]
    duplicated = values[values.duplicated(key, keep=False)]
    for _, group in duplicated.groupby(key, sort=False):
        first = group.iloc[0]
        for _, other in group.iloc[1:].iterrows():
            same = first["value"] == other["value"] or (pd.isna(first["value"]) and pd.isna(other["value"]))
            if same and first["status"] == other["status"]:
                continue
            reading.problems.append(
                Problem(
                    file=reading.name,
                    sheet=other["sheet"],
                    cell=other["cell"],
                    message=f"{other['indicator_id']} for {other['period_end']:%b %Y} differs from "
                    f"{first['where']}",
                    value=other["raw"],
                    expected=f"the same figure as there ({first['raw']})",
                )
            )
    return values.drop_duplicates(key)


def failing_rows(errors: pa.errors.SchemaErrors, frame: pd.DataFrame) -> list[tuple[pd.Series, str]]:
    """(row of `frame`, check name) for each row and check that failed, once, in pandera's order."""
    failing: list[tuple[pd.Series, str]] = []
    seen: set[tuple[int, str]] = set()
    for case in errors.failure_cases.itertuples(index=False):
        index = getattr(case, "index", None)
        check = str(case.check)
        if index is None or pd.isna(index) or (int(index), check) in seen:
            continue
        seen.add((int(index), check))
        failing.append((frame.loc[int(index)], check))
    return failing


def _validate(values: pd.DataFrame, reading: _Reading, today: date, la_codes: set[str]) -> None:
    schema = workbook_values_schema(la_codes, month_end(today))
    try:
        schema.validate(values, lazy=True)
    except pa.errors.SchemaErrors as errors:
        for row, check in failing_rows(errors, values):
            message, expected = CHECK_MESSAGES.get(check, (f"failed check {check}", ""))
            if check == "not_after_this_month":
                message = f"{message} ({row['period_end']:%b %Y} is after {today:%b %Y})"
            reading.problems.append(
                Problem(
                    file=reading.name,
                    sheet=row["sheet"],
                    cell=row["cell"],
                    message=message,
                    value=row["raw"],
                    expected=expected or None,
                )
            )


class PerformanceWorkbookLoader:
    kind = KIND
    description = "the LA's monthly performance workbook: indicators as rows, months as columns"

    def sniff(self, path: Path, head: bytes) -> bool:
        return any(find_tables(sheet) for sheet in sniff_sheets(path, head, SNIFF_ROWS))

    def load(self, path: Path, writer: Writer, context: IngestContext) -> LoadOutcome:
        name = path.name
        check_file(
            path,
            name,
            kind_phrase="a performance workbook",
            expected="an Excel workbook (.xlsx) or a CSV file",
        )
        tables = read_tables(path, name)
        la_code = _la_code(writer, context, name)
        reading = _Reading(name=name)
        for position, table in enumerate(tables):
            following = tables[position + 1] if position + 1 < len(tables) else None
            next_header = (
                following.header_row if following is not None and following.sheet is table.sheet else None
            )
            _read_table(table, next_header, la_code, reading)
        columns = [
            "sheet",
            "cell",
            "where",
            "raw",
            "la_code",
            "indicator_id",
            "period_end",
            "period_type",
            "value",
            "status",
            "percent",
        ]
        values = pd.DataFrame(reading.values, columns=columns)
        values["value"] = pd.to_numeric(values["value"]).astype("float64")
        values["percent"] = values["percent"].astype(bool)
        values = _merge_sheets(values, reading)
        _validate(values.reset_index(drop=True), reading, context.today, set(local_authorities()["la_code"]))
        if reading.problems:
            raise LoadFailed(reading.problems)
        kpis = values.assign(numerator=None, denominator=None)
        record_kpis(writer, kpis, origin="reported", source=SOURCE, source_file=name, context=context)
        store_local_indicators(writer, pd.DataFrame(list(reading.locals.values())))
        store_targets(writer, pd.DataFrame(reading.targets), source_file=name, context=context)
        record_findings(writer, reading.findings, kind=KIND, la_code=la_code, context=context)
        return LoadOutcome(kind=KIND, rows=len(values), la_code=la_code, findings=reading.findings)


LOADER = PerformanceWorkbookLoader()
