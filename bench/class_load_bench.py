"""A class at once (issue 15): 1, 5, 10 and 20 simulated students (started 0.3 s apart)
sign in through the provider's pages, see Things, open Explore on their own accelerometer
(108,000 rows, as the demo's) and write one value with the Upload page's form, against one
replica and against two replicas behind nginx sharing Redis. Each student is a websocket
speaking Streamlit's protocol (``bench/streamlit_student.py``), not a Chromium tab: twenty
tabs took this 2-core machine's CPU from the app they were measuring (load average 19, the
app's process hardly scheduled), so a chart's drawing in the browser (0.3-0.5 s on its own,
``explore_browser_bench``) is not in these figures. Prints JSON: time to first chart p50/p95,
errors, Bucket requests per minute (total and per student, counted by a proxy in front of the
API), app memory per idle session (RSS of the replicas, after minus before, over students).

Goals (issue 42, this 2-core machine): 10 students on one replica with p95 first chart at
most 0.8x the code of fb0e391 (about 1.5 s); 30 students on two replicas behind nginx under
3 s; at most 8 Bucket requests per student for this journey (``requests_by_path`` says which);
under 10 MB of app memory per idle session.
    python -m bench.class_load_bench [--short] [--replicas 1 2] [students ...]
``--short``: 10 students on one replica (CI runs it and keeps its JSON).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import re
import secrets
import statistics
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd
import psutil

from bench._sandbox import SandboxProcess
from bench.streamlit_student import StreamlitStudent, press, set_number, sign_in
from bucket_client import BucketClient
from bucket_sandbox import start_sandbox
from bucket_sandbox.config import DEMO_CLIENT_ID, DEMO_CLIENT_SECRET
from bucket_sandbox.tokens import issue_token
from bucket_sandbox.users import add_user
from tests import app_server
from tests.app_server import AppServer, free_port, provider_env
from tests.faults import FaultProxy
from tests.hosting_tools import Nginx, RedisServer

PASSWORD = "student-password"
ROWS = 108_000  # the demo accelerometer: 3 hours at 10 Hz
IDLE_S = 5  # settle before memory is read
WINDOW_S = 60  # requests are counted over a minute from the first student's arrival


def make_students(bucket, count: int) -> list[dict]:
    """Each student a Bucket user with their own thing and a 108,000-row accelerometer."""
    students = []
    end = pd.Timestamp.now(tz="UTC").floor("min").value // 1_000_000
    stamps = end - np.arange(ROWS)[::-1] * 100
    t = np.arange(ROWS) / 10
    frame = pd.DataFrame(
        {
            "x": np.round(np.sin(t / 1.6), 4),
            "y": np.round(np.cos(t / 3.0), 4),
            "z": np.round(9.81 + np.sin(t / 7.0) / 10, 4),
        },
        index=pd.DatetimeIndex(stamps.astype("datetime64[ms]"), name="timestamp").tz_localize(
            "UTC"
        ),
    )
    conn = bucket.app.extensions["bucket_sandbox"].db.connect()
    for n in range(count):
        add_user(conn, f"student{n}@class.example", f"Student {n}", PASSWORD)
    for n in range(count):
        email = f"student{n}@class.example"
        client = BucketClient(bucket.api_url, issue_token(bucket.app, email))
        thing = client.create_thing("Wheelchair", "Wheelchair")
        prop = client.create_property(thing.id, "Frame accelerometer", "ACCELEROMETER")
        client.write_values(thing.id, prop.id, frame, prop=prop)
        students.append({"email": email, "thing": thing.id, "property": prop.id})
    return students


async def one_student(url: str, student: dict, delay: float) -> dict:
    """Sign in, Things, Explore (all data of their accelerometer), one value written with the
    Upload page's form; the websocket stays open afterwards (an idle tab)."""
    await asyncio.sleep(delay)
    result: dict = {}
    step = "sign in"
    tab = None
    try:
        started = time.perf_counter()
        cookies = await asyncio.to_thread(sign_in, url, student["email"], PASSWORD)
        tab = StreamlitStudent(url, cookies)
        await tab.open()
        step = "Things"
        things = await tab.run("things")
        result["sign_in_and_things_s"] = time.perf_counter() - started
        step = "first chart"
        query = f"thing={student['thing']}&property={student['property']}"
        explore = await tab.run("explore", query + "&range=all")
        if "bidi_component" not in explore.kinds():  # Explore's chart element
            raise RuntimeError("no chart: " + explore.texts()[:200])
        result["first_chart_s"] = explore.seconds
        step = "upload one value"
        upload = await tab.run("upload", query)
        states = [
            set_number(w.id, 0.5) if kind == "number_input" else press(w.id)
            for kind, w in upload.in_form("upload_one")
            if kind == "number_input" or (kind == "button" and w.label == "Write value")
        ]
        written = await tab.run("upload", query, states)
        if "Stored 1 row" not in written.texts():
            raise RuntimeError("not stored: " + written.texts()[-300:])
        if "exception" in things.kinds() + explore.kinds() + written.kinds():
            result["error"] = "a traceback on the page"
    except Exception as error:  # noqa: BLE001 (a bench counts failures, it does not stop)
        result["error"] = f"{step}: {type(error).__name__}: {str(error).splitlines()[0][:160]}"
    result["tab"] = tab
    return result


def rss_mb(processes) -> float:
    total = 0
    for process in processes:
        p = psutil.Process(process.pid)
        total += p.memory_info().rss + sum(c.memory_info().rss for c in p.children(True))
    return total / 2**20


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


async def one_round(public_url: str, apps: list[AppServer], students, proxy) -> dict:
    if True:
        memory_before = rss_mb([a.process for a in apps])
        requests_before = proxy.count
        paths_before = len(proxy.paths)
        types_before = sum(p.endswith("/types") for p in proxy.paths)
        started = time.perf_counter()
        results = await asyncio.gather(
            *(one_student(public_url, s, 0.3 * i) for i, s in enumerate(students))
        )
        journey_s = time.perf_counter() - started
        # requests over at least a minute: students who did all this within one minute
        await asyncio.sleep(max(IDLE_S, WINDOW_S - journey_s))
        minutes = (time.perf_counter() - started) / 60
        sent = proxy.count - requests_before
        types = sum(p.endswith("/types") for p in proxy.paths) - types_before
        memory_after = rss_mb([a.process for a in apps])
        for r in results:
            tab = r.pop("tab")
            if tab is not None:
                await tab.close()
    by_path: dict[str, int] = {}
    for path in proxy.paths[paths_before : paths_before + sent]:
        where, _, query = path.partition("?")
        keys = "&".join(sorted(k.split("=")[0] for k in query.split("&") if k))
        shape = re.sub(r"dcd:[a-z]+:[0-9a-zA-Z-]+", "{id}", where) + (f"?{keys}" if keys else "")
        by_path[shape] = by_path.get(shape, 0) + 1
    charts = [r["first_chart_s"] for r in results if "first_chart_s" in r]
    errors = [r["error"] for r in results if "error" in r]
    return {
        "students": len(students),
        "first_chart_p50_s": round(statistics.median(charts), 2) if charts else None,
        "first_chart_p95_s": round(percentile(charts, 0.95), 2) if charts else None,
        "sign_in_and_things_p95_s": round(
            percentile(
                [r["sign_in_and_things_s"] for r in results if "sign_in_and_things_s" in r] or [0],
                0.95,
            ),
            2,
        ),
        "errors": len(errors),
        "error_kinds": sorted(set(errors))[:3],
        "journey_s": round(journey_s, 1),
        "window_minutes": round(minutes, 2),
        "bucket_requests": sent,
        "bucket_requests_per_student": round(sent / len(students), 1),
        "type_catalogue_requests": types,
        "bucket_requests_per_min": round(sent / minutes, 1),
        "bucket_requests_per_min_per_student": round(sent / minutes / len(students), 1),
        "app_memory_mb_before": round(memory_before),
        "app_memory_mb_per_session": round((memory_after - memory_before) / len(students), 1),
        "requests_by_path": {
            k: round(v / len(students), 1) for k, v in sorted(by_path.items(), key=lambda i: -i[1])
        },
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("students", nargs="*", type=int)
    parser.add_argument("--short", action="store_true", help="10 students, one replica")
    parser.add_argument("--replicas", nargs="*", type=int, default=[1, 2])
    parser.add_argument(
        "--app-root",
        help="serve the app from another checkout (git worktree add /tmp/old fb0e391), to "
        "compare two versions with the same bench, machine and Bucket",
    )
    args = parser.parse_args()
    if args.app_root:
        app_server.ROOT = Path(args.app_root).resolve()
    counts = [10] if args.short else (args.students or [1, 5, 10, 20])
    replica_counts = [1] if args.short else args.replicas
    out: dict = {
        "bench": "class_load",
        "machine_cpus": psutil.cpu_count(),
        "app_root": str(app_server.ROOT),
        "rounds": [],
    }
    with tempfile.TemporaryDirectory() as folder:
        tmp = Path(folder)
        public_port = free_port()
        direct_port = free_port()
        callbacks = tuple(f"http://localhost:{p}/auth/callback" for p in (public_port, direct_port))
        setup = start_sandbox(str(tmp / "bucket.db"), rate_limit_per_minute=10**6, demo_data=False)
        students = make_students(setup, max(counts))
        setup.stop()
        # Bucket in a process of its own, as the real one is (not sharing this one's GIL)
        bucket = SandboxProcess(tmp / "bucket.db", callbacks)
        paths: list[str] = []

        def count(_n: int, _method: str, path: str) -> str:
            paths.append(path)
            return "pass"

        proxy = FaultProxy(bucket.port, count)
        proxy.paths = paths
        api_url = proxy.url + "/bucket/api"
        redis = RedisServer(tmp / "redis")
        try:
            for replicas in replica_counts:
                for n in counts:
                    cookie = {"COOKIE_SECRET": secrets.token_urlsafe(32)}
                    if replicas == 1:
                        env = provider_env(
                            bucket.url, api_url, DEMO_CLIENT_ID, DEMO_CLIENT_SECRET,
                            callbacks[1], **cookie,
                        )  # fmt: skip
                        apps = [AppServer(tmp / f"one-{n}", env, port=direct_port)]
                        nginx, url = None, apps[0].url
                    else:
                        env = provider_env(
                            bucket.url, api_url, DEMO_CLIENT_ID, DEMO_CLIENT_SECRET, callbacks[0],
                            REDIS_URL=redis.url,
                            STREAMLIT_SERVER_COOKIE_SECRET=secrets.token_urlsafe(32), **cookie,
                        )  # fmt: skip
                        apps = [AppServer(tmp / f"two-{n}-{i}", env) for i in range(2)]
                        nginx = Nginx(tmp / f"nginx-{n}", [a.port for a in apps], port=public_port)
                        url = nginx.url
                    try:
                        result = asyncio.run(one_round(url, apps, students[:n], proxy))
                    finally:
                        if nginx:
                            nginx.stop()
                        for app in apps:
                            app.stop()
                    result["replicas"] = replicas
                    out["rounds"].append(result)
                    print(json.dumps(result), file=sys.stderr, flush=True)
        finally:
            redis.stop()
            proxy.stop()
            bucket.stop()
    print(json.dumps(out, indent=1))


if __name__ == "__main__":
    main()
