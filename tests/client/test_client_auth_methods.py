"""The client's sign-in, refresh and revocation with each way the lab registers clients
at Hydra, against a sandbox that enforces the registered method as Hydra does."""

from __future__ import annotations

from urllib.parse import parse_qs, urlparse

import pytest
import requests

from bucket_client import AuthError, BucketSettings
from bucket_client import auth as oauth

from ..conftest import DEMO_EMAIL

REDIRECT = "http://localhost:8501/auth/callback"
SECRET = "lab+secret/with:odd=chars%"


def code_for(settings: BucketSettings) -> tuple[str, str, str]:
    """Walk the provider's sign-in and consent pages; the code, state and verifier."""
    request = oauth.authorization_request(settings)
    browser = requests.Session()
    browser.trust_env = False
    page = browser.get(request.url, timeout=10)
    login = browser.post(
        page.url,
        data={"action": "login", "email": DEMO_EMAIL, "password": "demo-password"},
        timeout=10,
    )
    done = browser.post(
        login.url, data={"action": "consent", "decision": "allow"}, allow_redirects=False
    )
    query = {k: v[0] for k, v in parse_qs(urlparse(done.headers["Location"]).query).items()}
    return query["code"], query["state"], request.code_verifier


def settings_for(sandbox, method: str, registered: str | None = None) -> BucketSettings:
    client_id = f"clients:test-{method}-{registered or method}"
    secret = "" if (registered or method) == "none" else SECRET
    sandbox.register_client(client_id, secret, (REDIRECT,), auth_method=registered or method)
    return BucketSettings.at_host(
        sandbox.url,
        client_id,
        "" if method == "none" else SECRET,
        redirect_url=REDIRECT,
        client_auth_method=method,
    )


@pytest.mark.parametrize("method", ["client_secret_basic", "client_secret_post", "none"])
def test_sign_in_refresh_and_revoke_with_each_method(sandbox, method):
    settings = settings_for(sandbox, method)
    assert not settings.problems()
    code, state, verifier = code_for(settings)
    token = oauth.exchange_code(settings, code, state, state, verifier)
    fresh = oauth.refresh(settings, token)
    assert fresh["access_token"] != token["access_token"]
    oauth.revoke(settings, fresh)
    with pytest.raises(AuthError):
        oauth.refresh(settings, fresh)


@pytest.mark.parametrize(
    ("used", "registered"),
    [("client_secret_post", "client_secret_basic"), ("client_secret_basic", "client_secret_post")],
)
def test_a_method_other_than_the_registered_one_is_refused(sandbox, used, registered):
    settings = settings_for(sandbox, used, registered)
    code, state, verifier = code_for(settings)
    with pytest.raises(AuthError, match="cannot authenticate|invalid_client|Sign-in failed"):
        oauth.exchange_code(settings, code, state, state, verifier)


def test_unencoded_basic_credentials_are_refused_as_hydra_does(sandbox):
    """Sent as is, ``clients:x`` reads as the id ``clients``: 401 invalid_client."""
    settings = settings_for(sandbox, "client_secret_basic")
    code, _state, verifier = code_for(settings)
    answer = requests.post(
        settings.token_url,
        data={
            "grant_type": "authorization_code",
            "code": code,
            "redirect_uri": REDIRECT,
            "code_verifier": verifier,
        },
        auth=(settings.client_id, SECRET),
        timeout=10,
    )
    assert answer.status_code == 401 and answer.json()["error"] == "invalid_client"


def test_settings_need_no_secret_for_a_public_client():
    public = BucketSettings(client_id="clients:bucket-ui", redirect_url=REDIRECT)
    assert public.auth_method == "none" and not public.problems()
    post = BucketSettings(
        client_id="x", redirect_url=REDIRECT, client_auth_method="client_secret_post"
    )
    assert any("OAUTH2_CLIENT_SECRET is missing" in p for p in post.problems())
