"""A class of phones at once (issue 36): 30 phones claim their links and stream ACCELEROMETER
samples at 10 Hz for a minute through one app, or through nginx in front of two replicas
sharing Redis, against a Bucket that limits requests as the real one does (100 a minute per
address). A teacher's Chromium follows one phone on Explore's Live view.

Printed as JSON: sample-to-screen on the teacher's chart (the sample's own time to the chart
having drawn it; the phones and the browser share this machine's clock), each phone's send
time, and the end of the story: every sample the app acknowledged is in Bucket exactly once
(read back through the API, by property), and how long after the last sample it got there.

    python -m bench.class_phones_bench [--phones 30] [--seconds 60] [--replicas 1 2]
"""

from __future__ import annotations

import argparse
import json
import secrets
import statistics
import sys
import tempfile
import time
from pathlib import Path

import psutil
from playwright.sync_api import sync_playwright

from bench._sandbox import SandboxProcess
from bench.phone_latency_bench import WATCH_JS, percentile
from bucket_client import BucketClient
from bucket_sandbox import start_sandbox
from bucket_sandbox.config import DEMO_CLIENT_ID, DEMO_CLIENT_SECRET
from bucket_sandbox.tokens import issue_token
from dashboard.phone import capacity
from tests.app_server import AppServer, free_port, provider_env
from tests.browser import CHROMIUM, FLAGS, sign_in
from tests.hosting_tools import Nginx, RedisServer
from tests.phones import HttpPhone, make_links, session_id, stream_all, wait_until_stored

BUCKET_LIMIT = 100  # the real Bucket's requests a minute per client address


def one_round(tmp: Path, phones_n: int, seconds: float, replicas: int) -> dict:
    port = free_port()
    callback = f"http://localhost:{port}/auth/callback"
    setup = start_sandbox(str(tmp / "bucket.db"), rate_limit_per_minute=10**6)  # demo user
    api = BucketClient(setup.api_url, issue_token(setup.app, "demo@bucket.sandbox"))
    thing = api.create_thing("Class phones", "Phones")
    props = [
        api.create_property(thing.id, f"Phone {n + 1:02}", "ACCELEROMETER") for n in range(phones_n)
    ]
    setup.stop()
    bucket = SandboxProcess(tmp / "bucket.db", (callback,), rate_limit=BUCKET_LIMIT)
    settings = {"COOKIE_SECRET": secrets.token_urlsafe(32)}
    redis = nginx = None
    if replicas > 1:
        redis = RedisServer(tmp / "redis")
        settings["REDIS_URL"] = redis.url
        settings["STREAMLIT_SERVER_COOKIE_SECRET"] = secrets.token_urlsafe(32)
    else:
        settings["BUCKET_DATA_DIR"] = str(tmp / "app-0")
    env = provider_env(
        bucket.url, bucket.url + "/bucket/api", DEMO_CLIENT_ID, DEMO_CLIENT_SECRET, callback,
        **settings,
    )  # fmt: skip
    apps = []
    try:
        if replicas > 1:
            apps = [AppServer(tmp / f"app-{i}", env) for i in range(replicas)]
            nginx = Nginx(tmp / "nginx", [a.port for a in apps], port=port)
            url = nginx.url
        else:
            apps = [AppServer(tmp / "app-0", env, port=port)]
            url = apps[0].url
        checker = BucketClient(bucket.url + "/bucket/api", issue_token_for(tmp))
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS, headless=True)
            context = browser.new_context(viewport={"width": 1280, "height": 900})
            teacher = context.new_page()
            sign_in(teacher, url)
            cookie = next(c["value"] for c in context.cookies() if c["name"] == "bucket_session")
            sid = session_id(settings["COOKIE_SECRET"], cookie)
            codes = make_links(env, sid, checker, props)
            phones = [HttpPhone(url, code) for code in codes]
            for phone in phones:
                phone.claim()
            # the teacher follows phone 1 (its first samples make the chart follow)
            warm = HttpPhone(url, "")
            warm.key = phones[0].key
            warm.stream(1.5)
            first = props[0]
            teacher.goto(f"{url}/explore?thing={thing.id}&property={first.id}")
            teacher.get_by_text("Live", exact=True).click()
            teacher.get_by_text("Following the phone").wait_for(timeout=60_000)
            teacher.evaluate(WATCH_JS)
            started = time.time()
            stream_all(phones, seconds)
            streamed_s = time.time() - started
            time.sleep(3)
            drawn = teacher.evaluate("window.__drawn")
            drain_s = wait_until_stored(phones, 600)
            browser.close()
        rss_mb = sum(psutil.Process(a.process.pid).memory_info().rss for a in apps) / 2**20
    finally:
        if nginx:
            nginx.stop()
        for app in apps:
            app.stop()
        if redis:
            redis.stop()

    stored_once, missing, extra = True, 0, 0
    for phone, prop in zip(phones, props, strict=True):
        sent = sorted(set(phone.acknowledged))
        values = checker.read_values(thing.id, prop.id, sent[0] - 1, sent[-1] + 1)
        have = [int(t.value // 1_000_000) for t in values.index]
        missing += len(set(sent) - set(have))
        extra += len(have) - len(set(have)) + len(set(have) - set(sent))
        stored_once &= have == sent
    bucket.stop()
    taken = phones[0].acknowledged
    latencies = [
        at - t for t in taken if (at := next((w for w, n in drawn if n >= t), None)) is not None
    ]
    sends = [s for phone in phones for s in phone.send_seconds]
    return {
        "replicas": replicas,
        "phones": phones_n,
        "rate_hz": 10,
        "seconds": seconds,
        "streamed_s": round(streamed_s, 1),
        "samples_acknowledged": sum(len(p.acknowledged) for p in phones),
        "batches_sent_again": sum(len(p.refusals) for p in phones),
        "every_sample_stored_once": stored_once,
        "missing": missing,
        "extra": extra,
        "in_bucket_s_after_last_sample": round(drain_s, 1),
        "sample_to_screen_p50_ms": statistics.median(latencies) if latencies else None,
        "sample_to_screen_p95_ms": percentile(latencies, 0.95) if latencies else None,
        "sample_to_screen_max_ms": max(latencies) if latencies else None,
        "samples_drawn_of_phone_1": f"{len(latencies)} of {len(taken)}",
        "send_p95_ms": round(percentile(sends, 0.95) * 1000) if sends else None,
        "bucket_limit_per_minute": BUCKET_LIMIT,
        "phone_writes_per_minute": capacity.PHONE_WRITES_PER_MINUTE,
        "app_rss_mb": round(rss_mb),
    }


def issue_token_for(tmp: Path) -> dict:
    """A token of the demo user, issued on the bench's Bucket database."""
    from bucket_sandbox import create_app

    sandbox = create_app(
        {"db_path": str(tmp / "bucket.db"), "demo_data": False, "register_client": False}
    )
    return issue_token(sandbox, "demo@bucket.sandbox")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--phones", type=int, default=30)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--replicas", nargs="*", type=int, default=[1, 2])
    args = parser.parse_args()
    rounds = []
    for replicas in args.replicas:
        with tempfile.TemporaryDirectory() as folder:
            result = one_round(Path(folder), args.phones, args.seconds, replicas)
        print(json.dumps(result), file=sys.stderr, flush=True)
        rounds.append(result)
    print(
        json.dumps(
            {"bench": "class_phones", "machine_cpus": psutil.cpu_count(), "rounds": rounds},
            indent=1,
        )
    )  # noqa: E501


if __name__ == "__main__":
    main()
