"""Per-instance state reached from a request: the database, settings and limiter.

Several sandboxes can run in one process (tests start more than one), so nothing
lives in module globals: each Flask app carries its own ``SandboxState``.
"""

from __future__ import annotations

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


def state() -> SandboxState:
    return current_app.extensions["bucket_sandbox"]


def conn():
    """This thread's connection to this sandbox's database."""
    return state().db.connect()
