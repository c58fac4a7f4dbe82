"""AppTest of the gate and of configuration errors (page logic, no browser)."""

from __future__ import annotations

from urllib.parse import quote_plus

import pytest
from streamlit.testing.v1 import AppTest

from bucket_sandbox.config import DEMO_CLIENT_ID, DEMO_CLIENT_SECRET
from bucket_sandbox.tokens import issue_token
from dashboard.shared import config as dashboard_config
from dashboard.shared.config import load_config

from ..conftest import DEMO_EMAIL, ROOT

HOME = str(ROOT / "home.py")


@pytest.fixture
def app_env(monkeypatch, tmp_path):
    """A clean process config for each test, with its data folder in tmp."""
    monkeypatch.setenv("BUCKET_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setattr(dashboard_config, "_secrets_files", lambda: [])
    monkeypatch.setattr(dashboard_config, "ROOT", tmp_path)  # no developer .env leaks in
    dashboard_config.reset_config()
    yield monkeypatch
    dashboard_config.reset_config()


def configured(monkeypatch, sandbox) -> None:
    for name, value in {
        "OAUTH2_CLIENT_ID": DEMO_CLIENT_ID,
        "OAUTH2_CLIENT_SECRET": DEMO_CLIENT_SECRET,
        "OAUTH2_REDIRECT_URL": "http://localhost:8501/auth/callback",
        "BUCKET_API_URL": sandbox.api_url,
        "OAUTH2_TOKEN_URL": sandbox.url + "/oauth2/token",
        "OAUTH2_AUTH_URL": sandbox.url + "/oauth2/auth",
        "OAUTH2_PROFILE_URL": sandbox.url + "/userinfo",
        "OAUTH2_REVOKE_URL": sandbox.url + "/oauth2/revoke",
    }.items():
        monkeypatch.setenv(name, value)


def run(at: AppTest) -> AppTest:
    at.run(timeout=60)
    assert not at.exception, at.exception
    return at


def markdown_text(at: AppTest) -> str:
    return " ".join(m.value for m in at.markdown) + " ".join(m.value for m in at.sidebar.markdown)


def test_signed_out_shows_only_sign_in(app_env):
    at = run(AppTest.from_file(HOME, default_timeout=60))
    assert at.title[0].value == "Bucket Dashboard"
    assert "Sign in with Bucket" in markdown_text(at)
    assert any("Local sandbox" in i.value for i in at.info)
    assert "Things" not in [t.value for t in at.title]


def test_preset_session_shows_the_pages(app_env, sandbox):
    configured(app_env, sandbox)
    at = AppTest.from_file(HOME, default_timeout=60)
    at.session_state["auth"] = {
        "sid": None,
        "token": issue_token(sandbox.app, DEMO_EMAIL),
        "user": {"name": "Demo Designer", "email": DEMO_EMAIL},
    }
    run(at)
    assert at.title[0].value == "Things"  # the default page of a signed-in session
    sidebar = " ".join(m.value for m in at.sidebar.markdown) + " ".join(
        c.value for c in at.sidebar.caption
    )
    assert "Demo Designer" in sidebar and sandbox.api_url in sidebar and "Sign out" in sidebar
    at.switch_page("pages/account.py")
    run(at)
    assert at.title[0].value == "Account"


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        (
            {"OAUTH2_CLIENT_ID": "abc", "OAUTH2_CLIENT_AUTH_METHOD": "client_secret_post"},
            "OAUTH2_CLIENT_SECRET is missing",
        ),
        ({"OAUTH2_CLIENT_ID": "abc", "OAUTH2_CLIENT_AUTH_METHOD": "basic"}, "must be one of"),
        (
            {"OAUTH2_CLIENT_ID": "abc", "OAUTH2_CLIENT_SECRET": "s"},
            "OAUTH2_REDIRECT_URL is missing",
        ),
        (
            {
                "OAUTH2_CLIENT_ID": "abc",
                "OAUTH2_CLIENT_SECRET": "s",
                "OAUTH2_REDIRECT_URL": "http://localhost:8501/auth/callback",
                "OAUTH2_TOKEN_URL": "token-url",
            },
            "OAUTH2_TOKEN_URL is not a URL",
        ),
        (
            {
                "OAUTH2_CLIENT_ID": "abc",
                "OAUTH2_CLIENT_SECRET": "s",
                "OAUTH2_REDIRECT_URL": "http://localhost:8501/",
            },
            "must end with /auth/callback",
        ),
        (
            {
                "OAUTH2_CLIENT_ID": "abc",
                "OAUTH2_CLIENT_SECRET": "s",
                "OAUTH2_REDIRECT_URL": "http://localhost:8501/auth/callback",
                "BUCKET_API_URL": "http://bucket.example.org/api",
            },
            "plain http on a non-local host",
        ),
    ],
)
def test_configuration_errors_are_named_on_the_page(app_env, env, expected):
    for name, value in env.items():
        app_env.setenv(name, value)
    at = run(AppTest.from_file(HOME, default_timeout=60))
    assert at.title[0].value == "Bucket Dashboard needs its settings fixed"
    assert any(expected in e.value for e in at.error), [e.value for e in at.error]


def test_secrets_file_wins_and_defaults_are_the_real_bucket(tmp_path):
    secrets = tmp_path / "secrets.toml"
    secrets.write_text(
        'OAUTH2_CLIENT_ID = "from-secrets"\nOAUTH2_CLIENT_SECRET = "x"\n'
        'OAUTH2_REDIRECT_URL = "https://app.example.org/auth/callback"\n'
    )
    config = load_config(
        environ={"OAUTH2_CLIENT_ID": "from-env", "BUCKET_DATA_DIR": str(tmp_path)},
        secret_files=[secrets],
    )
    assert config.settings.client_id == "from-secrets" and config.source == "st.secrets"
    assert not config.sandbox and config.problems == ()
    assert config.settings.api_url == "https://dwd.tudelft.nl/bucket/api"
    assert config.settings.token_url == "https://dwd.tudelft.nl/oauth2/token"


def test_broken_secrets_file_is_reported(tmp_path):
    secrets = tmp_path / "secrets.toml"
    secrets.write_text("OAUTH2_CLIENT_ID = unquoted\n")
    config = load_config(environ={"BUCKET_DATA_DIR": str(tmp_path)}, secret_files=[secrets])
    assert any("secrets.toml cannot be read" in p for p in config.problems)


def test_a_token_that_cannot_be_refreshed_returns_to_sign_in(app_env, sandbox):
    import time

    import requests

    configured(app_env, sandbox)
    token = issue_token(sandbox.app, DEMO_EMAIL)
    requests.post(
        sandbox.url + "/oauth2/revoke",
        data={"token": token["refresh_token"]},
        auth=(quote_plus(DEMO_CLIENT_ID), quote_plus(DEMO_CLIENT_SECRET)),
        timeout=10,
    )
    at = AppTest.from_file(HOME, default_timeout=60)
    at.session_state["auth"] = {
        "sid": None,
        "token": {**token, "expires_at": time.time() - 5},
        "user": {"name": "Demo Designer", "sub": "revoked"},
    }
    run(at)
    assert at.title[0].value == "Bucket Dashboard"  # back on the sign-in page
    assert any("sign-in has ended" in w.value.replace("\\", "") for w in at.warning)
    assert "auth" not in at.session_state
