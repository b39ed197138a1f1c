"""Command line: `python -m metrics export [--db FILE] [--la CODE | --all-las] [--indicator ID]...
[--from YYYY-MM] [--to YYYY-MM] [--period-type T] [--sn-model M] --out FILE.csv`.

Writes the tidy KPI table with names, units, polarity, target, RAG and benchmark columns. The LA
defaults to the one the store was loaded for. Exit 0 on success, 1 with a message otherwise.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from datetime import date
from pathlib import Path

from loaders.audit import export_what, os_user, record
from loaders.store import Reader, StoreMissing, write_session
from metrics.catalogue import PERIOD_TYPES
from metrics.export import export_frame, to_csv_bytes
from metrics.kpis import DEFAULT_SN_MODEL
from metrics.periods import month_end
from metrics.published_view import published_series


def _month(text: str) -> date:
    try:
        year, month = (int(part) for part in text.split("-"))
        return date(year, month, 1)
    except ValueError as error:
        raise argparse.ArgumentTypeError(f"{text!r} is not a month YYYY-MM") from error


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m metrics", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    export = commands.add_parser("export", help="write the KPI table as CSV")
    export.add_argument("--db", type=Path)
    export.add_argument("--la", dest="la_code", help="old 3-digit LA code (default: the store's LA)")
    export.add_argument("--all-las", action="store_true", help="every LA in the store (bulk loads)")
    export.add_argument("--indicator", action="append", dest="indicators", metavar="ID")
    export.add_argument("--from", dest="period_from", type=_month, metavar="YYYY-MM")
    export.add_argument("--to", dest="period_to", type=_month, metavar="YYYY-MM")
    export.add_argument("--period-type", choices=PERIOD_TYPES)
    export.add_argument("--sn-model", default=DEFAULT_SN_MODEL, choices=("2021", "2025"))
    export.add_argument(
        "--suppress",
        type=int,
        metavar="N",
        help="hide counts 1 to N-1 and whatever would reveal them (metrics/disclosure.py); "
        "the same bytes as the Export page's download",
    )
    export.add_argument("--out", type=Path, required=True)
    return parser


def default_la(store: Reader) -> str | None:
    """The LA the store holds data for: the setting, else the only LA with KPI values."""
    found = store.query("select value from settings where key = 'la_code'")
    if not found.empty:
        return str(found["value"].iloc[0])
    las = store.query("select distinct la_code from kpi order by la_code")
    return str(las["la_code"].iloc[0]) if len(las) == 1 else None


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    store = Reader(args.db)
    try:
        la_code = None if args.all_las else args.la_code or default_la(store)
    except StoreMissing as missing:
        print(f"error: {missing}", file=sys.stderr)
        return 1
    if args.suppress is not None and args.suppress < 2:
        print("error: --suppress needs a threshold of 2 or more (DfE uses 5)", file=sys.stderr)
        return 1
    if la_code is None and not args.all_las:
        print("error: the store holds several LAs; choose one with --la CODE", file=sys.stderr)
        return 1
    frame = export_frame(
        store,
        la_code,
        indicators=args.indicators,
        period_from=args.period_from,
        period_to=month_end(args.period_to) if args.period_to else None,
        period_type=args.period_type,
        sn_model=args.sn_model,
        suppress_below=args.suppress,
    )
    published = frame.empty and la_code is not None
    if frame.empty and la_code is not None:  # no own records: its published figures (as LAIT gives)
        frame = published_series(store, la_code, args.sn_model, args.indicators)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_bytes(to_csv_bytes(frame))
    with write_session(store.path) as writer:
        what = export_what(
            args.out.name, la_code, args.indicators, args.period_from, args.period_to,
            args.period_type, args.suppress,
        )
        record(writer, os_user(), "export", what)
    print(
        f"wrote {len(frame)} rows to {args.out}"
        + (f" (published figures only: LA {la_code} has no values from its own records)" if published else "")
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
