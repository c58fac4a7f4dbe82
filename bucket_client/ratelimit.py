"""Living within Bucket's rate limit: a budget read from ``RateLimit-*`` headers.

express-rate-limit counts per client address; every user of a hosted app shares
one address, so one budget object may be shared by every client in a process.
"""

from __future__ import annotations

import math
import threading
import time


class RateBudget:
    """What the server said is left in its window, and when the window resets."""

    def __init__(self, clock=time.monotonic, sleep=time.sleep):
        self._clock, self._sleep = clock, sleep
        self._lock = threading.Lock()
        self.limit: int | None = None
        self.remaining: int | None = None
        self.reset_at: float = 0.0
        self.waited_seconds = 0.0

    def update(self, headers) -> None:
        """Read ``RateLimit-Remaining`` and ``RateLimit-Reset`` (seconds) from a response."""
        remaining, reset = headers.get("RateLimit-Remaining"), headers.get("RateLimit-Reset")
        if remaining is None:
            return
        with self._lock:
            try:
                self.remaining = int(remaining)
                self.limit = int(headers.get("RateLimit-Limit", self.limit or 0)) or self.limit
                self.reset_at = self._clock() + float(reset or 0)
            except ValueError:
                pass

    def blocked_until(self, seconds: float) -> None:
        """After a 429: nothing more until ``seconds`` from now (the server's word wins)."""
        with self._lock:
            self.remaining = 0
            self.reset_at = self._clock() + seconds

    def acquire(self, on_wait=None, keep_share: float = 0.0) -> None:
        """Wait, if the window is spent, until it resets; then take one request.

        ``keep_share``: bulk work (a download of everything, a long delete) takes a request
        only while more than this share of the window's limit is left, so the people behind
        the same address keep at least that much for their own pages.
        ``on_wait(seconds)`` hears about each wait, so a UI can say why it is slow."""
        while True:
            with self._lock:
                now = self._clock()
                if self.remaining is None:
                    return
                if now >= self.reset_at and (
                    self.remaining <= 0 or (keep_share and self.remaining < (self.limit or 1))
                ):
                    self.remaining = self.limit or 1  # a new window has begun
                keep = math.ceil((self.limit or 0) * keep_share)
                if self.remaining > keep:
                    self.remaining -= 1
                    return
                wait = max(0.05, self.reset_at - now)
            if on_wait is not None:
                on_wait(wait)
            self.waited_seconds += min(wait, 5.0)
            self._sleep(min(wait, 5.0))

    def snapshot(self) -> tuple[int | None, int | None, float]:
        """``(remaining, limit, seconds until the window resets)`` as last reported."""
        with self._lock:
            return self.remaining, self.limit, max(0.0, self.reset_at - self._clock())

    def can_spend(self, n: int) -> bool:
        """Whether ``n`` requests fit in what is left (unknown counts as yes)."""
        with self._lock:
            return self.remaining is None or self.remaining >= n

    def seconds_for(self, requests: int, window_seconds: float = 60.0) -> float:
        """How long ``requests`` requests take at this limit (100 a minute if unknown)."""
        with self._lock:
            limit = self.limit or 100
            remaining = limit if self.remaining is None else self.remaining
            until_reset = max(0.0, self.reset_at - self._clock())
        if requests <= remaining:
            return 0.0
        extra_windows = math.ceil((requests - remaining) / limit)
        return until_reset + (extra_windows - 1) * window_seconds


def retry_after_seconds(headers) -> float | None:
    """Seconds to wait after a 429: ``Retry-After``, or ``RateLimit-Reset`` when sooner.

    express-rate-limit v6 always sends the whole window (60) as ``Retry-After``, while
    ``RateLimit-Reset`` says when this window really ends.
    """
    waits = []
    for name in ("Retry-After", "RateLimit-Reset"):
        try:
            waits.append(max(0.0, float(headers[name])))
        except (KeyError, TypeError, ValueError):
            pass
    return min(waits) if waits else None
