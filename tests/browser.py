"""What browser tests share: Debian's Chromium under Playwright, and signing in as a
person does (the provider's own pages, by label and role)."""

from __future__ import annotations

import os

import pytest

CHROMIUM = "/usr/bin/chromium"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]


@pytest.fixture(scope="session")
def browser():
    if not os.path.exists(CHROMIUM):
        if os.environ.get("CI"):
            pytest.fail("Debian's chromium is missing: apt-get install -y chromium")
        pytest.skip("browser tests need Debian's chromium (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        instance = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS, headless=True)
        yield instance
        instance.close()


def sign_in(
    page, app_url: str, email: str = "demo@bucket.sandbox", password: str = "demo-password"
) -> None:
    page.goto(app_url)
    page.get_by_text("Sign in with Bucket").click()
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("button", name="Allow access").click()
    page.get_by_role("link", name="Things").first.wait_for(timeout=30_000)


def settle(page) -> None:
    """Wait until the page has finished running (Streamlit shows "Running..." meanwhile)."""
    page.wait_for_timeout(300)
    page.get_by_text("Running...").wait_for(state="hidden", timeout=30_000)
