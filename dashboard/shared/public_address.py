"""Where the person's browser reaches the app: the address every link and route the app
builds must start with, under ``server.baseUrlPath`` or framed under a prefix the app is
never told of.

Streamlit mounts only its own routes under ``server.baseUrlPath``; the app mounts its own
(``/auth``, ``/exports``, ``/phone``, ``/sandbox``, ``/assets``) under the same path itself
(``app.py``). Streamlit's hosted service frames the app from ``/~/+/`` and its proxy strips
that prefix: the server never sees it, but the browser's address (``st.context.url``, the
frame's own) has it; Streamlit's ``st.context.url`` does not. So the address comes from
a setting where the app cannot see it (``public_root``).
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import streamlit as st

from dashboard.shared.config import app_config

# a path of plain segments (never "." or ".."), or nothing
SAFE_ROOT = re.compile(r"(/(?!\.{1,2}(?:/|$))[A-Za-z0-9._~+\-]+)*")


def base_path() -> str:
    """``server.baseUrlPath`` as a path prefix: ``/dashboard``, or ``""`` at the root."""
    value = str(st.get_option("server.baseUrlPath") or "").strip("/")
    return "/" + value if value else ""


def public_root() -> str:
    """``https://host/prefix`` of the app as people's browsers reach it (no trailing slash):
    ``BUCKET_PUBLIC_URL`` when set; else a configured Bucket client's redirect URL less its
    ``/auth/callback`` (registered with the lab, so it is the public address); else the
    browser's own origin with ``server.baseUrlPath``. Outside a script run: the path alone.

    ``st.context.url`` cannot give a frame's prefix: framed under ``/~/+/`` it reads as the
    bare origin (seen in Chromium), so the prefix comes from a setting there."""
    config = app_config()
    if config.public_url:
        return config.public_url
    if not config.sandbox and config.settings.redirect_url:
        return config.settings.redirect_url.rstrip("/").removesuffix("/auth/callback")
    parts = urlsplit(st.context.url or "")
    origin = f"{parts.scheme}://{parts.netloc}" if parts.netloc else ""
    return origin + base_path()


def root_path() -> str:
    """The path part of ``public_root``: ``/~/+``, ``/dashboard`` or ``""``."""
    return urlsplit(public_root()).path if "://" in public_root() else public_root()


def safe_root(value: str | None) -> str:
    """A prefix a request may name for the app's own address: plain path segments only."""
    value = (value or "").rstrip("/")
    return value if len(value) <= 100 and SAFE_ROOT.fullmatch(value) else ""
