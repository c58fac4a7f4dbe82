"""Files a page makes for download (Explore's exports), served only to the browser session
that made them.

Streamlit's download buttons hand out ``/media/<id>.csv`` links that any client can fetch,
cookie or not, for minutes after sign-out (the outside review did). Here a file is written to
the data folder under a digest of the sign-in's session id, with a random name, and one HTTP
route (``/exports/<name>``) serves it only to a request whose signed session cookie names
that same session. Sign-out removes the session's files; any file goes an hour after it was
made. The page links to the route (a plain link the browser downloads). A table can be left to
be made when its link is first followed (``write_table_later``): the page keeps only its
numbers, the route formats and encodes it once, in a worker thread.
"""

from __future__ import annotations

import hashlib
import html
import json
import os
import re
import secrets
import shutil
import time
from collections.abc import Callable
from pathlib import Path
from typing import IO

import pandas as pd
import streamlit as st
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import FileResponse, PlainTextResponse, Response
from starlette.routing import Route

from dashboard.shared.config import app_config
from dashboard.shared.host_routes import said_if_kept_back
from dashboard.shared.public_address import public_root
from dashboard.shared.spreadsheet import neutralised
from dashboard.shared.value_tables import values_table
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


PENDING = ".table"  # a table's numbers, waiting to be made into the file asked for


def write_table_later(
    sid: str, download_name: str, frame: pd.DataFrame, tz: str, time_column: str, kind: str
) -> str:
    """A link to ``frame`` (a UTC time index, a column per value) as CSV or Parquet, with the
    time on ``tz``'s clock first (``values_table``); the file is made at the first request."""
    folder = _folder(sid)
    folder.mkdir(parents=True, exist_ok=True)
    _sweep(folder.parent)
    name = secrets.token_urlsafe(24)
    numbers = frame.reset_index(drop=True)
    # the times as ms under a name no value column has (Bucket refuses a NUL in a name)
    numbers.insert(0, "\0ms", frame.index.as_unit("ms").asi8)
    numbers.to_feather(folder / (name + PENDING), compression="uncompressed")
    recipe = {"kind": kind, "tz": tz, "time_column": time_column}
    (folder / (name + ".recipe")).write_text(json.dumps(recipe), encoding="utf-8")
    (folder / (name + ".name")).write_text(download_name, encoding="utf-8")
    return f"{ROUTE}/{name}"


def _made_from_recipe(path: Path) -> None:
    """The file at ``path`` from its pending table: written aside, then moved in place (two
    requests at once each make it; the last move wins, both whole)."""
    recipe = json.loads(path.with_name(path.name + ".recipe").read_text(encoding="utf-8"))
    numbers = pd.read_feather(path.with_name(path.name + PENDING))
    times = pd.DatetimeIndex(pd.to_datetime(numbers.pop("\0ms"), unit="ms", utc=True))
    table = values_table(numbers.set_axis(times), recipe["tz"], recipe["time_column"])
    aside = path.with_name(f"{path.name}.{secrets.token_hex(4)}.part")
    with aside.open("wb") as out:
        if recipe["kind"] == "csv":
            out.write(neutralised(table).to_csv(index=False).encode("utf-8"))
        else:
            table.to_parquet(out, index=False)
    os.replace(aside, path)


def download_links(links: list) -> str:
    """Links the browser downloads in place (``download``), styled as buttons, at the app's
    address as the browser has it (``public_address``)."""
    return "".join(
        f'<a class="bucket-download" href="{html.escape(public_root() + link, quote=True)}" '
        "download "
        'style="display:inline-block;padding:.4rem .75rem;border:1px solid rgba(49,51,63,.2);'
        'border-radius:.5rem;color:inherit;text-decoration:none;margin:0 0 .5rem 0">'
        f"{html.escape(label)}</a>"
        for label, link in links
    )


def show_download_links(links: list, where=None) -> None:
    """``download_links`` in the page (or ``where``, a column); where the host keeps the
    app's ``/exports/`` back, why they cannot work, instead of links that save an error."""
    where = where or st
    if not said_if_kept_back("exports", "Downloading files", where):
        where.html(download_links(links))


def path_of(sid: str, link: str) -> Path:
    """Where this session's file behind ``link`` lies (to read it back on the server)."""
    return _folder(sid) / link.rsplit("/", 1)[-1]


def exists(sid: str, link: str) -> bool:
    """Whether ``link`` still serves this session's file (not removed, not expired), made
    or still to be made."""
    path = _folder(sid) / link.rsplit("/", 1)[-1]
    for candidate in (path, path.with_name(path.name + PENDING)):
        if candidate.is_file() and time.time() - candidate.stat().st_mtime <= KEEP_S:
            return True
    return False


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
    if path is not None and not path.is_file() and exists(sid, name):
        await run_in_threadpool(_made_from_recipe, path)
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
