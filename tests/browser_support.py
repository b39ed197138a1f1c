"""Starting the real app for the browser tests: a free port, `streamlit run app.py` headless, wait
for its health check, stop it afterwards. Used by tests/test_browser.py and tests/test_browser_oidc.py."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
START_SECONDS = 30


def _test_ports() -> range:
    """This project's test ports, 8510-8519, or CSC_TEST_PORTS ("first-last") when it is set."""
    first, _, last = os.environ.get("CSC_TEST_PORTS", "8510-8519").partition("-")
    return range(int(first), int(last) + 1)


TEST_PORTS = _test_ports()


def free_port(preferred: Iterable[int] = (), taken: Iterable[int] = ()) -> int:
    """The first of `preferred` that is free and not in `taken`; any free port when none is."""
    skip = set(taken)
    for port in preferred:
        if port in skip:
            continue
        with socket.socket() as sock:
            try:
                sock.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_for(url: str, seconds: float) -> bool:
    """Whether `url` answers 200 within `seconds`."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=1) as response:
                if response.status == 200:
                    return True
        except OSError:
            time.sleep(0.25)
    return False


def streamlit_command(port: int, streamlit: Sequence[str] = (sys.executable, "-m", "streamlit")) -> list[str]:
    """`streamlit run app.py`, headless on 127.0.0.1:`port`, without usage statistics (the browser
    tests and the perf scripts start the app the same way; `streamlit` is how to call it)."""
    return [
        *streamlit,
        "run",
        "app.py",
        "--server.headless",
        "true",
        "--server.address",
        "127.0.0.1",
        "--server.port",
        str(port),
        "--browser.gatherUsageStats",
        "false",
    ]


@contextmanager
def running_app(
    port: int,
    env: Mapping[str, str],
    log: Path,
    *,
    host: str = "127.0.0.1",
    extra_args: Iterable[str] = (),
) -> Iterator[str]:
    """`streamlit run app.py` on 127.0.0.1:`port` with `env` added to the environment and its output
    in `log`; yields the app's url (`http://<host>:<port>`) once it is healthy and stops it after.
    Fails the test, quoting the log, when the app does not start within START_SECONDS."""
    command = [*streamlit_command(port), *extra_args]
    with open(log, "wb") as output:
        process = subprocess.Popen(
            command, cwd=ROOT, env={**os.environ, **env}, stdout=output, stderr=subprocess.STDOUT
        )
        try:
            url = f"http://{host}:{port}"
            if not wait_for(f"{url}/_stcore/health", START_SECONDS):
                pytest.fail(f"streamlit did not start within {START_SECONDS} s: {log.read_text()}")
            yield url
        finally:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
