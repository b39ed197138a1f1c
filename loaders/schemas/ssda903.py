"""Pandera schemas for the SSDA903 tables the dashboard measures from: header, episodes and OC3.

Codes and date formats follow the DfE 2024 specification (SSDA903_schema_2024.yml). Every table is
validated as text, so a bad cell is reported as typed. Each check carries a rule name; `RULES` says
what the loader does with a row that breaks it: leave it out of the store (and so of every measure)
or keep it and use it as documented. Only missing columns, an unreadable file or no rows fail a load.
A check that is also a DfE validation rule carries the DfE's code (356, 501; see metrics.validation).

Child ids, dates and postcodes identify a child: `PERSONAL_COLUMNS` are never quoted in a message.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import pandera.pandas as pa

DATE_FORMAT = "%d/%m/%Y"

RNE_CODES = ("S", "L", "P", "T", "B", "U")
LS_CODES = ("C1", "C2", "D1", "E1", "V2", "V3", "V4", "L1", "L2", "L3", "J1", "J2", "J3")
CIN_CODES = tuple(f"N{i}" for i in range(1, 9))
PLACE_CODES = (
    "A3", "A4", "A5", "A6", "H5", "K1", "K2", "P1", "P2", "P3", "R1", "R2", "R3", "R5", "S1",
    "T0", "T1", "T2", "T3", "T4", "U1", "U2", "U3", "U4", "U5", "U6", "Z1",
)
PLACE_PROVIDER_CODES = ("PR0", "PR1", "PR2", "PR3", "PR4", "PR5")
REC_CODES = (
    "X1", "E11", "E12", "E2", "E3", "E4A", "E4B", "E13", "E41", "E45", "E46", "E47", "E48", "E5",
    "E6", "E7", "E9", "E14", "E15", "E16", "E17", "E8",
)
REASON_PLACE_CHANGE_CODES = (
    "CARPL", "CLOSE", "ALLEG", "STAND", "APPRR", "CREQB", "CREQO", "CHILD", "LAREQ", "PLACE",
    "CUSTOD", "OTHER",
)
SEX_CODES = ("1", "2")
ETHNIC_CODES = (
    "WBRI", "WIRI", "WOTH", "WIRT", "WROM", "MWBC", "MWBA", "MWAS", "MOTH", "AIND", "APKN", "ABAN",
    "AOTH", "BCRB", "BAFR", "BOTH", "CHNE", "OOTH", "REFU", "NOBT",
)
IN_TOUCH_CODES = ("YES", "NO", "DIED", "REFU", "NREQ", "RHOM")
ACTIV_CODES = ("F1", "P1", "F2", "P2", "F4", "P4", "F5", "P5", "G4", "G5", "G6", "0")
ACCOM_CODES = tuple(f"{letter}{digit}" for letter in "BCDEGHKRSTUVWXYZ" for digit in "12") + ("0",)

# Every 903 table by its columns; the first three are stored and measured, the rest are recognised
# and acknowledged only.
TABLE_COLUMNS: dict[str, tuple[str, ...]] = {
    "header": ("CHILD", "SEX", "DOB", "ETHNIC", "UPN", "MOTHER", "MC_DOB"),
    "episodes": (
        "CHILD", "DECOM", "RNE", "LS", "CIN", "PLACE", "PLACE_PROVIDER", "DEC", "REC",
        "REASON_PLACE_CHANGE", "HOME_POST", "PL_POST", "URN",
    ),
    "oc3": ("CHILD", "DOB", "IN_TOUCH", "ACTIV", "ACCOM"),
    "oc2": ("CHILD", "DOB", "SDQ_SCORE", "SDQ_REASON", "CONVICTED", "HEALTH_CHECK"),
    "missing": ("CHILD", "DOB", "MISSING", "MIS_START", "MIS_END"),
    "reviews": ("CHILD", "DOB", "REVIEW", "REVIEW_CODE"),
    "uasc": ("CHILD", "SEX", "DOB", "DUC"),
    "ad1": ("CHILD", "DOB", "DATE_INT", "DATE_MATCH", "FOSTER_CARE"),
    "placed_for_adoption": ("CHILD", "DOB", "DATE_PLACED", "DATE_PLACED_CEASED"),
    "previous_permanence": ("CHILD", "DOB", "PREV_PERM", "LA_PERM", "DATE_PERM"),
    "social_worker": ("CHILD", "DOB", "SW_ID", "SW_DECOM", "SW_DEC", "SW_REASON"),
}
MEASURED_TABLES = ("header", "episodes", "oc3")

# Columns a file must have (a load fails without them); the others are optional.
REQUIRED_COLUMNS: dict[str, tuple[str, ...]] = {
    "header": ("CHILD", "SEX", "DOB"),
    "episodes": ("CHILD", "DECOM", "RNE", "LS", "CIN", "PLACE", "PLACE_PROVIDER", "DEC", "REC"),
    "oc3": ("CHILD", "DOB", "IN_TOUCH", "ACTIV", "ACCOM"),
}

# The columns that tell one table from another (a header row holding all of them is that table).
SIGNATURES: tuple[tuple[str, frozenset[str]], ...] = (
    ("episodes", frozenset({"CHILD", "DECOM", "RNE"})),
    ("oc3", frozenset({"CHILD", "IN_TOUCH"})),
    ("uasc", frozenset({"CHILD", "DUC"})),
    ("oc2", frozenset({"CHILD", "SDQ_SCORE"})),
    ("missing", frozenset({"CHILD", "MIS_START"})),
    ("reviews", frozenset({"CHILD", "REVIEW"})),
    ("ad1", frozenset({"CHILD", "DATE_INT"})),
    ("placed_for_adoption", frozenset({"CHILD", "DATE_PLACED"})),
    ("previous_permanence", frozenset({"CHILD", "PREV_PERM"})),
    ("social_worker", frozenset({"CHILD", "SW_ID"})),
    ("header", frozenset({"CHILD", "SEX", "DOB"})),
)

PERSONAL_COLUMNS = (
    "CHILD", "DOB", "UPN", "MC_DOB", "DECOM", "DEC", "HOME_POST", "PL_POST", "URN",
)

EXPECTATIONS = {
    "CHILD": "a child identifier",
    "DOB": "a date as dd/mm/yyyy",
    "DECOM": "a date as dd/mm/yyyy",
    "DEC": "a date as dd/mm/yyyy, or blank while the episode is open",
    "RNE": "one of " + ", ".join(RNE_CODES),
    "LS": "one of " + ", ".join(LS_CODES),
    "CIN": "one of " + ", ".join(CIN_CODES),
    "PLACE": "a placement code such as U1, K2, A3",
    "PLACE_PROVIDER": "one of " + ", ".join(PLACE_PROVIDER_CODES) + " or blank",
    "REC": "a reason episode ceased such as X1, E11, E8, or blank while open",
    "REASON_PLACE_CHANGE": "one of " + ", ".join(REASON_PLACE_CHANGE_CODES) + " or blank",
    "SEX": "1 (male) or 2 (female)",
    "ETHNIC": "a DfE ethnicity code such as WBRI",
    "IN_TOUCH": "one of " + ", ".join(IN_TOUCH_CODES),
    "ACTIV": "one of " + ", ".join(ACTIV_CODES),
    "ACCOM": "an accommodation code such as B1, V2, or 0",
}


@dataclass(frozen=True)
class Rule:
    """What a broken rule means and what the loader does with the row."""

    description: str
    excludes_row: bool
    severity: str = "warning"


RULES: dict[str, Rule] = {
    "child_missing": Rule("CHILD is blank; the row is left out", True, "error"),
    "bad_date": Rule("not a valid date; the row is left out", True, "error"),
    "bad_optional_date": Rule("not a valid date; the date is treated as unknown", False),
    "unknown_code_excluded": Rule("unknown code; the row is left out of the measures", True, "error"),
    "unknown_code_used": Rule("unknown code; the row is kept and the code treated as not known", False),
    "356": Rule("DEC is before DECOM; the episode is left out", True, "error"),
    "duplicate_episode": Rule(
        "a second episode for the same child and DECOM; the first is kept, this one left out", True
    ),
    "501": Rule(
        "the episode starts before the child's previous episode ends; the previous episode is "
        "treated as ending when this one starts",
        False,
    ),
    "open_episode_not_last": Rule(
        "an earlier episode of the child has no DEC; it is treated as ending when this one starts",
        False,
    ),
    "died_with_activity": Rule(
        "IN_TOUCH is DIED but an activity is recorded; the young person is left out of the "
        "care leaver cohort as DIED requires",
        False,
    ),
    "duplicate_child": Rule("the child appears twice in the table; the first row is kept", True),
}


def parse_dates(values: pd.Series) -> pd.Series:
    """dd/mm/yyyy text to datetime64; blank or invalid becomes NaT."""
    return pd.to_datetime(values, format=DATE_FORMAT, errors="coerce")


def _date_check(blank_allowed: bool, rule: str) -> pa.Check:
    def valid(values: pd.Series) -> pd.Series:
        ok = parse_dates(values).notna()
        return ok | (values == "") if blank_allowed else ok

    return pa.Check(valid, name=rule)


def _code_check(codes: tuple[str, ...], blank_allowed: bool, rule: str) -> pa.Check:
    allowed = set(codes) | ({""} if blank_allowed else set())
    return pa.Check(lambda values: values.isin(allowed), name=rule)


def _text(*checks: pa.Check, required: bool = True) -> pa.Column:
    return pa.Column(str, checks=list(checks), required=required, nullable=False)


def _child() -> pa.Column:
    return _text(pa.Check(lambda values: values != "", name="child_missing"))


def _dec_before_decom(frame: pd.DataFrame) -> pd.Series:
    decom, dec = parse_dates(frame["DECOM"]), parse_dates(frame["DEC"])
    return ~(dec < decom)


def _first_of_key(frame: pd.DataFrame, key: list[str]) -> pd.Series:
    return ~frame.duplicated(subset=key, keep="first")


def _episode_order(frame: pd.DataFrame) -> pd.DataFrame:
    """Usable episodes (valid DECOM, first of their key) sorted by child and DECOM."""
    usable = frame.assign(_decom=parse_dates(frame["DECOM"]), _dec=parse_dates(frame["DEC"]))
    usable = usable[usable["_decom"].notna() & _first_of_key(frame, ["CHILD", "DECOM"])]
    return usable.sort_values(["CHILD", "_decom"], kind="stable")


def _not_overlapping(frame: pd.DataFrame) -> pd.Series:
    ordered = _episode_order(frame)
    previous_end = ordered.groupby("CHILD", sort=False)["_dec"].shift(1)
    overlaps = previous_end.notna() & (ordered["_decom"] < previous_end)
    return ~overlaps.reindex(frame.index, fill_value=False)


def _open_only_when_last(frame: pd.DataFrame) -> pd.Series:
    ordered = _episode_order(frame)
    grouped = ordered.groupby("CHILD", sort=False)
    previous_open = grouped["_dec"].shift(1).isna() & grouped.cumcount().gt(0)
    return ~previous_open.reindex(frame.index, fill_value=False)


def _died_without_activity(frame: pd.DataFrame) -> pd.Series:
    return ~((frame["IN_TOUCH"] == "DIED") & ~frame["ACTIV"].isin(["0", ""]))


EPISODES_SCHEMA = pa.DataFrameSchema(
    {
        "CHILD": _child(),
        "DECOM": _text(_date_check(False, "bad_date")),
        "RNE": _text(_code_check(RNE_CODES, False, "unknown_code_excluded")),
        "LS": _text(_code_check(LS_CODES, False, "unknown_code_excluded")),
        "CIN": _text(_code_check(CIN_CODES, False, "unknown_code_used")),
        "PLACE": _text(_code_check(PLACE_CODES, False, "unknown_code_used")),
        "PLACE_PROVIDER": _text(_code_check(PLACE_PROVIDER_CODES, True, "unknown_code_used")),
        "DEC": _text(_date_check(True, "bad_date")),
        "REC": _text(_code_check(REC_CODES, True, "unknown_code_used")),
        "REASON_PLACE_CHANGE": _text(
            _code_check(REASON_PLACE_CHANGE_CODES, True, "unknown_code_used"), required=False
        ),
    },
    checks=[
        pa.Check(_dec_before_decom, name="356"),
        pa.Check(lambda frame: _first_of_key(frame, ["CHILD", "DECOM"]), name="duplicate_episode"),
        pa.Check(_not_overlapping, name="501"),
        pa.Check(_open_only_when_last, name="open_episode_not_last"),
    ],
    strict=False,
)

HEADER_SCHEMA = pa.DataFrameSchema(
    {
        "CHILD": _child(),
        "SEX": _text(_code_check(SEX_CODES, False, "unknown_code_used")),
        "DOB": _text(_date_check(False, "bad_optional_date")),
        "ETHNIC": _text(_code_check(ETHNIC_CODES, False, "unknown_code_used"), required=False),
    },
    checks=[pa.Check(lambda frame: _first_of_key(frame, ["CHILD"]), name="duplicate_child")],
    strict=False,
)

OC3_SCHEMA = pa.DataFrameSchema(
    {
        "CHILD": _child(),
        "DOB": _text(_date_check(False, "bad_date")),
        "IN_TOUCH": _text(_code_check(IN_TOUCH_CODES, False, "unknown_code_excluded")),
        "ACTIV": _text(_code_check(ACTIV_CODES, False, "unknown_code_used")),
        "ACCOM": _text(_code_check(ACCOM_CODES, False, "unknown_code_used")),
    },
    checks=[
        pa.Check(_died_without_activity, name="died_with_activity"),
        pa.Check(lambda frame: _first_of_key(frame, ["CHILD"]), name="duplicate_child"),
    ],
    strict=False,
)

SCHEMAS: dict[str, pa.DataFrameSchema] = {
    "header": HEADER_SCHEMA,
    "episodes": EPISODES_SCHEMA,
    "oc3": OC3_SCHEMA,
}


RULES["age_outside_cohort"] = Rule(
    "the young person is not aged 17 to 21 on their birthday in the collection year; left out of "
    "the care leaver measures",
    True,
)


def anniversary(dob: pd.Series, year: pd.Series | int) -> pd.Series:
    """`dob`'s birthday in calendar `year`; 29 February falls on 28 February in other years."""
    years = pd.Series(year, index=dob.index)
    leap = (years % 4 == 0) & ((years % 100 != 0) | (years % 400 == 0))
    day = dob.dt.day.where(~((dob.dt.month == 2) & (dob.dt.day == 29) & ~leap), 28)
    parts = pd.DataFrame({"year": years, "month": dob.dt.month, "day": day})
    return pd.to_datetime(parts.where(dob.notna()), errors="coerce")


def birthday_in_year(dob: pd.Series, collection_year: int) -> pd.Series:
    """The birthday of `dob` within the reporting year 1 April to 31 March `collection_year`."""
    first = anniversary(dob, collection_year - 1)
    return first.where(first >= pd.Timestamp(collection_year - 1, 4, 1), anniversary(dob, collection_year))


def oc3_cohort_schema(collection_year: int) -> pa.DataFrameSchema:
    """OC3 rows must describe a young person aged 17 to 21 on their birthday in the year."""

    def aged_17_to_21(frame: pd.DataFrame) -> pd.Series:
        dob = parse_dates(frame["DOB"])
        birthday = birthday_in_year(dob, collection_year)
        age = birthday.dt.year - dob.dt.year
        return dob.isna() | age.between(17, 21)

    return pa.DataFrameSchema(checks=[pa.Check(aged_17_to_21, name="age_outside_cohort")], strict=False)
