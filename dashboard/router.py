"""The router and the gate, run by ``home.py`` (Streamlit's entry script) on every page
run: the session's sign-in, the page list for the signed-in state, navigation.

A page of ``pages/`` also runs it when Streamlit ran that page alone: on a process's very
first script run Streamlit 1.67 treats a ``pages/`` folder as a v1 multipage app (until
``st.navigation`` is first called) and runs the page's script without ``home.py``. The page
routes itself instead (``guard``), and everything after is the usual run."""

from __future__ import annotations

import threading
from pathlib import Path

import streamlit as st

from dashboard.hosting.store import LockTimeout, StoreUnavailable
from dashboard.shared import budget, memory
from dashboard.shared.config import app_config
from dashboard.shared.session_reaper import remember_session
from dashboard.shared.sidebar import draw_sidebar
from dashboard.signin import gate
from dashboard.signin.page import draw_sign_in

PAGE_ICON = str(Path(__file__).parent / "shared" / "page_icon.png")
_ROUTING = threading.local()  # set while this script thread runs route()


def routing() -> bool:
    """Whether this run went through ``route`` (it did, unless Streamlit ran a page alone)."""
    return getattr(_ROUTING, "active", False)


def guard() -> None:
    """First line of every script in ``pages/``: when Streamlit ran it alone (see above),
    route instead (the navigation runs this page again, with the gate), and stop here."""
    if not routing():
        route()
        st.stop()


def route() -> None:
    _ROUTING.active = True
    try:
        _route()
    finally:
        _ROUTING.active = False


def _route() -> None:
    # the tab's icon from the app itself: a ":material/...:" icon is fetched from Google's font
    # server by every visitor's browser (an outside request, and no icon offline)
    st.set_page_config(page_title="Bucket Dashboard", page_icon=PAGE_ICON, layout="wide")

    remember_session()
    config = app_config()
    try:
        signed_in = not config.problems and gate.signed_in(config)
    except StoreUnavailable as error:
        st.error(str(error), icon=":material/cloud_off:")
        st.stop()
    budget_slot = None
    if config.problems:
        pages = [st.Page("pages/settings_problem.py", title="Settings", url_path="settings")]
        position = "hidden"
    elif signed_in:
        # Every page has an address that works when typed, /things included: the app's root
        # shows Things too, so the menu is drawn by the sidebar (one entry per page).
        menu = [
            st.Page(
                "pages/things.py", title="Things", icon=":material/devices:", url_path="things"
            ),
            st.Page(
                "pages/explore.py",
                title="Explore",
                icon=":material/monitoring:",
                url_path="explore",
            ),
            st.Page("pages/upload.py", title="Upload", icon=":material/upload:", url_path="upload"),
            st.Page(
                "pages/boards.py", title="Boards", icon=":material/dashboard:", url_path="boards"
            ),
            st.Page(
                "pages/shared.py",
                title="Shared with me",
                icon=":material/group:",
                url_path="shared",
            ),
            st.Page(
                "pages/phone.py",
                title="Phone as a sensor",
                icon=":material/vibration:",
                url_path="phone-sensor",
            ),
            st.Page(
                "pages/account.py", title="Account", icon=":material/person:", url_path="account"
            ),
        ]
        pages = [st.Page("pages/things.py", title="Things", default=True, url_path="home"), *menu]
        position = "hidden"
        budget_slot = draw_sidebar(config, st.session_state[gate.AUTH_KEY], menu)
    else:
        # Only sign-in. A copied link to a page shows sign-in under that same address (no menu),
        # and signing in comes back to it.
        pages = [st.Page("pages/sign_in.py", title="Sign in", url_path="sign-in")]
        pages += [
            st.Page(draw_sign_in, title="Sign in", url_path=p)
            for p in ("things", "explore", "upload", "boards", "shared", "phone-sensor", "account")
        ]
        position = "hidden"

    try:
        st.navigation(pages, position=position).run()
    except (StoreUnavailable, LockTimeout) as error:
        # the store went away mid-page (or a refresh elsewhere held its lock too long): say so,
        # keep the session; the next run after it is back carries on
        st.error(str(error), icon=":material/cloud_off:")
    finally:
        if budget_slot is not None:
            budget.draw(budget_slot)
        # what this run freed goes back to the system now, without a full garbage collection
        # (Streamlit's after every run cost a class 18% of the app's time): the class bench's
        # memory per idle session
        memory.give_back(collect=False)
