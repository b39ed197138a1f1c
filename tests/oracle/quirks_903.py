"""The validator's own mistakes, each shown on a hand-made record run through both sides.

    .venv/bin/python -m tests.oracle.quirks_903

Outside the normal test run, as the oracle (its environment: tests/oracle/common.py). Each quirk
writes a pair of years' 903 files twice, differing only in what the quirk says decides the
validator's answer, and checks that the validator's answer changes with it and the project's does
not; the lines it returns are appended to the 903 results file under "validator differs".
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path

import pandas as pd

from tests.oracle.common import HERE, oracle_python
from tests.oracle.oracle_903 import EPISODE_COLUMNS, HEADER_COLUMNS, OC3_COLUMNS, YEAR, project

EPISODE = {"RNE": "S", "LS": "C2", "CIN": "N1", "PLACE": "U1", "PLACE_PROVIDER": "PR1", "DEC": "", "REC": "",
           "REASON_PLACE_CHANGE": "", "HOME_POST": "", "PL_POST": "", "URN": ""}


def _write(folder: Path, tables: dict[str, list[dict[str, str]]]) -> None:
    columns = {"episodes": EPISODE_COLUMNS, "header": HEADER_COLUMNS, "oc3": OC3_COLUMNS}
    for name, rows in tables.items():
        table = name.split("_", 1)[1]
        records = [{column: row.get(column, "") for column in columns[table]} for row in rows]
        pd.DataFrame(records, columns=columns[table]).to_csv(folder / f"{name}.csv", index=False)


def _files_1001(short_break_first: bool) -> dict[str, list[dict[str, str]]]:
    """Y was looked after from 14 to 17 (last year's file, row 2, their only episode) and is a care
    leaver this year; V's short break (LS V3) and W's episode are this year's, V's on row 2 when
    `short_break_first`, else row 3."""
    young_person = {"CHILD": "Y", "DECOM": "01/05/2020", **EPISODE, "DEC": "01/03/2023", "REC": "E8"}
    short_break = {"CHILD": "V", "DECOM": "01/05/2023", **EPISODE, "LS": "V3", "PLACE": "T4"}
    other = {"CHILD": "W", "DECOM": "01/05/2023", **EPISODE}
    this_year = [short_break, other] if short_break_first else [other, short_break]
    header = [{"CHILD": child, "SEX": "1", "DOB": "15/06/2005", "ETHNIC": "WBRI"} for child in "YVW"]
    return {
        f"{YEAR - 1}_episodes": [young_person],
        f"{YEAR - 1}_header": header[:1],
        f"{YEAR}_episodes": this_year,
        f"{YEAR}_header": header,
        f"{YEAR}_oc3": [{"CHILD": "Y", "DOB": "15/06/2005", "IN_TOUCH": "YES", "ACTIV": "F2", "ACCOM": "V1"}],
    }


def quirk_1001(python: Path) -> tuple[bool, list[str]]:
    """Whether the validator's 1001 flags Y exactly when V's short break shares the row number of
    Y's episode (and the project never does), and the explanation."""
    flags: dict[bool, tuple[list[object], list[object]]] = {}
    for aligned in (True, False):
        with tempfile.TemporaryDirectory() as tmp:
            folder = Path(tmp)
            _write(folder, _files_1001(aligned))
            ours = project(folder, ["1001"])[3]["1001"]
            command = [str(python), str(HERE / "validator_903.py"), str(folder), str(YEAR), "1001"]
            run = subprocess.run(command, check=True, capture_output=True, text=True)
            flags[aligned] = (ours, json.loads(run.stdout)["flagged"].get("1001", []))
    shown = (flags[True][1] == [["oc3", YEAR, 2]] and flags[False][1] == []
             and not flags[True][0] + flags[False][0])
    lines = [
        "- **1001: validator differs: it drops a young person's episode when another child's short "
        "break has the same row number in the other year's file.** Hand-made record "
        "(`tests/oracle/quirks_903.py`): Y looked after from 14 to 17, their only episode on row 2 of "
        "last year's episodes file, a care leaver this year; V's short break (LS V3) on row 2 of this "
        "year's file. The validator joins the two years' episodes with `pd.concat`, keeping both files' "
        "row numbers as the index, and drops V3/V4 episodes with `drop(index=...)`, which drops every "
        "row with that number, Y's too: Y's care since 14 falls to nothing. "
        f"Validator with V on row 2: {flags[True][1] or 'nothing'}; with V on row 3 (the only change): "
        f"{flags[False][1] or 'nothing'}. Project: {flags[True][0] or 'nothing'} and "
        f"{flags[False][0] or 'nothing'}. "
        + ("Shown: the validator's answer follows the row number alone; the DfE rule counts the young "
           "person's own episodes, as the project does."
           if shown else "NOT shown on this run: look again before trusting the explanation."),
    ]
    return shown, lines


def main() -> int:
    shown, lines = quirk_1001(oracle_python())
    print("\n".join(lines))
    return 0 if shown else 1


if __name__ == "__main__":
    sys.exit(main())
