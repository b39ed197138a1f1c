"""Rows the 903 loader refuses are flagged by the DfE rules that bear on them (131, 143, 144, 356,
357, 1001, 1002), as the validator flags them: the loader keeps them, unseen by the measures, in
ssda903_refused_episodes and ssda903_refused_oc3 with the child's id only as its keyed hash.

Each test loads hand-made files through the loader (fake ids such as R1) and asks one rule which
rows of which file it flags; a record of the same child that the loader stores is the passing one.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest

from loaders.ingest import ingest
from loaders.store import Reader, write_session
from metrics.validation import flagged_rows
from tests.metrics.validation.conftest import LA, one_rule

EPISODES = "CHILD,DECOM,RNE,LS,CIN,PLACE,PLACE_PROVIDER,DEC,REC,REASON_PLACE_CHANGE,HOME_POST,PL_POST,URN\n"
HEADER = "CHILD,SEX,DOB,ETHNIC,UPN,MOTHER,MC_DOB\n"
OC3 = "CHILD,DOB,IN_TOUCH,ACTIV,ACCOM\n"


def _write(folder: Path, files: dict[str, str]) -> list[Path]:
    paths = []
    for name, text in files.items():
        path = folder / name
        path.write_text(text)
        paths.append(path)
    return paths


def _load(db: Path, folder: Path, *years: dict[str, str]) -> None:
    for files in years:  # each year's files, earlier years first, as an LA loads its history
        assert ingest(_write(folder, files), db=db, la_code=LA).ok


def _flagged(db: Path, code: str) -> list[tuple[str, int, int]]:
    with write_session(db) as writer:
        found = flagged_rows(writer, one_rule("ssda903", code))
    return [(str(t), int(y), int(r)) for t, y, r in found[["table_name", "collection_year", "source_row"]]
            .itertuples(index=False)]


@pytest.mark.parametrize(
    ("code", "rows", "expected"),
    [
        ("143", "R1,01/05/2023,X,C2,N1,U1,PR1,,,,,,\nR2,01/05/2023,S,C2,N1,U1,PR1,,,,,,\n",
         [("episodes", 2024, 2)]),
        ("144", "R1,01/05/2023,S,C9,N1,U1,PR1,,,,,,\nR2,01/05/2023,S,C2,N1,U1,PR1,,,,,,\n",
         [("episodes", 2024, 2)]),
        ("356", "R1,01/05/2023,S,C2,N1,U1,PR1,20/04/2023,E11,,,,\n"
                "R2,01/05/2023,S,C2,N1,U1,PR1,01/05/2023,E11,,,,\n", [("episodes", 2024, 2)]),
        # the refused RNE X episode is R1's first (357 flags it); R2's refused one follows a stored S
        ("357", "R1,01/05/2023,X,C2,N1,U1,PR1,,,,,,\nR2,01/05/2023,S,C2,N1,U1,PR1,01/06/2023,X1,,,,\n"
                "R2,01/06/2023,X,C2,N1,U1,PR1,,,,,,\n", [("episodes", 2024, 2)]),
    ],
)
def test_refused_episodes_are_flagged(db_path: Path, tmp_path: Path, code: str, rows: str,
                                      expected: list[tuple[str, int, int]]) -> None:
    _load(db_path, tmp_path, {"2024-episodes.csv": EPISODES + rows})
    assert _flagged(db_path, code) == expected


def test_a_refused_episode_before_the_stored_first_is_the_first(db_path: Path, tmp_path: Path) -> None:
    """357 asks for the child's first episode: a refused one (RNE X) earlier than the stored L
    episode is the first, so the refused row is flagged and the stored one is not."""
    rows = "R1,01/05/2023,X,C2,N1,U1,PR1,01/06/2023,X1,,,,\nR1,01/06/2023,L,C2,N1,U1,PR1,,,,,,\n"
    _load(db_path, tmp_path, {"2024-episodes.csv": EPISODES + rows})
    assert _flagged(db_path, "357") == [("episodes", 2024, 2)]


LEAVERS = {  # last year's and this year's files of two leavers: L1 in care from 14, L2 never
    2023: {"2023-episodes.csv": EPISODES + "L1,01/05/2020,S,C2,N1,U1,PR1,,,,,,\n",
           "2023-header.csv": HEADER + "L1,1,15/06/2005,WBRI,,,\n"},
}


def _leavers(db: Path, folder: Path, oc3: str) -> None:
    _load(db, folder, LEAVERS[2023], {
        "2024-episodes.csv": EPISODES + "L1,01/05/2020,S,C2,N1,U1,PR1,16/06/2023,E8,,,,\n",
        "2024-oc3.csv": OC3 + oc3,
        "2024-header.csv": HEADER + "L1,1,15/06/2005,WBRI,,,\nL2,1,15/06/2005,WBRI,,,\n",
    })


@pytest.mark.parametrize(
    ("code", "expected"),
    [("131", [("oc3", 2024, 2), ("oc3", 2024, 3)]),  # both unknown IN_TOUCH
     ("1001", [("oc3", 2024, 3)]),  # L2 was never looked after; L1 was, from 14
     ("1002", [("oc3", 2024, 3)])],  # L2 has no episode this year or last
)
def test_refused_care_leavers_are_checked(db_path: Path, tmp_path: Path, code: str,
                                          expected: list[tuple[str, int, int]]) -> None:
    _leavers(db_path, tmp_path, "L1,15/06/2005,MAYBE,F2,V1\nL2,15/06/2005,MAYBE,F2,V1\n")
    assert _flagged(db_path, code) == expected


def test_a_refused_episode_is_care_for_1001_and_1002(db_path: Path, tmp_path: Path) -> None:
    """L2's only episode is refused (LS C9): the validator still counts it, so neither 1001 nor 1002
    flags L2's OC3 row (row 3); 144 flags the episode, 131 no OC3 row."""
    _load(db_path, tmp_path, LEAVERS[2023],
          {"2024-episodes.csv": EPISODES + "L1,01/05/2020,S,C2,N1,U1,PR1,16/06/2023,E8,,,,\n"
                                           "L2,01/05/2020,S,C9,N1,U1,PR1,16/06/2023,E8,,,,\n",
           "2024-oc3.csv": OC3 + "L1,15/06/2005,YES,F2,V1\nL2,15/06/2005,YES,F2,V1\n",
           "2024-header.csv": HEADER + "L1,1,15/06/2005,WBRI,,,\nL2,1,15/06/2005,WBRI,,,\n"})
    assert _flagged(db_path, "1001") == [] and _flagged(db_path, "1002") == []
    assert _flagged(db_path, "144") == [("episodes", 2024, 3)]
    assert _flagged(db_path, "131") == []  # IN_TOUCH YES: the passing record of 131


def test_refused_rows_hold_no_child_id_and_a_reload_replaces_them(db_path: Path, tmp_path: Path) -> None:
    rows = "R1,01/05/2023,X,C2,N1,U1,PR1,,,,,,\nR2,01/05/2023,S,C9,N1,U1,PR1,,,,,,\n"
    _load(db_path, tmp_path, {"2024-episodes.csv": EPISODES + rows})
    refused = Reader(db_path).query("select * from ssda903_refused_episodes order by source_row")
    assert refused["source_row"].tolist() == [2, 3]
    assert [list(r) for r in refused["refused_by"]] == [
        ["RNE:unknown_code_excluded"], ["LS:unknown_code_excluded"]]
    assert not re.search(r"\bR[12]\b", refused.drop(columns=["refused_by"]).astype(str).to_csv())
    stored = Reader(db_path).query("select child_key from ssda903_episodes")
    assert not set(stored["child_key"]) & set(refused["child_key"])  # other children
    _load(db_path, tmp_path, {"2024-episodes.csv": EPISODES + "R1,01/05/2023,S,C2,N1,U1,PR1,,,,,,\n"})
    assert Reader(db_path).query("select count(*) as n from ssda903_refused_episodes")["n"].iloc[0] == 0
    assert pd.notna(Reader(db_path).query("select child_key from ssda903_episodes")["child_key"]).all()
