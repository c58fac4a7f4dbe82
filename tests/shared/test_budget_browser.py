"""Bucket's request budget, shared by everyone on the app's address, in Chromium: the sidebar
says what Bucket reports is left, and live mode (background work) gives way when it is low,
before a person's click would wait."""

from __future__ import annotations

import re
import time

import numpy as np
import pandas as pd

from bucket_client import BucketClient
from bucket_sandbox.tokens import issue_token

from ..app_server import app_on_own_sandbox
from ..browser import settle, sign_in
from ..conftest import DEMO_EMAIL

LIMIT = 60


def test_the_sidebar_shows_the_budget_and_live_mode_gives_way_when_it_is_low(browser, tmp_path):
    app, bucket = app_on_own_sandbox(tmp_path, rate_limit_per_minute=LIMIT, demo_data=False)
    try:
        setup = BucketClient(bucket.api_url, issue_token(bucket.app, DEMO_EMAIL))
        thing = setup.create_thing("Greenhouse", "Logger")
        prop = setup.create_property(thing.id, "Soil", "TEMPERATURE")
        now = pd.Timestamp.now(tz="UTC").floor("s")
        index = pd.date_range(end=now, periods=300, freq="10s", name="timestamp")
        setup.write_values(
            thing.id, prop.id, pd.DataFrame({"Temperature": np.linspace(18, 22, 300)}, index)
        )
        context = browser.new_context(viewport={"width": 1400, "height": 1000})
        page = context.new_page()
        sign_in(page, app.url)
        shown = page.get_by_text(re.compile(rf"[\d,]+ of {LIMIT} Bucket requests left"))
        shown.first.wait_for(timeout=30_000)

        # others on the same address spend it (here: the test's own client), in one window
        remaining, _, reset_s = setup.transport.budget.snapshot()
        if reset_s < 25:
            time.sleep(reset_s + 1)
        while (setup.transport.budget.snapshot()[0] or LIMIT) > 12:
            setup.list_things()
        page.goto(f"{app.url}/explore?thing={thing.id}&property={prop.id}&range=1h")
        page.locator(".js-plotly-plot").first.wait_for(timeout=30_000)
        settle(page)
        page.get_by_text("(low: background refresh slowed)").wait_for(timeout=30_000)
        page.get_by_text("Live", exact=True).click()
        page.get_by_text("live refresh fetches at most every 60 s").wait_for(timeout=30_000)
        page.get_by_text("Refresh every").wait_for()
        context.close()
    finally:
        app.stop()
        bucket.stop()


def test_download_everything_leaves_half_the_budget_and_another_persons_page_loads(
    browser, tmp_path
):
    """30 requests per 5-second window: a person's "Download everything" (8 properties,
    more requests than a window holds) pauses whenever half the window is spent, and says
    so; meanwhile another person, on the same app and so the same address, signs in and
    their Things page loads. The zip then holds every property."""
    import io
    import zipfile

    from bucket_sandbox.users import add_user

    app, bucket = app_on_own_sandbox(
        tmp_path, rate_limit_per_minute=30, rate_limit_window_seconds=5, demo_data=False
    )
    try:
        with bucket.app.extensions["bucket_sandbox"].db.connect() as conn:
            add_user(conn, "sam@class.test", "Sam", "sam-password")
        setup = BucketClient(bucket.api_url, issue_token(bucket.app, DEMO_EMAIL))
        index = pd.date_range("2026-11-01", periods=3 * 24, freq="h", tz="UTC", name="timestamp")
        for n in range(2):
            thing = setup.create_thing(f"Greenhouse {n + 1}", "Logger")
            for m in range(4):
                prop = setup.create_property(thing.id, f"Bed {m + 1}", "TEMPERATURE")
                setup.write_values(
                    thing.id, prop.id, pd.DataFrame({"Temperature": np.arange(72.0)}, index)
                )
        sams = BucketClient(bucket.api_url, issue_token(bucket.app, "sam@class.test"))
        sams.create_thing("Sam's bike", "Bike")
        time.sleep(5.5)  # the set-up's window is over

        mine = browser.new_context(viewport={"width": 1300, "height": 1000})
        page = mine.new_page()
        sign_in(page, app.url)
        page.get_by_role("link", name="Account").first.click()
        page.get_by_role("button", name="Download everything").click()
        page.get_by_text("leaves half of its requests to everyone else").wait_for(timeout=60_000)

        other = browser.new_context(viewport={"width": 1300, "height": 1000})
        sams_page = other.new_page()
        sign_in(sams_page, app.url, "sam@class.test", "sam-password")
        sams_page.get_by_text("Sam's bike").first.wait_for(timeout=20_000)
        assert sams_page.get_by_text("request budget for this server is spent").count() == 0
        other.close()

        link = page.get_by_role("link", name="Download the zip")
        link.wait_for(timeout=120_000)
        with page.expect_download() as download:
            link.click()
        names = zipfile.ZipFile(io.BytesIO(download.value.path().read_bytes())).namelist()
        assert len([n for n in names if n.endswith(".csv")]) == 8
        mine.close()
    finally:
        app.stop()
        bucket.stop()
