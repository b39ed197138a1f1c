"""Committee report pack timings on the demo store (a benchmark script, not a test).

    .venv/bin/python tests/perf/report_benchmark.py [--db FILE] [--runs N] [--year-only]

Builds the demo store first if FILE does not exist (about a minute). Then, for the demo LA's last
twelve loaded months, it times two shapes of "a report for a whole year", each written as both
DOCX and PDF by reports.build.render (what the CLI and the Reports page call):

- the year pack: the last month's pack with every indicator of every area charted over those
  twelve months (the most charts a pack can hold);
- the twelve monthly packs: one pack per month, charts as by default (every red indicator).

Phases come from Rendered.seconds: figures (the pack from the store), charts (Chromium's start
and the PNGs, reports.charts), DOCX and PDF; py CPU is the run's CPU seconds in this process (not
Chromium's), which on a shared machine says more than its wall time. Each year-pack run starts
cold, as a CLI run does (the charts kept in the process dropped and Chromium closed first); one
more run shows a rebuild of the same pack, charts kept. The twelve monthly packs share one
Chromium, as builds in one process (the Streamlit server) do. Last, the small-number suppression
of the LA's whole KPI table alone (metrics.disclosure, the slowest step of a publication pack), and
the year pack for publication, cold (`--runs` runs); `--year-only` stops before the monthly packs.
The goal is under 30 s for the year pack, normal and for publication, on 2 cores. Needs Chromium.
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import statistics
import sys
import time
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

GOAL_SECONDS = 30.0
PHASES = ("figures", "charts", ".docx", ".pdf")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    parser.add_argument("--db", type=Path, default=ROOT / "data" / "dashboard.duckdb")
    parser.add_argument("--runs", type=int, default=3, help="runs of the year pack (default 3)")
    parser.add_argument(
        "--year-only", action="store_true", help="only the year pack (no monthly packs, no publication)"
    )
    args = parser.parse_args()
    os.environ["CSC_DB"] = str(args.db)
    if not args.db.exists():
        from loaders.demo import build_demo

        print(f"building the demo store at {args.db} ...", flush=True)
        build_demo(args.db)

    from loaders.demo import DEMO_LA
    from loaders.store import Reader
    from metrics import store_views
    from metrics.disclosure import suppression_mask
    from metrics.kpis import kpi_table
    from reports import browser
    from reports import charts as report_charts
    from reports.build import render
    from reports.pack import PackOptions, build_pack

    store = Reader(args.db)
    months = store_views.period_ends(store, DEMO_LA)[-12:]
    if len(months) < 12:
        print(f"the store holds {len(months)} months for LA {DEMO_LA}; a year needs 12")
        return 1
    last = PackOptions(DEMO_LA, months[-1], chart_months=12)
    every_indicator = tuple(
        str(row.indicator_id) for area in build_pack(store, last).areas for row in area.headlines.itertuples()
    )
    year = PackOptions(DEMO_LA, months[-1], charts=every_indicator, chart_months=12)
    print(
        f"LA {DEMO_LA}, {months[0]:%b %Y} to {months[-1]:%b %Y}; {os.cpu_count()} cores, "
        f"Python {platform.python_version()}, load average {os.getloadavg()[0]:.1f}",
        flush=True,
    )

    print(f"\nyear pack, {len(every_indicator)} charts, DOCX and PDF ({args.runs} runs)")
    print(
        f"{'run':<6}"
        + "".join(f"{p:>10}" for p in PHASES)
        + f"{'total s':>10}{'DOCX KB':>10}{'PDF KB':>9}{'py CPU':>7}{'load':>7}"
    )
    totals: list[float] = []

    def cpu() -> float:  # this process only: Chromium's renderer is not a child it reaps
        own = resource.getrusage(resource.RUSAGE_SELF)
        return own.ru_utime + own.ru_stime

    def timed(label: str, options: PackOptions) -> float:
        started, cpu_started = time.perf_counter(), cpu()
        result = render(store, options)
        total = time.perf_counter() - started
        print(
            f"{label:<6}"
            + "".join(f"{result.seconds[p]:>10.2f}" for p in PHASES)
            + f"{total:>10.2f}{len(result.files['.docx']) // 1024:>10}{len(result.files['.pdf']) // 1024:>9}"
            + f"{cpu() - cpu_started:>7.1f}{os.getloadavg()[0]:>7.1f}",
            flush=True,
        )
        return total

    def cold() -> None:  # as a CLI run: every chart drawn, Chromium started
        report_charts.forget_charts()
        browser.close_browser()

    for run in range(1, args.runs + 1):
        cold()
        totals.append(timed(str(run), year))
    print(f"year pack median {statistics.median(totals):.2f} s, worst {max(totals):.2f} s (goal under 30 s)")
    timed("again", replace(year, title="Rebuilt"))
    print("(again: the same pack retitled, its charts kept from the run before)")
    if args.year_only:
        return 0 if max(totals) < GOAL_SECONDS else 1

    print("\ntwelve monthly packs, default charts (every red indicator), DOCX and PDF")
    started = time.perf_counter()
    charts = 0
    for month in months:
        result = render(store, PackOptions(DEMO_LA, month))
        charts += len(result.pack.charts)
    twelve = time.perf_counter() - started
    print(f"12 packs, {charts} charts in all: {twelve:.2f} s ({twelve / 12:.2f} s a pack)")
    whole = kpi_table(store, DEMO_LA)
    masks = []
    for _ in range(args.runs):
        started = time.perf_counter()
        hidden = int((suppression_mask(whole) != "").to_numpy().sum())
        masks.append(time.perf_counter() - started)
    print(
        f"\nsuppression of the LA's whole KPI table ({len(whole)} rows, {hidden} cells hidden): "
        + ", ".join(f"{s:.2f}" for s in masks)
        + f" s (load {os.getloadavg()[0]:.1f})"
    )
    print(f"\nyear pack for publication, same charts, cold ({args.runs} runs)")
    published = []
    for run in range(1, args.runs + 1):
        cold()
        published.append(timed(f"pub {run}", replace(year, for_publication=True)))
    print(f"publication year pack median {statistics.median(published):.2f} s, worst {max(published):.2f} s")
    totals += published
    print(f"load average at the end {os.getloadavg()[0]:.1f}")
    return 0 if max(totals) < GOAL_SECONDS else 1


if __name__ == "__main__":
    sys.exit(main())
