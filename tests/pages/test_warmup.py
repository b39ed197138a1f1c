"""The background cache warm-up: it never runs under AppTest, and it knows when a page has run."""

from __future__ import annotations

import threading

from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.testing.v1 import AppTest

from pages.components import warmup


def test_warm_up_does_not_start_under_app_test() -> None:
    app = AppTest.from_string(
        "import streamlit as st\nfrom pages.components import warmup\n"
        'st.write(f\'started={warmup.start(["", "data"])}\')'
    )
    app.run()
    assert [m.value for m in app.markdown] == ["started=False"]
    assert not warmup._started


def test_a_run_stopped_for_a_rerun_is_not_the_page_finished() -> None:
    client = warmup._Client()
    client.write_forward_msg(ForwardMsg(script_finished=ForwardMsg.FINISHED_EARLY_FOR_RERUN))
    assert not client.finished.is_set()
    client.write_forward_msg(ForwardMsg(delta={}))
    assert not client.finished.is_set()
    client.write_forward_msg(ForwardMsg(script_finished=ForwardMsg.FINISHED_SUCCESSFULLY))
    assert client.finished.is_set()


def test_the_warm_up_waits_while_a_visitors_script_runs() -> None:
    assert warmup.wait_for_visitors(0.01)  # nobody running: no wait
    inside, release = threading.Event(), threading.Event()

    def visitor() -> None:
        with warmup.visitor_run():
            inside.set()
            release.wait(5)

    thread = threading.Thread(target=visitor)
    thread.start()
    inside.wait(5)
    assert not warmup.wait_for_visitors(0.05)  # a visitor is running: the warm-up waits
    release.set()
    assert warmup.wait_for_visitors(5)  # it ends: the warm-up goes on
    thread.join(5)


def test_a_visitor_run_that_stops_early_still_ends() -> None:
    class Stopped(Exception):
        pass

    try:
        with warmup.visitor_run():
            raise Stopped  # st.stop and st.rerun leave the script by exceptions
    except Stopped:
        pass
    assert warmup.wait_for_visitors(0.01)
