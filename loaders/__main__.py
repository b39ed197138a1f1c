"""Command line: `python -m loaders ingest PATH... [--db FILE] [--la CODE] [--kind KIND]`.

Exit status 0 when every file loaded (or was already loaded); 1 with a message per problem, and
the store unchanged, when anything failed.
"""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence
from pathlib import Path

from loaders.ingest import ingest
from loaders.registry import kinds


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m loaders", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    load = commands.add_parser("ingest", help="load files into the dashboard store")
    load.add_argument("paths", nargs="+", type=Path, metavar="PATH")
    load.add_argument("--db", type=Path, help="database file (default $CSC_DB or data/dashboard.duckdb)")
    load.add_argument("--la", dest="la_code", help="the LA's old 3-digit DfE code, e.g. 929")
    load.add_argument("--kind", choices=kinds(), help="skip detection and read every file as KIND")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    args = build_parser().parse_args(argv)
    from metrics.compute import recompute

    report = ingest(args.paths, db=args.db, la_code=args.la_code, kind=args.kind, derive=recompute)
    for result in report.files:
        print(f"{result.outcome:>10}  {result.file}  ({result.kind or 'unknown kind'}, {result.rows} rows)")
        for message in result.messages:
            print(f"            {message}")
    if not report.ok:
        print(f"\nNothing was loaded ({len(report.problems)} problem(s)):", file=sys.stderr)
        for problem in report.problems:
            print(f"  {problem}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
