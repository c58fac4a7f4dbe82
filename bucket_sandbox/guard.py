"""The API's request checks, in the real server's order: token and scopes, then policy.

Token validation is Authlib's (``BearerTokenValidator.validate_token``); what is
the real server's own is how it reads the header and how it answers: always 403.
"""

from __future__ import annotations

import functools

from authlib.oauth2 import OAuth2Error
from flask import current_app, g, request

from . import keto
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


def check_policy(thing_id: str, property_id: str | None = None, action: str = "read") -> None:
    """Keto's owner policy. It outlives a deleted thing, as in the real server.

    With ``?sharedWith=<group>`` the real server's PolicyController asks instead: is the
    caller a member of that group (Keto's roles), and does an ``exact`` consent let the
    group do ``action`` on the property (the property id alone is the resource; on a route
    without one, the thing's). A person's own consent is never asked here: it lists a
    property (``/properties?sharedWith=*``) but does not open its values."""
    group = request.args.get("sharedWith")
    if group is not None:
        _check_shared(group, thing_id, property_id, action)
        return
    row = (
        conn()
        .execute(
            "SELECT 1 FROM policies WHERE person_id = ? AND thing_id = ?", (g.user_id, thing_id)
        )
        .fetchone()
    )
    if row is None:
        raise DcdError(4031, NOT_ALLOWED)


def _check_shared(group: str, thing_id: str, property_id: str | None, action: str) -> None:
    if group not in [r["id"] for r in keto.roles(conn(), "exact", member=g.user_id)]:
        # the real server answers "*" so (and a group the caller is not in the same way,
        # but then its process stops answering: the app never sends either)
        raise DcdError(403, f"{g.user_id} is not member of {group}")
    resource = property_id if property_id is not None else thing_id
    if not keto.allowed(conn(), "exact", group, resource, "dcd:actions:" + action):
        raise DcdError(4031, NOT_ALLOWED)
