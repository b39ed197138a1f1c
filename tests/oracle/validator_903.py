"""Run Data to Insight's 903 validator (csc-validator-be-903) over a folder of 903 CSVs.

Runs inside the oracle's own virtual environment (the validator pins pandas below 2), never in
the project's. Usage: `python validator_903.py FOLDER YEAR CODE...`; prints JSON to stdout:
{"seconds": validation time, "per_code": {code: seconds}, "flagged": {code: [[table, year, row],
...]}}, rows numbered as the project numbers them (2 = the first data row, row 1 being the header).
"""

from __future__ import annotations

import importlib
import json
import logging
import sys
import time
from pathlib import Path

logging.disable(logging.CRITICAL)

from lac_validator.datastore import copy_datastore, create_datastore  # noqa: E402
from lac_validator.ingress import read_from_text  # noqa: E402

FIRST_DATA_ROW = 2


def main(folder: Path, year: int, codes: list[str]) -> dict:
    files = []
    for path in sorted(folder.glob("*.csv")):
        description = "This year" if path.name.startswith(str(year)) else "Prev year"
        files.append({"name": path.name, "file_content": path.read_bytes(), "description": description})
    frames, extras = read_from_text(raw_files=files)
    metadata = {"collectionYear": str(year), "localAuthority": "E10000018", **extras}
    registry = importlib.import_module(f"lac_validator.rules.lac{year - 1}_{year % 100:02d}").registry
    started = time.perf_counter()
    store = create_datastore(frames, metadata)
    flagged: dict[str, list[list[object]]] = {}
    seconds: dict[str, float] = {}
    for code in codes:
        rule = registry.get(code)
        if rule is None:
            continue
        began = time.perf_counter()
        result = rule.func(copy_datastore(store))
        seconds[code] = time.perf_counter() - began
        rows: list[list[object]] = []
        for table, index in result.items():
            name, _, last = table.partition("_")
            for row in index:
                rows.append([name.lower(), year - 1 if last else year, int(row) + FIRST_DATA_ROW])
        flagged[code] = sorted(rows)
    return {"seconds": time.perf_counter() - started, "per_code": seconds, "flagged": flagged}


if __name__ == "__main__":
    print(json.dumps(main(Path(sys.argv[1]), int(sys.argv[2]), sys.argv[3:])))
