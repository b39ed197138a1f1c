"""The data-quality faults real extracts have, put in at a low rate so loaders meet them.

Bad dates, an episode ending before it starts (DEC before DECOM), codes not in the specification,
duplicated rows and blank required fields. Each fault is drawn from its own random stream so that
the rest of the data does not change when the rate does; a rate of 0 gives clean files.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import numpy as np

EPISODE = {
    name: i
    for i, name in enumerate(["CHILD", "DECOM", "RNE", "LS", "CIN", "PLACE", "PLACE_PROVIDER", "DEC", "REC"])
}


def _bad_date(text: str) -> str:
    return "31/02/" + text[-4:] if len(text) == 10 else "31/02/2020"


def _with_faults(
    rows: list[list[str]],
    rng: np.random.Generator,
    rate: float,
    spoil: Callable[[list[str], np.random.Generator], list[list[str]]],
) -> list[list[str]]:
    """Each row drawn at `rate` is replaced by what `spoil` makes of a copy of it (one row, or two
    for a duplicate); the rest are kept as they are."""
    if rate <= 0:
        return rows
    out: list[list[str]] = []
    for row in rows:
        if rng.random() < rate:
            out.extend(spoil(list(row), rng))
        else:
            out.append(row)
    return out


def _spoil_episode(row: list[str], rng: np.random.Generator) -> list[list[str]]:
    fault = int(rng.integers(0, 5))
    if fault == 0:
        row[EPISODE["DECOM"]] = _bad_date(row[EPISODE["DECOM"]])
    elif fault == 1 and row[EPISODE["DEC"]]:
        day, month, year = row[EPISODE["DECOM"]].split("/")
        row[EPISODE["DEC"]] = f"{day}/{month}/{int(year) - 1}"
    elif fault == 2:
        row[EPISODE["PLACE"]] = "Z9"
    elif fault == 3:
        return [list(row), row]
    else:
        row[EPISODE["RNE"]] = ""
    return [row]


def _spoil_header(row: list[str], rng: np.random.Generator) -> list[list[str]]:
    fault = int(rng.integers(0, 3))
    if fault == 0:
        row[1] = ""
    elif fault == 1:
        row[2] = _bad_date(row[2])
    else:
        row[3] = "XXXX"
    return [row]


def _spoil_oc3(row: list[str], rng: np.random.Generator) -> list[list[str]]:
    row[2] = "YS" if rng.random() < 0.5 else ""
    return [row]


def episodes(rows: list[list[str]], rng: np.random.Generator, rate: float) -> list[list[str]]:
    return _with_faults(rows, rng, rate, _spoil_episode)


def header(rows: list[list[str]], rng: np.random.Generator, rate: float) -> list[list[str]]:
    return _with_faults(rows, rng, rate, _spoil_header)


def oc3(rows: list[list[str]], rng: np.random.Generator, rate: float) -> list[list[str]]:
    return _with_faults(rows, rng, rate, _spoil_oc3)


_CIN_FIELDS = re.compile(
    r"<(CINreferralDate|CINclosureDate|ReferralSource|AssessmentActualStartDate)>([^<]*)<"
)
_CIN_FAULTS = {
    "CINreferralDate": lambda value: value[:4] + "-02-30",  # not a date
    "CINclosureDate": lambda value: "2001-01-01",  # before the referral
    "ReferralSource": lambda value: "99",  # not a code
    "AssessmentActualStartDate": lambda value: "",  # a required date left blank
}


def cin_xml(text: str, rng: np.random.Generator, rate: float) -> str:
    """Bad referral dates, closures before the referral, unknown sources, blank assessment starts."""
    if rate <= 0:
        return text
    draws = iter(rng.random(len(_CIN_FIELDS.findall(text))).tolist())

    def fault(match: re.Match[str]) -> str:
        if next(draws) >= rate:
            return match.group(0)
        tag, value = match.group(1), match.group(2)
        return f"<{tag}>{_CIN_FAULTS[tag](value)}<"

    return _CIN_FIELDS.sub(fault, text)
