"""Command line: `python -m loaders ingest PATH... [--db FILE] [--la CODE] [--kind KIND] [--skip-unknown]`.

A PATH that is a folder stands for the files directly in it. Exit status 0 when every file loaded
(or was already loaded, or was skipped by --skip-unknown as of no known kind); 1 with a message per
problem, and the store unchanged, when anything failed.
"""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence
from pathlib import Path

from loaders.ingest import SKIPPED_UNKNOWN, ingest
from loaders.registry import kinds


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m loaders", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    load = commands.add_parser("ingest", help="load files into the dashboard store")
    load.add_argument("paths", nargs="+", type=Path, metavar="PATH")
    load.add_argument("--db", type=Path, help="database file (default $CSC_DB or data/dashboard.duckdb)")
    load.add_argument("--la", dest="la_code", help="the LA's old 3-digit DfE code, e.g. 929")
    load.add_argument("--kind", choices=kinds(), help="skip detection and read every file as KIND")
    load.add_argument(
        "--skip-unknown",
        action="store_true",
        help="skip (and list) files of no known kind, e.g. a code list beside a folder of LAIT files",
    )
    return parser


def expand(paths: Sequence[Path]) -> list[Path]:
    """Each folder replaced by the files directly in it, by name; files (and missing paths) as given."""
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            files.extend(sorted((p for p in path.iterdir() if p.is_file()), key=lambda p: p.name))
        else:
            files.append(path)
    return files


def _listed(names: list[str], limit: int = 10) -> str:
    shown = ", ".join(names[:limit])
    return shown + (f" and {len(names) - limit} more" if len(names) > limit else "")


def main(argv: Sequence[str] | None = None) -> int:
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    args = build_parser().parse_args(argv)
    from metrics.compute import recompute

    files = expand(args.paths)
    if not files:
        print("Nothing was loaded: the folder holds no files.", file=sys.stderr)
        return 1
    report = ingest(
        files,
        db=args.db,
        la_code=args.la_code,
        kind=args.kind,
        derive=recompute,
        skip_unknown=args.skip_unknown,
    )
    for result in report.files:
        print(f"{result.outcome:>10}  {result.file}  ({result.kind or 'unknown kind'}, {result.rows} rows)")
        if result.file in report.unknown:
            continue  # said once, below, with the other files of no known kind
        for message in result.messages:
            print(f"            {message}")
    skipped = [r.file for r in report.files if SKIPPED_UNKNOWN in r.messages]
    if skipped:
        print(f"\nSkipped {len(skipped)} file(s) of no known kind: {_listed(skipped)}")
    if not report.ok:
        unknown = set(report.unknown)
        others = [p for p in report.problems if p.file not in unknown]
        print(f"\nNothing was loaded ({len(others) + len(unknown)} problem(s)):", file=sys.stderr)
        for problem in others:
            print(f"  {problem}", file=sys.stderr)
        if unknown:
            print(
                f"  {len(report.unknown)} file(s) of no known kind: {_listed(report.unknown)}. "
                f"Known kinds: {', '.join(kinds())}. To load the rest and skip these, rerun with "
                "--skip-unknown.",
                file=sys.stderr,
            )
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
