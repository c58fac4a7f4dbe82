"""The class bench's journey, counted (issue 42): one student signs in, sees Things, opens
Explore on all of their 108,000-row accelerometer and writes one value with Upload's form,
as ``bench/class_load_bench.py`` does it (Streamlit's own protocol over a websocket), against
the app and a sandbox in its own process, through a proxy that counts every Bucket request.
It fails when the journey needs more than the stated number: the class's budget and waiting
time grow with it (it was 12 before issue 42, 9 on the code before issue 23)."""

from __future__ import annotations

import asyncio
import secrets
from concurrent.futures import ThreadPoolExecutor

from bench._sandbox import SandboxProcess
from bench.class_load_bench import make_students, one_student
from bucket_sandbox import start_sandbox
from bucket_sandbox.config import DEMO_CLIENT_ID, DEMO_CLIENT_SECRET

from ..app_server import AppServer, free_port, provider_env
from ..faults import FaultProxy

REQUESTS_PER_JOURNEY = 8


def test_the_class_journey_takes_at_most_the_stated_bucket_requests(tmp_path):
    port = free_port()
    callback = f"http://localhost:{port}/auth/callback"
    setup = start_sandbox(str(tmp_path / "bucket.db"), rate_limit_per_minute=10**6, demo_data=False)
    (student,) = make_students(setup, 1)
    setup.stop()
    bucket = SandboxProcess(tmp_path / "bucket.db", (callback,))
    paths: list[str] = []

    def count(_n: int, method: str, path: str) -> str:
        paths.append(f"{method} {path.split('?')[0]}")
        return "pass"

    proxy = FaultProxy(bucket.port, count)
    env = provider_env(
        bucket.url,
        proxy.url + "/bucket/api",
        DEMO_CLIENT_ID,
        DEMO_CLIENT_SECRET,
        callback,
        COOKIE_SECRET=secrets.token_urlsafe(32),
    )
    app = AppServer(tmp_path / "app", env, port=port)

    async def journey() -> dict:
        result = await one_student(app.url, student, 0)
        tab = result.pop("tab")
        if tab is not None:
            await tab.close()
        return result

    try:
        # a thread of its own: Playwright's sync API may hold this worker's event loop
        with ThreadPoolExecutor(1) as thread:
            result = thread.submit(asyncio.run, journey()).result()
        assert "error" not in result, result
        assert len(paths) <= REQUESTS_PER_JOURNEY, paths
    finally:
        app.stop()
        proxy.stop()
        bucket.stop()
