"""Pandera schema for the ONS mid-year population estimates as published on EES (ages 0-17).

The file is validated as text: `population_estimate` is a whole number or a DfE suppression
symbol (c, k, low, u, x, z), which is kept out of the store rather than read as a number.
"""

from __future__ import annotations

import pandera.pandas as pa

REQUIRED_COLUMNS = (
    "time_period",
    "geographic_level",
    "country_code",
    "region_code",
    "old_la_code",
    "age_group",
    "population_estimate",
)
SUPPRESSION_SYMBOLS = ("c", "k", "low", "u", "x", "z")
GEOGRAPHIC_LEVELS = ("National", "Regional", "Local authority")
CHILDREN_AGE_GROUP = "Children aged 0 to 17 years"

EXPECTATIONS = {
    "time_period": "a four-digit year such as 2024",
    "geographic_level": "National, Regional or Local authority",
    "population_estimate": "a whole number, or a suppression symbol (c, k, low, u, x, z)",
    "old_la_code": "a three-digit LA code on Local authority rows",
}


def _is_count_or_symbol(value: str) -> bool:
    text = value.strip().replace(",", "")
    return text.lower() in SUPPRESSION_SYMBOLS or text.isdigit()


POPULATION_SCHEMA = pa.DataFrameSchema(
    {
        "time_period": pa.Column(str, pa.Check.str_matches(r"^\d{4}$")),
        "geographic_level": pa.Column(str),
        "country_code": pa.Column(str),
        "region_code": pa.Column(str),
        "old_la_code": pa.Column(str),
        "age_group": pa.Column(str),
        "population_estimate": pa.Column(
            str, pa.Check(_is_count_or_symbol, element_wise=True, name="count_or_symbol")
        ),
    },
    checks=[
        pa.Check(
            lambda df: (
                (df["geographic_level"] != "Local authority") | df["old_la_code"].str.fullmatch(r"\d{3}")
            ),
            name="la_code_on_la_rows",
        )
    ],
    strict=False,
)
