"""The app where students deploy it, with Debian's nginx playing each layout and Chromium
driving the story:

- a lab's web server at a path (``deploy/nginx-path.conf``): the app started with
  ``server.baseUrlPath dashboard``, everything at ``/dashboard/``;
- Streamlit's hosted service: a shell page at ``/`` frames the app from ``/~/+/``, and the
  proxy strips that prefix, so the app is never told of it; only the settings the deploy
  guide names are set (a Bucket client's, its redirect URL under ``/~/+/``).

In both, every request the browser makes to this host carries the prefix (a link or
redirect without it would leave the app), and none is answered 404."""

from __future__ import annotations

import re
import subprocess
import time
from pathlib import Path

import pandas as pd
import pytest
import requests

from ..app_server import ROOT, AppServer, embedded_sandbox_client, free_port, provider_env
from ..browser import PHONE_NEW_YORK, answer_provider, open_csv, settle
from ..hosting_tools import need

# beside the widget-typing browser tests (conftest): clicks and filled fields only
pytestmark = pytest.mark.xdist_group("network-layouts")
SHELL = (
    "<!doctype html><html lang=en><head><meta charset=utf-8><title>Hosted app</title>"
    '<link rel=icon href="data:,"></head>'
    '<body style=margin:0><iframe src="/~/+/" title="The app" '
    'style="border:0;width:100vw;height:100vh"></iframe></body></html>'
)


class LayoutNginx:
    """Debian's nginx with one ``server`` block of ``locations`` on a free port."""

    def __init__(self, folder: Path, locations: str, port: int | None = None):
        folder.mkdir(parents=True, exist_ok=True)
        self.port = port or free_port()
        self.url = f"http://localhost:{self.port}"
        temp = "".join(
            f"    {kind}_temp_path {folder}/{kind};\n"
            for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
        )
        conf = folder / "nginx.conf"
        conf.write_text(
            f"worker_processes 1;\npid {folder}/nginx.pid;\nerror_log {folder}/error.log;\n"
            "events { worker_connections 256; }\n"
            f"http {{\n{temp}    access_log {folder}/access.log;\n"
            f"    server {{\n        listen 127.0.0.1:{self.port};\n{locations}\n    }}\n}}\n"
        )
        self.process = subprocess.Popen(
            [need("nginx"), "-p", str(folder), "-c", str(conf), "-g", "daemon off;"],
            stdout=open(folder / "nginx.out", "ab"),  # noqa: SIM115
            stderr=subprocess.STDOUT,
        )

    def wait_for(self, path: str) -> None:
        """Until ``path`` answers through nginx (the app behind it is up)."""
        for _ in range(300):
            try:
                if requests.get(self.url + path, timeout=2).status_code == 200:
                    return
            except requests.RequestException:
                pass
            time.sleep(0.1)
        raise TimeoutError(f"nothing answered at {self.url}{path}")

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(10)


def watch(page, host_port: int) -> tuple[list[str], list[str]]:
    """Paths the page asked of this host, and those answered 404."""
    asked, missing = [], []

    def on_request(request):
        if request.url.startswith(("http://", "https://")) and f":{host_port}" in request.url:
            asked.append(re.sub(r"^https?://[^/]+", "", request.url))

    def on_response(response):
        # Streamlit's own base-path probe included (opened at /prefix/explore it asked
        # /prefix/explore/_stcore/health first): the app's page addresses now say the base
        if response.status == 404 and f":{host_port}" in response.url:
            missing.append(response.url)

    page.on("request", on_request)
    page.on("response", on_response)
    return asked, missing


def greenhouse(app, bucket):
    """A thing with an hour of soil temperatures (0 to 59), in the lab's Bucket (``bucket``)
    or the app's own sandbox: ``(client, thing, property)``, the client to check by name."""
    from bucket_client import BucketClient
    from bucket_sandbox.tokens import issue_token

    if bucket:
        client = BucketClient(bucket.api_url, issue_token(bucket.app, "demo@bucket.sandbox"))
    else:
        client = embedded_sandbox_client(app)
    thing = client.create_thing("Greenhouse", "Logger")
    prop = client.create_property(thing.id, "Soil", "TEMPERATURE")
    index = pd.date_range("2026-11-30T10:00Z", periods=60, freq="1min", name="timestamp")
    client.write_values(thing.id, prop.id, pd.DataFrame({"Temperature": range(60)}, index))
    return client, thing, prop


@pytest.mark.parametrize("sign_in_with", ["sandbox", "lab client"])
def test_under_a_path_behind_nginx_the_story_keeps_the_prefix(browser, tmp_path, sign_in_with):
    """``--server.baseUrlPath dashboard`` behind ``deploy/nginx-path.conf``, zero-config or
    with a lab's Bucket client (a laptop in Amsterdam): sign in, Things, Explore's chart and
    its CSV, a CSV uploaded and undone, a phone link that a phone (New York) opens, sign out."""
    from bucket_sandbox import start_sandbox
    from bucket_sandbox.config import DEMO_CLIENT_ID, DEMO_CLIENT_SECRET

    port = free_port()
    bucket, env = None, {"BUCKET_SANDBOX_RATE_LIMIT_PER_MINUTE": "5000"}
    if sign_in_with == "lab client":
        callback = f"http://localhost:{port}/dashboard/auth/callback"
        bucket = start_sandbox(
            str(tmp_path / "bucket.db"), redirect_uris=(callback,), rate_limit_per_minute=10**6
        )
        env = provider_env(bucket.url, bucket.api_url, DEMO_CLIENT_ID, DEMO_CLIENT_SECRET, callback)
    app = AppServer(tmp_path / "app", env, base_path="dashboard")
    locations = (ROOT / "deploy" / "nginx-path.conf").read_text()
    proxy = LayoutNginx(
        tmp_path / "nginx", locations.replace("127.0.0.1:8501", f"127.0.0.1:{app.port}"), port
    )
    try:
        proxy.wait_for("/dashboard/_stcore/health")
        client, thing, prop = greenhouse(app, bucket)

        context = browser.new_context(timezone_id="Europe/Amsterdam")
        page = context.new_page()
        asked, missing = watch(page, proxy.port)
        page.goto(proxy.url + "/dashboard")  # typed without the slash
        page.get_by_text("Sign in with Bucket").click()
        answer_provider(page)
        assert page.url.startswith(proxy.url + "/dashboard/")

        page.goto(f"{proxy.url}/dashboard/explore?thing={thing.id}&property={prop.id}&range=all")
        page.locator(".js-plotly-plot").first.wait_for(timeout=30_000)
        settle(page)
        assert page.get_by_text("cannot work on this host").count() == 0  # it passes them on
        with page.expect_download() as download:
            page.get_by_role("link", name="CSV of what you see").first.click()
        table = pd.read_csv(download.value.path())
        assert table["Temperature"].tolist() == list(range(60))

        # Upload a CSV, then undo it
        csv_file = tmp_path / "more.csv"
        csv_file.write_text("time,Temperature\n" + "".join(
            f"2026-11-30 13:0{i}:00,{90 + i}\n" for i in range(3)
        ))  # fmt: skip
        open_csv(page, proxy.url + "/dashboard", thing.id, prop.id, csv_file)
        settle(page)
        page.get_by_role("button", name="Write 3 rows to Soil").click(timeout=60_000)
        page.get_by_text("3 rows written and verified").first.wait_for(timeout=60_000)
        assert client.count_values(thing.id, prop.id) == 63
        page.get_by_role("button", name="Undo this upload").click()
        page.get_by_role("button", name="Yes, undo it").click(timeout=30_000)
        page.get_by_text("Undone: 3 added values deleted").wait_for(timeout=60_000)
        assert client.count_values(thing.id, prop.id) == 60

        page.get_by_role("link", name="Phone as a sensor").first.click()
        page.get_by_role("button", name="Make a link for a phone").click()
        link = page.get_by_text(re.compile(r"^Or open: http")).inner_text(timeout=30_000)
        link = link.removeprefix("Or open: ")
        assert link.startswith(proxy.url + "/dashboard/phone#"), link
        phone = browser.new_context(**PHONE_NEW_YORK).new_page()
        phone_asked, phone_missing = watch(phone, proxy.port)
        phone.goto(link)
        phone.get_by_role("button", name="Start").wait_for(timeout=30_000)
        phone.get_by_text("Writes to Phone").first.wait_for()
        phone.context.close()

        page.get_by_role("button", name="Sign out").click()
        page.get_by_text("You are signed out").wait_for(timeout=30_000)
        assert page.url.startswith(proxy.url + "/dashboard/")
        outside = [p for p in asked + phone_asked if not re.match(r"/dashboard(/|$)", p)]
        assert outside == [], outside
        assert missing + phone_missing == []
        context.close()
    finally:
        proxy.stop()
        app.stop()
        if bucket:
            bucket.stop()


@pytest.fixture(params=["lab client", "sandbox demo"])
def hosted(request, tmp_path):
    """The hosted service's layout: ``(proxy, app, bucket)``, with only the settings the
    deploy guide names: a lab's Bucket client (a sandbox of its own here), or for a demo the
    built-in sandbox with ``BUCKET_PUBLIC_URL`` (``bucket`` None: it is inside the app)."""
    from bucket_sandbox import start_sandbox
    from bucket_sandbox.config import DEMO_CLIENT_ID, DEMO_CLIENT_SECRET

    port = free_port()
    callback = f"http://localhost:{port}/~/+/auth/callback"
    bucket = None
    if request.param == "lab client":
        bucket = start_sandbox(
            str(tmp_path / "bucket.db"), redirect_uris=(callback,), rate_limit_per_minute=10**6
        )
        env = provider_env(bucket.url, bucket.api_url, DEMO_CLIENT_ID, DEMO_CLIENT_SECRET, callback)
    else:
        env = {
            "BUCKET_PUBLIC_URL": f"http://localhost:{port}/~/+",
            "COOKIE_SECRET": "hosted-demo-secret-0123456789abcdefghij",
        }
    app = AppServer(tmp_path / "app", env)
    shell = SHELL.replace("'", "\\'")
    locations = f"""
        location = / {{ default_type text/html; return 200 '{shell}'; }}
        location /~/+/ {{
            proxy_pass http://127.0.0.1:{app.port}/;
            proxy_http_version 1.1;
            proxy_set_header Upgrade $http_upgrade;
            proxy_set_header Connection "upgrade";
            proxy_set_header Host $http_host;
            proxy_buffering off;
            proxy_read_timeout 1d;
            client_max_body_size 200m;
        }}"""
    proxy = LayoutNginx(tmp_path / "nginx", locations, port=port)
    proxy.wait_for("/~/+/_stcore/health")
    yield proxy, app, bucket
    proxy.stop()
    app.stop()
    if bucket:
        bucket.stop()


def test_framed_under_a_prefix_it_was_not_told_of_the_story_works(browser, hosted):
    """The hosted service's layout (a laptop in Amsterdam): signing in opens the provider in
    the whole window and lands back in the app signed in; in the frame, Explore draws a
    chart, its CSV downloads, and a phone link names the framed address and opens."""
    proxy, app, bucket = hosted
    _client, thing, prop = greenhouse(app, bucket)

    context = browser.new_context(timezone_id="Europe/Amsterdam")
    page = context.new_page()
    asked, missing = watch(page, proxy.port)
    page.goto(proxy.url + "/")
    frame = page.frame_locator("iframe")
    if bucket is None:  # the demo says what it is
        frame.get_by_text("everything written here is lost when the app restarts").wait_for(
            timeout=30_000
        )
    frame.get_by_text("Sign in with Bucket").click(timeout=30_000)
    answer_provider(page)  # the provider in the whole window, then the app, signed in
    assert page.url.startswith(proxy.url + "/~/+/"), page.url

    page.goto(proxy.url + "/")  # the shell again: the framed app is signed in
    frame.get_by_role("link", name="Things").first.wait_for(timeout=30_000)
    inner = page.frame(url=re.compile(r"/~/\+/"))
    inner.goto(f"{proxy.url}/~/+/explore?thing={thing.id}&property={prop.id}&range=all")
    frame.locator(".js-plotly-plot").first.wait_for(timeout=30_000)
    with page.expect_download() as download:
        frame.get_by_role("link", name="CSV of what you see").first.click()
    assert pd.read_csv(download.value.path())["Temperature"].tolist() == list(range(60))

    frame.get_by_role("link", name="Phone as a sensor").first.click()
    frame.get_by_role("button", name="Make a link for a phone").click()
    link = frame.get_by_text(re.compile(r"^Or open: http")).inner_text(timeout=30_000)
    link = link.removeprefix("Or open: ")
    assert link.startswith(proxy.url + "/~/+/phone#"), link
    phone = browser.new_context(**PHONE_NEW_YORK).new_page()
    phone_asked, phone_missing = watch(phone, proxy.port)
    phone.goto(link)
    phone.get_by_role("button", name="Start").wait_for(timeout=30_000)
    phone.context.close()

    outside = [p for p in asked + phone_asked if not p.startswith("/~/+/")]
    assert set(outside) <= {"/"}, outside  # the shell page itself
    assert missing + phone_missing == []
    context.close()


PROXY = """
        location / {{
            proxy_pass http://127.0.0.1:{port};
            proxy_http_version 1.1;
            proxy_set_header Upgrade $http_upgrade;
            proxy_set_header Connection "upgrade";
            proxy_set_header Host $http_host;
            proxy_buffering off;
            proxy_read_timeout 1d;
        }}"""


@pytest.mark.parametrize("kept_back", ["auth", "exports|phone"])
def test_a_host_that_keeps_the_apps_routes_back_is_named_on_the_page(browser, tmp_path, kept_back):
    """A host that forwards Streamlit's own paths and answers the app's (``/auth``, or
    ``/exports`` and ``/phone``) itself: the feature that needs the route says, on the page,
    which address the host keeps back and what to ask of whoever runs it, instead of a
    sign-in, a download or a phone link that ends on the host's error page."""
    browser.allow(r"404 .*/(auth|exports|phone)/reachable", "the host keeps them back: the point")
    app = AppServer(tmp_path / "app", {})
    locations = f"        location ~ ^/({kept_back})(/|$) {{ return 404; }}\n" + PROXY.format(
        port=app.port
    )
    proxy = LayoutNginx(tmp_path / "nginx", locations)
    try:
        proxy.wait_for("/_stcore/health")
        context = browser.new_context(timezone_id="Europe/Amsterdam")
        page = context.new_page()
        page.goto(proxy.url + "/")
        if kept_back == "auth":
            page.get_by_text(
                "Signing in cannot work on this host: it does not pass /auth/ on to the app"
            ).wait_for(timeout=30_000)
            return
        _client, thing, prop = greenhouse(app, None)
        page.get_by_text("Sign in with Bucket").click()
        answer_provider(page)
        page.goto(f"{proxy.url}/explore?thing={thing.id}&property={prop.id}&range=all")
        page.locator(".js-plotly-plot").first.wait_for(timeout=30_000)
        page.get_by_text(
            "Downloading this view cannot work on this host: it does not pass /exports/ on"
        ).wait_for(timeout=30_000)
        assert page.get_by_role("link", name="CSV of what you see").count() == 0
        page.get_by_role("link", name="Phone as a sensor").first.click()
        page.get_by_role("button", name="Make a link for a phone").click()
        page.get_by_text(
            "A phone link cannot work on this host: it does not pass /phone/ on to the app"
        ).wait_for(timeout=30_000)
        assert page.get_by_text(re.compile(r"^Or open: http")).count() == 0
        context.close()
    finally:
        proxy.stop()
        app.stop()
