"""The API's request checks, in the real server's order: token and scopes, then policy.

Token validation is Authlib's (``BearerTokenValidator.validate_token``); what is
the real server's own is how it reads the header and how it answers: always 403.
"""

from __future__ import annotations

import functools

from authlib.oauth2 import OAuth2Error
from flask import current_app, g, request

from .errors import NOT_ACTIVE, NOT_ALLOWED, DcdError
from .state import conn


def bearer_token() -> str:
    header = request.headers.get("Authorization")
    if header is not None:
        if not header.startswith(("bearer ", "Bearer ")):
            raise DcdError(4031, "Add 'bearer ' in front of your 'Authorization' token.")
        return header[len("bearer ") :]
    if "authorization" in request.args:
        return request.args["authorization"]
    raise DcdError(4031, "Add 'Authorization' header.")


def require_scopes(*scopes: str):
    """Guard a view: the token must be active and hold every scope (Hydra introspection)."""

    def decorate(view):
        @functools.wraps(view)
        def wrapper(*args, **kwargs):
            protector = current_app.extensions["bucket_sandbox_protector"]
            validator = protector.get_token_validator("bearer")
            token = validator.authenticate_token(bearer_token())
            try:
                validator.validate_token(token, [" ".join(scopes)], request)
            except OAuth2Error:
                raise DcdError(4031, NOT_ACTIVE) from None
            g.user_id = token.user_id
            return view(*args, **kwargs)

        return wrapper

    return decorate


def check_policy(thing_id: str) -> None:
    """Keto's owner policy. It outlives a deleted thing, as in the real server."""
    row = (
        conn()
        .execute(
            "SELECT 1 FROM policies WHERE person_id = ? AND thing_id = ?", (g.user_id, thing_id)
        )
        .fetchone()
    )
    if row is None:
        raise DcdError(4031, NOT_ALLOWED)
