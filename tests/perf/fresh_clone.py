"""A fresh clone's run command to a rendered Overview, phase by phase (a benchmark script, not a test).

    .venv/bin/python tests/perf/fresh_clone.py [--source REPO] [--dir DIR] [--pip-cache] [--out FILE.md]

Clones REPO (default: this checkout's repository at its current commit) into DIR (default
/tmp/fresh_clone, replaced), with no ../shared beside it, and runs the README's run command there
one step at a time, timing each:

1. venv: `python3 -m venv .venv`;
2. install: the README's install step (pip with PIP_NO_CACHE_DIR=1, as on a machine that has never
   installed these packages; `--pip-cache` lets pip use ~/.cache/pip instead);
3. `.venv/bin/streamlit run app.py` (headless, on a free port or `--port`), with headless Chromium
   (Playwright, /usr/bin/chromium) opening the app as soon as the server answers, split into:
   server answering, the demo store written (data/dashboard.duckdb appears: the whole demo build,
   through the real loaders), and the Overview rendered (the script has
   finished, its title and scorecard are shown and no element is stale).
It also records the server's CPU seconds to the rendered Overview and the load average before
and after. The total is what a
user waits for: venv + install + start to a rendered Overview (the clone itself is not counted).
Playwright comes from the venv running this script; the clone's own venv has only requirements.txt.
"""

from __future__ import annotations

import argparse
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
README_INSTALL = ".venv/bin/pip install -q -r requirements.txt"
OVERVIEW_RENDERED = """() => {
  const app = document.querySelector('[data-testid="stApp"]');
  if (!app || app.getAttribute('data-test-script-state') !== 'notRunning') return false;
  if (document.querySelector('[data-stale="true"]')) return false;
  const title = document.querySelector('[data-testid="stMainBlockContainer"] h1');
  if (!title || !title.textContent.includes("Children's social care performance")) return false;
  return document.querySelectorAll('[data-testid="stDataFrame"], [data-testid="stTable"]').length > 0;
}"""


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


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
        [".venv/bin/streamlit", "run", "app.py", "--server.headless", "true", "--server.address", "127.0.0.1",
         "--server.port", str(port), "--browser.gatherUsageStats", "false"],
        cwd=clone, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
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
                args=["--headless", "--no-sandbox", "--disable-gpu"])
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


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source", default=str(ROOT), help="the repository to clone (default: this one)")
    parser.add_argument("--commit", default=None, help="the commit to check out (default: the source's HEAD)")
    parser.add_argument("--dir", type=Path, default=Path("/tmp/fresh_clone/repo"))
    parser.add_argument("--port", type=int, default=None)
    parser.add_argument("--pip-cache", action="store_true", help="let pip use its cache (default: none)")
    parser.add_argument("--out", type=Path, default=ROOT / "tests" / "perf" / "fresh_clone.md")
    args = parser.parse_args()

    head = ["git", "-C", args.source, "rev-parse", "HEAD"]
    commit = args.commit or subprocess.run(head, capture_output=True, text=True, check=True).stdout.strip()
    if args.dir.exists():
        shutil.rmtree(args.dir)
    args.dir.parent.mkdir(parents=True, exist_ok=True)
    if (args.dir.parent.parent / "shared").exists() or (args.dir.parent / "shared").exists():
        raise SystemExit(f"{args.dir} has a shared/ folder near it; choose a --dir without one")
    env = {k: v for k, v in os.environ.items() if k not in {"CSC_DB", "VIRTUAL_ENV", "PYTHONPATH"}}
    if not args.pip_cache:
        env["PIP_NO_CACHE_DIR"] = "1"
        env["UV_NO_CACHE"] = "1"
    load_before = os.getloadavg()
    started = time.perf_counter()
    subprocess.run(["git", "clone", "-q", args.source, str(args.dir)], check=True)
    subprocess.run(["git", "-C", str(args.dir), "checkout", "-q", "--detach", commit], check=True)
    clone_s = time.perf_counter() - started
    install = _install_command((args.dir / "README.md").read_text(encoding="utf-8"))
    venv_s = _timed_shell("python3 -m venv .venv", args.dir, env)
    install_s = _timed_shell(install, args.dir, env)
    marks = _run_app(args.dir, env, args.port or _free_port())
    load_after = os.getloadavg()
    total = venv_s + install_s + marks["rendered"]
    rows = [
        ("git clone (not counted)", clone_s),
        ("`python3 -m venv .venv`", venv_s),
        (f"`{install}`" + ("" if args.pip_cache else " (no pip cache)"), install_s),
        ("`streamlit run app.py`: server answering", marks["server"]),
        ("... first screen's demo store written (from server start)", marks["store"]),
        ("... Overview rendered in Chromium (from server start)", marks["rendered"]),
    ]
    cache = "pip's cache allowed" if args.pip_cache else "no package cache (PIP_NO_CACHE_DIR, UV_NO_CACHE)"
    lines = [
        "# A fresh clone's run command to a rendered Overview",
        "",
        f"`.venv/bin/python tests/perf/fresh_clone.py`, run {datetime.now(UTC):%Y-%m-%d %H:%M} UTC on commit "
        f"{commit[:7]}, {os.cpu_count()} cores, Python {sys.version.split()[0]}, {cache}. Load average "
        f"(1, 5, 15 min) before {_loads(load_before)}; after {_loads(load_after)}.",
        "",
        "| phase | seconds |",
        "|---|---|",
        *[f"| {name} | {seconds:.1f} |" for name, seconds in rows],
        f"| **total: run command to a rendered Overview** (venv + install + start) | **{total:.1f}** |",
        "",
        f"Server CPU (user + system) from its start to the rendered Overview: {marks['cpu']:.1f} s.",
        "",
    ]
    args.out.write_text("\n".join(lines), encoding="utf-8")
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
