"""The calls the real Bucket server makes to Hydra's and Keto's admin APIs, answered here
so that the real server can run against this sandbox (see ``conformance/``).

- Introspection with the server's own bearer token (Hydra's admin port needs no client
  authentication; the server sends the token it got by client credentials).
- Keto's ORY access control policies and roles, both flavours (decided in ``keto``): the
  server writes two ``regex`` policies per new thing and asks ``allowed`` before every thing
  or property route; a consent is an ``exact`` policy; a group is a role whose members the
  server reads (``/roles?member=``) before a ``sharedWith`` read.

Node 20 keeps sockets alive and fails a whole check with "socket hang up" when the peer
closed one, so every answer here says ``Connection: close``.
"""

from __future__ import annotations

import json

from flask import Blueprint, Response, request

from . import keto, oauth_token_endpoints
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
    return _json(oauth_token_endpoints.introspection(token, request.form.get("scope", "")))


@bp.put(KETO + "/policies")
def put_policy(flavor):
    policy = request.get_json(force=True, silent=True)
    if not isinstance(policy, dict) or not policy.get("id"):
        return _json({"error": "a policy needs an id"}, 400)
    return _json(keto.put_policy(conn(), flavor, policy))


@bp.get(KETO + "/policies")
def list_policies(flavor):
    found = keto.find_policies(
        conn(),
        flavor,
        subject=request.args.get("subject"),
        resource=request.args.get("resource"),
        action=request.args.get("action"),
    )
    offset, limit = int(request.args.get("offset", 0)), int(request.args.get("limit", 100))
    return _json(found[offset : offset + limit])


@bp.delete(KETO + "/policies/<path:policy_id>")
def delete_policy(flavor, policy_id):
    keto.delete_policy(conn(), flavor, policy_id)
    return Response(status=204, headers={"Connection": "close"})


@bp.get(KETO + "/roles")
def list_roles(flavor):
    return _json(keto.roles(conn(), flavor, member=request.args.get("member")))


@bp.put(KETO + "/roles")
def put_role(flavor):
    role = request.get_json(force=True, silent=True)
    if not isinstance(role, dict) or not role.get("id"):
        return _json({"error": "a role needs an id"}, 400)
    return _json(keto.put_role(conn(), flavor, str(role["id"]), list(role.get("members") or [])))


@bp.get(KETO + "/roles/<path:role_id>")
def get_role(flavor, role_id):
    role = keto.get_role(conn(), flavor, role_id)
    return _json(role) if role else _json({"error": {"code": 404, "message": "not found"}}, 404)


@bp.delete(KETO + "/roles/<path:role_id>")
def delete_role(flavor, role_id):
    if role_id.endswith("/members") or "/members/" in role_id:
        role_id, _, member = role_id.partition("/members/")
        keto.remove_member(conn(), flavor, role_id, member)
    else:
        keto.delete_role(conn(), flavor, role_id)
    return Response(status=204, headers={"Connection": "close"})


@bp.put(KETO + "/roles/<path:role_id>/members")
def add_members(flavor, role_id):
    ask = request.get_json(force=True, silent=True) or {}
    return _json(keto.add_members(conn(), flavor, role_id, list(ask.get("members") or [])))


@bp.post(KETO + "/allowed")
def allowed(flavor):
    ask = request.get_json(force=True, silent=True) or {}
    verdict = keto.allowed(
        conn(),
        flavor,
        str(ask.get("subject", "")),
        str(ask.get("resource", "")),
        str(ask.get("action", "")),
    )
    return _json({"allowed": verdict}, 200 if verdict else 403)
