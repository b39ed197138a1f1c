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
