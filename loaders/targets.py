"""Targets: what the LA aims for, per indicator and reporting year.

Two layouts are read, from CSV or Excel:
- long form: one row per target, with columns Indicator (id, name or alias), Year ("2023/24",
  "2023-24" or "2024" = the year ending March 2024), Target, and optionally LA code and Tolerance
  (the amber band in the indicator's unit; blank uses the catalogue's);
- the multi-year trajectory table of service plans (seed 004, Northumberland): one row per measure,
  columns such as "Target 2019/20" or a "Target" group heading over year columns ("2019/20",
  "20/21"). Outturn and England-average columns beside them are ignored: the dashboard takes
  outturns from the returns and the published benchmarks.

Measures that are not in the catalogue are kept as local indicators, named as in the file, so a
performance workbook row with the same name meets its target. A text that looks like an indicator
id (lower case with underscores) but is not one is a typo and is refused. A newer file's target
replaces the one stored for the same LA, indicator and year.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import pandas as pd
import pandera.pandas as pa

from loaders.base import IngestContext, LoadOutcome, is_known_la, local_authorities, stored_la_code
from loaders.problems import LoadFailed, Problem, excel_cell
from loaders.schemas.targets import CHECK_MESSAGES, targets_schema
from loaders.store import Writer
from loaders.workbook import (
    POLARITY_WORDS,
    SNIFF_ROWS,
    Cell,
    Sheet,
    cell_place,
    cell_text,
    check_file,
    failing_rows,
    is_month_header,
    label_says_percent,
    local_indicator_id,
    match_indicator,
    read_figure,
    read_grid,
    sniff_sheets,
    store_local_indicators,
    store_targets,
    strip_reference,
    yearless_months,
)
from metrics.catalogue import load_catalogue, normalise_name
from metrics.periods import parse_reporting_year, reporting_year_end, reporting_year_label

KIND = "targets"

INDICATOR_HEADERS = {
    "indicator",
    "indicator id",
    "indicator_id",
    "indicator name",
    "measure",
    "measure name",
    "kpi",
    "performance indicator",
    "performance measure",
    "description",
    "name",
    "metric",
}
YEAR_HEADERS = {"year", "reporting year", "year end", "financial year", "target year", "period"}
LA_HEADERS = {"la code", "la", "la number", "local authority code", "la no"}
TOLERANCE_HEADERS = {"tolerance", "rag tolerance", "amber tolerance", "amber band"}
POLARITY_HEADERS = {
    "polarity",
    "good is",
    "higher or lower is better",
    "better is",
    "higher lower is better",
    "direction of good",
}
# an improvement plan's header (loaders.improvement_plan) may also have target columns
PLAN_HEADERS = {
    "recommendation",
    "ofsted recommendation",
    "linked indicators",
    "linked indicator",
    "owner",
    "lead officer",
    "action",
    "actions",
}
_TWO_DIGIT_YEAR = re.compile(r"(?<!\d)(\d{2})\s*/\s*(\d{2})(?!\d)")
_FULL_YEAR = re.compile(r"(?<!\d)(\d{4}\s*[/\-]\s*(?:\d{4}|\d{2}))(?!\d)")
_MARCH_YEAR = re.compile(r"(?:march|mar)\s+(\d{4})")
_ID_LIKE = re.compile(r"[a-z0-9]+(?:_[a-z0-9]+)+")


def year_in_text(text: str) -> int | None:
    """The reporting year (as its year end) a header or cell names, or None.

    '2019/20', 'Target 2019/20', '18/19', '2023-24', 'target March 2020', 'Target 2024', '2024' and a
    date such as 2024-03-31 (the reporting year it falls in) -> year ends.
    """
    lowered = text.strip().lower()
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", lowered):
        try:
            return reporting_year_end(date.fromisoformat(lowered))
        except ValueError:
            return None
    if match := _FULL_YEAR.search(lowered):
        return parse_reporting_year(match.group(1).replace(" ", ""))
    if match := _TWO_DIGIT_YEAR.search(lowered):
        start, end = int(match.group(1)), int(match.group(2))
        return 2000 + end if end == (start + 1) % 100 else None
    if match := _MARCH_YEAR.search(lowered):
        return int(match.group(1))
    if match := re.search(r"(?<!\d)(20\d{2})(?!\d)", lowered):
        return int(match.group(1))
    return None


@dataclass
class _Layout:
    """Where the targets are in a sheet: its header row and the meaning of each column."""

    header_row: int
    label_column: int
    year_column: int | None = None
    target_column: int | None = None
    target_years: dict[int, int] = field(default_factory=dict)
    la_column: int | None = None
    tolerance_column: int | None = None
    polarity_column: int | None = None


def _texts(row: list[Cell]) -> list[str]:
    return [normalise_name(cell_text(cell.value)) for cell in row]


def _first(texts: list[str], names: set[str]) -> int | None:
    return next((i for i, t in enumerate(texts) if t in names), None)


def find_layout(sheet: Sheet) -> _Layout | None:
    """The first row that reads as a targets header, long or wide, or None."""
    for index, row in enumerate(sheet.rows[: SNIFF_ROWS * 5]):
        if is_month_header(row) or yearless_months(sheet, index) is not None:
            return None
        texts = _texts(row)
        if PLAN_HEADERS & set(texts):
            return None
        above = _filled_forward(sheet.rows[index - 1]) if index > 0 else [""] * len(row)
        year_column = _first(texts, YEAR_HEADERS)
        target_column = next((i for i, t in enumerate(texts) if t == "target" or t == "targets"), None)
        label = _first(texts, INDICATOR_HEADERS)
        label_above = _first(above, INDICATOR_HEADERS)
        polarity_column = _first(texts, POLARITY_HEADERS)
        layout = _Layout(
            header_row=index,
            label_column=0,
            la_column=_first(texts, LA_HEADERS),
            tolerance_column=_first(texts, TOLERANCE_HEADERS),
            polarity_column=polarity_column
            if polarity_column is not None
            else _first(above, POLARITY_HEADERS),
        )
        if year_column is not None and target_column is not None and label is not None:
            layout.label_column, layout.year_column, layout.target_column = label, year_column, target_column
            return layout
        target_years: dict[int, int] = {}
        for column, cell in enumerate(row):
            text = cell_text(cell.value)
            year = year_in_text(text)
            heading = f"{above[column]} {texts[column]}"
            if year is not None and "target" in heading.split():
                target_years[column] = year
        if target_years:
            label_column = label if label is not None else label_above
            layout.label_column = label_column if label_column is not None else 0
            layout.target_years = target_years
            return layout
    return None


def _filled_forward(row: list[Cell]) -> list[str]:
    """Group headings over several columns (merged cells) apply to the columns after them too."""
    filled, current = [], ""
    for text in _texts(row):
        current = text or current
        filled.append(current)
    return filled


@dataclass
class _Reading:
    name: str
    la_code: str | None
    rows: list[dict[str, object]] = field(default_factory=list)
    locals: dict[str, dict[str, object]] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)


def _indicator_id(
    label: str, polarity: str | None, reading: _Reading, la_code: str, sheet: Sheet, ref: str
) -> str | None:
    indicator = match_indicator(label)
    if indicator is not None:
        return indicator.id
    text = label.strip()
    if text.lower().startswith("local:"):
        return text.lower()
    if _ID_LIKE.fullmatch(text.lower()):
        reading.problems.append(
            Problem(
                file=reading.name,
                sheet=sheet.name,
                cell=ref,
                message="unknown indicator id",
                value=text,
                expected="an id from the catalogue, e.g. " + ", ".join(load_catalogue().ids[:3]),
            )
        )
        return None
    indicator_id = local_indicator_id(text)
    reading.locals[f"{la_code}|{indicator_id}"] = {
        "la_code": la_code,
        "indicator_id": indicator_id,
        "name": strip_reference(text) or text,
        "unit": "%" if label_says_percent(text) else None,
        "polarity": polarity,
        "source_file": reading.name,
    }
    return indicator_id


def _figure(cell: Cell, what: str, reading: _Reading, sheet: Sheet, ref: str) -> tuple[float, bool] | None:
    number = read_figure(cell, what, reading.problems, file=reading.name, sheet=sheet.name, ref=ref)
    if number is None or number.value is None:
        return None
    return number.value, number.percent


def _row_la(row: list[Cell], layout: _Layout, reading: _Reading, sheet: Sheet, index: int) -> str | None:
    given = cell_text(row[layout.la_column].value) if layout.la_column is not None else ""
    if given:
        code = given.zfill(3) if given.isdigit() else given
        if not is_known_la(code):
            reading.problems.append(
                Problem(
                    file=reading.name,
                    sheet=sheet.name,
                    cell=excel_cell(index, layout.la_column or 0),
                    message="unknown LA code",
                    value=given,
                    expected="an old-style 3-digit DfE LA code such as 929",
                )
            )
            return None
        return code
    if reading.la_code is None and not any(
        p.message.startswith("the targets do not say") for p in reading.problems
    ):
        reading.problems.append(
            Problem(
                file=reading.name,
                sheet=sheet.name,
                row=index + 1,
                message="the targets do not say which LA they are for: add an LA code column or "
                "pass --la CODE (the LA's 3-digit DfE code, e.g. 929)",
            )
        )
    return reading.la_code


def _read_sheet(sheet: Sheet, layout: _Layout, reading: _Reading) -> int:
    found = 0
    for index in range(layout.header_row + 1, len(sheet.rows)):
        row = sheet.rows[index]
        label = cell_text(row[layout.label_column].value)
        if not label:
            continue
        if label.startswith(("*", "†")) or normalise_name(label).startswith(("note", "source", "lpi ")):
            break
        polarity_text = (
            cell_text(row[layout.polarity_column].value) if layout.polarity_column is not None else ""
        )
        polarity = POLARITY_WORDS.get(normalise_name(polarity_text)) if polarity_text else None
        if layout.year_column is not None and layout.target_column is not None:
            entries = _long_entries(row, index, layout, reading, sheet)
        else:
            entries = _wide_entries(row, index, layout, reading, sheet)
        if not entries:
            continue
        la_code = _row_la(row, layout, reading, sheet, index)
        if la_code is None:
            continue
        label_ref = excel_cell(index, layout.label_column)
        indicator_id = _indicator_id(label, polarity, reading, la_code, sheet, label_ref)
        if indicator_id is None:
            continue
        tolerance = None
        if layout.tolerance_column is not None:
            tolerance_ref = excel_cell(index, layout.tolerance_column)
            figure = _figure(row[layout.tolerance_column], "tolerance", reading, sheet, tolerance_ref)
            tolerance = figure[0] if figure else None
        for year_end, target, percent, ref, raw in entries:
            found += 1
            reading.rows.append(
                {
                    "sheet": sheet.name,
                    "cell": ref,
                    "raw": raw,
                    "label_cell": label_ref,
                    "label": label,
                    "la_code": la_code,
                    "indicator_id": indicator_id,
                    "year_end": year_end,
                    "year_label": reporting_year_label(year_end),
                    "target": target,
                    "tolerance": tolerance,
                    "percent": percent,
                }
            )
    return found


Entry = tuple[int, float, bool, str, str]


def _long_entries(
    row: list[Cell], index: int, layout: _Layout, reading: _Reading, sheet: Sheet
) -> list[Entry]:
    assert layout.year_column is not None and layout.target_column is not None
    year_cell, target_cell = row[layout.year_column], row[layout.target_column]
    year_ref, target_ref = excel_cell(index, layout.year_column), excel_cell(index, layout.target_column)
    year_text = cell_text(year_cell.value)
    year_end = year_in_text(year_text)
    if year_end is None:
        reading.problems.append(
            Problem(
                file=reading.name,
                sheet=sheet.name,
                cell=year_ref,
                message="cannot read this year",
                value=year_text,
                expected="a reporting year such as 2023/24 or 2024 (year ending March)",
            )
        )
        return []
    figure = _figure(target_cell, "target", reading, sheet, target_ref)
    if figure is None:
        return []
    return [(year_end, figure[0], figure[1], target_ref, cell_text(target_cell.value))]


def _wide_entries(
    row: list[Cell], index: int, layout: _Layout, reading: _Reading, sheet: Sheet
) -> list[Entry]:
    entries = []
    for column, year_end in layout.target_years.items():
        ref = excel_cell(index, column)
        figure = _figure(row[column], "target", reading, sheet, ref)
        if figure is not None:
            entries.append((year_end, figure[0], figure[1], ref, cell_text(row[column].value)))
    return entries


def _check_duplicates(frame: pd.DataFrame, reading: _Reading) -> None:
    key = ["la_code", "indicator_id", "year_end"]
    first_seen: dict[tuple[object, ...], pd.Series] = {}
    for _, row in frame.iterrows():
        item = tuple(row[k] for k in key)
        if item in first_seen:
            first = first_seen[item]
            where = cell_place(first["sheet"], first["cell"])
            reading.problems.append(
                Problem(
                    file=reading.name,
                    sheet=row["sheet"],
                    cell=row["cell"],
                    message=f"a second target for {row['indicator_id']} in {row['year_end'] - 1}/"
                    f"{str(row['year_end'])[-2:]} (the first is at {where})",
                    value=row["raw"],
                    expected="one target per indicator and year",
                )
            )
        else:
            first_seen[item] = row


def _validate(frame: pd.DataFrame, reading: _Reading) -> None:
    catalogue = load_catalogue()
    checked = frame.assign(
        percent=frame["percent"]
        | frame["indicator_id"].map(lambda i: i in catalogue and catalogue.get(i).unit == "%").astype(bool)
        | frame["label"].map(label_says_percent).astype(bool)
    )
    try:
        targets_schema(set(local_authorities()["la_code"])).validate(checked, lazy=True)
    except pa.errors.SchemaErrors as errors:
        for row, check in failing_rows(errors, frame):
            message, expected = CHECK_MESSAGES.get(check, (f"failed check {check}", ""))
            value = {"known_la_code": row["la_code"], "plausible_year": row["year_label"]}.get(
                check, row["raw"]
            )
            reading.problems.append(
                Problem(
                    file=reading.name,
                    sheet=row["sheet"],
                    cell=row["cell"],
                    message=message,
                    value=str(value),
                    expected=expected or None,
                )
            )


def _read_layouts(path: Path, name: str) -> list[tuple[Sheet, _Layout]]:
    sheets = read_grid(path, name)
    found = [(sheet, layout) for sheet in sheets if (layout := find_layout(sheet)) is not None]
    if not found:
        raise LoadFailed(
            [
                Problem(
                    file=name,
                    message="no targets header found",
                    expected="columns Indicator, Year and Target, or a row per measure with columns "
                    "such as 'Target 2024/25'",
                )
            ]
        )
    return found


class TargetsLoader:
    kind = KIND
    description = "targets per indicator and reporting year (long form, or a multi-year trajectory table)"

    def sniff(self, path: Path, head: bytes) -> bool:
        return any(find_layout(sheet) is not None for sheet in sniff_sheets(path, head, SNIFF_ROWS * 5))

    def load(self, path: Path, writer: Writer, context: IngestContext) -> LoadOutcome:
        name = path.name
        check_file(
            path, name, kind_phrase="a targets file", expected="a CSV file or an Excel workbook (.xlsx)"
        )
        reading = _Reading(name=name, la_code=stored_la_code(writer, context))
        found = 0
        for sheet, layout in _read_layouts(path, name):
            found += _read_sheet(sheet, layout, reading)
        if found == 0 and not reading.problems:
            reading.problems.append(
                Problem(
                    file=name,
                    message="the targets header has no targets below it",
                    expected="one row per indicator (and year) with a target",
                )
            )
        columns = [
            "sheet",
            "cell",
            "raw",
            "label_cell",
            "label",
            "year_label",
            "la_code",
            "indicator_id",
            "year_end",
            "target",
            "tolerance",
            "percent",
        ]
        frame = pd.DataFrame(reading.rows, columns=columns)
        frame["year_end"] = frame["year_end"].astype("int64")
        frame["target"] = pd.to_numeric(frame["target"]).astype("float64")
        frame["tolerance"] = pd.to_numeric(frame["tolerance"]).astype("float64")
        frame["percent"] = frame["percent"].astype(bool)
        if not reading.problems:
            _check_duplicates(frame, reading)
            _validate(frame, reading)
        if reading.problems:
            raise LoadFailed(reading.problems)
        store_local_indicators(writer, pd.DataFrame(list(reading.locals.values())))
        store_targets(writer, frame, source_file=name, context=context)
        la_codes = frame["la_code"].unique().tolist()
        return LoadOutcome(kind=KIND, rows=len(frame), la_code=la_codes[0] if len(la_codes) == 1 else None)


LOADER = TargetsLoader()
