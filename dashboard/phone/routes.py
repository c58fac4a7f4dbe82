"""The phone's side, as plain HTTP beside the Streamlit UI: its page (``/phone``), claiming
a link's code, sending samples, reading its status; and the live feed Explore's chart
follows (``/phone/live``), for signed-in viewers holding a ticket the page gave them.

The phone's page is not a Streamlit page: it needs no sign-in (the grant is its
permission), no websocket, and it must keep its samples through a reload or a lost
network (its browser keeps them until this server acknowledges them).
"""

from __future__ import annotations

import base64
import json
import logging
from pathlib import Path

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.routing import Route

from dashboard.hosting.store import StoreUnavailable, shared_store
from dashboard.phone import capacity, live_tickets, streaming
from dashboard.phone.grants import grant_store
from dashboard.shared.config import app_config
from dashboard.signin.session_store import session_store

log = logging.getLogger(__name__)
HERE = Path(__file__).parent
PAGE_ICON = (
    "data:image/png;base64,"
    + base64.b64encode((HERE.parent / "shared" / "page_icon.png").read_bytes()).decode()
)
# wrong codes per client address in 10 minutes: 48-bit codes cannot be guessed by trying.
# Only wrong codes count, so a class behind one address claims as many links as it has
# phones; behind a proxy the address is the client's (uvicorn's FORWARDED_ALLOW_IPS).
WRONG_CLAIMS_PER_ADDRESS = 30
CLAIM_WINDOW_S = 600
NO_STORE = {"Cache-Control": "no-store", "Referrer-Policy": "no-referrer"}


def _json(body: dict, status: int = 200) -> JSONResponse:
    return JSONResponse(body, status_code=status, headers=NO_STORE)


def _refusal(status: int, message: str) -> JSONResponse:
    return _json({"message": message}, status)


async def page(_request: Request) -> Response:
    html = (HERE / "sensor_page.html").read_text(encoding="utf-8")
    html = html.replace("__SENSOR_JS__", (HERE / "sensor_page.js").read_text(encoding="utf-8"))
    # the app's icon in the page: without one the browser asks the host's /favicon.ico,
    # outside the app's path under a prefix
    html = html.replace("__PAGE_ICON__", PAGE_ICON)
    headers = {
        **NO_STORE,
        "Permissions-Policy": "accelerometer=(self), gyroscope=(self), geolocation=(self)",
        "Content-Security-Policy": "default-src 'self'; script-src 'unsafe-inline'; "
        "style-src 'unsafe-inline'; connect-src 'self'; img-src 'self' data:",
    }
    return HTMLResponse(html, headers=headers)


async def _body(request: Request) -> dict:
    """The JSON object sent, read only after ``BodyLimits`` bounded its size."""
    try:
        body = json.loads(await request.body())
    except ValueError:
        return {}
    return body if isinstance(body, dict) else {}


def _claim(address: str, code: str):
    """Counted first, atomically in the shared store (so 200 guesses at once get 30
    answers), and given back when the code was right."""
    config = app_config()
    store = shared_store(config)
    key = "phone-wrong-claims:" + address
    if store.count(key, CLAIM_WINDOW_S) > WRONG_CLAIMS_PER_ADDRESS:
        return None, 429, "too many wrong codes from this address: wait ten minutes"
    claimed = grant_store(config).claim(code)
    if claimed is None:
        return (
            None,
            404,
            (
                "this link does not work (any more): it works once, for 30 minutes, until revoked. "
                "Ask for a new one on the laptop."
            ),
        )
    store.count(key, CLAIM_WINDOW_S, -1)  # a right code is no guess: given back
    return claimed, 200, None


async def claim(request: Request) -> Response:
    body = await _body(request)
    address = request.client.host if request.client else "?"
    try:
        claimed, status, problem = await run_in_threadpool(
            _claim, address, str(body.get("code", ""))[:64]
        )
    except StoreUnavailable as error:
        return _refusal(503, str(error))
    if claimed is None:
        return _refusal(status, problem)
    grant, key = claimed
    return _json({"key": key, **_described(grant)})


def _described(grant) -> dict:
    return {
        "targets": [{"sensor": t.sensor, "label": t.label} for t in grant.targets],
        "expires_ms": grant.expires_ms,
        "rate_hz": grant.rate_hz,
        "rates_hz": list(capacity.RATES_HZ),
        "flush_s": capacity.FLUSH_S,
        "state": grant.state(),
    }


def _grant_of(request: Request):
    config = app_config()
    grant = grant_store(config).for_key(request.headers.get("x-phone-key"))
    if grant is not None and grant.live() and session_store(config).get(grant.sid) is None:
        grant_store(config).end_sign_in(grant.sid)  # signed out elsewhere
        grant = grant_store(config).get(grant.id)
    return config, grant


async def samples(request: Request) -> Response:
    body = await _body(request)

    def take():
        config, grant = _grant_of(request)
        if grant is None:
            raise streaming.Refused(401, "this phone is not connected: scan the code again")
        return streaming.accept(config, grant, str(body.get("batch", "")), body.get("samples"))

    try:
        done = await run_in_threadpool(take)
    except streaming.Refused as refused:
        return _refusal(refused.status, str(refused))
    except StoreUnavailable as error:
        return _refusal(503, str(error))
    return _json(done.as_json())


async def phone_status(request: Request) -> Response:
    def read():
        config, grant = _grant_of(request)
        if grant is None:
            return None
        return {**_described(grant), **streaming.status(config, grant).as_json()}

    try:
        found = await run_in_threadpool(read)
    except StoreUnavailable as error:
        return _refusal(503, str(error))
    if found is None:
        return _refusal(401, "this phone is not connected: scan the code again")
    return _json(found)


async def live(request: Request) -> Response:
    """New samples of the properties a viewer's ticket names, after ``after`` (ms)."""
    config = app_config()
    properties = live_tickets.properties(config, request)
    if properties is None:
        return _refusal(403, "no live ticket for this page: reload it")
    try:
        after = int(request.query_params.get("after", "0"))
    except ValueError:
        after = 0

    def read():
        return {p: streaming.live_rows(config, p, after) for p in properties}

    return _json({"rows": await run_in_threadpool(read)})


def phone_routes() -> list[Route]:
    return [
        Route("/phone", page),
        Route("/phone/claim", claim, methods=["POST"]),
        Route("/phone/samples", samples, methods=["POST"]),
        Route("/phone/status", phone_status),
        Route("/phone/live", live),
    ]
