"""What every bench needs: a sandbox with its limits raised and a signed-in client."""

from __future__ import annotations

import contextlib
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bucket_client import BucketClient, BucketSettings  # noqa: E402
from bucket_sandbox import SandboxServer, start_sandbox  # noqa: E402
from bucket_sandbox.tokens import issue_token  # noqa: E402


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
