"""`python -m reports build --la CODE --month YYYY-MM ... --out FILE.docx|FILE.pdf` for scheduled runs.

Exit status 0 when the file is written; 1 with a message (never a traceback) when the options, the
store, the template or the charts are not usable.
"""

from __future__ import annotations

import argparse
import sys
from datetime import date, datetime
from pathlib import Path

from loaders.base import is_known_la
from loaders.store import Reader, StoreMissing, default_db_path
from metrics.kpis import DEFAULT_SN_MODEL
from reports.build import FORMATS, render
from reports.charts import ChartsFailed
from reports.pack import AREAS, DEFAULT_TITLE, MARKINGS, PackOptions
from reports.pdf import PdfFailed
from reports.word import TemplateUnreadable


def _month(text: str) -> date:
    try:
        return datetime.strptime(text, "%Y-%m").date()
    except ValueError as error:
        raise argparse.ArgumentTypeError(f"{text!r} is not a month such as 2026-09") from error


def _day(text: str) -> date:
    try:
        return datetime.strptime(text, "%Y-%m-%d").date()
    except ValueError as error:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date such as 2026-10-15") from error


def parser() -> argparse.ArgumentParser:
    main = argparse.ArgumentParser(prog="python -m reports", description="Committee report packs.")
    commands = main.add_subparsers(dest="command", required=True)
    build = commands.add_parser("build", help="build one pack as DOCX or PDF")
    build.add_argument("--la", required=True, help="the LA's old 3-digit DfE code, e.g. 929")
    build.add_argument("--month", required=True, type=_month, help="the reporting month, YYYY-MM")
    build.add_argument(
        "--areas",
        nargs="+",
        choices=list(AREAS),
        default=list(AREAS),
        metavar="AREA",
        help=f"areas to include (default all): {' '.join(AREAS)}",
    )
    build.add_argument(
        "--charts",
        nargs="+",
        metavar="INDICATOR",
        help="indicator ids to chart (default: every red indicator)",
    )
    build.add_argument("--no-charts", action="store_true", help="leave the trend charts out")
    build.add_argument("--template", type=Path, help="a Word template (.docx) for styles, headers, footers")
    build.add_argument(
        "--for-publication",
        action="store_true",
        help="Part I: suppress small numbers, no child- or worker-level detail",
    )
    build.add_argument("--title", default=DEFAULT_TITLE)
    build.add_argument("--meeting", default="", help="e.g. 'Children and Families Scrutiny Committee'")
    build.add_argument("--meeting-date", type=_day, help="YYYY-MM-DD")
    build.add_argument(
        "--marking",
        choices=MARKINGS,
        help="protective marking (default OFFICIAL for publication, else OFFICIAL-SENSITIVE)",
    )
    build.add_argument("--sn-model", default=DEFAULT_SN_MODEL, choices=["2025", "2021"])
    build.add_argument("--db", type=Path, help="the store (default $CSC_DB or data/dashboard.duckdb)")
    build.add_argument("--out", required=True, type=Path, help="FILE.docx or FILE.pdf")
    return main


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    out: Path = args.out
    problems = []
    if out.suffix.lower() not in FORMATS:
        problems.append(f"--out {out.name}: expected a file name ending .docx or .pdf")
    if not is_known_la(args.la):
        problems.append(f"--la {args.la!r}: unknown LA code (expected an old-style 3-digit code such as 929)")
    if args.template is not None and not args.template.is_file():
        problems.append(f"--template {args.template}: file not found")
    if args.template is not None and out.suffix.lower() == ".pdf":
        problems.append("--template applies to .docx output only")
    if problems:
        print("\n".join(problems), file=sys.stderr)
        return 1
    options = PackOptions(
        la_code=args.la,
        month=args.month,
        areas=tuple(args.areas),
        charts=() if args.no_charts else (tuple(args.charts) if args.charts else None),
        for_publication=args.for_publication,
        title=args.title,
        meeting=args.meeting,
        meeting_date=args.meeting_date,
        marking=args.marking,
        sn_model=args.sn_model,
    )
    store = Reader(args.db or default_db_path())
    try:
        result = render(store, options, (out.suffix.lower(),), template=args.template)
    except StoreMissing as error:
        print(f"{error} Load files first with python -m loaders ingest.", file=sys.stderr)
        return 1
    except (TemplateUnreadable, ChartsFailed, PdfFailed) as error:
        print(str(error), file=sys.stderr)
        return 1
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(result.files[out.suffix.lower()])
    pack = result.pack
    timing = ", ".join(f"{k} {v:.1f} s" for k, v in result.seconds.items())
    print(f"wrote {out} ({pack.la_name}, {pack.period_label}, {len(pack.charts)} charts; {timing})")
    print(pack.summary_sentence)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
