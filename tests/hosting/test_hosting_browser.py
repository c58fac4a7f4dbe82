"""A hosted class with the real parts (issue 15): two app replicas (``streamlit run``)
sharing a Debian ``redis-server``, behind Debian's ``nginx`` configured from
``deploy/nginx.conf``, signing in with a sandbox. Chromium does what a student does; which
replica answered is read from a header the test's nginx adds, stored data through the API.
"""

from __future__ import annotations

import json
import secrets
import time
from dataclasses import dataclass, field

import pytest
import requests

from bucket_client import BucketClient
from bucket_sandbox import start_sandbox
from bucket_sandbox.config import DEMO_CLIENT_ID, DEMO_CLIENT_SECRET
from bucket_sandbox.tokens import issue_token
from dashboard.hosting.redis_store import RedisStore
from dashboard.signin.session_store import SessionStore

from ..app_server import AppServer, free_port, provider_env
from ..browser import create_thing, open_csv, settle, sign_in, soil_csv
from ..conftest import DEMO_EMAIL
from ..faults import FaultProxy
from ..hosting_tools import REPLICA_COOKIE, Nginx, RedisServer

TOKEN_LIFE_S = 20
ROWS = 20_000


@dataclass
class Hosted:
    redis: RedisServer
    nginx: Nginx
    apps: list[AppServer]
    bucket: object
    cookie_secret: str
    token_proxy: FaultProxy
    api_proxy: FaultProxy
    slow: dict = field(default_factory=dict)
    keys: dict[int, str] = field(default_factory=dict)  # replica index -> sticky cookie

    @property
    def setup(self) -> BucketClient:
        """The test's own client, straight to the sandbox (a fresh token: they live 20 s)."""
        return BucketClient(self.bucket.api_url, issue_token(self.bucket.app, DEMO_EMAIL))

    def replica(self, response) -> int:
        address = response.headers["x-replica"]
        return next(i for i, a in enumerate(self.apps) if address.endswith(f":{a.port}"))

    def browser_on(self, browser, index: int, cookies=()):
        """A browser context whose sticky cookie sends it to replica ``index``."""
        context = browser.new_context(viewport={"width": 1300, "height": 1000})
        context.add_cookies(
            [{"name": REPLICA_COOKIE, "value": self.keys[index], "url": self.nginx.url}]
            + [c for c in cookies if c["name"] != REPLICA_COOKIE]
        )
        return context

    def signed_in_on(self, browser, index: int):
        """A new browser, sent to replica ``index``, signed in: ``(context, page)``."""
        context = self.browser_on(browser, index)
        page = context.new_page()
        sign_in(page, self.nginx.url)
        return context, page

    def signed_in_on_both(self, browser):
        """One sign-in open in two tabs: one through replica 0, one through replica 1 (its
        Things page loaded). ``(first context, page on 0, second context, page on 1)``."""
        first, page_a = self.signed_in_on(browser, 0)
        second = self.browser_on(browser, 1, first.cookies())
        page_b = second.new_page()
        page_b.goto(self.nginx.url + "/things")
        page_b.get_by_role("button", name="New thing").wait_for(timeout=30_000)
        settle(page_b)
        return first, page_a, second, page_b

    def tokens(self) -> list[dict]:
        return SessionStore(RedisStore(self.redis.url), self.cookie_secret).tokens()

    def someone_changed_everything(self) -> None:
        """What a change elsewhere does: every user's cached lists are stale (the next load
        asks Bucket, so it needs a valid token)."""
        store = RedisStore(self.redis.url)
        for record in SessionStore(store, self.cookie_secret).records():
            store.put("version:" + record["user"]["sub"], str(time.time_ns()).encode())


@pytest.fixture(scope="module")
def hosted(tmp_path_factory):
    folder = tmp_path_factory.mktemp("hosted")
    redis = RedisServer(folder / "redis")
    nginx_port = free_port()
    callback = f"http://localhost:{nginx_port}/auth/callback"
    bucket = start_sandbox(
        str(folder / "bucket.db"),
        redirect_uris=(callback,),
        rate_limit_per_minute=10**6,
        access_token_ttl=TOKEN_LIFE_S,
    )
    slow: dict = {}
    refreshes: list[float] = []

    def token_plan(_n: int, method: str, path: str) -> str:
        if method == "POST" and path.startswith("/oauth2/token"):
            refreshes.append(time.time())
            return f"delay:{slow['token']}" if slow.get("token") else "pass"
        return "pass"

    def api_plan(_n: int, method: str, path: str) -> str:
        if method == "PUT" and "/properties/" in path and slow.get("put"):
            return f"delay:{slow['put']}"
        return "pass"

    sandbox_port = int(bucket.url.rsplit(":", 1)[1])
    token_proxy = FaultProxy(sandbox_port, token_plan)
    token_proxy.refreshes = refreshes
    api_proxy = FaultProxy(sandbox_port, api_plan, keep_bodies=True)
    cookie_secret = secrets.token_urlsafe(32)
    env = provider_env(
        bucket.url,
        bucket.api_url.replace(bucket.url, api_proxy.url),
        DEMO_CLIENT_ID,
        DEMO_CLIENT_SECRET,
        callback,
        OAUTH2_TOKEN_URL=token_proxy.url + "/oauth2/token",
        REDIS_URL=redis.url,
        COOKIE_SECRET=cookie_secret,
        STREAMLIT_SERVER_COOKIE_SECRET=secrets.token_urlsafe(32),
    )
    apps = [AppServer(folder / f"replica-{i}", env) for i in range(2)]
    nginx = Nginx(folder / "nginx", [a.port for a in apps], port=nginx_port)
    hosted = Hosted(redis, nginx, apps, bucket, cookie_secret, token_proxy, api_proxy, slow)
    by_address = nginx.replica_keys()
    hosted.keys = {
        i: next(k for address, k in by_address.items() if address.endswith(f":{a.port}"))
        for i, a in enumerate(apps)
    }
    yield hosted
    nginx.stop()
    for app in apps:
        if app.process.poll() is None:
            app.stop()
    token_proxy.stop()
    api_proxy.stop()
    bucket.stop()
    redis.stop()


def test_a_reload_that_lands_on_the_other_replica_stays_signed_in(browser, hosted):
    context, page = hosted.signed_in_on(browser, 0)
    assert hosted.replica(page.reload()) == 0
    context.add_cookies(
        [{"name": REPLICA_COOKIE, "value": hosted.keys[1], "url": hosted.nginx.url}]
    )
    assert hosted.replica(page.reload()) == 1
    page.get_by_role("link", name="Things").first.wait_for(timeout=30_000)
    settle(page)
    assert page.get_by_text("Sign in with Bucket").count() == 0
    page.get_by_role("link", name="Explore").first.click()  # the websocket is on replica 1
    page.get_by_role("heading", name="Explore").wait_for(timeout=30_000)
    context.close()


def test_an_expired_token_is_refreshed_once_for_both_replicas(browser, hosted):
    first, page_a, second, page_b = hosted.signed_in_on_both(browser)
    newest = max(float(t["expires_at"]) for t in hosted.tokens())
    time.sleep(max(0.0, newest - time.time() + 0.5))  # every stored token has expired
    hosted.someone_changed_everything()
    hosted.slow["token"] = 3  # a slow provider: the two refreshes would overlap
    before = len(hosted.token_proxy.refreshes)
    try:
        response_a = page_a.goto(hosted.nginx.url + "/things", wait_until="commit")
        response_b = page_b.goto(hosted.nginx.url + "/things", wait_until="commit")
        assert {hosted.replica(response_a), hosted.replica(response_b)} == {0, 1}
        for page in (page_a, page_b):
            page.get_by_role("button", name="New thing").wait_for(timeout=60_000)
            settle(page)
    finally:
        hosted.slow.pop("token")
    assert len(hosted.token_proxy.refreshes) - before == 1
    for page in (page_a, page_b):  # both carry on, with the one new token
        assert page.get_by_text("Sign in with Bucket").count() == 0
        page.get_by_role("link", name="Upload").first.click()
        page.get_by_role("heading", name="Upload").wait_for(timeout=30_000)
    first.close()
    second.close()


def test_a_change_on_one_replica_is_seen_on_the_other_at_the_next_load(browser, hosted):
    first, page_a, second, page_b = hosted.signed_in_on_both(browser)
    # replica 1 has the list in its cache now (30 s)
    name = f"Greenhouse {secrets.token_hex(3)}"
    assert page_b.get_by_text(name).count() == 0
    page_a.goto(hosted.nginx.url + "/things")
    create_thing(page_a, name, "Logger")
    page_b.reload()
    page_b.get_by_text(name).first.wait_for(timeout=30_000)
    first.close()
    second.close()


def test_redis_down_is_said_clearly_and_nothing_is_lost(browser, hosted):
    context, page = hosted.signed_in_on(browser, 0)
    hosted.redis.stop()
    try:
        page.reload()
        message = page.get_by_text("cannot be reached")
        message.first.wait_for(timeout=30_000)
        said = message.first.inner_text()
        assert f"Redis at 127.0.0.1:{hosted.redis.port}" in said
        assert "Nothing was changed" in said
    finally:
        hosted.redis.start()
    page.reload()
    page.get_by_role("button", name="New thing").wait_for(timeout=30_000)
    assert page.get_by_text("Sign in with Bucket").count() == 0
    context.close()


def test_an_upload_cut_by_a_dying_replica_resumes_on_the_other_exactly_once(
    browser, hosted, tmp_path
):
    setup = hosted.setup
    thing = setup.create_thing("Soil logger", "Logger")
    prop = setup.create_property(thing.id, "Soil", "TEMPERATURE")
    csv_file = soil_csv(tmp_path / "soil.csv", ROWS)
    context, page = hosted.signed_in_on(browser, 0)
    open_csv(page, hosted.nginx.url, thing.id, prop.id, csv_file)
    puts = lambda: [b for m, p, b in hosted.api_proxy.bodies if m == "PUT" and prop.id in p]  # noqa: E731
    hosted.slow["put"] = 0.5
    page.get_by_role("button", name=f"Write {ROWS:,} rows to Soil").click()
    deadline = time.monotonic() + 60
    while len(puts()) < 3 and time.monotonic() < deadline:
        time.sleep(0.05)
    hosted.apps[0].process.kill()  # the replica writing the upload dies, mid-slice
    hosted.apps[0].process.wait()
    hosted.slow.pop("put")
    stored_before = hosted.setup.count_values(thing.id, prop.id)
    assert 0 < stored_before < ROWS

    # the browser reconnects through nginx to the live replica; the person chooses the file
    # again: the journal (in Redis) knows which rows are stored; the slice that was in flight
    # reached Bucket, and the page asks about those times rather than guess
    open_csv(page, hosted.nginx.url, thing.id, prop.id, csv_file)
    page.get_by_text("already hold values in Bucket").first.wait_for(timeout=60_000)
    page.get_by_text("Skip those rows and keep what Bucket has").click()
    write = page.get_by_role("button", name="rows to Soil")
    write.wait_for(timeout=30_000)
    remaining = int(write.inner_text().split()[1].replace(",", ""))
    assert remaining == ROWS - hosted.setup.count_values(thing.id, prop.id)
    write.click()
    page.get_by_text(f"{remaining:,} rows written and verified").first.wait_for(timeout=120_000)
    page.get_by_text("were stored by the earlier upload").wait_for()  # said, not just done

    assert hosted.setup.count_values(thing.id, prop.id) == ROWS
    last = hosted.setup.last_values(thing.id, prop.id)
    assert last.values["Temperature"] == pytest.approx(20 + (ROWS - 1) % 500 / 100)
    sent = [row[0] for body in puts() for row in json.loads(body)["values"]]
    assert len(sent) == len(set(sent)) == ROWS  # every row sent to Bucket exactly once
    context.close()


def test_nginx_sends_the_usual_security_headers_and_no_version(hosted):
    """deploy/nginx.conf as Debian's nginx serves it: no version in ``Server``, and the
    frame, content type and referrer headers on the app's pages and on its errors."""
    for path in ("/", "/assets/no-such-file.js"):
        answer = requests.get(hosted.nginx.url + path, timeout=10)
        assert answer.headers["Server"] == "nginx", answer.headers
        assert answer.headers["X-Frame-Options"] == "SAMEORIGIN"
        assert answer.headers["X-Content-Type-Options"] == "nosniff"
        assert answer.headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
