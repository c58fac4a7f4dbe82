"""What the provider answers about a token, as Hydra does: introspection (active, its
scopes, whose), revocation (a refresh token ends its whole chain), and the bearer check
the sandbox's own API uses."""

from __future__ import annotations

from authlib.oauth2.rfc6749.util import scope_to_list
from authlib.oauth2.rfc6750 import BearerTokenValidator
from authlib.oauth2.rfc7009 import RevocationEndpoint
from authlib.oauth2.rfc7662 import IntrospectionEndpoint
from flask import request

from .oauth_models import find_token, revoke_family
from .state import conn

AUTH_METHODS = ["client_secret_basic", "client_secret_post", "none"]


def issuer() -> str:
    return request.url_root.rstrip("/")


class SandboxIntrospection(IntrospectionEndpoint):
    CLIENT_AUTH_METHODS = AUTH_METHODS

    def query_token(self, token_string, token_type_hint):
        if token_type_hint != "refresh_token":
            token = find_token(conn(), "access_token", token_string)
            if token is not None:
                return token
        return find_token(conn(), "refresh_token", token_string)

    def introspect_token(self, token):
        return introspection(token, request.form.get("scope", ""))

    def check_permission(self, token, client, request):
        return True


def introspection(token, required_scope: str) -> dict:
    """Hydra's answer: inactive when the token is expired, revoked, or lacks any scope
    in ``required_scope`` (the real Bucket server passes the scopes each route needs)."""
    if token is None or token.is_expired() or token.is_revoked():
        return {"active": False}
    if not set(scope_to_list(required_scope) or []) <= set(scope_to_list(token.scope) or []):
        return {"active": False}
    user = token.get_user()
    return {
        "active": True,
        "client_id": token.client_id,
        "token_type": "access_token",
        "username": user.email if user else None,
        "scope": token.get_scope(),
        "sub": token.user_id,
        "aud": [token.client_id],
        "iss": issuer(),
        "exp": token.get_expires_at(),
        "iat": token.issued_at,
    }


class SandboxRevocation(RevocationEndpoint):
    CLIENT_AUTH_METHODS = AUTH_METHODS

    def query_token(self, token_string, token_type_hint):
        if token_type_hint != "access_token":
            token = find_token(conn(), "refresh_token", token_string)
            if token is not None:
                return token
        return find_token(conn(), "access_token", token_string)

    def revoke_token(self, token, request):
        # Revoking a refresh token ends its access tokens too (Hydra): end the chain.
        revoke_family(conn(), token.family)


class SandboxBearerValidator(BearerTokenValidator):
    def authenticate_token(self, token_string):
        return find_token(conn(), "access_token", token_string)
