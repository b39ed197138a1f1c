"""Reading cells that people typed: header names and dates, shared by the schemas of typed lists.

Caseload lists and improvement plans are validated as text, so their schemas and loaders turn a
header or a date cell into a value the same way; only the date forms each source accepts differ.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date, datetime


def normalise_header(text: object) -> str:
    """'Worker ID' -> 'worker_id': lower case, words joined by '_'."""
    return "_".join(re.findall(r"[a-z0-9]+", str(text).lower()))


def parse_typed_date(text: str, formats: Iterable[str]) -> date | None:
    """The date in `text` by the first of `formats` that reads it (Excel's 'T00:00:00' ignored), or None."""
    cleaned = text.strip()
    if cleaned.endswith("T00:00:00"):
        cleaned = cleaned[:-9]
    for pattern in formats:
        try:
            return datetime.strptime(cleaned, pattern).date()
        except ValueError:
            continue
    return None
