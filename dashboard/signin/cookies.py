"""Signed cookie values (itsdangerous): the sign-in flow and the session id.

Neither cookie holds a token. Both are HttpOnly and SameSite=Lax, set by the
app's HTTP routes and read by scripts through ``st.context.cookies``.
"""

from __future__ import annotations

from itsdangerous import BadSignature, URLSafeTimedSerializer

SESSION_COOKIE = "bucket_session"
FLOW_COOKIE = "bucket_signin"
FLASH_COOKIE = "bucket_flash"
LAST_USER_COOKIE = "bucket_last_user"  # who signed out here last: name and email, no token
LAST_USER_MAX_AGE = 365 * 86400
SIGN_OUT_PURPOSE = "sign-out"  # the sign-out form's token: the session id, signed
FLOW_MAX_AGE = 600
SESSION_MAX_AGE = 30 * 86400


def _serializer(secret: str, purpose: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(secret, salt="bucket-dashboard:" + purpose)


def sign(secret: str, purpose: str, value) -> str:
    return _serializer(secret, purpose).dumps(value)


def unsign(secret: str, purpose: str, text: str | None, max_age: int):
    """The value, or None if missing, forged or too old."""
    if not text:
        return None
    try:
        return _serializer(secret, purpose).loads(text, max_age=max_age)
    except BadSignature:
        return None
