"""The real server's request limits: body-parser's JSON size and express-rate-limit.

express-rate-limit v6 (``standardHeaders: true``) counts requests per client
address in a fixed one-minute window, sends ``RateLimit-*`` and ``X-RateLimit-*``
headers on every response, and beyond the limit answers 429 with a plain-text
body and ``Retry-After``. All users of one hosted app share its address.
"""

from __future__ import annotations

import math
import threading
import time

TOO_MANY = "Too many requests, please try again later."


class RateLimiter:
    """Fixed-window counter per client address (express-rate-limit's memory store)."""

    def __init__(self, limit: int, window_seconds: int = 60, clock=time.monotonic):
        self.limit = limit
        self.window = window_seconds
        self._clock = clock
        self._lock = threading.Lock()
        self._reset_at = clock() + window_seconds
        self._hits: dict[str, int] = {}

    def hit(self, address: str) -> tuple[bool, dict[str, str]]:
        """Count one request; return whether it is allowed and the headers to send."""
        with self._lock:
            now = self._clock()
            if now >= self._reset_at:
                self._hits.clear()
                self._reset_at = now + self.window
            count = self._hits.get(address, 0) + 1
            self._hits[address] = count
            reset = max(0, math.ceil(self._reset_at - now))
        remaining = max(0, self.limit - count)
        headers = {
            "RateLimit-Limit": str(self.limit),
            "RateLimit-Remaining": str(remaining),
            "RateLimit-Reset": str(reset),
            "X-RateLimit-Limit": str(self.limit),
            "X-RateLimit-Remaining": str(remaining),
            "X-RateLimit-Reset": str(reset),
        }
        allowed = count <= self.limit
        if not allowed:
            headers["Retry-After"] = str(self.window)
        return allowed, headers

    def reset(self) -> None:
        with self._lock:
            self._hits.clear()
