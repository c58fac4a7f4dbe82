"""Bulk work that shares Bucket's budget: a download of everything, a long delete, an undo.

Bucket counts requests per client address, and everyone behind a hosted app shares that
address. A download of 195,000 values once took 74 of the minute's 100 requests, and a
notebook run right after was refused. Inside ``paced`` the session's client takes a request
only while more than half of the window is left (``BucketClient.paced``); otherwise it waits
for Bucket's next window, and the page says how long, where its progress shows.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterator

import streamlit as st
from streamlit.runtime.scriptrunner import add_script_run_ctx, get_script_run_ctx

from bucket_client import BucketClient

KEEP_SHARE = 0.5  # of Bucket's limit, always left to the other people and pages


def pause_words(seconds: float) -> str:
    return (
        f"Pausing {seconds:.0f} s for Bucket's next minute: this leaves half of its requests "
        "to everyone else using this app. It goes on by itself."
    )


@contextlib.contextmanager
def paced(client: BucketClient) -> Iterator[BucketClient]:
    """``client`` leaving half of each window to others; a wait is said under the progress
    (also from the client's worker threads, which are given this run's context)."""
    notice = st.empty()
    context = get_script_run_ctx(suppress_warning=True)
    lock = threading.Lock()

    def on_wait(seconds: float) -> None:
        if context is None:
            return
        with lock:
            if get_script_run_ctx(suppress_warning=True) is None:
                add_script_run_ctx(threading.current_thread(), context)
            notice.info(pause_words(seconds), icon=":material/hourglass_top:")

    try:
        with client.paced(KEEP_SHARE, on_wait):
            yield client
    finally:
        notice.empty()
