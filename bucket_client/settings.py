"""Where Bucket is and who the app is: the names of the lab's tutorial, real defaults."""

from __future__ import annotations

import ipaddress
import os
from dataclasses import dataclass, fields, replace
from pathlib import Path
from urllib.parse import urlsplit

REAL_HOST = "https://dwd.tudelft.nl"
DEFAULT_SCOPE = "openid profile email offline dcd:things dcd:properties dcd:types dcd:consents"

# Where a Bucket host serves each part (the real service, and the sandbox the same way).
PATHS = {
    "api_url": "/bucket/api",
    "auth_url": "/oauth2/auth",
    "token_url": "/oauth2/token",
    "revoke_url": "/oauth2/revoke",
    "introspect_url": "/oauth2/introspect",
    "profile_url": "/userinfo",
    "logout_url": "/oauth2/sessions/logout",
}

# the lab tutorial's setting name -> field
ENV_NAMES = {
    "BUCKET_API_URL": "api_url",
    "OAUTH2_CLIENT_ID": "client_id",
    "OAUTH2_CLIENT_SECRET": "client_secret",
    "OAUTH2_AUTH_URL": "auth_url",
    "OAUTH2_TOKEN_URL": "token_url",
    "OAUTH2_REVOKE_URL": "revoke_url",
    "OAUTH2_INTROSPECT_URL": "introspect_url",
    "OAUTH2_PROFILE_URL": "profile_url",
    "OAUTH2_LOGOUT_URL": "logout_url",
    "OAUTH2_REDIRECT_URL": "redirect_url",
    "OAUTH2_SCOPE": "scope",
    "OAUTH2_CLIENT_AUTH_METHOD": "client_auth_method",
}
AUTH_METHODS = ("client_secret_basic", "client_secret_post", "none")


@dataclass(frozen=True)
class BucketSettings:
    """Everything needed to reach one Bucket. ``repr`` never shows the secret."""

    api_url: str = REAL_HOST + PATHS["api_url"]
    client_id: str = ""
    client_secret: str = ""
    auth_url: str = REAL_HOST + PATHS["auth_url"]
    token_url: str = REAL_HOST + PATHS["token_url"]
    revoke_url: str = REAL_HOST + PATHS["revoke_url"]
    introspect_url: str = REAL_HOST + PATHS["introspect_url"]
    profile_url: str = REAL_HOST + PATHS["profile_url"]
    # The provider's browser logout (Hydra's), so a shared laptop can switch people.
    logout_url: str = REAL_HOST + PATHS["logout_url"]
    redirect_url: str = ""
    scope: str = DEFAULT_SCOPE
    # How the client is registered at Hydra; empty: client_secret_basic with a secret,
    # none (a public PKCE client) without one.
    client_auth_method: str = ""

    @property
    def auth_method(self) -> str:
        if self.client_auth_method:
            return self.client_auth_method
        return "client_secret_basic" if self.client_secret else "none"

    def __repr__(self) -> str:
        shown = {f.name: getattr(self, f.name) for f in fields(self)}
        shown["client_secret"] = "***" if self.client_secret else ""
        return "BucketSettings(" + ", ".join(f"{k}={v!r}" for k, v in shown.items()) + ")"

    @classmethod
    def at_host(
        cls, origin: str, client_id: str = "", client_secret: str = "", **other
    ) -> BucketSettings:
        """Every URL of a Bucket served at ``origin`` (``http://127.0.0.1:8080`` for a sandbox)."""
        origin = origin.rstrip("/")
        urls = {name: origin + path for name, path in PATHS.items()}
        return cls(**{**urls, "client_id": client_id, "client_secret": client_secret, **other})

    @classmethod
    def from_mapping(cls, mapping) -> BucketSettings:
        """From any mapping using the tutorial's names (environment, ``st.secrets``)."""
        values = {}
        for name, attr in ENV_NAMES.items():
            raw = mapping.get(name)
            if raw is not None and str(raw).strip():
                values[attr] = str(raw).strip()
        if "logout_url" not in values and "auth_url" in values:
            # the provider's logout sits beside its authorize endpoint (Hydra's layout)
            parts = urlsplit(values["auth_url"])
            values["logout_url"] = f"{parts.scheme}://{parts.netloc}" + PATHS["logout_url"]
        return cls(**values)

    @classmethod
    def from_env(cls, dotenv_path: str | Path | None = ".env") -> BucketSettings:
        """The environment, after a ``.env`` file (which never overrides the environment)."""
        if dotenv_path:
            from dotenv import load_dotenv

            load_dotenv(dotenv_path, override=False)
        return cls.from_mapping(os.environ)

    def with_scope(self, scope: str) -> BucketSettings:
        return replace(self, scope=scope)

    def problems(self, need_redirect: bool = True) -> list[str]:
        """What is missing or malformed, each with the setting's name."""
        out = []
        if not self.client_id:
            out.append("OAUTH2_CLIENT_ID is missing: the client id the lab sent you.")
        if self.client_auth_method and self.client_auth_method not in AUTH_METHODS:
            out.append(
                f"OAUTH2_CLIENT_AUTH_METHOD is {self.client_auth_method!r}: it must be one of "
                + ", ".join(AUTH_METHODS)
                + " (how the lab registered your client)."
            )
        elif self.auth_method != "none" and not self.client_secret:
            out.append(
                f"OAUTH2_CLIENT_SECRET is missing: the client secret the lab sent you "
                f"(or set OAUTH2_CLIENT_AUTH_METHOD=none for a public client; "
                f"it is {self.auth_method} now)."
            )
        if need_redirect and not self.redirect_url:
            out.append("OAUTH2_REDIRECT_URL is missing: this app's address + /auth/callback.")
        for name, attr in ENV_NAMES.items():
            value = getattr(self, attr)
            if attr in ("client_id", "client_secret", "scope", "client_auth_method") or not value:
                continue
            parts = urlsplit(value)
            if parts.scheme not in ("http", "https") or not parts.netloc:
                out.append(
                    f"{name} is not a URL ({value!r}): it must start with https:// "
                    "(or http:// for localhost)"
                )
            elif parts.scheme == "http" and not is_loopback(value):
                out.append(f"{name} uses plain http on a non-local host: use https://")
        return out


def is_loopback(url: str) -> bool:
    """Whether ``url`` names this machine: ``localhost`` or a loopback address. A name that
    merely starts with "127." (``127.evil.com``, ``127.0.0.1.nip.io``) is anyone's host,
    and plain http to it would carry tokens in the clear."""
    host = (urlsplit(url).hostname or "").lower()
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False
