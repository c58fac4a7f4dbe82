"""A sign-in that ends in the middle of an upload, in Chromium: the provider revokes the
chain while a CSV is being written. The page must send the student to sign in (not loop
on "press the button again"), say which rows are stored, and resume after sign-in with
every row stored exactly once (counted through the API, not through the page)."""

from __future__ import annotations

import sqlite3

from bucket_client import BucketClient
from bucket_sandbox.tokens import issue_token

from ..app_server import app_on_own_sandbox
from ..browser import allow_if_asked, soil_csv
from ..conftest import DEMO_EMAIL
from ..faults import FaultProxy

ROWS = 20_000


def sign_in_again(page, app_url: str) -> None:
    """The provider may remember who signed in: fill the form only when it asks."""
    page.get_by_text("Sign in with Bucket").click()
    # the provider asks who it is, or whether to allow access, or neither (it remembers
    # both): then the app's menu is back at once
    asked = page.get_by_label("Email").or_(page.get_by_role("button", name="Allow access"))
    asked.or_(page.get_by_role("link", name="Things")).first.wait_for(timeout=30_000)
    if page.get_by_label("Email").count():
        page.get_by_label("Email").fill(DEMO_EMAIL)
        page.get_by_label("Password").fill("demo-password")
        page.get_by_role("button", name="Sign in").click()
    allow_if_asked(page)


def test_a_sign_in_revoked_mid_upload_asks_to_sign_in_and_resumes(browser, tmp_path):
    db = tmp_path / "bucket.db"
    puts = {"n": 0, "revoke_at": 3}
    holder = {}

    def revoke_app_tokens() -> None:
        """The provider ends every sign-in but the test's own."""
        with sqlite3.connect(db) as conn:
            conn.execute(
                "UPDATE tokens SET access_revoked = 1, refresh_revoked = 1 WHERE access_token != ?",
                (holder["setup"]["access_token"],),
            )

    def plan(_number: int, method: str, path: str) -> str:
        if method == "PUT" and "/properties/" in path:
            puts["n"] += 1
            if puts["n"] == puts["revoke_at"]:
                revoke_app_tokens()
        return "pass"

    proxies = []

    def through_proxy(bucket) -> str:
        proxies.append(FaultProxy(int(bucket.url.rsplit(":", 1)[1]), plan))
        return bucket.api_url.replace(bucket.url, proxies[0].url)

    app, bucket = app_on_own_sandbox(tmp_path, through_proxy)
    setup_token = holder["setup"] = issue_token(bucket.app, DEMO_EMAIL)  # never revoked
    setup = BucketClient(bucket.api_url, setup_token)
    thing = setup.create_thing("Greenhouse", "Logger")
    prop = setup.create_property(thing.id, "Soil", "TEMPERATURE")
    csv_file = soil_csv(tmp_path / "soil.csv", ROWS)
    try:
        context = browser.new_context(viewport={"width": 1300, "height": 1000})
        page = context.new_page()
        page.goto(app.url)
        sign_in_again(page, app.url)
        page.goto(f"{app.url}/upload?thing={thing.id}&property={prop.id}")
        page.get_by_role("tab", name="CSV file").click()
        page.locator("input[type=file]").set_input_files(str(csv_file))
        page.get_by_role("button", name=f"Write {ROWS:,} rows to Soil").click()

        ended = page.get_by_text("Your Bucket sign-in has ended")
        ended.first.wait_for(timeout=60_000)
        page.get_by_text("Sign in with Bucket").wait_for()
        message = ended.first.inner_text()
        stored_before = setup.count_values(thing.id, prop.id)
        assert 0 < stored_before < ROWS
        assert f"Rows 1 to {stored_before:,} of {ROWS:,} were stored" in message
        assert "Press the button again" not in page.content()

        sign_in_again(page, app.url)
        page.goto(f"{app.url}/upload?thing={thing.id}&property={prop.id}")
        page.get_by_role("tab", name="CSV file").click()
        page.locator("input[type=file]").set_input_files(str(csv_file))
        page.get_by_text(f"rows 1 to {stored_before:,} of {ROWS:,} are stored").wait_for()
        page.get_by_role(
            "button", name=f"Resume: write the remaining {ROWS - stored_before:,}"
        ).click()
        page.get_by_text(f"{ROWS:,} rows written and verified").first.wait_for(timeout=60_000)
        assert setup.count_values(thing.id, prop.id) == ROWS

        revoke_app_tokens()  # again, and now a page that only reads: Explore
        page.goto(
            f"{app.url}/explore?thing={thing.id}&property={prop.id}"
            f"&range=custom&from=1700000000000&to=1700003600000"
        )
        page.get_by_text("Your Bucket sign-in has ended").first.wait_for(timeout=60_000)
        page.get_by_text("Sign in with Bucket").wait_for()
        context.close()
    finally:
        app.stop()
        proxies[0].stop()
        bucket.stop()
