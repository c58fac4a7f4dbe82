"""OAuth2 helpers on requests-oauthlib: authorization URL with state and PKCE, code
exchange that verifies state, refresh, revoke, userinfo.

Plain http is allowed for loopback hosts only (the sandbox). oauthlib refuses
http unless ``OAUTHLIB_INSECURE_TRANSPORT`` is set for the whole process; instead
its transport check is widened here to accept http on 127.0.0.0/8, localhost and
::1, and nothing else.
"""

from __future__ import annotations

import base64
import hashlib
import logging
import secrets
import time
from dataclasses import dataclass
from urllib.parse import urlencode

import requests
import requests.auth
import requests_oauthlib.oauth2_auth
import requests_oauthlib.oauth2_session
from oauthlib.oauth2 import OAuth2Error
from oauthlib.oauth2.rfc6749 import parameters as _oauth_parameters
from oauthlib.oauth2.rfc6749.clients import base as _oauth_client_base
from oauthlib.oauth2.rfc6749.utils import is_secure_transport as _https_only
from requests_oauthlib import OAuth2Session

from .client_credentials import client_authentication
from .errors import (
    AuthError,
    BucketError,
    RateLimited,
    ServerError,
    SessionEnded,
    TransportError,
    api_error,
)
from .ratelimit import retry_after_seconds
from .settings import BucketSettings, is_loopback

# requests-oauthlib logs tokens at DEBUG ("Updating token to ..."): never let it.
for _name in ("requests_oauthlib", "oauthlib"):
    logging.getLogger(_name).setLevel(logging.INFO)


def secure_or_loopback(uri: str) -> bool:
    """https anywhere, plain http only on this machine."""
    return _https_only(uri) or is_loopback(uri)


for _module in (
    requests_oauthlib.oauth2_session,
    requests_oauthlib.oauth2_auth,
    _oauth_parameters,
    _oauth_client_base,
):
    _module.is_secure_transport = secure_or_loopback

TIMEOUT = (5, 30)
# The provider's answers that mean "this sign-in is over": Hydra says invalid_grant for an
# expired or unknown refresh token and token_inactive for one presented twice (it then
# revokes the whole chain). Anything else at the token endpoint keeps the sign-in.
SESSION_ENDING = {"invalid_grant", "token_inactive"}
REFRESH_ATTEMPTS = 4
MAX_REFRESH_PAUSE_S = 10.0


@dataclass(frozen=True)
class AuthorizationRequest:
    """What to send the browser to, and what to keep (server-side) until it comes back."""

    url: str
    state: str
    code_verifier: str


def pkce_pair() -> tuple[str, str]:
    """A code verifier and its S256 challenge (RFC 7636)."""
    verifier = secrets.token_urlsafe(64)[:96]
    digest = hashlib.sha256(verifier.encode("ascii")).digest()
    return verifier, base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


def _session(settings: BucketSettings, **kwargs) -> OAuth2Session:
    session = OAuth2Session(
        settings.client_id,
        scope=settings.scope.split(),
        redirect_uri=settings.redirect_url or None,
        **kwargs,
    )
    for hook in ("access_token_response", "refresh_token_response"):
        session.register_compliance_hook(hook, _refuse_unanswered)
    return session


def _refuse_unanswered(response: requests.Response) -> requests.Response:
    """A 5xx or 429 from the token endpoint is no answer about the token: raise it as what
    it is, before oauthlib reads the body as a token ("Missing access token parameter")."""
    if response.status_code >= 500 or response.status_code == 429:
        raise api_error(
            response.status_code,
            "POST",
            response.url,
            _json(response),
            response.text,
            retry_after_seconds(response.headers),
        )
    return response


def authorization_request(
    settings: BucketSettings, state: str | None = None, prompt: str | None = None
) -> AuthorizationRequest:
    """The provider URL with ``state`` and a PKCE S256 challenge; ``prompt="login"`` makes
    the provider ask who is signing in even if its own session remembers someone."""
    verifier, challenge = pkce_pair()
    extra = {"prompt": prompt} if prompt else {}
    url, state = _session(settings).authorization_url(
        settings.auth_url,
        state=state or secrets.token_urlsafe(32),
        code_challenge=challenge,
        code_challenge_method="S256",
        **extra,
    )
    return AuthorizationRequest(url, state, verifier)


def exchange_code(
    settings: BucketSettings,
    code: str,
    returned_state: str,
    expected_state: str,
    code_verifier: str,
) -> dict:
    """Trade the code for a token, after checking the ``state`` that came back."""
    if not expected_state or not secrets.compare_digest(returned_state or "", expected_state):
        raise AuthError(
            400,
            "GET",
            settings.redirect_url,
            "Sign-in failed",
            "The sign-in answer does not match a request of this app (state).",
        )
    client = client_authentication(settings)
    return _token_call(
        settings,
        "POST",
        settings.token_url,
        lambda s: s.fetch_token(
            settings.token_url,
            code=code,
            code_verifier=code_verifier,
            timeout=TIMEOUT,
            **client.for_code_exchange(),
        ),
    )


def refresh(
    settings: BucketSettings,
    token: dict,
    sleep=time.sleep,
    attempts: int = REFRESH_ATTEMPTS,
) -> dict:
    """A new token from the refresh token. The provider rotates it: the old one is dead.

    A provider that is down, overloaded (503, 429) or unreachable is tried again with a
    growing pause; only ``SESSION_ENDING`` answers raise ``SessionEnded``. A connection
    lost after the provider answered cannot be told apart from one lost before: the retry
    then presents a used refresh token, and Hydra ends the chain (unless its
    ``refresh_token.rotation_grace_period`` is set), which is a ``SessionEnded`` too."""
    if not token.get("refresh_token"):
        raise SessionEnded(
            403, "POST", settings.token_url, "Session ended", "No refresh token: sign in again."
        )
    client = client_authentication(settings)
    lost = False  # a connection broke: the provider may have rotated the token already
    for attempt in range(1, attempts + 1):
        try:
            return _token_call(
                settings,
                "POST",
                settings.token_url,
                lambda s: s.refresh_token(
                    settings.token_url,
                    refresh_token=token["refresh_token"],
                    timeout=TIMEOUT,
                    **client.for_refresh(),
                ),
            )
        except SessionEnded as ended:
            if not lost:
                raise
            raise SessionEnded(
                ended.status,
                "POST",
                settings.token_url,
                "Session ended",
                "Your sign-in was being renewed when the connection to Bucket's sign-in server "
                "broke; Bucket may have renewed it and its answer was lost, and it accepts each "
                "renewal only once, so this sign-in cannot go on: sign in again. (A grace "
                "period for reused refresh tokens on the provider, Hydra's "
                "refresh_token.rotation_grace_period, lets the app recover from this.)",
                ended.name,
            ) from None
        except (TransportError, ServerError, RateLimited) as error:
            lost = lost or isinstance(error, TransportError)
            if attempt == attempts:
                raise
            pause = getattr(error, "retry_after", None) or 0.5 * 2 ** (attempt - 1)
            sleep(min(pause, MAX_REFRESH_PAUSE_S))
    raise AssertionError("unreachable")


def _token_call(settings, method, url, call) -> dict:
    try:
        return dict(call(_session(settings)))
    except BucketError:
        raise
    except requests.RequestException as error:
        raise TransportError(method, url, type(error).__name__) from None
    except OAuth2Error as error:  # the provider's error answer: never echo its payload
        code = str(getattr(error, "error", "") or "")
        description = str(error.description or code or type(error).__name__)
        status = getattr(error, "status_code", None) or 400
        if code in SESSION_ENDING:
            raise SessionEnded(status, method, url, "Session ended", description, code) from None
        raise AuthError(status, method, url, "Sign-in failed", description, code) from None
    except Exception as error:  # a body that is not a token at all
        raise AuthError(400, method, url, "Sign-in failed", type(error).__name__) from None


def revoke(settings: BucketSettings, token: dict) -> None:
    """Revoke the refresh token (which ends its access tokens), else the access token."""
    value = token.get("refresh_token") or token.get("access_token")
    if not value:
        return
    hint = "refresh_token" if token.get("refresh_token") else "access_token"
    client = client_authentication(settings)
    try:
        response = requests.post(
            settings.revoke_url,
            data={"token": value, "token_type_hint": hint, **client.fields},
            auth=client.auth,
            timeout=TIMEOUT,
        )
    except requests.RequestException as error:
        raise TransportError("POST", settings.revoke_url, type(error).__name__) from None
    if response.status_code >= 400:
        raise api_error(response.status_code, "POST", settings.revoke_url, _json(response))


def logout_url(settings: BucketSettings, token: dict | None, back_to: str) -> str:
    """The provider's browser logout (OpenID RP-initiated logout, as Hydra serves it),
    coming back to ``back_to``, as an address: it never carries the id token (a JWT with the
    person's name and e-mail would sit in the browser's history and the servers' logs);
    ``logout_form`` sends it in a POST body."""
    return settings.logout_url + "?" + urlencode({"post_logout_redirect_uri": back_to})


def logout_form(settings: BucketSettings, token: dict | None, back_to: str) -> dict[str, str]:
    """The fields of the provider's logout as a form POST (OpenID RP-initiated logout lets
    the browser send them either way): the id token, when there is one, says whose session."""
    fields = {"post_logout_redirect_uri": back_to}
    if token and token.get("id_token"):
        fields["id_token_hint"] = token["id_token"]
    return fields


def userinfo(settings: BucketSettings, token: dict) -> dict:
    """OIDC claims of the signed-in person: ``sub``, ``name``, ``email``..."""
    try:
        response = requests.get(
            settings.profile_url,
            timeout=TIMEOUT,
            headers={"Authorization": "Bearer " + token["access_token"]},
        )
    except requests.RequestException as error:
        raise TransportError("GET", settings.profile_url, type(error).__name__) from None
    if response.status_code != 200:
        raise AuthError(
            403 if response.status_code in (401, 403) else response.status_code,
            "GET",
            settings.profile_url,
            "Could not read your profile",
        )
    return response.json()


def _json(response) -> dict | None:
    try:
        return response.json()
    except ValueError:
        return None
