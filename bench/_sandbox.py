"""What every bench needs: a sandbox with its limits raised and a signed-in client, or
the sandbox in its own process (so it does not share the bench's interpreter lock)."""

from __future__ import annotations

import contextlib
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bucket_client import BucketClient, BucketSettings  # noqa: E402
from bucket_sandbox import SandboxServer, start_sandbox  # noqa: E402
from bucket_sandbox.tokens import issue_token  # noqa: E402
from tests.app_server import free_port, wait_until_answers  # noqa: E402


@contextlib.contextmanager
def bench_sandbox() -> Iterator[tuple[SandboxServer, BucketClient]]:
    """An empty sandbox (limits raised) in a temporary folder and a client for the demo user."""
    with tempfile.TemporaryDirectory() as tmp:
        server = start_sandbox(f"{tmp}/bench.db", demo_data=False, rate_limit_per_minute=10**9)
        try:
            config = server.config
            settings = BucketSettings.at_host(server.url, config.client_id, config.client_secret)
            yield (
                server,
                BucketClient(
                    token=issue_token(server.app, "demo@bucket.sandbox"), settings=settings
                ),
            )
        finally:
            server.stop()


class SandboxProcess:
    """``python -m bucket_sandbox`` on a free port, on a database made beforehand."""

    def __init__(self, db: Path, callbacks: tuple[str, ...], rate_limit: int = 10**6):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        args = [sys.executable, "-m", "bucket_sandbox", "--port", str(self.port)]
        args += ["--db", str(db), "--rate-limit", str(rate_limit), "--empty"]
        for callback in callbacks:
            args += ["--redirect-uri", callback]
        log = db.parent / "sandbox.log"
        self.process = subprocess.Popen(
            args,
            stdout=open(log, "wb"),  # noqa: SIM115 (the process's whole life)
            stderr=subprocess.STDOUT,
        )
        wait_until_answers(self.url + "/bucket/api/", self.process, log, 30)

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(10)
