"""Checks on targets read from a targets file (long form or a multi-year trajectory table)."""

from __future__ import annotations

import pandera.pandas as pa

# check name -> (message, expected), for problems a person can act on.
CHECK_MESSAGES: dict[str, tuple[str, str]] = {
    "known_la_code": ("unknown LA code", "an old-style 3-digit DfE LA code such as 929"),
    "plausible_year": ("year out of range", "a reporting year between 2000/01 and 2049/50"),
    "not_negative": ("negative target", "a target of 0 or more"),
    "percentage_at_most_100": ("percentage target over 100", "a percentage between 0 and 100"),
    "tolerance_not_negative": ("negative tolerance", "a tolerance of 0 or more, or blank"),
}


def targets_schema(known_la_codes: set[str]) -> pa.DataFrameSchema:
    """Rules for targets: one row per LA, indicator and reporting year (year_end 2024 = 2023/24)."""
    return pa.DataFrameSchema(
        {
            "la_code": pa.Column(
                str, pa.Check(lambda codes: codes.isin(known_la_codes), name="known_la_code")
            ),
            "indicator_id": pa.Column(str, pa.Check.str_length(min_value=1)),
            "year_end": pa.Column(
                "int64", pa.Check(lambda years: years.between(2001, 2050), name="plausible_year")
            ),
            "target": pa.Column(float, pa.Check(lambda targets: targets >= 0, name="not_negative")),
            "tolerance": pa.Column(
                float,
                pa.Check(lambda t: t.isna() | (t >= 0), name="tolerance_not_negative"),
                nullable=True,
            ),
            "percent": pa.Column(bool),
        },
        checks=[
            pa.Check(
                lambda frame: ~(frame["percent"] & (frame["target"] > 100)),
                name="percentage_at_most_100",
            )
        ],
    )
