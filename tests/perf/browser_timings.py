"""Page times as the user waits for them, in headless Chromium (a benchmark script, not a test).

    .venv/bin/python tests/perf/browser_timings.py [--db FILE] [--runs N] [--out FILE.md]

Starts `streamlit run app.py` on the demo store (built first, as the run command does, when FILE
does not exist; that first start is timed as "fresh start to a rendered Overview") and drives it
with Playwright in headless Chromium (/usr/bin/chromium). A page counts as rendered when the
script has finished (the app root's `data-test-script-state` is `notRunning`), no element is
stale, and every Plotly chart on it has drawn its SVG. For every page it records:

- cold: the first visit after the server started (every cache empty), a full page load;
- warm load: N full page loads later (the browser keeps Streamlit's JavaScript cached);
- warm navigation: N switches to the page from another one through the sidebar's page links;
- interaction: N changes of the sidebar's neighbour average (mean <-> median), which every page
  reruns on.
For navigations and interactions it also records where the time went: the server process's CPU
time (from /proc) and the browser page's main-thread busy time (Chromium's TaskDuration metric),
whose medians are the second table.
The app warms every page's caches in the background from its first session
(pages/components/warmup.py), so "cold" here is a page's first visit after the server started,
with that warm-up running or done, not a visit to empty caches.
Goals on 2 cores: warm render and interaction at most 500 ms at the 90th percentile, cold at most
2 s, fresh start to a rendered Overview within 60 s.
"""

from __future__ import annotations

import argparse
import math
import os
import shutil
import statistics
import subprocess
import sys
import time
import urllib.request
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from tests.browser_support import free_port, streamlit_command  # noqa: E402

PAGES = {
    "overview": "Overview",
    "indicator": "Indicator trend",
    "neighbours": "Neighbours",
    "caseloads": "Caseloads",
    "improvement_plan": "Improvement plan",
    "data": "Data",
    "export": "Export",
    "reports": "Reports",
}
RENDERED = """() => {
  const app = document.querySelector('[data-testid="stApp"]');
  if (!app || app.getAttribute('data-test-script-state') !== 'notRunning') return false;
  if (document.querySelector('[data-stale="true"]')) return false;
  const charts = document.querySelectorAll('[data-testid="stPlotlyChart"]');
  for (const chart of charts) { if (!chart.querySelector('.main-svg')) return false; }
  return document.querySelectorAll('[data-testid="stMainBlockContainer"] *').length > 5;
}"""


def _start(db: Path, port: int | None = None) -> tuple[subprocess.Popen[bytes], str]:
    port = port or free_port()
    process = subprocess.Popen(
        streamlit_command(port),
        cwd=ROOT, env={**os.environ, "CSC_DB": str(db)},
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    for _ in range(600):
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=1):
                return process, url
        except OSError:
            time.sleep(0.1)
    process.kill()
    raise SystemExit("streamlit did not start within 60 s")


def _wait_rendered(page, timeout: float = 180_000) -> None:  # type: ignore[no-untyped-def]
    page.wait_for_timeout(50)  # the rerun's first message arrives before the state flips
    page.wait_for_function(RENDERED, timeout=timeout)


def _timed(action, page) -> float:  # type: ignore[no-untyped-def]
    started = time.perf_counter()
    action()
    _wait_rendered(page)
    return (time.perf_counter() - started) * 1000


class _Costs:
    """Server CPU and browser main-thread time of each timed action, in milliseconds."""

    def __init__(self, page, pid: int) -> None:  # type: ignore[no-untyped-def]
        self.cdp = page.context.new_cdp_session(page)
        self.cdp.send("Performance.enable")
        self.pid = pid
        self.server: list[float] = []
        self.browser: list[float] = []

    def _server_ms(self) -> float:
        fields = Path(f"/proc/{self.pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) * 1000 / os.sysconf("SC_CLK_TCK")

    def _browser_ms(self) -> float:
        metrics = self.cdp.send("Performance.getMetrics")["metrics"]
        return float(next(m["value"] for m in metrics if m["name"] == "TaskDuration")) * 1000

    def timed(self, action, page) -> float:  # type: ignore[no-untyped-def]
        server, browser = self._server_ms(), self._browser_ms()
        wall = _timed(action, page)
        self.server.append(self._server_ms() - server)
        self.browser.append(self._browser_ms() - browser)
        return wall


def _p90(values: list[float]) -> float:
    """Nearest-rank 90th percentile (with fewer than 10 values it is the largest)."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(0.9 * len(ordered)) - 1)]


def _nav_link(page, path: str):  # type: ignore[no-untyped-def]
    """The sidebar's link to a page (the Overview's is the root, /)."""
    links = page.locator('[data-testid="stSidebarNav"] a')
    if path == "overview":
        return links.first
    return page.locator(f'[data-testid="stSidebarNav"] a[href*="/{path}"]').first


def _toggle_average(page, upward: bool) -> None:  # type: ignore[no-untyped-def]
    box = page.locator('[data-testid="stSidebar"] [data-testid="stSelectbox"]').filter(
        has_text="Neighbour average")
    box.locator("input").click()
    page.keyboard.press("ArrowUp" if upward else "ArrowDown")
    page.keyboard.press("Enter")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, default=Path("/tmp/browser_timings/dashboard.duckdb"))
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--port", type=int, default=None, help="the server's port (default: a free one)")
    parser.add_argument("--out", type=Path, default=ROOT / "tests" / "perf" / "browser_timings.md")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    args.db.parent.mkdir(parents=True, exist_ok=True)
    fresh = not args.db.exists()
    load_before = os.getloadavg()
    started = time.perf_counter()
    process, url = _start(args.db, args.port)
    rows: list[tuple[str, float, list[float], list[float], list[float]]] = []
    costs: dict[str, _Costs] = {}
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=shutil.which("chromium") or "/usr/bin/chromium",
                args=["--headless", "--no-sandbox", "--disable-gpu"])
            page = browser.new_context(viewport={"width": 1440, "height": 1000}).new_page()
            page.goto(f"{url}/")
            _wait_rendered(page, timeout=600_000)
            first = (time.perf_counter() - started) * 1000
            la = page.evaluate("() => new URL(location.href).searchParams.get('la')") or ""
            query = f"?la={la}" if la else ""
            for path in PAGES:
                cost = costs[path] = _Costs(page, process.pid)
                cold = _timed(lambda p=path: page.goto(f"{url}/{p}{query}"), page)
                loads = [_timed(lambda p=path: page.goto(f"{url}/{p}{query}"), page)
                         for _ in range(args.runs)]
                navigations = []
                other = "data" if path != "data" else "overview"
                for _ in range(args.runs):
                    _nav_link(page, other).click()
                    _wait_rendered(page)
                    navigations.append(cost.timed(lambda p=path: _nav_link(page, p).click(), page))
                clicks = [cost.timed(lambda i=i: _toggle_average(page, upward=i % 2 == 1), page)
                          for i in range(args.runs)]
                rows.append((path, cold, loads, navigations, clicks))
                print(path, f"{cold:.0f}", f"{_p90(loads):.0f}", f"{_p90(navigations):.0f}",
                      f"{_p90(clicks):.0f}", flush=True)
            browser.close()
    finally:
        process.terminate()
        process.wait(timeout=20)
    load_after = os.getloadavg()
    lines = [
        "# Page times in headless Chromium",
        "",
        f"`.venv/bin/python tests/perf/browser_timings.py --runs {args.runs}`, run {date.today():%Y-%m-%d} "
        "on "
        f"{os.cpu_count()} cores, demo store, viewport 1440 x 1000. Milliseconds from the action to "
        "the page rendered (script finished, nothing stale, every chart drawn).",
        "",
        "Load average (1, 5, 15 min) at the start "
        + ", ".join(f"{x:.1f}" for x in load_before)
        + " and at the end "
        + ", ".join(f"{x:.1f}" for x in load_after)
        + f" on {os.cpu_count()} cores: above {os.cpu_count()}, other work shared the machine.",
        "",
        ("fresh start (demo built) to a rendered Overview" if fresh
         else "server start to a rendered Overview (store already built)")
        + f": {first / 1000:.1f} s (goal 60 s).",
        "",
        "| page | cold | warm load median | warm load p90 | navigation median | navigation p90 "
        "| interaction median | interaction p90 |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for path, cold, loads, navigations, clicks in rows:
        lines.append(
            f"| {path} | {cold:.0f} | {statistics.median(loads):.0f} | {_p90(loads):.0f} | "
            f"{statistics.median(navigations):.0f} | {_p90(navigations):.0f} | "
            f"{statistics.median(clicks):.0f} | {_p90(clicks):.0f} |")
    worst_warm = max(max(_p90(n), _p90(c)) for _, _, _, n, c in rows)
    worst_cold = max(cold for _, cold, _, _, _ in rows)
    lines += [
        "",
        "Where the warm navigations' and interactions' time went (medians, ms): the server "
        "process's CPU time and the browser page's main-thread busy time.",
        "",
        "| page | server CPU | browser main thread |",
        "|---|---|---|",
    ]
    for path, cost in costs.items():
        server, busy = statistics.median(cost.server), statistics.median(cost.browser)
        lines.append(f"| {path} | {server:.0f} | {busy:.0f} |")
    lines += ["", f"Worst warm p90 (navigation or interaction): {worst_warm:.0f} ms (goal 500 ms); "
              f"worst cold: {worst_cold:.0f} ms (goal 2,000 ms).", ""]
    args.out.write_text("\n".join(lines))
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
