"""Hydra's endpoints at Hydra's paths, plus plain sign-in and consent pages.

Hydra delegates sign-in and consent to a separate UI; the sandbox draws both
itself, as HTML forms, so a browser (or a Playwright test) can walk the flow.
"""

from __future__ import annotations

import json
from urllib.parse import urlencode, urlsplit

from authlib.oauth2 import OAuth2Error
from authlib.oauth2.rfc6749.util import scope_to_list
from flask import Blueprint, current_app, jsonify, redirect, render_template, request, session

from . import consent_memory, oauth, ory_admin, users
from .oauth_models import is_loopback_callback
from .state import conn

bp = Blueprint("oauth", __name__, template_folder="templates")

SCOPE_MEANINGS = {
    "openid": "know who you are",
    "profile": "read your name",
    "email": "read your email address",
    "offline": "stay signed in (refresh tokens)",
    "offline_access": "stay signed in (refresh tokens)",
    "dcd:things": "read and change your things",
    "dcd:properties": "read and write your properties and their values",
    "dcd:types": "read and create property types",
    "dcd:consents": "see what is shared with you",
}


def _server():
    return current_app.extensions["bucket_sandbox_oauth"]


@bp.route("/.well-known/openid-configuration")
def discovery():
    root = oauth.issuer()
    return jsonify(
        issuer=root + "/",
        authorization_endpoint=root + "/oauth2/auth",
        token_endpoint=root + "/oauth2/token",
        revocation_endpoint=root + "/oauth2/revoke",
        introspection_endpoint=root + "/oauth2/introspect",
        userinfo_endpoint=root + "/userinfo",
        jwks_uri=root + "/.well-known/jwks.json",
        response_types_supported=["code"],
        grant_types_supported=["authorization_code", "refresh_token", "client_credentials"],
        code_challenge_methods_supported=["S256", "plain"],
        subject_types_supported=["public"],
        id_token_signing_alg_values_supported=["RS256"],
        token_endpoint_auth_methods_supported=oauth.AUTH_METHODS,
        scopes_supported=list(SCOPE_MEANINGS),
        claims_supported=["sub", "name", "email", "email_verified"],
    )


@bp.route("/.well-known/jwks.json")
def jwks():
    return jsonify(oauth.public_jwks())


@bp.route("/oauth2/auth", methods=["GET", "POST"])
def authorize():
    user = users.find_by_id(conn(), session.get("user_id", ""))
    try:
        grant = _server().get_consent_grant(end_user=user)
    except OAuth2Error as error:
        return render_template(
            "error.html", error=error.get_error_description() or error.error
        ), 400
    client_id = grant.client.get_client_id()
    if request.method == "GET" and "login" in (request.args.get("prompt") or "").split():
        session.pop("user_id", None)  # prompt=login: ask who it is, whoever was here before
        user = None
    if user is None:
        return _login(client_id)
    requested = scope_to_list(grant.request.payload.scope) or []
    if request.method == "POST" and request.form.get("action") == "consent":
        allowed = request.form.get("decision") == "allow"
        if allowed and request.form.get("remember"):
            consent_memory.remember(conn(), user.id, client_id, requested)
        # the grant validated above, handed on (Authlib 1.7+ warns on every sign-in without it)
        return _server().create_authorization_response(
            grant_user=user if allowed else None, grant=grant
        )
    asked_again = "consent" in (request.args.get("prompt") or "").split()
    if not asked_again and consent_memory.covers(conn(), user.id, client_id, requested):
        return _server().create_authorization_response(grant_user=user, grant=grant)
    scopes = [(s, SCOPE_MEANINGS.get(s, "")) for s in requested]
    return render_template("consent.html", client_id=client_id, user=user, scopes=scopes)


def _login(client_id: str):
    email, error = request.form.get("email", ""), None
    if request.method == "POST" and request.form.get("action") == "login":
        user = users.check_login(conn(), email, request.form.get("password", ""))
        if user is not None:
            session["user_id"] = user.id
            # back to the same request, without the prompt that has now been answered
            # (prompt=login; a prompt=consent beside it still asks for consent)
            args = [(k, v) for k, v in request.args.items(multi=True) if k != "prompt"]
            rest = [p for p in (request.args.get("prompt") or "").split() if p != "login"]
            args += [("prompt", " ".join(rest))] if rest else []
            # relative (the last part of this path): right under any prefix a proxy strips
            here = request.path.rsplit("/", 1)[-1]
            return redirect(here + "?" + urlencode(args), code=303)
        error = "Wrong email or password."
    demo_email, _, demo_password = users.DEMO_USERS[0]
    return render_template(
        "login.html",
        client_id=client_id,
        error=error,
        email=email,
        demo_email=demo_email,
        demo_password=demo_password,
    ), (401 if error else 200)


@bp.route("/oauth2/token", methods=["POST"])
def token():
    return _server().create_token_response()


@bp.route("/oauth2/revoke", methods=["POST"])
def revoke():
    return _server().create_endpoint_response("revocation")


@bp.route("/oauth2/introspect", methods=["POST"])
def introspect():
    return ory_admin.service_introspection() or _server().create_endpoint_response("introspection")


@bp.route("/userinfo", methods=["GET", "POST"])
def userinfo():
    return _server().create_endpoint_response("userinfo")


@bp.route("/oauth2/sessions/logout", methods=["GET", "POST"])
def logout():
    """End the sandbox's own sign-in session (Hydra's browser logout), then go back to
    ``post_logout_redirect_uri`` if it is a path here or on a registered client's origin;
    anywhere else would make this an open redirect."""
    session.pop("user_id", None)
    target = request.values.get("post_logout_redirect_uri") or ""  # GET, or a form POST
    if _allowed_after_logout(target):
        return redirect(target, code=303)
    # a page a person can read, with a way back: never the JSON of an unknown path
    return render_template("signed_out.html", refused=target, origins=_app_origins())


def _app_origins() -> list[str]:
    """The origins of the registered clients' callbacks (where their apps live), sorted."""
    clients = [json.loads(r["metadata"]) for r in conn().execute("SELECT metadata FROM clients")]
    return sorted(
        {
            "{0.scheme}://{0.netloc}".format(urlsplit(uri))
            for meta in clients
            for uri in meta.get("redirect_uris", [])
            if urlsplit(uri).scheme in ("http", "https")
        }
    )


def _allowed_after_logout(target: str) -> bool:
    if not target or any(ord(c) < 32 or c in "\\\x7f" for c in target):
        return False
    parts = urlsplit(target)
    if not parts.scheme and not parts.netloc:
        return target.startswith("/") and not target.startswith("//")
    origin = f"{parts.scheme}://{parts.netloc}"
    clients = [json.loads(r["metadata"]) for r in conn().execute("SELECT metadata FROM clients")]
    registered = {
        "{0.scheme}://{0.netloc}".format(urlsplit(uri))
        for meta in clients
        for uri in meta.get("redirect_uris", [])
    }
    loopback = any(m.get("loopback_redirects") for m in clients) and is_loopback_callback(
        origin + "/auth/callback"
    )
    return parts.scheme in ("http", "https") and (origin in registered or loopback)
