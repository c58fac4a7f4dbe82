"""A hosted service's restart (Streamlit's hosted service, a Space): the app comes back on
a wiped disk with the same secrets. A person's browser still has its session cookie; the
sign-in page says the app forgot its sign-ins (until the person signs in again, which
replaces the cookie), and signing in again works (a laptop in Amsterdam)."""

from __future__ import annotations

import shutil

import pytest

from ..app_server import AppServer
from ..browser import sign_in

# beside the widget-typing browser tests (conftest): clicks and filled fields only
pytestmark = pytest.mark.xdist_group("network-layouts")
SECRETS = {"COOKIE_SECRET": "hosted-restart-test-secret-0123456789abcdef"}
SAID = "This app no longer knows your sign-in on this browser"


def test_after_a_restart_on_a_wiped_disk_the_sign_in_page_says_so(browser, tmp_path):
    browser.allow(
        r"ERR_CONNECTION_REFUSED|when disconnected from server|dynamically imported module",
        "the app restarts under the open page, on purpose: it cannot load or rerun then",
    )
    app = AppServer(tmp_path / "app", SECRETS)
    try:
        context = browser.new_context(timezone_id="Europe/Amsterdam")
        page = context.new_page()
        sign_in(page, app.url)
        app.stop()
        shutil.rmtree(tmp_path / "app")  # the disk, wiped
        app = AppServer(tmp_path / "app", SECRETS, port=app.port)
        page.goto(app.url + "/things")
        page.get_by_text(SAID).wait_for(timeout=30_000)
        sign_in(page, app.url)  # signing in again works, and replaces the cookie
        page.goto(app.url + "/things")
        page.get_by_role("link", name="Things").first.wait_for(timeout=30_000)
        assert page.get_by_text(SAID).count() == 0
        context.close()
    finally:
        app.stop()
