"""Plotly figures drawn as PNG by plotly.js in one headless Chromium page (choreographer).

One Chromium is started per call and one page loads plotly.js (the copy inside the plotly
package, so nothing is fetched from the network) once; every figure is then drawn in that page
with `Plotly.toImage`, the call kaleido makes, so the images are the same. kaleido itself reloads
its page after each image, which costs more than drawing. Runs in a thread of its own, so it
works whether or not the caller (the CLI, Streamlit, a test) already runs an event loop.
"""

from __future__ import annotations

import asyncio
import base64
import tempfile
from concurrent.futures import ThreadPoolExecutor
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


def draw_png(figures: list[str], width: int, height: int, scale: float) -> list[bytes]:
    """PNG bytes of each figure (a plotly figure as JSON text), in order."""
    if not figures:
        return []
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="csc-charts") as pool:
        return pool.submit(asyncio.run, _draw_all(figures, width, height, scale)).result()


async def _draw_all(figures: list[str], width: int, height: int, scale: float) -> list[bytes]:
    with tempfile.TemporaryDirectory(prefix="csc-charts-") as folder:
        page = Path(folder) / "page.html"
        page.write_text(PAGE.format(plotly=PLOTLY_JS.as_uri()), encoding="utf-8")
        try:
            async with choreographer.Browser(headless=True) as browser:
                tab = await asyncio.wait_for(_open_page(browser, page), OPEN_SECONDS)
                return [
                    await asyncio.wait_for(_draw(tab, figure, width, height, scale), CHART_SECONDS)
                    for figure in figures
                ]
        except ChromeNotFoundError as error:
            raise BrowserFailed("no Chromium was found") from error
        except (BrowserFailedError, BrowserClosedError, BrowserDepsError, ChannelClosedError) as error:
            raise BrowserFailed(f"Chromium stopped: {error}") from error
        except TimeoutError as error:
            raise BrowserFailed("Chromium did not answer in time") from error


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
