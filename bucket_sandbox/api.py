"""What runs before every API route, in the real server's order: body-parser, then
the rate limiter. Also the two health routes and a fast JSON response helper."""

from __future__ import annotations

import random

import orjson
from flask import Blueprint, Flask, Response, g, request

from .errors import LibraryError
from .limits import TOO_MANY
from .state import state

bp = Blueprint("health", __name__)


def json_response(obj, status: int = 200) -> Response:
    return Response(orjson.dumps(obj), status=status, mimetype="application/json")


def unordered(items: list) -> list:
    """A list the real server reads without ORDER BY: no order is promised, so none is
    kept (shuffled unless ``shuffle_lists`` is off), and no client can come to rely on one."""
    if state().config.shuffle_lists:
        items = list(items)
        random.shuffle(items)
    return items


def body() -> dict:
    """The parsed JSON (or form) body; ``{}`` when none was sent, as body-parser leaves it."""
    return g.get("body", {})


def _parse_body() -> None:
    if not request.path.startswith(state().config.base_path):
        return
    mimetype = request.mimetype or ""
    if mimetype == "application/json" or mimetype.endswith("+json"):
        length = request.content_length
        if length is not None and length > state().config.body_limit_bytes:
            raise LibraryError("request entity too large", "PayloadTooLargeError")
        raw = request.get_data(cache=True)
        if len(raw) > state().config.body_limit_bytes:
            raise LibraryError("request entity too large", "PayloadTooLargeError")
        if raw.strip():
            try:
                parsed = orjson.loads(raw)
            except orjson.JSONDecodeError as error:
                raise LibraryError(_syntax_message(raw, error), "SyntaxError") from None
            if not isinstance(parsed, (dict, list)):  # body-parser's strict mode
                raise LibraryError("Unexpected token in JSON at position 0", "SyntaxError")
            g.body = parsed if isinstance(parsed, dict) else {}
    elif mimetype == "application/x-www-form-urlencoded":
        g.body = request.form.to_dict()


def _syntax_message(raw: bytes, error: orjson.JSONDecodeError) -> str:
    position = error.pos if error.pos is not None else 0
    token = raw[position : position + 1].decode("utf-8", "replace") or "end"
    if token == "end":
        return "Unexpected end of JSON input"
    return f"Unexpected token {token} in JSON at position {position}"


def _rate_limit():
    if not request.path.startswith(state().config.base_path):
        return None
    allowed, headers = state().limiter.hit(request.remote_addr or "")
    g.rate_headers = headers
    if not allowed:
        return Response(TOO_MANY, status=429, mimetype="text/plain", headers=headers)
    return None


def _add_rate_headers(response: Response) -> Response:
    for key, value in g.get("rate_headers", {}).items():
        response.headers.setdefault(key, value)
    return response


@bp.route("/")
def health():
    return json_response({"status": "OK"})


@bp.route("/things/health")
def things_health():
    return json_response({"status": "OK"})


def init_app(app: Flask) -> None:
    app.before_request(_parse_body)
    app.before_request(_rate_limit)
    app.after_request(_add_rate_headers)


def pg_text(value) -> str:
    """What PostgreSQL stores when node-postgres is given a JSON value for a text column:
    strings as they are, booleans and numbers as JavaScript writes them, objects as JSON,
    arrays as a PostgreSQL array literal."""
    if isinstance(value, str):
        if "\x00" in value:  # PostgreSQL text cannot hold NUL
            raise LibraryError(
                'invalid byte sequence for encoding "UTF8": 0x00', "QueryFailedError"
            )
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e21:
        return str(int(value))
    if isinstance(value, (int, float)):
        return str(value)
    if isinstance(value, dict):
        return pg_text(orjson.dumps(value).decode())
    if isinstance(value, list):
        return "{" + ",".join(_pg_element(v) for v in value) + "}"
    return ""


def _pg_element(value) -> str:
    if value is None:
        return "NULL"
    if isinstance(value, list):
        return pg_text(value)
    text = pg_text(value)
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'
