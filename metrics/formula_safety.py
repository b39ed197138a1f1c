"""Spreadsheet formula injection: text cells that a spreadsheet would run as a formula.

Excel, LibreOffice and Google Sheets treat a cell that begins with = + - @ (and, after a tab or
carriage return, the same) as a formula, so an indicator name such as `=HYPERLINK(...)` in a CSV
becomes a live link or command when someone opens it. Following OWASP's CSV injection advice, every
text cell that begins with one of those characters gets a leading single quote, which spreadsheets
show as text. Numbers are never changed (a negative number stays the number -3.2), and text that
is just a number ("-3.2", "+5") is left alone too. Every CSV and workbook the project writes passes
its frame through `neutralise_formulas` (metrics.export.to_csv_bytes is the one CSV writer).

A carriage return inside text also becomes a line feed: pandas' CSV writer quotes a field with a
line feed but not one with a lone carriage return, which a spreadsheet then reads as a new row.
"""

from __future__ import annotations

import re

import pandas as pd

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")


def neutral_text(value: object) -> object:
    """`value`, with a leading ' when it is text a spreadsheet would read as a formula (and its
    carriage returns as line feeds)."""
    if not isinstance(value, str):
        return value
    if value.startswith(FORMULA_STARTS) and not _NUMBER.fullmatch(value):
        value = "'" + value
    return value.replace("\r\n", "\n").replace("\r", "\n")


def neutralise_formulas(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of `frame` with every text cell (and text column name) made safe by `neutral_text`."""
    result = frame.copy()
    for column in result.columns:
        if result[column].dtype == object or pd.api.types.is_string_dtype(result[column]):
            # element by element, kept as objects: map() would infer floats for whole counts and
            # blanks (4 and None -> 4.0 and NaN), and the CSV would say "4.0"
            result[column] = pd.Series(
                [neutral_text(v) for v in result[column]], index=result.index, dtype=object
            )
    result.columns = [neutral_text(c) for c in result.columns]
    return result
