"""All HTTP to the Bucket API goes through here: base URL, timeouts, the token and its
refresh, the rate budget, retries and turning error answers into exceptions.

Refresh happens once, under a lock: the provider rotates refresh tokens, and a
second refresh with the same token revokes the whole chain (signs the user out).
A caller that shares one token between several clients (browser tabs of one
sign-in) passes the same lock and a ``token_source`` to see refreshes by others.
"""

from __future__ import annotations

import random
import threading
import time
from collections.abc import Callable
from contextlib import AbstractContextManager
from urllib.parse import quote

import orjson
import requests
from oauthlib.oauth2 import OAuth2Error, TokenExpiredError
from requests_oauthlib import OAuth2Session

from . import auth
from .errors import (
    ApiError,
    AuthError,
    MissingScope,
    RateLimited,
    ServerError,
    TransportError,
    api_error,
    path_of,
)
from .ratelimit import RateBudget, retry_after_seconds
from .settings import BucketSettings

TokenCallback = Callable[[dict], None]
RETRY_STATUSES = {500, 502, 503, 504}
EXPIRY_MARGIN_S = 30


def segment(value: str) -> str:
    """Quote one path segment (ids contain colons)."""
    return quote(str(value), safe=":")


class Transport:
    def __init__(
        self,
        settings: BucketSettings,
        token: dict,
        on_token: TokenCallback | None = None,
        refresh_lock: AbstractContextManager | None = None,
        token_source: Callable[[], dict | None] | None = None,
        budget: RateBudget | None = None,
        timeout=(5, 60),
        max_retries: int = 5,
        max_wait_s: float = 120.0,
        sleep=time.sleep,
        on_wait: Callable[[float], None] | None = None,
    ):
        self.on_wait = on_wait
        self.keep_share = 0.0  # of the rate limit, left to others (``BucketClient.paced``)
        self.settings = settings
        self.base = settings.api_url.rstrip("/")
        self.timeout = timeout
        self.max_retries = max_retries
        self.max_wait_s = max_wait_s
        self.budget = budget or RateBudget()
        self._sleep = sleep
        self._token = _with_expiry(token)
        self._on_token = on_token
        self._token_source = token_source
        self._lock = refresh_lock or threading.Lock()
        self._local = threading.local()
        self.refreshes = 0
        self.requests_sent = 0  # every HTTP attempt, retries included (for budgets and benches)

    # -- token ---------------------------------------------------------------------------
    @property
    def token(self) -> dict:
        return self._token

    def _session(self) -> OAuth2Session:
        """One requests session per thread (requests sessions are not thread-safe)."""
        session = getattr(self._local, "session", None)
        if session is None:
            session = OAuth2Session(self.settings.client_id)
            session.headers["Accept"] = "application/json"
            self._local.session = session
        session.token = self._token
        return session

    def ensure_fresh(self, force: bool = False, seen: str | None = None) -> None:
        """Refresh if expired (or ``force``), unless someone already did since ``seen``."""
        if not force and not _expired(self._token):
            return
        with self._lock:
            latest = self._token_source() if self._token_source else None
            if latest and latest.get("access_token") != self._token.get("access_token"):
                self._token = _with_expiry(latest)  # another client refreshed: adopt it
                if not _expired(self._token):
                    return
            if seen is not None and self._token.get("access_token") != seen:
                return  # refreshed by another thread while we waited
            if not force and not _expired(self._token):
                return
            new = auth.refresh(self.settings, self._token, sleep=self._sleep)
            self._token = _with_expiry(new)
            self.refreshes += 1
            if self._on_token:
                self._on_token(dict(self._token))

    # -- requests ------------------------------------------------------------------------
    def url(self, *parts: str) -> str:
        return self.base + "".join("/" + segment(p) for p in parts)

    def request(
        self,
        method: str,
        url: str,
        *,
        expect=(200,),
        json=None,
        body: bytes | None = None,
        params=None,
        headers=None,
        retry: bool = True,
    ) -> requests.Response:
        """Send one API request (``json``, or a JSON ``body`` already encoded); return the
        response or raise the mapped error."""
        if json is not None:
            body = orjson.dumps(json)
        send_headers = dict(headers or {})
        if body is not None:
            send_headers["Content-Type"] = "application/json"
        idempotent = method in ("GET", "PUT", "PATCH", "DELETE")
        attempts, waited, refreshed = 0, 0.0, False
        while True:
            attempts += 1
            # The budget first: its wait can outlast the token, so freshness is checked
            # after it, just before sending.
            self.budget.acquire(self.on_wait, self.keep_share)
            self.ensure_fresh()
            seen = self._token.get("access_token")
            self.requests_sent += 1
            try:
                response = self._session().request(
                    method,
                    url,
                    data=body,
                    params=params,
                    headers=send_headers,
                    timeout=self.timeout,
                )
            except TokenExpiredError:  # oauthlib's own clock said so: refresh once, resend
                if refreshed:
                    raise AuthError(
                        401, method, url, "Token expired", "Refresh gave an expired token."
                    ) from None
                refreshed = True
                self.ensure_fresh(force=True, seen=seen)
                continue
            except OAuth2Error as error:
                raise AuthError(
                    401, method, url, "Sign-in failed", str(error.description or error.error)
                ) from None
            except requests.RequestException as error:
                failure = TransportError(method, url, type(error).__name__)
                if retry and idempotent and attempts <= self.max_retries:
                    waited += self._backoff(attempts)
                    continue
                raise failure from None
            self.budget.update(response.headers)
            if response.status_code in expect:
                return response
            error = self._error(method, url, response)
            missing = self._missing_scope(method, url) if isinstance(error, AuthError) else None
            if missing:
                raise MissingScope(error, missing)
            if isinstance(error, AuthError) and not refreshed and self._token.get("refresh_token"):
                refreshed = True  # a token we thought valid was refused: refresh once, retry
                self.ensure_fresh(force=True, seen=seen)
                continue
            if isinstance(error, RateLimited) and retry and waited < self.max_wait_s:
                pause = error.retry_after or 1.0
                self.budget.blocked_until(pause)
                waited += pause
                continue
            if (
                isinstance(error, ServerError)
                and response.status_code in RETRY_STATUSES
                and retry
                and idempotent
                and attempts <= self.max_retries
            ):
                waited += self._backoff(attempts)
                continue
            raise error

    def _missing_scope(self, method: str, url: str) -> str | None:
        """The scope a refused route needs that the token was not granted, if any
        (the scopes each route checks: bucket-api.md's routes table)."""
        granted = self._token.get("scope")
        if granted is None:
            return None
        granted = set(granted.split() if isinstance(granted, str) else granted)
        path = path_of(url)
        shared_list = path.rstrip("/").endswith("/properties") and "/things/" not in path
        if "/consents" in path or shared_list:
            needed = next((s for s in ("dcd:properties", "dcd:consents") if s not in granted), None)
            return needed
        if "/types" in path:
            needed = "dcd:types"
        elif "/properties/" in path or (path.endswith("/properties") and method == "GET"):
            needed = "dcd:properties"
        else:
            needed = "dcd:things"
        return needed if needed not in granted else None

    def _backoff(self, attempt: int) -> float:
        pause = min(8.0, 0.2 * 2 ** (attempt - 1)) * (0.5 + random.random() / 2)
        self._sleep(pause)
        return pause

    @staticmethod
    def _error(method: str, url: str, response: requests.Response) -> ApiError:
        retry_after = None
        if response.status_code == 429:
            retry_after = retry_after_seconds(response.headers)
        try:
            body = response.json()
        except ValueError:
            body = None
        return api_error(response.status_code, method, url, body, response.text, retry_after)


def _with_expiry(token: dict) -> dict:
    token = dict(token)
    if "expires_at" not in token and token.get("expires_in") is not None:
        token["expires_at"] = time.time() + float(token["expires_in"])
    return token


def _expired(token: dict) -> bool:
    """Expired, or about to: a margin of 30 s, or a tenth of a short token's life."""
    expires_at = token.get("expires_at")
    if expires_at is None:
        return False
    life = float(token.get("expires_in") or 3600)
    return time.time() >= float(expires_at) - min(EXPIRY_MARGIN_S, life / 10)
