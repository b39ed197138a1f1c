"""The performance workbook loader on hand-made books laid out as LAs lay them out."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import openpyxl
import pytest
from hypothesis import given
from hypothesis import strategies as st
from openpyxl.styles import PatternFill

from loaders.registry import detect_kind
from loaders.store import Reader
from loaders.workbook import CellUnreadable, looks_like_a_month, parse_month, parse_number, read_excel_sheets
from tests.loaders.workbook_files import (
    Fmt,
    base_workbook,
    kpis,
    load,
    months,
    write_csv,
    write_xlsx,
)

APR23 = datetime(2023, 4, 1)


def test_title_rows_date_headers_percent_format_counts_blanks_and_notes(
    tmp_path: Path, db_path: Path
) -> None:
    book = write_xlsx(
        tmp_path / "book.xlsx",
        {
            "Performance": [
                ["Children's social care performance book"],
                ["Leicestershire-style monthly report", None, "Produced 10 October 2023"],
                [],
                ["Indicator", *months(APR23, 6)],
                ["Repeat CP plans", *(Fmt(v, "0.0%") for v in (0.081, 0.1, 0.09, 0.165, 0.2, 0.12))],
                ["Number of contacts", 37, "n/a", "-", None, 45, 0],
                ["Child protection"],
                [],
                ["Notes: figures for September are provisional", "see", "the", "data", "team"],
            ]
        },
    )
    report = load(book, db_path)
    assert report.ok, report.messages
    assert report.files[0].kind == "performance_workbook"
    values = kpis(db_path)
    assert values[("repeat_cp_plans", "2023-04", "month")] == (8.1, "")
    assert values[("repeat_cp_plans", "2023-07", "month")] == (16.5, "")
    assert values[("local:number of contacts", "2023-04", "month")] == (37.0, "")
    assert values[("local:number of contacts", "2023-09", "month")] == (0.0, "")
    assert ("local:number of contacts", "2023-05", "month") not in values
    assert ("local:number of contacts", "2023-07", "month") not in values
    assert len(values) == 6 + 3
    history = Reader(db_path).query("select distinct origin, source, source_file from kpi_history")
    assert history.to_dict("records") == [
        {"origin": "reported", "source": "performance workbook", "source_file": "book.xlsx"}
    ]


@pytest.mark.parametrize(
    "headers",
    [
        ["Apr-23", "May-23", "Jun-23"],
        ["April 2023", "May 2023", "June 2023"],
        ["2023-04", "2023-05", "2023-06"],
        ["Apr 2023", "May 2023", "Jun 2023"],
        ["01/04/2023", "01/05/2023", "30/06/2023"],
        ["Sept 23", "Oct 23", "Nov 23"],
    ],
)
def test_text_month_headers(tmp_path: Path, db_path: Path, headers: list[str]) -> None:
    book = write_xlsx(
        tmp_path / "book.xlsx",
        {"KPIs": [["Measure", *headers], ["Re-referrals", "21.5%", "19%", 22]]},
    )
    report = load(book, db_path)
    assert report.ok, report.messages
    first = parse_month(headers[0])
    assert first is not None
    values = kpis(db_path)
    assert values[("re_referrals", f"{first:%Y-%m}", "month")] == (21.5, "")
    assert sorted(v[0] for k, v in values.items()) == [19.0, 21.5, 22.0]


def test_text_percentages_and_suppression_symbols(tmp_path: Path, db_path: Path) -> None:
    book = write_xlsx(
        tmp_path / "book.xlsx",
        {"Sheet1": [["KPI", *months(APR23, 4)], ["Assessments within 45 days", "63.9%", "c", "x", " 70 % "]]},
    )
    assert load(book, db_path).ok
    values = kpis(db_path)
    assert values[("assessments_45_days", "2023-04", "month")] == (63.9, "")
    assert values[("assessments_45_days", "2023-05", "month")] == (None, "c")
    assert values[("assessments_45_days", "2023-06", "month")] == (None, "x")
    assert values[("assessments_45_days", "2023-07", "month")] == (70.0, "")


def test_value_is_what_the_cell_shows(tmp_path: Path, db_path: Path) -> None:
    book = write_xlsx(
        tmp_path / "book.xlsx",
        {
            "Sheet1": [
                ["Indicator", *months(APR23, 3)],
                ["Repeat CP plans", Fmt(3 / 37, "0.0%"), Fmt(0.165, "0%"), Fmt(0.16549, "0.00%")],
                ["Average caseload", Fmt(17.456, "0.0"), Fmt(18.0, "#,##0"), 0.1 + 0.2],
            ]
        },
    )
    assert load(book, db_path).ok
    values = kpis(db_path)
    assert values[("repeat_cp_plans", "2023-04", "month")] == (8.1, "")
    assert values[("repeat_cp_plans", "2023-05", "month")] == (17.0, "")
    assert values[("repeat_cp_plans", "2023-06", "month")] == (16.55, "")
    # caseloads are month-end snapshots in the catalogue, so that is their default period type
    assert values[("caseload_average", "2023-04", "snapshot")] == (17.5, "")
    assert values[("caseload_average", "2023-05", "snapshot")] == (18.0, "")
    assert values[("caseload_average", "2023-06", "snapshot")] == (0.3, "")


def test_several_sheets_notes_sheet_skipped_summary_repeats_agree(tmp_path: Path, db_path: Path) -> None:
    header = ["Indicator", *months(APR23, 2)]
    book = write_xlsx(
        tmp_path / "book.xlsx",
        {
            "Read me": [["How to read this book"], ["Figures are provisional until the return."]],
            "Front door": [header, ["Re-referrals", 20.5, 21.0], ["ICPC timeliness", "97%", "95%"]],
            "Child protection": [["Child protection"], [], header, ["Repeat CPP", "8.1%", "9%"]],
            "Summary": [header, ["Re-referrals", 20.5, 21.0], ["Repeat CP plans", "8.1%", "9%"]],
        },
    )
    report = load(book, db_path)
    assert report.ok, report.messages
    values = kpis(db_path)
    assert values[("re_referrals", "2023-05", "month")] == (21.0, "")
    assert values[("icpc_15_days", "2023-04", "month")] == (97.0, "")
    assert values[("repeat_cp_plans", "2023-05", "month")] == (9.0, "")
    assert len(values) == 6


def test_local_indicator_with_polarity_and_unit(tmp_path: Path, db_path: Path) -> None:
    book = write_xlsx(
        tmp_path / "book.xlsx",
        {
            "Sheet1": [
                ["Ref", "Indicator", "Polarity", *months(APR23, 2)],
                [
                    "FD1",
                    "Contacts progressed to referral",
                    "Higher is better",
                    Fmt(0.31, "0%"),
                    Fmt(0.35, "0%"),
                ],
                ["FD2", "Early help assessments", "", 120, 130],
                ["CP3", "3. Repeat CP plans", "Low", "8.1%", "9%"],
            ]
        },
    )
    assert load(book, db_path).ok
    values = kpis(db_path)
    assert values[("local:contacts progressed to referral", "2023-05", "month")] == (35.0, "")
    assert values[("local:early help assessments", "2023-04", "month")] == (120.0, "")
    assert values[("repeat_cp_plans", "2023-04", "month")] == (8.1, "")
    local = Reader(db_path).query(
        "select indicator_id, name, unit, polarity from local_indicators order by indicator_id"
    )
    assert local.astype(object).where(local.notna(), None).to_dict("records") == [
        {
            "indicator_id": "local:contacts progressed to referral",
            "name": "Contacts progressed to referral",
            "unit": "%",
            "polarity": "High",
        },
        {
            "indicator_id": "local:early help assessments",
            "name": "Early help assessments",
            "unit": "number",
            "polarity": None,
        },
    ]


def test_target_column_goes_to_targets_for_each_reporting_year(tmp_path: Path, db_path: Path) -> None:
    book = write_xlsx(
        tmp_path / "book.xlsx",
        {
            "Sheet1": [
                ["Indicator", "Target", *months(date(2023, 2, 1), 4)],
                ["Repeat CP plans", Fmt(0.2, "0%"), "18%", "19%", "21%", "17%"],
                ["Supervision in timescale", "90%", "85%", "88%", "91%", "92%"],
            ]
        },
    )
    assert load(book, db_path).ok
    targets = Reader(db_path).query("select indicator_id, year_end, target from targets order by 1, 2")
    assert targets.to_dict("records") == [
        {"indicator_id": "local:supervision in timescale", "year_end": 2023, "target": 90.0},
        {"indicator_id": "local:supervision in timescale", "year_end": 2024, "target": 90.0},
        {"indicator_id": "repeat_cp_plans", "year_end": 2023, "target": 20.0},
        {"indicator_id": "repeat_cp_plans", "year_end": 2024, "target": 20.0},
    ]


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1252"])
def test_csv_in_every_encoding_excel_saves(tmp_path: Path, db_path: Path, encoding: str) -> None:
    rows = [
        ["Performance book – spend £ and ½ measures"],
        ["Indicator", "Apr-23", "May-23", "Jun-23"],
        ["Re-referrals (%)", "21.5%", "n/a", "19.0%"],
        ["Café visits – children seen", "12", "14", "c"],
        ["Notes: provisional"],
    ]
    csv_file = write_csv(tmp_path / "book.csv", rows, encoding)
    assert detect_kind(csv_file).kind == "performance_workbook"
    report = load(csv_file, db_path)
    assert report.ok, report.messages
    values = kpis(db_path)
    assert values[("re_referrals", "2023-04", "month")] == (21.5, "")
    assert values[("local:cafe visits children seen", "2023-05", "month")] == (14.0, "")
    assert values[("local:cafe visits children seen", "2023-06", "month")] == (None, "c")
    names = Reader(db_path).query("select name from local_indicators")["name"].tolist()
    assert names == ["Café visits – children seen"]


def test_period_type_column(tmp_path: Path, db_path: Path) -> None:
    book = write_xlsx(
        tmp_path / "book.xlsx",
        {
            "Sheet1": [
                ["Indicator", "Measure type", *months(APR23, 2)],
                ["Repeat CP plans", "Month", "8.1%", "9%"],
                ["Repeat CP plans", "Year to date", "8.1%", "8.6%"],
                ["Repeat CP plans", "Rolling 12 months", "16.5%", "16.0%"],
                ["Average caseload", "Snapshot", 17.4, 18.2],
            ]
        },
    )
    assert load(book, db_path).ok
    values = kpis(db_path)
    assert values[("repeat_cp_plans", "2023-05", "month")] == (9.0, "")
    assert values[("repeat_cp_plans", "2023-05", "ytd")] == (8.6, "")
    assert values[("repeat_cp_plans", "2023-04", "rolling_12m")] == (16.5, "")
    assert values[("caseload_average", "2023-05", "snapshot")] == (18.2, "")


def test_blank_future_months_two_tables_on_a_sheet_and_div0(tmp_path: Path, db_path: Path) -> None:
    book = write_xlsx(
        tmp_path / "book.xlsx",
        {
            "Sheet1": [
                ["2022/23"],
                ["Indicator", *months(date(2022, 4, 1), 3)],
                ["Re-referrals", 20, 21, 22],
                [],
                ["2023/24"],
                ["Indicator", *months(date(2024, 1, 1), 6)],
                ["Re-referrals", 23, "#DIV/0!", 25, None, None, None],
            ]
        },
    )
    report = load(book, db_path)
    assert report.ok, report.messages
    values = kpis(db_path)
    assert values[("re_referrals", "2022-06", "month")] == (22.0, "")
    assert values[("re_referrals", "2024-03", "month")] == (25.0, "")
    assert ("re_referrals", "2024-02", "month") not in values
    assert len(values) == 5
    assert any("C7" in message and "#DIV/0!" in message for message in report.files[0].messages)
    findings = Reader(db_path).query("select severity, location from dq_findings")
    assert findings.to_dict("records") == [{"severity": "warning", "location": "sheet 'Sheet1', cell C7"}]


def test_la_code_from_the_store_when_not_given(tmp_path: Path, db_path: Path) -> None:
    assert load(base_workbook(tmp_path / "first.xlsx"), db_path, la_code="929").ok
    second = write_xlsx(
        tmp_path / "second.xlsx", {"S": [["Indicator", "Jul-23", "Aug-23"], ["Re-referrals", 1, 2]]}
    )
    assert load(second, db_path, la_code=None).ok
    las = Reader(db_path).query("select distinct la_code from kpi")["la_code"].tolist()
    assert las == ["929"]


def test_month_and_number_parsing_units() -> None:
    assert parse_month("Apr-23") == date(2023, 4, 30)
    assert parse_month("Feb 2024") == date(2024, 2, 29)
    assert parse_month("2023-24") is None
    assert parse_month("Target") is None
    assert looks_like_a_month("Jnu-23") and looks_like_a_month("2023-13")
    assert not looks_like_a_month("Target 2024") and not looks_like_a_month("2023-24")
    assert parse_number(0.081, "0.0%") is not None
    assert parse_number("n/a") is None and parse_number("-") is None
    thousands = parse_number("1,234")
    assert thousands is not None and thousands.value == 1234.0
    with pytest.raises(CellUnreadable):
        parse_number("21,5")
    z = parse_number("z")
    assert z is not None and z.value is None and z.status == "z"


def test_fifty_indicators_by_36_months_load_whole(tmp_path: Path, db_path: Path) -> None:
    """Every cell of a 50 x 36 book is stored (its speed is a benchmark's business, not a test's)."""
    header = ["Indicator", "Target", *months(date(2021, 4, 1), 36)]
    rows = [["Performance book"], [], header]
    for i in range(50):
        rows.append(
            [f"Local measure {i}", Fmt(0.5, "0%"), *(Fmt((i + m) % 100 / 100, "0.0%") for m in range(36))]
        )
    book = write_xlsx(tmp_path / "big.xlsx", {"Book": rows})
    report = load(book, db_path)
    assert report.ok, report.messages
    assert report.files[0].rows == 50 * 36


def test_month_names_dated_by_the_reporting_year_in_the_title(tmp_path: Path, db_path: Path) -> None:
    book = write_xlsx(
        tmp_path / "book.xlsx",
        {
            "Front door": [
                ["Front door performance 2023/24"],
                [],
                [
                    "Indicator",
                    "Apr",
                    "May",
                    "Jun",
                    "Jul",
                    "Aug",
                    "Sep",
                    "Oct",
                    "Nov",
                    "Dec",
                    "Jan",
                    "Feb",
                    "Mar",
                ],
                ["Re-referrals", *range(20, 32)],
            ]
        },
    )
    assert detect_kind(book).kind == "performance_workbook"
    assert load(book, db_path).ok
    values = kpis(db_path)
    assert values[("re_referrals", "2023-04", "month")] == (20.0, "")
    assert values[("re_referrals", "2023-12", "month")] == (28.0, "")
    assert values[("re_referrals", "2024-03", "month")] == (31.0, "")


def test_month_names_dated_by_a_row_of_calendar_years(tmp_path: Path, db_path: Path) -> None:
    book = write_xlsx(
        tmp_path / "book.xlsx",
        {
            "S": [
                ["", 2023, None, 2024],
                ["Measure", "November", "December", "January"],
                ["Re-referrals", 1, 2, 3],
            ]
        },
    )
    assert load(book, db_path).ok
    values = kpis(db_path)
    assert values[("re_referrals", "2023-12", "month")] == (2.0, "")
    assert values[("re_referrals", "2024-01", "month")] == (3.0, "")


def test_semicolon_separated_csv(tmp_path: Path, db_path: Path) -> None:
    path = tmp_path / "book.csv"
    path.write_text("Indicator;Apr-23;May-23\nRe-referrals;21,5%;19%\nContacts;1.234;12\n", encoding="utf-8")
    assert detect_kind(path).kind == "performance_workbook"
    report = load(path, db_path)
    assert not report.ok
    assert "book.csv: cell B2: cannot read this cell (found '21,5%'" in report.messages[0]


def test_fractions_for_a_percentage_indicator_load_as_typed_with_a_warning(
    tmp_path: Path, db_path: Path
) -> None:
    book = write_xlsx(
        tmp_path / "book.xlsx", {"S": [["Indicator", "Apr-23", "May-23"], ["Re-referrals", 0.21, 0.19]]}
    )
    report = load(book, db_path)
    assert report.ok
    assert kpis(db_path)[("re_referrals", "2023-04", "month")] == (0.21, "")
    assert report.files[0].messages == [
        "book.xlsx: sheet 'S', cell A2: every figure for Re-referrals is between 0 and 1: if they are "
        "fractions (0.081 for 8.1%), format the cells as percentages; they were loaded as typed"
    ]


def test_formatted_empty_cells_beyond_the_table_are_ignored(tmp_path: Path, db_path: Path) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Indicator", APR23, datetime(2023, 5, 1)])
    sheet.append(["Re-referrals", 20, 21])
    fill = PatternFill("solid", fgColor="FFFF00")
    for row in range(3, 1500):
        sheet.cell(row, 1).fill = fill
    for column in range(4, 1000):
        sheet.cell(1, column).fill = fill
    book.save(tmp_path / "styled.xlsx")
    grid = read_excel_sheets(tmp_path / "styled.xlsx", "styled.xlsx")[0]
    assert (len(grid.rows), len(grid.rows[0])) == (2, 3)
    assert load(tmp_path / "styled.xlsx", db_path).ok
    assert kpis(db_path)[("re_referrals", "2023-05", "month")] == (21.0, "")


def test_reporting_period_dates_in_a_title_row_are_not_a_table(tmp_path: Path, db_path: Path) -> None:
    book = write_xlsx(
        tmp_path / "book.xlsx",
        {
            "Summary": [
                ["Reporting period", APR23, datetime(2023, 6, 30)],
                [],
                ["Indicator", *months(APR23, 3)],
                ["Re-referrals", 20, 21, 22],
            ]
        },
    )
    report = load(book, db_path)
    assert report.ok, report.messages
    assert kpis(db_path)[("re_referrals", "2023-06", "month")] == (22.0, "")


@given(year=st.integers(2000, 2099), month=st.integers(1, 12))
def test_every_month_header_style_names_the_same_month(year: int, month: int) -> None:
    first = date(year, month, 1)
    expected = parse_month(datetime(year, month, 1))
    assert expected is not None and (expected.year, expected.month) == (year, month)
    styles = [
        f"{first:%b-%y}",
        f"{first:%B %Y}",
        f"{first:%Y-%m}",
        f"{first:%b %Y}",
        f"{first:%d/%m/%Y}",
        f"{first:%m/%Y}",
        f"{first:%Y-%m-%d}",
        f"{first:%b-%y}".upper(),
    ]
    for text in styles:
        assert parse_month(text) == expected, text
        assert not looks_like_a_month(text)


@given(tenths=st.integers(0, 1000))
def test_a_percent_cell_loads_as_shown(tenths: int) -> None:
    shown = parse_number(tenths / 1000, "0.0%")
    assert shown is not None and shown.value == tenths / 10 and shown.percent
    typed = parse_number(f"{tenths / 10:.1f}%")
    assert typed is not None and typed.value == tenths / 10
