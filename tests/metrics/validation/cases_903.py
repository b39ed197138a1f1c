"""Hand-made records for every implemented 903 rule: one set that breaks it, one that passes.

Each case: (rule code, description, tables as in tests/metrics/validation/conftest.py `load`,
the source rows the rule must flag). Rows are numbered from 2 in each LA's yearly file (row 1 is
the header). Every episode is in collection year 2024 (1 April 2023 to 31 March 2024) unless
it says otherwise.
"""

from __future__ import annotations

from typing import Any

Case = tuple[str, str, dict[str, list[dict[str, Any]]], list[int]]


def ep(decom: str, dec: str | None = None, **fields: Any) -> dict[str, Any]:
    return {"decom": decom, "dec": dec, **fields}


CASES: list[Case] = [
    ("148", "DEC without REC", {"episodes": [ep("2023-05-01", "2023-06-01", rec="")]}, [2]),
    ("148", "open episode with REC", {"episodes": [ep("2023-05-01", rec="E11")]}, [2]),
    ("148", "both or neither", {"episodes": [ep("2023-05-01", "2023-06-01", rec="E11"),
                                              ep("2023-07-01", child="B")]}, []),
    ("356", "DEC before DECOM", {"episodes": [ep("2023-05-01", "2023-04-20")]}, [2]),
    ("356", "DEC on DECOM", {"episodes": [ep("2023-05-01", "2023-05-01")]}, []),
    ("357", "first episode in the year not S",
     {"episodes": [ep("2023-05-01", rne="P")]}, [2]),
    ("357", "first episode before the year may be a continuation",
     {"episodes": [ep("2023-03-01", rne="P")]}, []),
    ("357", "first episode S", {"episodes": [ep("2023-05-01", rne="S")]}, []),
    ("388", "X1 with no episode starting on DEC",
     {"episodes": [ep("2023-05-01", "2023-06-01", rec="X1"),
                   ep("2023-06-05", rne="P")]}, [2]),
    ("388", "ends on the next DECOM but not X1",
     {"episodes": [ep("2023-05-01", "2023-06-01", rec="E11"), ep("2023-06-01", rne="S")]}, [2]),
    ("388", "last episode ends X1", {"episodes": [ep("2023-05-01", "2023-06-01", rec="X1")]}, [2]),
    ("388", "X1 followed on the same day",
     {"episodes": [ep("2023-05-01", "2023-06-01", rec="X1"), ep("2023-06-01", rne="P")]}, []),
    ("431", "S starting on the previous DEC",
     {"episodes": [ep("2023-05-01", "2023-06-01", rec="X1"), ep("2023-06-01", rne="S")]}, [3]),
    ("431", "S after a gap",
     {"episodes": [ep("2023-05-01", "2023-06-01", rec="E11"), ep("2023-06-02", rne="S")]}, []),
    ("432", "ceased (E11) then not S",
     {"episodes": [ep("2023-05-01", "2023-06-01", rec="E11"), ep("2023-07-01", rne="P")]}, [3]),
    ("432", "ceased then S",
     {"episodes": [ep("2023-05-01", "2023-06-01", rec="E11"), ep("2023-07-01", rne="S")]}, []),
    ("433", "P not starting on the previous DEC",
     {"episodes": [ep("2023-05-01", "2023-06-01", rec="X1"), ep("2023-06-02", rne="P", place="U2")]},
     [3]),
    ("433", "P starting on the previous DEC",
     {"episodes": [ep("2023-05-01", "2023-06-01", rec="X1"), ep("2023-06-01", rne="P", place="U2")]},
     []),
    ("434", "L with the same LS",
     {"episodes": [ep("2023-05-01", "2023-06-01", rec="X1"), ep("2023-06-01", rne="L")]}, [3]),
    ("434", "L with a new placement",
     {"episodes": [ep("2023-05-01", "2023-06-01", rec="X1"),
                   ep("2023-06-01", rne="L", ls="C1", place="U2")]}, [3]),
    ("434", "L: new LS, same placement",
     {"episodes": [ep("2023-05-01", "2023-06-01", rec="X1"), ep("2023-06-01", rne="L", ls="C1")]},
     []),
    ("435", "P with a new LS",
     {"episodes": [ep("2023-05-01", "2023-06-01", rec="X1"),
                   ep("2023-06-01", rne="P", ls="C1", place="U2")]}, [3]),
    ("435", "P with the same placement",
     {"episodes": [ep("2023-05-01", "2023-06-01", rec="X1"), ep("2023-06-01", rne="T")]}, [3]),
    ("435", "P: new placement, same LS",
     {"episodes": [ep("2023-05-01", "2023-06-01", rec="X1"), ep("2023-06-01", rne="P", place="U2")]},
     []),
    ("436", "U with the same LS",
     {"episodes": [ep("2023-05-01", "2023-06-01", rec="X1"), ep("2023-06-01", rne="U", place="U2")]},
     [3]),
    ("436", "B with the same placement",
     {"episodes": [ep("2023-05-01", "2023-06-01", rec="X1"), ep("2023-06-01", rne="B", ls="C1")]},
     [3]),
    ("436", "U: both changed",
     {"episodes": [ep("2023-05-01", "2023-06-01", rec="X1"),
                   ep("2023-06-01", rne="U", ls="C1", place="U2")]}, []),
    ("437", "died, then a later episode",
     {"episodes": [ep("2023-05-01", "2023-06-01", rec="E2"), ep("2023-07-01", rne="S")]}, [2]),
    ("437", "aged 18 as the last episode", {"episodes": [ep("2023-05-01", "2023-06-01", rec="E15")]},
     []),
    ("501", "starts before the previous DEC",
     {"episodes": [ep("2023-05-01", "2023-06-10", rec="X1"), ep("2023-06-01", rne="P", place="U2")]},
     [3]),
    ("501", "starts on the previous DEC",
     {"episodes": [ep("2023-05-01", "2023-06-01", rec="X1"), ep("2023-06-01", rne="P", place="U2")]},
     []),
]


def hd(dob: str, **fields: Any) -> dict[str, Any]:
    return {"dob": dob, **fields}


def oc(dob: str, **fields: Any) -> dict[str, Any]:
    return {"dob": dob, **fields}


CONTINUING = {"rec": "X1"}
CASES += [
    ("361", "police protection over 72 hours",
     {"episodes": [ep("2023-05-01", "2023-05-03", ls="L1", **CONTINUING),
                   ep("2023-05-03", "2023-05-06", ls="L1", rne="L", place="U2", **CONTINUING),
                   ep("2023-05-06", rne="L", ls="C2")]}, [2, 3]),
    ("361", "police protection of 3 days",
     {"episodes": [ep("2023-05-01", "2023-05-04", ls="L1", **CONTINUING), ep("2023-05-04", rne="L")]},
     []),
    ("362", "EPO over 21 days", {"episodes": [ep("2023-05-01", "2023-05-23", ls="L2")]}, [2]),
    ("362", "EPO of 21 days", {"episodes": [ep("2023-05-01", "2023-05-22", ls="L2")]}, []),
    ("363", "CAO over 7 days across two episodes",
     {"episodes": [ep("2023-05-01", "2023-05-05", ls="L3", **CONTINUING),
                   ep("2023-05-05", "2023-05-10", ls="L3", rne="P", place="U2")]}, [2, 3]),
    ("363", "two separate CAOs of 4 days",
     {"episodes": [ep("2023-05-01", "2023-05-05", ls="L3"),
                   ep("2023-06-01", "2023-06-05", ls="L3", rne="S")]}, []),
    ("364", "PACE over 21 days, open to the year end",
     {"episodes": [ep("2024-03-01", ls="J2")]}, [2]),
    ("364", "PACE of 2 days", {"episodes": [ep("2024-03-01", "2024-03-03", ls="J2")]}, []),
    ("365", "short break of 18 days", {"episodes": [ep("2023-05-01", "2023-05-19", ls="V3")]}, [2]),
    ("365", "short break of 17 days", {"episodes": [ep("2023-05-01", "2023-05-18", ls="V3")]}, []),
    ("366", "short break not S",
     {"episodes": [ep("2023-05-01", "2023-05-03", ls="V3", rne="P")]}, [2]),
    ("366", "short break S", {"episodes": [ep("2023-05-01", "2023-05-03", ls="V3")]}, []),
    ("367", "76 days of short breaks in the year",
     {"episodes": [ep(f"2023-{m:02d}-01", f"2023-{m:02d}-16", ls="V3") for m in range(4, 9)]
      + [ep("2023-09-01", "2023-09-02", ls="V3")]}, [2, 3, 4, 5, 6, 7]),
    ("367", "75 days, the first clipped to 1 April",
     {"episodes": [ep("2023-03-20", "2023-04-16", ls="V3")]
      + [ep(f"2023-{m:02d}-01", f"2023-{m:02d}-16", ls="V3") for m in range(5, 9)]}, []),
    ("384", "short break in long-term foster care",
     {"episodes": [ep("2023-05-01", "2023-05-03", ls="V4", place="U4")]}, [2]),
    ("384", "short break in short-term foster care",
     {"episodes": [ep("2023-05-01", "2023-05-03", ls="V4", place="U3")]}, []),
    ("426", "V3 and V4 in one year",
     {"episodes": [ep("2023-05-01", "2023-05-03", ls="V3", place="U3"),
                   ep("2023-06-01", "2023-06-03", ls="V4", place="U3"),
                   ep("2023-07-01", "2023-07-03", ls="V4", place="U3", child="B")]}, [2, 3]),
    ("426", "V4 only", {"episodes": [ep("2023-06-01", "2023-06-03", ls="V4", place="U3")]}, []),
    ("133", "invalid ACCOM", {"oc3": [oc("2005-06-01", accom="S1"), oc("2005-07-01", accom="",
                                                                       child="B")]}, [2, 3]),
    ("133", "valid ACCOM", {"oc3": [oc("2005-06-01", accom="G2"), oc("2005-07-01", accom="0")]}, []),
    ("302", "first episode before birth",
     {"episodes": [ep("2023-05-01")], "header": [hd("2023-05-02")]}, [2]),
    ("302", "first episode on the day of birth",
     {"episodes": [ep("2023-05-01")], "header": [hd("2023-05-01")]}, []),
    ("352", "started on the 18th birthday",
     {"episodes": [ep("2023-05-01")], "header": [hd("2005-05-01")]}, [2]),
    ("352", "started the day before the 18th birthday",
     {"episodes": [ep("2023-04-30")], "header": [hd("2005-05-01")]}, []),
    ("386", "adopted on the 18th birthday",
     {"episodes": [ep("2023-04-01", "2023-05-01", rec="E11")], "header": [hd("2005-05-01")]}, [2]),
    ("386", "adopted at 17", {"episodes": [ep("2023-04-01", "2023-04-30", rec="E12")],
                              "header": [hd("2005-05-01")]}, []),
    ("387", "independent living at 13",
     {"episodes": [ep("2023-04-01", "2023-04-30", rec="E5")], "header": [hd("2009-05-01")]}, [2]),
    ("387", "independent living on the 14th birthday",
     {"episodes": [ep("2023-04-01", "2023-05-01", rec="E6")], "header": [hd("2009-05-01")]}, []),
    ("389", "adult social care at 15",
     {"episodes": [ep("2023-04-01", "2023-04-30", rec="E7")], "header": [hd("2007-05-01")]}, [2]),
    ("389", "adult social care at 16",
     {"episodes": [ep("2023-04-01", "2023-05-01", rec="E7")], "header": [hd("2007-05-01")]}, []),
    ("407", "SGO after the 18th birthday",
     {"episodes": [ep("2023-04-01", "2023-05-02", rec="E45")], "header": [hd("2005-05-01")]}, [2]),
    ("407", "SGO on the 18th birthday",
     {"episodes": [ep("2023-04-01", "2023-05-01", rec="E46")], "header": [hd("2005-05-01")]}, []),
    ("460", "stayed put before 18",
     {"episodes": [ep("2023-04-01", "2023-04-30", rec="E17")], "header": [hd("2005-05-01")]}, [2]),
    ("460", "stayed put at 18",
     {"episodes": [ep("2023-04-01", "2023-05-01", rec="E17")], "header": [hd("2005-05-01")]}, []),
]
