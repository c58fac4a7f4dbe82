"""The sign-in page: one button that takes the browser to Bucket in the same tab, and
back to the view the visitor asked for (a copied link survives the sign-in)."""

from __future__ import annotations

import html
from urllib.parse import quote, urlencode, urlsplit

import streamlit as st

from dashboard.shared.config import app_config
from dashboard.shared.host_routes import check_host_routes, said_if_kept_back
from dashboard.shared.public_address import base_path, public_root, root_path
from dashboard.shared.text import plain
from dashboard.signin import gate


def next_path() -> str:
    """The page and query the visitor opened, within the app (no prefix: the callback puts
    the app's own back in front), to come back to after signing in."""
    url = ""
    try:
        url = st.context.url or ""
    except Exception:
        url = ""
    path = urlsplit(url).path or "/"
    base = base_path()
    if base and (path == base or path.startswith(base + "/")):
        path = path[len(base) :] or "/"
    if path.startswith("//"):
        path = "/"
    query = urlencode(st.query_params.to_dict())
    return path + (f"?{query}" if query else "")


def draw_sign_in() -> None:
    config = app_config()
    st.title("Bucket Dashboard")
    st.write("Manage your Bucket things and properties, upload values, and explore them as charts.")
    message = gate.flash_message(config)
    if message:
        text, said = (
            (message.get("message", ""), message.get("quote", ""))
            if isinstance(message, dict)
            else (message, "")
        )
        (st.success if "signed out" in text.lower() else st.warning)(plain(text))
        if said:  # the provider's error_description: plain text, no Markdown, no links
            st.text("The sign-in page said: " + said)
    if st.session_state.get(gate.FORGOTTEN_KEY):
        st.warning(
            "This app no longer knows your sign-in on this browser: it restarted and forgot "
            "its sign-ins (a hosted app's disk is wiped when it restarts or wakes from sleep), "
            "or the sign-in ended. Sign in again; your data in Bucket is untouched.",
            icon=":material/restart_alt:",
        )
    if config.sandbox and config.public_url:
        st.info(
            "**Demo sandbox.** This app runs a Bucket sandbox of its own, with demo data, for "
            "a demo: everything written here is lost when the app restarts or wakes from "
            "sleep. Sign in as `demo@bucket.sandbox` with password `demo-password`.",
            icon=":material/science:",
        )
    elif config.sandbox:
        st.info(
            "**Local sandbox.** No Bucket credentials are configured, so this app runs on a Bucket "
            "sandbox on this machine, with demo data. Sign in as `demo@bucket.sandbox` with password "
            "`demo-password`. Configure `OAUTH2_CLIENT_ID` and friends to use the real Bucket.",
            icon=":material/science:",
        )
    else:
        st.caption(f"Signing in at {config.settings.auth_url}")
    check_host_routes()
    said_if_kept_back("auth", "Signing in")
    # the app's own address as the browser has it (under a path, or in a frame); the
    # provider's page opens in the whole window (providers refuse to be framed)
    href = (
        public_root()
        + "/auth/login?next="
        + quote(next_path(), safe="")
        + "&root="
        + quote(root_path(), safe="")
    )
    st.markdown(
        f'<a href="{html.escape(href, quote=True)}" target="_top" class="bucket-signin" '
        'style="display:inline-block;padding:.6rem 1.2rem;border-radius:.5rem;background:#0b6bcb;'
        'color:white;text-decoration:none;font-weight:600">Sign in with Bucket</a>',
        unsafe_allow_html=True,
    )
    last = gate.last_user(config)
    if last:
        # the name and e-mail someone typed into their account: plain text (escaped as
        # Markdown, which escapes HTML too), never a link or markup on the next person's page
        name = last.get("name") or last.get("email") or "someone"
        email = last.get("email") or ""
        st.markdown(
            f"Last signed in on this browser: **{plain(name)}**"
            + (f" ({plain(email)})" if email and email != name else "")
            + f'. Not you? <a href="{html.escape(href + "&prompt=login", quote=True)}" '
            + 'target="_top">Sign in as '
            "someone else</a>: Bucket will ask for the account and password either way.",
            unsafe_allow_html=True,
        )


def require_sign_in() -> dict:
    """First line of every signed-in page, which guards itself: on a process's very first
    run Streamlit 1.67 runs a script of ``pages/`` without ``home.py`` (before
    ``st.navigation`` has been called, a ``pages/`` folder reads as a v1 multipage app). So
    the page reads the sign-in from the cookie as ``home.py`` does, and shows the sign-in
    page itself when there is none (signing in comes back to this page)."""
    config = app_config()
    auth = st.session_state.get(gate.AUTH_KEY) or (
        None if config.problems else gate.signed_in(config)
    )
    if not auth:
        draw_sign_in()
        st.stop()
    return auth
