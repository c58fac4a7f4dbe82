"""Files a page makes for download (Explore's exports), served only to the browser session
that made them.

Streamlit's download buttons hand out ``/media/<id>.csv`` links that any client can fetch,
cookie or not, for minutes after sign-out (the outside review did). Here a file is written to
the data folder under a digest of the sign-in's session id, with a random name, and one HTTP
route (``/exports/<name>``) serves it only to a request whose signed session cookie names
that same session. Sign-out removes the session's files; any file goes an hour after it was
made. The page links to the route (a plain link the browser downloads).
"""

from __future__ import annotations

import hashlib
import html
import re
import secrets
import shutil
import time
from collections.abc import Callable
from pathlib import Path
from typing import IO

from starlette.requests import Request
from starlette.responses import FileResponse, PlainTextResponse, Response
from starlette.routing import Route

from dashboard.shared.config import app_config
from dashboard.signin import cookies

KEEP_S = 3600  # an export is for the moment it is asked for
ROUTE = "/exports"
_NAME = re.compile(r"^[A-Za-z0-9_-]{20,64}$")


def _folder(sid: str) -> Path:
    digest = hashlib.sha256(("exports:" + sid).encode()).hexdigest()[:40]
    return app_config().data_dir / "exports" / digest


def _sweep(root: Path) -> None:
    """Files older than ``KEEP_S``, in any session's folder, are removed."""
    for old in root.glob("*/*"):
        try:
            if time.time() - old.stat().st_mtime > KEEP_S:
                old.unlink(missing_ok=True)
        except OSError:
            pass


def write_export(sid: str, download_name: str, write: Callable[[IO[bytes]], None]) -> str:
    """Write a file for session ``sid`` with ``write(file)``; return the link that serves it
    (only to that session) as ``download_name``."""
    folder = _folder(sid)
    folder.mkdir(parents=True, exist_ok=True)
    _sweep(folder.parent)
    name = secrets.token_urlsafe(24)
    with (folder / name).open("wb") as out:
        write(out)
    (folder / (name + ".name")).write_text(download_name, encoding="utf-8")
    return f"{ROUTE}/{name}"


def download_links(links: list) -> str:
    """Links the browser downloads in place (``download``), styled as buttons."""
    return "".join(
        f'<a class="bucket-download" href="{html.escape(link, quote=True)}" download '
        'style="display:inline-block;padding:.4rem .75rem;border:1px solid rgba(49,51,63,.2);'
        'border-radius:.5rem;color:inherit;text-decoration:none;margin:0 0 .5rem 0">'
        f"{html.escape(label)}</a>"
        for label, link in links
    )


def path_of(sid: str, link: str) -> Path:
    """Where this session's file behind ``link`` lies (to read it back on the server)."""
    return _folder(sid) / link.rsplit("/", 1)[-1]


def exists(sid: str, link: str) -> bool:
    """Whether ``link`` still serves this session's file (not removed, not expired)."""
    path = _folder(sid) / link.rsplit("/", 1)[-1]
    return path.is_file() and time.time() - path.stat().st_mtime <= KEEP_S


def remove_exports(sid: str) -> None:
    """Every file of a session (sign-out)."""
    shutil.rmtree(_folder(sid), ignore_errors=True)


async def serve_export(request: Request) -> Response:
    config = app_config()
    sid = cookies.unsign(
        config.cookie_secret,
        "session",
        request.cookies.get(cookies.SESSION_COOKIE),
        cookies.SESSION_MAX_AGE,
    )
    name = request.path_params["name"]
    path = _folder(sid) / name if sid and _NAME.match(name) else None
    if path is None or not path.is_file() or time.time() - path.stat().st_mtime > KEEP_S:
        return PlainTextResponse(
            "This file is not there for this browser: exports are kept for an hour, for the "
            "signed-in session that made them. Make it again on the Explore page.",
            status_code=404,
        )
    label = (path.parent / (name + ".name")).read_text(encoding="utf-8")
    return FileResponse(
        path,
        filename=label,
        headers={"Cache-Control": "private, no-store", "X-Content-Type-Options": "nosniff"},
    )


def export_routes() -> list[Route]:
    return [Route(ROUTE + "/{name}", serve_export)]
