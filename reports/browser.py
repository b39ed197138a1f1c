"""Plotly figures drawn as PNG by plotly.js in one headless Chromium page (choreographer).

One Chromium is started the first time charts are drawn and kept for the life of the process
(the CLI, the Streamlit server, a benchmark building many packs): its one page loads plotly.js
(the copy inside the plotly package, so nothing is fetched from the network) once, and every
figure of every build is drawn in that page with `Plotly.toImage`, the call kaleido makes, so the
images are the same. kaleido itself reloads its page after each image, which costs more than
drawing. The browser lives on an event loop in a thread of its own, so drawing works whether or
not the caller already runs an event loop; builds take turns at it. A browser that has stopped
is started again once; it is closed when the process exits (or by `close_browser`).
"""

from __future__ import annotations

import asyncio
import atexit
import base64
import tempfile
import threading
from collections.abc import Coroutine
from pathlib import Path
from typing import Any

import choreographer
import plotly
from choreographer.errors import (
    BrowserClosedError,
    BrowserDepsError,
    BrowserFailedError,
    ChannelClosedError,
    ChromeNotFoundError,
)

PLOTLY_JS = Path(plotly.__file__).resolve().parent / "package_data" / "plotly.min.js"
OPEN_SECONDS = 120.0  # Chromium's start and plotly.js's load, on a machine many share
CHART_SECONDS = 60.0
PAGE = """<!DOCTYPE html>
<html><head><meta charset="utf-8"><script src="{plotly}" charset="utf-8"></script>
<script>
window.drawChart = (figure, width, height, scale) => Plotly.toImage(
  {{data: figure.data, layout: figure.layout, config: {{}}}},
  {{format: "png", width: width, height: height, scale: scale}});
</script></head><body style="margin: 0"></body></html>
"""


class BrowserFailed(RuntimeError):
    """Chromium could not be started, or plotly.js could not draw a figure."""


CLOSE_SECONDS = 30.0
_FAILURES = (BrowserFailedError, BrowserClosedError, BrowserDepsError, ChannelClosedError)


class _Chromium:
    """A headless Chromium with plotly.js loaded in one page, driven from an event loop that runs
    in a thread of its own."""

    def __init__(self) -> None:
        self.folder = tempfile.TemporaryDirectory(prefix="csc-charts-")
        self.page = Path(self.folder.name) / "page.html"
        self.page.write_text(PAGE.format(plotly=PLOTLY_JS.as_uri()), encoding="utf-8")
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, name="csc-charts", daemon=True)
        self.thread.start()
        self.browser: choreographer.Browser | None = None
        self.tab: choreographer.Tab | None = None
        try:
            self._run(self._open(), OPEN_SECONDS)
        except BaseException:
            self.close()
            raise

    def _run(self, work: Coroutine[Any, Any, Any], seconds: float) -> Any:
        try:
            return asyncio.run_coroutine_threadsafe(asyncio.wait_for(work, seconds), self.loop).result()
        except ChromeNotFoundError as error:
            raise BrowserFailed("no Chromium was found") from error
        except _FAILURES as error:
            raise BrowserFailed(f"Chromium stopped: {error}") from error
        except TimeoutError as error:
            raise BrowserFailed("Chromium did not answer in time") from error

    async def _open(self) -> None:
        self.browser = choreographer.Browser(headless=True)
        await self.browser.open()
        self.tab = await _open_page(self.browser, self.page)

    def draw(self, figures: list[str], width: int, height: int, scale: float) -> list[bytes]:
        assert self.tab is not None  # opened in __init__
        return [self._run(_draw(self.tab, figure, width, height, scale), CHART_SECONDS) for figure in figures]

    def close(self) -> None:
        try:
            if self.browser is not None:
                self._run(self.browser.close(), CLOSE_SECONDS)
        except BrowserFailed:
            pass  # it had stopped already
        finally:
            self.browser = self.tab = None
            self.loop.call_soon_threadsafe(self.loop.stop)
            self.thread.join(CLOSE_SECONDS)
            if not self.thread.is_alive():
                self.loop.close()
            self.folder.cleanup()


_lock = threading.Lock()
_kept: _Chromium | None = None


def draw_png(figures: list[str], width: int, height: int, scale: float) -> list[bytes]:
    """PNG bytes of each figure (a plotly figure as JSON text), in order, in the kept Chromium."""
    global _kept
    if not figures:
        return []
    with _lock:
        if _kept is not None:
            try:
                return _kept.draw(figures, width, height, scale)
            except BrowserFailed:  # it has stopped since the last charts: start another, once
                _kept.close()
                _kept = None
        _kept = _Chromium()
        try:
            return _kept.draw(figures, width, height, scale)
        except BrowserFailed:
            _kept.close()
            _kept = None
            raise


def close_browser() -> None:
    """Close the kept Chromium (the next charts start a new one); run at the process's exit."""
    global _kept
    with _lock:
        if _kept is not None:
            _kept.close()
            _kept = None


def browser_running() -> bool:
    """Whether a Chromium is kept for the next charts."""
    return _kept is not None


atexit.register(close_browser)


async def _open_page(browser: choreographer.Browser, page: Path) -> choreographer.Tab:
    tab = browser.get_tab()
    if tab is None:
        raise BrowserFailed("Chromium opened no page")
    loaded = tab.subscribe_once("Page.loadEventFired")
    _answer(await tab.send_command("Page.enable"))
    _answer(await tab.send_command("Page.navigate", params={"url": page.as_uri()}))
    await loaded
    ready = _answer(
        await tab.send_command(
            "Runtime.evaluate", params={"expression": "typeof Plotly", "returnByValue": True}
        )
    )
    if ready.get("value") != "object":
        raise BrowserFailed(f"plotly.js did not load from {PLOTLY_JS}")
    return tab


async def _draw(tab: choreographer.Tab, figure: str, width: int, height: int, scale: float) -> bytes:
    expression = f"window.drawChart({figure}, {int(width)}, {int(height)}, {float(scale)})"
    result = _answer(
        await tab.send_command(
            "Runtime.evaluate",
            params={"expression": expression, "awaitPromise": True, "returnByValue": True},
        )
    )
    url = str(result.get("value", ""))
    if not url.startswith("data:image/png;base64,"):
        raise BrowserFailed("plotly.js returned no PNG")
    return base64.b64decode(url.split(",", 1)[1])


def _answer(response: Any) -> dict[str, Any]:
    """The result of a DevTools command, or BrowserFailed naming what went wrong."""
    if "error" in response:
        raise BrowserFailed(f"Chromium refused a command: {response['error'].get('message', '')}")
    result = response.get("result", {})
    if "exceptionDetails" in result:
        details = result["exceptionDetails"]
        text = details.get("exception", {}).get("description") or details.get("text", "")
        raise BrowserFailed(f"plotly.js could not draw a chart: {str(text).splitlines()[0]}")
    return dict(result.get("result", result))
