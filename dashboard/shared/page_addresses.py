"""Streamlit's page, served at each page's own address with one line added: where the
server is.

Opened at a page's address (``/shared``, a bookmark or a copied link), Streamlit's page
finds its server by asking the longest path first: ``/shared/_stcore/health`` and
``/shared/_stcore/host-config``, both answered 404, each a console error, before it tries
``/_stcore/...``. Streamlit reads where its server is from ``window.__streamlit``
(``BACKEND_BASE_URL``, its embedding setting) before it guesses, and no setting of its own
says it. So the app serves the same ``index.html`` Streamlit would at each page address,
with a script that names the address less the page's name: the root, ``/dashboard``
under ``server.baseUrlPath``, or ``/~/+`` framed by a host that strips a prefix the app
never sees (computed in the browser, from its own address)."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import streamlit
from starlette.requests import Request
from starlette.responses import HTMLResponse
from starlette.routing import Route

# the pages' url paths (home.py's navigation): a page the app does not know is Streamlit's
PAGE_PATHS = (
    "home", "things", "explore", "upload", "boards", "shared", "phone-sensor", "account", "settings",
    "sign-in",
)  # fmt: skip
SERVER_IS = (
    "<script>(function(){var p=location.pathname.replace(/\\/+$/,'');"
    "window.__streamlit={BACKEND_BASE_URL:location.origin+p.slice(0,p.lastIndexOf('/'))};"
    "})();</script>"
)


@cache
def page_html() -> str:
    index = Path(streamlit.__file__).parent / "static" / "index.html"
    html = index.read_text(encoding="utf-8")
    return html.replace("<head>", "<head>" + SERVER_IS, 1)


async def page(_request: Request) -> HTMLResponse:
    return HTMLResponse(page_html(), headers={"Cache-Control": "no-cache"})


def page_routes() -> list[Route]:
    return [Route(f"/{path}", page, methods=["GET"]) for path in PAGE_PATHS]
