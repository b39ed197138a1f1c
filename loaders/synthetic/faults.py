"""The data-quality faults real extracts have, put in at a low rate so loaders meet them.

Bad dates, an episode ending before it starts (DEC before DECOM), codes not in the specification,
duplicated rows and blank required fields. Each fault is drawn from its own random stream so that
the rest of the data does not change when the rate does; a rate of 0 gives clean files.
"""

from __future__ import annotations

import re

import numpy as np

EPISODE = {name: i for i, name in enumerate(["CHILD", "DECOM", "RNE", "LS", "CIN", "PLACE",
                                               "PLACE_PROVIDER", "DEC", "REC"])}


def _bad_date(text: str) -> str:
    return "31/02/" + text[-4:] if len(text) == 10 else "31/02/2020"


def episodes(rows: list[list[str]], rng: np.random.Generator, rate: float) -> list[list[str]]:
    if rate <= 0:
        return rows
    out: list[list[str]] = []
    for row in rows:
        roll = rng.random()
        if roll < rate:
            fault = int(rng.integers(0, 5))
            row = list(row)
            if fault == 0:
                row[EPISODE["DECOM"]] = _bad_date(row[EPISODE["DECOM"]])
            elif fault == 1 and row[EPISODE["DEC"]]:
                day, month, year = row[EPISODE["DECOM"]].split("/")
                row[EPISODE["DEC"]] = f"{day}/{month}/{int(year) - 1}"
            elif fault == 2:
                row[EPISODE["PLACE"]] = "Z9"
            elif fault == 3:
                out.append(list(row))
            else:
                row[EPISODE["RNE"]] = ""
        out.append(row)
    return out


def header(rows: list[list[str]], rng: np.random.Generator, rate: float) -> list[list[str]]:
    if rate <= 0:
        return rows
    out = []
    for row in rows:
        if rng.random() < rate:
            row = list(row)
            fault = int(rng.integers(0, 3))
            if fault == 0:
                row[1] = ""
            elif fault == 1:
                row[2] = _bad_date(row[2])
            else:
                row[3] = "XXXX"
        out.append(row)
    return out


def oc3(rows: list[list[str]], rng: np.random.Generator, rate: float) -> list[list[str]]:
    if rate <= 0:
        return rows
    out = []
    for row in rows:
        if rng.random() < rate:
            row = list(row)
            row[2] = "YS" if rng.random() < 0.5 else ""
        out.append(row)
    return out


_REFERRAL = re.compile(r"<CINreferralDate>(\d{4})-\d{2}-\d{2}</CINreferralDate>")
_CLOSURE = re.compile(r"<CINclosureDate>\d{4}-\d{2}-\d{2}</CINclosureDate>")
_ASSESSMENT = re.compile(r"<AssessmentActualStartDate>[^<]*</AssessmentActualStartDate>")
_SOURCE = re.compile(r"<ReferralSource>[^<]*</ReferralSource>")


def cin_xml(text: str, rng: np.random.Generator, rate: float) -> str:
    """Bad referral dates, closures before the referral, unknown sources, blank authorisations."""
    if rate <= 0:
        return text
    lines = text.split("\n")
    for index, line in enumerate(lines):
        if "<CINreferralDate>" in line and rng.random() < rate:
            lines[index] = _REFERRAL.sub(r"<CINreferralDate>\1-02-30</CINreferralDate>", line)
        elif "<CINclosureDate>" in line and rng.random() < rate:
            lines[index] = _CLOSURE.sub("<CINclosureDate>2001-01-01</CINclosureDate>", line)
        elif "<ReferralSource>" in line and rng.random() < rate:
            lines[index] = _SOURCE.sub("<ReferralSource>99</ReferralSource>", line)
        elif "<AssessmentActualStartDate>" in line and rng.random() < rate:
            lines[index] = _ASSESSMENT.sub("<AssessmentActualStartDate></AssessmentActualStartDate>", line)
    return "\n".join(lines)
