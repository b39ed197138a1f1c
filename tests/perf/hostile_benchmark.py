"""Peak memory and time of ingesting hostile files, each in a fresh process (not collected by pytest).

    .venv/bin/python -m tests.perf.hostile_benchmark

Each file is ingested by a child process into a fresh store; the parent reports the child's wall
time, its own peak resident memory (ru_maxrss from wait4) and whether the load was refused. The
bound is 1 GB per file (loaders.reading's limits); numbers in tests/perf/hostile_benchmark.md.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from loaders import reading
from tests.conftest import FIXTURES
from tests.hostile.files import (
    far_corner_xlsx,
    many_rows_csv,
    many_rows_parquet,
    many_rows_xlsx,
    xfd_every_999_rows_xlsx,
)

EES = FIXTURES / "benchmarks" / "d3_cpps_subsequent_plan_small.csv"
CHILD = (
    "import sys; from pathlib import Path; from loaders.ingest import ingest; "
    "r = ingest([Path(sys.argv[1])], db=Path(sys.argv[2])); "
    "print('loaded' if r.ok else 'refused: ' + r.messages[0][:90])"
)


def cases(folder: Path) -> dict[str, Path]:
    lines = EES.read_text().splitlines()
    return {
        "xlsx, one cell at XFD1048576 (5 KB)": far_corner_xlsx(folder / "corner.xlsx"),
        "xlsx, a cell in XFD every 999 rows": xfd_every_999_rows_xlsx(folder / "stripes.xlsx"),
        f"xlsx, {reading.MAX_SHEET_ROWS + 1:,} rows": many_rows_xlsx(
            folder / "long.xlsx", reading.MAX_SHEET_ROWS + 1
        ),
        f"parquet, {reading.MAX_PARQUET_ROWS + 1:,} rows": many_rows_parquet(
            folder / "big.parquet", reading.MAX_PARQUET_ROWS + 1
        ),
        f"EES CSV, {reading.MAX_CSV_ROWS + 10_000:,} rows": many_rows_csv(
            folder / "many.csv", reading.MAX_CSV_ROWS + 10_000, lines[0], lines[3]
        ),
        f"EES CSV, {reading.MAX_CSV_ROWS - 1_000:,} rows (under the limit)": many_rows_csv(
            folder / "d3_cpps_subsequent_plan_long.csv", reading.MAX_CSV_ROWS - 1_000, lines[0], lines[3]
        ),
    }


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        print("| file | size | outcome | seconds | peak MB |\n|---|---|---|---|---|")
        for label, path in cases(Path(folder)).items():
            db = Path(folder) / f"{path.stem}.duckdb"
            started = time.perf_counter()
            child = subprocess.Popen(
                [sys.executable, "-c", CHILD, str(path), str(db)],
                stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT,
                text=True,
            )
            assert child.stdout is not None
            output = child.stdout.read()
            _, _, usage = os.wait4(child.pid, 0)
            child.returncode = 0
            seconds = time.perf_counter() - started
            peak_mb = usage.ru_maxrss / 1024
            outcome = output.strip().splitlines()[-1][:110].replace("|", "/") if output.strip() else ""
            size = f"{path.stat().st_size / 1024:,.0f} KB"
            print(f"| {label} | {size} | {outcome} | {seconds:.1f} | {peak_mb:,.0f} |", flush=True)


if __name__ == "__main__":
    main()
