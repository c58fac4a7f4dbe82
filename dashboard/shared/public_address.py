"""Where the person's browser reaches the app: the address every link and route the app
builds must start with, under ``server.baseUrlPath`` or framed under a prefix the app is
never told of.

Streamlit mounts only its own routes under ``server.baseUrlPath``; the app mounts its own
(``/auth``, ``/exports``, ``/phone``, ``/sandbox``, ``/assets``) under the same path itself
(``app.py``). Streamlit's hosted service frames the app from ``/~/+/`` and its proxy strips
that prefix: the server never sees it, but the browser's address (``st.context.url``, the
frame's own) has it. So links are built from that address, minus the page's own path.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import streamlit as st

# every page's url_path (home.py): the last part of an address that names a page
PAGE_PATHS = frozenset(
    {"home", "things", "explore", "upload", "shared", "phone-sensor", "account", "sign-in",
     "settings"}
)  # fmt: skip
SAFE_ROOT = re.compile(r"(/[A-Za-z0-9._~+\-]+)*")  # a path of plain segments, or nothing


def base_path() -> str:
    """``server.baseUrlPath`` as a path prefix: ``/dashboard``, or ``""`` at the root."""
    value = str(st.get_option("server.baseUrlPath") or "").strip("/")
    return "/" + value if value else ""


def public_root() -> str:
    """``https://host/prefix`` of the app as this person's browser reaches it (no trailing
    slash); ``""`` outside a script run (then links are relative to the host)."""
    url = st.context.url or ""
    parts = urlsplit(url)
    if not parts.netloc:
        return base_path()
    segments = [s for s in parts.path.split("/") if s]
    if segments and segments[-1] in PAGE_PATHS:
        segments.pop()
    path = "/" + "/".join(segments) if segments else ""
    return f"{parts.scheme}://{parts.netloc}{path}"


def root_path() -> str:
    """The path part of ``public_root``: ``/~/+``, ``/dashboard`` or ``""``."""
    return urlsplit(public_root()).path if "://" in public_root() else public_root()


def safe_root(value: str | None) -> str:
    """A prefix a request may name for the app's own address: plain path segments only."""
    value = (value or "").rstrip("/")
    return value if len(value) <= 100 and SAFE_ROOT.fullmatch(value) else ""
