"""Who is signed in, for this Streamlit session, and the client that acts for them.

The browser holds only a signed session id (HttpOnly cookie, read through
``st.context.cookies``); the token comes from the server-side store into
``st.session_state``. Tabs of one browser share a sign-in, so refreshing goes
through one lock per sign-in and re-reads the store first (the provider rotates
refresh tokens: two refreshes would sign the user out).
"""

from __future__ import annotations

import streamlit as st

from bucket_client import BucketClient
from dashboard.shared.config import AppConfig, app_config
from dashboard.signin import cookies
from dashboard.signin.session_store import session_store
from dashboard.signin.sign_in_client import sign_in_client

AUTH_KEY = "auth"
CLIENT_KEY = "bucket_client"
FLASH_KEY = "flash_message"


# a browser came with a session cookie this app no longer knows (it restarted with a
# wiped disk, as a hosted service's app does, or the sign-in ended): the sign-in page says so
FORGOTTEN_KEY = "signin_forgotten"


def _cookie(name: str) -> str | None:
    try:
        return st.context.cookies.get(name)
    except Exception:  # no browser context (AppTest)
        return None


def signed_in(config: AppConfig | None = None) -> dict | None:
    """The session's sign-in (``sid``, ``token``, ``user``), loaded from the cookie if needed."""
    config = config or app_config()
    current = st.session_state.get(AUTH_KEY)
    sid = cookies.unsign(
        config.cookie_secret, "session", _cookie(cookies.SESSION_COOKIE), cookies.SESSION_MAX_AGE
    )
    if current and (current.get("sid") is None or current.get("sid") == sid):
        return current
    record = session_store(config).get(sid) if sid else None
    if record is None:
        # said on the sign-in page until a new sign-in replaces the cookie
        st.session_state[FORGOTTEN_KEY] = bool(_cookie(cookies.SESSION_COOKIE))
        st.session_state.pop(AUTH_KEY, None)
        st.session_state.pop(CLIENT_KEY, None)
        return None
    st.session_state[AUTH_KEY] = {"sid": record.sid, "token": record.token, "user": record.user}
    st.session_state.pop(CLIENT_KEY, None)
    return st.session_state[AUTH_KEY]


def client() -> BucketClient:
    """This session's client, built once and kept in ``st.session_state``."""
    existing = st.session_state.get(CLIENT_KEY)
    if existing is not None:
        return existing
    auth = st.session_state[AUTH_KEY]

    def on_token(token: dict) -> None:
        auth["token"] = token

    built = sign_in_client(
        app_config(), auth.get("sid"), auth["token"], on_token=on_token, on_wait=tell_waiting
    )
    st.session_state[CLIENT_KEY] = built
    return built


def tell_waiting(seconds: float) -> None:
    """Say why the page is slow when Bucket's shared request budget is spent."""
    from streamlit.runtime.scriptrunner import get_script_run_ctx

    if get_script_run_ctx(suppress_warning=True) is None:
        return  # a worker thread (parallel reads): the script thread will say it
    st.toast(
        f"Bucket's request budget for this server is spent (it is shared by everyone using "
        f"this app): waiting {seconds:.0f} s.",
        icon=":material/hourglass_top:",
    )


def end_session(message: str) -> None:
    """The token cannot be refreshed: forget the sign-in and go back to the sign-in page."""
    config = app_config()
    auth = st.session_state.pop(AUTH_KEY, None)
    st.session_state.pop(CLIENT_KEY, None)
    if auth and auth.get("sid"):
        session_store(config).delete(auth["sid"])
    st.session_state[FLASH_KEY] = message
    st.rerun()


def flash_message(config: AppConfig | None = None) -> str | dict | None:
    """A message left for this visitor (signed out, sign-in failed), shown once."""
    config = config or app_config()
    message = st.session_state.pop(FLASH_KEY, None)
    if message:
        return message
    raw = _cookie(cookies.FLASH_COOKIE)
    if raw and st.session_state.get("_flash_seen") != raw:
        st.session_state["_flash_seen"] = raw
        return cookies.unsign(config.cookie_secret, "flash", raw, 120)
    return None


def last_user(config: AppConfig | None = None) -> dict | None:
    """Who signed out on this browser last (name and email), from a signed cookie."""
    config = config or app_config()
    return cookies.unsign(
        config.cookie_secret,
        "last-user",
        _cookie(cookies.LAST_USER_COOKIE),
        cookies.LAST_USER_MAX_AGE,
    )
