"""A fresh clone's run command to a rendered Overview, phase by phase (a benchmark script, not a test).

    .venv/bin/python tests/perf/fresh_clone.py [--source REPO] [--commit C] [--baseline C] [--dir DIR]
        [--pip-cache] [--out FILE.md]

Clones REPO (default: this checkout's repository) at commit C (default: its HEAD) into DIR
(default /tmp/fresh_clone/repo, replaced; no ../shared beside it) and runs the README's run
command there one step at a time, timing each:

1. `python3 -m venv .venv`;
2. the README's install step, with no package cache (PIP_NO_CACHE_DIR=1 and UV_NO_CACHE=1, as on a
   machine that has never installed these packages; `--pip-cache` allows the caches);
3. `.venv/bin/streamlit run app.py` (headless, on a free port or `--port`), with headless Chromium
   (Playwright, /usr/bin/chromium) opening the app as soon as the server answers, split into:
   server answering, the demo store written (data/dashboard.duckdb appears: the whole demo build,
   through the real loaders) and the Overview rendered (the script has finished, its title and
   scorecard are shown and no element is stale).

It also records the server's CPU seconds to the rendered Overview and the load average before and
after. The total is what a user waits for: venv + install + start to a rendered Overview (the
clone is not counted). With `--baseline B` it first does the same for commit B, so two commits are
compared back to back on the same load. Playwright comes from the venv running this script; the
clone's venv has only what the README's install step installs.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from tests.browser_support import free_port, streamlit_command  # noqa: E402

COMMAND = ".venv/bin/python tests/perf/fresh_clone.py"
README_INSTALL = ".venv/bin/pip install -q -r requirements.txt"
OVERVIEW_RENDERED = """() => {
  const app = document.querySelector('[data-testid="stApp"]');
  if (!app || app.getAttribute('data-test-script-state') !== 'notRunning') return false;
  if (document.querySelector('[data-stale="true"]')) return false;
  const title = document.querySelector('[data-testid="stMainBlockContainer"] h1');
  if (!title || !title.textContent.includes("Children's social care performance")) return false;
  return document.querySelectorAll('[data-testid="stDataFrame"], [data-testid="stTable"]').length > 0;
}"""


def _cpu_s(pid: int) -> float:
    """User + system CPU seconds of a process and its waited-for children (/proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return sum(int(f) for f in fields[11:15]) / os.sysconf("SC_CLK_TCK")


def _timed_shell(command: str, cwd: Path, env: dict[str, str]) -> float:
    started = time.perf_counter()
    subprocess.run(command, shell=True, cwd=cwd, env=env, check=True)
    return time.perf_counter() - started


def _install_command(readme: str) -> str:
    """The install step of the README's run command (between the venv and `streamlit run`)."""
    for line in readme.splitlines():
        if "streamlit run app.py" in line and "venv" in line:
            steps = [step.strip() for step in line.split("&&")]
            kept = [s for s in steps if not s.startswith("python3 -m venv") and "streamlit run" not in s]
            return " && ".join(kept)
    return README_INSTALL


def _run_app(clone: Path, env: dict[str, str], port: int) -> dict[str, float]:
    """Start the app, open it in Chromium as soon as it answers; the seconds to each milestone."""
    from playwright.sync_api import sync_playwright

    store = clone / "data" / "dashboard.duckdb"
    marks: dict[str, float] = {}
    started = time.perf_counter()
    process = subprocess.Popen(
        streamlit_command(port, [".venv/bin/streamlit"]),
        cwd=clone,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        while "server" not in marks:
            try:
                with urllib.request.urlopen(f"{url}/_stcore/health", timeout=1):
                    marks["server"] = time.perf_counter() - started
            except OSError:
                if time.perf_counter() - started > 120:
                    raise SystemExit("streamlit did not answer within 120 s") from None
                time.sleep(0.05)
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=shutil.which("chromium") or "/usr/bin/chromium",
                args=["--headless", "--no-sandbox", "--disable-gpu"],
            )
            page = browser.new_context(viewport={"width": 1440, "height": 1000}).new_page()
            page.goto(f"{url}/")
            while "rendered" not in marks:
                if "store" not in marks and store.exists():
                    marks["store"] = time.perf_counter() - started
                if page.evaluate(OVERVIEW_RENDERED):
                    marks["rendered"] = time.perf_counter() - started
                elif time.perf_counter() - started > 900:
                    raise SystemExit("the Overview did not render within 900 s")
                else:
                    page.wait_for_timeout(50)
            marks.setdefault("store", marks["rendered"])
            marks["cpu"] = _cpu_s(process.pid)
            browser.close()
    finally:
        process.terminate()
        process.wait(timeout=30)
    return marks


def _loads(values: tuple[float, float, float]) -> str:
    return ", ".join(f"{x:.2f}" for x in values)


@dataclass
class Run:
    commit: str
    install: str
    load_before: tuple[float, float, float]
    load_after: tuple[float, float, float]
    seconds: dict[str, float]

    @property
    def total(self) -> float:
        return self.seconds["venv"] + self.seconds["install"] + self.seconds["rendered"]


def measure(source: str, commit: str, folder: Path, env: dict[str, str], port: int | None) -> Run:
    """Clone `commit` into `folder` (replaced) and time the README's run command there."""
    if folder.exists():
        shutil.rmtree(folder)
    folder.parent.mkdir(parents=True, exist_ok=True)
    load_before = os.getloadavg()
    started = time.perf_counter()
    subprocess.run(["git", "clone", "-q", source, str(folder)], check=True)
    subprocess.run(["git", "-C", str(folder), "checkout", "-q", "--detach", commit], check=True)
    seconds = {"clone": time.perf_counter() - started}
    install = _install_command((folder / "README.md").read_text(encoding="utf-8"))
    seconds["venv"] = _timed_shell("python3 -m venv .venv", folder, env)
    seconds["install"] = _timed_shell(install, folder, env)
    seconds |= _run_app(folder, env, port or free_port())
    return Run(commit, install, load_before, os.getloadavg(), seconds)


PHASES = [
    ("clone", "git clone (not counted)"),
    ("venv", "`python3 -m venv .venv`"),
    ("install", "the README's install step (below)"),
    ("server", "`streamlit run app.py`: server answering"),
    ("store", "... demo store written (from server start)"),
    ("rendered", "... Overview rendered in Chromium (from server start)"),
    ("cpu", "server CPU (user + system) to the rendered Overview, not counted"),
]


def report(runs: list[Run], cached: bool) -> list[str]:
    cache = "pip's and uv's caches allowed" if cached else "no package cache (PIP_NO_CACHE_DIR, UV_NO_CACHE)"
    heads = " | ".join(f"commit {run.commit[:7]}" for run in runs)
    lines = [
        "# A fresh clone's run command to a rendered Overview",
        "",
        f"`{COMMAND}`"
        + (f" (`--baseline {runs[0].commit[:7]}`)" if len(runs) > 1 else "")
        + f", run {datetime.now(UTC):%Y-%m-%d %H:%M} UTC, {os.cpu_count()} cores, Python "
        f"{sys.version.split()[0]}, {cache}, each commit freshly cloned with no ../shared beside it.",
        "",
        f"| phase (seconds) | {heads} |",
        "|---|" + "---|" * len(runs),
        *[
            f"| {label} | " + " | ".join(f"{run.seconds[key]:.1f}" for run in runs) + " |"
            for key, label in PHASES
        ],
        "| **total: run command to a rendered Overview** (venv + install + start) | "
        + " | ".join(f"**{run.total:.1f}**" for run in runs)
        + " |",
        "",
        "Load average (1, 5, 15 min) before and after each run:",
        "",
        *[f"- {run.commit[:7]}: {_loads(run.load_before)}; {_loads(run.load_after)}" for run in runs],
        "",
        "Install steps:",
        "",
        *[f"- {run.commit[:7]}: `{run.install}`" for run in runs],
        "",
    ]
    return lines


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source", default=str(ROOT), help="the repository to clone (default: this one)")
    parser.add_argument("--commit", default=None, help="the commit to check out (default: the source's HEAD)")
    parser.add_argument("--baseline", default=None, help="another commit to measure first, back to back")
    parser.add_argument("--dir", type=Path, default=Path("/tmp/fresh_clone/repo"))
    parser.add_argument("--port", type=int, default=None)
    parser.add_argument("--pip-cache", action="store_true", help="let pip and uv use their caches")
    parser.add_argument("--out", type=Path, default=ROOT / "tests" / "perf" / "fresh_clone.md")
    args = parser.parse_args()

    head = ["git", "-C", args.source, "rev-parse", "HEAD"]
    commit = args.commit or subprocess.run(head, capture_output=True, text=True, check=True).stdout.strip()
    if (args.dir.parent.parent / "shared").exists() or (args.dir.parent / "shared").exists():
        raise SystemExit(f"{args.dir} has a shared/ folder near it; choose a --dir without one")
    env = {k: v for k, v in os.environ.items() if k not in {"CSC_DB", "VIRTUAL_ENV", "PYTHONPATH"}}
    if not args.pip_cache:
        env["PIP_NO_CACHE_DIR"] = "1"
        env["UV_NO_CACHE"] = "1"
    runs = []
    for each in [args.baseline, commit] if args.baseline else [commit]:
        runs.append(measure(args.source, each, args.dir, env, args.port))
        print(f"{each[:7]}: {runs[-1].total:.1f} s", flush=True)
    lines = report(runs, args.pip_cache)
    args.out.write_text("\n".join(lines), encoding="utf-8")
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
