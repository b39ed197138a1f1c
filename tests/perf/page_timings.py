"""Warm page timings on the demo store (a benchmark script, not a test).

    .venv/bin/python tests/perf/page_timings.py [--db FILE] [--runs N]

Builds the demo store first if FILE does not exist (about a minute), then for every page: one cold
run, then N warm reruns, and a warm interaction (a filter changed back and forth, so both values
are cached), each timed with Streamlit's AppTest in this process. The target is under 300 ms for a
warm interaction. AppTest runs the script in process without a browser, so the times are the
server-side script time, which is what the caching decides; the browser adds its drawing on top.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))


def _interactions() -> dict[str, Callable[[object], None] | None]:
    def indicator(at) -> None:  # type: ignore[no-untyped-def]
        radio = at.radio[0]
        radio.set_value("ytd" if radio.value == "month" else "month").run()

    def overview(at) -> None:  # type: ignore[no-untyped-def]
        box = at.sidebar.selectbox(key="filter_avg")
        box.set_value("median" if box.value == "mean" else "mean").run()

    def caseloads(at) -> None:  # type: ignore[no-untyped-def]
        radio = at.radio[0]
        radio.set_value("team" if radio.value == "service_area" else "service_area").run()

    def export(at) -> None:  # type: ignore[no-untyped-def]
        box = at.selectbox(key="filter_type")
        box.set_value("month" if box.value == "all" else "all").run()

    def neighbours(at) -> None:  # type: ignore[no-untyped-def]
        box = at.sidebar.selectbox(key="filter_sn")
        box.set_value("2021" if box.value == "2025" else "2025").run()

    return {
        "overview": overview,
        "indicator": indicator,
        "neighbours": neighbours,
        "caseloads": caseloads,
        "improvement_plan": None,
        "data": None,
        "export": export,
    }


def _timed(action: Callable[[], object]) -> float:
    start = time.perf_counter()
    action()
    return (time.perf_counter() - start) * 1000


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--db", type=Path, default=ROOT / "data" / "dashboard.duckdb")
    parser.add_argument("--runs", type=int, default=10)
    args = parser.parse_args()
    os.environ["CSC_DB"] = str(args.db)
    if not args.db.exists():
        from loaders.demo import build_demo

        print(f"building the demo store at {args.db} ...", flush=True)
        build_demo(args.db)
    from streamlit.testing.v1 import AppTest

    print(
        f"{'page':<18}{'cold ms':>9}{'warm median':>13}{'warm p90':>10}{'interaction median':>20}{'p90':>8}"
    )
    worst = 0.0
    for page, interact in _interactions().items():
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
        at.switch_page(f"pages/{page}.py")
        cold = _timed(at.run)
        if at.exception:
            print(f"{page}: exception {at.exception[0].message}")
            return 1
        warm = sorted(_timed(at.run) for _ in range(args.runs))
        clicks: list[float] = []
        if interact is not None:
            interact(at)
            interact(at)  # both values now cached
            clicks = sorted(_timed(lambda act=interact, app=at: act(app)) for _ in range(args.runs))
        p90 = warm[int(0.9 * (len(warm) - 1))]
        click_median = statistics.median(clicks) if clicks else float("nan")
        click_p90 = clicks[int(0.9 * (len(clicks) - 1))] if clicks else float("nan")
        worst = max(worst, p90, click_p90 if clicks else 0.0)
        print(
            f"{page:<18}{cold:>9.0f}{statistics.median(warm):>13.0f}{p90:>10.0f}{click_median:>20.0f}"
            f"{click_p90:>8.0f}"
        )
    print(f"worst warm p90: {worst:.0f} ms (target 300 ms)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
