"""The OAuth2/OIDC provider, Hydra's stand-in, built from Authlib's parts.

Grants override only Authlib's storage hooks. Like Hydra, refresh tokens rotate:
a refresh ends the old access and refresh token, and a refresh token presented a
second time revokes its whole chain (two concurrent refreshes sign a user out).
"""

from __future__ import annotations

import base64
import binascii
import secrets
import time
import uuid
from urllib.parse import unquote_plus

from authlib.integrations.flask_oauth2 import AuthorizationServer, ResourceProtector
from authlib.oauth2.rfc6749 import OAuth2Error, grants
from authlib.oauth2.rfc6749.util import scope_to_list
from authlib.oauth2.rfc7636 import CodeChallenge
from authlib.oidc.core import OpenIDCode, UserInfo, UserInfoEndpoint
from flask import Flask
from joserfc.jwk import KeySet, RSAKey

from . import users
from .oauth_models import AuthorizationCode, find_token, load_client, revoke_family
from .oauth_token_endpoints import (
    AUTH_METHODS,
    SandboxBearerValidator,
    SandboxIntrospection,
    SandboxRevocation,
    issuer,
)
from .state import conn, state


def user_info(user: users.User, scope: str) -> UserInfo:
    return UserInfo(sub=user.id, name=user.name, email=user.email, email_verified=True).filter(
        scope
    )


def wants_refresh_token(scope) -> bool:
    """Hydra issues a refresh token only when the grant holds ``offline``."""
    return bool({"offline", "offline_access"} & set(scope_to_list(scope) or []))


def hydra_basic(query_client, request):
    """HTTP Basic as Hydra reads it (RFC 6749 section 2.3.1): id and secret are each
    form-URL-decoded after the split on the first colon. So ``clients:bucket`` must be
    sent as ``clients%3Abucket``, and a ``+`` in a secret sent as is becomes a space."""
    header = request.headers.get("Authorization") or ""
    kind, _, encoded = header.partition(" ")
    if kind.lower() != "basic":
        return None
    try:
        raw = base64.b64decode(encoded.strip(), validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError):
        return None
    raw_id, sep, raw_secret = raw.partition(":")
    if not sep:
        return None
    client = query_client(unquote_plus(raw_id))
    if client is not None and client.check_client_secret(unquote_plus(raw_secret)):
        return client
    return None


class CodeGrant(grants.AuthorizationCodeGrant):
    TOKEN_ENDPOINT_AUTH_METHODS = AUTH_METHODS

    def generate_token(
        self, user=None, scope=None, grant_type=None, expires_in=None, include_refresh_token=True
    ):
        include = include_refresh_token and wants_refresh_token(scope)
        return super().generate_token(user, scope, grant_type, expires_in, include)

    def save_authorization_code(self, code, request):
        payload = request.payload
        conn().execute(
            "INSERT INTO auth_codes (code, client_id, user_id, redirect_uri, scope, nonce,"
            " auth_time, code_challenge, code_challenge_method) VALUES (?,?,?,?,?,?,?,?,?)",
            (
                code,
                request.client.get_client_id(),
                request.user.id,
                payload.redirect_uri,
                payload.scope,
                payload.data.get("nonce"),
                int(time.time()),
                payload.data.get("code_challenge"),
                payload.data.get("code_challenge_method"),
            ),
        )
        conn().commit()

    def query_authorization_code(self, code, client):
        row = (
            conn()
            .execute(
                "SELECT * FROM auth_codes WHERE code = ? AND client_id = ? AND used = 0",
                (code, client.get_client_id()),
            )
            .fetchone()
        )
        if row and time.time() - row["auth_time"] < 600:
            return AuthorizationCode(row)
        return None

    def delete_authorization_code(self, authorization_code):
        conn().execute("UPDATE auth_codes SET used = 1 WHERE code = ?", (authorization_code.code,))
        conn().commit()

    def authenticate_user(self, authorization_code):
        return users.find_by_id(conn(), authorization_code.user_id)


class ServiceGrant(grants.ClientCredentialsGrant):
    """What the real Bucket server asks for at start: a token of its own (client
    credentials), which it then shows when it introspects its users' tokens."""

    TOKEN_ENDPOINT_AUTH_METHODS = AUTH_METHODS


class TokenInactive(OAuth2Error):
    """Hydra's (fosite's) answer to a refresh token presented a second time: 401
    ``token_inactive``, after which the whole chain is revoked."""

    error = "token_inactive"
    description = "Token is inactive because it is malformed, expired or otherwise invalid."
    status_code = 401


class RotatingRefreshGrant(grants.RefreshTokenGrant):
    TOKEN_ENDPOINT_AUTH_METHODS = AUTH_METHODS
    INCLUDE_NEW_REFRESH_TOKEN = True

    def authenticate_refresh_token(self, refresh_token):
        token = find_token(conn(), "refresh_token", refresh_token)
        if token is None:
            return None
        if token.is_refresh_revoked():
            if self._within_grace(token):
                return token  # an answer lost on the way: the chain goes on
            revoke_family(conn(), token.family)  # reuse detected: end the chain
            raise TokenInactive()
        if time.time() > token.issued_at + state().config.refresh_token_ttl:
            return None
        return token

    def authenticate_user(self, refresh_token):
        return users.find_by_id(conn(), refresh_token.user_id)

    @staticmethod
    def _within_grace(token) -> bool:
        grace = state().config.refresh_grace_seconds
        row = (
            conn()
            .execute(
                "SELECT rotated_at FROM rotations WHERE access_token = ?", (token.access_token,)
            )
            .fetchone()
        )
        return bool(grace and row and time.time() - row[0] <= grace)

    def revoke_old_credential(self, refresh_token):
        conn().execute(
            "UPDATE tokens SET access_revoked = 1, refresh_revoked = 1 WHERE access_token = ?",
            (refresh_token.access_token,),
        )
        conn().execute(  # the first rotation's time: the grace period counts from it
            "INSERT OR IGNORE INTO rotations (access_token, rotated_at) VALUES (?, ?)",
            (refresh_token.access_token, time.time()),
        )
        conn().commit()


class SandboxOpenIDCode(OpenIDCode):
    def exists_nonce(self, nonce, request):
        row = conn().execute("SELECT 1 FROM auth_codes WHERE nonce = ?", (nonce,)).fetchone()
        return row is not None

    def get_jwt_config(self, grant):
        return {"key": signing_key(), "alg": "RS256", "iss": issuer(), "exp": 3600}

    def resolve_client_private_key(self, client):
        return signing_key()

    def get_client_algorithm(self, client):
        return "RS256"

    def get_compatible_claims(self, request):
        now = int(time.time())
        return {
            "iss": issuer(),
            "aud": [request.client.get_client_id()],
            "iat": now,
            "exp": now + 3600,
        }

    def generate_user_info(self, user, scope):
        return user_info(user, scope)


class SandboxUserInfo(UserInfoEndpoint):
    def get_issuer(self):
        return issuer()

    def generate_user_info(self, user, scope):
        return user_info(user, scope)

    def resolve_private_key(self):
        return signing_key()


_KEY: RSAKey | None = None


def signing_key() -> RSAKey:
    """One RSA key per process for id_tokens; tokens are opaque, so restarts are harmless."""
    global _KEY
    if _KEY is None:
        _KEY = RSAKey.generate_key(2048, parameters={"kid": "sandbox", "use": "sig"})
    return _KEY


def public_jwks() -> dict:
    return KeySet([signing_key()]).as_dict(private=False)


def save_token(token: dict, request) -> None:
    """Store a token Authlib issued; a refresh keeps its chain (``family``)."""
    old = getattr(request, "refresh_token", None)
    family = old.family if old is not None else uuid.uuid4().hex
    user = request.user  # None for a service token (client credentials)
    conn().execute(
        "INSERT INTO tokens (access_token, refresh_token, family, client_id, user_id, scope,"
        " issued_at, expires_in) VALUES (?,?,?,?,?,?,?,?)",
        (
            token["access_token"],
            token.get("refresh_token"),
            family,
            request.client.get_client_id(),
            user.id if user is not None else "",
            token.get("scope", ""),
            int(time.time()),
            int(token["expires_in"]),
        ),
    )
    conn().commit()


def build_server(app: Flask) -> tuple[AuthorizationServer, ResourceProtector]:
    """An AuthorizationServer and ResourceProtector for this app instance."""
    ttl = app.extensions["bucket_sandbox"].config.access_token_ttl
    app.config["OAUTH2_TOKEN_EXPIRES_IN"] = {
        "authorization_code": ttl,
        "refresh_token": ttl,
        "client_credentials": ttl,
    }
    app.config["OAUTH2_ACCESS_TOKEN_GENERATOR"] = _opaque("ory_at_")
    app.config["OAUTH2_REFRESH_TOKEN_GENERATOR"] = _opaque("ory_rt_")
    server = AuthorizationServer(
        app, query_client=lambda cid: load_client(conn(), cid), save_token=save_token
    )
    server.register_grant(CodeGrant, [CodeChallenge(required=False), SandboxOpenIDCode()])
    server.register_grant(RotatingRefreshGrant)
    server.register_grant(ServiceGrant)
    server.register_client_auth_method("client_secret_basic", hydra_basic)
    server.register_endpoint(SandboxIntrospection)
    server.register_endpoint(SandboxRevocation)
    protector = ResourceProtector()
    protector.register_token_validator(SandboxBearerValidator())
    server.register_endpoint(SandboxUserInfo(resource_protector=protector))
    return server, protector


def _opaque(prefix: str):
    """Hydra-like opaque token strings."""

    def generate(*_args, **_kwargs) -> str:
        return prefix + secrets.token_urlsafe(32)

    return generate
