"""Issue a token without the browser dance: for scripts, notebooks and test fixtures.

Authlib's own token generator makes the token; it is stored like any other, so it
expires, refreshes, rotates and revokes exactly like one from the code flow.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import Flask

from . import oauth, users
from .oauth_models import ALL_SCOPES, load_client

DEFAULT_SCOPE = "openid profile email offline dcd:things dcd:properties dcd:types dcd:consents"


@dataclass
class _GrantRequest:
    """The two attributes ``oauth.save_token`` reads from a grant's request."""

    client: object
    user: users.User
    refresh_token: object = None


def issue_token(
    app: Flask, email: str, scope: str = DEFAULT_SCOPE, expires_in: int | None = None
) -> dict:
    """A fresh token dict (``access_token``, ``refresh_token``, ``expires_in``...) for ``email``."""
    state = app.extensions["bucket_sandbox"]
    server = app.extensions["bucket_sandbox_oauth"]
    conn = state.db.connect()
    user = users.find_by_email(conn, email)
    if user is None:
        raise LookupError(
            f"no sandbox user {email!r}; demo users: "
            + ", ".join(e for e, _, _ in users.DEMO_USERS)
        )
    client = load_client(conn, state.config.client_id)
    unknown = set(scope.split()) - set(ALL_SCOPES.split())
    if unknown:
        raise ValueError(f"unknown scopes: {' '.join(sorted(unknown))}")
    with app.test_request_context("/oauth2/token", base_url="http://127.0.0.1"):
        token = server.generate_token(
            client=client,
            grant_type="authorization_code",
            user=user,
            scope=scope,
            expires_in=expires_in,
            include_refresh_token=oauth.wants_refresh_token(scope),
        )
        oauth.save_token(token, _GrantRequest(client, user))
    return dict(token)
