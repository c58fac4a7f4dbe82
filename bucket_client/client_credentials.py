"""How this app proves who it is to the provider's token and revocation endpoints, by the
one method its client is registered with at Hydra (``client_secret_basic``,
``client_secret_post`` or ``none``)."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import quote_plus

import requests
import requests.auth

from .settings import BucketSettings


@dataclass(frozen=True)
class ClientAuthentication:
    """How this app proves who it is at the token and revocation endpoints: HTTP Basic
    auth (``auth``) and/or fields in the form body (``fields``)."""

    auth: requests.auth.AuthBase | None
    fields: dict

    def for_code_exchange(self) -> dict:
        """Keyword arguments for ``OAuth2Session.fetch_token``. With no ``auth`` it must be
        told to put the id in the body, or it would build its own (unencoded) Basic auth."""
        if self.auth is not None:
            return {"auth": self.auth, "include_client_id": False}
        extra = (
            {"client_secret": self.fields["client_secret"]}
            if "client_secret" in self.fields
            else {}
        )
        return {"include_client_id": True, **extra}

    def for_refresh(self) -> dict:
        """Keyword arguments for ``OAuth2Session.refresh_token`` (extra ones go in the body)."""
        return {"auth": self.auth, **self.fields}


def client_authentication(settings: BucketSettings) -> ClientAuthentication:
    """The one method the client is registered with at Hydra (it refuses the others).

    ``client_secret_basic``: id and secret each form-URL-encoded, then joined by a colon
    (RFC 6749 section 2.3.1): the lab's ids hold a colon (``clients:bucket-ui``), which
    Hydra would otherwise split on. ``client_secret_post``: both in the body. ``none``:
    a public client, the id in the body and PKCE instead of a secret."""
    method = settings.auth_method
    if method == "client_secret_basic":
        return ClientAuthentication(
            requests.auth.HTTPBasicAuth(
                quote_plus(settings.client_id), quote_plus(settings.client_secret)
            ),
            {},
        )
    if method == "client_secret_post":
        return ClientAuthentication(
            None, {"client_id": settings.client_id, "client_secret": settings.client_secret}
        )
    return ClientAuthentication(None, {"client_id": settings.client_id})
