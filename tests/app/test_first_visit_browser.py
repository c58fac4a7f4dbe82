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
