"""Checks on the values read from an LA's monthly performance workbook.

The loader turns every readable cell into one row (where it came from, the indicator, the month,
the value and whether the cell was shown as a percentage); this schema holds the rules every such
row must meet. Failures are turned back into problems naming the sheet and cell.
"""

from __future__ import annotations

from datetime import date

import pandas as pd
import pandera.pandas as pa

from loaders.base import STATUS_SYMBOLS
from metrics.catalogue import PERIOD_TYPES

# What each check means to a person fixing the workbook: check name -> (message, expected).
CHECK_MESSAGES: dict[str, tuple[str, str]] = {
    "known_la_code": ("unknown LA code", "an old-style 3-digit DfE LA code such as 929"),
    "not_after_this_month": ("value for a month that has not ended yet", "months up to the current one"),
    "period_type": ("unknown period type", "month, ytd, rolling 12 months or snapshot"),
    "not_negative": ("negative value", "a count, percentage, rate or number of days (0 or more)"),
    "percentage_at_most_100": ("percentage over 100", "a percentage between 0 and 100"),
    "status_symbol": ("unknown status symbol", "one of c, k, u, x, z"),
}


def _not_negative(values: pd.Series) -> pd.Series:
    return values.isna() | (values >= 0)


def workbook_values_schema(known_la_codes: set[str], last_month_end: date) -> pa.DataFrameSchema:
    """Rules for the long table of workbook values; months after `last_month_end` are refused."""
    return pa.DataFrameSchema(
        {
            "la_code": pa.Column(
                str, pa.Check(lambda codes: codes.isin(known_la_codes), name="known_la_code")
            ),
            "indicator_id": pa.Column(str, pa.Check.str_length(min_value=1)),
            "period_end": pa.Column(
                checks=pa.Check(lambda ends: ends <= last_month_end, name="not_after_this_month")
            ),
            "period_type": pa.Column(
                str, pa.Check(lambda types: types.isin(PERIOD_TYPES), name="period_type")
            ),
            "value": pa.Column(float, pa.Check(_not_negative, name="not_negative"), nullable=True),
            "status": pa.Column(
                str, pa.Check(lambda symbols: symbols.isin(STATUS_SYMBOLS), name="status_symbol")
            ),
            "percent": pa.Column(bool),
        },
        checks=[
            pa.Check(
                lambda frame: ~(frame["percent"] & (frame["value"] > 100)),
                name="percentage_at_most_100",
            )
        ],
        coerce=False,
    )
