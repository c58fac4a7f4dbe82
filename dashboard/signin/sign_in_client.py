"""The Bucket client that acts for one sign-in, wherever it is needed: a page's session
(``gate.client``) or a request made for that person without a page (a phone streaming
into their property through a grant).

Every client of a sign-in refreshes its token through one lock and re-reads the store
first (the provider rotates refresh tokens: two refreshes would sign the person out), and
every client of this server spends the one request budget of its address.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache

from bucket_client import BucketClient, RateBudget
from dashboard.shared.config import AppConfig
from dashboard.shared.embedded import server_settings
from dashboard.signin.session_store import session_store


@cache
def shared_budget(api_url: str) -> RateBudget:
    """The rate budget of this server's address: every visitor of the app shares it."""
    return RateBudget()


def sign_in_client(
    config: AppConfig,
    sid: str | None,
    token: dict,
    on_token: Callable[[dict], None] | None = None,
    on_wait: Callable[[float], None] | None = None,
) -> BucketClient:
    """A client for the sign-in ``sid`` (None: a token not kept in the store), starting
    from ``token``; a renewed token is saved to the store and handed to ``on_token``."""
    settings = server_settings(config)
    store = session_store(config)

    def saved(new_token: dict) -> None:
        if on_token:
            on_token(new_token)
        if sid:
            store.update_token(sid, new_token)

    def latest() -> dict | None:
        record = store.get(sid) if sid else None
        return record.token if record else None

    return BucketClient(
        token=token,
        settings=settings,
        on_token=saved,
        refresh_lock=store.lock_for(sid) if sid else None,
        token_source=latest if sid else None,
        budget=shared_budget(settings.api_url),
        on_wait=on_wait,
    )
