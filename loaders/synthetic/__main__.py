"""`python -m loaders.synthetic --las N --years Y --out DIR --seed S [--size small|medium|large]`.

Prints what it wrote, the time taken and the peak memory of the process.
"""

from __future__ import annotations

import argparse
import resource
import sys
from collections.abc import Sequence
from datetime import date
from pathlib import Path

from loaders.synthetic import DEFAULT_FAULT_RATE, config, generate


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m loaders.synthetic", description=__doc__)
    parser.add_argument("--las", type=int, default=1, help="number of LAs (default 1)")
    parser.add_argument("--years", type=int, default=5, help="years of data ending at --end (default 5)")
    parser.add_argument("--out", type=Path, required=True, help="folder to write into")
    parser.add_argument("--seed", type=int, default=0, help="random seed (same seed, same files)")
    parser.add_argument(
        "--size",
        choices=list(config.SIZES),
        default="small",
        help="children looked after per LA: " + ", ".join(f"{k} ~{v}" for k, v in config.SIZES.items()),
    )
    parser.add_argument("--la", dest="first_la", default="929", help="code of the first LA (default 929)")
    parser.add_argument(
        "--end", type=date.fromisoformat, help="last month end, YYYY-MM-DD (default: the last complete month)"
    )
    parser.add_argument(
        "--faults",
        type=float,
        default=DEFAULT_FAULT_RATE,
        help=f"share of records with a data-quality fault (default {DEFAULT_FAULT_RATE})",
    )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        report = generate(
            args.out,
            las=args.las,
            years=args.years,
            seed=args.seed,
            size=args.size,
            end=args.end,
            first_la=args.first_la,
            fault_rate=args.faults,
        )
    except ValueError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    files = sum(len(la.files) for la in report.las) + 1
    looked_after = sum(la.children_looked_after for la in report.las)
    referrals = sum(la.referrals for la in report.las)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"{len(report.las)} LA(s), {report.first_day} to {report.end}: {files} files in {report.out}")
    print(f"children looked after at the end: {looked_after:,}; referrals simulated: {referrals:,}")
    print(f"time {report.seconds:.1f} s, peak memory {peak_mb:.0f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
