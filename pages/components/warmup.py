"""Warm every page's caches in the background once the server has its first session.

A page first opened after the server started otherwise pays for all its queries, figure builds
and plotly's first figure (3-16 s on 2 cores, tests/perf/browser_timings.md). On the first session
app.py calls `start` with the pages' url paths, and a background thread runs each page once, in
turn, in a session of its own with no browser: a Streamlit AppSession whose client drops what it
is sent, driven through the same rerun path a browser uses. The first real visit to a page then
finds its frames and figures cached (for the default LA and filters). Running a page writes
nothing to the store. Skipped under AppTest and with sign-in configured (that session would only
reach the sign-in prompt). Between pages the warm-up waits while a visitor's script is running
(`visitor_run` marks those runs), so on 2 cores it never competes with what someone is waiting for.
"""

from __future__ import annotations

import asyncio
import logging
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TypeVar

from streamlit import runtime
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ClientState_pb2 import ClientState
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.runtime import Runtime
from streamlit.runtime.scriptrunner import get_script_run_ctx
from streamlit.runtime.session_manager import SessionClient

from pages.components.widgets import _under_app_test

log = logging.getLogger(__name__)
T = TypeVar("T")
PAGE_TIMEOUT_S = 300.0
VISITOR_WAIT_S = 30.0  # the longest the warm-up defers to visitors before its next page

_started = False
_lock = threading.Lock()
_warm_session: str | None = None  # the warm-up's own session, not a visitor
_visitor_runs = 0
_visitors_idle = threading.Condition()


@contextmanager
def visitor_run() -> Iterator[None]:
    """Mark the script run inside as a visitor's (any session but the warm-up's own)."""
    global _visitor_runs
    context = get_script_run_ctx()
    if context is not None and context.session_id == _warm_session:
        yield
        return
    with _visitors_idle:
        _visitor_runs += 1
    try:
        yield
    finally:
        with _visitors_idle:
            _visitor_runs -= 1
            _visitors_idle.notify_all()


def wait_for_visitors(limit_s: float = VISITOR_WAIT_S) -> bool:
    """Block until no visitor's script is running (True), or `limit_s` has passed (False)."""
    with _visitors_idle:
        return _visitors_idle.wait_for(lambda: _visitor_runs == 0, timeout=limit_s)


class _Client(SessionClient):
    """A session's client that keeps nothing and says when a run has finished."""

    def __init__(self) -> None:
        self.finished = threading.Event()

    def write_forward_msg(self, msg: ForwardMsg) -> None:
        finished = msg.WhichOneof("type") == "script_finished"
        if finished and msg.script_finished != ForwardMsg.FINISHED_EARLY_FOR_RERUN:
            self.finished.set()


def start(url_paths: list[str]) -> bool:
    """Start warming `url_paths` in the background, once per server process; False if it was
    started before or cannot run here (no server runtime)."""
    global _started
    with _lock:
        if _started or not runtime.exists() or _under_app_test():
            return False
        _started = True
    # Private, and kept: Streamlit 1.67 has no public way to reach the server's event loop from a
    # script under `streamlit run` (st.App's lifespan hook gives one only when an ASGI server such as
    # uvicorn serves the app), and the session calls below are internal APIs anyway. If a release
    # moves it, the except below logs it and pages are only slower on their first visit.
    try:
        loop = Runtime.instance()._get_async_objs().eventloop
    except Exception:  # a Streamlit without the event loop where this version keeps it
        log.exception("the cache warm-up could not start")
        return False
    threading.Thread(target=_warm, args=(loop, list(url_paths)), name="cache-warm-up", daemon=True).start()
    return True


def _on_loop(loop: asyncio.AbstractEventLoop, call: Callable[[], T]) -> T:
    """Run `call` on the server's event loop (the runtime's session methods must run there)."""

    async def run() -> T:
        return call()

    return asyncio.run_coroutine_threadsafe(run(), loop).result(timeout=30)


def _warm(loop: asyncio.AbstractEventLoop, url_paths: list[str]) -> None:
    global _warm_session
    client = _Client()
    server = Runtime.instance()
    session_id: str | None = None
    try:
        session_id = _on_loop(loop, lambda: server.connect_session(client=client, user_info={}))
        _warm_session = session_id
        for path in url_paths:
            wait_for_visitors()
            client.finished.clear()
            message = BackMsg(rerun_script=ClientState(page_name=path, query_string=""))
            _on_loop(loop, lambda m=message: server.handle_backmsg(session_id, m))  # type: ignore[misc]
            if not client.finished.wait(PAGE_TIMEOUT_S):
                log.warning("the cache warm-up stopped: page %s took over %.0f s", path, PAGE_TIMEOUT_S)
                return
        log.info("cache warm-up finished: %s", ", ".join(url_paths))
    except Exception:  # never more than a slower first visit
        log.exception("the cache warm-up stopped")
    finally:
        if session_id is not None:
            closing = session_id
            try:
                _on_loop(loop, lambda: server.close_session(closing))
            except Exception:
                log.exception("the cache warm-up session could not be closed")
