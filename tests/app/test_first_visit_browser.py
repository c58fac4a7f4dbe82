"""A fresh app process whose very first visit is a page's own address (a bookmark, a
copied link): before ``home.py`` has run once, Streamlit runs that page's script alone. The
page guards itself (no framework internal patched): the sign-in page, then the page."""

from __future__ import annotations

from ..app_server import AppServer
from ..browser import answer_provider


def test_a_first_visit_to_a_pages_address_asks_to_sign_in_and_comes_back(browser, tmp_path):
    app = AppServer(tmp_path / "app", {})
    try:
        context = browser.new_context(timezone_id="Europe/Amsterdam")
        page = context.new_page()
        page.goto(app.url + "/account")  # the process's first script run
        page.get_by_text("Sign in with Bucket").wait_for(timeout=30_000)
        body = page.inner_text("body")
        assert "Take your data home" not in body and "Please sign in first" not in body
        assert page.get_by_role("link", name="settings problem").count() == 0  # no v1 menu
        page.get_by_text("Sign in with Bucket").click()
        answer_provider(page)
        page.get_by_text("Take your data home").wait_for(timeout=30_000)
        assert page.url.rstrip("/").endswith("/account")
        context.close()
    finally:
        app.stop()


def test_a_pages_own_address_asks_nothing_that_is_not_there(browser, zero_config_app):
    """Opened at /shared, /explore and /account directly (Amsterdam): the page finds its
    server at once, with no 404 for /shared/_stcore/health or /host-config (the shared
    browser fixture fails on any 404 of the app's own, and on a console error)."""
    from ..browser import sign_in

    context = browser.new_context(timezone_id="Europe/Amsterdam")
    page = context.new_page()
    asked = []
    page.on("request", lambda request: asked.append(request.url))
    sign_in(page, zero_config_app.url)
    for path in ("shared", "explore", "account"):
        page.goto(f"{zero_config_app.url}/{path}")
        page.get_by_role("link", name="Things").first.wait_for(timeout=30_000)
    assert not [u for u in asked if "/shared/_stcore/" in u or "/explore/_stcore/" in u]
    context.close()
