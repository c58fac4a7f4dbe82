"""The whole sign-in in a real browser (Debian's Chromium driven by Playwright)."""

from __future__ import annotations

import pytest
import requests

from bucket_sandbox import start_sandbox
from bucket_sandbox.config import DEMO_CLIENT_ID, DEMO_CLIENT_SECRET
from dashboard.hosting.file_store import FileStore
from dashboard.signin.session_store import SessionStore

from ..app_server import AppServer, free_port, new_property, provider_env
from ..browser import create_thing, open_csv, sign_in, signed_in


def stored_tokens(data_dir) -> list[str]:
    secret = (data_dir / "cookie-secret").read_text().strip()
    store = SessionStore(FileStore(data_dir), secret)
    return [token["access_token"] for token in store.tokens()]


def test_zero_config_sign_in_reload_sign_out(browser, zero_config_app):
    context = browser.new_context()
    page = context.new_page()
    page.goto(zero_config_app.url)
    page.get_by_text("Local sandbox").first.wait_for()
    sign_in(page, zero_config_app.url)
    assert "code=" not in page.url and "state=" not in page.url
    page.get_by_role("link", name="Things").first.wait_for()
    cookies = {c["name"]: c for c in context.cookies()}
    assert cookies["bucket_session"]["httpOnly"] is True
    assert page.evaluate("document.cookie").find("bucket_session") == -1
    # the access token never reaches the page
    tokens = stored_tokens(zero_config_app.data_dir)
    assert tokens and all(t not in page.content() for t in tokens)
    assert all(t not in str(context.cookies()) for t in tokens)
    page.reload()
    page.get_by_text("Demo Designer").first.wait_for()
    second = context.new_page()  # a second tab of the same browser
    second.goto(zero_config_app.url)
    second.get_by_text("Demo Designer").first.wait_for()
    second.close()
    api = zero_config_app.url + "/sandbox/bucket/api/things"
    assert (
        requests.get(api, headers={"Authorization": "Bearer " + tokens[0]}, timeout=10).status_code
        == 200
    )
    page.get_by_role("button", name="Sign out").first.click()
    page.get_by_text("Sign in with Bucket").wait_for()
    page.get_by_text("You are signed out").wait_for()
    assert stored_tokens(zero_config_app.data_dir) == []
    revoked = requests.get(api, headers={"Authorization": "Bearer " + tokens[0]}, timeout=10)
    assert revoked.status_code == 403  # sign-out revoked the token at the provider
    page.reload()
    page.get_by_text("Sign in with Bucket").wait_for()
    context.close()


@pytest.mark.parametrize("method", ["client_secret_basic", "client_secret_post", "none"])
def test_sign_in_with_each_kind_of_lab_client(browser, tmp_path, method):
    """The lab registers clients three ways and Hydra accepts only the registered one:
    each is a lab-style id with a colon (and, with a secret, '+', '/' and ':' in it)."""
    port = free_port()
    callback = f"http://localhost:{port}/auth/callback"
    bucket = start_sandbox(str(tmp_path / "real.db"), redirect_uris=(callback,))
    client_id = f"clients:app-{method}"
    secret = "" if method == "none" else "lab+secret/with:odd=chars"
    bucket.register_client(client_id, secret, (callback,), auth_method=method)
    env = provider_env(
        bucket.url,
        bucket.api_url,
        client_id,
        secret,
        callback,
        OAUTH2_CLIENT_AUTH_METHOD=method,
    )
    app = AppServer(tmp_path / "app", env, port=port)
    try:
        context = browser.new_context()
        page = context.new_page()
        page.goto(app.url)
        assert "Local sandbox" not in page.content()
        sign_in(page, app.url)
        assert page.url.startswith(app.url) and "code=" not in page.url
        page.get_by_text(bucket.api_url).first.wait_for()
        page.get_by_role("button", name="Sign out").first.click()
        page.get_by_text("You are signed out").wait_for()
        context.close()
    finally:
        app.stop()
        bucket.stop()


def test_create_a_thing_and_a_property_in_the_ui(browser, zero_config_app):
    context = browser.new_context(viewport={"width": 1300, "height": 1000})
    page = context.new_page()
    signed_in(page, zero_config_app.url)
    page.get_by_role("button", name="New thing").click()
    page.get_by_label("Name").fill("Browser lamp")
    page.get_by_label("Type").fill("Lamp")
    page.get_by_role("button", name="Create thing").click()
    page.get_by_role("heading", name="Browser lamp").wait_for()
    assert "thing=dcd%3Athings%3A" in page.url or "thing=dcd:things:" in page.url
    page.get_by_role("combobox").first.click()
    page.keyboard.type("Accelerometer")
    page.keyboard.press("Enter")
    page.get_by_text("acceleration-x").wait_for()  # the preview of dimensions and units
    page.get_by_label("Property name").fill("Frame")
    page.get_by_role("button", name="Create property").click()
    page.get_by_text("Frame", exact=True).wait_for()
    page.get_by_text("0 data points", exact=True).first.wait_for()
    context.close()


def test_explore_shows_the_chart(browser, zero_config_app):
    from ..explore.test_explore_page import CHAIR

    context = browser.new_context(viewport={"width": 1300, "height": 1000})
    page = context.new_page()
    signed_in(page, zero_config_app.url, f"/explore?p={CHAIR}&range=all")
    page.locator(".js-plotly-plot").first.wait_for(timeout=30_000)
    for dim in "xyz":
        page.get_by_text(f"Wheelchair prototype · Frame accelerometer · {dim}").first.wait_for()
    page.get_by_text("108,000 points").first.wait_for()
    context.close()


def test_upload_a_csv_and_see_it_verified(browser, zero_config_app, tmp_path):
    client, thing, prop = new_property(zero_config_app, "CSV target", "Soil", "TEMPERATURE")
    csv_file = tmp_path / "soil.csv"
    csv_file.write_text(
        "time;Temperature\n" + "".join(f"{1_700_000_000 + i};{20 + i / 100}\n" for i in range(1000))
    )

    context = browser.new_context(viewport={"width": 1300, "height": 1000})
    page = context.new_page()
    signed_in(page, zero_config_app.url)
    open_csv(page, zero_config_app.url, thing.id, prop.id, csv_file)
    page.get_by_role("button", name="Write 1,000 rows to Soil").click()
    page.get_by_text("1,000 rows written and verified").first.wait_for(timeout=60_000)
    assert client.count_values(thing.id, prop.id) == 1000
    context.close()


def test_a_sign_in_without_a_needed_scope_is_named_with_the_fix(browser, tmp_path):
    """Bucket only says "not active" for a token that lacks a scope; the page says which."""
    port = free_port()
    callback = f"http://localhost:{port}/auth/callback"
    bucket = start_sandbox(str(tmp_path / "real.db"), redirect_uris=(callback,))
    env = provider_env(
        bucket.url,
        bucket.api_url,
        DEMO_CLIENT_ID,
        DEMO_CLIENT_SECRET,
        callback,
        OAUTH2_SCOPE="openid profile email offline dcd:things dcd:properties",
    )
    app = AppServer(tmp_path / "app", env, port=port)
    try:
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        page = context.new_page()
        sign_in(page, app.url)
        create_thing(page, "Scoped lamp", "Lamp")
        page.get_by_text("New property").click()
        page.get_by_text("does not include the dcd:types scope").wait_for()
        page.get_by_text("add dcd:types to OAUTH2_SCOPE").wait_for()
        page.get_by_text("Scoped lamp").first.wait_for()  # still signed in, still working
        context.close()
    finally:
        app.stop()
        bucket.stop()


def test_an_injected_error_description_shows_as_text(browser, zero_config_app):
    """The callback's error_description is the provider's (or an attacker's) words:
    shown as typed, never as a link or an image."""
    context = browser.new_context()
    page = context.new_page()
    evil = "[click here](http://evil.example/steal) ![x](http://evil.example/pixel.png)"
    page.goto(
        zero_config_app.url
        + "/auth/callback?error=access_denied&error_description="
        + requests.utils.quote(evil)
    )
    page.get_by_text("Sign-in was not completed").wait_for()
    page.get_by_text("The sign-in page said: [click here](http://evil.example/steal)").wait_for()
    assert page.locator("a[href*='evil.example'], img[src*='evil.example']").count() == 0
    context.close()
