"""Storage for Authlib: clients, authorization codes and tokens as SQLite rows.

Only the storage hooks Authlib asks for live here; the protocol (PKCE checks,
expiry, scope checks, token responses) stays in Authlib.
"""

from __future__ import annotations

import ipaddress
import json
import re
import secrets
import time
from urllib.parse import urlsplit

from authlib.oauth2.rfc6749 import ClientMixin, TokenMixin
from authlib.oauth2.rfc6749.util import list_to_scope, scope_to_list
from authlib.oidc.core import AuthorizationCodeMixin

from . import users

ALL_SCOPES = (
    "openid profile email offline offline_access dcd:things dcd:properties dcd:types dcd:consents"
)
AUTH_METHODS = ("client_secret_basic", "client_secret_post", "none")


class Client(ClientMixin):
    def __init__(self, client_id: str, client_secret: str, metadata: dict):
        self.client_id = client_id
        self.client_secret = client_secret
        self.client_metadata = metadata

    def get_client_id(self):
        return self.client_id

    def get_default_redirect_uri(self):
        uris = self.client_metadata.get("redirect_uris") or []
        return uris[0] if uris else None

    def get_allowed_scope(self, scope):
        if not scope:
            return ""
        allowed = set(scope_to_list(self.client_metadata.get("scope", ALL_SCOPES)))
        return list_to_scope([s for s in scope_to_list(scope) if s in allowed])

    def check_redirect_uri(self, redirect_uri):
        """A registered URI, or, for a client that allows it (the zero-config app's), the
        callback on any loopback origin: a laptop's app on whatever port it got. Never a
        URI learnt from a request: a Host header is the visitor's to forge."""
        if redirect_uri in self.client_metadata.get("redirect_uris", []):
            return True
        return bool(self.client_metadata.get("loopback_redirects")) and is_loopback_callback(
            redirect_uri
        )

    @property
    def auth_method(self) -> str:
        return self.client_metadata.get("token_endpoint_auth_method", "client_secret_basic")

    def check_client_secret(self, client_secret):
        return bool(self.client_secret) and secrets.compare_digest(
            client_secret.encode(), self.client_secret.encode()
        )

    def check_endpoint_auth_method(self, method, endpoint):
        """Hydra accepts only the one method a client was registered with."""
        return method == self.auth_method

    def check_response_type(self, response_type):
        return response_type == "code"

    def check_grant_type(self, grant_type):
        return grant_type in self.client_metadata.get(
            "grant_types", ["authorization_code", "refresh_token"]
        )


class AuthorizationCode(AuthorizationCodeMixin):
    def __init__(self, row):
        self.code = row["code"]
        self.client_id = row["client_id"]
        self.user_id = row["user_id"]
        self.redirect_uri = row["redirect_uri"]
        self.scope = row["scope"]
        self.nonce = row["nonce"]
        self.auth_time = row["auth_time"]
        self.code_challenge = row["code_challenge"]
        self.code_challenge_method = row["code_challenge_method"]

    def get_redirect_uri(self):
        return self.redirect_uri

    def get_scope(self):
        return self.scope

    def get_nonce(self):
        return self.nonce

    def get_auth_time(self):
        return self.auth_time


class Token(TokenMixin):
    def __init__(self, row, conn):
        self.row = dict(row)
        self._conn = conn
        self.client_id = row["client_id"]
        self.user_id = row["user_id"]
        self.scope = row["scope"]
        self.family = row["family"]
        self.issued_at = row["issued_at"]
        self.expires_in = row["expires_in"]
        self.access_token = row["access_token"]
        self.refresh_token = row["refresh_token"]

    def check_client(self, client):
        return self.client_id == client.get_client_id()

    def get_scope(self):
        return self.scope

    def get_expires_in(self):
        return self.expires_in

    def get_expires_at(self):
        return self.issued_at + self.expires_in

    def is_expired(self):
        return time.time() >= self.get_expires_at()

    def is_revoked(self):
        return bool(self.row["access_revoked"])

    def is_refresh_revoked(self):
        return bool(self.row["refresh_revoked"])

    def get_user(self):
        return users.find_by_id(self._conn, self.user_id)

    def get_client(self):
        return load_client(self._conn, self.client_id)


def is_loopback_host(host: str) -> bool:
    """``localhost``, or an IP address of this machine's loopback (127.0.0.0/8, ::1)."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


# the app's callback, at the root or under the prefix it is served at (baseUrlPath, a frame's)
CALLBACK_PATH = re.compile(r"(/[A-Za-z0-9._~+\-]+)*/auth/callback")


def is_loopback_callback(uri: str) -> bool:
    """``http://localhost:<port>[/prefix]/auth/callback`` or the same on an address of 127.0.0.0/8 or
    [::1]; https too (an app served over TLS on this machine: the classroom set-up), which
    reaches no other machine either. Only addresses count: a name that merely starts with
    "127." (``127.evil.com``, ``127.0.0.1.nip.io``) is anyone's host."""
    parts = urlsplit(uri)
    try:
        parts.port  # noqa: B018 (a malformed port raises: no callback)
    except ValueError:
        return False
    return (
        parts.scheme in ("http", "https")
        and is_loopback_host((parts.hostname or "").lower())
        and CALLBACK_PATH.fullmatch(parts.path) is not None
        and not parts.query
        and not parts.fragment
        and not parts.username
    )


def load_client(conn, client_id: str) -> Client | None:
    row = conn.execute("SELECT * FROM clients WHERE client_id = ?", (client_id,)).fetchone()
    if row is None:
        return None
    return Client(row["client_id"], row["client_secret"], json.loads(row["metadata"]))


def save_client(
    conn,
    client_id: str,
    client_secret: str,
    redirect_uris,
    auth_method: str = "client_secret_basic",
    grant_types: tuple[str, ...] = ("authorization_code", "refresh_token"),
    loopback_redirects: bool = False,
) -> None:
    """Register (or replace) a client with exactly one token endpoint auth method."""
    if auth_method not in AUTH_METHODS:
        raise ValueError(f"auth method must be one of {', '.join(AUTH_METHODS)}")
    if auth_method == "none":
        client_secret = ""  # a public client has no secret
    elif not client_secret:
        raise ValueError(f"a {auth_method} client needs a secret")
    metadata = {
        "redirect_uris": list(redirect_uris),
        "scope": ALL_SCOPES,
        "grant_types": list(grant_types),
        "response_types": ["code"],
        "token_endpoint_auth_method": auth_method,
        "loopback_redirects": loopback_redirects,
    }
    conn.execute(
        "INSERT OR REPLACE INTO clients (client_id, client_secret, metadata) VALUES (?, ?, ?)",
        (client_id, client_secret, json.dumps(metadata)),
    )
    conn.commit()


def find_token(conn, column: str, value: str) -> Token | None:
    assert column in ("access_token", "refresh_token")
    row = conn.execute(f"SELECT * FROM tokens WHERE {column} = ?", (value,)).fetchone()
    return Token(row, conn) if row else None


def revoke_family(conn, family: str) -> None:
    """What Hydra does when a used refresh token comes back: end the whole chain."""
    conn.execute(
        "UPDATE tokens SET access_revoked = 1, refresh_revoked = 1 WHERE family = ?", (family,)
    )
    conn.commit()
