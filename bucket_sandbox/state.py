"""Per-instance state reached from a request: the database, settings and limiter.

Several sandboxes can run in one process (tests start more than one), so nothing
lives in module globals: each Flask app carries its own ``SandboxState``.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

from flask import current_app

from .config import SandboxConfig
from .db import Database
from .limits import RateLimiter


@dataclass
class SandboxState:
    config: SandboxConfig
    db: Database
    limiter: RateLimiter
    heavy_reads: threading.BoundedSemaphore | None = None

    def __post_init__(self):
        if self.heavy_reads is None and self.config.heavy_reads_at_once > 0:
            self.heavy_reads = threading.BoundedSemaphore(self.config.heavy_reads_at_once)


def state() -> SandboxState:
    return current_app.extensions["bucket_sandbox"]


def conn():
    """This thread's connection to this sandbox's database."""
    return state().db.connect()
