"""What a person waits for on Explore, measured in Chromium (issue 14): from a click to
the chart drawn and the page idle, for the demo accelerometer (108,000 rows), the demo
plant's two properties over 30 days, and a 1M-row property. Median and worst of 5 for
each, with the server's own request-to-figure time beside them.

"First chart" is a visit as it happens: a new browser (nothing in its caches) signs in,
reads the Things page, clicks Explore in the sidebar, picks the range, and chooses the
property in "Properties" (the pair: the second one, added to the first); the clock runs
from the click on that option. The app's cache is emptied before Explore opens (the
user's "something changed" version is moved on, as an upload does), so the chart's data
is fetched from Bucket. "Open by its address" is a full page load of a link, with the
server's cache warm, for comparison.

Goals on this machine, unloaded: first chart under 2 s, each change under 1 s.
    python -m bench.explore_browser_bench
"""

from __future__ import annotations

import json
import os
import statistics
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd
from playwright.sync_api import sync_playwright

from bench._sandbox import SandboxProcess
from bucket_client import BucketClient
from bucket_sandbox import start_sandbox, users
from bucket_sandbox.config import DEMO_CLIENT_ID, DEMO_CLIENT_SECRET
from bucket_sandbox.tokens import issue_token
from dashboard.hosting.file_store import FileStore
from tests.app_server import AppServer, free_port, provider_env
from tests.browser import CHROMIUM, FLAGS, SCRIPT_IDLE, settle, sign_in
from tests.explore.test_explore_page import CHAIR, PLANT_H, PLANT_T

REPEATS = 5


def painted(page) -> None:
    """Two animation frames: what the last render changed is on screen."""
    page.evaluate(
        "() => new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)))"
    )


def drawn(page, timeout: float = 60_000) -> None:
    """The chart is on the page and Streamlit has finished running."""
    page.locator(".js-plotly-plot").first.wait_for(timeout=timeout)
    settle(page, timeout)


SNAPSHOT = (
    "() => { const g = document.querySelector('.js-plotly-plot');"
    " return g && g.layout ? JSON.stringify([g.layout.xaxis.range,"
    " g._fullData.map(t => [t.type, t.x.length]),"
    " [...document.querySelectorAll('[data-testid=stCaptionContainer]')]"
    ".map(c => c.innerText).join('|')]) : ''; }"
)


def timed(action, page) -> float | None:
    """Seconds from the action to a different chart (its x range, its points or what its
    captions say) with the script finished and the result painted. Opening a page counts
    from the navigation. None when nothing changed (not a measurement)."""
    before = page.evaluate(SNAPSHOT) if page.url.startswith("http") else ""
    started = time.perf_counter()
    action()
    try:
        page.wait_for_function(
            f"(before) => {{ const now = ({SNAPSHOT})(); return now && now !== before"
            f" && {SCRIPT_IDLE}; }}",
            arg=before,
            timeout=30_000,
        )
    except Exception:  # nothing on the page changed (the same figure)
        return None
    painted(page)
    return time.perf_counter() - started


def choose(page, option: str):
    """Open the "Properties" multiselect and type, as a person does; returns the click on
    the option (the moment the person asks for the chart)."""
    box = page.get_by_role("combobox").first
    box.click()
    box.fill(option)
    found = page.get_by_role("option").filter(has_text=option).first
    found.wait_for()
    return found.click


def first_chart(browser, app_url: str, preset: str, options: list[str], forget) -> float | None:
    """A new visitor's first chart of a view, from the click on the (last) property.
    ``forget`` empties the app's cache for the user before Explore opens: their data has
    never been fetched (the pair: the second property is new, the first was just drawn)."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    try:
        sign_in(page, app_url)
        settle(page)
        page.wait_for_timeout(1500)  # a person reads the list of things
        forget()
        page.get_by_role("link", name="Explore").first.click()
        page.get_by_text("Choose one or more properties to chart.").wait_for()
        page.get_by_text(preset, exact=True).first.click()
        settle(page)
        for option in options[:-1]:
            choose(page, option)()
            drawn(page)
            page.keyboard.press("Escape")
        return timed(choose(page, options[-1]), page)
    finally:
        context.close()


QUIET_LOAD = 0.8  # the 1-minute load average, per machine, below which it counts as unloaded
QUIET_WAIT_S = 150


def quiet() -> float:
    """Wait (at most ``QUIET_WAIT_S``) for the machine to settle after writing a million rows,
    so that the figures are those of an unloaded machine; return the load average then."""
    deadline = time.monotonic() + QUIET_WAIT_S
    while os.getloadavg()[0] > QUIET_LOAD and time.monotonic() < deadline:
        time.sleep(5)
    return round(os.getloadavg()[0], 2)


def server_parts(client: BucketClient, ids: list[tuple[str, str]], days: int | None) -> dict:
    """The server's share of one view, outside the browser: fetch (no cache), build the
    figure, pack it for the chart element (what Streamlit sends), in seconds, and its size."""
    from dashboard.explore.chart_element import pack
    from dashboard.explore.charts import timeseries_figure
    from dashboard.explore.data import fetch

    props = [client.get_property(t, p) for t, p in ids]
    end = int(time.time() * 1000) + 60_000
    if days is None:
        spans = []
        for t, p in ids:
            weeks = client.count_per_interval(t, p, "1w")
            spans.append(int(weeks.index[0].value // 1_000_000))
        start = min(spans)
    else:
        start = end - days * 86_400_000
    t0 = time.perf_counter()
    views = [fetch(client, p, p.name, start, end, total_hint=None).view for p in props]
    t1 = time.perf_counter()
    figure = timeseries_figure(views, "overlay", "UTC", window=(start, end))
    t2 = time.perf_counter()
    body = pack(figure)
    t3 = time.perf_counter()
    return {
        "fetch_s": round(t1 - t0, 2),
        "figure_s": round(t2 - t1, 2),
        "figure_bytes_s": round(t3 - t2, 2),
        "figure_kb": round(len(body) / 1024),
    }


def summary(measured: list[float | None]) -> dict:
    seconds = [s for s in measured if s is not None]
    if not seconds:
        return {"no visible change": len(measured)}
    return {
        "unchanged_runs": len(measured) - len(seconds),
        "median_s": round(statistics.median(seconds), 2),
        "worst_s": round(max(seconds), 2),
        "runs": [round(s, 2) for s in seconds],
    }


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        tmp = Path(folder)
        port = free_port()
        callback = f"http://localhost:{port}/auth/callback"
        bucket = start_sandbox(
            str(tmp / "bucket.db"), redirect_uris=(callback,), rate_limit_per_minute=10**6
        )
        client = BucketClient(bucket.api_url, issue_token(bucket.app, "demo@bucket.sandbox"))
        thing = client.create_thing("Bench", "Logger")
        prop = client.create_property(thing.id, "Million", "TEMPERATURE")
        end = pd.Timestamp.now(tz="UTC").floor("min").value // 1_000_000
        stamps = end - np.arange(1_000_000)[::-1] * 1_000
        frame = pd.DataFrame(
            {"Temperature": np.round(20 + np.sin(np.arange(1_000_000) / 5_000), 3)},
            index=pd.DatetimeIndex(stamps.astype("datetime64[ms]"), name="timestamp").tz_localize(
                "UTC"
            ),
        )
        client.write_values(thing.id, prop.id, frame, prop=prop)
        token = issue_token(bucket.app, "demo@bucket.sandbox")
        base_path = bucket.config.base_path
        bucket.stop()
        # Bucket in a process of its own, as the real one is (not sharing this one's GIL)
        bucket = SandboxProcess(tmp / "bucket.db", (callback,))
        api_url = bucket.url + base_path
        client = BucketClient(api_url, token)
        env = provider_env(bucket.url, api_url, DEMO_CLIENT_ID, DEMO_CLIENT_SECRET, callback)
        app = AppServer(tmp / "app", env, port=port)
        person = users.person_id("demo@bucket.sandbox")
        store = FileStore(tmp / "app")

        def forget() -> None:  # what an upload by this person does to the app's cache
            store.put("version:" + person, str(time.time_ns()).encode())

        firsts = {
            "demo accelerometer, all data (108,000 rows)": ("All data", ["Frame accelerometer"]),
            "plant pair, 30 days": ("Last 30 days", ["Soil temperature", "Air humidity"]),
            "1M-row property, all data": ("All data", ["Million"]),
        }
        views = {
            "demo accelerometer, all data (108,000 rows)": f"p={CHAIR}&range=all",
            "plant pair, 30 days": f"p={PLANT_T},{PLANT_H}&range=30d",
            "1M-row property, all data": f"thing={thing.id}&property={prop.id}&range=all",
        }
        pairs = {
            "demo accelerometer, all data (108,000 rows)": ([CHAIR.split("~")], None),
            "plant pair, 30 days": ([PLANT_T.split("~"), PLANT_H.split("~")], 30),
            "1M-row property, all data": ([(thing.id, prop.id)], None),
        }
        results: dict = {"bench": "explore_browser", "goal": "first chart < 2 s, change < 1 s"}
        results["load average before (1 min)"] = quiet()
        try:
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS, headless=True)
                first = {
                    name: summary(
                        [
                            first_chart(browser, app.url, *firsts[name], forget)
                            for _ in range(REPEATS)
                        ]
                    )
                    for name in views
                }
                context = browser.new_context(viewport={"width": 1400, "height": 1000})
                page = context.new_page()
                sign_in(page, app.url)
                for name, query in views.items():
                    url = f"{app.url}/explore?{query}"
                    opened = []
                    for _ in range(REPEATS):
                        page.goto("about:blank")
                        opened.append(timed(lambda u=url: page.goto(u), page))
                    ranges = []
                    for preset in ["Last 7 days", "All data"] * 3:
                        if len(ranges) == REPEATS:
                            break

                        def choose(preset=preset):
                            page.get_by_text(preset, exact=True).first.click()

                        try:
                            ranges.append(timed(choose, page))
                        except Exception:  # a control this view does not show
                            break
                    # back to the view's own range: Raw points is toggled on the view named
                    page.get_by_text(firsts[name][0], exact=True).first.click()
                    settle(page)
                    toggles = [
                        timed(lambda: page.get_by_text("Raw points").first.click(), page)
                        for _ in range(REPEATS)
                    ]
                    results[name] = {
                        "server side (fetch, figure, bytes; no cache)": server_parts(
                            client, *pairs[name]
                        ),
                        "first chart (a new visitor chooses the property; nothing cached)": first[
                            name
                        ],
                        "open by its address (full page load; first is cold)": summary(opened),
                        "change the range": summary(ranges) if ranges else "not measured",
                        "toggle raw points (on, off, on...)": summary(toggles),
                    }
                browser.close()
        finally:
            app.stop()
            bucket.stop()
        print(json.dumps(results, indent=1))


if __name__ == "__main__":
    main()
