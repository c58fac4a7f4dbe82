"""Ends the Streamlit sessions of closed tabs, and gives their memory back.

Streamlit 1.67 keeps a disconnected session for ``server.disconnectedSessionTTL`` seconds so
that a dropped connection can resume it, then lets it expire from its cache without shutting
it down (streamlit/streamlit#12506): the session's uploaded files (a 200 MB CSV) and its
session state stay in the process until it restarts. Measured on the Upload page: +665 MB
three minutes after the tab closed. Even a session shut down stays reachable when it was the
last one the runtime's send loop served (that loop keeps its last session in a local until
another tab connects), so its state is cleared too.

So the app remembers each session it ran for; a task on the server's event loop closes a
session disconnected for nearly that TTL with the runtime's own ``close_session`` (which
removes its files, as a session Streamlit ends itself), clears its session state, then
collects the garbage and returns free memory to the system.
"""

from __future__ import annotations

import asyncio
import contextlib
import importlib
import logging
import pkgutil
import threading
import time
import weakref

import streamlit as st
from streamlit import runtime
from streamlit.runtime.scriptrunner import get_script_run_ctx

from dashboard.shared import memory

CHECK_EVERY_S = 5
PAGE_PACKAGES = ("dashboard.things", "dashboard.upload", "dashboard.explore", "dashboard.account")
RELEASE_SWEEPS = 6  # a closed session's script thread ends a little later: free for 30 s


class _Sessions:
    """The sessions this app ran for: when each was last seen connected, and the session
    itself (weakly: never the reason one stays alive)."""

    def __init__(self):
        self.lock = threading.Lock()
        self.seen: dict[str, float] = {}
        self.apps: dict[str, weakref.ref] = {}
        self.release_left = 0  # sweeps that still give memory back after a close


_sessions = _Sessions()


def remember_session() -> None:
    """Called on every run: this session is one to end once its tab is gone."""
    ctx = get_script_run_ctx(suppress_warning=True)
    if ctx is not None:
        with _sessions.lock:
            _sessions.seen[ctx.session_id] = time.monotonic()


def grace_seconds() -> float:
    """Disconnected this long, a session is closed: just before Streamlit's own TTL, while
    its storage still holds it (a reconnect within the TTL keeps working)."""
    ttl = float(st.get_option("server.disconnectedSessionTTL"))
    return ttl - 10 if ttl > 20 else ttl / 2


def reap_once(now: float | None = None) -> int:
    """Close the remembered sessions disconnected for longer than the grace; how many.
    Must run on the server's event loop (the runtime's rule for ``close_session``)."""
    if not runtime.exists():
        return 0
    rt = runtime.get_instance()
    now = time.monotonic() if now is None else now
    grace = grace_seconds()
    closed = 0
    with _sessions.lock:
        sessions = list(_sessions.seen.items())
    for session_id, last_seen in sessions:
        if rt.is_active_session(session_id):
            app = rt.get_app_session(session_id)
            with _sessions.lock:
                _sessions.seen[session_id] = now
                if app is not None and session_id not in _sessions.apps:
                    _sessions.apps[session_id] = weakref.ref(app)
        elif now - last_seen > grace:
            rt.close_session(session_id)
            with _sessions.lock:
                _sessions.seen.pop(session_id, None)
                ref = _sessions.apps.pop(session_id, None)
            app = ref() if ref is not None else None
            if app is not None:
                app.session_state.clear()  # its files and tables, even if it lingers
            closed += 1
    if closed:
        _sessions.release_left = RELEASE_SWEEPS
    if _sessions.release_left:
        _sessions.release_left -= 1
        memory.give_back()
    return closed


def warm_up() -> None:
    """Import every page's code (pandas, Arrow, Plotly and the app's own modules) as the
    server starts, in a thread beside it, not in the first visitor's run: the first page of
    a fresh server mostly finds them loaded, and the memory a session leaves behind is what
    it really kept (its first visit's imports are the process's own, from its start)."""
    for package in PAGE_PACKAGES:
        module = importlib.import_module(package)
        for found in pkgutil.iter_modules(module.__path__, package + "."):
            importlib.import_module(found.name)


async def reap_forever() -> None:
    while True:
        await asyncio.sleep(CHECK_EVERY_S)
        try:
            reap_once()
        except Exception:  # noqa: BLE001 (a failed sweep must not end the sweeping)
            logging.getLogger(__name__).exception("closing disconnected sessions failed")


@contextlib.asynccontextmanager
async def lifespan(_app):
    """The app's lifespan (``st.App``): the pages' code is loaded before the first visit
    (``warm_up``), and the sweep, and the phones' flush, run while the server does."""
    from dashboard.phone.flusher import flush_forever

    warming = asyncio.create_task(asyncio.to_thread(warm_up))  # beside the first requests
    task = asyncio.create_task(reap_forever())
    flushing = asyncio.create_task(flush_forever())  # phones' samples that wait for Bucket
    try:
        yield None
    finally:
        task.cancel()
        warming.cancel()
        flushing.cancel()
