"""A size limit on every request body the app's own routes take, applied before reading.

Anyone on the internet can POST to ``/phone/claim`` or the sandbox; a handler that reads
a body first and checks it after has already spent the memory (four 200 MB bodies at once
took the app from 315 MB to 4.7 GB). This ASGI middleware sits in front of the routes
and refuses with 413 and a reason:

- a declared ``Content-Length`` over the route's limit, before one byte is read;
- a chunked body (no length) as soon as the bytes taken in pass the limit; one within it
  is handed on with its length, as a declared one (Flask reads no chunked body).

uvicorn stops reading a socket while a request's unread body is over 64 KB, so a refused
body is never buffered. Streamlit's own routes (its websocket, its file uploads, limited by
``server.maxUploadSize``) pass untouched. ``deploy/nginx.conf`` sets the same limits per
location, so a proxy in front refuses them first.
"""

from __future__ import annotations

import json

from dashboard.shared.public_address import base_path

KB = 1024
# the most a request to each of the app's own routes may carry (longest prefix wins)
ROUTE_LIMITS: dict[str, int] = {
    "/phone/claim": 1 * KB,  # {"code": "ABCD-EFGH-JK"}
    "/phone/samples": 512 * KB,  # 5,000 samples of four numbers (streaming.MAX_SAMPLES)
    "/phone": 1 * KB,  # the page, status and live feed: GETs
    "/auth": 8 * KB,  # the sign-out form (its token), the provider's callback
    "/exports": 1 * KB,  # downloads: GETs
    "/assets": 1 * KB,  # the chart library: GETs
    "/sandbox": 100 * KB,  # the real Bucket's body-parser limit ("100kb")
}


def limit_for(path: str) -> int | None:
    """The body limit of the app's own route at ``path``; None for Streamlit's routes."""
    best = None
    for prefix, limit in ROUTE_LIMITS.items():
        if (path == prefix or path.startswith(prefix + "/")) and (
            best is None or len(prefix) > len(best[0])
        ):
            best = (prefix, limit)
    return best[1] if best else None


def _declared_length(scope) -> int | None | str:
    for name, value in scope.get("headers", []):
        if name == b"content-length":
            text = value.decode("latin-1").strip()
            return int(text) if text.isdigit() and len(text) < 19 else "bad"
    return None


async def _refuse(send, status: int, message: str) -> None:
    body = json.dumps({"message": message}).encode()
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(body)).encode()),
                (b"connection", b"close"),
                (b"cache-control", b"no-store"),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})


class BodyLimits:
    """ASGI middleware: each of the app's own routes reads at most its limit of body."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        path = scope.get("path", "")
        base = base_path()  # the app's routes live under server.baseUrlPath when set
        limit = limit_for(path[len(base) :] if base and path.startswith(base + "/") else path)
        if limit is None:
            return await self.app(scope, receive, send)
        declared = _declared_length(scope)
        if declared == "bad":
            return await _refuse(send, 400, "the request's Content-Length is not a number")
        too_large = f"the request's body is over this address's limit of {limit:,} bytes"
        if declared is not None:
            if declared > limit:
                return await _refuse(send, 413, too_large)
            return await self.app(scope, receive, send)  # the server reads no more than that
        # no length (chunked): at most the limit is taken in, then handed on with its length
        body = bytearray()
        more = True
        while more:
            message = await receive()
            if message["type"] != "http.request":
                return  # the client went away
            body += message.get("body", b"")
            more = message.get("more_body", False)
            if len(body) > limit:
                return await _refuse(send, 413, too_large)
        headers = [(k, v) for k, v in scope["headers"] if k != b"transfer-encoding"]
        headers.append((b"content-length", str(len(body)).encode()))
        replayed = False

        async def replay():
            nonlocal replayed
            if replayed:
                return await receive()
            replayed = True
            return {"type": "http.request", "body": bytes(body), "more_body": False}

        await self.app({**scope, "headers": headers}, replay, send)
