"""The sandbox's OAuth2/OIDC provider driven with requests, as a browser and an app would."""

from __future__ import annotations

import base64
import hashlib
import re
import secrets
import time
from urllib.parse import parse_qs, quote_plus, urljoin, urlparse

import pytest
import requests

from bucket_sandbox.config import DEMO_CLIENT_ID, DEMO_CLIENT_SECRET
from bucket_sandbox.tokens import issue_token

from ..conftest import DEMO_EMAIL, Api

REDIRECT = "http://localhost:8501/auth/callback"
SCOPE = "openid profile email offline dcd:things dcd:properties dcd:types"


def pkce_pair() -> tuple[str, str]:
    verifier = secrets.token_urlsafe(48)
    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=")
    return verifier, challenge.decode()


def authorize(sandbox, challenge: str, state: str = "xyz", decision: str = "allow", scope=SCOPE):
    """Sign in and consent on the sandbox's pages; return the redirect's query."""
    browser = requests.Session()
    browser.trust_env = False
    params = {
        "response_type": "code",
        "client_id": DEMO_CLIENT_ID,
        "redirect_uri": REDIRECT,
        "scope": scope,
        "state": state,
        "code_challenge": challenge,
        "code_challenge_method": "S256",
    }
    page = browser.get(sandbox.url + "/oauth2/auth", params=params, timeout=10)
    assert page.status_code == 200 and "demo@bucket.sandbox" in page.text
    login = browser.post(
        page.url,
        data={"action": "login", "email": DEMO_EMAIL, "password": "demo-password"},
        timeout=10,
    )
    assert login.status_code == 200 and "Allow access" in login.text
    for scope_name in scope.split():
        assert scope_name in login.text  # the consent page lists what is asked
    done = browser.post(
        login.url,
        data={"action": "consent", "decision": decision},
        allow_redirects=False,
        timeout=10,
    )
    assert done.status_code == 302
    location = urlparse(done.headers["Location"])
    assert f"{location.scheme}://{location.netloc}{location.path}" == REDIRECT
    return {k: v[0] for k, v in parse_qs(location.query).items()}


def provider_post(sandbox, path: str, **data) -> requests.Response:
    """A POST to one of the provider's endpoints, as the registered client (HTTP Basic,
    id and secret form-URL-encoded as RFC 6749 section 2.3.1 and Hydra want)."""
    return requests.post(
        sandbox.url + path,
        data=data,
        auth=(quote_plus(DEMO_CLIENT_ID), quote_plus(DEMO_CLIENT_SECRET)),
        timeout=10,
    )


def exchange(sandbox, code: str, verifier: str) -> requests.Response:
    return provider_post(
        sandbox,
        "/oauth2/token",
        grant_type="authorization_code",
        code=code,
        redirect_uri=REDIRECT,
        code_verifier=verifier,
    )


def refresh(sandbox, refresh_token: str) -> requests.Response:
    return provider_post(
        sandbox, "/oauth2/token", grant_type="refresh_token", refresh_token=refresh_token
    )


def test_discovery_names_hydra_paths(sandbox):
    doc = requests.get(sandbox.url + "/.well-known/openid-configuration", timeout=10).json()
    for key, path in [
        ("authorization_endpoint", "/oauth2/auth"),
        ("token_endpoint", "/oauth2/token"),
        ("revocation_endpoint", "/oauth2/revoke"),
        ("introspection_endpoint", "/oauth2/introspect"),
        ("userinfo_endpoint", "/userinfo"),
    ]:
        assert doc[key] == sandbox.url + path
    assert "S256" in doc["code_challenge_methods_supported"]


def test_authorization_code_with_pkce(sandbox):
    verifier, challenge = pkce_pair()
    query = authorize(sandbox, challenge, state="s-123")
    assert query["state"] == "s-123"
    token = exchange(sandbox, query["code"], verifier).json()
    assert token["access_token"] and token["refresh_token"] and token["id_token"]
    assert token["expires_in"] == 3600
    api = Api(sandbox.api_url, token["access_token"])
    assert api("GET", "/things").status_code == 200
    info = requests.get(
        sandbox.url + "/userinfo",
        timeout=10,
        headers={"Authorization": "Bearer " + token["access_token"]},
    ).json()
    assert info["email"] == DEMO_EMAIL and info["sub"].startswith("dcd:persons:")
    # a code is single use
    assert exchange(sandbox, query["code"], verifier).status_code == 400


def test_wrong_verifier_is_refused(sandbox):
    _verifier, challenge = pkce_pair()
    query = authorize(sandbox, challenge)
    response = exchange(sandbox, query["code"], "x" * 50)
    assert response.status_code == 400 and response.json()["error"] == "invalid_grant"


def test_deny_returns_access_denied(sandbox):
    _verifier, challenge = pkce_pair()
    assert authorize(sandbox, challenge, decision="deny")["error"] == "access_denied"


def test_unregistered_redirect_uri_is_refused(sandbox):
    response = requests.get(
        sandbox.url + "/oauth2/auth",
        timeout=10,
        params={
            "response_type": "code",
            "client_id": DEMO_CLIENT_ID,
            "scope": SCOPE,
            "redirect_uri": "http://evil.example/cb",
            "state": "s",
        },
    )
    assert response.status_code == 400


def test_no_offline_scope_no_refresh_token(sandbox):
    verifier, challenge = pkce_pair()
    query = authorize(sandbox, challenge, scope="openid dcd:things")
    assert "refresh_token" not in exchange(sandbox, query["code"], verifier).json()


def test_refresh_rotates_and_reuse_revokes_the_chain(sandbox):
    first = issue_token(sandbox.app, DEMO_EMAIL)
    second = refresh(sandbox, first["refresh_token"]).json()
    assert second["refresh_token"] != first["refresh_token"]
    assert Api(sandbox.api_url, first["access_token"])("GET", "/things").status_code == 403
    assert Api(sandbox.api_url, second["access_token"])("GET", "/things").status_code == 200
    replay = refresh(sandbox, first["refresh_token"])
    # fosite's answer to reuse (flow_refresh.go: ErrInactiveToken), then the chain is gone
    assert replay.status_code == 401 and replay.json()["error"] == "token_inactive"
    # Hydra revokes the whole chain: the newest tokens stop working too
    assert Api(sandbox.api_url, second["access_token"])("GET", "/things").status_code == 403
    gone = refresh(sandbox, second["refresh_token"])
    assert gone.json()["error"] in {"invalid_grant", "token_inactive"}


def test_revocation_ends_access(sandbox):
    token = issue_token(sandbox.app, DEMO_EMAIL)
    response = provider_post(sandbox, "/oauth2/revoke", token=token["refresh_token"])
    assert response.status_code == 200
    assert Api(sandbox.api_url, token["access_token"])("GET", "/things").status_code == 403
    # Hydra keeps a revoked refresh token as inactive, so it answers as for reuse
    assert refresh(sandbox, token["refresh_token"]).json()["error"] == "token_inactive"


def test_introspection(sandbox):
    token = issue_token(sandbox.app, DEMO_EMAIL)
    active = provider_post(sandbox, "/oauth2/introspect", token=token["access_token"]).json()
    assert active["active"] is True and "dcd:things" in active["scope"]
    unknown = provider_post(sandbox, "/oauth2/introspect", token="nope").json()
    assert unknown == {"active": False}


def test_expired_token_is_403_and_refresh_works(sandbox):
    token = issue_token(sandbox.app, DEMO_EMAIL, expires_in=1)
    api = Api(sandbox.api_url, token["access_token"])
    deadline = time.monotonic() + 10
    while api("GET", "/things").status_code == 200:  # wait on the condition: expiry
        assert time.monotonic() < deadline, "token never expired"
        time.sleep(0.1)
    response = api("GET", "/things")
    assert (
        response.status_code == 403 and response.json()["hint"] == "The bearer token is not active"
    )
    fresh = refresh(sandbox, token["refresh_token"]).json()
    assert Api(sandbox.api_url, fresh["access_token"])("GET", "/things").status_code == 200


def test_token_cli_prints_a_working_token(sandbox, capsys):
    from bucket_sandbox.__main__ import main

    assert main(["token", "--user", DEMO_EMAIL, "--db", sandbox.config.db_path]) == 0
    printed = capsys.readouterr().out.strip()
    assert re.fullmatch(r"ory_at_[\w-]+", printed)
    assert Api(sandbox.api_url, printed)("GET", "/things").status_code == 200


@pytest.mark.parametrize("email", ["nobody@example.org"])
def test_token_cli_unknown_user(sandbox, email, capsys):
    from bucket_sandbox.__main__ import main

    assert main(["token", "--user", email, "--db", sandbox.config.db_path]) == 2
    assert "no sandbox user" in capsys.readouterr().err


def test_a_remembered_consent_is_not_asked_again_from_another_browser(make_sandbox):
    """Allowed with "Remember this" ticked: the next sign-in, from a browser with no session,
    goes straight back with a code; ``prompt=consent``, or a scope not allowed before, asks
    again; a consent allowed without it is asked every time (as before)."""
    server = make_sandbox()
    _verifier, challenge = pkce_pair()

    def sign_in(scope=SCOPE, prompt=None, remember=True):
        browser = requests.Session()
        browser.trust_env = False
        params = {
            "response_type": "code", "client_id": DEMO_CLIENT_ID, "redirect_uri": REDIRECT,
            "scope": scope, "state": "s", "code_challenge": challenge,
            "code_challenge_method": "S256", **({"prompt": prompt} if prompt else {}),
        }  # fmt: skip
        page = browser.get(server.url + "/oauth2/auth", params=params, timeout=10)
        answer = browser.post(
            page.url,
            data={"action": "login", "email": DEMO_EMAIL, "password": "demo-password"},
            allow_redirects=False,
            timeout=10,
        )
        if answer.status_code == 303:  # signed in: back to the request (a relative address)
            back = urljoin(page.url, answer.headers["Location"])
            answer = browser.get(back, allow_redirects=False, timeout=10)
        if answer.status_code == 302:
            return "not asked"
        assert "Allow access" in answer.text and 'name="remember"' in answer.text
        form = {"action": "consent", "decision": "allow", **({"remember": "1"} if remember else {})}
        done = browser.post(answer.url, data=form, allow_redirects=False, timeout=10)
        assert done.status_code == 302 and "code=" in done.headers["Location"]
        return "asked"

    assert sign_in(remember=False) == "asked"
    assert sign_in() == "asked"  # remembered from now on
    assert sign_in() == "not asked"
    assert sign_in(prompt="consent") == "asked"
    assert sign_in(scope=SCOPE + " dcd:consents") == "asked"
    assert sign_in(scope="openid dcd:things") == "not asked"  # less than allowed
