"""Pandera schemas for published benchmarks: EES tidy CSVs, the LAIT long file, SN lists.

Published files are read as text and validated cell by cell before anything is converted, so a
bad cell is reported as it appears in the file (row, column, value, what was expected). These files
hold aggregate statistics only; no column is personal.
"""

from __future__ import annotations

import pandera.pandas as pa

# suppression and missing-value symbols of Explore Education Statistics, kept as a status
EES_SYMBOLS = ("c", "k", "low", "u", "x", "z")
NUMBER_PATTERN = r"^-?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?$"
# the counts, rates and percentages the dashboard reads from EES are never negative (-7 of -400 is
# a damaged file, not a benchmark)
NON_NEGATIVE_OR_SYMBOL = r"^((\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?|c|k|low|u|x|z|)$"

# columns every EES tidy CSV of LA-level figures has (selected by name; order differs by release)
EES_AREA_COLUMNS = (
    "time_period",
    "geographic_level",
    "region_code",
    "region_name",
    "old_la_code",
    "new_la_code",
    "la_name",
)
EES_LEVELS = {"National": "National", "Regional": "Regional", "Local authority": "Local authority"}

EES_EXPECTATIONS = {
    "time_period": "a year such as 2024, or a span such as 202324",
    "old_la_code": "a 3-digit LA code (or codes joined by ' / ') on Local authority rows",
}
MEASURE_EXPECTATION = "a number of 0 or more, or a suppression symbol (c, k, low, u, x, z)"


def ees_schema(measure_columns: list[str]) -> pa.DataFrameSchema:
    """The EES area columns plus the measure columns an indicator reads (all text)."""
    columns: dict[str, pa.Column] = {
        "time_period": pa.Column(str, pa.Check.str_matches(r"^\d{4}(\d{2})?$")),
        "geographic_level": pa.Column(str),
    }
    for name in measure_columns:
        columns[name] = pa.Column(str, pa.Check.str_matches(NON_NEGATIVE_OR_SYMBOL))
    return pa.DataFrameSchema(columns, strict=False)


# Rows with an LA code must give a 3-digit code (checked on Local authority rows only); joint
# returns (the workforce census of Kingston and Richmond, North and West Northamptonshire) give
# their codes joined by " / ".
LA_CODE_SCHEMA = pa.DataFrameSchema(
    {"old_la_code": pa.Column(str, pa.Check.str_matches(r"^\d{3}( / \d{3})*$"))}, strict=False
)

LAIT_COLUMNS = ("Short Desc", "Years", "LA and Regions", "Values", "LA Number")
LAIT_EXPECTATIONS = {
    "Years": "a year such as 2024 or a span such as 2023-24",
    "Values": "a number, or - for missing",
    "LA Number": "a 3-digit LA number, 970 (England) or 980-990 (regions)",
}
LAIT_SCHEMA = pa.DataFrameSchema(
    {
        "Short Desc": pa.Column(str),
        "Years": pa.Column(str, pa.Check.str_matches(r"^\d{4}(-\d{2})?$")),
        "LA and Regions": pa.Column(str),
        "Values": pa.Column(str, pa.Check.str_matches(r"^(" + NUMBER_PATTERN[1:-1] + r"|-|)$")),
        "LA Number": pa.Column(str, pa.Check.str_matches(r"^\d{3}$")),
    },
    strict=False,
)

CLOSENESS = ("Extremely close", "Very close", "Close", "Somewhat close", "Not close")
SN_EXPECTATIONS = {
    "la_code": "a 3-digit LA code",
    "neighbour_code": "a 3-digit LA code",
    "closeness": "one of " + ", ".join(CLOSENESS),
}
SN_SCHEMA = pa.DataFrameSchema(
    {
        "la_code": pa.Column(str, pa.Check.str_matches(r"^\d{3}$")),
        "neighbour_rank": pa.Column(int, pa.Check.in_range(1, 10)),
        "neighbour_code": pa.Column(str, pa.Check.str_matches(r"^\d{3}$")),
        "closeness": pa.Column(str, pa.Check.isin(CLOSENESS)),
    },
    strict=False,
    unique=["la_code", "neighbour_rank"],
)
