"""The "Requests per page view" table (docs/code.md) table, measured: a person in Chromium goes through
the app while a counting proxy in front of a real sandbox (demo data) notes every request
that reaches Bucket's API. Each row of the table is one step here."""

from __future__ import annotations

import threading
import time

import pytest

from ..app_server import app_on_own_sandbox
from ..browser import create_thing, open_csv, settle, sign_in
from ..explore.test_explore_page import PLANT_T, demo_id
from ..faults import FaultProxy

# The "Requests per page view" table (docs/code.md) rows, as this test walks them (demo data).
README_TABLE = {
    "things list, cold": 1,  # /things/count: every thing with its properties' counts
    "things list, warm": 0,  # cached 30 s per user
    # the thing, one /last each, /types, and the temperature's newest value read by name (its
    # measurement holds an earlier field, "Kelvin", as on a Bucket with history)
    "one thing, 2 properties with data, cold": 5,
    "explore one small property, 7 days, cold": 1,  # its values: its count is known
    "explore, same view within the minute": 0,  # the preset's end rounded to the minute
    # a property small enough to read raw is read whole, once: its span is its rows' (the
    # span by counts per week and minute and the edges' raw values was 5 requests more)
    "explore, all data": 1,
    "explore, Raw points turned on": 0,  # every row was fetched already: drawn, not re-read
    # write order, 3 bodies under 100 KB, read back, /last and its value by name, the count
    # the page states after the write
    "upload 5,000 rows (1 dimension)": 8,
    "another user's new thing, types known": 0,  # /types: once per replica, not per user
}


class Counter:
    """Every API request through the proxy, as (method, path without query)."""

    CACHE_S = 30  # the app keeps lists and a thing's detail this long (dashboard/shared/data.py)
    CACHED = {"/things/count", "/things/{thing}"}

    def __init__(self):
        self.seen: list[tuple[str, str]] = []
        self.refreshes: list[tuple[str, str]] = []
        self._last: dict[tuple[str, str], float] = {}
        self._last_write = float("-inf")  # a write makes the app read its lists afresh
        self._lock = threading.Lock()

    def __call__(self, _n: int, method: str, path: str) -> str:
        """Counts a request, unless it is a cached read asked again only because its 30 s ran
        out (a slow machine's walk crosses that boundary, as CI's did: not a cost of the view
        being counted). A read again after a write is counted: the write made it."""
        request = (method, self.route(path.split("?")[0]))
        now = time.monotonic()
        with self._lock:
            earlier = self._last.get(request)
            self._last[request] = now
            if method != "GET":
                self._last_write = now
            expired = (
                request[1] in self.CACHED
                and earlier is not None
                and now - earlier >= self.CACHE_S
                and self._last_write < earlier  # not read again because of a write
            )
            (self.refreshes if expired else self.seen).append(request)
        return "pass"

    @staticmethod
    def route(path: str) -> str:
        """``/things/{thing}/properties/{property}/count``: ids replaced by their kind."""
        parts = path.split("/bucket/api", 1)[-1].split("/")
        return "/".join(
            "{" + p.split(":")[1][:-1] + "}" if p.startswith("dcd:") else p for p in parts
        )

    def take(self) -> list[tuple[str, str]]:
        with self._lock:
            taken, self.seen = self.seen, []
        return taken


@pytest.fixture(scope="module")
def counted_app(tmp_path_factory):
    counter = Counter()
    proxies = []

    def through_proxy(bucket) -> str:
        proxies.append(FaultProxy(int(bucket.url.rsplit(":", 1)[1]), counter))
        return bucket.api_url.replace(bucket.url, proxies[0].url)

    app, bucket = app_on_own_sandbox(tmp_path_factory.mktemp("counted"), through_proxy)
    yield app, counter
    app.stop()
    proxies[0].stop()
    bucket.stop()


def test_requests_per_view_match_the_readme(browser, counted_app, tmp_path):
    app, counter = counted_app
    context = browser.new_context(viewport={"width": 1300, "height": 1000})
    page = context.new_page()
    sign_in(page, app.url)
    page.get_by_text("Plant").first.wait_for()
    settle(page)
    steps = {"things list, cold": counter.take()}
    page.reload()
    page.get_by_text("Plant").first.wait_for()
    settle(page)
    steps["things list, warm"] = counter.take()

    page.goto(f"{app.url}/things?thing={demo_id('things', 'plant')}")
    page.get_by_text("Soil temperature").first.wait_for()
    settle(page)
    steps["one thing, 2 properties with data, cold"] = counter.take()

    def chart(open_it) -> list[tuple[str, str]]:
        open_it()
        page.locator(".js-plotly-plot").first.wait_for(timeout=30_000)
        settle(page)
        return counter.take()

    # the preset's end is the next whole minute: the reload must be the same view, so the
    # pair is taken again, cold in the new window, when a minute boundary fell between them
    # (no waiting for a fresh minute: a third of runs waited 20 s or more for it)
    for _ in range(3):
        minute = int(time.time() // 60)
        cold = chart(lambda: page.goto(f"{app.url}/explore?p={PLANT_T}&range=7d"))
        warm = chart(page.reload)
        if int(time.time() // 60) == minute:
            break
        page.goto(f"{app.url}/things")  # away, so that the next goto is a fresh load
        settle(page)
        counter.take()
    steps["explore one small property, 7 days, cold"] = cold
    steps["explore, same view within the minute"] = warm
    steps["explore, all data"] = chart(
        lambda: page.goto(f"{app.url}/explore?p={PLANT_T}&range=all")
    )

    def raw_points() -> None:
        page.get_by_text("Raw points").first.click()
        page.get_by_text("every one drawn").first.wait_for()

    steps["explore, Raw points turned on"] = chart(raw_points)

    csv_file = tmp_path / "soil.csv"
    csv_file.write_text(
        "time,Temperature\n"
        + "".join(f"{1_600_000_000 + i},{20 + i % 50 / 10}\n" for i in range(5000))
    )
    open_csv(
        page, app.url, demo_id("things", "plant"), demo_id("properties", "plant-temp"), csv_file
    )
    settle(page)
    counter.take()  # opening Upload: the things list and the property, from the cache or not
    page.get_by_role("button", name="Write 5,000 rows").click()
    page.get_by_text("5,000 rows written and verified").first.wait_for(timeout=60_000)
    settle(page)
    steps["upload 5,000 rows (1 dimension)"] = counter.take()
    context.close()

    # another student on the same replica: the type catalogue is the same for everyone,
    # so their first thing page does not ask for it again
    other = browser.new_context(viewport={"width": 1300, "height": 1000})
    page = other.new_page()
    sign_in(page, app.url, "alex@bucket.sandbox", "alex-password")
    create_thing(page, "Alex's logger", "Logger")
    settle(page)
    steps["another user's new thing, types known"] = [
        r for r in counter.take() if r == ("GET", "/types")
    ]
    other.close()
    measured = {step: len(requests) for step, requests in steps.items()}
    print(measured)
    assert measured == README_TABLE, "\n".join(f"{k}: {len(v)} {v}" for k, v in steps.items())
    assert steps["one thing, 2 properties with data, cold"][-1] == ("GET", "/types")
    assert [m for m, _ in steps["upload 5,000 rows (1 dimension)"]].count("PUT") == 3
