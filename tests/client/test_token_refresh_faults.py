"""Refreshing a token under pressure, against a real sandbox: a rate-budget wait that
outlasts the token, and a token endpoint that fails (503, 429, a connection lost before
or after it answered). Only the provider's "this sign-in is over" ends a sign-in."""

from __future__ import annotations

import time
from dataclasses import replace

import pytest

from bucket_client import BucketClient, ServerError, SessionEnded
from bucket_sandbox.tokens import issue_token

from ..client.test_client import settings_for
from ..conftest import DEMO_EMAIL
from ..faults import FaultProxy


def expired(token: dict) -> dict:
    return {**token, "expires_in": 3600, "expires_at": time.time() - 10}


@pytest.fixture
def token_endpoint_faults(sandbox):
    """A client whose token endpoint sits behind a fault proxy with a replaceable plan."""
    plan = {"token": []}

    def act(_number: int, method: str, path: str) -> str:
        if method == "POST" and path.startswith("/oauth2/token") and plan["token"]:
            return plan["token"].pop(0)
        return "pass"

    proxy = FaultProxy(int(sandbox.url.rsplit(":", 1)[1]), act)
    stored: list[dict] = []
    settings = replace(settings_for(sandbox), token_url=proxy.url + "/oauth2/token")

    def make(actions: list[str]) -> BucketClient:
        plan["token"] = list(actions)
        return BucketClient(
            token=expired(issue_token(sandbox.app, DEMO_EMAIL)),
            settings=settings,
            on_token=stored.append,
            sleep=lambda s: time.sleep(min(s, 0.05)),
        )

    yield make, proxy, stored
    proxy.stop()


def test_token_expiring_during_a_budget_wait_is_refreshed_after_the_wait(make_sandbox):
    """Two requests per 3 s window and a 2 s token: the third request waits for the next
    window, by which time the token it held has expired (oauthlib raised
    ``TokenExpiredError`` before the fix)."""
    server = make_sandbox(access_token_ttl=2, rate_limit_per_minute=2, rate_limit_window_seconds=3)
    waits: list[float] = []
    client = BucketClient(
        token=issue_token(server.app, DEMO_EMAIL),
        settings=settings_for(server),
        on_wait=waits.append,
    )
    for _ in range(3):
        assert isinstance(client.list_things(), list)
    assert waits, "the third request should have waited for the budget"
    assert client.transport.refreshes == 1


def test_token_endpoint_503_then_429_is_retried_and_the_sign_in_kept(token_endpoint_faults):
    make, proxy, stored = token_endpoint_faults
    client = make(["503", "429"])
    assert isinstance(client.list_things(), list)
    assert proxy.actions[:3] == ["503", "429", "pass"]
    assert client.transport.refreshes == 1
    assert stored and stored[-1]["access_token"] == client.token["access_token"]
    assert isinstance(client.list_things(), list)  # the rotated chain still works


def test_token_endpoint_down_for_long_is_a_server_error_not_a_sign_out(token_endpoint_faults):
    make, _proxy, stored = token_endpoint_faults
    client = make(["503"] * 4)
    with pytest.raises(ServerError) as raised:
        client.list_things()
    assert not isinstance(raised.value, SessionEnded) and raised.value.status == 503
    assert not stored  # the refresh token was never spent: the next try can still refresh
    assert isinstance(client.list_things(), list)
    assert client.transport.refreshes == 1


def test_connection_lost_before_the_provider_answered_is_retried(token_endpoint_faults):
    make, proxy, _stored = token_endpoint_faults
    client = make(["reset_before"])
    assert isinstance(client.list_things(), list)
    assert proxy.actions[:2] == ["reset_before", "pass"]


def test_connection_lost_after_the_provider_rotated_ends_the_sign_in_clearly(
    token_endpoint_faults,
):
    """The rotated token is lost with the connection; the retry presents the used one and
    Hydra (like the sandbox) revokes the chain: the user must sign in again, told so."""
    make, _proxy, _stored = token_endpoint_faults
    client = make(["reset_after"])
    with pytest.raises(SessionEnded) as raised:
        client.list_things()
    assert raised.value.name == "token_inactive"
    assert client.token["refresh_token"] not in str(raised.value)
    # and it says exactly why: the renewal's answer was lost, and a renewal counts once
    assert "answer was lost" in raised.value.hint and "sign in again" in raised.value.hint


def test_a_lost_answer_is_recovered_where_the_provider_has_a_grace_period(make_sandbox):
    """Hydra's refresh_token.rotation_grace_period (the sandbox's ``refresh_grace_seconds``):
    the retry presents the rotated-away token within the grace period and gets a new one:
    the sign-in goes on."""
    bucket = make_sandbox(refresh_grace_seconds=60, rate_limit_per_minute=10**6)
    actions = ["reset_after"]

    def act(_number: int, method: str, path: str) -> str:
        if method == "POST" and path.startswith("/oauth2/token") and actions:
            return actions.pop(0)
        return "pass"

    proxy = FaultProxy(int(bucket.url.rsplit(":", 1)[1]), act)
    try:
        stored: list[dict] = []
        client = BucketClient(
            token=expired(issue_token(bucket.app, DEMO_EMAIL)),
            settings=replace(settings_for(bucket), token_url=proxy.url + "/oauth2/token"),
            on_token=stored.append,
            sleep=lambda s: time.sleep(min(s, 0.05)),
        )
        assert isinstance(client.list_things(), list)
        assert proxy.actions[:2] == ["reset_after", "pass"]
        assert stored and stored[-1]["access_token"] == client.token["access_token"]
    finally:
        proxy.stop()


def test_revoked_refresh_token_ends_the_sign_in(sandbox):
    from bucket_client import auth

    token = issue_token(sandbox.app, DEMO_EMAIL)
    settings = settings_for(sandbox)
    auth.revoke(settings, token)
    client = BucketClient(token=expired(token), settings=settings)
    with pytest.raises(SessionEnded):
        client.list_things()
