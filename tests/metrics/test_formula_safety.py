"""Formula injection: text cells a spreadsheet would run are neutralised in every CSV written."""

from __future__ import annotations

import csv
import io
import re
from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from loaders.commentary import Subject, save_commentary
from loaders.store import Reader
from metrics.commentary import commentary_export
from metrics.export import to_csv_bytes
from metrics.formula_safety import FORMULA_STARTS, neutral_text, neutralise_formulas
from tests.pages.store_builder import LA, build_small_store

ROOT = Path(__file__).resolve().parents[2]
HOSTILE = [
    '=HYPERLINK("http://x","click")',
    "+cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+1)",
    "\t=1+1",
    "\r=1+1",
]


def read_back(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))


def quoted(text: str) -> str:
    """What the CSV holds for a hostile cell: a leading quote, carriage returns as line feeds."""
    return "'" + text.replace("\r", "\n")


@pytest.mark.parametrize("text", HOSTILE)
def test_each_formula_start_gets_a_leading_quote(text: str) -> None:
    assert neutral_text(text) == quoted(text)


def test_a_carriage_return_inside_text_cannot_start_a_row() -> None:
    rows = read_back(to_csv_bytes(pd.DataFrame({"a": ["one\rtwo", "x\r\ny"], "b": [1, 2]})))
    assert rows == [["a", "b"], ["one\ntwo", "1"], ["x\ny", "2"]]


def test_every_listed_start_is_covered() -> None:
    assert {t[0] for t in HOSTILE} == set(FORMULA_STARTS)


@pytest.mark.parametrize("text", ["Repeat CP plans", "'=already quoted", "", "a=b", " =1"])
def test_ordinary_text_is_unchanged(text: str) -> None:
    assert neutral_text(text) == text


@pytest.mark.parametrize("text", ["-3.2", "+5", "-0.5e3", "-.5"])
def test_text_that_is_just_a_number_is_unchanged(text: str) -> None:
    assert neutral_text(text) == text


def test_numbers_and_missing_values_are_unchanged() -> None:
    frame = pd.DataFrame({"value": [-3.2, 4.0], "count": [-1, 2], "name": [None, "=1+1"]})
    safe = neutralise_formulas(frame)
    assert safe["value"].tolist() == [-3.2, 4.0]
    assert safe["count"].tolist() == [-1, 2]
    assert pd.isna(safe.loc[0, "name"]) and safe.loc[1, "name"] == "'=1+1"


def test_export_csv_has_no_live_formula_in_cells_or_header() -> None:
    frame = pd.DataFrame({"indicator_name": HOSTILE, "value": [-1.5] * len(HOSTILE), "=col": "x"})
    rows = read_back(to_csv_bytes(frame))
    assert rows[0] == ["indicator_name", "value", "'=col"]
    assert [r[0] for r in rows[1:]] == [quoted(t) for t in HOSTILE]
    assert {r[1] for r in rows[1:]} == {"-1.5"}  # a negative number stays a number


def test_commentary_export_csv_neutralises_what_an_analyst_typed(tmp_path: Path) -> None:
    store = build_small_store(tmp_path / "store.duckdb")
    text = '=HYPERLINK("http://x","click") explains the rise'
    save_commentary(
        store,
        la_code=LA,
        subject=Subject(indicator_id="repeat_cp_plans"),
        month=date(2024, 9, 30),
        text=text,
        author="@analyst",
    )
    rows = read_back(to_csv_bytes(commentary_export(Reader(store), LA)))
    header, first = rows[0], rows[1]
    assert first[header.index("text")] == "'" + text
    assert first[header.index("author")] == "'@analyst"


def test_every_csv_the_project_writes_goes_through_to_csv_bytes() -> None:
    # metrics.export.to_csv_bytes neutralises; the app, metrics, pages and reports have no other
    # writer of CSV or workbooks (loaders/ writes only the synthetic and demo source files)
    writers = re.compile(r"\.to_csv\(|\.to_excel\(|csv\.writer\(|csv\.DictWriter\(|Workbook\(")
    folders = ("metrics", "pages", "reports")
    sources = [ROOT / "app.py", *(path for f in folders for path in (ROOT / f).rglob("*.py"))]
    found = [
        (str(path.relative_to(ROOT)), line.strip())
        for path in sources
        for line in path.read_text().splitlines()
        if writers.search(line)
    ]
    writer = 'return safe.to_csv(index=False, date_format="%Y-%m-%d").encode("utf-8-sig")'
    assert found == [("metrics/export.py", writer)]
