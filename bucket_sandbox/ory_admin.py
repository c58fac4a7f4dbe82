"""The calls the real Bucket server makes to Hydra's and Keto's admin APIs, answered here
so that the real server can run against this sandbox (see ``conformance/``).

- Introspection with the server's own bearer token (Hydra's admin port needs no client
  authentication; the server sends the token it got by client credentials).
- Keto's ORY access control policies, ``regex`` flavour: the server writes two policies
  per new thing and asks ``allowed`` before every thing or property route. Matching is
  Keto's: each pattern is literal text with ``<regex>`` parts, matched whole; a ``deny``
  wins; nothing matching is a deny.

Node 20 keeps sockets alive and fails a whole check with "socket hang up" when the peer
closed one, so every answer here says ``Connection: close``.
"""

from __future__ import annotations

import json
import re

from flask import Blueprint, Response, request

from . import oauth
from .oauth_models import find_token
from .state import conn

bp = Blueprint("ory_admin", __name__)
KETO = "/engines/acp/ory/<flavor>"


def _json(obj, status: int = 200) -> Response:
    return Response(
        json.dumps(obj), status=status, mimetype="application/json", headers={"Connection": "close"}
    )


def service_introspection() -> Response | None:
    """Answer an introspection that carries a bearer token, or None to let the client-auth
    endpoint answer. The bearer must be an active token of a client-credentials client."""
    header = request.headers.get("Authorization") or ""
    if not header.lower().startswith("bearer "):
        return None
    caller = find_token(conn(), "access_token", header[len("bearer ") :].strip())
    if caller is None or caller.user_id or caller.is_expired() or caller.is_revoked():
        return _json({"error": "request_unauthorized"}, 401)
    token = find_token(conn(), "access_token", request.form.get("token", ""))
    return _json(oauth.introspection(token, request.form.get("scope", "")))


def _pattern(text: str) -> re.Pattern:
    """Keto's regex flavour: ``dcd:things:<.*>`` is literal text around ``<...>`` regexes."""
    parts = re.split(r"(<[^>]*>)", text)
    return re.compile(
        "".join(p[1:-1] if p.startswith("<") and p.endswith(">") else re.escape(p) for p in parts)
    )


def _matches(patterns, value: str) -> bool:
    return any(_pattern(p).fullmatch(value) for p in patterns or ())


def _policies(flavor: str) -> list[dict]:
    rows = conn().execute("SELECT body FROM keto_policies WHERE flavor = ?", (flavor,))
    return [json.loads(r["body"]) for r in rows]


@bp.put(KETO + "/policies")
def put_policy(flavor):
    policy = request.get_json(force=True, silent=True)
    if not isinstance(policy, dict) or not policy.get("id"):
        return _json({"error": "a policy needs an id"}, 400)
    conn().execute(
        "INSERT OR REPLACE INTO keto_policies (flavor, id, body) VALUES (?, ?, ?)",
        (flavor, str(policy["id"]), json.dumps(policy)),
    )
    conn().commit()
    return _json(policy)


@bp.get(KETO + "/policies")
def list_policies(flavor):
    found = _policies(flavor)
    for key in ("subject", "resource", "action"):
        wanted = request.args.get(key)
        if wanted:
            found = [p for p in found if _matches(p.get(key + "s"), wanted)]
    offset, limit = int(request.args.get("offset", 0)), int(request.args.get("limit", 100))
    return _json(found[offset : offset + limit])


@bp.delete(KETO + "/policies/<path:policy_id>")
def delete_policy(flavor, policy_id):
    conn().execute("DELETE FROM keto_policies WHERE flavor = ? AND id = ?", (flavor, policy_id))
    conn().commit()
    return Response(status=204, headers={"Connection": "close"})


@bp.get(KETO + "/roles")
def roles(flavor):
    return _json([])  # groups are not emulated


@bp.post(KETO + "/allowed")
def allowed(flavor):
    ask = request.get_json(force=True, silent=True) or {}
    verdict = False
    for policy in _policies(flavor):
        if (
            _matches(policy.get("subjects"), str(ask.get("subject", "")))
            and _matches(policy.get("resources"), str(ask.get("resource", "")))
            and _matches(policy.get("actions"), str(ask.get("action", "")))
        ):
            if policy.get("effect") == "deny":
                return _json({"allowed": False}, 403)
            verdict = True
    return _json({"allowed": verdict}, 200 if verdict else 403)
