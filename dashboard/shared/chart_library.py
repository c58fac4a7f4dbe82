"""Plotly.js for the browser: the copy the Python ``plotly`` package ships, served by the app.

Explore's chart element (``dashboard/explore/chart_element.py``) calls ``Plotly.react``
itself, so the page needs Plotly.js as a script of its own. It is served at a name that
carries its version, cached by browsers for a year, and gzipped once in memory for those
that accept it (4.8 MB become 1.4 MB for a class on a hosted server).
"""

from __future__ import annotations

import functools
import gzip
import re
import threading
from pathlib import Path

import plotly
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from dashboard.shared.public_address import public_root

PLOTLY_JS = Path(plotly.__file__).parent / "package_data" / "plotly.min.js"
ASSET_PREFIX = "/assets/"
YEAR = "public, max-age=31536000, immutable"


@functools.cache
def plotly_js_name() -> str:
    """``plotly-<version>.min.js``: a new version is a new name, so a year's cache is safe."""
    with PLOTLY_JS.open("r", encoding="utf-8") as head:
        found = re.search(r"plotly\.js v([\w.\-]+)", head.read(200))
    return f"plotly-{found.group(1) if found else 'bundled'}.min.js"


def plotly_js_url() -> str:
    """Where the browser loads it: under the app's address as the browser has it."""
    return public_root() + ASSET_PREFIX + plotly_js_name()


@functools.cache
def _gzipped() -> bytes:
    return gzip.compress(PLOTLY_JS.read_bytes(), compresslevel=6)


async def _plotly_js(request: Request) -> Response:
    headers = {"Cache-Control": YEAR, "Vary": "Accept-Encoding"}
    if "gzip" in request.headers.get("accept-encoding", ""):
        headers["Content-Encoding"] = "gzip"
        return Response(_gzipped(), media_type="text/javascript", headers=headers)
    return Response(PLOTLY_JS.read_bytes(), media_type="text/javascript", headers=headers)


def chart_library_routes() -> list[Route]:
    # compressed beside the server's start (0.3 s), not in the first visitor's wait
    threading.Thread(target=_gzipped, name="gzip plotly.js", daemon=True).start()
    return [Route(ASSET_PREFIX + plotly_js_name(), _plotly_js)]
